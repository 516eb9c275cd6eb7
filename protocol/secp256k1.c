/* secp256k1 public-key recovery over protocol/uint256.h's modular operations. In a guest each operation is
 * one inlined ecall to the u256 precompiles, so the cost is the count of operations (additions and
 * subtractions count as much as products) plus the glue around them.
 *
 * Q = u1 G + u2 R with u1 = -e / r, u2 = s / r (mod n), R = (r, y): Straus's interleaved double-and-add over
 * four scalars of about 128 bits that share about 128 doublings. u1 = lo + 2^128 hi uses static affine tables
 * of G and 2^128 G (secp256k1_gtable.c, width-8 NAF); u2 = k1 + lambda k2 by the GLV endomorphism
 * (lambda (x, y) = (beta x, y)) uses a runtime table of R's odd multiples and their images (width-5 NAF),
 * made affine in an isomorphic frame without an inversion, so that every addition is a mixed one. Negated
 * table points cost nothing: the sign folds into the formulas. The field inversion and square root use
 * addition chains, the scalar inversion a chain and a fixed window schedule; a batch shares both inversions
 * among up to KILN_SECP256K1_BATCH signatures. */
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
static const kiln_u256 P_MINUS_1 = {
    {0xfffffc2eu, 0xfffffffeu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}};
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

/* c = round(k g / 2^384), up to one unit, for the GLV split: software, from the partial products of weight
 * 2^320 and above only (the 55 left out sum to less than 2^358, so they move c by at most one, which
 * leaves the split exact and its halves a bit longer at worst). */
