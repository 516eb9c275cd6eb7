/* CPU DEEP quotient accumulation: per block of rows, column-wise linear combinations (cache-friendly on
 * column-major matrices; eight rows per AVX-512 operation in native builds, lazy 192-bit sums otherwise) and
 * one Montgomery batch inversion of the two denominators. */
#include <stdlib.h>
#include <string.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "../field/goldilocks_x8.h"
#include "air_kernels.h"

#define DBLK 256

typedef struct {
    const kiln_deep_args *a;
    const kiln_raw_mat *m;
    const uint64_t *lo, *hi;
    uint64_t *out;
    size_t M;
} d_ctx;

static void inv_ext_block(kiln_gl2 *v, size_t n) {
    kiln_gl2 pre[DBLK], acc = kiln_gl2_make(1, 0);
    for (size_t i = 0; i < n; i++) {
        pre[i] = acc;
        if (!kiln_gl2_is_zero(v[i])) acc = kiln_gl2_mul(acc, v[i]);
    }
    kiln_gl2 inv = kiln_gl2_inv(acc);
    for (size_t i = n; i-- > 0;) {
        if (kiln_gl2_is_zero(v[i])) continue;
        kiln_gl2 t = kiln_gl2_mul(inv, pre[i]);
        inv = kiln_gl2_mul(inv, v[i]);
        v[i] = t;
    }
}

/* Lazy accumulation: sums of 64x64-bit products kept as 192-bit (lo, mid, hi) and reduced once per row, so a
 * column costs one multiplication per coefficient limb instead of a multiplication and a reduction. */
typedef struct {
    uint64_t lo, mid, hi;
} acc192;

static inline void acc_mac(acc192 *a, uint64_t x, uint64_t y) {
    unsigned __int128 p = (unsigned __int128)x * y;
    uint64_t pl = (uint64_t)p, ph = (uint64_t)(p >> 64);
    a->lo += pl;
    uint64_t c = a->lo < pl;
    uint64_t m = a->mid + ph;
    a->hi += (m < ph);
    a->mid = m + c;
    a->hi += (a->mid < c);
}

/* 2^128 mod p = p - 2^32. */
static inline uint64_t acc_reduce(const acc192 *a) {
    uint64_t r = kiln_gl_reduce128(a->lo, a->mid);
    return kiln_gl_add(r, kiln_gl_mul(kiln_gl_reduce64(a->hi), 0xFFFFFFFE00000001ULL));
}

