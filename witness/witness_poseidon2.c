/* Witness of the poseidon2 precompile table (air_poseidon2.c): one row per call, padding rows hold the
 * permutation of the zero state. */
#include <stdlib.h>
#include <string.h>

#include "field/goldilocks.h"
#include "p2_air.h"
#include "poseidon2/poseidon2_hd.h"
#include "zkvm_sys.h"

static uint64_t canon_inv(uint64_t v) {
    uint64_t hi = v >> 32;
    return hi == 0xffffffffu ? 0 : kiln_gl_inv(0xffffffffu - hi);
}

/* The permutation part of a row: input limbs, S-box helpers (in the AIR's order), output limbs. Returns 0
 * when the output differs from the kernel library's permutation (an internal error). */
static int p2_row(uint64_t *c, size_t n, size_t r, const uint64_t in[12]) {
    uint64_t s[12], o[12];
    for (int i = 0; i < 12; i++) {
        for (int j = 0; j < 4; j++)
            c[(size_t)(P_IN + 4 * i + j) * n + r] = (in[i] >> (16 * j)) & 0xffff;
        c[(size_t)(P_CIN + i) * n + r] = canon_inv(in[i]);
    }
    kiln_p2_ext(in, s);
    size_t h = P_H;
    for (int rd = 0; rd < KILN_P2_ROUNDS; rd++) {
        int full = rd < KILN_P2_AIR_FULL_HALF || rd >= KILN_P2_AIR_FULL_HALF + KILN_P2_AIR_PARTIAL;
        if (!full) {
            uint64_t y = kiln_gl_add(s[0], kiln_poseidon2_rc[rd][0]);
            uint64_t y3 = kiln_gl_mul(kiln_gl_mul(y, y), y), y7 = kiln_gl_mul(kiln_gl_mul(y3, y3), y);
            c[h * n + r] = y3, c[(h + 1) * n + r] = y7;
            s[0] = y7;
            kiln_p2_int(s);
            h += 2;
            continue;
        }
        int last = rd == KILN_P2_ROUNDS - 1;
        for (int i = 0; i < 12; i++) {
            uint64_t y = kiln_gl_add(s[i], kiln_poseidon2_rc[rd][i]);
            uint64_t y3 = kiln_gl_mul(kiln_gl_mul(y, y), y);
            o[i] = kiln_gl_mul(kiln_gl_mul(y3, y3), y);
            c[(h + (size_t)i) * n + r] = y3;
            if (!last) c[(h + 12 + (size_t)i) * n + r] = o[i];
        }
        kiln_p2_ext(o, s);
        h += last ? 12 : 24;
    }
    uint64_t ref[12];
    memcpy(ref, in, sizeof ref);
    kiln_poseidon2_permute(ref);
    for (int i = 0; i < 12; i++) {
        for (int j = 0; j < 4; j++)
            c[(size_t)(P_OUT + 4 * i + j) * n + r] = (s[i] >> (16 * j)) & 0xffff;
        c[(size_t)(P_COUT + i) * n + r] = canon_inv(s[i]);
    }
    return memcmp(ref, s, sizeof s) == 0;
}

