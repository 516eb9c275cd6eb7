/* Inner-block kernels of the CPU NTT (internal to ntt_cpu.c): all radix-2 stages of one cache-resident block,
 * and element-wise scaling. lv[l][e] = w^e with w a primitive 2^(l+1)-th root of unity (or its inverse). */
#ifndef KILN_NTT_CPU_BLOCK_H
#define KILN_NTT_CPU_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "../field/goldilocks.h"

/* Branch-free field operations for the CPU NTT. The carries and borrows of Goldilocks arithmetic are random
 * in a transform, so the branches a compiler may emit for goldilocks.h's versions mispredict about half the
 * time; masks keep the butterflies at a few cycles. Same results (canonical in, canonical out). */
static inline uint64_t kiln_ntt_canon(uint64_t s) {
    uint64_t t = s - KILN_GL_P;
    return s >= KILN_GL_P ? t : s;
}

static inline uint64_t kiln_ntt_add(uint64_t a, uint64_t b) {
    uint64_t s;
    uint64_t c = __builtin_add_overflow(a, b, &s);
    s += (0 - c) & KILN_GL_EPSILON; /* 2^64 = epsilon (mod p); cannot carry again */
    return kiln_ntt_canon(s);
}

static inline uint64_t kiln_ntt_sub(uint64_t a, uint64_t b) {
    uint64_t d;
    uint64_t c = __builtin_sub_overflow(a, b, &d);
    return d - ((0 - c) & KILN_GL_EPSILON);
}

static inline uint64_t kiln_ntt_mul(uint64_t a, uint64_t b) {
    unsigned __int128 x = (unsigned __int128)a * b;
    uint64_t lo = (uint64_t)x, hi = (uint64_t)(x >> 64);
    uint64_t hi_hi = hi >> 32, hi_lo = hi & KILN_GL_EPSILON, t0, t2;
    uint64_t c = __builtin_sub_overflow(lo, hi_hi, &t0); /* 2^96 = -1 */
    t0 -= (0 - c) & KILN_GL_EPSILON;
    uint64_t t1 = (hi_lo << 32) - hi_lo; /* hi_lo * 2^64 = hi_lo * epsilon */
    c = __builtin_add_overflow(t0, t1, &t2);
    t2 += (0 - c) & KILN_GL_EPSILON;
    return kiln_ntt_canon(t2);
}

/* ---- vectors: KILN_NTT_VW lanes of the same operations (AVX-512: 8, AVX2: 4) ----
 * The 64x64 -> 128-bit product is four 32x32 -> 64-bit ones, then the reduction of kiln_ntt_mul. */
#if defined(__AVX512F__)
#include <immintrin.h>
#define KILN_NTT_VW 8
typedef __m512i kiln_vw;

static inline kiln_vw kiln_vw_set1(uint64_t x) {
    return _mm512_set1_epi64((long long)x);
}
static inline kiln_vw kiln_vw_load(const uint64_t *p) {
    return _mm512_loadu_si512((const void *)p);
}
static inline void kiln_vw_store(uint64_t *p, kiln_vw v) {
    _mm512_storeu_si512((void *)p, v);
}
#define KILN_VW_ADD _mm512_add_epi64
#define KILN_VW_SUB _mm512_sub_epi64
#define KILN_VW_AND _mm512_and_si512
#define KILN_VW_OR _mm512_or_si512
#define KILN_VW_SRLI _mm512_srli_epi64
#define KILN_VW_SLLI _mm512_slli_epi64
#define KILN_VW_MUL32 _mm512_mul_epu32
/* s + (a > b ? e : 0), s - (a > b ? e : 0), unsigned */
static inline kiln_vw kiln_vw_add_if_gt(kiln_vw s, kiln_vw a, kiln_vw b, kiln_vw e) {
    return _mm512_mask_add_epi64(s, _mm512_cmpgt_epu64_mask(a, b), s, e);
}
static inline kiln_vw kiln_vw_sub_if_gt(kiln_vw s, kiln_vw a, kiln_vw b, kiln_vw e) {
    return _mm512_mask_sub_epi64(s, _mm512_cmpgt_epu64_mask(a, b), s, e);
}
#elif defined(__AVX2__)
#include <immintrin.h>
#define KILN_NTT_VW 4
typedef __m256i kiln_vw;

