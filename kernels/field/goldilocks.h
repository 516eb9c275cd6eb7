/* The Goldilocks field, p = 2^64 - 2^32 + 1 (D1). Elements are uint64_t; every function takes canonical
 * values (< p) and returns canonical values. Shared by host C, C++ and CUDA device code. */
#ifndef KILN_GOLDILOCKS_H
#define KILN_GOLDILOCKS_H

#include <stdint.h>
#include "../common/hd.h"

#define KILN_GL_P 0xFFFFFFFF00000001ULL
#define KILN_GL_EPSILON 0xFFFFFFFFULL /* 2^64 mod p = 2^32 - 1 */
#define KILN_GL_GENERATOR 7ULL        /* generates the multiplicative group */
#define KILN_GL_TWO_ADICITY 32
#define KILN_GL_ROOT_2_32 0x185629dcda58878cULL /* a primitive 2^32-th root of unity */

KILN_HD uint64_t kiln_gl_reduce64(uint64_t a) { return a >= KILN_GL_P ? a - KILN_GL_P : a; }

/* The conditions below are masks, not branches: with random field elements a branch is mispredicted half the
 * time, which costs more than the arithmetic. */
KILN_HD uint64_t kiln_gl_add(uint64_t a, uint64_t b) {
    uint64_t s = a + b;
    /* a, b < p: on carry the true sum is s + 2^64 = s + epsilon (mod p), and that cannot carry again. */
    s += (0 - (uint64_t)(s < a)) & KILN_GL_EPSILON;
    return kiln_gl_reduce64(s);
}

KILN_HD uint64_t kiln_gl_sub(uint64_t a, uint64_t b) {
    uint64_t d = a - b;
    d -= (0 - (uint64_t)(a < b)) & KILN_GL_EPSILON; /* d wrapped by 2^64: subtract 2^64 - p = epsilon */
    return d;
}

KILN_HD uint64_t kiln_gl_neg(uint64_t a) { return a ? KILN_GL_P - a : 0; }

/* Reduces hi * 2^64 + lo using 2^64 = epsilon and 2^96 = -1 (mod p). */
KILN_HD uint64_t kiln_gl_reduce128(uint64_t lo, uint64_t hi) {
    uint64_t hi_hi = hi >> 32, hi_lo = hi & KILN_GL_EPSILON;
    uint64_t t0 = lo - hi_hi;
    t0 -= (0 - (uint64_t)(lo < hi_hi)) & KILN_GL_EPSILON;
    uint64_t t1 = hi_lo * KILN_GL_EPSILON;
    uint64_t t2 = t0 + t1;
    t2 += (0 - (uint64_t)(t2 < t1)) & KILN_GL_EPSILON;
    return kiln_gl_reduce64(t2);
}

KILN_HD uint64_t kiln_gl_mul(uint64_t a, uint64_t b) {
#ifdef __CUDA_ARCH__
    return kiln_gl_reduce128(a * b, __umul64hi(a, b));
#else
    unsigned __int128 x = (unsigned __int128)a * b;
    return kiln_gl_reduce128((uint64_t)x, (uint64_t)(x >> 64));
#endif
}

KILN_HD uint64_t kiln_gl_sqr(uint64_t a) { return kiln_gl_mul(a, a); }

KILN_HD uint64_t kiln_gl_pow(uint64_t a, uint64_t e) {
    uint64_t r = 1;
    while (e) {
        if (e & 1) r = kiln_gl_mul(r, a);
        a = kiln_gl_sqr(a);
        e >>= 1;
    }
    return r;
}

/* a^(p-2); the inverse of 0 is 0 (callers that must reject 0 check first). */
KILN_HD uint64_t kiln_gl_inv(uint64_t a) { return kiln_gl_pow(a, KILN_GL_P - 2); }

/* Canonical value of any 64-bit integer. */
KILN_HD uint64_t kiln_gl_from_u64(uint64_t a) { return kiln_gl_reduce64(a); }

/* A primitive 2^log_n-th root of unity (log_n <= 32). */
KILN_HD uint64_t kiln_gl_root_of_unity(unsigned log_n) {
    uint64_t w = KILN_GL_ROOT_2_32;
    for (unsigned i = log_n; i < KILN_GL_TWO_ADICITY; i++) w = kiln_gl_sqr(w);
    return w;
}

#endif
