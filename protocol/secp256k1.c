/* secp256k1 public-key recovery over protocol/uint256.h's modular operations (the u256 precompiles in a
 * guest, so the cost that matters is the count of modular operations, each one call, plus the glue around
 * them).
 *
 * Q = u1 G + u2 R with u1 = e / r, u2 = s / r (mod n), R = (r, y): Straus's interleaved double-and-add over
 * four scalars of about 128 bits, sharing 128 doublings. u1 = lo + 2^128 hi uses affine tables of G and
 * 2^128 G (secp256k1_gtable.c, width-8 NAF, mixed additions); u2 = k1 + lambda k2 by the GLV endomorphism
 * (lambda (x, y) = (beta x, y)) uses a runtime table of R's odd multiples in Jacobian coordinates and its
 * image under the endomorphism (width-5 NAF). Field inversion and square root use addition chains; the
 * scalar inversion a sliding window. Negated table points cost nothing: the sign folds into the formulas. */
#include "secp256k1.h"

#include "keccak/keccak.h"
#include "secp256k1_gtable.h"
#include "uint256.h"

typedef kiln_u256 fe;

/* Field and group constants as little-endian limbs (scripts/gen_secp256k1_gtable.py's curve). */
static const kiln_u256 P = {
    {0xfffffc2fu, 0xfffffffeu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}};
static const kiln_u256 N = {
    {0xd0364141u, 0xbfd25e8cu, 0xaf48a03bu, 0xbaaedce6u, 0xfffffffeu, 0xffffffffu, 0xffffffffu, 0xffffffffu}};
static const kiln_u256 N_HALF = {
    {0x681b20a0u, 0xdfe92f46u, 0x57a4501du, 0x5d576e73u, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x7fffffffu}};
/* beta: a cube root of unity mod p; lambda: the one mod n with lambda (x, y) = (beta x, y). */
static const kiln_u256 BETA = {
    {0x719501eeu, 0xc1396c28u, 0x12f58995u, 0x9cf04975u, 0xac3434e9u, 0x6e64479eu, 0x657c0710u, 0x7ae96a2bu}};
static const kiln_u256 LAMBDA = {
    {0x1b23bd72u, 0xdf02967cu, 0x20816678u, 0x122e22eau, 0x8812645au, 0xa5261c02u, 0xc05c30e0u, 0x5363ad4cu}};
/* The GLV split's short lattice basis {(a1, b1), (a2, b2)} (b2 = a1): g1 = round(2^384 b2 / n),
 * g2 = round(2^384 (-b1) / n), and -b1, -b2 mod n. */
static const kiln_u256 G1 = {
    {0x45dbb031u, 0xe893209au, 0x71e8ca7fu, 0x3daa8a14u, 0x9284eb15u, 0xe86c90e4u, 0xa7d46bcdu, 0x3086d221u}};
static const kiln_u256 G2 = {
    {0x8ac47f71u, 0x1571b4aeu, 0x9df506c6u, 0x221208acu, 0x0abfe4c4u, 0x6f547fa9u, 0x010e8828u, 0xe4437ed6u}};
static const kiln_u256 MINUS_B1 = {{0x0abfe4c3u, 0x6f547fa9u, 0x010e8828u, 0xe4437ed6u, 0, 0, 0, 0}};
static const kiln_u256 MINUS_B2 = {
    {0x3db1562cu, 0xd765cda8u, 0x0774346du, 0x8a280ac5u, 0xfffffffeu, 0xffffffffu, 0xffffffffu, 0xffffffffu}};
static const kiln_u256 HALF = {{0x7ffffe18u, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
                                0xffffffffu, 0x7fffffffu}}; /* 1/2 mod p */
static const kiln_u256 ZERO = {{0}};
static const kiln_u256 ONE = {{1}};
static const kiln_u256 THREE = {{3}};
static const kiln_u256 SEVEN = {{7}};

