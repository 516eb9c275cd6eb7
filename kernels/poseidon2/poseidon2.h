/* Poseidon2 over Goldilocks with Boojum's parameters (D1; ../shared/reference/poseidon2-goldilocks.md):
 * width 12, rate 8, capacity 4, x^7 S-box, 4 + 22 + 4 rounds. Inputs must be canonical field elements. */
#ifndef KILN_POSEIDON2_H
#define KILN_POSEIDON2_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_P2_WIDTH 12
#define KILN_P2_RATE 8
#define KILN_P2_CAPACITY 4
#define KILN_P2_DIGEST 4

/* The permutation, in place. */
void kiln_poseidon2_permute(uint64_t state[KILN_P2_WIDTH]);

/* Boojum's leaf hash of a fixed-width row: zero state; for each chunk of 8 overwrite state[0..8] (zero-pad a
 * short last chunk), permute; digest = state[0..4]. No length padding: only for lengths fixed by context. */
void kiln_poseidon2_hash_leaf(const uint64_t *in, size_t n, uint64_t out[KILN_P2_DIGEST]);

/* Merkle node: permute(left || right || 0,0,0,0), digest = state[0..4]. */
void kiln_poseidon2_hash_node(const uint64_t left[KILN_P2_DIGEST], const uint64_t right[KILN_P2_DIGEST],
                              uint64_t out[KILN_P2_DIGEST]);

/* Injective variable-length hash: the input followed by a 1 and zeros up to a multiple of 8, absorbed in
 * overwrite mode from a zero state; digest = state[0..4]. */
void kiln_poseidon2_hash_var(const uint64_t *in, size_t n, uint64_t out[KILN_P2_DIGEST]);

#ifdef __cplusplus
}
#endif
#endif