kiln_status zk_fill_poseidon2(const zk_sys_log *log, kiln_zkvm_witness *w) {
    size_t calls = 0;
    for (size_t i = 0; i < log->ncalls; i++)
        calls += log->calls[i].num == KILN_SYS_POSEIDON2;
    unsigned lg = 2;
    while (((size_t)1 << lg) < calls)
        lg++;
    size_t n = (size_t)1 << lg;
    uint64_t *c = (uint64_t *)calloc((size_t)P_NCOLS * n, 8);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    w->cols[ZK_T_P2] = c;
    w->traces[ZK_T_P2].log_n = lg;
    size_t r = 0;
    for (size_t i = 0; i < log->ncalls; i++) {
        const zk_sys_call *k = &log->calls[i];
        if (k->num != KILN_SYS_POSEIDON2) continue;
        const zk_sys_word *wd = &log->words[k->first];
        uint64_t in[12];
        for (int e = 0; e < 12; e++)
            in[e] = wd[2 * e].prev | (uint64_t)wd[2 * e + 1].prev << 32;
        if (k->count != 24 || !p2_row(c, n, r, in)) return KILN_ERR_INTERNAL;
        uint64_t ts = 4 * k->clk + 3, top = KILN_VM_STACK_TOP - 96u - k->a0;
        c[(size_t)P_SEL * n + r] = 1, c[(size_t)P_CLK * n + r] = k->clk, c[(size_t)P_A1 * n + r] = k->a1;
        c[(size_t)P_PQ * n + r] = (k->a0 & 0xffff) >> 2, c[(size_t)P_PHI * n + r] = k->a0 >> 16;
        c[(size_t)P_TL * n + r] = top & 0xffff, c[(size_t)P_TH * n + r] = top >> 16;
        for (int j = 0; j < 24; j++) {
            uint64_t e = ts - wd[j].pt - 1;
            c[(size_t)(P_PT + j) * n + r] = wd[j].pt;
            c[(size_t)(P_E + 2 * j) * n + r] = e & 0xffff, c[(size_t)(P_E + 2 * j + 1) * n + r] = e >> 16;
            uint32_t out = (uint32_t)(((c[(size_t)(P_OUT + 2 * j + 1) * n + r]) << 16) |
                                      c[(size_t)(P_OUT + 2 * j) * n + r]);
            if (out != wd[j].val) return KILN_ERR_INTERNAL;
        }
        r++;
    }
    const uint64_t zero[12] = {0};
    for (; r < n; r++)
        if (!p2_row(c, n, r, zero)) return KILN_ERR_INTERNAL;
    return KILN_OK;
}

/* The range lookups of a poseidon2 row (all with multiplicity sel). */
size_t zk_p2_lookups(const uint64_t *c, size_t n, size_t r, uint64_t *out) {
    size_t k = 0;
    if (!c[(size_t)P_SEL * n + r]) return 0;
    out[k++] = c[(size_t)P_PQ * n + r];
    out[k++] = 4 * c[(size_t)P_PQ * n + r];
    out[k++] = kiln_gl_sub(c[(size_t)P_PHI * n + r], KILN_ZKVM_SYS_MIN >> 16);
    out[k++] = c[(size_t)P_TL * n + r];
    out[k++] = c[(size_t)P_TH * n + r];
    for (int i = 0; i < 48; i++)
        out[k++] = c[(size_t)(P_E + i) * n + r];
    for (int i = 0; i < 48; i++)
        out[k++] = c[(size_t)(P_OUT + i) * n + r];
    return k;
}

int zk_tamper_p2(kiln_zkvm_witness *w, kiln_zkvm_tamper mode) {
    uint64_t *c = w->cols[ZK_T_P2];
    size_t n = (size_t)1 << w->traces[ZK_T_P2].log_n;
    if (!c[P_SEL * n]) return 0;
    if (mode == KILN_ZKVM_TAMPER_P2_ROUND) { /* lane 0's y^7 in full round 0 */
        c[(size_t)(P_H + 12) * n] = kiln_gl_add(c[(size_t)(P_H + 12) * n], 1);
        return 1;
    }
    /* The last call's output element i, low bit flipped (still canonical). When no later access touches that
     * word, the ram table's final value is flipped with it, so the memory argument balances and only the
     * permutation constraint can catch it. */
    size_t r = 0;
    while (r + 1 < n && c[P_SEL * n + r + 1])
        r++;
    for (int i = 0; i < 12; i++) {
        if (c[(size_t)(P_OUT + 4 * i + 2) * n + r] == 0xffff &&
            c[(size_t)(P_OUT + 4 * i + 3) * n + r] == 0xffff)
            continue;
        c[(size_t)(P_OUT + 4 * i) * n + r] ^= 1;
        uint64_t addr = 4 * c[(size_t)P_PQ * n + r] + 65536 * c[(size_t)P_PHI * n + r] + 8 * (uint64_t)i;
        uint64_t ts = 4 * c[(size_t)P_CLK * n + r] + 3, *m = w->cols[ZK_T_RAM];
        size_t nm = (size_t)1 << w->traces[ZK_T_RAM].log_n;
        for (size_t k = 0; k < nm; k++)
            if (m[(size_t)M_REAL * nm + k] && m[(size_t)M_ADDR * nm + k] == addr &&
                m[(size_t)M_FTS * nm + k] == ts)
                m[(size_t)M_FLO * nm + k] ^= 1;
        return 1;
    }
    return 0;
}