static void d_range(void *vctx, size_t begin, size_t end) {
    d_ctx *c = (d_ctx *)vctx;
    const kiln_deep_args *a = c->a;
    unsigned h = (a->log_m + 1) / 2;
    size_t mask = ((size_t)1 << h) - 1;
    acc192 acc[4][DBLK];
    uint64_t vacc[4][DBLK]; /* the four sums per row, canonical */
    kiln_gl2 s1[DBLK], s2[DBLK], d1[DBLK], d2[DBLK];
    for (size_t blk = begin; blk < end; blk++) {
        size_t i0 = blk * DBLK, cnt = c->M - i0 < DBLK ? c->M - i0 : DBLK;
        int vec = 0;
#if KILN_V_NATIVE
        /* Eight rows per AVX-512 operation with canonical sums (goldilocks_x8.h): the same field values as the
         * scalar lazy sums below, for contiguous columns and whole lane groups. */
        vec = cnt % KILN_V_LANES == 0;
        for (size_t k = 0; k < a->nmats && vec; k++) vec = c->m[k].row_stride == 1 || c->m[k].ncols == 0;
        if (vec) {
            memset(vacc, 0, sizeof vacc);
            size_t ci = 0;
            for (size_t k = 0; k < a->nmats; k++) {
                const kiln_raw_mat *m = &c->m[k];
                for (size_t col = 0; col < m->ncols; col++, ci++) {
                    kiln_gl2 cz = a->coef_z[ci], czg = a->coef_zg[ci];
                    const uint64_t *p = m->p + col * m->col_stride + i0;
                    kiln_v z0 = kiln_v_set1(cz.c0), z1 = kiln_v_set1(cz.c1);
                    if (!kiln_gl2_is_zero(czg)) {
                        kiln_v g0 = kiln_v_set1(czg.c0), g1 = kiln_v_set1(czg.c1);
                        for (size_t r = 0; r < cnt; r += KILN_V_LANES) {
                            __builtin_prefetch(p + DBLK + r); /* the next block's rows of this column */
                            kiln_v v = kiln_v_load(p + r);
                            kiln_v_store(&vacc[0][r], kiln_v_add(kiln_v_load(&vacc[0][r]), kiln_v_mul(z0, v)));
                            kiln_v_store(&vacc[1][r], kiln_v_add(kiln_v_load(&vacc[1][r]), kiln_v_mul(z1, v)));
                            kiln_v_store(&vacc[2][r], kiln_v_add(kiln_v_load(&vacc[2][r]), kiln_v_mul(g0, v)));
                            kiln_v_store(&vacc[3][r], kiln_v_add(kiln_v_load(&vacc[3][r]), kiln_v_mul(g1, v)));
                        }
                    } else {
                        for (size_t r = 0; r < cnt; r += KILN_V_LANES) {
                            __builtin_prefetch(p + DBLK + r); /* the next block's rows of this column */
                            kiln_v v = kiln_v_load(p + r);
                            kiln_v_store(&vacc[0][r], kiln_v_add(kiln_v_load(&vacc[0][r]), kiln_v_mul(z0, v)));
                            kiln_v_store(&vacc[1][r], kiln_v_add(kiln_v_load(&vacc[1][r]), kiln_v_mul(z1, v)));
                        }
                    }
                }
            }
        }
#endif
        if (!vec) {
            memset(acc, 0, sizeof acc);
            size_t ci = 0;
            for (size_t k = 0; k < a->nmats; k++) {
                const kiln_raw_mat *m = &c->m[k];
                for (size_t col = 0; col < m->ncols; col++, ci++) {
                    kiln_gl2 cz = a->coef_z[ci], czg = a->coef_zg[ci];
                    const uint64_t *p = m->p + col * m->col_stride + i0 * m->row_stride;
                    size_t rs = m->row_stride;
                    if (!kiln_gl2_is_zero(czg)) {
                        for (size_t r = 0; r < cnt; r++) {
                            uint64_t v = p[r * rs];
                            acc_mac(&acc[0][r], cz.c0, v);
                            acc_mac(&acc[1][r], cz.c1, v);
                            acc_mac(&acc[2][r], czg.c0, v);
                            acc_mac(&acc[3][r], czg.c1, v);
                        }
                    } else {
                        for (size_t r = 0; r < cnt; r++) {
                            uint64_t v = p[r * rs];
                            acc_mac(&acc[0][r], cz.c0, v);
                            acc_mac(&acc[1][r], cz.c1, v);
                        }
                    }
                }
            }
            for (size_t q = 0; q < 4; q++)
                for (size_t r = 0; r < cnt; r++) vacc[q][r] = acc_reduce(&acc[q][r]);
        }
        for (size_t r = 0; r < cnt; r++) {
            s1[r] = kiln_gl2_sub(kiln_gl2_make(vacc[0][r], vacc[1][r]), a->sum_z);
            s2[r] = kiln_gl2_sub(kiln_gl2_make(vacc[2][r], vacc[3][r]), a->sum_zg);
            uint64_t e = kiln_bitrev(i0 + r, a->log_m);
            uint64_t x = kiln_gl_mul(a->shift, kiln_gl_mul(c->hi[e >> h], c->lo[e & mask]));
            d1[r] = kiln_gl2_sub(kiln_gl2_from_base(x), a->z);
            d2[r] = kiln_gl2_sub(kiln_gl2_from_base(x), a->zg);
        }
        inv_ext_block(d1, cnt);
        inv_ext_block(d2, cnt);
        for (size_t r = 0; r < cnt; r++) {
            kiln_gl2 v = kiln_gl2_add(kiln_gl2_mul(s1[r], d1[r]), kiln_gl2_mul(s2[r], d2[r]));
            uint64_t *o = c->out + 2 * (i0 + r);
            if (a->accumulate) v = kiln_gl2_add(v, kiln_gl2_make(o[0], o[1]));
            o[0] = v.c0;
            o[1] = v.c1;
        }
    }
}

kiln_status kiln_cpu_deep_accumulate(const kiln_deep_args *a, const kiln_raw_mat *mats, uint64_t *out) {
    unsigned h = (a->log_m + 1) / 2;
    uint64_t *lo = (uint64_t *)malloc(((size_t)1 << h) * 8), *hi = (uint64_t *)malloc(((size_t)1 << (a->log_m - h)) * 8);
    if (!lo || !hi) {
        free(lo);
        free(hi);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    kiln_pow_tables(a->log_m, lo, hi);
    d_ctx c;
    c.a = a;
    c.m = mats;
    c.lo = lo;
    c.hi = hi;
    c.out = out;
    c.M = (size_t)1 << a->log_m;
    kiln_parallel_for((c.M + DBLK - 1) / DBLK, 4, d_range, &c);
    free(lo);
    free(hi);
    return KILN_OK;
}
