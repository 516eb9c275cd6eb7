/* What every protocol/ file includes: fixed-width types, the memory functions and Kiln's status codes, the
 * same on the host and in riscv32 guests (which have no libc headers: the guest runtime supplies these). */
#ifndef KILN_PROTO_BASE_H
#define KILN_PROTO_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#ifdef KILN_GUEST
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#else
#include <string.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Copies msg into err (truncated, always NUL-terminated when errlen > 0) and returns st. Protocol code has no
 * printf in the guest, so its messages are fixed strings. */
kiln_status kiln_proto_fail(kiln_status st, char *err, size_t errlen, const char *msg);

/* Big-endian loads and stores. */
static inline uint64_t kiln_be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}
static inline void kiln_put_be64(uint8_t *p, uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}
static inline uint32_t kiln_be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void kiln_put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#ifdef __cplusplus
}
#endif
#endif
