/* The Poseidon2 permutation (Boojum's parameters) as KILN_HD functions: one implementation for the host and
 * CUDA device code. Inside the permutation values are kept below 2^64 but not necessarily below p (lazy
 * reduction); the linear layers accumulate wide sums and reduce once per output. Outputs are canonical.
 * Inputs may be any 64-bit values (they are read mod p). */
#ifndef KILN_POSEIDON2_HD_H
#define KILN_POSEIDON2_HD_H

#include <stddef.h>
#include <stdint.h>

#include "../field/goldilocks.h"
#include "poseidon2.h"
#include "poseidon2_constants.h"

#ifdef __cplusplus
extern "C" {
#endif
/* Host copy of the round constants (poseidon2.c). */
extern const uint64_t kiln_poseidon2_rc[KILN_P2_ROUNDS][KILN_P2_WIDTH];
#ifdef __cplusplus
}
#endif

#ifdef __CUDACC__
/* Device copy: every thread of a warp reads the same constant at once, which constant memory broadcasts. */
static __constant__ uint64_t kiln_p2_rc_dev[KILN_P2_ROUNDS][KILN_P2_WIDTH] = KILN_P2_RC_INIT;
#endif

#ifdef __CUDA_ARCH__
#define KILN_P2_RC(r, i) kiln_p2_rc_dev[r][i]
#else
#define KILN_P2_RC(r, i) kiln_poseidon2_rc[r][i]
#endif

/* Loop pragmas: on the device every loop over state elements is unrolled so the state lives in registers,
 * while the loops over full rounds stay rolled (KILN_P2_ROUND_LOOP; constants are indexed by a warp-uniform
 * round number), which keeps the kernel's code a fraction of the fully unrolled size for the instruction
 * cache. On the host the S-box loop of a full round stays rolled (KILN_P2_ROLLED): unrolled, gcc interleaves
 * the twelve chains and spills, while the out-of-order core overlaps the iterations by itself. */
#ifdef __CUDA_ARCH__
#define KILN_P2_UNROLL _Pragma("unroll")
#define KILN_P2_UNROLL2 _Pragma("unroll 2")
#define KILN_P2_ROLLED _Pragma("unroll")
#define KILN_P2_ROUND_LOOP _Pragma("unroll 1")
#elif defined(__CUDACC__) /* nvcc's host pass: its front end knows no GCC pragmas */
#define KILN_P2_UNROLL
#define KILN_P2_UNROLL2
#define KILN_P2_ROLLED
#define KILN_P2_ROUND_LOOP
#else
#define KILN_P2_UNROLL
#define KILN_P2_UNROLL2
#define KILN_P2_ROLLED _Pragma("GCC unroll 1")
#define KILN_P2_ROUND_LOOP
#endif

/* epsilon when cond holds, else 0. Carries are data-dependent; gcc and clang mostly turn this into cmov (a
 * sign mask "0 - cond" became "sbb r, r", which on Intel depends on the register's old value and chained
 * independent S-boxes together; measured slower). */
KILN_HD uint64_t kiln_p2_eps_if(int cond) {
    return cond ? KILN_GL_EPSILON : 0;
}

/* x * epsilon for x < 2^32 as a shift and a subtraction (a 64-bit multiply is several instructions on a GPU).
 */
KILN_HD uint64_t kiln_p2_times_eps(uint64_t x) {
    return (x << 32) - x;
}

/* hi * 2^64 + lo for hi < 2^32 -> a value below 2^64 congruent mod p (2^64 = epsilon). */
KILN_HD uint64_t kiln_p2_reduce_lh(uint64_t lo, uint64_t hi) {
    uint64_t t = kiln_p2_times_eps(hi);
    uint64_t s = lo + t;
    return s + kiln_p2_eps_if(s < t); /* + epsilon on carry; cannot carry again: s < t <= 2^64 - 2^33 + 1 */
}

