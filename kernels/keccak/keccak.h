/* Keccak-256 as Ethereum uses it (pad10*1 with domain byte 0x01, not SHA3's 0x06), written in-house so the
 * same permutation runs on the CPU and the GPU (D1). */
#ifndef KILN_KECCAK_H
#define KILN_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_KECCAK256_RATE 136

/* Keccak-f[1600] over 25 little-endian lanes, in place. */
void kiln_keccak_f1600(uint64_t state[25]);

typedef struct kiln_keccak256_ctx {
    uint64_t state[25];
    size_t absorbed; /* bytes absorbed into the current block */
} kiln_keccak256_ctx;

void kiln_keccak256_init(kiln_keccak256_ctx *ctx);
void kiln_keccak256_update(kiln_keccak256_ctx *ctx, const void *data, size_t len);
/* Writes the digest; ctx must be re-initialised before reuse. */
void kiln_keccak256_final(kiln_keccak256_ctx *ctx, uint8_t out[32]);
/* One-shot. */
void kiln_keccak256(const void *data, size_t len, uint8_t out[32]);

#ifdef __cplusplus
}
#endif
#endif
