#include "batch.h"

#include "address.h"
#include "keccak/keccak.h"

void kiln_u256_be_from_u64(uint8_t out[32], uint64_t v) {
    memset(out, 0, 24);
    kiln_put_be64(out + 24, v);
}

void kiln_stored_batch_info_encode(uint8_t out[256], const kiln_stored_batch_info *b) {
    kiln_u256_be_from_u64(out, b->batch_number);
    memcpy(out + 32, b->batch_hash, 32);
    kiln_u256_be_from_u64(out + 64, b->index_repeated_storage_changes);
    kiln_u256_be_from_u64(out + 96, b->number_of_layer1_txs);
    memcpy(out + 128, b->priority_operations_hash, 32);
    memcpy(out + 160, b->l2_logs_tree_root, 32);
    kiln_u256_be_from_u64(out + 192, b->timestamp);
    memcpy(out + 224, b->commitment, 32);
}

static int word_u64(const uint8_t w[32], uint64_t *v) {
    for (int i = 0; i < 24; i++)
        if (w[i]) return 0;
    *v = kiln_be64(w + 24);
    return 1;
}

kiln_status kiln_stored_batch_info_decode(kiln_stored_batch_info *b, const uint8_t in[256]) {
    if (!word_u64(in, &b->batch_number) || !word_u64(in + 64, &b->index_repeated_storage_changes) ||
        !word_u64(in + 96, &b->number_of_layer1_txs) || !word_u64(in + 192, &b->timestamp))
        return KILN_ERR_PARSE;
    memcpy(b->batch_hash, in + 32, 32);
    memcpy(b->priority_operations_hash, in + 128, 32);
    memcpy(b->l2_logs_tree_root, in + 160, 32);
    memcpy(b->commitment, in + 224, 32);
    return KILN_OK;
}

void kiln_stored_batch_info_hash(uint8_t out[32], const kiln_stored_batch_info *b) {
    uint8_t enc[256];
    kiln_stored_batch_info_encode(enc, b);
    kiln_keccak256(enc, sizeof enc, out);
}

void kiln_stored_batch_info_hash_v29(uint8_t out[32], const kiln_stored_batch_info *b,
                                     const uint8_t dependency_roots_rolling_hash[32]) {
    uint8_t enc[288];
    kiln_stored_batch_info_encode(enc, b);
    memmove(enc + 192, enc + 160, 96);
    memcpy(enc + 160, dependency_roots_rolling_hash, 32);
    kiln_keccak256(enc, sizeof enc, out);
}

void kiln_batch_commitment(kiln_batch_commitment_parts *out, const kiln_batch_commitment_input *in) {
    uint8_t pass[80];
    memset(pass, 0, sizeof pass);
    kiln_put_be64(pass, in->index_repeated_storage_changes);
    memcpy(pass + 8, in->new_state_root, 32);
    kiln_keccak256(pass, sizeof pass, out->pass_through_hash);

    uint8_t meta[97];
    meta[0] = in->zkporter_available;
    memcpy(meta + 1, in->bootloader_hash, 32);
    memcpy(meta + 33, in->default_aa_hash, 32);
    memcpy(meta + 65, in->evm_emulator_hash, 32);
    kiln_keccak256(meta, sizeof meta, out->meta_hash);

    kiln_keccak256_ctx c;
    kiln_keccak256_init(&c);
    kiln_keccak256_update(&c, in->system_logs_hash, 32);
    kiln_keccak256_update(&c, in->state_diffs_hash, 32);
    kiln_keccak256_update(&c, in->bootloader_heap_hash, 32);
    kiln_keccak256_update(&c, in->events_queue_hash, 32);
    for (unsigned i = 0; i < KILN_BATCH_BLOBS_IN_COMMITMENT; i++) {
        kiln_keccak256_update(&c, in->blob_linear_hashes[i], 32);
        kiln_keccak256_update(&c, in->blob_commitments[i], 32);
    }
    kiln_keccak256_final(&c, out->aux_hash);

    uint8_t all[96];
    memcpy(all, out->pass_through_hash, 32);
    memcpy(all + 32, out->meta_hash, 32);
    memcpy(all + 64, out->aux_hash, 32);
    kiln_keccak256(all, sizeof all, out->commitment);
}

