/* The bootloader's entry: the batch's header checks, its L2 blocks and their transactions, then the end of the
 * batch (finalize.c). Blocks follow the ZK Stack's rules (zkstack-protocol.md §1.4–§1.7): numbers follow on
 * from the previous batch's last block, timestamps strictly increase, the first is not before the batch's
 * timestamp, and the last block is the fictive, empty one. The previous block's number, timestamp and hash
 * live in SystemContext's storage (checked against the previous state root like every other slot). */
#include "address.h"
#include "bootloader.h"
#include "fee.h"
#include "l2_block.h"
#include "system_context.h"

bl_batch bl;
uint8_t BL_BOOTLOADER[20], BL_NONCE_HOLDER[20], BL_L1_MESSENGER[20], BL_BASE_TOKEN[20], BL_SYSTEM_CONTEXT[20];

static void addresses_init(void) {
    kiln_system_address(BL_BOOTLOADER, KILN_ADDR_BOOTLOADER);
    kiln_system_address(BL_NONCE_HOLDER, KILN_ADDR_NONCE_HOLDER);
    kiln_system_address(BL_L1_MESSENGER, KILN_ADDR_L1_MESSENGER);
    kiln_system_address(BL_BASE_TOKEN, KILN_ADDR_L2_BASE_TOKEN);
    kiln_system_address(BL_SYSTEM_CONTEXT, KILN_ADDR_SYSTEM_CONTEXT);
}

uint32_t bl_advice(const void *req, uint32_t req_len, void *out, uint32_t cap) {
    uint32_t n = (uint32_t)kiln_advice(req, req_len, out, cap);
    BL_ASSERT(n <= cap, "advice answer larger than asked for");
    return n;
}

void bl_receipt(const uint8_t hash[32], kiln_tx_status status, kiln_tx_reason reason, uint64_t gas_used) {
    kiln_receipt r = {bl.tx_index++, {0}, status, reason, gas_used};
    memcpy(r.hash, hash, 32);
    uint8_t req[4 + KILN_RECEIPT_RECORD_LEN];
    req[0] = KILN_ADVICE_HOOK_RECEIPT, req[1] = req[2] = req[3] = 0;
    kiln_receipt_encode(&r, req + 4);
    bl_advice(req, sizeof req, NULL, 0);
}

void bl_emit_log(const kiln_l2l1_log *log) {
    if (bl.n_logs == bl.cap_logs) {
        bl.cap_logs = bl.cap_logs ? 2 * bl.cap_logs : 64;
        kiln_l2l1_log *n = (kiln_l2l1_log *)malloc(bl.cap_logs * sizeof *n);
        memcpy(n, bl.logs, bl.n_logs * sizeof *n);
        bl.logs = n;
    }
    BL_ASSERT(bl.n_logs < KILN_L2L1_LOGS_TREE_LEAVES, "too many L2->L1 logs in the batch");
    bl.logs[bl.n_logs++] = *log;
}

void bl_emit_message(const uint8_t sender[20], const uint8_t *msg, uint32_t len) {
    kiln_l2l1_log log;
    kiln_l2l1_message_log(&log, (uint16_t)bl.tx_in_batch, sender, msg, len);
    bl_emit_log(&log);
    if (bl.n_msgs == bl.cap_msgs) {
        bl.cap_msgs = bl.cap_msgs ? 2 * bl.cap_msgs : 16;
        kiln_bytes_ref *m = (kiln_bytes_ref *)malloc(bl.cap_msgs * sizeof *m);
        memcpy(m, bl.msgs, bl.n_msgs * sizeof *m);
        bl.msgs = m;
    }
    uint8_t *copy = (uint8_t *)malloc(len ? len : 1);
    memcpy(copy, msg, len);
    bl.msgs[bl.n_msgs].data = copy;
    bl.msgs[bl.n_msgs++].len = len;
}

uint32_t bl_logs_checkpoint(void) {
    return bl.n_logs << 16 | bl.n_msgs; /* both stay below 2^16 (the logs tree has 16384 leaves) */
}

void bl_logs_rollback(uint32_t cp) {
    bl.n_logs = cp >> 16;
    bl.n_msgs = cp & 0xffff;
}

/* SystemContext's packed (number << 128 | timestamp) slots. */
static void read_packed(uint32_t slot, uint64_t *number, uint64_t *ts) {
    uint8_t key[32] = {0}, v[32];
    kiln_put_be32(key + 28, slot);
    bl_slot_read(BL_SYSTEM_CONTEXT, key, v);
    for (int i = 0; i < 8; i++)
        BL_ASSERT(v[i] == 0 && v[16 + i] == 0, "SystemContext: packed value out of range");
    *number = kiln_be64(v + 8);
    *ts = kiln_be64(v + 24);
}

