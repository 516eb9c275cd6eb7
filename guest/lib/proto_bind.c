/* The guest's binding of the primitives protocol/ declares but does not implement (kernels/keccak/keccak.h,
 * kernels/poseidon2/poseidon2.h, protocol/uint256.h's modular operations): each goes through the VM's
 * precompiles, so a proof of the guest proves them with their own tables. The host binds the same
 * declarations to kernels/ and protocol/host/. */
#include "keccak/keccak.h"
#include "kiln_guest.h"
#include "poseidon2/poseidon2.h"
#include "uint256.h"

/* Keccak-256 (Ethereum's padding) over the Keccak-f precompile. Whole little-endian words are absorbed where
 * the input is aligned with the sponge's position; bytes otherwise. */
void kiln_keccak256_init(kiln_keccak256_ctx *ctx) {
    memset(ctx, 0, sizeof *ctx);
}

void kiln_keccak256_update(kiln_keccak256_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    size_t a = ctx->absorbed;
    while (len) {
        if ((a & 7) == 0 && len >= 8 && a + 8 <= KILN_KECCAK256_RATE) {
            uint64_t v = 0;
            if (((uint32_t)p & 3) == 0) { /* little-endian words, as the lanes are */
                v = (uint64_t)((const uint32_t *)p)[1] << 32 | ((const uint32_t *)p)[0];
            } else {
                for (int i = 7; i >= 0; i--)
                    v = (v << 8) | p[i];
            }
            ctx->state[a / 8] ^= v;
            a += 8, p += 8, len -= 8;
        } else {
            ctx->state[a / 8] ^= (uint64_t)*p << (8 * (a % 8));
            a++, p++, len--;
        }
        if (a == KILN_KECCAK256_RATE) {
            kiln_keccak_f1600(ctx->state);
            a = 0;
        }
    }
    ctx->absorbed = a;
}

void kiln_keccak256_final(kiln_keccak256_ctx *ctx, uint8_t out[32]) {
    ctx->state[ctx->absorbed / 8] ^= (uint64_t)0x01 << (8 * (ctx->absorbed % 8));
    ctx->state[(KILN_KECCAK256_RATE - 1) / 8] ^= (uint64_t)0x80 << (8 * ((KILN_KECCAK256_RATE - 1) % 8));
    kiln_keccak_f1600(ctx->state);
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(ctx->state[i / 8] >> (8 * (i % 8)));
}

void kiln_keccak256(const void *data, size_t len, uint8_t out[32]) {
    kiln_keccak256_ctx c;
    kiln_keccak256_init(&c);
    kiln_keccak256_update(&c, data, len);
    kiln_keccak256_final(&c, out);
}

/* Poseidon2 hashes with kernels/poseidon2's definitions, over the permutation precompile. */
void kiln_poseidon2_hash_leaf(const uint64_t *in, size_t n, uint64_t out[KILN_P2_DIGEST]) {
    uint64_t s[KILN_P2_WIDTH] = {0};
    for (size_t c = 0; c < n; c += KILN_P2_RATE) {
        for (size_t j = 0; j < KILN_P2_RATE; j++)
            s[j] = c + j < n ? in[c + j] : 0;
        kiln_poseidon2_permute(s);
    }
    for (int i = 0; i < KILN_P2_DIGEST; i++)
        out[i] = s[i];
}

void kiln_poseidon2_hash_node(const uint64_t left[KILN_P2_DIGEST], const uint64_t right[KILN_P2_DIGEST],
                              uint64_t out[KILN_P2_DIGEST]) {
    uint64_t s[KILN_P2_WIDTH] = {0};
    for (int i = 0; i < KILN_P2_DIGEST; i++) {
        s[i] = left[i];
        s[KILN_P2_DIGEST + i] = right[i];
    }
    kiln_poseidon2_permute(s);
    for (int i = 0; i < KILN_P2_DIGEST; i++)
        out[i] = s[i];
}

void kiln_poseidon2_hash_var(const uint64_t *in, size_t n, uint64_t out[KILN_P2_DIGEST]) {
    uint64_t s[KILN_P2_WIDTH] = {0};
    for (size_t c = 0; c <= n; c += KILN_P2_RATE) {
        for (size_t j = 0; j < KILN_P2_RATE; j++)
            s[j] = c + j < n ? in[c + j] : (c + j == n ? 1 : 0);
        kiln_poseidon2_permute(s);
    }
    for (int i = 0; i < KILN_P2_DIGEST; i++)
        out[i] = s[i];
}

/* The u256 precompiles take 4-aligned 32-byte little-endian values: kiln_u256's layout. */
void kiln_u256_addmod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m) {
    kiln_syscall(KILN_SYS_U256_ADDMOD, (uint32_t)r, (uint32_t)a, (uint32_t)b, (uint32_t)m, 0, 0, 0);
}

void kiln_u256_submod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m) {
    kiln_syscall(KILN_SYS_U256_SUBMOD, (uint32_t)r, (uint32_t)a, (uint32_t)b, (uint32_t)m, 0, 0, 0);
}

void kiln_u256_mulmod(kiln_u256 *r, const kiln_u256 *a, const kiln_u256 *b, const kiln_u256 *m) {
    kiln_syscall(KILN_SYS_U256_MULMOD, (uint32_t)r, (uint32_t)a, (uint32_t)b, (uint32_t)m, 0, 0, 0);
}
