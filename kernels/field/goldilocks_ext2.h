/* The quadratic extension F_p[x]/(x^2 - 7) of Goldilocks (D1): c0 + c1*x with x^2 = 7. Vectors of extension
 * elements are stored interleaved (c0, c1, c0, c1, ...) unless an API says otherwise. */
#ifndef KILN_GOLDILOCKS_EXT2_H
#define KILN_GOLDILOCKS_EXT2_H

#include "goldilocks.h"

#define KILN_GL2_NONRESIDUE 7ULL

typedef struct kiln_gl2 {
    uint64_t c0, c1;
} kiln_gl2;

KILN_HD kiln_gl2 kiln_gl2_make(uint64_t c0, uint64_t c1) {
    kiln_gl2 r;
    r.c0 = c0;
    r.c1 = c1;
    return r;
}
KILN_HD kiln_gl2 kiln_gl2_from_base(uint64_t a) { return kiln_gl2_make(a, 0); }
KILN_HD int kiln_gl2_eq(kiln_gl2 a, kiln_gl2 b) { return a.c0 == b.c0 && a.c1 == b.c1; }
KILN_HD int kiln_gl2_is_zero(kiln_gl2 a) { return (a.c0 | a.c1) == 0; }

KILN_HD kiln_gl2 kiln_gl2_add(kiln_gl2 a, kiln_gl2 b) {
    return kiln_gl2_make(kiln_gl_add(a.c0, b.c0), kiln_gl_add(a.c1, b.c1));
}
KILN_HD kiln_gl2 kiln_gl2_sub(kiln_gl2 a, kiln_gl2 b) {
    return kiln_gl2_make(kiln_gl_sub(a.c0, b.c0), kiln_gl_sub(a.c1, b.c1));
}
KILN_HD kiln_gl2 kiln_gl2_neg(kiln_gl2 a) { return kiln_gl2_make(kiln_gl_neg(a.c0), kiln_gl_neg(a.c1)); }

/* Multiplication by 7 as shifts and adds: 7a = 8a - a. */
KILN_HD uint64_t kiln_gl_mul7(uint64_t a) {
    uint64_t a2 = kiln_gl_add(a, a), a4 = kiln_gl_add(a2, a2), a8 = kiln_gl_add(a4, a4);
    return kiln_gl_sub(a8, a);
}

KILN_HD kiln_gl2 kiln_gl2_mul(kiln_gl2 a, kiln_gl2 b) {
    uint64_t a0b0 = kiln_gl_mul(a.c0, b.c0), a1b1 = kiln_gl_mul(a.c1, b.c1);
    uint64_t a0b1 = kiln_gl_mul(a.c0, b.c1), a1b0 = kiln_gl_mul(a.c1, b.c0);
    return kiln_gl2_make(kiln_gl_add(a0b0, kiln_gl_mul7(a1b1)), kiln_gl_add(a0b1, a1b0));
}

KILN_HD kiln_gl2 kiln_gl2_mul_base(kiln_gl2 a, uint64_t b) {
    return kiln_gl2_make(kiln_gl_mul(a.c0, b), kiln_gl_mul(a.c1, b));
}

KILN_HD kiln_gl2 kiln_gl2_sqr(kiln_gl2 a) { return kiln_gl2_mul(a, a); }

KILN_HD kiln_gl2 kiln_gl2_pow(kiln_gl2 a, uint64_t e) {
    kiln_gl2 r = kiln_gl2_make(1, 0);
    while (e) {
        if (e & 1) r = kiln_gl2_mul(r, a);
        a = kiln_gl2_sqr(a);
        e >>= 1;
    }
    return r;
}

/* (c0 + c1 x)^-1 = (c0 - c1 x) / (c0^2 - 7 c1^2); the norm is nonzero for nonzero a since 7 is a non-square.
 * The inverse of 0 is 0. */
KILN_HD kiln_gl2 kiln_gl2_inv(kiln_gl2 a) {
    uint64_t norm = kiln_gl_sub(kiln_gl_sqr(a.c0), kiln_gl_mul7(kiln_gl_sqr(a.c1)));
    uint64_t ninv = kiln_gl_inv(norm);
    return kiln_gl2_make(kiln_gl_mul(a.c0, ninv), kiln_gl_neg(kiln_gl_mul(a.c1, ninv)));
}

#endif
