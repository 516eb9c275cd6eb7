/* Witness of the io and exit syscall tables (air_syscalls.c), the syscall tamper modes and the syscall
 * tables' range lookups. */
#include <stdlib.h>
#include <string.h>

#include "field/goldilocks.h"
#include "zkvm_sys.h"

static int io_kind(uint32_t num) {
    switch (num) {
    case KILN_SYS_INPUT_READ:
        return I_KR;
    case KILN_SYS_INPUT_LEN:
        return I_KL;
    case KILN_SYS_COMMIT:
        return I_KC;
    case KILN_SYS_DEBUG:
        return I_KD;
    case KILN_SYS_ADVICE:
        return I_KA;
    default:
        return -1;
    }
}

kiln_status zk_fill_io(const zk_sys_log *log, kiln_zkvm_witness *w) {
    size_t rows = 0;
    for (size_t i = 0; i < log->ncalls; i++)
        if (io_kind(log->calls[i].num) >= 0) rows += 1 + log->calls[i].count;
    unsigned lg = 2;
    while (((size_t)1 << lg) < rows)
        lg++;
    size_t n = (size_t)1 << lg, r = 0;
    uint64_t *c = (uint64_t *)calloc((size_t)I_NCOLS * n, 8);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    w->cols[ZK_T_IO] = c;
    w->traces[ZK_T_IO].log_n = lg;
#define IC(col) c[(size_t)(col)*n + r]
    for (size_t i = 0; i < log->ncalls; i++) {
        const zk_sys_call *k = &log->calls[i];
        int kind = io_kind(k->num);
        if (kind < 0) continue;
        uint64_t nw = k->count;
        IC(I_H) = 1, IC(kind) = 1, IC(I_CLK) = k->clk, IC(I_A0) = k->a0, IC(I_A1) = k->a1, IC(I_RES) = k->res;
        IC(I_NW) = nw, IC(I_CNT) = nw, IC(I_PTR) = k->a0;
        if (kind == I_KR || kind == I_KA) {
            uint64_t pad = 4 * nw - k->res, d = (uint64_t)k->a1 - k->res;
            if (pad > 3 || k->res > k->a1) return KILN_ERR_INTERNAL;
            IC(I_PB0) = pad & 1, IC(I_PB1) = pad >> 1, IC(I_DL) = d & 0xffff, IC(I_DH) = d >> 16;
            IC(I_Q1) = IC(I_PB0) | IC(I_PB1), IC(I_Q3) = IC(I_PB0) & IC(I_PB1);
        } else if (nw) {
            return KILN_ERR_INTERNAL;
        }
        r++;
        for (uint64_t j = 0; j < nw; j++, r++) {
            const zk_sys_word *wd = &log->words[k->first + j];
            uint64_t e = 4 * k->clk + 3 - wd->pt - 1;
            IC(I_W) = 1, IC(I_CLK) = k->clk, IC(I_CNT) = nw - 1 - j, IC(I_ADDR) = wd->addr,
            IC(I_PTR) = wd->addr + 4;
            IC(I_AQ) = (wd->addr & 0xffff) >> 2, IC(I_AHI) = wd->addr >> 16, IC(I_PT) = wd->pt;
            IC(I_EL) = e & 0xffff, IC(I_EH) = e >> 16;
            IC(I_OLO) = wd->prev & 0xffff, IC(I_OHI) = wd->prev >> 16;
            IC(I_NLO) = wd->val & 0xffff, IC(I_NHI) = wd->val >> 16;
            IC(I_PB0) = c[(size_t)I_PB0 * n + r - 1 - j], IC(I_PB1) = c[(size_t)I_PB1 * n + r - 1 - j];
            IC(I_Q1) = IC(I_PB0) | IC(I_PB1), IC(I_Q3) = IC(I_PB0) & IC(I_PB1);
            IC(I_Z) = j + 1 == nw, IC(I_CI) = j + 1 == nw ? 0 : kiln_gl_inv(nw - 1 - j);
            for (int b = 0; b < 4; b++) {
                uint32_t ob = (wd->prev >> (8 * b)) & 0xff, nb = (wd->val >> (8 * b)) & 0xff;
                IC(I_OB + b) = ob, IC(I_NB + b) = nb, IC(I_AN + b) = ob & nb;
            }
        }
    }
#undef IC
    return KILN_OK;
}

static uint64_t canon_inv(uint64_t v) {
    uint64_t hi = v >> 32;
    return hi == 0xffffffffu ? 0 : kiln_gl_inv(0xffffffffu - hi);
}