/* a*b mod p for any 64-bit a, b, result < 2^64 (kiln_gl_reduce128 without the final canonicalisation). */
KILN_HD uint64_t kiln_p2_mul(uint64_t a, uint64_t b) {
#ifdef __CUDA_ARCH__
    uint64_t lo = a * b, hi = __umul64hi(a, b);
#else
    unsigned __int128 x = (unsigned __int128)a * b;
    uint64_t lo = (uint64_t)x, hi = (uint64_t)(x >> 64);
#endif
    uint64_t hi_hi = hi >> 32, hi_lo = hi & KILN_GL_EPSILON;
    uint64_t t0 = lo - hi_hi;
    t0 -= kiln_p2_eps_if(lo < hi_hi);
    uint64_t t1 = kiln_p2_times_eps(hi_lo);
    uint64_t t2 = t0 + t1;
    return t2 + kiln_p2_eps_if(t2 < t1);
}

KILN_HD uint64_t kiln_p2_add_rc(uint64_t a, uint64_t c) {
    uint64_t s = a + c;
    return s + kiln_p2_eps_if(s < c); /* c < p, so the wrapped sum plus epsilon stays below 2^64 */
}

KILN_HD uint64_t kiln_p2_sbox(uint64_t x) {
    uint64_t x2 = kiln_p2_mul(x, x);
    uint64_t x3 = kiln_p2_mul(x2, x);
    uint64_t x4 = kiln_p2_mul(x2, x2);
    return kiln_p2_mul(x3, x4);
}

/* M4 = [[5,7,1,3],[4,6,1,1],[1,3,5,7],[1,1,4,6]] with 8 additions (Poseidon2 paper, appendix), in place on
 * plain 64-bit values: row sums are at most 16, so inputs below 2^32 give outputs below 2^36. */
KILN_HD void kiln_p2_m4(uint64_t *v) {
    uint64_t t0 = v[0] + v[1], t1 = v[2] + v[3];
    uint64_t t2 = (v[1] << 1) + t1, t3 = (v[3] << 1) + t0;
    uint64_t t4 = (t1 << 2) + t3, t5 = (t0 << 2) + t2;
    v[0] = t3 + t5;
    v[1] = t5;
    v[2] = t2 + t4;
    v[3] = t4;
}

/* L + H * 2^32 mod p (any representative below 2^64) for L, H < 2^48: H * 2^32 = (H >> 32) * 2^64 +
 * (H mod 2^32) * 2^32, and 2^64 = epsilon. */
KILN_HD uint64_t kiln_p2_combine(uint64_t L, uint64_t H) {
    uint64_t hl = H << 32, t = kiln_p2_times_eps(H >> 32);
    uint64_t s = L + hl;
    s += kiln_p2_eps_if(s < hl); /* on carry s < L < 2^48: no second carry */
    uint64_t r = s + t;
    return r + kiln_p2_eps_if(r < t); /* on carry r < t < 2^48 */
}

/* circ(2*M4, M4, M4): y_i = M4(group(i))_(i mod 4) + sum over groups of M4(group)_(i mod 4). The layer runs
 * separately on the low and high 32-bit halves of the elements in plain 64-bit arithmetic (outputs below
 * 2^38, no carries to track) and the halves are recombined once. 128-bit temporaries here made gcc spill
 * every value through the stack. */
KILN_HD void kiln_p2_external(uint64_t *x) {
    uint64_t l[KILN_P2_WIDTH], h[KILN_P2_WIDTH];
    KILN_P2_UNROLL
    for (int i = 0; i < KILN_P2_WIDTH; i++) {
        l[i] = x[i] & KILN_GL_EPSILON;
        h[i] = x[i] >> 32;
    }
    kiln_p2_m4(l);
    kiln_p2_m4(l + 4);
    kiln_p2_m4(l + 8);
    kiln_p2_m4(h);
    kiln_p2_m4(h + 4);
    kiln_p2_m4(h + 8);
    KILN_P2_UNROLL
    for (int j = 0; j < 4; j++) {
        uint64_t sl = l[j] + l[4 + j] + l[8 + j], sh = h[j] + h[4 + j] + h[8 + j];
        x[j] = kiln_p2_combine(l[j] + sl, h[j] + sh);
        x[4 + j] = kiln_p2_combine(l[4 + j] + sl, h[4 + j] + sh);
        x[8 + j] = kiln_p2_combine(l[8 + j] + sl, h[8 + j] + sh);
    }
}