#define FMUL(r, a, b) KILN_U256_MULMOD((r), (a), (b), &P)
#define FSQR(r, a) KILN_U256_MULMOD((r), (a), (a), &P)
#define FADD(r, a, b) KILN_U256_ADDMOD((r), (a), (b), &P)
#define FSUB(r, a, b) KILN_U256_SUBMOD((r), (a), (b), &P)
#define NMUL(r, a, b) KILN_U256_MULMOD((r), (a), (b), &N)
#define NSQR(r, a) KILN_U256_MULMOD((r), (a), (a), &N)

static inline int is_zero(const kiln_u256 *a) {
    return (a->w[0] | a->w[1] | a->w[2] | a->w[3] | a->w[4] | a->w[5] | a->w[6] | a->w[7]) == 0;
}

#define W_R 5 /* NAF width of the GLV halves of u2 (tables of 2^(W_R - 2) points) */
#define TAB_R (1 << (W_R - 2))
#define W_G KILN_SECP256K1_GTABLE_W
#define NAF_LEN (256 + 10) /* digits of a NAF of up to 256 bits (plus the final carry) */

/* ---- field: exponentiations by addition chains ---- */

static void fe_sqr_n(fe *r, const fe *a, int n) {
    FSQR(r, a);
    while (--n > 0)
        FSQR(r, r);
}

/* x2 = a^(2^2 - 1), x22 = a^(2^22 - 1), x223 = a^(2^223 - 1): the blocks of ones in p - 2 and (p + 1) / 4,
 * which are [223 ones] 0 [22 ones] followed by 0000101101 and 00001100 respectively. */
static void fe_pow_blocks(fe *x2, fe *x22, fe *x223, const fe *a) {
    fe x3, x6, x9, x11, x44, x88, x176, x220, t;
    FSQR(&t, a);
    FMUL(x2, &t, a);
    FSQR(&t, x2);
    FMUL(&x3, &t, a);
    fe_sqr_n(&t, &x3, 3);
    FMUL(&x6, &t, &x3);
    fe_sqr_n(&t, &x6, 3);
    FMUL(&x9, &t, &x3);
    fe_sqr_n(&t, &x9, 2);
    FMUL(&x11, &t, x2);
    fe_sqr_n(&t, &x11, 11);
    FMUL(x22, &t, &x11);
    fe_sqr_n(&t, x22, 22);
    FMUL(&x44, &t, x22);
    fe_sqr_n(&t, &x44, 44);
    FMUL(&x88, &t, &x44);
    fe_sqr_n(&t, &x88, 88);
    FMUL(&x176, &t, &x88);
    fe_sqr_n(&t, &x176, 44);
    FMUL(&x220, &t, &x44);
    fe_sqr_n(&t, &x220, 3);
    FMUL(x223, &t, &x3);
}

/* r = 1 / a (a != 0): a^(p - 2). */
static void fe_inv(fe *r, const fe *a) {
    fe x2, x22, t;
    fe_pow_blocks(&x2, &x22, &t, a);
    fe_sqr_n(&t, &t, 23);
    FMUL(&t, &t, &x22);
    fe_sqr_n(&t, &t, 5);
    FMUL(&t, &t, a);
    fe_sqr_n(&t, &t, 3);
    FMUL(&t, &t, &x2);
    fe_sqr_n(&t, &t, 2);
    FMUL(r, &t, a);
}

/* r = a^((p + 1) / 4): a square root of a when a has one (p = 3 mod 4). */
static void fe_sqrt_cand(fe *r, const fe *a) {
    fe x2, x22, t;
    fe_pow_blocks(&x2, &x22, &t, a);
    fe_sqr_n(&t, &t, 23);
    FMUL(&t, &t, &x22);
    fe_sqr_n(&t, &t, 6);
    FMUL(&t, &t, &x2);
    fe_sqr_n(r, &t, 2);
}

/* ---- scalars ---- */

static void scalar_sqr_n(kiln_u256 *r, const kiln_u256 *a, int n) {
    NSQR(r, a);
    while (--n > 0)
        NSQR(r, r);
}

/* n - 2 below its top 128 bits (2^127 - 1, then a zero) as a sliding window over the odd powers a .. a^15:
 * {squarings, then multiply by a^odd}. */
