/* Batched Merkle openings: for ascending unique leaf indices, only the siblings that cannot be recomputed
 * from other opened leaves are sent, layer by layer, in ascending node order. */
#include <stdlib.h>
#include <string.h>

#include "proof_internal.h"

kiln_status kiln_batch_siblings(const size_t *idx, size_t count, unsigned depth, const uint64_t *paths,
                                uint64_t **sib, size_t *nsib) {
    *sib = NULL;
    *nsib = 0;
    size_t *cur = (size_t *)malloc((count ? count : 1) * sizeof *cur), *orig = (size_t *)malloc((count ? count : 1) * sizeof *orig);
    uint64_t *out = (uint64_t *)malloc((count * depth + 1) * 4 * sizeof *out);
    if (!cur || !orig || !out) {
        free(cur);
        free(orig);
        free(out);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < count; i++) {
        cur[i] = idx[i];
        orig[i] = i;
    }
    size_t m = count, ns = 0;
    for (unsigned d = 0; d < depth; d++) {
        size_t nm = 0;
        for (size_t j = 0; j < m; j++) {
            size_t node = cur[j];
            if (!(node & 1) && j + 1 < m && cur[j + 1] == node + 1) {
                cur[nm] = node >> 1;
                orig[nm++] = orig[j];
                j++;
                continue;
            }
            memcpy(out + 4 * ns, paths + (orig[j] * depth + d) * 4, 32);
            ns++;
            cur[nm] = node >> 1;
            orig[nm++] = orig[j];
        }
        m = nm;
    }
    free(cur);
    free(orig);
    *sib = out;
    *nsib = ns;
    return KILN_OK;
}

int kiln_batch_verify(kiln_hasher h, const size_t *idx, size_t count, const uint64_t *leaves, unsigned log_leaves,
                      unsigned cap_log, const uint64_t *sib, size_t nsib, const uint64_t *cap) {
    if (count == 0 || cap_log > log_leaves) return 0;
    size_t *cur = (size_t *)malloc(count * sizeof *cur);
    uint64_t *dig = (uint64_t *)malloc(count * 4 * sizeof *dig);
    if (!cur || !dig) {
        free(cur);
        free(dig);
        return 0;
    }
    int ok = 1;
    for (size_t i = 0; i < count; i++) {
        if (idx[i] >> log_leaves || (i && idx[i] <= idx[i - 1])) ok = 0;
        cur[i] = idx[i];
    }
    memcpy(dig, leaves, count * 32);
    size_t m = count, used = 0;
    unsigned depth = log_leaves - cap_log;
    for (unsigned d = 0; d < depth && ok; d++) {
        size_t nm = 0;
        for (size_t j = 0; j < m; j++) {
            size_t node = cur[j];
            uint64_t parent[4];
            if (!(node & 1) && j + 1 < m && cur[j + 1] == node + 1) {
                kiln_merkle_hash_node(h, dig + 4 * j, dig + 4 * (j + 1), parent);
                j++;
            } else {
                if (used >= nsib) {
                    ok = 0;
                    break;
                }
                const uint64_t *s = sib + 4 * used++;
                if (node & 1) kiln_merkle_hash_node(h, s, dig + 4 * j, parent);
                else kiln_merkle_hash_node(h, dig + 4 * j, s, parent);
            }
            cur[nm] = node >> 1;
            memcpy(dig + 4 * nm, parent, 32);
            nm++;
        }
        m = nm;
    }
    if (ok && used != nsib) ok = 0;
    for (size_t j = 0; ok && j < m; j++)
        if (memcmp(dig + 4 * j, cap + 4 * cur[j], 32)) ok = 0;
    free(cur);
    free(dig);
    return ok;
}
