/* Text parsing for `kiln tool`: field elements (decimal or 0x hex), hex byte strings, and whitespace-separated
 * rows read line by line from a stream or a memory buffer. Every failure is a one-line message in err
 * (prefixed "line N: " for stream input) and a status; nothing here aborts. */
#ifndef KILN_TOOL_PARSE_H
#define KILN_TOOL_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest accepted input line in bytes (without its newline). */
#define KILN_TOOL_MAX_LINE 65536

/* A field element: decimal digits, or 0x/0X and hex digits; leading zeros allowed; value < p. KILN_ERR_PARSE
 * otherwise (empty, sign, bad digit, overflow, >= p). */
kiln_status kiln_tool_parse_field(const char *s, size_t len, uint64_t *out, char *err, size_t errlen);

/* Hex bytes with an optional 0x prefix ("" and "0x" are empty). An odd digit count or a bad digit is
 * KILN_ERR_PARSE. *out is malloc'ed (never NULL on success; free it). */
kiln_status kiln_tool_parse_hex(const char *s, uint8_t **out, size_t *out_len, char *err, size_t errlen);

/* Line source: a stream or a memory buffer. */
typedef struct kiln_tool_input {
    FILE *f;
    const uint8_t *mem;
    size_t mem_len, pos;
    size_t lineno;
    char *line; /* KILN_TOOL_MAX_LINE + 1 bytes */
} kiln_tool_input;

kiln_status kiln_tool_input_file(kiln_tool_input *in, FILE *f);
kiln_status kiln_tool_input_mem(kiln_tool_input *in, const uint8_t *data, size_t len);
void kiln_tool_input_close(kiln_tool_input *in);

/* Reads rows of whitespace-separated field elements, one row a line, skipping blank lines; every row must
 * hold exactly width (>= 1) values, and at most max_values are accepted in all. *out is malloc'ed, row-major
 * (free it); *nrows rows. An input with no values is an error. */
kiln_status kiln_tool_read_rows(kiln_tool_input *in, size_t width, size_t max_values, uint64_t **out,
                                size_t *nrows, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
