/* Kiln guest runtime: syscall wrappers (docs/vm-abi.md), memory helpers, a bump allocator, panic. Guests are
 * C compiled for rv32im/ilp32 with no host libc. */
#ifndef KILN_GUEST_H
#define KILN_GUEST_H

#include <stddef.h>
#include <stdint.h>

#define KILN_SYS_EXIT 93u
#define KILN_SYS_INPUT_READ 0x1000u
#define KILN_SYS_INPUT_LEN 0x1001u
#define KILN_SYS_COMMIT 0x1002u
#define KILN_SYS_DEBUG 0x1003u
#define KILN_SYS_ADVICE 0x1004u
#define KILN_SYS_IO_DIGEST 0x1005u
#define KILN_SYS_POSEIDON2 0x2000u
#define KILN_SYS_KECCAKF 0x2001u
#define KILN_SYS_U256_ADDMOD 0x2002u
#define KILN_SYS_U256_SUBMOD 0x2003u
#define KILN_SYS_U256_MULMOD 0x2004u

/* ecall with the number in a7 and arguments in a0..a5; returns a0, and a1 through *r1 when non-NULL. */
static inline uint32_t kiln_syscall(uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
                                    uint32_t a4, uint32_t a5, uint32_t *r1) {
    register uint32_t x10 __asm__("a0") = a0;
    register uint32_t x11 __asm__("a1") = a1;
    register uint32_t x12 __asm__("a2") = a2;
    register uint32_t x13 __asm__("a3") = a3;
    register uint32_t x14 __asm__("a4") = a4;
    register uint32_t x15 __asm__("a5") = a5;
    register uint32_t x17 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(x10), "+r"(x11)
                     : "r"(x12), "r"(x13), "r"(x14), "r"(x15), "r"(x17)
                     : "memory");
    if (r1) *r1 = x11;
    return x10;
}

__attribute__((noreturn)) void kiln_exit(uint32_t code);
__attribute__((noreturn)) void kiln_panic(const char *msg, uint32_t code);
#define KILN_ASSERT(c) ((c) ? (void)0 : kiln_panic("assertion failed: " #c, 101))

size_t kiln_input_len(void);
size_t kiln_input_read(void *buf, size_t len);
/* The remaining input, without copying (the runtime reads the whole input once into a buffer the caller may
 * modify); *len receives its length. The input counts as consumed. */
uint8_t *kiln_input_all(size_t *len);
void kiln_commit(const void *buf, size_t len);
void kiln_debug(const void *buf, size_t len);
void kiln_print(const char *s);
void kiln_print_hex(const void *buf, size_t len);
void kiln_print_u32(uint32_t v);

/* Advice (docs/vm-abi.md, "Advice"): asks the host (request: at most 4096 bytes, not proven) and receives an
 * answer of at most cap bytes at out; returns its length. The answer is untrusted: check it. An answer longer
 * than cap, or no advice available (past the end of a replayed tape), stops the guest with a fault. */
size_t kiln_advice(const void *req, size_t req_len, void *out, size_t cap);
/* Reads exactly len bytes of advice (panics with code 105 on a different length). */
void kiln_advice_exact(const void *req, size_t req_len, void *out, size_t len);

void kiln_poseidon2_permute(uint64_t state[12]);
void kiln_keccak_f1600(uint64_t state[25]);

/* Memory. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* Bump allocator from _end up to the heap limit; free does nothing. Out of memory panics. */
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void free(void *p);

#endif
