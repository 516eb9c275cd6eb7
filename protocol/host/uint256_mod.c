/* The host's software for protocol/uint256.h's modular operations (guests use the VM's precompiles instead):
 * 32-bit limbs with 64-bit intermediates, a 512-bit schoolbook product and Knuth's algorithm D for
 * remainders. Any nonzero modulus; inputs need not be reduced; the result may alias any argument. */
#include "uint256.h"

/* r = u mod m for u of ulen <= 16 little-endian limbs and m != 0 (Knuth, TAOCP vol. 2, 4.3.1, algorithm D
 * with the divisor normalised so that its top limb has its high bit set). */
static void mod_limbs(uint32_t r[8], const uint32_t *u, int ulen, const uint32_t m[8]) {
    int n = 8;
    while (n > 1 && m[n - 1] == 0)
        n--;
    while (ulen > 0 && u[ulen - 1] == 0)
        ulen--;
    memset(r, 0, 8 * sizeof(uint32_t));
    if (ulen < n) {
        memcpy(r, u, (size_t)ulen * sizeof(uint32_t));
        return;
    }
    if (n == 1) {
        uint64_t rem = 0;
        for (int i = ulen - 1; i >= 0; i--)
            rem = ((rem << 32) | u[i]) % m[0];
        r[0] = (uint32_t)rem;
        return;
    }
    int sh = __builtin_clz(m[n - 1]);
    uint32_t v[8], un[17];
    for (int i = n - 1; i > 0; i--)
        v[i] = sh ? (m[i] << sh) | (m[i - 1] >> (32 - sh)) : m[i];
    v[0] = m[0] << sh;
    un[ulen] = sh ? u[ulen - 1] >> (32 - sh) : 0;
    for (int i = ulen - 1; i > 0; i--)
        un[i] = sh ? (u[i] << sh) | (u[i - 1] >> (32 - sh)) : u[i];
    un[0] = u[0] << sh;
    for (int j = ulen - n; j >= 0; j--) {
        /* Estimate the quotient digit from the top two limbs, correct it with the third (at most twice). */
        uint64_t num = ((uint64_t)un[j + n] << 32) | un[j + n - 1];
        uint64_t qhat = num / v[n - 1], rhat = num % v[n - 1];
        while (qhat >> 32 || qhat * v[n - 2] > ((rhat << 32) | un[j + n - 2])) {
            qhat--;
            rhat += v[n - 1];
            if (rhat >> 32) break;
        }
        /* un[j .. j+n] -= qhat * v; add v back once when that went negative. */
        uint64_t carry = 0, borrow = 0;
        for (int i = 0; i < n; i++) {
            uint64_t prod = qhat * v[i] + carry;
            carry = prod >> 32;
            uint64_t d = (uint64_t)un[i + j] - (uint32_t)prod - borrow;
            un[i + j] = (uint32_t)d;
            borrow = d >> 63;
        }
        uint64_t d = (uint64_t)un[j + n] - carry - borrow;
        un[j + n] = (uint32_t)d;
        if (d >> 63) {
            uint64_t c = 0;
            for (int i = 0; i < n; i++) {
                c += (uint64_t)un[i + j] + v[i];
                un[i + j] = (uint32_t)c;
                c >>= 32;
            }
            un[j + n] += (uint32_t)c;
        }
    }
    for (int i = 0; i < n; i++)
        r[i] = sh ? (un[i] >> sh) | (un[i + 1] << (32 - sh)) : un[i];
}

/* The fast path for m = 2^256 - c with c below 2^160 (m's top three limbs all ones: secp256k1's p and n,
 * 2^256 - 1), in 64-bit limbs (host only: unsigned __int128 products). */
typedef unsigned __int128 u128;

/* Sets c = 2^256 - m (three 64-bit limbs) and returns its length in limbs when m is of that form, else 0. */
static int pseudo_mersenne(const uint32_t m[8], uint64_t c[3]) {
    if ((m[5] & m[6] & m[7]) != 0xffffffffu) return 0;
    uint64_t carry = 1;
    uint32_t c32[6];
    for (int i = 0; i < 6; i++) {
        carry += (uint32_t)~m[i];
        c32[i] = (uint32_t)carry;
        carry >>= 32;
    }
    int len = 0;
    for (int i = 0; i < 3; i++) {
        c[i] = c32[2 * i] | (uint64_t)c32[2 * i + 1] << 32;
        if (c[i]) len = i + 1;
    }
    return len; /* nonzero: m != 2^256 */
}

