/* Transaction outcomes as the bootloader reports them (its receipt hook, protocol/advice.h) and the host
 * prints them. A rejected transaction changes nothing (no nonce, no fee, not in the block's rolling hash); a
 * reverted one keeps its nonce bump and fee and undoes the rest. */
#ifndef KILN_PROTO_RECEIPT_H
#define KILN_PROTO_RECEIPT_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kiln_tx_status { KILN_TX_SUCCESS = 0, KILN_TX_REVERTED = 1, KILN_TX_REJECTED = 2 } kiln_tx_status;

typedef enum kiln_tx_reason {
    KILN_REASON_NONE = 0,
    /* rejected */
    KILN_REASON_MALFORMED,          /* not a decodable transaction of a supported type */
    KILN_REASON_CHAIN_ID,           /* signed for another chain */
    KILN_REASON_SIGNATURE,          /* invalid or high-s signature, or the sender does not match */
    KILN_REASON_NONCE_TOO_LOW,
    KILN_REASON_NONCE_TOO_HIGH,
    KILN_REASON_INSUFFICIENT_FUNDS, /* balance < value + gas limit x max fee */
    KILN_REASON_INTRINSIC_GAS,      /* gas limit below the intrinsic cost */
    KILN_REASON_GAS_LIMIT,          /* gas limit above the per-transaction maximum */
    KILN_REASON_FEE_TOO_LOW,        /* max fee below the batch's base fee, or priority fee above max fee */
    KILN_REASON_GAS_PER_PUBDATA,    /* a type-0x71 gas-per-pubdata limit below the batch's price */
    KILN_REASON_LIMITS,             /* outside Ethereum's bounds (nonce 2^64 - 1, initcode size, fee product) */
    /* reverted */
    KILN_REASON_OUT_OF_GAS,         /* execution and pubdata cost more than the gas limit */
    KILN_REASON_NO_CODE_RUNNER,     /* a contract creation or call that needs the EVM (not in this bootloader) */
    KILN_REASON_BAD_CALL,           /* a call into a system contract it does not accept */
    KILN_REASON_COUNT
} kiln_tx_reason;

const char *kiln_tx_status_name(kiln_tx_status s);
const char *kiln_tx_reason_name(kiln_tx_reason r);

/* The receipt hook's payload after the u32 kind: u32 index in the batch, hash[32], u8 status, u8 reason,
 * u64 gas used (little-endian). */
#define KILN_RECEIPT_RECORD_LEN (4 + 32 + 1 + 1 + 8)
typedef struct kiln_receipt {
    uint32_t index;
    uint8_t hash[32];
    kiln_tx_status status;
    kiln_tx_reason reason;
    uint64_t gas_used;
} kiln_receipt;
void kiln_receipt_encode(const kiln_receipt *r, uint8_t out[KILN_RECEIPT_RECORD_LEN]);
kiln_status kiln_receipt_decode(const uint8_t *in, size_t len, kiln_receipt *r);

#ifdef __cplusplus
}
#endif
#endif
