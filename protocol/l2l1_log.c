#include "l2l1_log.h"

#include "address.h"
#include "keccak/keccak.h"

const uint8_t KILN_L2L1_EMPTY_LEAF_HASH[32] = {
    0x72, 0xab, 0xee, 0x45, 0xb5, 0x9e, 0x34, 0x4a, 0xf8, 0xa6, 0xe5, 0x20, 0x24, 0x1c, 0x47, 0x44,
    0xaf, 0xf2, 0x6e, 0xd4, 0x11, 0xf4, 0xc4, 0xb0, 0x0f, 0x8a, 0xf0, 0x9a, 0xda, 0xda, 0x43, 0xba};

void kiln_l2l1_log_encode(uint8_t out[88], const kiln_l2l1_log *log) {
    out[0] = log->shard_id;
    out[1] = log->is_service;
    out[2] = (uint8_t)(log->tx_number_in_block >> 8);
    out[3] = (uint8_t)log->tx_number_in_block;
    memcpy(out + 4, log->sender, 20);
    memcpy(out + 24, log->key, 32);
    memcpy(out + 56, log->value, 32);
}

void kiln_l2l1_log_decode(kiln_l2l1_log *log, const uint8_t in[88]) {
    log->shard_id = in[0];
    log->is_service = in[1];
    log->tx_number_in_block = (uint16_t)((in[2] << 8) | in[3]);
    memcpy(log->sender, in + 4, 20);
    memcpy(log->key, in + 24, 32);
    memcpy(log->value, in + 56, 32);
}

void kiln_l2l1_log_hash(uint8_t out[32], const kiln_l2l1_log *log) {
    uint8_t b[88];
    kiln_l2l1_log_encode(b, log);
    kiln_keccak256(b, sizeof b, out);
}

static void hash_pair(uint8_t out[32], const uint8_t l[32], const uint8_t r[32]) {
    uint8_t b[64];
    memcpy(b, l, 32);
    memcpy(b + 32, r, 32);
    kiln_keccak256(b, 64, out);
}

void kiln_l2l1_empty_subtree_hash(uint8_t out[32], unsigned depth) {
    uint8_t h[32];
    memcpy(h, KILN_L2L1_EMPTY_LEAF_HASH, 32);
    for (unsigned d = 0; d < depth; d++)
        hash_pair(h, h, h);
    memcpy(out, h, 32);
}

/* depth of a power-of-two leaf count, or -1. */
static int tree_depth(size_t tree_leaves, size_t n) {
    if (tree_leaves == 0 || (tree_leaves & (tree_leaves - 1)) != 0 || tree_leaves < n) return -1;
    if (tree_leaves > ((size_t)1 << 31)) return -1;
    int d = 0;
    while (((size_t)1 << d) < tree_leaves)
        d++;
    return d;
}

/* Hashes the tree level by level in place; when path != NULL records the sibling of index at every level. */
static void tree_fold(uint8_t root[32], uint8_t *h, size_t n, int depth, size_t index, uint8_t *path) {
    uint8_t empty[32];
    memcpy(empty, KILN_L2L1_EMPTY_LEAF_HASH, 32);
    size_t m = n;
    for (int d = 0; d < depth; d++) {
        if (path) {
            size_t sib = index ^ 1u;
            memcpy(path + 32 * (size_t)d, sib < m ? h + 32 * sib : empty, 32);
            index >>= 1;
        }
        size_t half = (m + 1) / 2;
        for (size_t j = 0; j < half; j++)
            hash_pair(h + 32 * j, h + 64 * j, 2 * j + 1 < m ? h + 64 * j + 32 : empty);
        m = half;
        hash_pair(empty, empty, empty);
    }
    memcpy(root, m ? h : empty, 32);
}

kiln_status kiln_merkle_root_from_leaves(uint8_t root[32], uint8_t *leaves, size_t n, size_t tree_leaves,
                                         char *err, size_t errlen) {
    int depth = tree_depth(tree_leaves, n);
    if (depth < 0)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen,
                               "merkle: tree size must be a power of two >= the leaf count and <= 2^31");
    if (n && !leaves) return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "merkle: no leaves buffer");
    tree_fold(root, leaves, n, depth, 0, NULL);
    return KILN_OK;
}

kiln_status kiln_l2l1_logs_root(uint8_t root[32], const kiln_l2l1_log *logs, size_t n, size_t tree_leaves,
                                uint8_t *scratch, char *err, size_t errlen) {
    if (tree_depth(tree_leaves, n) < 0)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen,
                               "l2l1 logs: tree size must be a power of two >= the log count and <= 2^31");
    if (n && (!scratch || !logs))
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "l2l1 logs: no scratch");
    for (size_t i = 0; i < n; i++)
        kiln_l2l1_log_hash(scratch + 32 * i, &logs[i]);
    return kiln_merkle_root_from_leaves(root, scratch, n, tree_leaves, err, errlen);
}

