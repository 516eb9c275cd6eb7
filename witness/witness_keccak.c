/* Witness of the keccak precompile table (air_keccak.c): a block of 32 rows per call, computed bit by bit
 * here and compared with the VM's result (kernels/keccak, through the syscall log); padding blocks permute
 * the zero state and carry no traffic. */
#include <stdlib.h>
#include <string.h>

#include "zkvm_keccak.h"

#define KC(col, row) c[(size_t)(col)*n + (row)]

/* Fills row r with state a (limbs) and its round's theta / chi columns; returns the state after the round
 * with round constant rc in *next. */
static void kk_row(uint64_t *c, size_t n, size_t r, const uint64_t a[25], uint64_t rc, const unsigned rho[25],
                   uint64_t next[25]) {
    uint64_t cc[5], d[5], ap[25], b[25];
    for (int x = 0; x < 5; x++)
        cc[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; x++) {
        uint64_t c1 = cc[(x + 1) % 5];
        d[x] = cc[(x + 4) % 5] ^ (c1 << 1 | c1 >> 63);
    }
    for (int i = 0; i < 25; i++)
        ap[i] = a[i] ^ d[i % 5];
    for (int x = 0; x < 5; x++)
        for (int y = 0; y < 5; y++) {
            uint64_t v = ap[x + 5 * y];
            unsigned s = rho[x + 5 * y];
            b[y + 5 * ((2 * x + 3 * y) % 5)] = s ? v << s | v >> (64 - s) : v;
        }
    for (int X = 0; X < 5; X++)
        for (int Y = 0; Y < 5; Y++)
            next[X + 5 * Y] = b[X + 5 * Y] ^ (~b[(X + 1) % 5 + 5 * Y] & b[(X + 2) % 5 + 5 * Y]);
    for (int i = 0; i < 25; i++)
        for (int k = 0; k < 4; k++) {
            KC(K_A + 4 * i + k, r) = (a[i] >> (16 * k)) & 0xffff;
            KC(K_APP + 4 * i + k, r) = (next[i] >> (16 * k)) & 0xffff;
        }
    for (int i = 0; i < 25; i++)
        for (int z = 0; z < 64; z++)
            KC(K_AP + 64 * i + z, r) = (ap[i] >> z) & 1;
    for (int x = 0; x < 5; x++)
        for (int z = 0; z < 64; z++) {
            KC(K_C + 64 * x + z, r) = (cc[x] >> z) & 1;
            KC(K_CP + 64 * x + z, r) = ((cc[x] ^ d[x]) >> z) & 1;
        }
    for (int j = 0; j < 7; j++)
        KC(K_IB + j, r) = (next[0] >> ((1u << j) - 1)) & 1;
    next[0] ^= rc;
}

/* Rows 0..24 of the block at row base: the permutation of in; out gets the output state. */
static void kk_block(uint64_t *c, size_t n, size_t base, const uint64_t in[25], uint64_t out[25]) {
    uint64_t rc[24], s[25], nx[25];
    unsigned rho[25];
    zk_keccak_consts(rc, rho);
    memcpy(s, in, sizeof s);
    for (unsigned r = 0; r <= ZK_KECCAK_OUT_ROW; r++) {
        kk_row(c, n, base + r, s, r < 24 ? rc[r] : 0, rho, nx);
        for (int i = 0; i < 100; i++)
            KC(K_IN + i, base + r) = (in[i / 4] >> (16 * (i % 4))) & 0xffff;
        if (r < 24) memcpy(s, nx, sizeof s);
    }
    memcpy(out, s, sizeof s);
}

kiln_status zk_fill_keccak(const zk_sys_log *log, kiln_zkvm_witness *w) {
    size_t calls = 0;
    for (size_t i = 0; i < log->ncalls; i++)
        calls += log->calls[i].num == KILN_SYS_KECCAKF;
    unsigned lg = 5;
    while (((size_t)1 << lg) < calls * ZK_KECCAK_BLOCK)
        lg++;
    size_t n = (size_t)1 << lg;
    uint64_t *c = (uint64_t *)calloc((size_t)K_NCOLS * n, 8);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    w->cols[ZK_T_KECCAK] = c;
    w->traces[ZK_T_KECCAK].log_n = lg;
    size_t base = 0;
    uint64_t in[25], out[25];
    for (size_t i = 0; i < log->ncalls; i++) {
        const zk_sys_call *k = &log->calls[i];
        if (k->num != KILN_SYS_KECCAKF) continue;
        if (k->count != 50) return KILN_ERR_INTERNAL;
        const zk_sys_word *wd = &log->words[k->first];
        for (int e = 0; e < 25; e++)
            in[e] = wd[2 * e].prev | (uint64_t)wd[2 * e + 1].prev << 32;
        kk_block(c, n, base, in, out);
        size_t r = base + ZK_KECCAK_OUT_ROW;
        uint64_t ts = 4 * k->clk + 3, top = KILN_VM_STACK_TOP - 200u - k->a0;
        KC(K_SEL, r) = 1, KC(K_CLK, r) = k->clk, KC(K_A1, r) = k->a1;
        KC(K_PQ, r) = (k->a0 & 0xffff) >> 2, KC(K_PHI, r) = k->a0 >> 16;
        KC(K_TL, r) = top & 0xffff, KC(K_TH, r) = top >> 16;
        for (int j = 0; j < 50; j++) {
            uint64_t e = ts - wd[j].pt - 1;
            KC(K_PT + j, r) = wd[j].pt;
            KC(K_E + 2 * j, r) = e & 0xffff, KC(K_E + 2 * j + 1, r) = e >> 16;
            /* The VM's result (the log) must equal the bit-level permutation. */
            if ((uint32_t)(out[j / 2] >> (32 * (j & 1))) != wd[j].val) return KILN_ERR_INTERNAL;
        }
        base += ZK_KECCAK_BLOCK;
    }
    const uint64_t zero[25] = {0};
    for (; base < n; base += ZK_KECCAK_BLOCK)
        kk_block(c, n, base, zero, out);
    return KILN_OK;
}