static void mul_shift_384(kiln_u256 *c, const kiln_u256 *k, const kiln_u256 *g) {
    uint32_t prod[16];
    for (int i = 3; i < 8; i++) {
        uint64_t carry = 0;
        for (int j = 10 - i; j < 8; j++) {
            uint64_t t = (uint64_t)k->w[i] * g->w[j] + (i == 3 ? 0 : prod[i + j]) + carry;
            prod[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        prod[i + 8] = (uint32_t)carry;
    }
    uint64_t carry = prod[11] >> 31;
    for (int i = 0; i < 4; i++) {
        carry += prod[12 + i];
        c->w[i] = (uint32_t)carry;
        carry >>= 32;
    }
    c->w[4] = c->w[5] = c->w[6] = c->w[7] = 0; /* word stores: the guest's memset goes byte by byte */
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

/* A width-w NAF, sparse: a = sum dig[j] 2^pos[j] with pos increasing, dig odd in (-2^(w-1), 2^(w-1)), and
 * nonzero digits at least w positions apart (so at most 266 / w + 1 of them). */
#define NAF_MAX (256 / 4 + 2)
typedef struct naf {
    int n;
    int16_t pos[NAF_MAX];
    int8_t dig[NAF_MAX];
} naf;

/* The index of the lowest set bit of x != 0 (RV32IM has no ctz: a de Bruijn product). */
static inline int ctz32(uint32_t x) {
    static const uint8_t idx[32] = {0,  1,  28, 2,  29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4,  8,
                                    31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6,  11, 5,  10, 9};
    return idx[((x & (0u - x)) * 0x077cb531u) >> 27];
}

static void wnaf(naf *o, const kiln_u256 *a, int w) {
    uint32_t v[9]; /* a's limbs and a zero one, so that a 32-bit window may run past bit 255 */
    int top = 7;
    o->n = 0;
    while (top >= 0 && !a->w[top])
        top--;
    if (top < 0) return;
    for (int l = 0; l < 8; l++)
        v[l] = a->w[l];
    v[8] = 0;
    int end = 32 * top + 32 - __builtin_clz(a->w[top]); /* bits from end on are zero */
    uint32_t mask = (1u << w) - 1, carry = 0;
    int i = 0, n = 0;
    while (i < end) {
        /* The 32 bits from i; skip to the first that differs from the carry (the digits before are zero). */
        uint32_t x = (v[i >> 5] >> (i & 31)) | ((v[(i >> 5) + 1] << 1) << (31 - (i & 31)));
        uint32_t diff = x ^ (0u - carry);
        if (!diff) {
            i += 32;
            continue;
        }
        int z = ctz32(diff);
        if (z) {
            i += z;
            if (i >= end) break;
            x = (v[i >> 5] >> (i & 31)) | ((v[(i >> 5) + 1] << 1) << (31 - (i & 31)));
        }
        int d = (int)((x & mask) + carry);
        carry = (uint32_t)(d >> (w - 1)) & 1;
        o->pos[n] = (int16_t)i;
        o->dig[n++] = (int8_t)(d - (int)(carry << w));
        i += w;
    }
    if (carry) {
        o->pos[n] = (int16_t)i; /* i >= end: where the carry lands */
        o->dig[n++] = 1;
    }
    o->n = n;
}

/* ---- points ---- */

typedef struct gej {
    fe x, y, z; /* Jacobian: (x / z^2, y / z^3) */
    int inf;
} gej;

/* r = 2a (a not at infinity; secp256k1 has no point of order 2). r may alias a. 14 operations; the formula
 * does not involve the curve's b, so it serves the isomorphic curves y^2 = x^3 + 7 s^6 as well. */
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

/* a += (neg ? -b : b) for a not at infinity and b = (bx, by) affine, or, with bzinv, b = (bx, by, 1 / bzinv)
 * in a's Jacobian coordinates (an affine point of another isomorphic frame). The sign costs nothing: with rr
 * = s2 + y1 = -(the r of -b) the formulas below swap an operand order instead. When hout is given it receives
 * h, the ratio of the new z to a's (never exceptional then). 18 operations, 19 with bzinv. */
static void gej_add_ge(gej *a, const fe *bx, const fe *by, const fe *bzinv, int neg, fe *hout) {
    fe az, zz, zzz, u2, s2, h, rr, hh, hhh, v, t;
    const fe *z = &a->z;
    if (bzinv) {
        FMUL(&az, &a->z, bzinv);
        z = &az;
    }
    FSQR(&zz, z);
    FMUL(&u2, bx, &zz);
    FMUL(&zzz, &zz, z);
    FMUL(&s2, by, &zzz);
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
    FSQR(&hh, &h);
    FMUL(&hhh, &hh, &h);
    FMUL(&v, &a->x, &hh);
    FMUL(&a->z, &a->z, &h);
    FSQR(&t, &rr);
    FSUB(&t, &t, &hhh);
    FSUB(&t, &t, &v);
    FSUB(&a->x, &t, &v); /* x3 = rr^2 - h^3 - 2 x1 h^2 */
    if (neg)
        FSUB(&t, &a->x, &v);
    else
        FSUB(&t, &v, &a->x);
    FMUL(&t, &t, &rr);
    FMUL(&hhh, &a->y, &hhh);
    FSUB(&a->y, &t, &hhh); /* y3 = r (x1 h^2 - x3) - y1 h^3 */
    if (hout) *hout = h;
}

/* q += (neg ? -b : b) for b = (bx, by) affine in q's frame (a point of R's table). */
static void add_table(gej *q, const fe *bx, const fe *by, int neg) {
    if (q->inf) {
        q->x = *bx;
        FMUL(&q->y, by, neg ? &P_MINUS_1 : &ONE);
        q->z = ONE;
        q->inf = 0;
    } else {
        gej_add_ge(q, bx, by, NULL, neg, NULL);
    }
}

/* q += (neg ? -b : b) for b affine on the curve, b = (b x, b y, 1 / s) in q's frame (s2 = s^2, s3 = s^3). */
static void add_g(gej *q, const kiln_u256 b[2], int neg, const fe *s, const fe *s2, const fe *s3) {
    if (q->inf) {
        FMUL(&q->x, &b[0], s2);
        FMUL(&q->y, &b[1], s3);
        if (neg) FSUB(&q->y, &ZERO, &q->y);
        q->z = ONE;
        q->inf = 0;
    } else {
        gej_add_ge(q, &b[0], &b[1], s, neg, NULL);
    }
}

/* q = (u1neg ? -u1 : u1) G + u2 R for R = (rx, ry) on the curve, in the Jacobian coordinates of the curve. */
__attribute__((noinline)) static void ecmult(gej *q, const kiln_u256 *u1, int u1neg, const fe *rx,
                                             const fe *ry, const kiln_u256 *u2) {
    /* R's odd multiples (2i + 1) R, i < TAB_R, made affine without an inversion ("effective affine"): with
     * D = 2R = (xd, yd, zd), D is affine on the isomorphic frame scaled by zd (x zd^2, y zd^3), where the
     * multiples follow by mixed additions of D; rescaled to their common z = zc, they are affine on the frame
     * scaled by s = zd zc, where the whole sum runs. G's table points are (x, y, 1 / s) there. */
    fe tx[TAB_R], ty[TAB_R], tbx[TAB_R], hs[TAB_R], zd2, sc, s2, s3;
    gej d, t;
    d.x = *rx;
    d.y = *ry;
    d.z = ONE;
    gej_double(&d, &d);
    FSQR(&zd2, &d.z);
    FMUL(&t.x, rx, &zd2);
    FMUL(&zd2, &zd2, &d.z);
    FMUL(&t.y, ry, &zd2);
    t.z = ONE;
    t.inf = 0;
    tx[0] = t.x;
    ty[0] = t.y;
    for (int i = 1; i < TAB_R; i++) {
        gej_add_ge(&t, &d.x, &d.y, NULL, 0, &hs[i]); /* (2i - 1) R != +-2R: never exceptional */
        tx[i] = t.x;
        ty[i] = t.y;
    }
    /* (2i + 1) R has z = prod_{j <= i} hs[j]; scale it by rho = prod_{j > i} hs[j] to reach zc = t.z. */
    fe rho = hs[TAB_R - 1], r2, r3;
    for (int i = TAB_R - 2; i >= 0; i--) {
        if (i < TAB_R - 2) FMUL(&rho, &rho, &hs[i + 1]);
        FSQR(&r2, &rho);
        FMUL(&r3, &r2, &rho);
        FMUL(&tx[i], &tx[i], &r2);
        FMUL(&ty[i], &ty[i], &r3);
    }
    for (int i = 0; i < TAB_R; i++)
        FMUL(&tbx[i], &tx[i], &BETA); /* lambda (x, y) = (beta x, y) in every frame */
    FMUL(&sc, &d.z, &t.z);
    FSQR(&s2, &sc);
    FMUL(&s3, &s2, &sc);

    kiln_u256 k1, k2, lo, hi;
    int neg1, neg2;
    scalar_split_lambda(&k1, &neg1, &k2, &neg2, u2);
    for (int i = 0; i < 4; i++) {
        lo.w[i] = u1->w[i];
        hi.w[i] = u1->w[i + 4];
        lo.w[i + 4] = hi.w[i + 4] = 0;
    }
    naf n1, n2, nlo, nhi;
    wnaf(&n1, &k1, W_R);
    wnaf(&n2, &k2, W_R);
    wnaf(&nlo, &lo, W_G);
    wnaf(&nhi, &hi, W_G);
    /* Horner over the digit positions, top down: at each position with digits, add their points; between
     * positions, double. */
    int j1 = n1.n - 1, j2 = n2.n - 1, jlo = nlo.n - 1, jhi = nhi.n - 1;
    int p1 = j1 >= 0 ? n1.pos[j1] : -1, p2 = j2 >= 0 ? n2.pos[j2] : -1;
    int plo = jlo >= 0 ? nlo.pos[jlo] : -1, phi = jhi >= 0 ? nhi.pos[jhi] : -1;
    int i = p1 > p2 ? p1 : p2;
    i = plo > i ? plo : i;
    i = phi > i ? phi : i;
    q->inf = 1;
    while (i >= 0) {
        int v;
        if (p1 == i) {
            v = n1.dig[j1--];
            add_table(q, &tx[(v < 0 ? -v : v) >> 1], &ty[(v < 0 ? -v : v) >> 1], (v < 0) ^ neg1);
            p1 = j1 >= 0 ? n1.pos[j1] : -1;
        }
        if (p2 == i) {
            v = n2.dig[j2--];
            add_table(q, &tbx[(v < 0 ? -v : v) >> 1], &ty[(v < 0 ? -v : v) >> 1], (v < 0) ^ neg2);
            p2 = j2 >= 0 ? n2.pos[j2] : -1;
        }
        if (plo == i) {
            v = nlo.dig[jlo--];
            add_g(q, kiln_secp256k1_gtable[0][(v < 0 ? -v : v) >> 1], (v < 0) ^ u1neg, &sc, &s2, &s3);
            plo = jlo >= 0 ? nlo.pos[jlo] : -1;
        }
        if (phi == i) {
            v = nhi.dig[jhi--];
            add_g(q, kiln_secp256k1_gtable[1][(v < 0 ? -v : v) >> 1], (v < 0) ^ u1neg, &sc, &s2, &s3);
            phi = jhi >= 0 ? nhi.pos[jhi] : -1;
        }
        int next = p1 > p2 ? p1 : p2;
        next = plo > next ? plo : next;
        next = phi > next ? phi : next;
        int stop = next < 0 ? 0 : next;
        if (!q->inf)
            for (; i > stop; i--)
                gej_double(q, q);
        else
            i = stop;
        if (next < 0) break;
    }
    if (!q->inf) FMUL(&q->z, &q->z, &sc); /* back to the curve's own frame */
}

/* ---- recovery ---- */

/* The checks on recid, r and s that need no arithmetic: KILN_ERR_INVALID_ARG, or KILN_OK with r, s read. */
static kiln_status check_args(const uint8_t r8[32], const uint8_t s8[32], int recid, kiln_u256 *r,
                              kiln_u256 *s) {
    if (recid != 0 && recid != 1) return KILN_ERR_INVALID_ARG;
    kiln_u256_from_be(r, r8);
    kiln_u256_from_be(s, s8);
    if (is_zero(r) || kiln_u256_cmp(r, &N) >= 0) return KILN_ERR_INVALID_ARG;
    if (is_zero(s) || kiln_u256_cmp(s, &N) >= 0) return KILN_ERR_INVALID_ARG;
    return KILN_OK;
}

/* c = r^3 + 7: R's y^2. Never zero (secp256k1 has no point of order 2, so -7 is no cube mod p). */
static void curve_rhs(fe *c, const kiln_u256 *r) {
    FSQR(c, r);
    FMUL(c, c, r);
    FADD(c, c, &SEVEN);
}

/* Checks r, s and recid and finds R = (r, y): y^2 = r^3 + 7, y's parity recid (r < n < p is a field element
 * as it is). */
static kiln_status recover_r(const kiln_secp256k1_sig *sig, kiln_u256 *r, fe *y) {
    kiln_u256 s;
    kiln_status st = check_args(sig->r, sig->s, sig->recid, r, &s);
    if (st != KILN_OK) return st;
    fe c, t;
    curve_rhs(&c, r);
    fe_sqrt_cand(y, &c);
    FSQR(&t, y);
    if (kiln_u256_cmp(&t, &c) != 0) return KILN_ERR_VERIFY;
    if ((int)(y->w[0] & 1) != sig->recid) FSUB(y, &ZERO, y);
    return KILN_OK;
}

/* v[i] = 1 / v[i] mod m for i < n (1 <= n <= KILN_SECP256K1_BATCH, all invertible) with one inversion
 * (Montgomery's trick: the inverse of the product, unwound through the prefix products). */
static void batch_inv(kiln_u256 *v, int n, const kiln_u256 *m, void (*inv)(kiln_u256 *, const kiln_u256 *)) {
    kiln_u256 pre[KILN_SECP256K1_BATCH], acc, t;
    pre[0] = v[0];
    for (int i = 1; i < n; i++)
        KILN_U256_MULMOD(&pre[i], &pre[i - 1], &v[i], m);
    inv(&acc, &pre[n - 1]);
    for (int i = n - 1; i > 0; i--) {
        KILN_U256_MULMOD(&t, &acc, &pre[i - 1], m); /* 1 / v[i] */
        KILN_U256_MULMOD(&acc, &acc, &v[i], m);     /* 1 / (v[0] ... v[i - 1]) */
        v[i] = t;
    }
    v[0] = acc;
}

/* kiln_secp256k1_recover_batch_var for n <= KILN_SECP256K1_BATCH. */
static void recover_chunk(const kiln_secp256k1_sig *sigs, int n, uint8_t (*pubkey)[64], kiln_status *status) {
    kiln_u256 r[KILN_SECP256K1_BATCH], rinv[KILN_SECP256K1_BATCH], zinv[KILN_SECP256K1_BATCH];
    fe y[KILN_SECP256K1_BATCH];
    gej q[KILN_SECP256K1_BATCH];
    int idx[KILN_SECP256K1_BATCH], live[KILN_SECP256K1_BATCH], m = 0, k = 0;
    for (int i = 0; i < n; i++) {
        status[i] = recover_r(&sigs[i], &r[m], &y[m]);
        if (status[i] == KILN_OK) {
            rinv[m] = r[m];
            idx[m++] = i;
        }
    }
    if (m == 0) return;
    batch_inv(rinv, m, &N, scalar_inv);
    for (int j = 0; j < m; j++) {
        /* u1 = -e / r, u2 = s / r; e need not be reduced (mulmod reduces it); the minus goes into the NAF
         * signs. */
        const kiln_secp256k1_sig *sig = &sigs[idx[j]];
        kiln_u256 e, s, u1, u2;
        kiln_u256_from_be(&e, sig->digest);
        kiln_u256_from_be(&s, sig->s);
        NMUL(&u1, &e, &rinv[j]);
        NMUL(&u2, &s, &rinv[j]);
        ecmult(&q[j], &u1, 1, &r[j], &y[j], &u2);
        if (q[j].inf) {
            status[idx[j]] = KILN_ERR_VERIFY;
        } else {
            zinv[k] = q[j].z;
            live[k++] = j;
        }
    }
    if (k == 0) return;
    batch_inv(zinv, k, &P, fe_inv);
    for (int j = 0; j < k; j++) {
        const gej *a = &q[live[j]];
        fe zi2, x, yy;
        FSQR(&zi2, &zinv[j]);
        FMUL(&x, &a->x, &zi2);
        FMUL(&zi2, &zi2, &zinv[j]);
        FMUL(&yy, &a->y, &zi2);
        kiln_u256_to_be(pubkey[idx[live[j]]], &x);
        kiln_u256_to_be(pubkey[idx[live[j]]] + 32, &yy);
    }
}

void kiln_secp256k1_recover_batch_var(const kiln_secp256k1_sig *sigs, size_t n, uint8_t (*pubkey)[64],
                                      kiln_status *status) {
    for (size_t i = 0; i < n; i += KILN_SECP256K1_BATCH) {
        size_t c = n - i < KILN_SECP256K1_BATCH ? n - i : KILN_SECP256K1_BATCH;
        recover_chunk(sigs + i, (int)c, pubkey + i, status + i);
    }
}

kiln_status kiln_secp256k1_recover_var(const uint8_t digest[32], const uint8_t r[32], const uint8_t s[32],
                                       int recid, uint8_t pubkey[64]) {
    kiln_secp256k1_sig sig;
    kiln_status st;
    uint8_t pub[1][64];
    memcpy(sig.digest, digest, 32);
    memcpy(sig.r, r, 32);
    memcpy(sig.s, s, 32);
    sig.recid = recid;
    recover_chunk(&sig, 1, pub, &st);
    if (st == KILN_OK) memcpy(pubkey, pub[0], 64);
    return st;
}

/* ---- hinted recovery ---- */

/* (X / Z^2, Y / Z^3) of q (not at infinity) with zi = 1 / Z, big-endian. */
static void to_affine_be(uint8_t pubkey[64], const gej *q, const fe *zi) {
    fe zi2, x, yy;
    FSQR(&zi2, zi);
    FMUL(&x, &q->x, &zi2);
    FMUL(&zi2, &zi2, zi);
    FMUL(&yy, &q->y, &zi2);
    kiln_u256_to_be(pubkey, &x);
    kiln_u256_to_be(pubkey + 32, &yy);
}

/* q = u1 G + u2 R with u1 = -e / r, u2 = s / r (rinv = 1 / r mod n). */
static void ecmult_sig(gej *q, const uint8_t digest[32], const kiln_u256 *s, const kiln_u256 *r, const fe *y,
                       const kiln_u256 *rinv) {
    kiln_u256 e, u1, u2;
    kiln_u256_from_be(&e, digest);
    NMUL(&u1, &e, rinv);
    NMUL(&u2, s, rinv);
    ecmult(q, &u1, 1, r, y, &u2);
}

kiln_status kiln_secp256k1_recover_hint_var(const uint8_t digest[32], const uint8_t r8[32],
                                            const uint8_t s8[32], int recid, kiln_secp256k1_hint *hint) {
    kiln_u256 r, s, ri;
    fe c, y, t, zi;
    gej q;
    memset(hint, 0, sizeof *hint);
    kiln_status st = check_args(r8, s8, recid, &r, &s);
    if (st != KILN_OK) return st;
    curve_rhs(&c, &r);
    fe_sqrt_cand(&y, &c);
    FSQR(&t, &y);
    if (kiln_u256_cmp(&t, &c) != 0) {
        /* c is no square, so -c is one (p = 3 mod 4): its even root proves it. */
        FSUB(&t, &ZERO, &c);
        fe_sqrt_cand(&y, &t);
        FSQR(&c, &y);
        if (kiln_u256_cmp(&c, &t) != 0) return KILN_ERR_INTERNAL; /* cannot happen */
        if (y.w[0] & 1) FSUB(&y, &ZERO, &y);
        kiln_u256_to_be(hint->y, &y);
        return KILN_ERR_VERIFY;
    }
    if ((int)(y.w[0] & 1) != recid) FSUB(&y, &ZERO, &y);
    kiln_u256_to_be(hint->y, &y);
    scalar_inv(&ri, &r);
    kiln_u256_to_be(hint->r_inv, &ri);
    ecmult_sig(&q, digest, &s, &r, &y, &ri);
    if (q.inf) return KILN_ERR_VERIFY;
    fe_inv(&zi, &q.z);
    kiln_u256_to_be(hint->z_inv, &zi);
    return KILN_OK;
}

static int bytes_zero(const uint8_t *b, size_t n) {
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= b[i];
    return acc == 0;
}

kiln_status kiln_secp256k1_recover_hinted_var(const uint8_t digest[32], const uint8_t r8[32],
                                              const uint8_t s8[32], int recid,
                                              const kiln_secp256k1_hint *hint, uint8_t pubkey[64]) {
    kiln_u256 r, s, ri, t;
    fe c, y, zi;
    gej q;
    kiln_status st = check_args(r8, s8, recid, &r, &s);
    if (st != KILN_OK) return bytes_zero((const uint8_t *)hint, sizeof *hint) ? st : KILN_ERR_INTERNAL;
    kiln_u256_from_be(&y, hint->y);
    kiln_u256_from_be(&ri, hint->r_inv);
    kiln_u256_from_be(&zi, hint->z_inv);
    /* Canonical hints only: each field has exactly one accepted value. */
    if (kiln_u256_cmp(&y, &P) >= 0 || kiln_u256_cmp(&ri, &N) >= 0 || kiln_u256_cmp(&zi, &P) >= 0)
        return KILN_ERR_INTERNAL;
    curve_rhs(&c, &r);
    FSQR(&t, &y);
    if (kiln_u256_cmp(&t, &c) != 0) {
        /* y^2 = -c (c != 0) proves that c is no square: -1 is none, as p = 3 mod 4. */
        FADD(&t, &t, &c);
        if (!is_zero(&t) || (y.w[0] & 1) || !is_zero(&ri) || !is_zero(&zi)) return KILN_ERR_INTERNAL;
        return KILN_ERR_VERIFY;
    }
    if ((int)(y.w[0] & 1) != recid) return KILN_ERR_INTERNAL;
    NMUL(&t, &r, &ri);
    if (kiln_u256_cmp(&t, &ONE) != 0) return KILN_ERR_INTERNAL;
    ecmult_sig(&q, digest, &s, &r, &y, &ri);
    if (q.inf)
        return is_zero(&zi) ? KILN_ERR_VERIFY : KILN_ERR_INTERNAL; /* Q itself, not the hint, decides */
    FMUL(&t, &q.z, &zi);
    if (kiln_u256_cmp(&t, &ONE) != 0) return KILN_ERR_INTERNAL;
    to_affine_be(pubkey, &q, &zi);
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