/* sum + 2^k * x as a 128-bit value (sum = c * 2^64 + s, c < 12), reduced. */
KILN_HD uint64_t kiln_p2_internal_term(uint64_t s, uint64_t c, uint64_t x, int k) {
    uint64_t sh_lo = x << k, sh_hi = k ? x >> (64 - k) : 0;
    uint64_t lo = s + sh_lo;
    return kiln_p2_reduce_lh(lo, c + sh_hi + (lo < sh_lo));
}

/* y_i = sum(x) + 2^s_i * x_i (diagonal of M_I minus the all-ones matrix; sums below 2^79). The 128-bit
 * values are kept as explicit (low word, carry count) pairs: gcc compiles unsigned __int128 temporaries here
 * into stack traffic. */
KILN_HD void kiln_p2_internal(uint64_t *x) {
    /* x[0] (fresh from the S-box in a partial round) is added last, so the sum of the other eleven is
     * computed while the S-box runs instead of lengthening the round's dependency chain. */
    uint64_t s = x[1], c = 0;
    KILN_P2_UNROLL
    for (int i = 2; i < KILN_P2_WIDTH; i++) {
        s += x[i];
        c += s < x[i];
    }
    s += x[0];
    c += s < x[0];
#define KILN_P2_TERM(i, k) x[i] = kiln_p2_internal_term(s, c, x[i], k);
    KILN_P2_INTERNAL_SHIFTS(KILN_P2_TERM)
#undef KILN_P2_TERM
}

KILN_HD void kiln_p2_full_round(uint64_t *x, int r) {
    KILN_P2_ROLLED
    for (int i = 0; i < KILN_P2_WIDTH; i++)
        x[i] = kiln_p2_sbox(kiln_p2_add_rc(x[i], KILN_P2_RC(r, i)));
    kiln_p2_external(x);
}

/* The permutation in place: external layer, 4 full, 22 partial, 4 full rounds; canonical output. The state is
 * worked on in a local copy: through the caller's pointer the compiler must assume that stores may alias the
 * round constants and reload them (gcc then spills heavily). */
KILN_HD void kiln_p2_permute(uint64_t *io) {
    uint64_t x[KILN_P2_WIDTH];
    KILN_P2_UNROLL
    for (int i = 0; i < KILN_P2_WIDTH; i++)
        x[i] = io[i];
    kiln_p2_external(x);
    KILN_P2_ROUND_LOOP
    for (int r = 0; r < KILN_P2_FULL_HALF; r++)
        kiln_p2_full_round(x, r);
    KILN_P2_UNROLL2
    for (int r = KILN_P2_FULL_HALF; r < KILN_P2_FULL_HALF + KILN_P2_PARTIAL; r++) {
        x[0] = kiln_p2_sbox(kiln_p2_add_rc(x[0], KILN_P2_RC(r, 0)));
        kiln_p2_internal(x);
    }
    KILN_P2_ROUND_LOOP
    for (int r = KILN_P2_FULL_HALF + KILN_P2_PARTIAL; r < KILN_P2_ROUNDS; r++)
        kiln_p2_full_round(x, r);
    KILN_P2_UNROLL
    for (int i = 0; i < KILN_P2_WIDTH; i++)
        io[i] = kiln_gl_reduce64(x[i]);
}

/* Two independent permutations interleaved: the partial rounds are one long dependency chain per state,
 * so running two chains side by side roughly fills the idle issue slots of a superscalar host core. Same
 * results as two kiln_p2_permute calls. */
