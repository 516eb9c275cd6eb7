/* Witness of the u256 precompile table (air_u256.c): one row per call. The quotient and remainder are
 * recomputed here by binary long division (independently of the VM's algorithm) and compared with the
 * result the VM wrote; padding rows are zero except for the carries' offset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/goldilocks.h"
#include "zkvm_u256.h"

#define NL ZK_U256_NL
#define NX 34 /* 16-bit limbs of X < 2^513 */

#define ERR(...) (err && errlen ? (void)snprintf(err, errlen, __VA_ARGS__) : (void)0)

typedef struct u256_vals {
    int op; /* 0 addmod, 1 submod, 2 mulmod */
    uint32_t a[NL], b[NL], m[NL], r[NL], q[ZK_U256_NQ];
} u256_vals;

/* X = a b, a + b or a + 2^256 m (16-bit limbs, NX of them). */
static void x_value(const u256_vals *v, uint32_t x[NX]) {
    uint64_t acc[NX] = {0};
    for (int i = 0; i < NL; i++) {
        if (v->op == 2)
            for (int j = 0; j < NL; j++)
                acc[i + j] += (uint64_t)v->a[i] * v->b[j];
        else
            acc[i] += v->a[i] + (v->op == 0 ? v->b[i] : 0);
        if (v->op == 1) acc[NL + i] += v->m[i];
    }
    uint64_t c = 0;
    for (int k = 0; k < NX; k++) {
        c += acc[k];
        x[k] = (uint32_t)(c & 0xffff);
        c >>= 16;
    }
}

/* (X - fs b) = q m + r: binary long division of X (submod: X - b, which is >= 0) by m != 0. */
static void divide(u256_vals *v) {
    uint32_t x[NX];
    x_value(v, x);
    if (v->op == 1) { /* subtract b */
        int64_t br = 0;
        for (int k = 0; k < NX; k++) {
            int64_t d = (int64_t)x[k] - (k < NL ? v->b[k] : 0) - br;
            br = d < 0;
            x[k] = (uint32_t)(d + (br << 16));
        }
    }
    uint32_t rem[NL + 1] = {0}, q[NX] = {0};
    for (int bit = 16 * NX - 1; bit >= 0; bit--) {
        uint32_t in = (x[bit / 16] >> (bit % 16)) & 1;
        for (int k = NL; k >= 0; k--) /* rem = 2 rem + in (rem < 2m < 2^257) */
            rem[k] = ((rem[k] << 1) | (k ? rem[k - 1] >> 15 : in)) & 0xffff;
        int ge = 1; /* rem >= m ? */
        for (int k = NL; k >= 0; k--) {
            uint32_t mk = k < NL ? v->m[k] : 0;
            if (rem[k] != mk) {
                ge = rem[k] > mk;
                break;
            }
        }
        if (ge) {
            int64_t br = 0;
            for (int k = 0; k <= NL; k++) {
                int64_t d = (int64_t)rem[k] - (k < NL ? v->m[k] : 0) - br;
                br = d < 0;
                rem[k] = (uint32_t)(d + (br << 16));
            }
            q[bit / 16] |= 1u << (bit % 16);
        }
    }
    memcpy(v->r, rem, sizeof v->r);
    memcpy(v->q, q, sizeof v->q);
}

#define C(col) c[(size_t)(col)*n + row]

/* Carries, m - r - 1 and its borrows from the row's a, b, m, r, q. Returns 0 when the identity does not
 * close (only for tampered values: the carries are then floor divisions). */
