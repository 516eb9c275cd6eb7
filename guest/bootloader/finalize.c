/* The end of the batch: pay the operator, check every touched slot's batch-start value against the previous
 * state root and apply its final value (one tree step each, in (address, key) order, which is also the
 * order new leaves get their enumeration indices), publish the state diffs, L2→L1 logs and messages as the
 * ZK Stack's pubdata, and commit the public output (docs/formats.md, "Bootloader public output"). */
#include "advice.h"
#include "batch.h"
#include "bootloader_output.h"
#include "bootloader.h"
#include "pubdata.h"
#include "state_diff.h"
#include "state_tree.h"

static void tree_steps(kiln_tree_commitment *c, kiln_state_diff **diffs_out, uint32_t *n_diffs_out) {
    uint32_t n;
    bl_slot **v = bl_slots_sorted(&n);
    kiln_state_diff *diffs = (kiln_state_diff *)malloc((n ? n : 1) * sizeof *diffs);
    uint32_t nd = 0;
    uint8_t *proof = (uint8_t *)malloc(KILN_ADVICE_MAX_PROOF);
    char err[96];
    for (uint32_t i = 0; i < n; i++) {
        bl_slot *s = v[i];
        uint8_t req[4 + 64];
        req[0] = KILN_ADVICE_TREE_STEP, req[1] = req[2] = req[3] = 0;
        memcpy(req + 4, s->tree_key, 32);
        memcpy(req + 36, s->cur, 32);
        uint32_t plen = bl_advice(req, sizeof req, proof, KILN_ADVICE_MAX_PROOF);
        uint64_t index;
        int inserted;
        if (kiln_tree_step(c, s->tree_key, s->initial, s->cur, proof, plen, &index, &inserted, err, sizeof err) !=
            KILN_OK)
            kiln_panic(err, 112);
        /* The existence the host claimed (which priced pubdata) must be what the tree says. */
        BL_ASSERT(s->exists == (!inserted && index != 0), "slot advice: wrong existence claim");
        if (!memcmp(s->initial, s->cur, 32)) continue;
        kiln_state_diff *d = &diffs[nd++];
        memcpy(d->address, s->addr, 20);
        memcpy(d->key, s->key, 32);
        memcpy(d->derived_key, s->tree_key, 32);
        d->enum_index = inserted ? 0 : index;
        memcpy(d->initial, s->initial, 32);
        memcpy(d->final, s->cur, 32);
    }
    *diffs_out = diffs;
    *n_diffs_out = nd;
}

static void publish_pubdata(const uint8_t *p, size_t len) {
    uint8_t *req = (uint8_t *)malloc(KILN_ADVICE_MAX_REQUEST);
    for (size_t off = 0; off < len || off == 0; off += KILN_ADVICE_MAX_REQUEST - 8) {
        size_t n = len - off < KILN_ADVICE_MAX_REQUEST - 8 ? len - off : KILN_ADVICE_MAX_REQUEST - 8;
        req[0] = KILN_ADVICE_HOOK_PUBDATA, req[1] = req[2] = req[3] = 0;
        for (int i = 0; i < 4; i++)
            req[4 + i] = (uint8_t)(off >> (8 * i));
        memcpy(req + 8, p + off, n);
        bl_advice(req, (uint32_t)(8 + n), NULL, 0);
        if (len == 0) break;
    }
}

