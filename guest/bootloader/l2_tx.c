/* An L2 transaction, as the ZK Stack's bootloader and DefaultAccount process one (zkstack-protocol.md §2.6,
 * §4.8), natively: validate (decode, chain id, signature, nonce, fee cap, gas limit, balance), pay the fee up
 * front at the batch's base fee, execute, post-charge pubdata, refund. A rejected transaction changes
 * nothing; a reverted one keeps its nonce bump and pays for the gas it used. */
#include "bootloader.h"
#include "l2_block.h"
#include "tx.h"

#define MAX_GAS_PER_TX 80000000ull

static void reject(const uint8_t hash[32], kiln_tx_reason reason) {
    bl_receipt(hash, KILN_TX_REJECTED, reason, 0);
}

/* Validation; KILN_REASON_NONE when the transaction may be included. */
static kiln_tx_reason validate(const kiln_tx *tx, const uint8_t from[20], kiln_u256 *prepay) {
    if (tx->has_chain_id && tx->chain_id != bl.h.chain_id) return KILN_REASON_CHAIN_ID;
    uint64_t nonce = bl_nonce(from);
    if (tx->nonce < nonce) return KILN_REASON_NONCE_TOO_LOW;
    if (tx->nonce > nonce) return KILN_REASON_NONCE_TOO_HIGH;
    if (kiln_u256_cmp(&tx->max_fee_per_gas, &bl.base_fee) < 0 ||
        kiln_u256_cmp(&tx->max_priority_fee_per_gas, &tx->max_fee_per_gas) > 0)
        return KILN_REASON_FEE_TOO_LOW;
    kiln_u256 gpp;
    kiln_u256_from_u64(&gpp, bl.gas_per_pubdata);
    if (tx->type == KILN_TX_EIP712 && kiln_u256_cmp(&tx->gas_per_pubdata, &gpp) < 0) return KILN_REASON_GAS_PER_PUBDATA;
    if (tx->gas_limit > MAX_GAS_PER_TX) return KILN_REASON_GAS_LIMIT;
    if (tx->gas_limit < kiln_tx_intrinsic_gas(tx)) return KILN_REASON_INTRINSIC_GAS;
    /* DefaultAccount's rule: balance >= value + gas limit x max fee */
    kiln_u256 need, bal;
    if (kiln_u256_mul_u64(&need, &tx->max_fee_per_gas, tx->gas_limit) || kiln_u256_add(&need, &need, &tx->value))
        return KILN_REASON_INSUFFICIENT_FUNDS;
    bl_balance(from, &bal);
    if (kiln_u256_cmp(&bal, &need) < 0) return KILN_REASON_INSUFFICIENT_FUNDS;
    /* What is left of Ethereum's bounds (the nonce's maximum, creation initcode size). */
    if (kiln_tx_check_limits(tx, bl.h.chain_id, NULL, 0) != KILN_OK) return KILN_REASON_LIMITS;
    kiln_u256_mul_u64(prepay, &bl.base_fee, tx->gas_limit); /* <= need: cannot overflow */
    return KILN_REASON_NONE;
}

/* The call itself: 1 on success, 0 when it reverts (with *reason). */
static int execute(const kiln_tx *tx, const uint8_t from[20], uint64_t *extra_pubdata, kiln_tx_reason *reason) {
    if (!tx->has_to) {
        *reason = KILN_REASON_NO_CODE_RUNNER;
        return 0;
    }
    int ok;
    if (bl_system_call(from, tx->to, &tx->value, tx->data, (uint32_t)tx->data_len, &ok, extra_pubdata)) {
        if (!ok) *reason = KILN_REASON_BAD_CALL;
        return ok;
    }
    /* An account without code (every account until the EVM lands): a plain value transfer. */
    if (!bl_sub_balance(from, &tx->value)) {
        *reason = KILN_REASON_INSUFFICIENT_FUNDS;
        return 0;
    }
    bl_add_balance(tx->to, &tx->value);
    return 1;
}

