/* Internal to witness/: the syscall tables of the zkVM AIR (docs/zkvm-air.md, "Syscalls"): poseidon2 (the
 * precompile, one row per call), io (INPUT_READ / INPUT_LEN / COMMIT / DEBUG / ADVICE: a header row per call
 * and one row per input or advice word written) and exit (one row: the exit call, and the segment's io_digest
 * call with its 16-word block). Each
 * receives its calls on the syscall bus from the cpu's ecall rows and does its memory accesses at the ecall's
 * memory slot ts = 4 clk + 3, each word once per call. */
#ifndef KILN_ZKVM_SYS_H
#define KILN_ZKVM_SYS_H

#include "zkvm_internal.h"

/* poseidon2 main columns. Element i of the state is the u64 at ptr + 8 i: limbs 4 i .. 4 i + 3 of IN (read)
 * and OUT (written); word w (0..23) is at ptr + 4 w with previous timestamp PT + w and ts-difference limbs
 * E + 2 w, E + 2 w + 1. H holds the S-box helpers: full rounds 0..3 (y^3 then y^7, 24 columns each), the 22
 * partial rounds (y^3, y^7), full rounds 26..28 (24 each), full round 29 (y^3 only). */
enum {
    P_SEL,
    P_CLK,
    P_A1, /* a1 at the call (unused by the precompile, part of the bus tuple) */
    P_PQ, /* ptr = 4 pq + 2^16 phi */
    P_PHI,
    P_TL, /* 0x80000000 - 96 - ptr = tl + 2^16 th */
    P_TH,
    P_IN,
    P_OUT = P_IN + 48,
    P_CIN = P_OUT + 48, /* canonicity helpers: inverses of 2^32 - 1 - hi32 (or 0) */
    P_COUT = P_CIN + 12,
    P_PT = P_COUT + 12,
    P_E = P_PT + 24,
    P_H = P_E + 48,
    P_NCOLS = P_H + 4 * 24 + 22 * 2 + 3 * 24 + 12
};

/* io main columns. */
enum {
    I_H,  /* header row: receives the call */
    I_W,  /* word row: writes one input word */
    I_KR, /* kinds (header rows): INPUT_READ, INPUT_LEN, COMMIT, DEBUG, ADVICE */
    I_KL,
    I_KC,
    I_KD,
    I_KA,
    I_CLK,
    I_A0,
    I_A1,
    I_RES, /* a0 after the call */
    I_NW,  /* INPUT_READ, ADVICE: words written = ceil(res / 4); res = 4 nw - pb0 - 2 pb1 */
    I_PB0,
    I_PB1,
    I_DL, /* a1 - res = dl + 2^16 dh (res <= a1) */
    I_DH,
    I_CNT, /* words still to write after this row */
    I_PTR, /* address of the next word */
    I_ADDR,
    I_AQ, /* addr = 4 aq + 2^16 ahi */
    I_AHI,
    I_PT,
    I_EL,
    I_EH,
    I_OLO,
    I_OHI,
    I_NLO,
    I_NHI,
    I_Z,  /* word rows: the call's last word (cnt = 0) */
    I_CI, /* 1 / cnt when cnt != 0 */
    I_Q1, /* pb0 | pb1 (the last word keeps byte 3); pb1 keeps byte 2; Q3 = pb0 pb1 keeps byte 1 */
    I_Q3,
    I_OB, /* bytes of the old word (4), of the new word (4) and their AND (4): AND-table lookups */
    I_NB = I_OB + 4,
    I_AN = I_NB + 4,
    I_NCOLS = I_AN + 4
};

/* exit main columns: one real row (row 0), holding the exit call (last segment) and the segment's io_digest
 * call (at most one per run). */
enum {
    X_SEL, /* the exit call */
    X_CLK,
    X_A0,
    X_A1,   /* the exit's a1: anything (part of the tuple only) */
    X_C,    /* the io_digest call: its block is read and published */
    X_DCLK, /* the io_digest call's clk and a1 (tuple only) */
    X_DA1,
    X_PQ, /* the block pointer (the call's a0) = 4 pq + 2^16 phi */
    X_PHI,
    X_TL, /* 0x80000000 - 64 - ptr = tl + 2^16 th */
    X_TH,
    X_W,               /* 16 words, (lo, hi) limbs */
    X_CINV = X_W + 32, /* canonicity helpers of the 8 elements */
    X_PT = X_CINV + 8, /* previous timestamps of the 16 words */
    X_E = X_PT + 16,   /* ts-difference limbs */
    X_NCOLS = X_E + 32
};

