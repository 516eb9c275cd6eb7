/* CPU bytecode constraint evaluator: interprets the program over blocks of rows, so each instruction's
 * dispatch is paid once per block, with the block's registers in structure-of-arrays form so each instruction
 * is a loop of eight-lane AVX-512 field operations in native builds (goldilocks_x8.h; scalar elsewhere, same
 * results); boundary denominators are inverted per block with Montgomery's trick. */
#include <stdlib.h>
#include <string.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "../field/goldilocks_x8.h"
#include "air_kernels.h"

#define BLK 32

int kiln_expr_program_ok(const kiln_expr_quotient_args *a, size_t main_cols, size_t aux_cols, size_t pre_cols) {
    if (!a->code || a->nregs == 0 || a->nregs > (1u << 20)) return 0;
    for (size_t k = 0; k < a->nperiodic; k++) {
        if (a->periodic_log[k] > 30) return 0;
        size_t len = (size_t)1 << a->periodic_log[k];
        if (a->periodic_off[k] > a->periodic_words || len > a->periodic_words - a->periodic_off[k]) return 0;
    }
    for (size_t i = 0; i < a->ninstr; i++) {
        const kiln_expr_instr *in = &a->code[i];
        if (in->op >= KILN_OP_COUNT) return 0;
        if (in->op != KILN_OP_ACC && in->dst >= a->nregs) return 0;
        switch (in->op) {
        case KILN_OP_LD_MAIN:
            if (in->a >= main_cols || in->b > 1) return 0;
            break;
        case KILN_OP_LD_AUX:
            if ((size_t)in->a * 2 + 1 >= aux_cols || in->b > 1) return 0;
            break;
        case KILN_OP_LD_PRE:
            if (in->a >= pre_cols || in->b > 1) return 0;
            break;
        case KILN_OP_LD_PER:
            if (in->a >= a->nperiodic) return 0;
            break;
        case KILN_OP_LD_CONST:
            if (in->a >= a->nconsts) return 0;
            break;
        case KILN_OP_NEG_B:
        case KILN_OP_NEG_E:
            if (in->a >= a->nregs) return 0;
            break;
        case KILN_OP_ACC:
            if (in->dst > 3 || in->a >= a->nregs || in->b >= a->nconsts) return 0;
            break;
        default:
            if (in->a >= a->nregs || in->b >= a->nregs) return 0;
        }
    }
    return 1;
}

void kiln_pow_tables(unsigned log_m, uint64_t *lo, uint64_t *hi) {
    unsigned h = (log_m + 1) / 2;
    uint64_t w = kiln_gl_root_of_unity(log_m);
    size_t nlo = (size_t)1 << h, nhi = (size_t)1 << (log_m - h);
    lo[0] = 1;
    for (size_t k = 1; k < nlo; k++) lo[k] = kiln_gl_mul(lo[k - 1], w);
    uint64_t step = kiln_gl_pow(w, (uint64_t)nlo);
    hi[0] = 1;
    for (size_t k = 1; k < nhi; k++) hi[k] = kiln_gl_mul(hi[k - 1], step);
}

typedef struct {
    const kiln_expr_quotient_args *a;
    kiln_raw_mat m[3];
    const uint64_t *lo, *hi;
    const uint64_t *zinv; /* B values 1/(x^n - 1) by bitrev(i) mod B */
    uint64_t glast;       /* g^(n-1) */
    int need_first, need_last;
    uint64_t *out;
    size_t M;
    unsigned log_m;
    int failed;
} q_ctx;

/* Montgomery batch inversion of n nonzero-or-zero base elements in place (zeros stay zero). */
static void inv_block(uint64_t *v, size_t n) {
    uint64_t pre[BLK], acc = 1;
    for (size_t i = 0; i < n; i++) {
        pre[i] = acc;
        if (v[i]) acc = kiln_gl_mul(acc, v[i]);
    }
    uint64_t inv = kiln_gl_inv(acc);
    for (size_t i = n; i-- > 0;) {
        if (!v[i]) continue;
        uint64_t t = kiln_gl_mul(inv, pre[i]);
        inv = kiln_gl_mul(inv, v[i]);
        v[i] = t;
    }
}

