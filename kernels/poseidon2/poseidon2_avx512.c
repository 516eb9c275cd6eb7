/* Eight-lane Poseidon2 (poseidon2_avx512.h): the permutation of poseidon2_hd.h with each scalar operation
 * replaced by the same operation on eight independent states, one per 64-bit lane of a zmm register.
 *
 * Value range: as in the scalar code, every lane holds a value below 2^64 that is congruent to the field
 * element but not necessarily below p (lazy reduction); inputs may be any 64-bit values and the outputs are
 * made canonical at the end. Carries out of 64-bit additions are detected with unsigned lane compares into
 * mask registers and folded back as +epsilon (2^64 = 2^32 - 1 = epsilon mod p) with masked adds. */
#include "poseidon2_avx512.h"

#include "poseidon2_hd.h"

#if KILN_P2_X8_NATIVE

#include "../field/goldilocks_x8.h"

typedef kiln_v v8;

#define V_INLINE static inline __attribute__((always_inline))

/* a + b mod p for b < p (any a < 2^64), result < 2^64: on a carry the wrapped sum plus epsilon is the value,
 * and it cannot carry again because a + b < 2^65 - epsilon. */
V_INLINE v8 v_add_small(v8 a, v8 b) {
    const v8 eps = kiln_v_set1(KILN_GL_EPSILON);
    v8 s = _mm512_add_epi64(a, b);
    return _mm512_mask_add_epi64(s, _mm512_cmplt_epu64_mask(s, b), s, eps);
}

/* Products stay lazy (below 2^64, congruent mod p): goldilocks_x8.h's wide product and reduction without the
 * final subtraction. */
V_INLINE v8 v_mul(v8 a, v8 b) {
    v8 lo, hi;
    kiln_v_mul_wide(a, b, &lo, &hi);
    return kiln_v_reduce128_lazy(lo, hi);
}

/* a * a: as kiln_v_mul_wide with the two cross products equal (one multiply and one swap fewer). */
V_INLINE v8 v_sqr(v8 a) {
    const v8 lo32 = kiln_v_set1(0xFFFFFFFFULL);
    v8 ah = kiln_v_swap32(a);
    v8 ll = _mm512_mul_epu32(a, a);
    v8 lh = _mm512_mul_epu32(a, ah);
    v8 hh = _mm512_mul_epu32(ah, ah);
    v8 t = _mm512_add_epi64(lh, _mm512_srli_epi64(ll, 32));
    v8 u = _mm512_add_epi64(lh, _mm512_and_si512(t, lo32));
    v8 hi = _mm512_add_epi64(hh, _mm512_add_epi64(_mm512_srli_epi64(t, 32), _mm512_srli_epi64(u, 32)));
    v8 lo = _mm512_mask_blend_epi32(0xAAAA, ll, kiln_v_swap32(u));
    return kiln_v_reduce128_lazy(lo, hi);
}

V_INLINE v8 v_sbox(v8 x) {
    v8 x2 = v_sqr(x);
    v8 x3 = v_mul(x2, x);
    v8 x4 = v_sqr(x2);
    return v_mul(x3, x4);
}

/* M4 as kiln_p2_m4, on plain 64-bit lanes (inputs below 2^32, outputs below 2^36). */
V_INLINE void v_m4(v8 *v) {
    v8 t0 = _mm512_add_epi64(v[0], v[1]), t1 = _mm512_add_epi64(v[2], v[3]);
    v8 t2 = _mm512_add_epi64(_mm512_slli_epi64(v[1], 1), t1);
    v8 t3 = _mm512_add_epi64(_mm512_slli_epi64(v[3], 1), t0);
    v8 t4 = _mm512_add_epi64(_mm512_slli_epi64(t1, 2), t3);
    v8 t5 = _mm512_add_epi64(_mm512_slli_epi64(t0, 2), t2);
    v[0] = _mm512_add_epi64(t3, t5);
    v[1] = t5;
    v[2] = _mm512_add_epi64(t2, t4);
    v[3] = t4;
}

/* L + H 2^32 mod p for L, H < 2^48 (as kiln_p2_combine): H 2^32 = (H >> 32) 2^64 + (H mod 2^32) 2^32 with
 * 2^64 = epsilon; L + (H >> 32) epsilon < 2^49 needs no carry check, and (H mod 2^32) 2^32 <= p - 1 makes the
 * last addition a v_add_small. */
