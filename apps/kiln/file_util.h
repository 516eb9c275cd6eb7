/* Reading whole files for the `kiln` subcommands. */
#ifndef KILN_APP_FILE_UTIL_H
#define KILN_APP_FILE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Largest file a subcommand reads (ELF images, inputs, proofs). */
#define KILN_APP_MAX_FILE ((size_t)1 << 30)

/* Reads all of path into a malloc'd buffer (*out, *len; free it). Returns 0 on success, -1 when the file cannot
 * be opened or read, or is larger than KILN_APP_MAX_FILE. */
int kiln_app_read_file(const char *path, uint8_t **out, size_t *len);

#endif
