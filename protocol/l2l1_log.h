/* ZK Stack L2→L1 logs (DESIGN D8; reference/zkstack-protocol.md §5.4): the 88-byte serialization, the Keccak
 * Merkle tree over a batch's user logs (padded to a fixed leaf count, 16384 from VM 1.5.0 on), Merkle paths
 * and their check as L1's Mailbox does it, the L2→L1 message log and the base-token withdrawal message. log
 * bytes = shard_id u8 ‖ is_service u8 ‖ tx_number_in_block u16 BE ‖ sender(20) ‖ key(32) ‖ value(32) leaf =
 * keccak256(88 bytes); node = keccak256(left ‖ right); empty leaf = keccak256(88 zero bytes). */
#ifndef KILN_PROTO_L2L1_LOG_H
#define KILN_PROTO_L2L1_LOG_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_L2L1_LOG_SIZE 88u
/* Leaf counts of the logs tree: VM >= 1.5.0 (protocol v23+) 16384 (depth 14); 1.4.2: 4096; 1.4.0/1.4.1: 2048;
 * pre-Boojum: 512. */
#define KILN_L2L1_LOGS_TREE_LEAVES 16384u
#define KILN_L2L1_LOGS_TREE_DEPTH 14u
#define KILN_L2L1_LOGS_TREE_LEAVES_1_4_2 4096u
#define KILN_L2L1_LOGS_TREE_LEAVES_1_4_1 2048u
#define KILN_L2L1_LOGS_TREE_LEAVES_PRE_BOOJUM 512u
/* Longest path kiln_merkle_path_root accepts (L1 requires 0 < length < 256). */
#define KILN_MERKLE_MAX_DEPTH 255u

typedef struct kiln_l2l1_log {
    uint8_t shard_id;
    uint8_t is_service; /* 0 or 1 */
    uint16_t tx_number_in_block;
    uint8_t sender[20];
    uint8_t key[32];
    uint8_t value[32];
} kiln_l2l1_log;

/* keccak256(88 zero bytes) = 72abee45…dada43ba (L2_L1_LOGS_TREE_DEFAULT_LEAF_HASH). */
extern const uint8_t KILN_L2L1_EMPTY_LEAF_HASH[32];

void kiln_l2l1_log_encode(uint8_t out[88], const kiln_l2l1_log *log);
/* Any 88 bytes decode; is_service keeps the raw byte. */
void kiln_l2l1_log_decode(kiln_l2l1_log *log, const uint8_t in[88]);
/* keccak256(encoding). */
void kiln_l2l1_log_hash(uint8_t out[32], const kiln_l2l1_log *log);

/* The root of an empty subtree of 2^depth leaves (depth 0: the empty leaf hash). depth <= 255. */
void kiln_l2l1_empty_subtree_hash(uint8_t out[32], unsigned depth);

/* Root of the tree whose first n leaves are the given leaf hashes and whose other tree_leaves - n leaves are
 * empty. tree_leaves must be a power of two >= max(n, 1) and <= 2^31. leaves (n × 32 bytes) is overwritten
 * (it is the scratch); only the occupied part is hashed, the rest comes from empty-subtree hashes. */
kiln_status kiln_merkle_root_from_leaves(uint8_t root[32], uint8_t *leaves, size_t n, size_t tree_leaves,
                                         char *err, size_t errlen);
/* Root of the logs tree over n logs; scratch holds n × 32 bytes (may be NULL when n == 0). */
kiln_status kiln_l2l1_logs_root(uint8_t root[32], const kiln_l2l1_log *logs, size_t n, size_t tree_leaves,
                                uint8_t *scratch, char *err, size_t errlen);
/* The Merkle path of leaf index (< n) as L1 takes it: path[d] (32 bytes each, d = 0 … depth-1, leaf level
 * first) is the sibling at level d; depth = log2(tree_leaves). leaves is overwritten as above. root may be
 * NULL. */
kiln_status kiln_merkle_path_from_leaves(uint8_t *path, uint8_t root[32], uint8_t *leaves, size_t n,
                                         size_t tree_leaves, size_t index, char *err, size_t errlen);
/* Same for logs; scratch holds n × 32 bytes; path holds log2(tree_leaves) × 32 bytes. */
kiln_status kiln_l2l1_logs_path(uint8_t *path, uint8_t root[32], const kiln_l2l1_log *logs, size_t n,
                                size_t tree_leaves, size_t index, uint8_t *scratch, char *err, size_t errlen);
/* L1's Merkle.calculateRoot: for d in 0…depth-1, cur = bit d of index ? keccak(path[d] ‖ cur) :
 * keccak(cur ‖ path[d]). Requires 0 < depth <= 255 and index < 2^depth. */
kiln_status kiln_merkle_path_root(uint8_t root[32], const uint8_t leaf[32], uint64_t index,
                                  const uint8_t *path, size_t depth, char *err, size_t errlen);
/* Mailbox._proveL2LogInclusion's check: leaf != the empty leaf hash and the path's root equals root.
 * KILN_ERR_VERIFY when it does not hold. */
kiln_status kiln_l2l1_verify_path(const uint8_t root[32], const uint8_t leaf[32], uint64_t index,
                                  const uint8_t *path, size_t depth, char *err, size_t errlen);

/* v26+ (Gateway): the root a batch commits to is keccak256(local_root ‖ aggregation_root). */
void kiln_l2l1_gateway_root(uint8_t out[32], const uint8_t local_root[32],
                            const uint8_t aggregation_root[32]);

/* The user log L1Messenger.sendToL1 emits: shard 0, is_service 1, sender 0x8008, key = pad32(msg_sender),
 * value = keccak256(message). */
void kiln_l2l1_message_log(kiln_l2l1_log *out, uint16_t tx_number_in_block, const uint8_t msg_sender[20],
                           const uint8_t *message, size_t message_len);

/* L1Messenger's per-batch rolling hashes (each starts at 32 zero bytes), which L1Messenger checks against the
 * pubdata it publishes: chainedLogsHash ← keccak256(acc ‖ keccak256(log88)), chainedMessagesHash ←
 * keccak256(acc ‖ keccak256(message)); chainedL1BytecodesRevealDataHash appends the versioned bytecode hash
 * (kiln_rolling_hash_append in l2_block.h). */
void kiln_l2l1_chained_logs_append(uint8_t acc[32], const kiln_l2l1_log *log);
void kiln_l2l1_chained_messages_append(uint8_t acc[32], const uint8_t *message, size_t message_len);

/* L2BaseToken.withdraw's message: 0x6c0960f9 (finalizeEthWithdrawal) ‖ l1_receiver(20) ‖ amount u256 BE(32).
 */
#define KILN_BASE_TOKEN_WITHDRAWAL_MESSAGE_SIZE 56u
void kiln_base_token_withdrawal_message(uint8_t out[56], const uint8_t l1_receiver[20],
                                        const uint8_t amount[32]);

#ifdef __cplusplus
}
#endif
#endif