static int derive(uint64_t *c, size_t n, size_t row, const u256_vals *v, int sel) {
    int ok = 1;
    int64_t carry = 0;
    for (int k = 0; k < ZK_U256_NK; k++) {
        int64_t x = 0, y = 0;
        for (int i = 0; i < NL; i++) {
            int j = k - i;
            if (v->op == 2 && j >= 0 && j < NL) x += (int64_t)v->a[i] * v->b[j];
        }
        if (k < NL) {
            if (v->op == 0) x += (int64_t)v->a[k] + v->b[k];
            if (v->op == 1) x += v->a[k], y += v->b[k];
            y += v->r[k];
        } else if (k < 2 * NL && v->op == 1) {
            x += v->m[k - NL];
        }
        for (int j = 0; j < NL; j++) {
            int i = k - j;
            if (i >= 0 && i < ZK_U256_NQ) y += (int64_t)v->q[i] * v->m[j];
        }
        int64_t d = x + carry - y;
        if (k == ZK_U256_NK - 1) {
            ok &= d == 0;
            break;
        }
        int64_t nc = d >= 0 ? d / 65536 : -((-d + 65535) / 65536);
        ok &= nc * 65536 == d;
        carry = nc;
        int64_t off = carry + (int64_t)ZK_U256_COFF, lo = off & 0xffff, hi = (off - lo) / 65536;
        C(U_C + 2 * k) = (uint64_t)lo;
        C(U_C + 2 * k + 1) = hi >= 0 ? (uint64_t)hi : kiln_gl_sub(0, (uint64_t)-hi);
    }
    int64_t bw = 0;
    for (int k = 0; k < NL; k++) {
        int64_t d = (int64_t)v->m[k] - v->r[k] - (k == 0 ? sel : 0) - bw;
        if (k < NL - 1) {
            bw = d < 0;
            d += bw << 16;
            C(U_BW + k) = (uint64_t)bw;
        }
        C(U_D + k) = d >= 0 ? (uint64_t)d : kiln_gl_sub(0, (uint64_t)-d);
    }
    return ok;
}

static void put_vals(uint64_t *c, size_t n, size_t row, const u256_vals *v) {
    for (int i = 0; i < NL; i++) {
        C(U_A + i) = v->a[i], C(U_B + i) = v->b[i], C(U_M + i) = v->m[i], C(U_R + i) = v->r[i];
    }
    for (int i = 0; i < ZK_U256_NQ; i++)
        C(U_Q + i) = v->q[i];
}

static void get_vals(const uint64_t *c, size_t n, size_t row, u256_vals *v) {
    v->op = C(U_FA) ? 0 : C(U_FS) ? 1 : 2;
    for (int i = 0; i < NL; i++) {
        v->a[i] = (uint32_t)C(U_A + i), v->b[i] = (uint32_t)C(U_B + i);
        v->m[i] = (uint32_t)C(U_M + i), v->r[i] = (uint32_t)C(U_R + i);
    }
    for (int i = 0; i < ZK_U256_NQ; i++)
        v->q[i] = (uint32_t)C(U_Q + i);
}

static void split32(uint32_t x, uint32_t *l) {
    l[0] = x & 0xffff, l[1] = x >> 16;
}

