/* Internal to witness/: the u256 precompile table (docs/zkvm-air.md, "u256 table"): one row per
 * KILN_SYS_U256_ADDMOD / SUBMOD / MULMOD call. a0 = out, a1 = a, a2 = b, a3 = m (32-byte little-endian
 * buffers, 4-aligned); the row proves X = q m + r with 0 <= r < m over 16-bit limbs, where X = a b (mulmod),
 * a + b (addmod) or a + 2^256 m - b (submod, with b moved to the right side), and writes r to out. */
#ifndef KILN_ZKVM_U256_H
#define KILN_ZKVM_U256_H

#include "zkvm_sys.h"

#define ZK_U256_NL 16                    /* 16-bit limbs of a 256-bit value */
#define ZK_U256_NQ 32                    /* limbs of the quotient (a b / m < 2^512) */
#define ZK_U256_NK 47                    /* limbs of the identity: q m reaches limb 31 + 15 */
#define ZK_U256_NC 46                    /* carries (the last limb has none) */
#define ZK_U256_COFF ((uint64_t)1 << 21) /* carry offset: c + 2^21 = cl + 2^16 ch */

/* Pointer k (0 out, 1 a, 2 b, 3 m): ptr = 4 pq + 2^16 phi, 0x80000000 - 32 - ptr = tl + 2^16 th. Words: a
 * (0..7, read at 4 clk + 1), b (8..15, at 4 clk + 2), m (16..23, at 4 clk + 3), out (24..31, written at
 * 4 clk + 4); registers x12, x13 (the b and m pointers) read at 4 clk + 3. */
enum {
    U_SEL,
    U_FA, /* one-hot op flags: addmod, submod, mulmod */
    U_FS,
    U_FM,
    U_CLK,
    U_PTR,            /* 4 pointers x (pq, phi, tl, th) */
    U_A = U_PTR + 16, /* limbs of a, b, m, r (16 each) */
    U_B = U_A + ZK_U256_NL,
    U_M = U_B + ZK_U256_NL,
    U_R = U_M + ZK_U256_NL,
    U_O = U_R + ZK_U256_NL,       /* out's limbs before the write */
    U_Q = U_O + ZK_U256_NL,       /* quotient limbs */
    U_C = U_Q + ZK_U256_NQ,       /* carries: (cl, ch) pairs */
    U_D = U_C + 2 * ZK_U256_NC,   /* m - r - 1 limbs */
    U_BW = U_D + ZK_U256_NL,      /* borrows of m - r - 1 (15) */
    U_RW = U_BW + ZK_U256_NL - 1, /* w of the 24 words read (read-only words may be read) */
    U_PT = U_RW + 24,             /* previous ts: 32 words, then x12, x13 */
    U_E = U_PT + 34,              /* ts-difference limbs, 2 per access */
    U_NCOLS = U_E + 68
};

void zk_build_u256(kiln_air_table *t);
kiln_status zk_add_u256_table(kiln_air *air, kiln_air_table **out);
/* Fills ZK_T_U256 from the log; the results are recomputed and compared with the logged (VM) writes. */
kiln_status zk_fill_u256(const kiln_zkvm_program *p, const zk_sys_log *log, kiln_zkvm_witness *w, char *err,
                         size_t errlen);
/* Adds the table's 16-bit lookups to mult; out-of-range values are skipped when tampered, else an error. */
kiln_status zk_count_u256_range(const kiln_zkvm_witness *w, uint64_t *mult, int tampered);
/* TEST ONLY: the u256 tamper modes; 1 when a row was corrupted. */
int zk_tamper_u256(kiln_zkvm_witness *w, kiln_zkvm_tamper mode);

#endif