static void write_packed(uint32_t slot, uint64_t number, uint64_t ts) {
    uint8_t key[32] = {0}, v[32] = {0};
    kiln_put_be32(key + 28, slot);
    kiln_put_be64(v + 8, number);
    kiln_put_be64(v + 24, ts);
    bl_slot_write(BL_SYSTEM_CONTEXT, key, v);
}

static void block_hash_slot(uint64_t number, uint8_t key[32]) {
    memset(key, 0, 32);
    kiln_put_be32(key + 28, KILN_SYSCTX_BLOCK_HASHES_SLOT + (uint32_t)(number % KILN_BLOCK_HASHES_KEPT));
}

int main(void) {
    size_t len;
    const uint8_t *in = kiln_input_all(&len);
    kiln_batch_cursor cur;
    char err[96];
    if (kiln_batch_parse_header(in, len, &bl.h, &cur, err, sizeof err) != KILN_OK) kiln_panic(err, 111);
    addresses_init();
    bl_state_init();
    kiln_fee_bootloader_params(bl.h.fair_l2_gas_price, bl.h.fair_pubdata_price, &bl.base_fee_u64, &bl.gas_per_pubdata);
    kiln_u256_from_u64(&bl.base_fee, bl.base_fee_u64);
    kiln_keccak256(NULL, 0, bl.priority_rolling);

    /* The previous batch: its number, and SystemContext's record of it and of its last block. */
    BL_ASSERT(kiln_stored_batch_info_decode(&bl.prev, bl.h.prev_stored) == KILN_OK,
              "malformed previous StoredBatchInfo");
    uint64_t prev_number = bl.prev.batch_number, sc_batch, sc_batch_ts;
    BL_ASSERT(bl.h.number == prev_number + 1, "batch number does not follow the previous batch");
    read_packed(KILN_SYSCTX_BATCH_INFO_SLOT, &sc_batch, &sc_batch_ts);
    BL_ASSERT(sc_batch == prev_number, "SystemContext disagrees with the previous batch");
    BL_ASSERT(bl.h.timestamp > sc_batch_ts, "batch timestamp not after the previous batch's");
    read_packed(KILN_SYSCTX_BLOCK_INFO_SLOT, &bl.block_number, &bl.block_timestamp);
    BL_ASSERT(bl.h.timestamp > bl.block_timestamp, "batch timestamp not after the previous L2 block's");
    uint8_t key[32];
    block_hash_slot(bl.block_number, key);
    bl_slot_read(BL_SYSTEM_CONTEXT, key, bl.block_hash);

    for (uint32_t b = 0; b < bl.h.n_blocks; b++) {
        kiln_batch_block blk;
        if (kiln_batch_next_block(&cur, &blk, err, sizeof err) != KILN_OK) kiln_panic(err, 111);
        BL_ASSERT(blk.timestamp > bl.block_timestamp && blk.timestamp >= bl.h.timestamp,
                  "L2 block timestamps must increase");
        BL_ASSERT(b + 1 < bl.h.n_blocks || blk.n_items == 0, "the batch's last (fictive) L2 block must be empty");
        memset(bl.block_rolling, 0, 32);
        for (uint32_t i = 0; i < blk.n_items; i++) {
            kiln_batch_item it;
            if (kiln_batch_next_item(&cur, &it, err, sizeof err) != KILN_OK) kiln_panic(err, 111);
            if (it.kind == KILN_ITEM_L2_TX)
                bl_process_l2_tx(it.data, it.len);
            else
                bl_process_priority_op(it.data, it.len);
        }
        uint8_t h[32];
        kiln_l2_block_hash(h, bl.block_number + 1, blk.timestamp, bl.block_hash, bl.block_rolling);
        bl.block_number++;
        bl.block_timestamp = blk.timestamp;
        memcpy(bl.block_hash, h, 32);
        block_hash_slot(bl.block_number, key);
        bl_slot_write(BL_SYSTEM_CONTEXT, key, h);
    }
    if (kiln_batch_parse_end(&cur, err, sizeof err) != KILN_OK) kiln_panic(err, 111);
    write_packed(KILN_SYSCTX_BLOCK_INFO_SLOT, bl.block_number, bl.block_timestamp);
    write_packed(KILN_SYSCTX_BATCH_INFO_SLOT, bl.h.number, bl.h.timestamp);
    bl_finalize();
    return 0;
}