/* The memory accesses of one call, in order. */
typedef struct zk_sys_word {
    uint32_t addr, prev, val;
    uint64_t pt;
} zk_sys_word;
typedef struct zk_sys_call {
    uint64_t clk;
    uint32_t num, a0, a1, res;
    size_t first, count; /* words[first .. first + count) */
} zk_sys_call;
typedef struct zk_sys_log {
    zk_sys_call *calls;
    size_t ncalls, ccap;
    zk_sys_word *words;
    size_t nwords, wcap;
} zk_sys_log;

/* AIR builders (air_syscalls.c, air_poseidon2.c). */
void zk_air_mem_word(kiln_air_table *t, kiln_expr mult, kiln_expr addr, kiln_expr prev_ts, kiln_expr plo,
                     kiln_expr phi, kiln_expr ts, kiln_expr nlo, kiln_expr nhi);
/* The same with the bus element w given: a read (new = prev) passes on whatever w its chain carries, so a
 * table that only reads a word may take w from a witness column (the u256 table reads read-only words). */
void zk_air_mem_word_w(kiln_air_table *t, kiln_expr mult, kiln_expr addr, kiln_expr prev_ts, kiln_expr plo,
                       kiln_expr phi, kiln_expr ts, kiln_expr nlo, kiln_expr nhi, kiln_expr w);
/* A syscall buffer [ptr, ptr + size) from the four consecutive columns pq, phi, tl, th at col: ptr = 4 pq +
 * 2^16 phi, 4-aligned, ptr >= KILN_ZKVM_SYS_MIN and 0x80000000 - size - ptr = tl + 2^16 th >= 0, so every
 * word lies in [0x10000, 0x80000000) and is never a register. gate multiplies the constraint, mult the range
 * lookups. Returns ptr. */
kiln_expr zk_air_sys_buffer(kiln_air_table *t, kiln_expr gate, kiln_expr mult, unsigned col, uint32_t size);
/* One word access of a syscall at ts: ts - prev_ts - 1 = e_lo + 2^16 e_hi (prev_ts in column pt, the limbs
 * in columns e, e + 1, range-checked), then the memory-bus access with bus element w. */
void zk_air_sys_word(kiln_air_table *t, kiln_expr gate, kiln_expr mult, kiln_expr addr, kiln_expr ts, unsigned pt,
                     unsigned e, kiln_expr plo, kiln_expr phi, kiln_expr nlo, kiln_expr nhi, kiln_expr w);
/* Constrains limbs l[0..4) (16-bit) to a u64 < p (helper column inv); returns the u64 as a field expression.
 */
kiln_expr zk_air_canonical_u64(kiln_air_table *t, const kiln_expr *l, kiln_expr inv);
void zk_build_poseidon2(kiln_air_table *t);
void zk_build_io(kiln_air_table *t);
void zk_build_exit(kiln_air_table *t);
kiln_status zk_add_sys_tables(kiln_air *air, kiln_air_table **p2, kiln_air_table **io, kiln_air_table **ex);

/* Witness (witness_poseidon2.c, witness_syscalls.c): fill the tables from the log (w->cols / w->traces for
 * ZK_T_P2, ZK_T_IO, ZK_T_EXIT), apply the syscall tamper modes, then add their range lookups to mult
 * (the range table's 2^16 multiplicities). */
kiln_status zk_fill_poseidon2(const zk_sys_log *log, kiln_zkvm_witness *w);
kiln_status zk_fill_io(const zk_sys_log *log, kiln_zkvm_witness *w);
/* The exit table: the exit call in the last segment (sel), the segment's io_digest call (c) in any. */
kiln_status zk_fill_exit(const zk_sys_log *log, kiln_zkvm_witness *w, int last);
int zk_tamper_sys(kiln_zkvm_witness *w, kiln_zkvm_tamper mode);
int zk_tamper_p2(kiln_zkvm_witness *w, kiln_zkvm_tamper mode);
/* The range-lookup values of row r of a table (only lookups with a nonzero multiplicity, all multiplicity 1).
 */
size_t zk_p2_lookups(const uint64_t *c, size_t n, size_t r, uint64_t *out);
kiln_status zk_count_sys_range(const kiln_zkvm_witness *w, uint64_t *mult, uint64_t *amult);

#endif