KILN_HD void kiln_p2_permute_x2(uint64_t *io_a, uint64_t *io_b) {
    uint64_t a[KILN_P2_WIDTH], b[KILN_P2_WIDTH];
    KILN_P2_UNROLL
    for (int i = 0; i < KILN_P2_WIDTH; i++) {
        a[i] = io_a[i];
        b[i] = io_b[i];
    }
    kiln_p2_external(a);
    kiln_p2_external(b);
    for (int r = 0; r < KILN_P2_FULL_HALF; r++) {
        kiln_p2_full_round(a, r);
        kiln_p2_full_round(b, r);
    }
    for (int r = KILN_P2_FULL_HALF; r < KILN_P2_FULL_HALF + KILN_P2_PARTIAL; r++) {
        uint64_t rc = KILN_P2_RC(r, 0);
        a[0] = kiln_p2_sbox(kiln_p2_add_rc(a[0], rc));
        b[0] = kiln_p2_sbox(kiln_p2_add_rc(b[0], rc));
        kiln_p2_internal(a);
        kiln_p2_internal(b);
    }
    for (int r = KILN_P2_FULL_HALF + KILN_P2_PARTIAL; r < KILN_P2_ROUNDS; r++) {
        kiln_p2_full_round(a, r);
        kiln_p2_full_round(b, r);
    }
    KILN_P2_UNROLL
    for (int i = 0; i < KILN_P2_WIDTH; i++) {
        io_a[i] = kiln_gl_reduce64(a[i]);
        io_b[i] = kiln_gl_reduce64(b[i]);
    }
}

/* Boojum's leaf hash of n elements at in[0], in[stride], ... (zero state, overwrite 8 at a time, zero-pad the
 * last chunk). Strided so that column-major matrices hash without a copy. */
KILN_HD void kiln_p2_hash_leaf_strided(const uint64_t *in, size_t stride, size_t n, uint64_t *out) {
    uint64_t s[KILN_P2_WIDTH] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t c = 0; c < n; c += KILN_P2_RATE) {
        KILN_P2_UNROLL
        for (int j = 0; j < KILN_P2_RATE; j++)
            s[j] = c + j < n ? in[(c + j) * stride] : 0;
        kiln_p2_permute(s);
    }
    out[0] = s[0];
    out[1] = s[1];
    out[2] = s[2];
    out[3] = s[3];
}

/* Two leaf hashes of rows a and b (same length and stride) with interleaved permutations. */
KILN_HD void kiln_p2_hash_leaf_strided_x2(const uint64_t *in_a, const uint64_t *in_b, size_t stride, size_t n,
                                          uint64_t *out_a, uint64_t *out_b) {
    uint64_t a[KILN_P2_WIDTH] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    uint64_t b[KILN_P2_WIDTH] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t c = 0; c < n; c += KILN_P2_RATE) {
        for (int j = 0; j < KILN_P2_RATE; j++) {
            a[j] = c + j < n ? in_a[(c + j) * stride] : 0;
            b[j] = c + j < n ? in_b[(c + j) * stride] : 0;
        }
        kiln_p2_permute_x2(a, b);
    }
    for (int i = 0; i < KILN_P2_DIGEST; i++) {
        out_a[i] = a[i];
        out_b[i] = b[i];
    }
}

/* Merkle node: permute(left || right || 0^4), digest = state[0..4]. */
KILN_HD void kiln_p2_hash_node(const uint64_t *l, const uint64_t *r, uint64_t *out) {
    uint64_t s[KILN_P2_WIDTH] = {l[0], l[1], l[2], l[3], r[0], r[1], r[2], r[3], 0, 0, 0, 0};
    kiln_p2_permute(s);
    out[0] = s[0];
    out[1] = s[1];
    out[2] = s[2];
    out[3] = s[3];
}

/* Two node hashes with interleaved permutations: out_a = node(la, ra), out_b = node(lb, rb). */
KILN_HD void kiln_p2_hash_node_x2(const uint64_t *la, const uint64_t *ra, const uint64_t *lb,
                                  const uint64_t *rb, uint64_t *out_a, uint64_t *out_b) {
    uint64_t a[KILN_P2_WIDTH] = {la[0], la[1], la[2], la[3], ra[0], ra[1], ra[2], ra[3], 0, 0, 0, 0};
    uint64_t b[KILN_P2_WIDTH] = {lb[0], lb[1], lb[2], lb[3], rb[0], rb[1], rb[2], rb[3], 0, 0, 0, 0};
    kiln_p2_permute_x2(a, b);
    for (int i = 0; i < KILN_P2_DIGEST; i++) {
        out_a[i] = a[i];
        out_b[i] = b[i];
    }
}

#endif
