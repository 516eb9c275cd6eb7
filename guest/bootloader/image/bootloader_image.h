/* The bootloader ELF this build made (guest/CMakeLists.txt embeds it). */
#ifndef KILN_BOOTLOADER_IMAGE_H
#define KILN_BOOTLOADER_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

extern const uint8_t kiln_bootloader_elf[];
extern const size_t kiln_bootloader_elf_len;

#ifdef __cplusplus
}
#endif
#endif
