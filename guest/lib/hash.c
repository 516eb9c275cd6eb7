#include "hash.h"

#include "kiln_guest.h"

#define RATE 136

void keccak256_init(keccak256_ctx *c) {
    memset(c, 0, sizeof *c);
}

static void xor_byte(keccak256_ctx *c, uint32_t i, uint8_t b) {
    c->st[i / 8] ^= (uint64_t)b << (8 * (i % 8));
}

void keccak256_update(keccak256_ctx *c, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    for (size_t i = 0; i < len; i++) {
        xor_byte(c, c->absorbed++, p[i]);
        if (c->absorbed == RATE) {
            kiln_keccak_f1600(c->st);
            c->absorbed = 0;
        }
    }
}

void keccak256_final(keccak256_ctx *c, uint8_t out[32]) {
    xor_byte(c, c->absorbed, 0x01); /* Ethereum's Keccak padding, not SHA-3's 0x06 */
    xor_byte(c, RATE - 1, 0x80);
    kiln_keccak_f1600(c->st);
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(c->st[i / 8] >> (8 * (i % 8)));
}

void keccak256(const void *data, size_t len, uint8_t out[32]) {
    keccak256_ctx c;
    keccak256_init(&c);
    keccak256_update(&c, data, len);
    keccak256_final(&c, out);
}

static const uint64_t RC[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};
static const uint8_t ROT[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

static uint64_t rotl(uint64_t v, unsigned r) {
    return r ? (v << r) | (v >> (64 - r)) : v;
}

void keccak_f1600_sw(uint64_t a[25]) {
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], d[5], b[25];
        for (int x = 0; x < 5; x++)
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++)
            d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++)
            a[i] ^= d[i % 5];
        /* rho and pi: B[y, 2x+3y] = rot(A[x, y]) */
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++)
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], ROT[x + 5 * y]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
        a[0] ^= RC[round];
    }
}

void poseidon2_hash(const uint64_t *in, size_t n, uint64_t out[4]) {
    uint64_t st[12] = {0};
    size_t total = n + 1, i = 0;
    total = (total + 7) / 8 * 8;
    while (i < total) {
        for (int k = 0; k < 8; k++, i++)
            st[k] = i < n ? in[i] : (i == n ? 1 : 0);
        kiln_poseidon2_permute(st);
    }
    for (int k = 0; k < 4; k++)
        out[k] = st[k];
}
