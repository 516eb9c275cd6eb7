#include "u256.h"

#include "kiln_guest.h"

u256 u256_from_u32(uint32_t v) {
    u256 r;
    memset(&r, 0, sizeof r);
    r.w[0] = v;
    return r;
}

int u256_is_zero(const u256 *a) {
    uint32_t any = 0;
    for (int i = 0; i < 8; i++)
        any |= a->w[i];
    return any == 0;
}

int u256_cmp(const u256 *a, const u256 *b) {
    for (int i = 7; i >= 0; i--)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

uint32_t u256_add(u256 *r, const u256 *a, const u256 *b) {
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t s = (uint64_t)a->w[i] + b->w[i] + c;
        r->w[i] = (uint32_t)s;
        c = s >> 32;
    }
    return (uint32_t)c;
}

uint32_t u256_sub(u256 *r, const u256 *a, const u256 *b) {
    uint32_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)a->w[i] - b->w[i] - borrow;
        r->w[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
    return borrow;
}

void u256_mul(u256 *r, const u256 *a, const u256 *b) {
    uint32_t t[8] = {0};
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; i + j < 8; j++) {
            uint64_t p = (uint64_t)a->w[i] * b->w[j] + t[i + j] + c;
            t[i + j] = (uint32_t)p;
            c = p >> 32;
        }
    }
    memcpy(r->w, t, 32);
}

uint32_t u256_mul_u32(u256 *r, const u256 *a, uint32_t b) {
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t p = (uint64_t)a->w[i] * b + c;
        r->w[i] = (uint32_t)p;
        c = p >> 32;
    }
    return (uint32_t)c;
}

uint32_t u256_divmod_u32(u256 *q, const u256 *a, uint32_t d) {
    uint64_t rem = 0;
    for (int i = 7; i >= 0; i--) {
        uint64_t cur = (rem << 32) | a->w[i];
        /* cur / d < 2^32 since rem < d: do it as two 32-bit steps to avoid a 64-bit divide. */
        uint32_t qi = 0;
        for (int bit = 31; bit >= 0; bit--) {
            uint64_t t = (uint64_t)d << bit;
            if (cur >= t) {
                cur -= t;
                qi |= 1u << bit;
            }
        }
        q->w[i] = qi;
        rem = cur;
    }
    return (uint32_t)rem;
}

void u256_addmod(u256 *r, const u256 *a, const u256 *b, const u256 *m) {
    kiln_syscall(KILN_SYS_U256_ADDMOD, (uint32_t)r, (uint32_t)a, (uint32_t)b, (uint32_t)m, 0, 0, 0);
}
void u256_submod(u256 *r, const u256 *a, const u256 *b, const u256 *m) {
    kiln_syscall(KILN_SYS_U256_SUBMOD, (uint32_t)r, (uint32_t)a, (uint32_t)b, (uint32_t)m, 0, 0, 0);
}
void u256_mulmod(u256 *r, const u256 *a, const u256 *b, const u256 *m) {
    kiln_syscall(KILN_SYS_U256_MULMOD, (uint32_t)r, (uint32_t)a, (uint32_t)b, (uint32_t)m, 0, 0, 0);
}

/* Double-and-add over the bits of b, reducing after each step (a < m assumed reduced first). */
void u256_mulmod_sw(u256 *r, const u256 *a, const u256 *b, const u256 *m) {
    u256 x = *a, acc = u256_from_u32(0);
    while (u256_cmp(&x, m) >= 0)
        u256_sub(&x, &x, m); /* slow for a >> m; callers pass reduced values */
    for (int i = 255; i >= 0; i--) {
        uint32_t c = u256_add(&acc, &acc, &acc);
        if (c || u256_cmp(&acc, m) >= 0) u256_sub(&acc, &acc, m);
        if ((b->w[i / 32] >> (i % 32)) & 1) {
            c = u256_add(&acc, &acc, &x);
            if (c || u256_cmp(&acc, m) >= 0) u256_sub(&acc, &acc, m);
        }
    }
    *r = acc;
}

void u256_to_be(uint8_t out[32], const u256 *a) {
    for (int i = 0; i < 32; i++)
        out[31 - i] = (uint8_t)(a->w[i / 4] >> (8 * (i % 4)));
}

void u256_from_be(u256 *r, const uint8_t in[32]) {
    for (int i = 0; i < 8; i++)
        r->w[i] = 0;
    for (int i = 0; i < 32; i++)
        r->w[i / 4] |= (uint32_t)in[31 - i] << (8 * (i % 4));
}
