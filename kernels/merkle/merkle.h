/* Merkle trees over the rows of a matrix with a Poseidon2 or a Keccak-256 hasher (host-side helpers; the
 * tree builders live behind the kernel API in backend.h). A digest is 4 uint64_t: a Poseidon2 digest is 4
 * field elements; a Keccak digest's 32 bytes are read as 4 little-endian words. */
#ifndef KILN_MERKLE_H
#define KILN_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kiln_hasher {
    KILN_HASHER_POSEIDON2 = 0, /* leaf: Boojum leaf hash of the row; node: Poseidon2 node hash */
    KILN_HASHER_KECCAK = 1     /* leaf: keccak256 of the row's elements as 8-byte LE; node: keccak256(l || r) */
} kiln_hasher;

#define KILN_DIGEST_WORDS 4

/* Parses "poseidon2" or "keccak". */
kiln_status kiln_hasher_parse(const char *name, kiln_hasher *out);
const char *kiln_hasher_name(kiln_hasher h);

void kiln_merkle_hash_leaf(kiln_hasher h, const uint64_t *row, size_t n, uint64_t out[4]);
void kiln_merkle_hash_node(kiln_hasher h, const uint64_t left[4], const uint64_t right[4], uint64_t out[4]);

/* Digests a tree over nleaves leaves with a cap of 2^cap_log holds: 2*nleaves - 2^cap_log. */
size_t kiln_merkle_tree_digests(size_t nleaves, unsigned cap_log);

/* Checks that leaf (a digest) sits at index of a tree with nleaves leaves and the given cap, using path
 * (depth = log2(nleaves) - cap_log sibling digests, layer 0 first). KILN_OK or KILN_ERR_VERIFY;
 * KILN_ERR_INVALID_ARG for inconsistent sizes. */
kiln_status kiln_merkle_verify(kiln_hasher h, const uint64_t leaf[4], size_t index, size_t nleaves,
                               unsigned cap_log, const uint64_t *path, const uint64_t *cap);

#ifdef __cplusplus
}
#endif
#endif
