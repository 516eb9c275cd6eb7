/* FRI folding on the CPU: a two-level table of inverse domain points (about 2*sqrt(n/arity) entries, so the
 * inverses cost one multiplication each and no field inversion per point), then groups folded in parallel. */
#include <stdlib.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "fri_fold.h"

typedef struct {
    const uint64_t *in;
    uint64_t *out;
    const uint64_t *lo, *hi;
    kiln_fri_consts k;
} fold_job;

/* One loop per arity so the group's loops unroll with a constant trip count. */
#define KILN_FOLD_RANGE(NAME, LA)                                                                              \
    static void NAME(void *ctx, size_t begin, size_t end) {                                                    \
        const fold_job *j = (const fold_job *)ctx;                                                             \
        uint64_t mask = ((uint64_t)1 << j->k.h) - 1;                                                           \
        for (size_t i = begin; i < end; i++) {                                                                 \
            uint64_t e = kiln_bitrev(i, j->k.m);                                                           \
            uint64_t xinv = kiln_gl_mul(j->hi[e >> j->k.h], j->lo[e & mask]);                                  \
            kiln_gl2 r = kiln_fri_fold_group(j->in + i * (2u << (LA)), xinv, &j->k, (LA));                     \
            j->out[2 * i] = r.c0;                                                                              \
            j->out[2 * i + 1] = r.c1;                                                                          \
        }                                                                                                      \
    }
KILN_FOLD_RANGE(fold_range1, 1)
KILN_FOLD_RANGE(fold_range2, 2)
KILN_FOLD_RANGE(fold_range3, 3)

/* t[i] = start * step^i for i < len. */
static void fill_powers(uint64_t *t, size_t len, uint64_t start, uint64_t step) {
    uint64_t x = start;
    for (size_t i = 0; i < len; i++) {
        t[i] = x;
        x = kiln_gl_mul(x, step);
    }
}

/* Fallback when the table cannot be allocated (the CPU kernel's void signature has no failure path): each
 * inverse point by exponentiation, slower but the same result. */
static void fold_direct(void *ctx, size_t begin, size_t end) {
    const fold_job *j = (const fold_job *)ctx;
    unsigned a2 = 2u << j->k.log_arity;
    for (size_t i = begin; i < end; i++) {
        uint64_t e = kiln_bitrev(i, j->k.m);
        uint64_t xinv = kiln_gl_mul(j->hi[0], kiln_gl_pow(j->lo[0], e));
        kiln_gl2 r = kiln_fri_fold_group(j->in + i * a2, xinv, &j->k, j->k.log_arity);
        j->out[2 * i] = r.c0;
        j->out[2 * i + 1] = r.c1;
    }
}

void kiln_cpu_fri_fold(const uint64_t *in, uint64_t *out, unsigned log_n, unsigned log_arity, uint64_t shift,
                       kiln_gl2 beta) {
    fold_job j;
    j.in = in;
    j.out = out;
    kiln_fri_consts_init(&j.k, log_n, log_arity, beta);
    size_t nout = (size_t)1 << j.k.m;
    size_t nlo = (size_t)1 << j.k.h, nhi = (size_t)1 << (j.k.m - j.k.h);
    uint64_t wn_inv = kiln_gl_inv(kiln_gl_root_of_unity(log_n));
    uint64_t shift_inv = kiln_gl_inv(shift);
    uint64_t *tab = (uint64_t *)malloc((nlo + nhi) * sizeof(uint64_t));
    if (!tab) {
        uint64_t one[2] = {wn_inv, shift_inv};
        j.lo = &one[0];
        j.hi = &one[1];
        kiln_parallel_for(nout, 1024, fold_direct, &j);
        return;
    }
    /* lo[t] = w_n^-t, hi[t] = shift^-1 * w_n^-(t * 2^h). */
    fill_powers(tab, nlo, 1, wn_inv);
    fill_powers(tab + nlo, nhi, shift_inv, kiln_gl_pow(wn_inv, (uint64_t)nlo));
    j.lo = tab;
    j.hi = tab + nlo;
    kiln_range_fn fn = log_arity == 1 ? fold_range1 : log_arity == 2 ? fold_range2 : fold_range3;
    kiln_parallel_for(nout, 2048, fn, &j);
    free(tab);
}