static inline kiln_vw kiln_vw_set1(uint64_t x) {
    return _mm256_set1_epi64x((long long)x);
}
static inline kiln_vw kiln_vw_load(const uint64_t *p) {
    return _mm256_loadu_si256((const __m256i *)p);
}
static inline void kiln_vw_store(uint64_t *p, kiln_vw v) {
    _mm256_storeu_si256((__m256i *)p, v);
}
#define KILN_VW_ADD _mm256_add_epi64
#define KILN_VW_SUB _mm256_sub_epi64
#define KILN_VW_AND _mm256_and_si256
#define KILN_VW_OR _mm256_or_si256
#define KILN_VW_SRLI _mm256_srli_epi64
#define KILN_VW_SLLI _mm256_slli_epi64
#define KILN_VW_MUL32 _mm256_mul_epu32
/* AVX2 compares signed only: flip the top bits for an unsigned compare. */
static inline kiln_vw kiln_vw_gt(kiln_vw a, kiln_vw b) {
    const kiln_vw S = kiln_vw_set1(0x8000000000000000ULL);
    return _mm256_cmpgt_epi64(_mm256_xor_si256(a, S), _mm256_xor_si256(b, S));
}
static inline kiln_vw kiln_vw_add_if_gt(kiln_vw s, kiln_vw a, kiln_vw b, kiln_vw e) {
    return _mm256_add_epi64(s, _mm256_and_si256(kiln_vw_gt(a, b), e));
}
static inline kiln_vw kiln_vw_sub_if_gt(kiln_vw s, kiln_vw a, kiln_vw b, kiln_vw e) {
    return _mm256_sub_epi64(s, _mm256_and_si256(kiln_vw_gt(a, b), e));
}
#endif

#ifdef KILN_NTT_VW
static inline kiln_vw kiln_vw_canon(kiln_vw s) {
    return kiln_vw_sub_if_gt(s, s, kiln_vw_set1(KILN_GL_P - 1), kiln_vw_set1(KILN_GL_P));
}

static inline kiln_vw kiln_vw_add(kiln_vw a, kiln_vw b) {
    kiln_vw s = KILN_VW_ADD(a, b);
    return kiln_vw_canon(kiln_vw_add_if_gt(s, a, s, kiln_vw_set1(KILN_GL_EPSILON))); /* carry: a > a + b */
}

static inline kiln_vw kiln_vw_sub(kiln_vw a, kiln_vw b) {
    return kiln_vw_sub_if_gt(KILN_VW_SUB(a, b), b, a, kiln_vw_set1(KILN_GL_EPSILON)); /* borrow: b > a */
}

static inline kiln_vw kiln_vw_mul(kiln_vw a, kiln_vw b) {
    const kiln_vw E = kiln_vw_set1(KILN_GL_EPSILON);
    kiln_vw ah = KILN_VW_SRLI(a, 32), bh = KILN_VW_SRLI(b, 32);
    kiln_vw ll = KILN_VW_MUL32(a, b), lh = KILN_VW_MUL32(a, bh);
    kiln_vw hl = KILN_VW_MUL32(ah, b), hh = KILN_VW_MUL32(ah, bh);
    kiln_vw t = KILN_VW_ADD(lh, KILN_VW_SRLI(ll, 32)); /* < 2^64 */
    kiln_vw t2 = KILN_VW_ADD(hl, KILN_VW_AND(t, E));   /* < 2^64 */
    kiln_vw lo = KILN_VW_OR(KILN_VW_SLLI(t2, 32), KILN_VW_AND(ll, E));
    kiln_vw hi = KILN_VW_ADD(KILN_VW_ADD(hh, KILN_VW_SRLI(t, 32)), KILN_VW_SRLI(t2, 32));
    kiln_vw hhi = KILN_VW_SRLI(hi, 32), hlo = KILN_VW_AND(hi, E);
    kiln_vw t0 = kiln_vw_sub_if_gt(KILN_VW_SUB(lo, hhi), hhi, lo, E); /* 2^96 = -1 */
    kiln_vw t1 = KILN_VW_SUB(KILN_VW_SLLI(hlo, 32), hlo);             /* hlo * epsilon */
    kiln_vw r = KILN_VW_ADD(t0, t1);
    return kiln_vw_canon(kiln_vw_add_if_gt(r, t1, r, E));
}
#endif

/* x[t] *= f0 * tab[t] for t < n. */
static inline void kiln_ntt_blk_scale(uint64_t *x, const uint64_t *tab, uint64_t f0, size_t n) {
    size_t t = 0;
#ifdef KILN_NTT_VW
    kiln_vw f = kiln_vw_set1(f0);
    for (; t + KILN_NTT_VW <= n; t += KILN_NTT_VW)
        kiln_vw_store(x + t, kiln_vw_mul(kiln_vw_load(x + t), kiln_vw_mul(f, kiln_vw_load(tab + t))));
#endif
    for (; t < n; t++)
        x[t] = kiln_ntt_mul(x[t], kiln_ntt_mul(f0, tab[t]));
}

