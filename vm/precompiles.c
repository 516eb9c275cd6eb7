/* 256-bit modular arithmetic for the u256 precompiles: 32-bit limbs, little-endian; the remainder of up to
 * 512 bits by a 256-bit modulus uses Knuth's algorithm D. (Poseidon2 and Keccak-f come from kernels/.) */
#include "vm_internal.h"

/* r = u mod m, u of ulen limbs (ulen <= 16), m nonzero of 8 limbs. */
static void mod_limbs(uint32_t r[8], const uint32_t *u, int ulen, const uint32_t m[8]) {
    int n = 8;
    while (n > 0 && m[n - 1] == 0)
        n--;
    for (int i = 0; i < 8; i++)
        r[i] = 0;
    if (n == 1) {
        uint64_t rem = 0;
        for (int i = ulen - 1; i >= 0; i--)
            rem = ((rem << 32) | u[i]) % m[0];
        r[0] = (uint32_t)rem;
        return;
    }
    if (ulen < n) {
        for (int i = 0; i < ulen; i++)
            r[i] = u[i];
        return;
    }
    int s = __builtin_clz(m[n - 1]);
    uint32_t vn[8], un[17];
    for (int i = n - 1; i > 0; i--)
        vn[i] = (m[i] << s) | (s ? m[i - 1] >> (32 - s) : 0);
    vn[0] = m[0] << s;
    un[ulen] = s ? u[ulen - 1] >> (32 - s) : 0;
    for (int i = ulen - 1; i > 0; i--)
        un[i] = (u[i] << s) | (s ? u[i - 1] >> (32 - s) : 0);
    un[0] = u[0] << s;
    const uint64_t B = 1ull << 32;
    for (int j = ulen - n; j >= 0; j--) {
        uint64_t num = ((uint64_t)un[j + n] << 32) | un[j + n - 1];
        uint64_t qhat = num / vn[n - 1], rhat = num % vn[n - 1];
        while (qhat >= B || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
            qhat--;
            rhat += vn[n - 1];
            if (rhat >= B) break;
        }
        /* un[j..j+n] -= qhat * vn */
        int64_t k = 0, t;
        for (int i = 0; i < n; i++) {
            uint64_t p = qhat * vn[i];
            t = (int64_t)un[i + j] - k - (int64_t)(p & 0xffffffffu);
            un[i + j] = (uint32_t)t;
            k = (int64_t)(p >> 32) - (t >> 32);
        }
        t = (int64_t)un[j + n] - k;
        un[j + n] = (uint32_t)t;
        if (t < 0) { /* qhat was one too large: add back */
            uint64_t c = 0;
            for (int i = 0; i < n; i++) {
                uint64_t sum = (uint64_t)un[i + j] + vn[i] + c;
                un[i + j] = (uint32_t)sum;
                c = sum >> 32;
            }
            un[j + n] += (uint32_t)c;
        }
    }
    for (int i = 0; i < n - 1; i++)
        r[i] = (un[i] >> s) | (s ? un[i + 1] << (32 - s) : 0);
    r[n - 1] = un[n - 1] >> s;
}

static int geq(const uint32_t a[8], const uint32_t b[8]) {
    for (int i = 7; i >= 0; i--)
        if (a[i] != b[i]) return a[i] > b[i];
    return 1;
}

static uint32_t sub8(uint32_t r[8], const uint32_t a[8], const uint32_t b[8]) {
    uint64_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)a[i] - b[i] - borrow;
        r[i] = (uint32_t)d;
        borrow = (d >> 63) & 1;
    }
    return (uint32_t)borrow;
}

static uint32_t add8(uint32_t r[8], const uint32_t a[8], const uint32_t b[8]) {
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t s = (uint64_t)a[i] + b[i] + c;
        r[i] = (uint32_t)s;
        c = s >> 32;
    }
    return (uint32_t)c;
}

void kiln_vm_u256_addmod(uint32_t out[8], const uint32_t a[8], const uint32_t b[8], const uint32_t m[8]) {
    uint32_t x[8], y[8], s[8];
    mod_limbs(x, a, 8, m);
    mod_limbs(y, b, 8, m);
    uint32_t carry = add8(s, x, y);
    if (carry || geq(s, m)) sub8(s, s, m); /* x + y < 2m: one subtraction (mod 2^256 when it carried) */
    memcpy(out, s, 32);
}

void kiln_vm_u256_submod(uint32_t out[8], const uint32_t a[8], const uint32_t b[8], const uint32_t m[8]) {
    uint32_t x[8], y[8], d[8];
    mod_limbs(x, a, 8, m);
    mod_limbs(y, b, 8, m);
    if (sub8(d, x, y)) add8(d, d, m); /* wraps back into [0, m) */
    memcpy(out, d, 32);
}

void kiln_vm_u256_mulmod(uint32_t out[8], const uint32_t a[8], const uint32_t b[8], const uint32_t m[8]) {
    uint32_t p[16] = {0};
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 8; j++) {
            uint64_t t = (uint64_t)a[i] * b[j] + p[i + j] + c;
            p[i + j] = (uint32_t)t;
            c = t >> 32;
        }
        p[i + 8] = (uint32_t)c;
    }
    uint32_t r[8];
    mod_limbs(r, p, 16, m);
    memcpy(out, r, 32);
}
