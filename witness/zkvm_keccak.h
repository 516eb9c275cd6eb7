/* Internal to witness/: the keccak precompile table (docs/zkvm-air.md, "keccak table"): a block of 32 rows
 * per KILN_SYS_KECCAKF call. Row r < 24 of a block holds the state before round r and proves that round; row
 * 24 holds the output state and does the call's bus traffic; rows 25..31 are idle (zero). */
#ifndef KILN_ZKVM_KECCAK_H
#define KILN_ZKVM_KECCAK_H

#include "zkvm_sys.h"

#define ZK_KECCAK_BLOCK 32u
#define ZK_KECCAK_OUT_ROW 24u

/* keccak main columns. Lane i = x + 5 y (the u64 at ptr + 8 i) has 16-bit limbs 4 i .. 4 i + 3; theta output
 * bit (x, y, z) is AP + 64 i + z; column parity C[x][z] is C + 64 x + z, CP the same for C' = C ^ D. */
enum {
    K_SEL, /* memory row of a real call */
    K_CLK,
    K_A1,
    K_PQ, /* ptr = 4 pq + 2^16 phi */
    K_PHI,
    K_TL, /* 0x80000000 - 200 - ptr = tl + 2^16 th */
    K_TH,
    K_IN,               /* input limbs, carried from row 0 to row 24 */
    K_PT = K_IN + 100,  /* previous timestamps of the 50 words */
    K_E = K_PT + 50,    /* ts-difference limbs */
    K_A = K_E + 100,    /* state limbs (before this row's round) */
    K_AP = K_A + 100,   /* theta output bits */
    K_C = K_AP + 1600,  /* column parities of A */
    K_CP = K_C + 320,   /* C' = C ^ C[x-1] ^ rot(C[x+1], 1): the parities of A' */
    K_APP = K_CP + 320, /* chi output limbs (before iota) */
    K_IB = K_APP + 100, /* chi output bits of lane 0 at z = 2^j - 1 (iota's bit positions), j = 0..6 */
    K_NCOLS = K_IB + 7
};

/* Round constants and rotation offsets (rho of lane i = x + 5 y), computed from their definitions. */
void zk_keccak_consts(uint64_t rc[24], unsigned rho[25]);
kiln_status zk_keccak_add_table(kiln_air *air, kiln_air_table **out);
void zk_build_keccak(kiln_air_table *t);
kiln_status zk_fill_keccak(const zk_sys_log *log, kiln_zkvm_witness *w);
int zk_tamper_keccak(kiln_zkvm_witness *w, kiln_zkvm_tamper mode);
kiln_status zk_count_keccak_range(const kiln_zkvm_witness *w, uint64_t *mult);

#endif