void bl_process_l2_tx(const uint8_t *raw, uint32_t len) {
    kiln_tx tx;
    uint8_t from[20];
    if (kiln_tx_decode(raw, len, &tx, NULL, 0) != KILN_OK) {
        uint8_t h[32];
        kiln_keccak256(raw, len, h); /* a name for the receipt: the hash of the bytes */
        reject(h, KILN_REASON_MALFORMED);
        return;
    }
    if (tx.hashes_pending) { /* a 0x71 deploying factory deps: needs the EVM issue's code storage */
        uint8_t h[32];
        kiln_keccak256(raw, len, h);
        reject(h, KILN_REASON_NO_CODE_RUNNER);
        return;
    }
    if (kiln_tx_signature_check(&tx, NULL, 0) != KILN_OK) {
        reject(tx.hash, KILN_REASON_SIGNATURE);
        return;
    }
    /* The recovery's inverses and square root come as advice and are checked (a fifth of its cost). */
    uint8_t req[4 + 97];
    uint32_t hint_words[24]; /* the proven advice writes whole words: a 4-aligned buffer */
    req[0] = KILN_ADVICE_SECP_HINT, req[1] = req[2] = req[3] = 0;
    memcpy(req + 4, tx.signing_hash, 32);
    memcpy(req + 36, tx.r, 32);
    memcpy(req + 68, tx.s, 32);
    req[100] = (uint8_t)tx.y_parity;
    BL_ASSERT(bl_advice(req, sizeof req, hint_words, sizeof hint_words) == sizeof(kiln_secp256k1_hint),
              "recovery hint: bad answer length");
    kiln_status st = kiln_tx_sender_hinted(&tx, (const kiln_secp256k1_hint *)hint_words, from, NULL, 0);
    BL_ASSERT(st != KILN_ERR_INTERNAL, "recovery hint does not check");
    if (st != KILN_OK) {
        reject(tx.hash, KILN_REASON_SIGNATURE);
        return;
    }
    kiln_u256 prepay;
    uint32_t cp0 = bl_checkpoint();
    kiln_tx_reason why = validate(&tx, from, &prepay);
    if (why != KILN_REASON_NONE) {
        bl_rollback(cp0); /* validation only reads, but reads add nothing to undo either way */
        reject(tx.hash, why);
        return;
    }

    /* Included from here on. */
    kiln_rolling_hash_append(bl.block_rolling, tx.hash);
    bl_set_nonce(from, tx.nonce + 1);
    BL_ASSERT(bl_sub_balance(from, &prepay), "prepayment");
    uint32_t cp = bl_checkpoint(), lcp = bl_logs_checkpoint();
    uint64_t extra = 0;
    kiln_tx_reason reason = KILN_REASON_NONE;
    int ok = execute(&tx, from, &extra, &reason);
    int64_t pubdata = bl_charge_pubdata(cp0) + (int64_t)extra;
    uint64_t gas = kiln_tx_intrinsic_gas(&tx);
    uint64_t pubdata_gas = pubdata > 0 ? (uint64_t)pubdata * bl.gas_per_pubdata : 0;
    if (ok && gas + pubdata_gas > tx.gas_limit) {
        ok = 0;
        reason = KILN_REASON_OUT_OF_GAS;
    }
    if (!ok) {
        bl_rollback(cp);
        bl_logs_rollback(lcp);
        bl_charge_pubdata(cp0); /* the nonce and the fee stay, and are published */
        gas = reason == KILN_REASON_OUT_OF_GAS ? tx.gas_limit : gas;
    } else {
        gas += pubdata_gas;
    }
    kiln_u256 refund, fee;
    kiln_u256_mul_u64(&refund, &bl.base_fee, tx.gas_limit - gas);
    kiln_u256_mul_u64(&fee, &bl.base_fee, gas);
    bl_add_balance(from, &refund);
    BL_ASSERT(!kiln_u256_add(&bl.fees, &bl.fees, &fee), "fee overflow");
    bl_receipt(tx.hash, ok ? KILN_TX_SUCCESS : KILN_TX_REVERTED, reason, gas);
    bl.tx_in_batch++;
}