/* Adds one 16-bit lookup; -1 when out of range. */
static int add(uint64_t *mult, uint64_t v) {
    if (v >= 65536) return -1;
    mult[v]++;
    return 0;
}

kiln_status zk_count_keccak_range(const kiln_zkvm_witness *w, uint64_t *mult) {
    const uint64_t *c = w->cols[ZK_T_KECCAK];
    size_t n = (size_t)1 << w->traces[ZK_T_KECCAK].log_n;
    for (size_t r = ZK_KECCAK_OUT_ROW; r < n; r += ZK_KECCAK_BLOCK) {
        if (!KC(K_SEL, r)) continue;
        if (add(mult, KC(K_PQ, r)) || add(mult, 4 * KC(K_PQ, r)) ||
            add(mult, KC(K_PHI, r) - (KILN_ZKVM_SYS_MIN >> 16)) || add(mult, KC(K_TL, r)) ||
            add(mult, KC(K_TH, r)))
            return KILN_ERR_INTERNAL;
        for (int i = 0; i < 100; i++)
            if (add(mult, KC(K_E + i, r))) return KILN_ERR_INTERNAL;
    }
    return KILN_OK;
}

/* The ram table's final value of the word at addr last accessed at ts follows new limbs (lo, hi): then only
 * the keccak table's own constraints can catch a wrong output. */
static void ram_follow(kiln_zkvm_witness *w, uint64_t addr, uint64_t ts, uint64_t lo, uint64_t hi) {
    uint64_t *m = w->cols[ZK_T_RAM];
    size_t nm = (size_t)1 << w->traces[ZK_T_RAM].log_n;
    for (size_t k = 0; k < nm; k++)
        if (m[(size_t)M_REAL * nm + k] && m[(size_t)M_ADDR * nm + k] == addr &&
            m[(size_t)M_FTS * nm + k] == ts)
            m[(size_t)M_FLO * nm + k] = lo, m[(size_t)M_FHI * nm + k] = hi;
}

int zk_tamper_keccak(kiln_zkvm_witness *w, kiln_zkvm_tamper mode) {
    uint64_t *c = w->cols[ZK_T_KECCAK];
    size_t n = (size_t)1 << w->traces[ZK_T_KECCAK].log_n;
    if ((mode != KILN_ZKVM_TAMPER_KECCAK_OUTPUT && mode != KILN_ZKVM_TAMPER_KECCAK_THETA &&
         mode != KILN_ZKVM_TAMPER_KECCAK_RC) ||
        !KC(K_SEL, ZK_KECCAK_OUT_ROW))
        return 0;
    if (mode == KILN_ZKVM_TAMPER_KECCAK_THETA) { /* a column parity bit of round 3 of the first call */
        KC(K_C + 64 * 2 + 17, 3) ^= 1;
        return 1;
    }
    /* The last call's output lane 0 changes: bit 1 flipped (OUTPUT), or round 23 xors RC[22] instead of
     * RC[23] (RC). Row 24's own round columns are recomputed from the wrong state and the ram table's final
     * value follows, so only the round transition from row 23 can catch it. */
    size_t base = 0;
    while (base + ZK_KECCAK_BLOCK < n && KC(K_SEL, base + ZK_KECCAK_BLOCK + ZK_KECCAK_OUT_ROW))
        base += ZK_KECCAK_BLOCK;
    size_t r = base + ZK_KECCAK_OUT_ROW;
    uint64_t rc[24], s[25], nx[25];
    unsigned rho[25];
    zk_keccak_consts(rc, rho);
    for (int i = 0; i < 25; i++) {
        s[i] = 0;
        for (int k = 3; k >= 0; k--)
            s[i] = s[i] << 16 | KC(K_A + 4 * i + k, r);
    }
    s[0] ^= mode == KILN_ZKVM_TAMPER_KECCAK_RC ? rc[23] ^ rc[22] : 2;
    kk_row(c, n, r, s, 0, rho, nx);
    uint64_t ptr = 4 * KC(K_PQ, r) + 65536 * KC(K_PHI, r), ts = 4 * KC(K_CLK, r) + 3;
    ram_follow(w, ptr, ts, KC(K_A, r), KC(K_A + 1, r));
    ram_follow(w, ptr + 4, ts, KC(K_A + 2, r), KC(K_A + 3, r));
    return 1;
}