/* r = u mod m for the 512-bit u (eight 64-bit limbs) and m = 2^256 - c: folds u = lo + 2^256 hi into
 * lo + c hi until it fits 256 bits, then subtracts m once if needed (m > 2^255: the value is below 2m). */
static void fold_reduce(uint32_t r[8], const uint64_t u[8], const uint64_t *c, int clen,
                        const uint32_t m[8]) {
    uint64_t cur[9], t[9];
    int ulen = 8;
    memcpy(cur, u, 8 * sizeof(uint64_t));
    while (ulen > 4 && cur[ulen - 1] == 0)
        ulen--;
    while (ulen > 4) {
        int tlen = ulen - 4 + clen + 1; /* the sum's length, lo's carry included */
        if (tlen < 5) tlen = 5;
        for (int i = 0; i < 9; i++)
            t[i] = i < 4 ? cur[i] : 0;
        for (int i = 0; i < ulen - 4; i++) {
            uint64_t carry = 0;
            for (int j = 0; j < clen; j++) {
                u128 x = (u128)cur[4 + i] * c[j] + t[i + j] + carry;
                t[i + j] = (uint64_t)x;
                carry = (uint64_t)(x >> 64);
            }
            for (int k = i + clen; carry; k++) {
                u128 x = (u128)t[k] + carry;
                t[k] = (uint64_t)x;
                carry = (uint64_t)(x >> 64);
            }
        }
        memcpy(cur, t, (size_t)tlen * sizeof(uint64_t));
        ulen = tlen;
        while (ulen > 4 && cur[ulen - 1] == 0)
            ulen--;
    }
    kiln_u256 v, mm;
    for (int i = 0; i < 4; i++) {
        uint64_t x = i < ulen ? cur[i] : 0;
        v.w[2 * i] = (uint32_t)x;
        v.w[2 * i + 1] = (uint32_t)(x >> 32);
    }
    memcpy(mm.w, m, sizeof mm.w);
    if (kiln_u256_cmp(&v, &mm) >= 0) kiln_u256_sub(&v, &v, &mm);
    memcpy(r, v.w, sizeof v.w);
}

/* x = a mod m, skipping the division when a is already reduced. */
static void reduce(uint32_t x[8], const kiln_u256 *a, const kiln_u256 *m) {
    if (kiln_u256_cmp(a, m) < 0)
        memcpy(x, a->w, sizeof a->w);
    else
        mod_limbs(x, a->w, 8, m->w);
}

void kiln_u256_addmod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m) {
    kiln_u256 x, y, s;
    reduce(x.w, a, m);
    reduce(y.w, b, m);
    uint32_t carry = kiln_u256_add(&s, &x, &y);
    /* x + y < 2m: one subtraction suffices (taken mod 2^256 when the sum carried out). */
    if (carry || kiln_u256_cmp(&s, m) >= 0) kiln_u256_sub(&s, &s, m);
    *r = s;
}

void kiln_u256_submod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m) {
    kiln_u256 x, y, d;
    reduce(x.w, a, m);
    reduce(y.w, b, m);
    if (kiln_u256_sub(&d, &x, &y)) kiln_u256_add(&d, &d, m);
    *r = d;
}

void kiln_u256_mulmod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m) {
    uint64_t x[4], y[4], prod[8] = {0};
    for (int i = 0; i < 4; i++) {
        x[i] = a->w[2 * i] | (uint64_t)a->w[2 * i + 1] << 32;
        y[i] = b->w[2 * i] | (uint64_t)b->w[2 * i + 1] << 32;
    }
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 4; j++) {
            u128 t = (u128)x[i] * y[j] + prod[i + j] + carry;
            prod[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        prod[i + 4] = carry;
    }
    kiln_u256 out;
    uint64_t c[3];
    int clen = pseudo_mersenne(m->w, c);
    if (clen) {
        fold_reduce(out.w, prod, c, clen, m->w);
    } else {
        uint32_t p32[16];
        for (int i = 0; i < 8; i++) {
            p32[2 * i] = (uint32_t)prod[i];
            p32[2 * i + 1] = (uint32_t)(prod[i] >> 32);
        }
        mod_limbs(out.w, p32, 16, m->w);
    }
    *r = out;
}