void bl_finalize(void) {
    bl_add_balance(bl.h.operator_addr, &bl.fees);

    kiln_tree_commitment c;
    memcpy(c.root, bl.prev.batch_hash, 32);
    c.next_free = bl.prev.index_repeated_storage_changes;
    kiln_state_diff *diffs;
    uint32_t nd;
    tree_steps(&c, &diffs, &nd);

    /* Pubdata: logs, messages, no bytecodes (no deployments yet), compressed state diffs. */
    kiln_pubdata_input pi;
    memset(&pi, 0, sizeof pi);
    pi.logs = bl.logs, pi.n_logs = bl.n_logs;
    pi.messages = bl.msgs, pi.n_messages = bl.n_msgs;
    pi.diffs = diffs, pi.n_diffs = nd;
    size_t cap, plen;
    char err[96];
    if (kiln_pubdata_size(&cap, &pi, err, sizeof err) != KILN_OK) kiln_panic(err, 113);
    uint8_t *pubdata = (uint8_t *)malloc(cap ? cap : 1);
    if (kiln_pubdata_build(pubdata, cap, &plen, &pi, err, sizeof err) != KILN_OK) kiln_panic(err, 113);
    publish_pubdata(pubdata, plen);
    uint8_t pubdata_hash[32], diffs_hash[32], logs_root[32];
    kiln_keccak256(pubdata, plen, pubdata_hash);
    kiln_state_diffs_hash(diffs_hash, diffs, nd);
    uint8_t *scratch = (uint8_t *)malloc(32 * (bl.n_logs ? bl.n_logs : 1));
    if (kiln_l2l1_logs_root(logs_root, bl.logs, bl.n_logs, KILN_L2L1_LOGS_TREE_LEAVES, scratch, err, sizeof err) !=
        KILN_OK)
        kiln_panic(err, 113);

    /* The system logs the ZK Stack's v23 bootloader and system contracts emit (no blobs: their hashes are
     * zero), and the batch commitment over them. */
    kiln_l2l1_log sys[KILN_SYSLOG_BLOB_ONE_HASH + 6];
    uint8_t v[KILN_SYSLOG_BLOB_ONE_HASH + 6][32];
    memset(v, 0, sizeof v);
    memcpy(v[KILN_SYSLOG_L2_TO_L1_LOGS_TREE_ROOT], logs_root, 32);
    memcpy(v[KILN_SYSLOG_TOTAL_L2_TO_L1_PUBDATA], pubdata_hash, 32);
    memcpy(v[KILN_SYSLOG_STATE_DIFF_HASH], diffs_hash, 32);
    kiln_packed_timestamps(v[KILN_SYSLOG_PACKED_BATCH_AND_L2_BLOCK_TIMESTAMP], bl.h.timestamp, bl.block_timestamp);
    memcpy(v[KILN_SYSLOG_PREV_BATCH_HASH], bl.prev.batch_hash, 32);
    memcpy(v[KILN_SYSLOG_CHAINED_PRIORITY_TXN_HASH], bl.priority_rolling, 32);
    kiln_u256_be_from_u64(v[KILN_SYSLOG_NUMBER_OF_LAYER_1_TXS], bl.n_l1_txs);
    for (unsigned k = 0; k < KILN_SYSLOG_BLOB_ONE_HASH + 6; k++)
        BL_ASSERT(kiln_system_log_v23(&sys[k], k, v[k], 0, NULL, 0) == KILN_OK, "system log");

    kiln_batch_commitment_input ci;
    memset(&ci, 0, sizeof ci);
    ci.index_repeated_storage_changes = c.next_free;
    memcpy(ci.new_state_root, c.root, 32);
    kiln_system_logs_hash(ci.system_logs_hash, sys, KILN_SYSLOG_BLOB_ONE_HASH + 6);
    memcpy(ci.state_diffs_hash, diffs_hash, 32);
    kiln_batch_commitment_parts parts;
    kiln_batch_commitment(&parts, &ci);

    kiln_stored_batch_info info;
    memset(&info, 0, sizeof info);
    info.batch_number = bl.h.number;
    memcpy(info.batch_hash, c.root, 32);
    info.index_repeated_storage_changes = c.next_free;
    info.number_of_layer1_txs = bl.n_l1_txs;
    memcpy(info.priority_operations_hash, bl.priority_rolling, 32);
    memcpy(info.l2_logs_tree_root, logs_root, 32);
    info.timestamp = bl.h.timestamp;
    memcpy(info.commitment, parts.commitment, 32);

    kiln_bootloader_output out;
    out.stored = info;
    kiln_keccak256(bl.h.prev_stored, 256, out.prev_stored_hash);
    memcpy(out.pubdata_hash, pubdata_hash, 32);
    out.chain_id = bl.h.chain_id;
    out.last_block_number = bl.block_number;
    memcpy(out.last_block_hash, bl.block_hash, 32);
    uint8_t bytes[KILN_BOOTLOADER_OUTPUT_LEN];
    kiln_bootloader_output_encode(&out, bytes);
    kiln_commit(bytes, sizeof bytes);
}
