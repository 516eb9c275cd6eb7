#include "receipt.h"

const char *kiln_tx_status_name(kiln_tx_status s) {
    switch (s) {
    case KILN_TX_SUCCESS: return "success";
    case KILN_TX_REVERTED: return "reverted";
    case KILN_TX_REJECTED: return "rejected";
    }
    return "unknown";
}

const char *kiln_tx_reason_name(kiln_tx_reason r) {
    static const char *const names[KILN_REASON_COUNT] = {
        "",
        "malformed transaction",
        "wrong chain id",
        "invalid signature",
        "nonce too low",
        "nonce too high",
        "insufficient funds for value + gas limit x max fee",
        "gas limit below intrinsic gas",
        "gas limit above the maximum per transaction",
        "max fee per gas below the base fee (or priority fee above max fee)",
        "gas per pubdata limit below the batch's price",
        "outside Ethereum's transaction limits",
        "out of gas (execution and pubdata)",
        "needs the EVM (contract creation or code), not in this bootloader",
        "call into a system contract with unsupported data",
    };
    return (unsigned)r < KILN_REASON_COUNT ? names[r] : "unknown reason";
}

void kiln_receipt_encode(const kiln_receipt *r, uint8_t out[KILN_RECEIPT_RECORD_LEN]) {
    for (int i = 0; i < 4; i++)
        out[i] = (uint8_t)(r->index >> (8 * i));
    memcpy(out + 4, r->hash, 32);
    out[36] = (uint8_t)r->status;
    out[37] = (uint8_t)r->reason;
    for (int i = 0; i < 8; i++)
        out[38 + i] = (uint8_t)(r->gas_used >> (8 * i));
}

kiln_status kiln_receipt_decode(const uint8_t *in, size_t len, kiln_receipt *r) {
    if (len != KILN_RECEIPT_RECORD_LEN || in[36] > KILN_TX_REJECTED || in[37] >= KILN_REASON_COUNT)
        return KILN_ERR_PARSE;
    r->index = 0;
    for (int i = 3; i >= 0; i--)
        r->index = (r->index << 8) | in[i];
    memcpy(r->hash, in + 4, 32);
    r->status = (kiln_tx_status)in[36];
    r->reason = (kiln_tx_reason)in[37];
    r->gas_used = 0;
    for (int i = 7; i >= 0; i--)
        r->gas_used = (r->gas_used << 8) | in[38 + i];
    return KILN_OK;
}