V_INLINE v8 v_combine(v8 L, v8 H) {
    const v8 eps = kiln_v_set1(KILN_GL_EPSILON);
    v8 q = _mm512_add_epi64(L, _mm512_mul_epu32(_mm512_srli_epi64(H, 32), eps));
    return v_add_small(q, _mm512_slli_epi64(H, 32));
}

/* The external layer circ(2 M4, M4, M4) on the low and high 32-bit halves separately (kiln_p2_external). */
V_INLINE void v_external(v8 *x) {
    const v8 lo32 = kiln_v_set1(0xFFFFFFFFULL);
    v8 l[KILN_P2_WIDTH], h[KILN_P2_WIDTH];
    for (int i = 0; i < KILN_P2_WIDTH; i++) {
        l[i] = _mm512_and_si512(x[i], lo32);
        h[i] = _mm512_srli_epi64(x[i], 32);
    }
    v_m4(l);
    v_m4(l + 4);
    v_m4(l + 8);
    v_m4(h);
    v_m4(h + 4);
    v_m4(h + 8);
    for (int j = 0; j < 4; j++) {
        v8 sl = _mm512_add_epi64(_mm512_add_epi64(l[j], l[4 + j]), l[8 + j]);
        v8 sh = _mm512_add_epi64(_mm512_add_epi64(h[j], h[4 + j]), h[8 + j]);
        for (int g = 0; g < 12; g += 4)
            x[g + j] = v_combine(_mm512_add_epi64(l[g + j], sl), _mm512_add_epi64(h[g + j], sh));
    }
}

/* s + c 2^64 + 2^k x reduced (kiln_p2_internal_term), for c < 12 and 0 <= k < 64. A macro so that the shift
 * counts are immediates at any optimisation level. */
#define V_INTERNAL_TERM(s, c, x, k)                                                                          \
    ({                                                                                                       \
        v8 sh_lo_ = _mm512_slli_epi64((x), (k));                                                             \
        v8 lo_ = _mm512_add_epi64((s), sh_lo_);                                                              \
        v8 hi_ = (k) ? _mm512_add_epi64((c), _mm512_srli_epi64((x), (64 - (k)) & 63)) : (c);                 \
        hi_ = _mm512_mask_add_epi64(hi_, _mm512_cmplt_epu64_mask(lo_, sh_lo_), hi_, one);                    \
        v_add_small(lo_, _mm512_mul_epu32(hi_, eps)); /* hi_ < 2^32: hi_ epsilon < p */                      \
    })

/* y_i = sum(x) + 2^s_i x_i (kiln_p2_internal); the sum as a (low word, carry count) pair. */
V_INLINE void v_internal(v8 *x) {
    const v8 one = kiln_v_set1(1), eps = kiln_v_set1(KILN_GL_EPSILON);
    v8 s = x[1], c = _mm512_setzero_si512();
    for (int i = 2; i < KILN_P2_WIDTH; i++) {
        s = _mm512_add_epi64(s, x[i]);
        c = _mm512_mask_add_epi64(c, _mm512_cmplt_epu64_mask(s, x[i]), c, one);
    }
    s = _mm512_add_epi64(s, x[0]);
    c = _mm512_mask_add_epi64(c, _mm512_cmplt_epu64_mask(s, x[0]), c, one);
#define V_TERM(i, k) x[i] = V_INTERNAL_TERM(s, c, x[i], k);
    KILN_P2_INTERNAL_SHIFTS(V_TERM)
#undef V_TERM
}

V_INLINE void v_full_round(v8 *x, int r) {
    for (int i = 0; i < KILN_P2_WIDTH; i++)
        x[i] = v_sbox(v_add_small(x[i], kiln_v_set1(kiln_poseidon2_rc[r][i])));
    v_external(x);
}

/* The permutation on eight states in registers; canonical output. */
static void v_permute(v8 *x) {
    const v8 p = kiln_v_set1(KILN_GL_P);
    v_external(x);
    for (int r = 0; r < KILN_P2_FULL_HALF; r++)
        v_full_round(x, r);
    for (int r = KILN_P2_FULL_HALF; r < KILN_P2_FULL_HALF + KILN_P2_PARTIAL; r++) {
        x[0] = v_sbox(v_add_small(x[0], kiln_v_set1(kiln_poseidon2_rc[r][0])));
        v_internal(x);
    }
    for (int r = KILN_P2_FULL_HALF + KILN_P2_PARTIAL; r < KILN_P2_ROUNDS; r++)
        v_full_round(x, r);
    for (int i = 0; i < KILN_P2_WIDTH; i++)
        x[i] = _mm512_mask_sub_epi64(x[i], _mm512_cmpge_epu64_mask(x[i], p), x[i], p);
}

