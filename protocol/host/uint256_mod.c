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
    uint32_t prod[16] = {0};
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 8; j++) {
            uint64_t t = (uint64_t)a->w[i] * b->w[j] + prod[i + j] + c;
            prod[i + j] = (uint32_t)t;
            c = t >> 32;
        }
        prod[i + 8] = (uint32_t)c;
    }
    kiln_u256 out;
    mod_limbs(out.w, prod, 16, m->w);
    *r = out;
}