/* One radix-2 stage with halves h apart over n elements; dit selects the butterfly. */
static inline void kiln_ntt_blk_stage(uint64_t *x, size_t n, size_t h, const uint64_t *t, int dit) {
#ifdef KILN_NTT_VW
    if (h >= KILN_NTT_VW) {
        for (size_t b = 0; b < n; b += 2 * h)
            for (size_t e = 0; e < h; e += KILN_NTT_VW) {
                kiln_vw u = kiln_vw_load(x + b + e), v = kiln_vw_load(x + b + e + h), w = kiln_vw_load(t + e);
                if (dit) {
                    v = kiln_vw_mul(v, w);
                    kiln_vw_store(x + b + e, kiln_vw_add(u, v));
                    kiln_vw_store(x + b + e + h, kiln_vw_sub(u, v));
                } else {
                    kiln_vw_store(x + b + e, kiln_vw_add(u, v));
                    kiln_vw_store(x + b + e + h, kiln_vw_mul(kiln_vw_sub(u, v), w));
                }
            }
        return;
    }
#endif
    for (size_t b = 0; b < n; b += 2 * h)
        for (size_t e = 0; e < h; e++) {
            uint64_t u = x[b + e], v = x[b + e + h];
            if (dit) {
                v = h > 1 ? kiln_ntt_mul(v, t[e]) : v;
                x[b + e] = kiln_ntt_add(u, v);
                x[b + e + h] = kiln_ntt_sub(u, v);
            } else {
                x[b + e] = kiln_ntt_add(u, v);
                x[b + e + h] = h > 1 ? kiln_ntt_mul(kiln_ntt_sub(u, v), t[e]) : kiln_ntt_sub(u, v);
            }
        }
}

/* The stages with halves closer than a vector (h < KILN_NTT_VW), on two vectors at a time: gather the lower
 * and upper butterfly inputs into u and v, run the butterflies, scatter back. Twiddles of those stages
 * repeat in every group, so each stage has one twiddle vector. */
#ifdef KILN_NTT_VW
static inline void kiln_ntt_pair_bfly(kiln_vw *u, kiln_vw *v, kiln_vw w, int dit, int mul) {
    kiln_vw x, y;
    if (dit) {
        if (mul) *v = kiln_vw_mul(*v, w);
        x = kiln_vw_add(*u, *v);
        y = kiln_vw_sub(*u, *v);
    } else {
        x = kiln_vw_add(*u, *v);
        y = kiln_vw_sub(*u, *v);
        if (mul) y = kiln_vw_mul(y, w);
    }
    *u = x;
    *v = y;
}
#endif

#if KILN_NTT_VW == 8
#define KILN_NTT_LOG_VW 3
typedef struct {
    kiln_vw iu, iv, ia, ib, w;
} kiln_ntt_small_stage;

static inline void kiln_ntt_small_make(kiln_ntt_small_stage *s, unsigned h, const uint64_t *t) {
    long long iu[8], iv[8], ia[8], ib[8], w[8];
    unsigned q = 0;
    for (unsigned i = 0; i < 16; i++) {
        if (i & h) continue;
        iu[q] = i;
        iv[q] = i + h;
        w[q] = (long long)(h > 1 ? t[i & (h - 1)] : 1);
        if (i < 8)
            ia[i] = q;
        else
            ib[i - 8] = q;
        if (i + h < 8)
            ia[i + h] = 8 + q;
        else
            ib[i + h - 8] = 8 + q;
        q++;
    }
    s->iu = _mm512_loadu_si512((const void *)iu);
    s->iv = _mm512_loadu_si512((const void *)iv);
    s->ia = _mm512_loadu_si512((const void *)ia);
    s->ib = _mm512_loadu_si512((const void *)ib);
    s->w = _mm512_loadu_si512((const void *)w);
}

static inline void kiln_ntt_small_apply(const kiln_ntt_small_stage *s, kiln_vw *a, kiln_vw *b, int dit,
                                        int mul) {
    kiln_vw u = _mm512_permutex2var_epi64(*a, s->iu, *b), v = _mm512_permutex2var_epi64(*a, s->iv, *b);
    kiln_ntt_pair_bfly(&u, &v, s->w, dit, mul);
    *a = _mm512_permutex2var_epi64(u, s->ia, v);
    *b = _mm512_permutex2var_epi64(u, s->ib, v);
}