void kiln_system_logs_hash(uint8_t out[32], const kiln_l2l1_log *logs, size_t n) {
    kiln_keccak256_ctx c;
    uint8_t b[KILN_L2L1_LOG_SIZE];
    kiln_keccak256_init(&c);
    for (size_t i = 0; i < n; i++) {
        kiln_l2l1_log_encode(b, &logs[i]);
        kiln_keccak256_update(&c, b, sizeof b);
    }
    kiln_keccak256_final(&c, out);
}

void kiln_batch_public_input(uint8_t out[32], const uint8_t prev_commitment[32],
                             const uint8_t commitment[32]) {
    uint8_t b[64], h[32];
    memcpy(b, prev_commitment, 32);
    memcpy(b + 32, commitment, 32);
    kiln_keccak256(b, sizeof b, h);
    memset(out, 0, 4);
    memcpy(out + 4, h, 28);
}

uint32_t kiln_system_log_sender_v23(unsigned key) {
    if (key <= KILN_SYSLOG_STATE_DIFF_HASH) return KILN_ADDR_L1_MESSENGER;
    if (key <= KILN_SYSLOG_PREV_BATCH_HASH) return KILN_ADDR_SYSTEM_CONTEXT;
    if (key <= KILN_SYSLOG_NUMBER_OF_LAYER_1_TXS) return KILN_ADDR_BOOTLOADER;
    if (key < KILN_SYSLOG_EXPECTED_SYSTEM_CONTRACT_UPGRADE_TX_HASH) return KILN_ADDR_PUBDATA_CHUNK_PUBLISHER;
    if (key == KILN_SYSLOG_EXPECTED_SYSTEM_CONTRACT_UPGRADE_TX_HASH) return KILN_ADDR_BOOTLOADER;
    return 0;
}

kiln_status kiln_system_log_v23(kiln_l2l1_log *out, unsigned key, const uint8_t value[32],
                                uint16_t tx_number_in_block, char *err, size_t errlen) {
    uint32_t sender = kiln_system_log_sender_v23(key);
    if (!sender) return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "system log: unknown v23 key");
    out->shard_id = 0;
    out->is_service = 1;
    out->tx_number_in_block = tx_number_in_block;
    kiln_system_address(out->sender, sender);
    kiln_u256_be_from_u64(out->key, key);
    memcpy(out->value, value, 32);
    return KILN_OK;
}

void kiln_packed_timestamps(uint8_t out[32], uint64_t batch_timestamp, uint64_t last_l2_block_timestamp) {
    memset(out, 0, 32);
    kiln_put_be64(out + 8, batch_timestamp);
    kiln_put_be64(out + 24, last_l2_block_timestamp);
}

kiln_status kiln_system_logs_check_v23(const kiln_l2l1_log *logs, size_t n, int expect_upgrade, char *err,
                                       size_t errlen) {
    uint32_t bitmap = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *k = logs[i].key;
        for (int j = 0; j < 31; j++)
            if (k[j]) return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "system logs: unknown key");
        unsigned key = k[31];
        uint32_t sender = kiln_system_log_sender_v23(key);
        if (!sender) return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "system logs: unknown key");
        uint8_t want[20];
        kiln_system_address(want, sender);
        if (memcmp(want, logs[i].sender, 20) != 0)
            return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "system logs: wrong sender for key");
        if (bitmap & (1u << key))
            return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "system logs: duplicate key");
        bitmap |= 1u << key;
    }
    uint32_t want = expect_upgrade ? KILN_SYSLOG_V23_WITH_UPGRADE_BITMAP : KILN_SYSLOG_V23_REQUIRED_BITMAP;
    if (bitmap != want) return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "system logs: missing keys");
    return KILN_OK;
}
