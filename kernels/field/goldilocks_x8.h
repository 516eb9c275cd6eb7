/* Goldilocks arithmetic on blocks of lanes for host kernels that work on arrays of rows (host only; nvcc
 * never sees this header). kiln_v is one lane group: eight field elements in a zmm register where the
 * compiler targets AVX-512F (Release builds use -march=native), else a single uint64_t with the scalar
 * functions of goldilocks.h, so one loop body `for (r = 0; r < n; r += KILN_V_LANES)` serves both builds.
 *
 * Every function takes canonical values and returns canonical values, so results are bit-identical to
 * kiln_gl_add / kiln_gl_sub / kiln_gl_neg / kiln_gl_mul lane by lane. */
#ifndef KILN_GOLDILOCKS_X8_H
#define KILN_GOLDILOCKS_X8_H

#include <stdint.h>

#include "goldilocks.h"

#if defined(__AVX512F__) && !defined(__CUDACC__)
#define KILN_V_NATIVE 1
#include <immintrin.h>

#define KILN_V_LANES 8
typedef __m512i kiln_v;
#define KILN_V_INLINE static inline __attribute__((always_inline))

KILN_V_INLINE kiln_v kiln_v_load(const uint64_t *p) {
    return _mm512_loadu_si512((const void *)p);
}
KILN_V_INLINE void kiln_v_store(uint64_t *p, kiln_v v) {
    _mm512_storeu_si512((void *)p, v);
}
KILN_V_INLINE kiln_v kiln_v_set1(uint64_t x) {
    return _mm512_set1_epi64((long long)x);
}
KILN_V_INLINE kiln_v kiln_v_zero(void) {
    return _mm512_setzero_si512();
}

/* x mod p for any 64-bit x: one conditional subtraction suffices since 2^64 - 1 < 2p. */
KILN_V_INLINE kiln_v kiln_v_canon(kiln_v x) {
    const kiln_v p = kiln_v_set1(KILN_GL_P);
    return _mm512_mask_sub_epi64(x, _mm512_cmpge_epu64_mask(x, p), x, p);
}

KILN_V_INLINE kiln_v kiln_v_add(kiln_v a, kiln_v b) {
    const kiln_v eps = kiln_v_set1(KILN_GL_EPSILON);
    kiln_v s = _mm512_add_epi64(a, b);
    s = _mm512_mask_add_epi64(s, _mm512_cmplt_epu64_mask(s, a), s, eps); /* carry: + 2^64 = + epsilon */
    return kiln_v_canon(s);
}

KILN_V_INLINE kiln_v kiln_v_sub(kiln_v a, kiln_v b) {
    const kiln_v eps = kiln_v_set1(KILN_GL_EPSILON);
    kiln_v d = _mm512_sub_epi64(a, b);
    return _mm512_mask_sub_epi64(d, _mm512_cmplt_epu64_mask(a, b), d, eps); /* borrow: a - b + p */
}

KILN_V_INLINE kiln_v kiln_v_neg(kiln_v a) {
    return _mm512_maskz_sub_epi64(_mm512_test_epi64_mask(a, a), kiln_v_set1(KILN_GL_P), a);
}

/* Each 64-bit lane's two 32-bit halves swapped: the high half moves to where _mm512_mul_epu32 reads. */
KILN_V_INLINE kiln_v kiln_v_swap32(kiln_v x) {
    return _mm512_shuffle_epi32(x, _MM_PERM_CDAB);
}

/* The lanes' 128-bit products a b = hi 2^64 + lo (any 64-bit a, b) from four 32x32->64 multiplies: with
 * a = ah 2^32 + al, b = bh 2^32 + bl, t = ah bl + (al bl >> 32) and u = al bh + (t mod 2^32) stay below 2^64;
 * lo = (u mod 2^32) 2^32 + (al bl mod 2^32), hi = ah bh + (t >> 32) + (u >> 32). */
