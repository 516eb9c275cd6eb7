/* Host-side Merkle helpers: hasher names, leaf and node hashes, and path verification. */
#include "merkle.h"

#include <string.h>

#include "../field/goldilocks.h"
#include "merkle_hd.h"

kiln_status kiln_hasher_parse(const char *name, kiln_hasher *out) {
    if (!name || !out) return KILN_ERR_INVALID_ARG;
    if (!strcmp(name, "poseidon2"))
        *out = KILN_HASHER_POSEIDON2;
    else if (!strcmp(name, "keccak"))
        *out = KILN_HASHER_KECCAK;
    else
        return KILN_ERR_PARSE;
    return KILN_OK;
}

const char *kiln_hasher_name(kiln_hasher h) {
    return h == KILN_HASHER_KECCAK ? "keccak" : "poseidon2";
}

void kiln_merkle_hash_leaf(kiln_hasher h, const uint64_t *row, size_t n, uint64_t out[4]) {
    kiln_merkle_leaf_strided(h, row, 1, n, out);
}

void kiln_merkle_hash_node(kiln_hasher h, const uint64_t left[4], const uint64_t right[4], uint64_t out[4]) {
    kiln_merkle_node_hd(h, left, right, out);
}

size_t kiln_merkle_tree_digests(size_t nleaves, unsigned cap_log) {
    return 2 * nleaves - ((size_t)1 << cap_log);
}

/* A Poseidon2 digest word >= p would hash like its value mod p: reject it so a path has one encoding. */
static int canonical(kiln_hasher h, const uint64_t *d, size_t ndigests) {
    if (h != KILN_HASHER_POSEIDON2) return 1;
    for (size_t i = 0; i < 4 * ndigests; i++)
        if (d[i] >= KILN_GL_P) return 0;
    return 1;
}

kiln_status kiln_merkle_verify(kiln_hasher h, const uint64_t leaf[4], size_t index, size_t nleaves,
                               unsigned cap_log, const uint64_t *path, const uint64_t *cap) {
    if (h != KILN_HASHER_POSEIDON2 && h != KILN_HASHER_KECCAK) return KILN_ERR_INVALID_ARG;
    if (!leaf || !cap || nleaves == 0 || (nleaves & (nleaves - 1)) || index >= nleaves)
        return KILN_ERR_INVALID_ARG;
    unsigned log_n = 0;
    while (((size_t)1 << log_n) < nleaves)
        log_n++;
    if (cap_log > log_n) return KILN_ERR_INVALID_ARG;
    unsigned depth = log_n - cap_log;
    if (depth && !path) return KILN_ERR_INVALID_ARG;
    if (!canonical(h, leaf, 1) || !canonical(h, path, depth) || !canonical(h, cap, (size_t)1 << cap_log))
        return KILN_ERR_VERIFY;
    uint64_t cur[4];
    memcpy(cur, leaf, sizeof cur);
    size_t idx = index;
    for (unsigned d = 0; d < depth; d++, idx >>= 1) {
        const uint64_t *sib = path + 4 * (size_t)d;
        if (idx & 1)
            kiln_merkle_node_hd(h, sib, cur, cur);
        else
            kiln_merkle_node_hd(h, cur, sib, cur);
    }
    /* Compare every word without an early exit. */
    uint64_t diff = 0;
    for (int i = 0; i < 4; i++)
        diff |= cur[i] ^ cap[4 * idx + i];
    return diff ? KILN_ERR_VERIFY : KILN_OK;
}