static const uint8_t INV_STEPS[26][2] = {{5, 11},  {3, 5},  {4, 5},  {4, 7},  {5, 13}, {2, 3},  {5, 7},
                                         {6, 13},  {5, 11}, {4, 13}, {3, 1},  {6, 5},  {10, 7}, {4, 7},
                                         {5, 15},  {4, 15}, {5, 9},  {6, 11}, {4, 13}, {5, 3},  {6, 13},
                                         {10, 13}, {4, 9},  {9, 9},  {4, 15}, {1, 1}};

/* r = 1 / a mod n (a != 0): a^(n - 2), 296 operations. */
static void scalar_inv(kiln_u256 *r, const kiln_u256 *a) {
    kiln_u256 odd[8], a2, x8, x16, x32, t;
    odd[0] = *a;
    NSQR(&a2, a);
    for (int i = 1; i < 8; i++)
        NMUL(&odd[i], &odd[i - 1], &a2);
    /* xk = a^(2^k - 1): x4 = a^15, x2 = a^3. */
    scalar_sqr_n(&t, &odd[7], 4);
    NMUL(&x8, &t, &odd[7]);
    scalar_sqr_n(&t, &x8, 8);
    NMUL(&x16, &t, &x8);
    scalar_sqr_n(&t, &x16, 16);
    NMUL(&x32, &t, &x16);
    scalar_sqr_n(&t, &x32, 32);
    NMUL(&t, &t, &x32); /* x64 */
    scalar_sqr_n(&t, &t, 32);
    NMUL(&t, &t, &x32); /* x96 */
    scalar_sqr_n(&t, &t, 16);
    NMUL(&t, &t, &x16); /* x112 */
    scalar_sqr_n(&t, &t, 8);
    NMUL(&t, &t, &x8); /* x120 */
    scalar_sqr_n(&t, &t, 4);
    NMUL(&t, &t, &odd[7]); /* x124 */
    scalar_sqr_n(&t, &t, 2);
    NMUL(&t, &t, &odd[1]); /* x126 */
    NSQR(&t, &t);
    NMUL(&t, &t, a); /* x127 */
    for (int i = 0; i < 26; i++) {
        scalar_sqr_n(&t, &t, INV_STEPS[i][0]);
        NMUL(&t, &t, &odd[INV_STEPS[i][1] >> 1]);
    }
    *r = t;
}