/* Lane l's digest (state elements 0..3) to out[4 l .. 4 l + 4). */
static void v_store_digests(const v8 *x, uint64_t *out) {
    const v8 idx = _mm512_setr_epi64(0, 4, 8, 12, 16, 20, 24, 28);
    for (int w = 0; w < KILN_P2_DIGEST; w++)
        _mm512_i64scatter_epi64(out + w, idx, x[w], 8);
}

int kiln_p2_x8_native(void) {
    return 1;
}

void kiln_p2_permute_x8(uint64_t st[KILN_P2_WIDTH][KILN_P2_LANES]) {
    v8 x[KILN_P2_WIDTH];
    for (int i = 0; i < KILN_P2_WIDTH; i++)
        x[i] = _mm512_loadu_si512(st[i]);
    v_permute(x);
    for (int i = 0; i < KILN_P2_WIDTH; i++)
        _mm512_storeu_si512(st[i], x[i]);
}

void kiln_p2_hash_leaf_strided_x8(const uint64_t *base, size_t row_stride, size_t col_stride, size_t n,
                                  uint64_t *out) {
    v8 x[KILN_P2_WIDTH];
    for (int i = 0; i < KILN_P2_WIDTH; i++)
        x[i] = _mm512_setzero_si512();
    const long long rs = (long long)row_stride;
    const v8 idx = _mm512_setr_epi64(0, rs, 2 * rs, 3 * rs, 4 * rs, 5 * rs, 6 * rs, 7 * rs);
    for (size_t c = 0; c < n; c += KILN_P2_RATE) {
        for (size_t j = 0; j < KILN_P2_RATE; j++) {
            const uint64_t *col = base + (c + j < n ? c + j : 0) * col_stride;
            if (c + j >= n)
                x[j] = _mm512_setzero_si512();
            else if (row_stride == 1) /* column-major: the eight rows of a column are adjacent */
                x[j] = _mm512_loadu_si512(col);
            else
                x[j] = _mm512_i64gather_epi64(idx, (const void *)col, 8);
        }
        v_permute(x);
    }
    v_store_digests(x, out);
}

void kiln_p2_hash_node_x8(const uint64_t *in, uint64_t *out) {
    const v8 idx = _mm512_setr_epi64(0, 8, 16, 24, 32, 40, 48, 56);
    v8 x[KILN_P2_WIDTH];
    for (int i = 0; i < 2 * KILN_P2_DIGEST; i++)
        x[i] = _mm512_i64gather_epi64(idx, (const void *)(in + i), 8);
    for (int i = 2 * KILN_P2_DIGEST; i < KILN_P2_WIDTH; i++)
        x[i] = _mm512_setzero_si512();
    v_permute(x);
    v_store_digests(x, out);
}

#else /* no AVX-512: the same functions as loops over the scalar permutation */

int kiln_p2_x8_native(void) {
    return 0;
}

void kiln_p2_permute_x8(uint64_t st[KILN_P2_WIDTH][KILN_P2_LANES]) {
    for (int l = 0; l < KILN_P2_LANES; l++) {
        uint64_t s[KILN_P2_WIDTH];
        for (int i = 0; i < KILN_P2_WIDTH; i++)
            s[i] = st[i][l];
        kiln_p2_permute(s);
        for (int i = 0; i < KILN_P2_WIDTH; i++)
            st[i][l] = s[i];
    }
}

void kiln_p2_hash_leaf_strided_x8(const uint64_t *base, size_t row_stride, size_t col_stride, size_t n,
                                  uint64_t *out) {
    for (int l = 0; l < KILN_P2_LANES; l++)
        kiln_p2_hash_leaf_strided(base + l * row_stride, col_stride, n, out + 4 * l);
}

void kiln_p2_hash_node_x8(const uint64_t *in, uint64_t *out) {
    for (int l = 0; l < KILN_P2_LANES; l++)
        kiln_p2_hash_node(in + 8 * l, in + 8 * l + 4, out + 4 * l);
}

#endif