kiln_status kiln_merkle_path_from_leaves(uint8_t *path, uint8_t root[32], uint8_t *leaves, size_t n,
                                         size_t tree_leaves, size_t index, char *err, size_t errlen) {
    int depth = tree_depth(tree_leaves, n);
    if (depth < 0)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen,
                               "merkle: tree size must be a power of two >= the leaf count and <= 2^31");
    if (index >= n)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "merkle: leaf index out of range");
    if (!leaves || (!path && depth > 0))
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "merkle: missing buffer");
    uint8_t r[32];
    tree_fold(r, leaves, n, depth, index, path);
    if (root) memcpy(root, r, 32);
    return KILN_OK;
}

kiln_status kiln_l2l1_logs_path(uint8_t *path, uint8_t root[32], const kiln_l2l1_log *logs, size_t n,
                                size_t tree_leaves, size_t index, uint8_t *scratch, char *err,
                                size_t errlen) {
    if (n && (!scratch || !logs))
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "l2l1 logs: no scratch");
    for (size_t i = 0; i < n; i++)
        kiln_l2l1_log_hash(scratch + 32 * i, &logs[i]);
    return kiln_merkle_path_from_leaves(path, root, scratch, n, tree_leaves, index, err, errlen);
}

kiln_status kiln_merkle_path_root(uint8_t root[32], const uint8_t leaf[32], uint64_t index,
                                  const uint8_t *path, size_t depth, char *err, size_t errlen) {
    if (depth == 0 || depth > KILN_MERKLE_MAX_DEPTH || !path)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "merkle path: length must be 1..255");
    if (depth < 64 && (index >> depth) != 0)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen,
                               "merkle path: index too large for the path");
    uint8_t cur[32];
    memcpy(cur, leaf, 32);
    for (size_t d = 0; d < depth; d++) {
        int right = d < 64 ? (int)((index >> d) & 1u) : 0;
        if (right)
            hash_pair(cur, path + 32 * d, cur);
        else
            hash_pair(cur, cur, path + 32 * d);
    }
    memcpy(root, cur, 32);
    return KILN_OK;
}

kiln_status kiln_l2l1_verify_path(const uint8_t root[32], const uint8_t leaf[32], uint64_t index,
                                  const uint8_t *path, size_t depth, char *err, size_t errlen) {
    if (memcmp(leaf, KILN_L2L1_EMPTY_LEAF_HASH, 32) == 0)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "l2l1 proof: leaf is the empty leaf");
    uint8_t r[32];
    kiln_status st = kiln_merkle_path_root(r, leaf, index, path, depth, err, errlen);
    if (st != KILN_OK) return st;
    if (memcmp(r, root, 32) != 0)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "l2l1 proof: root mismatch");
    return KILN_OK;
}

void kiln_l2l1_gateway_root(uint8_t out[32], const uint8_t local_root[32],
                            const uint8_t aggregation_root[32]) {
    hash_pair(out, local_root, aggregation_root);
}

void kiln_l2l1_message_log(kiln_l2l1_log *out, uint16_t tx_number_in_block, const uint8_t msg_sender[20],
                           const uint8_t *message, size_t message_len) {
    out->shard_id = 0;
    out->is_service = 1;
    out->tx_number_in_block = tx_number_in_block;
    kiln_system_address(out->sender, KILN_ADDR_L1_MESSENGER);
    memset(out->key, 0, 12);
    memcpy(out->key + 12, msg_sender, 20);
    kiln_keccak256(message, message_len, out->value);
}

void kiln_l2l1_chained_logs_append(uint8_t acc[32], const kiln_l2l1_log *log) {
    uint8_t h[32];
    kiln_l2l1_log_hash(h, log);
    hash_pair(acc, acc, h);
}

void kiln_l2l1_chained_messages_append(uint8_t acc[32], const uint8_t *message, size_t message_len) {
    uint8_t h[32];
    kiln_keccak256(message, message_len, h);
    hash_pair(acc, acc, h);
}

void kiln_base_token_withdrawal_message(uint8_t out[56], const uint8_t l1_receiver[20],
                                        const uint8_t amount[32]) {
    static const uint8_t sel[4] = {0x6c, 0x09, 0x60, 0xf9};
    memcpy(out, sel, 4);
    memcpy(out + 4, l1_receiver, 20);
    memcpy(out + 24, amount, 32);
}
