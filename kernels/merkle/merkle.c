/* STUB: to be replaced by the Merkle implementation. */
#include "merkle.h"
kiln_status kiln_hasher_parse(const char *name, kiln_hasher *out) { (void)name; (void)out; return KILN_ERR_UNIMPLEMENTED; }
const char *kiln_hasher_name(kiln_hasher h) { return h == KILN_HASHER_KECCAK ? "keccak" : "poseidon2"; }
void kiln_merkle_hash_leaf(kiln_hasher h, const uint64_t *row, size_t n, uint64_t out[4]) { (void)h; (void)row; (void)n; (void)out; }
void kiln_merkle_hash_node(kiln_hasher h, const uint64_t l[4], const uint64_t r[4], uint64_t out[4]) { (void)h; (void)l; (void)r; (void)out; }
size_t kiln_merkle_tree_digests(size_t nleaves, unsigned cap_log) { return 2 * nleaves - ((size_t)1 << cap_log); }
kiln_status kiln_merkle_verify(kiln_hasher h, const uint64_t leaf[4], size_t index, size_t nleaves, unsigned cap_log,
                               const uint64_t *path, const uint64_t *cap) {
    (void)h; (void)leaf; (void)index; (void)nleaves; (void)cap_log; (void)path; (void)cap;
    return KILN_ERR_UNIMPLEMENTED;
}