/* Registers in structure-of-arrays form: register k's c0 for the block's rows at regs[2k * BLK], its c1 at
 * regs[(2k + 1) * BLK]. Every instruction runs over all BLK lanes (rows past the end of the LDE repeat the
 * block's first row and are not written out), in lane groups of KILN_V_LANES (goldilocks_x8.h: eight rows per
 * AVX-512 operation in native builds, one row otherwise). Within a lane group all sources are loaded before
 * the destination is stored, so dst may alias a source. */
#define LANE_LOOP for (size_t r = 0; r < BLK; r += KILN_V_LANES)

/* dst[r] = col[idx[r] * stride]; a straight copy when the rows are consecutive and the column contiguous.
 * The copy also prefetches the same rows + BLK, which the next block usually reads: the program reads ~100
 * columns a few cache lines at a time, too many streams for the hardware prefetcher, and these loads were the
 * evaluator's largest cost. */
static void load_col(uint64_t *dst, const uint64_t *col, const size_t *idx, int contig, size_t stride) {
    if (contig && stride == 1) {
        const uint64_t *src = col + idx[0];
        for (size_t k = 0; k < BLK; k += 8) __builtin_prefetch(src + BLK + k);
        memcpy(dst, src, BLK * sizeof(uint64_t));
    } else
        for (size_t r = 0; r < BLK; r++) dst[r] = col[idx[r] * stride];
}

