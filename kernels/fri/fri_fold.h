/* FRI folding math shared by fri_cpu.c and fri_cuda.cu (internal to kernels/fri): one implementation of the
 * per-group fold for host and device.
 *
 * Layout: in holds f on shift*<w_n> in bit-reversed order. Group i (elements a*i .. a*i + a-1, a = 2^k) holds
 * f at x0 * w_a^s, where x0 = shift * w_n^e, e = bitrev_m(i), m = log_n - k, and x0^a is output point i.
 * The fold runs as k fold-by-2 levels (beta, beta^2, beta^4): at level l the pair u of the group sits at
 * +-x0^(2^l) * w_(a>>l)^bitrev_(k-l-1)(u), so its inverse point is xinv^(2^l) times a small constant. Each
 * level skips the 1/2; the result is halved k times at the end.
 *
 * xinv = shift^-1 * w_n^-e comes from a two-level table: hi[e >> h] * lo[e & (2^h - 1)], with shift^-1 folded
 * into hi. */
#ifndef KILN_FRI_FOLD_H
#define KILN_FRI_FOLD_H

#include <stdint.h>

#include "../common/bits.h"
#include "../field/goldilocks_ext2.h"

/* Constants of one fold call (passed by value to device kernels). */
typedef struct kiln_fri_consts {
    kiln_gl2 beta[3]; /* beta, beta^2, beta^4 */
    uint64_t c0[4];   /* level 0: w_a^-bitrev_(k-1)(u), u < a/2 */
    uint64_t c1[2];   /* level 1 (a >= 4): w_(a/2)^-bitrev_(k-2)(u), u < a/4 */
    unsigned log_arity, m, h;
} kiln_fri_consts;

/* x / 2 in the field: (p + 1) / 2 = 0x7FFFFFFF80000001 added for odd x stays below p. */
KILN_HD uint64_t kiln_fri_halve(uint64_t x) { return (x >> 1) + ((x & 1) ? 0x7FFFFFFF80000001ULL : 0); }


/* (a + b) + beta * (a - b) * xinv: a fold-by-2 without the 1/2. */
KILN_HD kiln_gl2 kiln_fri_pair(kiln_gl2 a, kiln_gl2 b, uint64_t xinv, kiln_gl2 beta) {
    kiln_gl2 d = kiln_gl2_mul_base(kiln_gl2_sub(a, b), xinv);
    return kiln_gl2_add(kiln_gl2_add(a, b), kiln_gl2_mul(beta, d));
}

/* Folds group v[0 .. 2^log_arity) (extension elements, interleaved) with inverse base point xinv. log_arity is
 * a parameter (not read from k) so the CUDA kernels, templated on it, get fully unrolled loops. */
KILN_HD kiln_gl2 kiln_fri_fold_group(const uint64_t *v, uint64_t xinv, const kiln_fri_consts *k,
                                     unsigned log_arity) {
    kiln_gl2 t[4];
    unsigned a = 1u << log_arity;
    for (unsigned u = 0; u < a / 2; u++) {
        uint64_t x = u ? kiln_gl_mul(xinv, k->c0[u]) : xinv;
        t[u] = kiln_fri_pair(kiln_gl2_make(v[4 * u], v[4 * u + 1]), kiln_gl2_make(v[4 * u + 2], v[4 * u + 3]), x,
                             k->beta[0]);
    }
    if (log_arity >= 2) {
        uint64_t x2 = kiln_gl_sqr(xinv);
        for (unsigned u = 0; u < a / 4; u++) {
            uint64_t x = u ? kiln_gl_mul(x2, k->c1[u]) : x2;
            t[u] = kiln_fri_pair(t[2 * u], t[2 * u + 1], x, k->beta[1]);
        }
        if (log_arity == 3) t[0] = kiln_fri_pair(t[0], t[1], kiln_gl_sqr(x2), k->beta[2]);
    }
    kiln_gl2 r = t[0];
    for (unsigned l = 0; l < log_arity; l++) r = kiln_gl2_make(kiln_fri_halve(r.c0), kiln_fri_halve(r.c1));
    return r;
}

/* Fills the per-call constants (host side). */
static inline void kiln_fri_consts_init(kiln_fri_consts *k, unsigned log_n, unsigned log_arity, kiln_gl2 beta) {
    k->log_arity = log_arity;
    k->m = log_n - log_arity;
    k->h = (k->m + 1) / 2;
    k->beta[0] = beta;
    k->beta[1] = kiln_gl2_sqr(beta);
    k->beta[2] = kiln_gl2_sqr(k->beta[1]);
    unsigned a = 1u << log_arity;
    uint64_t wa_inv = kiln_gl_inv(kiln_gl_root_of_unity(log_arity));
    for (unsigned u = 0; u < 4; u++) k->c0[u] = u < a / 2 ? kiln_gl_pow(wa_inv, kiln_bitrev(u, log_arity - 1)) : 0;
    uint64_t wa2_inv = log_arity >= 2 ? kiln_gl_inv(kiln_gl_root_of_unity(log_arity - 1)) : 1;
    for (unsigned u = 0; u < 2; u++)
        k->c1[u] = (log_arity >= 2 && u < a / 4) ? kiln_gl_pow(wa2_inv, kiln_bitrev(u, log_arity - 2)) : 0;
}

#endif