/* c = round(k g / 2^384) for the GLV split (software: a 512-bit product of which the top half is kept). */
static void mul_shift_384(kiln_u256 *c, const kiln_u256 *k, const kiln_u256 *g) {
    uint32_t prod[16] = {0};
    for (int i = 0; i < 8; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 8; j++) {
            uint64_t t = (uint64_t)k->w[i] * g->w[j] + prod[i + j] + carry;
            prod[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        prod[i + 8] = (uint32_t)carry;
    }
    uint64_t carry = prod[11] >> 31;
    for (int i = 0; i < 8; i++) {
        carry += i < 4 ? prod[12 + i] : 0;
        c->w[i] = (uint32_t)carry;
        carry >>= 32;
    }
}

/* Splits k (mod n) as k = (neg1 ? -k1 : k1) + lambda (neg2 ? -k2 : k2) with k1, k2 of about 128 bits. */
static void scalar_split_lambda(kiln_u256 *k1, int *neg1, kiln_u256 *k2, int *neg2, const kiln_u256 *k) {
    kiln_u256 c1, c2, t;
    mul_shift_384(&c1, k, &G1);
    mul_shift_384(&c2, k, &G2);
    NMUL(&c1, &c1, &MINUS_B1);
    NMUL(&c2, &c2, &MINUS_B2);
    KILN_U256_ADDMOD(k2, &c1, &c2, &N);
    NMUL(&t, k2, &LAMBDA);
    KILN_U256_SUBMOD(k1, k, &t, &N);
    *neg1 = kiln_u256_cmp(k1, &N_HALF) > 0;
    if (*neg1) kiln_u256_sub(k1, &N, k1);
    *neg2 = kiln_u256_cmp(k2, &N_HALF) > 0;
    if (*neg2) kiln_u256_sub(k2, &N, k2);
}

/* w bits of a from bit i (zero past bit 255), w <= 31. */
static uint32_t bits_at(const kiln_u256 *a, int i, int w) {
    int l = i >> 5, s = i & 31;
    if (l >= 8) return 0;
    uint32_t v = a->w[l] >> s;
    if (s + w > 32 && l < 7) v |= a->w[l + 1] << (32 - s);
    return v & ((1u << w) - 1);
}

/* Width-w NAF of a: d[i] zero or odd in (-2^(w-1), 2^(w-1)), a = sum d[i] 2^i. d holds NAF_LEN digits;
 * returns the count up to the highest nonzero one (digits from there on are not written). */
static int wnaf(int8_t d[NAF_LEN], const kiln_u256 *a, int w) {
    int top = 7;
    while (top >= 0 && !a->w[top])
        top--;
    if (top < 0) return 0;
    int end = 32 * top + 32 - __builtin_clz(a->w[top]); /* bits above end - 1 are zero */
    int i = 0, carry = 0, len = 0;
    while (i < end) {
        uint32_t win = bits_at(a, i, w);
        if ((win & 1) == (uint32_t)carry) {
            d[i++] = 0;
            continue;
        }
        int v = (int)win + carry;
        carry = (v >> (w - 1)) & 1;
        v -= carry << w;
        d[i] = (int8_t)v;
        for (int k = 1; k < w; k++)
            d[i + k] = 0;
        len = i + 1;
        i += w;
    }
    if (carry) {
        d[i] = 1;
        len = i + 1;
    }
    return len;
}

/* ---- points ---- */

typedef struct gej {
    fe x, y, z; /* Jacobian: (x / z^2, y / z^3) */
    int inf;
} gej;

/* A Jacobian table point with z^2 and z^3 ready. */
typedef struct gej_tab {
    fe x, y, z, zz, zzz;
} gej_tab;

/* r = 2a (a not at infinity; secp256k1 has no point of order 2). r may alias a. 14 operations. */
static void gej_double(gej *r, const gej *a) {
    fe y2, b, s, c, m, t;
    FADD(&y2, &a->y, &a->y); /* 2y */
    FSQR(&b, &y2);           /* 4y^2 */
    FMUL(&s, &a->x, &b);     /* S = 4xy^2 */
    FSQR(&c, &b);            /* 16y^4 */
    FMUL(&c, &c, &HALF);     /* 8y^4 */
    FMUL(&r->z, &y2, &a->z); /* z3 = 2yz */
    FSQR(&m, &a->x);
    FMUL(&m, &m, &THREE); /* M = 3x^2 */
    FSQR(&t, &m);
    FSUB(&t, &t, &s);
    FSUB(&r->x, &t, &s); /* x3 = M^2 - 2S */
    FSUB(&t, &s, &r->x);
    FMUL(&t, &m, &t);
    FSUB(&r->y, &t, &c); /* y3 = M (S - x3) - 8y^4 */
    r->inf = 0;
}

/* The tail of an addition once u1 = x1 (z2^2), s1 = y1 (z2^3), h = u2 - u1 and rr = s2 - s1 (or, when neg,
 * s2 + s1 = -(the r of the negated point)) are known; zh = the new z before the factor h. */
static void gej_add_tail(gej *r, const fe *u1, const fe *s1, const fe *h, const fe *rr, const fe *zh,
                         int neg) {
    fe hh, hhh, v, t;
    FSQR(&hh, h);
    FMUL(&hhh, &hh, h);
    FMUL(&v, u1, &hh);
    FMUL(&r->z, zh, h);
    FSQR(&t, rr);
    FSUB(&t, &t, &hhh);
    FSUB(&t, &t, &v);
    FSUB(&r->x, &t, &v); /* x3 = rr^2 - h^3 - 2 u1 h^2 */
    if (neg)
        FSUB(&t, &r->x, &v);
    else
        FSUB(&t, &v, &r->x);
    FMUL(&t, &t, rr);
    FMUL(&hhh, s1, &hhh);
    FSUB(&r->y, &t, &hhh); /* y3 = r (u1 h^2 - x3) - s1 h^3 */
}

/* a += (neg ? -b : b) for an affine b. 18 operations in general. */
static void gej_add_ge(gej *a, const kiln_u256 b[2], int neg) {
    if (a->inf) {
        a->x = b[0];
        if (neg)
            FSUB(&a->y, &ZERO, &b[1]);
        else
            a->y = b[1];
        a->z = ONE;
        a->inf = 0;
        return;
    }
    fe zz, zzz, u2, s2, h, rr;
    FSQR(&zz, &a->z);
    FMUL(&u2, &b[0], &zz);
    FMUL(&zzz, &zz, &a->z);
    FMUL(&s2, &b[1], &zzz);
    FSUB(&h, &u2, &a->x);
    if (neg)
        FADD(&rr, &s2, &a->y);
    else
        FSUB(&rr, &s2, &a->y);
    if (is_zero(&h)) {
        if (is_zero(&rr))
            gej_double(a, a);
        else
            a->inf = 1;
        return;
    }
    gej_add_tail(a, &a->x, &a->y, &h, &rr, &a->z, neg); /* the tail reads each before it overwrites it */
}

/* a += (neg ? -b : b) for a Jacobian table point b. 21 operations in general. */
static void gej_add_tab(gej *a, const gej_tab *b, int neg) {
    if (a->inf) {
        a->x = b->x;
        if (neg)
            FSUB(&a->y, &ZERO, &b->y);
        else
            a->y = b->y;
        a->z = b->z;
        a->inf = 0;
        return;
    }
    fe zz, zzz, u1, u2, s1, s2, h, rr, zh;
    FSQR(&zz, &a->z);
    FMUL(&zzz, &zz, &a->z);
    FMUL(&u1, &a->x, &b->zz);
    FMUL(&u2, &b->x, &zz);
    FMUL(&s1, &a->y, &b->zzz);
    FMUL(&s2, &b->y, &zzz);
    FSUB(&h, &u2, &u1);
    if (neg)
        FADD(&rr, &s2, &s1);
    else
        FSUB(&rr, &s2, &s1);
    if (is_zero(&h)) {
        if (is_zero(&rr))
            gej_double(a, a);
        else
            a->inf = 1;
        return;
    }
    FMUL(&zh, &a->z, &b->z);
    gej_add_tail(a, &u1, &s1, &h, &rr, &zh, neg);
}

/* q = (u1neg ? -u1 : u1) G + u2 R for R = (rx, ry) on the curve. */
static void ecmult(gej *q, const kiln_u256 *u1, int u1neg, const fe *rx, const fe *ry, const kiln_u256 *u2) {
    /* R's odd multiples (2i + 1) R and their images (beta x, y, z) under the endomorphism. */
    gej_tab tab[TAB_R], tab_l[TAB_R];
    gej d, t;
    tab[0].x = *rx;
    tab[0].y = *ry;
    tab[0].z = tab[0].zz = tab[0].zzz = ONE;
    d.x = *rx;
    d.y = *ry;
    d.z = ONE;
    gej_double(&d, &d);
    gej_tab dt;
    dt.x = d.x;
    dt.y = d.y;
    dt.z = d.z;
    FSQR(&dt.zz, &d.z);
    FMUL(&dt.zzz, &dt.zz, &d.z);
    for (int i = 1; i < TAB_R; i++) {
        t.x = tab[i - 1].x;
        t.y = tab[i - 1].y;
        t.z = tab[i - 1].z;
        t.inf = 0;
        gej_add_tab(&t, &dt, 0); /* never exceptional: (2i - 1) R != +-2R for a point of prime order n */
        tab[i].x = t.x;
        tab[i].y = t.y;
        tab[i].z = t.z;
        FSQR(&tab[i].zz, &t.z);
        FMUL(&tab[i].zzz, &tab[i].zz, &t.z);
    }
    for (int i = 0; i < TAB_R; i++) {
        tab_l[i] = tab[i];
        FMUL(&tab_l[i].x, &tab[i].x, &BETA);
    }

    kiln_u256 k1, k2, lo, hi;
    int neg1, neg2;
    scalar_split_lambda(&k1, &neg1, &k2, &neg2, u2);
    memset(&lo, 0, sizeof lo);
    memset(&hi, 0, sizeof hi);
    memcpy(lo.w, u1->w, 4 * sizeof(uint32_t));
    memcpy(hi.w, u1->w + 4, 4 * sizeof(uint32_t));
    int8_t n1[NAF_LEN], n2[NAF_LEN], nlo[NAF_LEN], nhi[NAF_LEN];
    int l1 = wnaf(n1, &k1, W_R), l2 = wnaf(n2, &k2, W_R), llo = wnaf(nlo, &lo, W_G),
        lhi = wnaf(nhi, &hi, W_G);
    int len = l1 > l2 ? l1 : l2;
    len = llo > len ? llo : len;
    len = lhi > len ? lhi : len;

    q->inf = 1;
    for (int i = len - 1; i >= 0; i--) {
        if (!q->inf) gej_double(q, q);
        int v;
        if (i < l1 && (v = n1[i]) != 0) gej_add_tab(q, &tab[(v < 0 ? -v : v) >> 1], (v < 0) ^ neg1);
        if (i < l2 && (v = n2[i]) != 0) gej_add_tab(q, &tab_l[(v < 0 ? -v : v) >> 1], (v < 0) ^ neg2);
        if (i < llo && (v = nlo[i]) != 0)
            gej_add_ge(q, kiln_secp256k1_gtable[0][(v < 0 ? -v : v) >> 1], (v < 0) ^ u1neg);
        if (i < lhi && (v = nhi[i]) != 0)
            gej_add_ge(q, kiln_secp256k1_gtable[1][(v < 0 ? -v : v) >> 1], (v < 0) ^ u1neg);
    }
}

/* ---- recovery ---- */

kiln_status kiln_secp256k1_recover_var(const uint8_t digest[32], const uint8_t r32[32], const uint8_t s32[32],
                                       int recid, uint8_t pubkey[64]) {
    kiln_u256 r, s, e, rinv, u1, u2;
    if (recid != 0 && recid != 1) return KILN_ERR_INVALID_ARG;
    kiln_u256_from_be(&r, r32);
    kiln_u256_from_be(&s, s32);
    if (kiln_u256_is_zero(&r) || kiln_u256_cmp(&r, &N) >= 0) return KILN_ERR_INVALID_ARG;
    if (kiln_u256_is_zero(&s) || kiln_u256_cmp(&s, &N) >= 0) return KILN_ERR_INVALID_ARG;

    /* R = (r, y) with y^2 = r^3 + 7 and y's parity recid (r < n < p is a field element as it is). */
    fe c, y, t;
    FSQR(&c, &r);
    FMUL(&c, &c, &r);
    FADD(&c, &c, &SEVEN);
    fe_sqrt_cand(&y, &c);
    FSQR(&t, &y);
    if (kiln_u256_cmp(&t, &c) != 0) return KILN_ERR_VERIFY;
    if ((int)(y.w[0] & 1) != recid) FSUB(&y, &ZERO, &y);

    /* u1 = -e / r, u2 = s / r; e need not be reduced (mulmod reduces it); the minus goes into the NAF signs.
     */
    kiln_u256_from_be(&e, digest);
    scalar_inv(&rinv, &r);
    NMUL(&u1, &e, &rinv);
    NMUL(&u2, &s, &rinv);

    gej q;
    ecmult(&q, &u1, 1, &r, &y, &u2);
    if (q.inf) return KILN_ERR_VERIFY;
    fe zi, zi2, x, yy;
    fe_inv(&zi, &q.z);
    FSQR(&zi2, &zi);
    FMUL(&x, &q.x, &zi2);
    FMUL(&zi2, &zi2, &zi);
    FMUL(&yy, &q.y, &zi2);
    kiln_u256_to_be(pubkey, &x);
    kiln_u256_to_be(pubkey + 32, &yy);
    return KILN_OK;
}

void kiln_secp256k1_address(const uint8_t pubkey[64], uint8_t addr[20]) {
    uint8_t h[32];
    kiln_keccak256(pubkey, 64, h);
    memcpy(addr, h + 12, 20);
}

int kiln_secp256k1_s_is_low(const uint8_t s[32]) {
    kiln_u256 v;
    kiln_u256_from_be(&v, s);
    return kiln_u256_cmp(&v, &N_HALF) <= 0;
}