static void q_range(void *vctx, size_t begin, size_t end) {
    q_ctx *c = (q_ctx *)vctx;
    const kiln_expr_quotient_args *a = c->a;
    uint64_t *regs = (uint64_t *)malloc((size_t)a->nregs * 2 * BLK * sizeof(uint64_t));
    if (!regs) {
        __atomic_store_n(&c->failed, 1, __ATOMIC_RELAXED);
        return;
    }
    unsigned h = (c->log_m + 1) / 2;
    size_t mask_lo = ((size_t)1 << h) - 1, B = (size_t)1 << a->log_blowup;
    const kiln_v zero = kiln_v_zero();
    for (size_t blk = begin; blk < end; blk++) {
        size_t i0 = blk * BLK, cnt = c->M - i0 < BLK ? c->M - i0 : BLK;
        size_t rows[BLK], nexts[BLK];
        uint64_t xs[BLK], ifirst[BLK], ilast[BLK];
        uint64_t acc[4][2][BLK];
        memset(acc, 0, sizeof acc);
        for (size_t r = 0; r < cnt; r++) {
            size_t i = i0 + r;
            uint64_t e = kiln_bitrev(i, c->log_m);
            rows[r] = i;
            nexts[r] = (size_t)kiln_bitrev((e + B) & (c->M - 1), c->log_m);
            xs[r] = kiln_gl_mul(a->shift, kiln_gl_mul(c->hi[e >> h], c->lo[e & mask_lo]));
            ifirst[r] = kiln_gl_sub(xs[r], 1);
            ilast[r] = kiln_gl_sub(xs[r], c->glast);
        }
        for (size_t r = cnt; r < BLK; r++) {
            rows[r] = rows[0];
            nexts[r] = nexts[0];
        }
        int rows_contig = cnt == BLK, next_contig = cnt == BLK;
        for (size_t r = 1; r < BLK && next_contig; r++) next_contig = nexts[r] == nexts[0] + r;
        if (c->need_first) inv_block(ifirst, cnt);
        if (c->need_last) inv_block(ilast, cnt);
        for (size_t k = 0; k < a->ninstr; k++) {
            const kiln_expr_instr *in = &a->code[k];
            uint64_t *d0 = regs + (size_t)in->dst * 2 * BLK, *d1 = d0 + BLK;
            const uint64_t *x0 = regs + (size_t)in->a * 2 * BLK, *x1 = x0 + BLK;
            const uint64_t *y0 = regs + (size_t)in->b * 2 * BLK, *y1 = y0 + BLK;
            const size_t *idx = in->b ? nexts : rows;
            int contig = in->b ? next_contig : rows_contig;
            switch (in->op) {
            case KILN_OP_LD_MAIN:
            case KILN_OP_LD_PRE: {
                const kiln_raw_mat *m = &c->m[in->op == KILN_OP_LD_MAIN ? 0 : 2];
                load_col(d0, m->p + in->a * m->col_stride, idx, contig, m->row_stride);
                memset(d1, 0, BLK * sizeof(uint64_t));
                break;
            }
            case KILN_OP_LD_AUX: {
                const kiln_raw_mat *m = &c->m[1];
                const uint64_t *c0 = m->p + (size_t)(2 * in->a) * m->col_stride;
                load_col(d0, c0, idx, contig, m->row_stride);
                load_col(d1, c0 + m->col_stride, idx, contig, m->row_stride);
                break;
            }
            case KILN_OP_LD_PER: {
                const uint64_t *t = a->periodic + a->periodic_off[in->a];
                uint64_t pm = ((uint64_t)1 << a->periodic_log[in->a]) - 1;
                for (size_t r = 0; r < BLK; r++) d0[r] = t[kiln_bitrev(rows[r], c->log_m) & pm];
                memset(d1, 0, BLK * sizeof(uint64_t));
                break;
            }
            case KILN_OP_LD_CONST: {
                kiln_gl2 v = a->consts[in->a];
                for (size_t r = 0; r < BLK; r++) {
                    d0[r] = v.c0;
                    d1[r] = v.c1;
                }
                break;
            }
            case KILN_OP_ADD_B:
                LANE_LOOP {
                    kiln_v_store(d0 + r, kiln_v_add(kiln_v_load(x0 + r), kiln_v_load(y0 + r)));
                    kiln_v_store(d1 + r, zero);
                }
                break;
            case KILN_OP_SUB_B:
                LANE_LOOP {
                    kiln_v_store(d0 + r, kiln_v_sub(kiln_v_load(x0 + r), kiln_v_load(y0 + r)));
                    kiln_v_store(d1 + r, zero);
                }
                break;
            case KILN_OP_MUL_B:
                LANE_LOOP {
                    kiln_v_store(d0 + r, kiln_v_mul(kiln_v_load(x0 + r), kiln_v_load(y0 + r)));
                    kiln_v_store(d1 + r, zero);
                }
                break;
            case KILN_OP_NEG_B:
                LANE_LOOP {
                    kiln_v_store(d0 + r, kiln_v_neg(kiln_v_load(x0 + r)));
                    kiln_v_store(d1 + r, zero);
                }
                break;
            case KILN_OP_ADD_E:
                LANE_LOOP {
                    kiln_v s0 = kiln_v_add(kiln_v_load(x0 + r), kiln_v_load(y0 + r));
                    kiln_v s1 = kiln_v_add(kiln_v_load(x1 + r), kiln_v_load(y1 + r));
                    kiln_v_store(d0 + r, s0);
                    kiln_v_store(d1 + r, s1);
                }
                break;
            case KILN_OP_SUB_E:
                LANE_LOOP {
                    kiln_v s0 = kiln_v_sub(kiln_v_load(x0 + r), kiln_v_load(y0 + r));
                    kiln_v s1 = kiln_v_sub(kiln_v_load(x1 + r), kiln_v_load(y1 + r));
                    kiln_v_store(d0 + r, s0);
                    kiln_v_store(d1 + r, s1);
                }
                break;
            case KILN_OP_MUL_E:
                LANE_LOOP {
                    kiln_v a0 = kiln_v_load(x0 + r), a1 = kiln_v_load(x1 + r);
                    kiln_v b0 = kiln_v_load(y0 + r), b1 = kiln_v_load(y1 + r);
                    kiln_v p0 = kiln_v_add(kiln_v_mul(a0, b0), kiln_v_mul7(kiln_v_mul(a1, b1)));
                    kiln_v p1 = kiln_v_add(kiln_v_mul(a0, b1), kiln_v_mul(a1, b0));
                    kiln_v_store(d0 + r, p0);
                    kiln_v_store(d1 + r, p1);
                }
                break;
            case KILN_OP_MUL_EB:
                LANE_LOOP {
                    kiln_v b = kiln_v_load(y0 + r);
                    kiln_v p0 = kiln_v_mul(kiln_v_load(x0 + r), b), p1 = kiln_v_mul(kiln_v_load(x1 + r), b);
                    kiln_v_store(d0 + r, p0);
                    kiln_v_store(d1 + r, p1);
                }
                break;
            case KILN_OP_NEG_E:
                LANE_LOOP {
                    kiln_v n0 = kiln_v_neg(kiln_v_load(x0 + r)), n1 = kiln_v_neg(kiln_v_load(x1 + r));
                    kiln_v_store(d0 + r, n0);
                    kiln_v_store(d1 + r, n1);
                }
                break;
            case KILN_OP_ACC: {
                kiln_gl2 coef = a->consts[in->b];
                kiln_v k0 = kiln_v_set1(coef.c0), k1 = kiln_v_set1(coef.c1), k17 = kiln_v_set1(kiln_gl_mul7(coef.c1));
                uint64_t *s0 = acc[in->dst][0], *s1 = acc[in->dst][1];
                LANE_LOOP {
                    kiln_v v0 = kiln_v_load(x0 + r), v1 = kiln_v_load(x1 + r);
                    kiln_v p0 = kiln_v_add(kiln_v_mul(k0, v0), kiln_v_mul(k17, v1));
                    kiln_v p1 = kiln_v_add(kiln_v_mul(k0, v1), kiln_v_mul(k1, v0));
                    kiln_v_store(s0 + r, kiln_v_add(kiln_v_load(s0 + r), p0));
                    kiln_v_store(s1 + r, kiln_v_add(kiln_v_load(s1 + r), p1));
                }
                break;
            }
            default: break;
            }
        }
        for (size_t r = 0; r < cnt; r++) {
            uint64_t zi = c->zinv[kiln_bitrev(rows[r], c->log_m) & (B - 1)];
            kiln_gl2 q = kiln_gl2_mul_base(kiln_gl2_make(acc[0][0][r], acc[0][1][r]), kiln_gl_mul(kiln_gl_sub(xs[r], c->glast), zi));
            q = kiln_gl2_add(q, kiln_gl2_mul_base(kiln_gl2_make(acc[3][0][r], acc[3][1][r]), zi));
            if (c->need_first) q = kiln_gl2_add(q, kiln_gl2_mul_base(kiln_gl2_make(acc[1][0][r], acc[1][1][r]), ifirst[r]));
            if (c->need_last) q = kiln_gl2_add(q, kiln_gl2_mul_base(kiln_gl2_make(acc[2][0][r], acc[2][1][r]), ilast[r]));
            c->out[rows[r]] = q.c0;
            c->out[c->M + rows[r]] = q.c1;
        }
    }
    free(regs);
}