kiln_status zk_fill_u256(const kiln_zkvm_program *p, const zk_sys_log *log, kiln_zkvm_witness *w, char *err,
                         size_t errlen) {
    size_t calls = 0;
    for (size_t i = 0; i < log->ncalls; i++)
        calls += log->calls[i].num >= KILN_SYS_U256_ADDMOD && log->calls[i].num <= KILN_SYS_U256_MULMOD;
    unsigned lg = 2;
    while (((size_t)1 << lg) < calls)
        lg++;
    size_t n = (size_t)1 << lg, row = 0;
    uint64_t *c = (uint64_t *)calloc((size_t)U_NCOLS * n, 8);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    w->cols[ZK_T_U256] = c;
    w->traces[ZK_T_U256].log_n = lg;
    for (size_t i = 0; i < log->ncalls; i++) {
        const zk_sys_call *k = &log->calls[i];
        if (k->num < KILN_SYS_U256_ADDMOD || k->num > KILN_SYS_U256_MULMOD) continue;
        const zk_sys_word *wd = &log->words[k->first];
        if (k->count != 34 || wd[32].addr != 12 || wd[33].addr != 13) return KILN_ERR_INTERNAL;
        u256_vals v;
        memset(&v, 0, sizeof v);
        v.op = (int)(k->num - KILN_SYS_U256_ADDMOD);
        for (int j = 0; j < 8; j++) {
            split32(wd[j].prev, &v.a[2 * j]);
            split32(wd[8 + j].prev, &v.b[2 * j]);
            split32(wd[16 + j].prev, &v.m[2 * j]);
        }
        divide(&v);
        for (int j = 0; j < 8; j++)
            if ((v.r[2 * j] | v.r[2 * j + 1] << 16) != wd[24 + j].val) {
                ERR("internal: the u256 table's result differs from the VM's (call at clk %llu, word %d)",
                    (unsigned long long)k->clk, j);
                return KILN_ERR_INTERNAL;
            }
        C(U_SEL) = 1, C(U_FA + v.op) = 1, C(U_CLK) = k->clk;
        uint32_t ptr[4] = {k->a0, k->a1, wd[32].val, wd[33].val};
        for (int j = 0; j < 4; j++) {
            uint32_t top = KILN_VM_STACK_TOP - 32u - ptr[j];
            C(U_PTR + 4 * j) = (ptr[j] & 0xffff) >> 2, C(U_PTR + 4 * j + 1) = ptr[j] >> 16;
            C(U_PTR + 4 * j + 2) = top & 0xffff, C(U_PTR + 4 * j + 3) = top >> 16;
        }
        put_vals(c, n, row, &v);
        for (int j = 0; j < 8; j++) {
            C(U_O + 2 * j) = wd[24 + j].prev & 0xffff, C(U_O + 2 * j + 1) = wd[24 + j].prev >> 16;
        }
        for (int j = 0; j < 24; j++) {
            const zk_word *img = zk_image_find(p, wd[j].addr);
            C(U_RW + j) = img ? img->w : 1; /* heap and stack words are writable */
        }
        for (int j = 0; j < 34; j++) {
            uint64_t ts = 4 * k->clk + (j < 8 ? 1 : j < 16 ? 2 : (j >= 24 && j < 32) ? 4 : 3);
            uint64_t e = ts - wd[j].pt - 1;
            if (wd[j].pt >= ts) return KILN_ERR_INTERNAL;
            C(U_PT + j) = wd[j].pt;
            C(U_E + 2 * j) = e & 0xffff, C(U_E + 2 * j + 1) = e >> 16;
        }
        if (!derive(c, n, row, &v, 1)) {
            ERR("internal: the u256 identity does not close (call at clk %llu)", (unsigned long long)k->clk);
            return KILN_ERR_INTERNAL;
        }
        row++;
    }
    u256_vals zero;
    memset(&zero, 0, sizeof zero);
    zero.op = 2;
    for (; row < n; row++)
        derive(c, n, row, &zero, 0); /* all zero: carries 0 (limbs cl = 0, ch = 2^5) */
    return KILN_OK;
}

kiln_status zk_count_u256_range(const kiln_zkvm_witness *w, uint64_t *mult, int tampered) {
    const uint64_t *c = w->cols[ZK_T_U256];
    size_t n = (size_t)1 << w->traces[ZK_T_U256].log_n;
    for (size_t row = 0; row < n; row++) {
        if (!C(U_SEL)) continue;
        uint64_t v[20 + 68 + 2 * ZK_U256_NC + ZK_U256_NQ + 2 * NL];
        size_t k = 0;
        for (int j = 0; j < 4; j++) {
            v[k++] = C(U_PTR + 4 * j);
            v[k++] = 4 * C(U_PTR + 4 * j);
            v[k++] = kiln_gl_sub(C(U_PTR + 4 * j + 1), KILN_ZKVM_SYS_MIN >> 16);
            v[k++] = C(U_PTR + 4 * j + 2);
            v[k++] = C(U_PTR + 4 * j + 3);
        }
        for (int j = 0; j < 68; j++)
            v[k++] = C(U_E + j);
        for (int j = 0; j < 2 * ZK_U256_NC; j++)
            v[k++] = C(U_C + j);
        for (int j = 0; j < ZK_U256_NQ; j++)
            v[k++] = C(U_Q + j);
        for (int j = 0; j < NL; j++)
            v[k++] = C(U_D + j), v[k++] = C(U_R + j);
        for (size_t j = 0; j < k; j++) {
            if (v[j] < 65536)
                mult[v[j]]++;
            else if (!tampered)
                return KILN_ERR_INTERNAL;
        }
    }
    return KILN_OK;
}

