/* Leaf and node hashing for both hashers as KILN_HD functions, shared by the host helpers, the CPU tree
 * builder and the CUDA kernels so that all three hash identically. */
#ifndef KILN_MERKLE_HD_H
#define KILN_MERKLE_HD_H

#include "../keccak/keccak_hd.h"
#include "../poseidon2/poseidon2_hd.h"
#include "merkle.h"

/* Digest of the n elements at row[0], row[stride], ... */
KILN_HD void kiln_merkle_leaf_strided(kiln_hasher h, const uint64_t *row, size_t stride, size_t n,
                                      uint64_t *out) {
    if (h == KILN_HASHER_KECCAK)
        kiln_keccak256_words_strided(row, stride, n, out);
    else
        kiln_p2_hash_leaf_strided(row, stride, n, out);
}

KILN_HD void kiln_merkle_node_hd(kiln_hasher h, const uint64_t *l, const uint64_t *r, uint64_t *out) {
    if (h == KILN_HASHER_KECCAK)
        kiln_keccak256_node(l, r, out);
    else
        kiln_p2_hash_node(l, r, out);
}

#endif