static void exit_cinv(uint64_t *c, size_t n, int k) {
    uint64_t e = 0;
    for (int j = 3; j >= 0; j--)
        e = e << 16 | c[(size_t)(X_W + 4 * k + j) * n];
    c[(size_t)(X_CINV + k) * n] = canon_inv(e);
}

kiln_status zk_fill_exit(const zk_sys_log *log, kiln_zkvm_witness *w, int last) {
    size_t n = 4;
    uint64_t *c = (uint64_t *)calloc((size_t)X_NCOLS * n, 8);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    w->cols[ZK_T_EXIT] = c;
    w->traces[ZK_T_EXIT].log_n = 2;
    if (last) {
        if (!log->ncalls || log->calls[log->ncalls - 1].num != KILN_SYS_EXIT) return KILN_ERR_INTERNAL;
        const zk_sys_call *k = &log->calls[log->ncalls - 1];
        c[X_SEL * n] = 1, c[X_CLK * n] = k->clk, c[X_A0 * n] = k->a0, c[X_A1 * n] = k->a1;
    }
    const zk_sys_call *k = NULL; /* the segment's io_digest call (the VM allows one per run) */
    for (size_t i = 0; i < log->ncalls; i++)
        if (log->calls[i].num == KILN_SYS_IO_DIGEST) {
            if (k) return KILN_ERR_INTERNAL;
            k = &log->calls[i];
        }
    if (!k) return KILN_OK;
    if (k->count != 16) return KILN_ERR_INTERNAL;
    uint64_t top = KILN_VM_STACK_TOP - 64u - k->a0, ts = 4 * k->clk + 3;
    c[X_C * n] = 1, c[X_DCLK * n] = k->clk, c[X_DA1 * n] = k->a1;
    c[X_PQ * n] = (k->a0 & 0xffff) >> 2, c[X_PHI * n] = k->a0 >> 16;
    c[X_TL * n] = top & 0xffff, c[X_TH * n] = top >> 16;
    for (int i = 0; i < 16; i++) {
        const zk_sys_word *wd = &log->words[k->first + (size_t)i];
        uint64_t e = ts - wd->pt - 1;
        c[(size_t)(X_W + 2 * i) * n] = wd->prev & 0xffff, c[(size_t)(X_W + 2 * i + 1) * n] = wd->prev >> 16;
        c[(size_t)(X_PT + i) * n] = wd->pt;
        c[(size_t)(X_E + 2 * i) * n] = e & 0xffff, c[(size_t)(X_E + 2 * i + 1) * n] = e >> 16;
    }
    for (int e = 0; e < 8; e++)
        exit_cinv(c, n, e);
    return KILN_OK;
}

int zk_tamper_sys(kiln_zkvm_witness *w, kiln_zkvm_tamper mode) {
    uint64_t *x = w->cols[ZK_T_EXIT];
    switch (mode) {
    case KILN_ZKVM_TAMPER_P2_OUTPUT:
    case KILN_ZKVM_TAMPER_P2_ROUND:
        return zk_tamper_p2(w, mode);
    case KILN_ZKVM_TAMPER_PUB_OUTPUT:
        w->pub[KILN_ZKVM_PUB_OUTPUT_HASH] = kiln_gl_add(w->pub[KILN_ZKVM_PUB_OUTPUT_HASH], 1);
        return 1;
    case KILN_ZKVM_TAMPER_EXIT_DIGEST: {
        /* The first output-hash word read by io_digest differs from memory; the public value follows it, so
         * only the memory argument can tell. */
        if (!x[X_C * 4] || (x[(size_t)(X_W + 18) * 4] == 0xffff && x[(size_t)(X_W + 19) * 4] == 0xffff))
            return 0;
        x[(size_t)(X_W + 16) * 4] ^= 1;
        exit_cinv(x, 4, 4);
        uint64_t e = 0;
        for (int j = 3; j >= 0; j--)
            e = e << 16 | x[(size_t)(X_W + 16 + j) * 4];
        w->pub[KILN_ZKVM_PUB_OUTPUT_HASH] = e;
        return 1;
    }
    case KILN_ZKVM_TAMPER_ADVICE_WORD: {
        uint64_t *c = w->cols[ZK_T_IO];
        size_t n = (size_t)1 << w->traces[ZK_T_IO].log_n;
        int advice = 0;
        for (size_t r = 0; r < n; r++) {
            if (c[(size_t)I_H * n + r]) advice = c[(size_t)I_KA * n + r] != 0;
            if (!c[(size_t)I_W * n + r] || !advice) continue;
            uint64_t nb = c[(size_t)I_NB * n + r] ^ 1;
            c[(size_t)I_NB * n + r] = nb;
            c[(size_t)I_AN * n + r] = nb & c[(size_t)I_OB * n + r];
            c[(size_t)I_NLO * n + r] = nb + 256 * c[(size_t)(I_NB + 1) * n + r];
            return 1;
        }
        return 0;
    }
    case KILN_ZKVM_TAMPER_IO_TAIL: {
        uint64_t *c = w->cols[ZK_T_IO];
        size_t n = (size_t)1 << w->traces[ZK_T_IO].log_n;
        for (size_t r = 0; r < n; r++)
            if (c[(size_t)I_Z * n + r] && c[(size_t)I_Q1 * n + r]) { /* byte 3 must be kept */
                uint64_t nb = c[(size_t)(I_NB + 3) * n + r] ^ 1;
                c[(size_t)(I_NB + 3) * n + r] = nb;
                c[(size_t)(I_AN + 3) * n + r] = nb & c[(size_t)(I_OB + 3) * n + r];
                c[(size_t)I_NHI * n + r] = c[(size_t)(I_NB + 2) * n + r] + 256 * nb;
                /* When nothing reads the word later, the ram table's final value follows: then only the
                 * tail constraint can catch it. */
                uint64_t ts = 4 * c[(size_t)I_CLK * n + r] + 3, *m = w->cols[ZK_T_RAM];
                size_t nm = (size_t)1 << w->traces[ZK_T_RAM].log_n;
                for (size_t k = 0; k < nm; k++)
                    if (m[(size_t)M_REAL * nm + k] &&
                        m[(size_t)M_ADDR * nm + k] == c[(size_t)I_ADDR * n + r] &&
                        m[(size_t)M_FTS * nm + k] == ts)
                        m[(size_t)M_FHI * nm + k] = c[(size_t)I_NHI * n + r];
                return 1;
            }
        return 0;
    }
    default:
        return 0;
    }
}

/* Adds one lookup value to the range multiplicities; -1 when it is not a 16-bit value. */
static int add(uint64_t *mult, uint64_t v) {
    if (v >= 65536) return -1;
    mult[v]++;
    return 0;
}

kiln_status zk_count_sys_range(const kiln_zkvm_witness *w, uint64_t *mult, uint64_t *amult) {
    uint64_t v[128];
    const uint64_t *c = w->cols[ZK_T_P2];
    size_t n = (size_t)1 << w->traces[ZK_T_P2].log_n;
    for (size_t r = 0; r < n; r++) {
        size_t k = zk_p2_lookups(c, n, r, v);
        for (size_t i = 0; i < k; i++)
            if (add(mult, v[i])) return KILN_ERR_INTERNAL;
    }
    c = w->cols[ZK_T_IO];
    n = (size_t)1 << w->traces[ZK_T_IO].log_n;
    for (size_t r = 0; r < n; r++) {
#define IC(col) c[(size_t)(col)*n + r]
        if (IC(I_H) && (add(mult, IC(I_NW)) || add(mult, IC(I_DL)) || add(mult, IC(I_DH))))
            return KILN_ERR_INTERNAL;
        if (IC(I_W) &&
            (add(mult, IC(I_AQ)) || add(mult, 4 * IC(I_AQ)) ||
             add(mult, kiln_gl_sub(IC(I_AHI), KILN_ZKVM_SYS_MIN >> 16)) ||
             add(mult, kiln_gl_sub(0x7fff, IC(I_AHI))) || add(mult, IC(I_EL)) || add(mult, IC(I_EH))))
            return KILN_ERR_INTERNAL;
        for (int b = 0; b < 4 && IC(I_W); b++) { /* AND-table rows are x + 256 y */
            if (IC(I_OB + b) >= 256 || IC(I_NB + b) >= 256) return KILN_ERR_INTERNAL;
            amult[IC(I_OB + b) + 256 * IC(I_NB + b)]++;
        }
#undef IC
    }
    c = w->cols[ZK_T_EXIT];
    n = (size_t)1 << w->traces[ZK_T_EXIT].log_n;
    for (size_t r = 0; r < n; r++) {
#define XC(col) c[(size_t)(col)*n + r]
        if (!XC(X_C)) continue;
        if (add(mult, XC(X_PQ)) || add(mult, 4 * XC(X_PQ)) ||
            add(mult, kiln_gl_sub(XC(X_PHI), KILN_ZKVM_SYS_MIN >> 16)) || add(mult, XC(X_TL)) ||
            add(mult, XC(X_TH)))
            return KILN_ERR_INTERNAL;
        for (int i = 0; i < 32; i++)
            if (add(mult, XC(X_E + i))) return KILN_ERR_INTERNAL;
#undef XC
    }
    return KILN_OK;
}