KILN_V_INLINE void kiln_v_mul_wide(kiln_v a, kiln_v b, kiln_v *lo, kiln_v *hi) {
    const kiln_v lo32 = kiln_v_set1(0xFFFFFFFFULL);
    kiln_v ah = kiln_v_swap32(a), bh = kiln_v_swap32(b);
    kiln_v ll = _mm512_mul_epu32(a, b), lh = _mm512_mul_epu32(a, bh);
    kiln_v hl = _mm512_mul_epu32(ah, b), hh = _mm512_mul_epu32(ah, bh);
    kiln_v t = _mm512_add_epi64(hl, _mm512_srli_epi64(ll, 32));
    kiln_v u = _mm512_add_epi64(lh, _mm512_and_si512(t, lo32));
    *hi = _mm512_add_epi64(hh, _mm512_add_epi64(_mm512_srli_epi64(t, 32), _mm512_srli_epi64(u, 32)));
    *lo = _mm512_mask_blend_epi32(0xAAAA, ll, kiln_v_swap32(u)); /* odd halves: u's low half */
}

/* hi 2^64 + lo reduced to a 64-bit value congruent mod p, not always below p (lazy: kiln_gl_reduce128 without
 * the final subtraction): 2^96 = -1 and 2^64 = epsilon, so lo - (hi >> 32) + (hi mod 2^32) epsilon; a borrow
 * stands for - epsilon and a carry for + epsilon, neither of which can wrap again. */
KILN_V_INLINE kiln_v kiln_v_reduce128_lazy(kiln_v lo, kiln_v hi) {
    const kiln_v eps = kiln_v_set1(KILN_GL_EPSILON);
    kiln_v hh = _mm512_srli_epi64(hi, 32);
    kiln_v t0 = _mm512_sub_epi64(lo, hh);
    t0 = _mm512_mask_sub_epi64(t0, _mm512_cmplt_epu64_mask(lo, hh), t0, eps);
    kiln_v t1 = _mm512_mul_epu32(hi, eps); /* (hi mod 2^32) epsilon < p */
    kiln_v t2 = _mm512_add_epi64(t0, t1);
    return _mm512_mask_add_epi64(t2, _mm512_cmplt_epu64_mask(t2, t1), t2, eps);
}

/* kiln_gl_reduce128 on lanes (canonical). */
KILN_V_INLINE kiln_v kiln_v_reduce128(kiln_v lo, kiln_v hi) {
    return kiln_v_canon(kiln_v_reduce128_lazy(lo, hi));
}

KILN_V_INLINE kiln_v kiln_v_mul(kiln_v a, kiln_v b) {
    kiln_v lo, hi;
    kiln_v_mul_wide(a, b, &lo, &hi);
    return kiln_v_reduce128(lo, hi);
}

#else
#define KILN_V_NATIVE 0
#define KILN_V_LANES 1
typedef uint64_t kiln_v;
#define KILN_V_INLINE static inline

KILN_V_INLINE kiln_v kiln_v_load(const uint64_t *p) {
    return *p;
}
KILN_V_INLINE void kiln_v_store(uint64_t *p, kiln_v v) {
    *p = v;
}
KILN_V_INLINE kiln_v kiln_v_set1(uint64_t x) {
    return x;
}
KILN_V_INLINE kiln_v kiln_v_zero(void) {
    return 0;
}
KILN_V_INLINE kiln_v kiln_v_add(kiln_v a, kiln_v b) {
    return kiln_gl_add(a, b);
}
KILN_V_INLINE kiln_v kiln_v_sub(kiln_v a, kiln_v b) {
    return kiln_gl_sub(a, b);
}
KILN_V_INLINE kiln_v kiln_v_neg(kiln_v a) {
    return kiln_gl_neg(a);
}
KILN_V_INLINE kiln_v kiln_v_mul(kiln_v a, kiln_v b) {
    return kiln_gl_mul(a, b);
}
#endif

/* 7a, the extension's non-residue times a (as kiln_gl_mul7). */
KILN_V_INLINE kiln_v kiln_v_mul7(kiln_v a) {
    kiln_v a2 = kiln_v_add(a, a), a4 = kiln_v_add(a2, a2), a8 = kiln_v_add(a4, a4);
    return kiln_v_sub(a8, a);
}

#endif
