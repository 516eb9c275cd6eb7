/* 256-bit unsigned integers as eight little-endian 32-bit limbs: the layout of the VM's u256 precompiles, so a
 * guest passes them as they are. Plain arithmetic is software on both sides; the modular operations are the
 * precompiles in a guest (guest/lib/proto_bind.c) and software on the host (host/uint256_mod.c). */
#ifndef KILN_PROTO_U256_H
#define KILN_PROTO_U256_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_u256 {
    uint32_t w[8];
} kiln_u256;

void kiln_u256_from_be(kiln_u256 *r, const uint8_t in[32]);
void kiln_u256_to_be(uint8_t out[32], const kiln_u256 *a);
void kiln_u256_from_u64(kiln_u256 *r, uint64_t v);
int kiln_u256_is_zero(const kiln_u256 *a);
int kiln_u256_cmp(const kiln_u256 *a, const kiln_u256 *b); /* -1, 0, 1 */
uint32_t kiln_u256_add(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b); /* returns the carry */
uint32_t kiln_u256_sub(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b); /* returns the borrow */
/* r = a × b (returns 1 on overflow of 2^256), q = a / d with *rem the remainder (d != 0; rem may be NULL),
 * ceil division, and a saturating conversion to u64. */
int kiln_u256_mul_u64(kiln_u256 *r, const kiln_u256 *a, uint64_t b);
void kiln_u256_divmod_u64(kiln_u256 *q, uint64_t *rem, const kiln_u256 *a, uint64_t d);
void kiln_u256_ceil_div_u64(kiln_u256 *q, const kiln_u256 *a, uint64_t d);
uint64_t kiln_u256_to_u64_saturating(const kiln_u256 *a);

/* (a op b) mod m for m != 0; a and b need not be reduced; r may alias a, b or m. */
void kiln_u256_addmod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m);
void kiln_u256_submod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m);
void kiln_u256_mulmod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m);

/* The same three operations for hot loops. In a guest each is one inlined ecall to the precompile (vm/vm.h's
 * KILN_SYS_U256_ADDMOD/SUBMOD/MULMOD = 0x2002/0x2003/0x2004; a0 = r, a1 = a, a2 = b, a3 = m), which spares
 * the call and its argument shuffling, about half of an operation's cycles; on the host they are the
 * functions. */
#if defined(KILN_GUEST) && defined(__riscv)
static inline void kiln_u256_precompile(uint32_t num, kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b,
                                        const kiln_u256 *m) {
    register uint32_t x10 __asm__("a0") = (uint32_t)(uintptr_t)r;
    register uint32_t x11 __asm__("a1") = (uint32_t)(uintptr_t)a;
    register uint32_t x12 __asm__("a2") = (uint32_t)(uintptr_t)b;
    register uint32_t x13 __asm__("a3") = (uint32_t)(uintptr_t)m;
    register uint32_t x17 __asm__("a7") = num;
    __asm__ volatile("ecall" : "+r"(x10), "+r"(x11) : "r"(x12), "r"(x13), "r"(x17) : "memory");
}
#define KILN_U256_ADDMOD(r, a, b, m) kiln_u256_precompile(0x2002u, (r), (a), (b), (m))
#define KILN_U256_SUBMOD(r, a, b, m) kiln_u256_precompile(0x2003u, (r), (a), (b), (m))
#define KILN_U256_MULMOD(r, a, b, m) kiln_u256_precompile(0x2004u, (r), (a), (b), (m))
#else
#define KILN_U256_ADDMOD(r, a, b, m) kiln_u256_addmod((r), (a), (b), (m))
#define KILN_U256_SUBMOD(r, a, b, m) kiln_u256_submod((r), (a), (b), (m))
#define KILN_U256_MULMOD(r, a, b, m) kiln_u256_mulmod((r), (a), (b), (m))
#endif

#ifdef __cplusplus
}
#endif
#endif
