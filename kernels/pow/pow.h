/* Proof-of-work grinding (kernels/pow): the search for the smallest nonce whose hash value has `bits` low zero
 * bits, with a CPU and a CUDA implementation behind backend.h (kiln_pow_grind). The value of a nonce is the
 * element the prover's Fiat-Shamir transcript squeezes after absorbing it (prover/transcript.c), given as a
 * seed so this module needs nothing of the prover:
 *
 *   Poseidon2 (duplex sponge, overwrite mode): s = state (the transcript's state with its pending inputs
 *   already written into their rate positions), s[pos] = nonce, s = permute(s); value = s[7].
 *
 *   Keccak: a Keccak-256 sponge (state, pos = bytes absorbed into the current block) absorbs the nonce as 8
 *   little-endian bytes and is finalized to a digest d; o = keccak256(d || 8 zero bytes); value =
 *   (lo + 2^64 * (hi mod p)) mod p with lo, hi the first two little-endian words of o. */
#ifndef KILN_POW_H
#define KILN_POW_H

#include <stdint.h>

#include "../merkle/merkle.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_pow_seed {
    kiln_hasher hasher;
    uint64_t state[25]; /* Poseidon2: 12 elements (the rest unused); Keccak: the 25 lanes */
    unsigned pos;       /* Poseidon2: the rate element the nonce overwrites (0..7); Keccak: bytes absorbed (0..135) */
} kiln_pow_seed;

/* Nonces are searched in order in batches of this many; every backend returns the smallest valid nonce. */
#define KILN_POW_BATCH ((uint64_t)1 << 20)

#ifdef __cplusplus
}
#endif
#endif