kiln_status kiln_cpu_expr_quotient(const kiln_expr_quotient_args *a, const kiln_raw_mat *mats, uint64_t *out) {
    unsigned log_m = a->log_n + a->log_blowup;
    size_t M = (size_t)1 << log_m, B = (size_t)1 << a->log_blowup, n = (size_t)1 << a->log_n;
    unsigned h = (log_m + 1) / 2;
    uint64_t *lo = (uint64_t *)malloc(((size_t)1 << h) * 8), *hi = (uint64_t *)malloc(((size_t)1 << (log_m - h)) * 8);
    uint64_t *zinv = (uint64_t *)malloc(B * 8);
    if (!lo || !hi || !zinv) {
        free(lo);
        free(hi);
        free(zinv);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    kiln_pow_tables(log_m, lo, hi);
    /* x^n over the coset takes B values: shift^n * w_B^k, k = bitrev(i) mod B. */
    uint64_t sn = kiln_gl_pow(a->shift, n), wb = kiln_gl_root_of_unity(a->log_blowup), p = sn;
    for (size_t k = 0; k < B; k++) {
        zinv[k] = kiln_gl_inv(kiln_gl_sub(p, 1));
        p = kiln_gl_mul(p, wb);
    }
    q_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    for (int k = 0; k < 3; k++) c.m[k] = mats[k];
    c.lo = lo;
    c.hi = hi;
    c.zinv = zinv;
    c.glast = kiln_gl_pow(kiln_gl_root_of_unity(a->log_n), n - 1);
    for (size_t k = 0; k < a->ninstr; k++)
        if (a->code[k].op == KILN_OP_ACC) {
            if (a->code[k].dst == 1) c.need_first = 1;
            if (a->code[k].dst == 2) c.need_last = 1;
        }
    c.out = out;
    c.M = M;
    c.log_m = log_m;
    kiln_parallel_for((M + BLK - 1) / BLK, 8, q_range, &c);
    free(lo);
    free(hi);
    free(zinv);
    return c.failed ? KILN_ERR_OUT_OF_MEMORY : KILN_OK;
}
