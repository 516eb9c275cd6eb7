#include "uint256.h"

void kiln_u256_from_be(kiln_u256 *r, const uint8_t in[32]) {
    for (int i = 0; i < 8; i++)
        r->w[i] = kiln_be32(in + 28 - 4 * i);
}

void kiln_u256_to_be(uint8_t out[32], const kiln_u256 *a) {
    for (int i = 0; i < 8; i++)
        kiln_put_be32(out + 28 - 4 * i, a->w[i]);
}

void kiln_u256_from_u64(kiln_u256 *r, uint64_t v) {
    memset(r, 0, sizeof *r);
    r->w[0] = (uint32_t)v;
    r->w[1] = (uint32_t)(v >> 32);
}

int kiln_u256_is_zero(const kiln_u256 *a) {
    uint32_t x = 0;
    for (int i = 0; i < 8; i++)
        x |= a->w[i];
    return x == 0;
}

int kiln_u256_cmp(const kiln_u256 *a, const kiln_u256 *b) {
    for (int i = 7; i >= 0; i--)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

uint32_t kiln_u256_add(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b) {
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->w[i] + b->w[i];
        r->w[i] = (uint32_t)c;
        c >>= 32;
    }
    return (uint32_t)c;
}

uint32_t kiln_u256_sub(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b) {
    uint32_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)a->w[i] - b->w[i] - borrow;
        r->w[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
    return borrow;
}

int kiln_u256_mul_u64(kiln_u256 *r, const kiln_u256 *a, uint64_t b) {
    uint32_t out[10] = {0};
    uint32_t bw[2] = {(uint32_t)b, (uint32_t)(b >> 32)};
    for (int j = 0; j < 2; j++) {
        uint64_t carry = 0;
        for (int i = 0; i < 8; i++) {
            uint64_t t = (uint64_t)a->w[i] * bw[j] + out[i + j] + carry;
            out[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        for (int k = 8 + j; carry && k < 10; k++) {
            uint64_t t = (uint64_t)out[k] + carry;
            out[k] = (uint32_t)t;
            carry = t >> 32;
        }
    }
    for (int i = 0; i < 8; i++)
        r->w[i] = out[i];
    return (out[8] | out[9]) != 0;
}

void kiln_u256_divmod_u64(kiln_u256 *q, uint64_t *rem, const kiln_u256 *a, uint64_t d) {
    kiln_u256 quo;
    memset(&quo, 0, sizeof quo);
    uint64_t r = 0;
    for (int i = 255; i >= 0; i--) {
        uint64_t bit = (a->w[i / 32] >> (i % 32)) & 1u;
        int top = (int)(r >> 63);
        r = (r << 1) | bit;
        if (top || r >= d) {
            r -= d; /* wraps correctly when the true value is ≥ 2^64 */
            quo.w[i / 32] |= 1u << (i % 32);
        }
    }
    *q = quo;
    if (rem) *rem = r;
}

void kiln_u256_ceil_div_u64(kiln_u256 *q, const kiln_u256 *a, uint64_t d) {
    uint64_t rem;
    kiln_u256_divmod_u64(q, &rem, a, d);
    if (rem) {
        kiln_u256 one;
        kiln_u256_from_u64(&one, 1);
        kiln_u256_add(q, q, &one);
    }
}

uint64_t kiln_u256_to_u64_saturating(const kiln_u256 *a) {
    for (int i = 2; i < 8; i++)
        if (a->w[i]) return UINT64_MAX;
    return ((uint64_t)a->w[1] << 32) | a->w[0];
}
