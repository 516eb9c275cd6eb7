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
/* r = a * b (low 256 bits); returns 1 when the product overflowed 256 bits. */
int kiln_u256_mul_u64(kiln_u256 *r, const kiln_u256 *a, uint64_t b);

/* (a op b) mod m for m != 0; a and b need not be reduced; r may alias a, b or m. */
void kiln_u256_addmod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m);
void kiln_u256_submod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m);
void kiln_u256_mulmod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m);

#ifdef __cplusplus
}
#endif
#endif
