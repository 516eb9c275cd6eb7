/* Eight Poseidon2 permutations at once (host only; nvcc never sees this header). Where the host compiler
 * targets AVX-512F (Release builds use -march=native), the eight states sit in the eight 64-bit lanes of
 * twelve zmm registers (structure of arrays: register i holds element i of every state) and the field
 * products are built from 32x32->64 lane multiplies. Elsewhere (the sanitizer build, other CPUs) the same
 * functions loop over the scalar permutation of poseidon2_hd.h, so callers and tests need no #if; callers
 * that have a faster scalar path of their own (the interleaved x2 functions) check KILN_P2_X8_NATIVE.
 * Outputs are canonical and bit-identical to the scalar permutation for any 64-bit inputs. */
#ifndef KILN_POSEIDON2_AVX512_H
#define KILN_POSEIDON2_AVX512_H

#include <stddef.h>
#include <stdint.h>

#include "poseidon2.h"

#if defined(__AVX512F__) && !defined(__CUDACC__)
#define KILN_P2_X8_NATIVE 1
#else
#define KILN_P2_X8_NATIVE 0
#endif

#define KILN_P2_LANES 8

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when the x8 functions run the AVX-512 code in this build, 0 when they fall back to scalar loops. */
int kiln_p2_x8_native(void);

/* Eight permutations in place; st[i][l] is element i of state l. */
void kiln_p2_permute_x8(uint64_t st[KILN_P2_WIDTH][KILN_P2_LANES]);

/* Leaf hashes (kiln_poseidon2_hash_leaf) of eight rows of n elements: element c of row l is
 * base[l * row_stride + c * col_stride]; the digest of row l goes to out[4 * l .. 4 * l + 4). */
void kiln_p2_hash_leaf_strided_x8(const uint64_t *base, size_t row_stride, size_t col_stride, size_t n,
                                  uint64_t *out);

/* Eight Merkle nodes (kiln_poseidon2_hash_node): node l's left || right digests are in[8 * l .. 8 * l + 8),
 * its digest goes to out[4 * l .. 4 * l + 4). in and out must not overlap. */
void kiln_p2_hash_node_x8(const uint64_t *in, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif
