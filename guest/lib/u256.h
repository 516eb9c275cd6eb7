/* 256-bit unsigned integers for guests: eight 32-bit little-endian limbs. Wrapping add/sub/mul in software;
 * modular add/sub/mul through the VM's precompiles (and mulmod also in software, for comparison). */
#ifndef KILN_GUEST_U256_H
#define KILN_GUEST_U256_H

#include <stdint.h>

typedef struct {
    uint32_t w[8];
} __attribute__((aligned(4))) u256;

u256 u256_from_u32(uint32_t v);
int u256_is_zero(const u256 *a);
int u256_cmp(const u256 *a, const u256 *b);
uint32_t u256_add(u256 *r, const u256 *a, const u256 *b);               /* returns the carry */
uint32_t u256_sub(u256 *r, const u256 *a, const u256 *b);               /* returns the borrow */
void u256_mul(u256 *r, const u256 *a, const u256 *b);                   /* low 256 bits */
uint32_t u256_mul_u32(u256 *r, const u256 *a, uint32_t b);              /* returns the high limb */
uint32_t u256_divmod_u32(u256 *q, const u256 *a, uint32_t d);           /* returns the remainder; d != 0 */
void u256_addmod(u256 *r, const u256 *a, const u256 *b, const u256 *m); /* precompiles; m != 0 */
void u256_submod(u256 *r, const u256 *a, const u256 *b, const u256 *m);
void u256_mulmod(u256 *r, const u256 *a, const u256 *b, const u256 *m);
void u256_mulmod_sw(u256 *r, const u256 *a, const u256 *b, const u256 *m); /* software, bit by bit */
void u256_to_be(uint8_t out[32], const u256 *a);
void u256_from_be(u256 *r, const uint8_t in[32]);

#endif