/* Stages h = 4, 2, 1 over n (a multiple of 16) elements. */
static inline void kiln_ntt_small_stages(uint64_t *x, size_t n, const uint64_t *const *lv, int dit) {
    kiln_ntt_small_stage s4, s2, s1;
    kiln_ntt_small_make(&s4, 4, lv[2]);
    kiln_ntt_small_make(&s2, 2, lv[1]);
    kiln_ntt_small_make(&s1, 1, lv[0]);
    for (size_t b = 0; b < n; b += 16) {
        kiln_vw a = kiln_vw_load(x + b), c = kiln_vw_load(x + b + 8);
        if (dit) {
            kiln_ntt_small_apply(&s1, &a, &c, 1, 0);
            kiln_ntt_small_apply(&s2, &a, &c, 1, 1);
            kiln_ntt_small_apply(&s4, &a, &c, 1, 1);
        } else {
            kiln_ntt_small_apply(&s4, &a, &c, 0, 1);
            kiln_ntt_small_apply(&s2, &a, &c, 0, 1);
            kiln_ntt_small_apply(&s1, &a, &c, 0, 0);
        }
        kiln_vw_store(x + b, a);
        kiln_vw_store(x + b + 8, c);
    }
}
#elif KILN_NTT_VW == 4
#define KILN_NTT_LOG_VW 2
/* Stages h = 2, 1 over n (a multiple of 8) elements, x[0..3] in a and x[4..7] in c. h = 2 pairs the low and
 * high 128-bit halves; h = 1 pairs the even and odd lanes (twiddle 1). */
static inline void kiln_ntt_h2(kiln_vw *a, kiln_vw *c, kiln_vw w2, int dit) {
    kiln_vw u = _mm256_permute2x128_si256(*a, *c, 0x20), v = _mm256_permute2x128_si256(*a, *c, 0x31);
    kiln_ntt_pair_bfly(&u, &v, w2, dit, 1);
    *a = _mm256_permute2x128_si256(u, v, 0x20);
    *c = _mm256_permute2x128_si256(u, v, 0x31);
}

static inline void kiln_ntt_h1(kiln_vw *a, kiln_vw *c, int dit) {
    kiln_vw u = _mm256_unpacklo_epi64(*a, *c), v = _mm256_unpackhi_epi64(*a, *c);
    kiln_ntt_pair_bfly(&u, &v, u, dit, 0);
    *a = _mm256_unpacklo_epi64(u, v);
    *c = _mm256_unpackhi_epi64(u, v);
}

static inline void kiln_ntt_small_stages(uint64_t *x, size_t n, const uint64_t *const *lv, int dit) {
    const kiln_vw w2 = _mm256_setr_epi64x((long long)lv[1][0], (long long)lv[1][1], (long long)lv[1][0],
                                          (long long)lv[1][1]);
    for (size_t b = 0; b < n; b += 8) {
        kiln_vw a = kiln_vw_load(x + b), c = kiln_vw_load(x + b + 4);
        if (dit) {
            kiln_ntt_h1(&a, &c, 1);
            kiln_ntt_h2(&a, &c, w2, 1);
        } else {
            kiln_ntt_h2(&a, &c, w2, 0);
            kiln_ntt_h1(&a, &c, 0);
        }
        kiln_vw_store(x + b, a);
        kiln_vw_store(x + b + 4, c);
    }
}
#endif

/* Decimation in frequency over 2^lb elements: natural -> bit-reversed. */
static inline void kiln_ntt_blk_dif_block(uint64_t *x, unsigned lb, const uint64_t *const *lv) {
    size_t n = (size_t)1 << lb;
    unsigned stop = 0;
#ifdef KILN_NTT_VW
    if (lb > KILN_NTT_LOG_VW) stop = KILN_NTT_LOG_VW;
#endif
    for (unsigned l = lb; l-- > stop;)
        kiln_ntt_blk_stage(x, n, (size_t)1 << l, lv[l], 0);
#ifdef KILN_NTT_VW
    if (stop) kiln_ntt_small_stages(x, n, lv, 0);
#endif
}

/* Decimation in time over 2^lb elements: bit-reversed -> natural. */
static inline void kiln_ntt_blk_dit_block(uint64_t *x, unsigned lb, const uint64_t *const *lv) {
    size_t n = (size_t)1 << lb;
    unsigned start = 0;
#ifdef KILN_NTT_VW
    if (lb > KILN_NTT_LOG_VW) {
        start = KILN_NTT_LOG_VW;
        kiln_ntt_small_stages(x, n, lv, 1);
    }
#endif
    for (unsigned l = start; l < lb; l++)
        kiln_ntt_blk_stage(x, n, (size_t)1 << l, lv[l], 1);
}

#endif