/* The ram row holding word addr written at ts gets its final value's limbs from the row's r (so the memory
 * argument balances and only the table's constraints can object). */
static int follow_final(kiln_zkvm_witness *w, const uint64_t *c, size_t n, size_t row) {
    uint64_t ts = 4 * C(U_CLK) + 4, base = 4 * C(U_PTR) + 65536 * C(U_PTR + 1), *m = w->cols[ZK_T_RAM];
    size_t nm = (size_t)1 << w->traces[ZK_T_RAM].log_n;
    int found = 0;
    for (int j = 0; j < 8; j++)
        for (size_t r = 0; r < nm; r++)
            if (m[(size_t)M_REAL * nm + r] && m[(size_t)M_ADDR * nm + r] == base + 4 * (uint64_t)j &&
                m[(size_t)M_FTS * nm + r] == ts) {
                m[(size_t)M_FLO * nm + r] = C(U_R + 2 * j), m[(size_t)M_FHI * nm + r] = C(U_R + 2 * j + 1);
                found++;
            }
    return found == 8;
}

int zk_tamper_u256(kiln_zkvm_witness *w, kiln_zkvm_tamper mode) {
    if (mode < KILN_ZKVM_TAMPER_U256_RESULT || mode > KILN_ZKVM_TAMPER_U256_LIMBS) return 0;
    uint64_t *c = w->cols[ZK_T_U256];
    size_t n = (size_t)1 << w->traces[ZK_T_U256].log_n, row = 0;
    if (!c[U_SEL * n]) return 0;
    while (row + 1 < n && c[U_SEL * n + row + 1]) /* the last call: its output is never read in zk_u256 */
        row++;
    u256_vals v;
    get_vals(c, n, row, &v);
    if (mode == KILN_ZKVM_TAMPER_U256_RESULT) {
        C(U_R) ^= 1; /* carries and d as they were: the limb identities must object */
        return follow_final(w, c, n, row);
    }
    if (mode == KILN_ZKVM_TAMPER_U256_LIMBS) {
        if (v.q[1] == 0) return 0;
        C(U_Q) += 65536;
        C(U_Q + 1) -= 1;
        return 1;
    }
    if (mode == KILN_ZKVM_TAMPER_U256_QUOTIENT) {
        if (v.q[0] == 0xffff) return 0;
        v.q[0]++;
        C(U_Q) = v.q[0];
        derive(c, n, row, &v, 1); /* carries as close as floor division gets */
        return 1;
    }
    /* r + m with q - 1: the identity holds exactly, only r < m (d's range lookups) can object. */
    uint32_t s = 0, qz = 1;
    for (int i = 0; i < NL; i++) {
        s += v.r[i] + v.m[i];
        v.r[i] = s & 0xffff;
        s >>= 16;
    }
    for (int i = 0; i < ZK_U256_NQ; i++)
        qz &= v.q[i] == 0;
    if (s || qz) return 0;
    for (int i = 0, br = 1; i < ZK_U256_NQ && br; i++) {
        br = v.q[i] == 0;
        v.q[i] = (v.q[i] - 1) & 0xffff;
    }
    put_vals(c, n, row, &v);
    if (derive(c, n, row, &v, 1) != 1) return 0;
    return follow_final(w, c, n, row);
}
