/* Hashes for guests through the VM's precompiles: Keccak-256 (Ethereum's) over Keccak-f[1600], and a
 * Poseidon2 variable-length hash equal to kernels/poseidon2's kiln_poseidon2_hash_var. */
#ifndef KILN_GUEST_HASH_H
#define KILN_GUEST_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t st[25];
    uint32_t absorbed;
} keccak256_ctx;

void keccak256_init(keccak256_ctx *c);
void keccak256_update(keccak256_ctx *c, const void *data, size_t len);
void keccak256_final(keccak256_ctx *c, uint8_t out[32]);
void keccak256(const void *data, size_t len, uint8_t out[32]);

/* Software Keccak-f[1600] (no precompile), for benchmarks and cross-checks. */
void keccak_f1600_sw(uint64_t st[25]);

/* Elements must be canonical Goldilocks values (the precompile faults otherwise). */
void poseidon2_hash(const uint64_t *in, size_t n, uint64_t out[4]);

#endif
