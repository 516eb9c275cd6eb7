/* An L1→L2 priority transaction (zkstack-protocol.md §2.7): its canonical hash joins the block's rolling
 * hash and the priority chain; `value` is minted to the sender and the call made; the fee at the price fixed
 * on L1 goes to the operator and the rest of the minted value to the refund recipient. A failing one still
 * consumes its place in the queue (and says so in its L2→L1 log). */
#include "bootloader.h"
#include "l2_block.h"

#define L1_TX_INTRINSIC_L2_GAS 167157ull
#define L1_TX_INTRINSIC_PUBDATA 88ull

void bl_process_priority_op(const uint8_t *data, uint32_t len) {
    kiln_priority_op op;
    BL_ASSERT(kiln_priority_op_decode(data, len, &op, NULL, 0) == KILN_OK, "malformed priority operation");
    uint8_t hash[32];
    kiln_priority_op_canonical_hash(&op, hash);
    kiln_rolling_hash_append(bl.block_rolling, hash);
    kiln_rolling_hash_append(bl.priority_rolling, hash);
    bl.n_l1_txs++;

    kiln_u256 mint, value, max_fee, fee, rest;
    kiln_u256_from_be(&mint, op.mint);
    kiln_u256_from_be(&value, op.value);
    kiln_u256_from_be(&max_fee, op.max_fee_per_gas);
    /* L1's Mailbox guarantees mint >= value + max fee x gas limit; a batch that says otherwise is unprovable. */
    kiln_u256 need;
    BL_ASSERT(!kiln_u256_mul_u64(&need, &max_fee, op.gas_limit) && !kiln_u256_add(&need, &need, &value) &&
                  kiln_u256_cmp(&mint, &need) >= 0,
              "priority operation: minted value too low");

    uint32_t cp = bl_checkpoint(), lcp = bl_logs_checkpoint();
    bl_add_balance(op.from, &value);
    uint64_t extra = 0;
    int ok;
    if (!bl_system_call(op.from, op.to, &value, op.data, op.data_len, &ok, &extra)) {
        ok = bl_sub_balance(op.from, &value);
        if (ok) bl_add_balance(op.to, &value);
    }
    int64_t pubdata = bl_charge_pubdata(cp) + (int64_t)extra;
    uint64_t gas = L1_TX_INTRINSIC_L2_GAS + (pubdata > 0 ? (uint64_t)pubdata : 0) * op.gas_per_pubdata;
    if (ok && gas > op.gas_limit) ok = 0;
    if (!ok) {
        bl_rollback(cp);
        bl_logs_rollback(lcp);
    }
    if (gas > op.gas_limit) gas = op.gas_limit;
    kiln_u256_mul_u64(&fee, &max_fee, gas);
    kiln_u256_sub(&rest, &mint, &fee);
    if (ok) kiln_u256_sub(&rest, &rest, &value);
    BL_ASSERT(!kiln_u256_add(&bl.fees, &bl.fees, &fee), "fee overflow");
    bl_add_balance(op.refund_recipient, &rest);
    bl_charge_pubdata(cp);

    /* The log that lets L1 prove the outcome (a failed deposit is reclaimed with it). */
    kiln_l2l1_log log;
    memset(&log, 0, sizeof log);
    log.is_service = 1;
    log.tx_number_in_block = (uint16_t)bl.tx_in_batch;
    memcpy(log.sender, BL_BOOTLOADER, 20);
    memcpy(log.key, hash, 32);
    log.value[31] = (uint8_t)ok;
    bl_emit_log(&log);
    bl_receipt(hash, ok ? KILN_TX_SUCCESS : KILN_TX_REVERTED, ok ? KILN_REASON_NONE : KILN_REASON_BAD_CALL, gas);
    bl.tx_in_batch++;
}
