/* ZK Stack batch-level values (DESIGN D8; reference/zkstack-protocol.md §8): StoredBatchInfo and its hash,
 * the batch commitment of VM 1.5.0 (protocol v23…v28), the proof's public input, and the pre-Gateway (v23)
 * system logs.
 *   StoredBatchInfo hash = keccak256(abi.encode(8 fields)) (≤ v28; v29+ inserts dependencyRootsRollingHash)
 *   pass_through (80)  = u64 BE index_repeated_storage_changes ‖ new_state_root ‖ u64 0 ‖ bytes32 0
 *   meta (97)          = u8 zkporter_available ‖ bootloader_hash ‖ default_aa_hash ‖ evm_emulator_hash
 *   aux (1152)         = system_logs_hash ‖ state_diffs_hash ‖ bootloader_heap_hash ‖ events_queue_hash ‖
 *                        16 × (blob_linear_hash ‖ blob_commitment)
 *   commitment         = keccak256(keccak(pass_through) ‖ keccak(meta) ‖ keccak(aux))
 *   public input       = uint256(keccak256(prev_commitment ‖ commitment)) >> 32 */
#ifndef KILN_PROTO_BATCH_H
#define KILN_PROTO_BATCH_H

#include "l2l1_log.h"
#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_stored_batch_info {
    uint64_t batch_number;
    uint8_t batch_hash[32]; /* the batch's state root */
    uint64_t index_repeated_storage_changes;
    uint64_t number_of_layer1_txs;
    uint8_t priority_operations_hash[32];
    uint8_t l2_logs_tree_root[32];
    uint64_t timestamp;
    uint8_t commitment[32];
} kiln_stored_batch_info;

#define KILN_STORED_BATCH_INFO_SIZE 256u
void kiln_stored_batch_info_encode(uint8_t out[256], const kiln_stored_batch_info *b);
void kiln_stored_batch_info_hash(uint8_t out[32], const kiln_stored_batch_info *b);
/* The inverse of encode: KILN_ERR_PARSE when a u64 field's word does not fit 64 bits. */
kiln_status kiln_stored_batch_info_decode(kiln_stored_batch_info *b, const uint8_t in[256]);
/* The v29+ layout (9 words, dependency_roots_rolling_hash after priority_operations_hash). */
void kiln_stored_batch_info_hash_v29(uint8_t out[32], const kiln_stored_batch_info *b,
                                     const uint8_t dependency_roots_rolling_hash[32]);

#define KILN_BATCH_BLOBS_IN_COMMITMENT 16u
#define KILN_BATCH_MAX_BLOBS 6u

typedef struct kiln_batch_commitment_input {
    /* pass-through */
    uint64_t index_repeated_storage_changes;
    uint8_t new_state_root[32];
    /* meta parameters */
    uint8_t zkporter_available; /* 0 */
    uint8_t bootloader_hash[32];
    uint8_t default_aa_hash[32];
    uint8_t evm_emulator_hash[32]; /* callers without an EVM emulator pass default_aa_hash here */
    /* auxiliary output */
    uint8_t system_logs_hash[32]; /* kiln_system_logs_hash */
    uint8_t state_diffs_hash[32];
    uint8_t bootloader_heap_hash[32];
    uint8_t events_queue_hash[32];
    uint8_t blob_linear_hashes[16][32];
    uint8_t blob_commitments[16][32];
} kiln_batch_commitment_input;

typedef struct kiln_batch_commitment_parts {
    uint8_t pass_through_hash[32];
    uint8_t meta_hash[32];
    uint8_t aux_hash[32];
    uint8_t commitment[32];
} kiln_batch_commitment_parts;

void kiln_batch_commitment(kiln_batch_commitment_parts *out, const kiln_batch_commitment_input *in);
/* keccak256 of the concatenated 88-byte system logs (CommitBatchInfo.systemLogs), no count. */
void kiln_system_logs_hash(uint8_t out[32], const kiln_l2l1_log *logs, size_t n);
/* uint256(keccak256(prev ‖ cur)) >> 32, as 32 big-endian bytes (the first 4 are zero). */
void kiln_batch_public_input(uint8_t out[32], const uint8_t prev_commitment[32],
                             const uint8_t commitment[32]);

/* v23 (pre-Gateway) system-log keys and their required senders (IExecutor.sol SystemLogKey). */
enum kiln_system_log_key_v23 {
    KILN_SYSLOG_L2_TO_L1_LOGS_TREE_ROOT = 0,                  /* 0x8008 */
    KILN_SYSLOG_TOTAL_L2_TO_L1_PUBDATA = 1,                   /* 0x8008, keccak256(pubdata) */
    KILN_SYSLOG_STATE_DIFF_HASH = 2,                          /* 0x8008 */
    KILN_SYSLOG_PACKED_BATCH_AND_L2_BLOCK_TIMESTAMP = 3,      /* 0x800b, batch_ts << 128 | last_l2_block_ts */
    KILN_SYSLOG_PREV_BATCH_HASH = 4,                          /* 0x800b */
    KILN_SYSLOG_CHAINED_PRIORITY_TXN_HASH = 5,                /* 0x8001 */
    KILN_SYSLOG_NUMBER_OF_LAYER_1_TXS = 6,                    /* 0x8001 */
    KILN_SYSLOG_BLOB_ONE_HASH = 7,                            /* 0x8011, …BLOB_SIX_HASH = 12 */
    KILN_SYSLOG_EXPECTED_SYSTEM_CONTRACT_UPGRADE_TX_HASH = 13 /* 0x8001 */
};
#define KILN_SYSLOG_V23_COUNT 14u
/* The bitmap commitBatches requires: 13 logs (keys 0…12), or 14 with the upgrade-tx key. */
#define KILN_SYSLOG_V23_REQUIRED_BITMAP 8191u
#define KILN_SYSLOG_V23_WITH_UPGRADE_BITMAP 16383u

/* Required sender (short address) of a v23 key, or 0 for an unknown key. */
uint32_t kiln_system_log_sender_v23(unsigned key);
/* A system log: shard 0, is_service 1, the given tx number, the key's sender, key = u256(key), value.
 * KILN_ERR_INVALID_ARG for an unknown key. */
kiln_status kiln_system_log_v23(kiln_l2l1_log *out, unsigned key, const uint8_t value[32],
                                uint16_t tx_number_in_block, char *err, size_t errlen);
/* value = u256(batch_timestamp << 128 | last_l2_block_timestamp). */
void kiln_packed_timestamps(uint8_t out[32], uint64_t batch_timestamp, uint64_t last_l2_block_timestamp);
/* value = u256(v). */
void kiln_u256_be_from_u64(uint8_t out[32], uint64_t v);
/* Checks a list of system logs as commitBatches (v23) does: known keys, each once, right sender, and the
 * bitmap is 8191 (or 16383 when expect_upgrade). KILN_ERR_VERIFY otherwise. */
kiln_status kiln_system_logs_check_v23(const kiln_l2l1_log *logs, size_t n, int expect_upgrade, char *err,
                                       size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
