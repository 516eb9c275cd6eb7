/* Keccak-256 (Ethereum's): one-shot and incremental hashing over the shared permutation in keccak_hd.h. */
#include "keccak.h"

#include <string.h>

#include "keccak_hd.h"

void kiln_keccak_f1600(uint64_t state[25]) {
    kiln_keccak_f1600_hd(state);
}

static uint64_t load_le64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

void kiln_keccak256_init(kiln_keccak256_ctx *ctx) {
    memset(ctx->state, 0, sizeof ctx->state);
    ctx->absorbed = 0;
}

/* Whole blocks straight from the input: the common case for long messages. */
static void absorb_blocks(uint64_t *s, const uint8_t *p, size_t nblocks) {
    for (size_t b = 0; b < nblocks; b++, p += KILN_KECCAK256_RATE) {
        for (int j = 0; j < KILN_KECCAK_RATE_WORDS; j++)
            s[j] ^= load_le64(p + 8 * j);
        kiln_keccak_f1600_hd(s);
    }
}

void kiln_keccak256_update(kiln_keccak256_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    if (!len) return;
    size_t at = ctx->absorbed;
    /* Fill a partly absorbed block byte by byte. */
    if (at) {
        while (len && at < KILN_KECCAK256_RATE) {
            ctx->state[at >> 3] ^= (uint64_t)*p++ << (8 * (at & 7));
            at++;
            len--;
        }
        if (at == KILN_KECCAK256_RATE) {
            kiln_keccak_f1600_hd(ctx->state);
            at = 0;
        }
    }
    if (!at && len >= KILN_KECCAK256_RATE) {
        size_t nb = len / KILN_KECCAK256_RATE;
        absorb_blocks(ctx->state, p, nb);
        p += nb * KILN_KECCAK256_RATE;
        len -= nb * KILN_KECCAK256_RATE;
    }
    /* The tail (less than a block) stays absorbed without a permutation. */
    for (; len; len--, at++)
        ctx->state[at >> 3] ^= (uint64_t)*p++ << (8 * (at & 7));
    ctx->absorbed = at;
}

void kiln_keccak256_final(kiln_keccak256_ctx *ctx, uint8_t out[32]) {
    size_t at = ctx->absorbed;
    ctx->state[at >> 3] ^= (uint64_t)0x01 << (8 * (at & 7));
    ctx->state[KILN_KECCAK_RATE_WORDS - 1] ^= 0x8000000000000000ULL;
    kiln_keccak_f1600_hd(ctx->state);
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(ctx->state[i >> 3] >> (8 * (i & 7)));
}

void kiln_keccak256(const void *data, size_t len, uint8_t out[32]) {
    kiln_keccak256_ctx ctx;
    kiln_keccak256_init(&ctx);
    kiln_keccak256_update(&ctx, data, len);
    kiln_keccak256_final(&ctx, out);
}
