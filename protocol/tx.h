/* L2 transaction envelopes as wallets send them (eth_sendRawTransaction): legacy (pre-EIP-155 and EIP-155),
 * EIP-2930 (type 0x01), EIP-1559 (0x02) and the ZK Stack's EIP-712 transaction (0x71). Decoding is strict
 * (canonical RLP, Ethereum's integer rules) and computes the signing hash and the transaction hash the way
 * Ethereum (and cast) and the ZK Stack's node do. Pointers in kiln_tx point into the raw bytes, which must
 * outlive it. */
#ifndef KILN_PROTO_TX_H
#define KILN_PROTO_TX_H

#include "proto_base.h"
#include "secp256k1.h"
#include "uint256.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_TX_LEGACY 0x00
#define KILN_TX_EIP2930 0x01
#define KILN_TX_EIP1559 0x02
#define KILN_TX_EIP712 0x71

#define KILN_TX_MAX_RAW (128u * 1024u)     /* raw transactions above this are refused */
#define KILN_TX_MAX_FACTORY_DEPS 64u       /* MAX_NEW_FACTORY_DEPS */
#define KILN_TX_MAX_INITCODE 49152u        /* EIP-3860 */
#define KILN_TX_MAX_CUSTOM_SIGNATURE 4096u /* a 0x71 custom signature's bound */

typedef struct kiln_tx {
    uint8_t type;     /* KILN_TX_* */
    int has_chain_id; /* 0 only for pre-EIP-155 legacy transactions */
    uint64_t chain_id;
    uint64_t nonce;
    uint64_t gas_limit;
    kiln_u256 max_fee_per_gas;          /* legacy and 0x01: gasPrice */
    kiln_u256 max_priority_fee_per_gas; /* legacy and 0x01: gasPrice */
    int has_to;                         /* 0: contract creation */
    uint8_t to[20];
    kiln_u256 value;
    const uint8_t *data;
    size_t data_len;
    /* Access list (0x01, 0x02): its RLP encoding (the whole list item) and what it holds. */
    const uint8_t *access_list;
    size_t access_list_len;
    uint32_t access_list_addresses;
    uint32_t access_list_keys;
    /* Signature: r and s big-endian, y_parity 0/1; v as the wire has it (legacy: 27/28 or 35 + 2 chainId + p;
     * typed: the parity; 0x71: 0/1 or 27/28). */
    uint8_t r[32];
    uint8_t s[32];
    int y_parity;
    uint64_t v;
    /* The digest the sender signed and the transaction's hash. For 0x71 with factory deps, both wait for the
     * deps' bytecode hashes (hashes_pending = 1, see kiln_tx_eip712_set_dep_hashes). */
    uint8_t signing_hash[32];
    uint8_t hash[32];
    int hashes_pending;
    /* 0x71 only. */
    uint8_t from[20];
    kiln_u256 gas_per_pubdata;
    uint32_t factory_dep_count;
    const uint8_t *factory_deps; /* the RLP list of raw bytecodes (whole item) */
    size_t factory_deps_len;
    const uint8_t *custom_signature; /* NULL / 0 when absent or empty */
    size_t custom_signature_len;
    int has_paymaster;
    uint8_t paymaster[20];
    const uint8_t *paymaster_input;
    size_t paymaster_input_len;
    /* The signature field of the AA Transaction: the custom signature if non-empty, else r ‖ s ‖ (27 + p). */
    uint8_t signature65[65];
} kiln_tx;

/* Decodes one raw transaction (legacy RLP list, or type byte ‖ RLP). KILN_ERR_PARSE for malformed input,
 * KILN_ERR_UNSUPPORTED for an unknown type byte, KILN_ERR_LIMIT above KILN_TX_MAX_RAW. It checks structure
 * and encodings (not chain id, gas or signature validity: see kiln_tx_check_limits and kiln_tx_sender). */
kiln_status kiln_tx_decode(const uint8_t *raw, size_t len, kiln_tx *tx, char *err, size_t errlen);

/* Recovers the sender. Refuses r or s outside [1, n - 1], high s (EIP-2), a bad v, and keys that do not
 * exist (KILN_ERR_VERIFY). For 0x71: with a custom signature there is nothing to recover
 * (KILN_ERR_UNSUPPORTED: the account validates it); otherwise the recovered address must equal tx->from. */
kiln_status kiln_tx_sender(const kiln_tx *tx, uint8_t from[20], char *err, size_t errlen);
/* The checks kiln_tx_sender makes before recovering: no custom signature, hashes known, v, r and s in range,
 * low s. */
kiln_status kiln_tx_signature_check(const kiln_tx *tx, char *err, size_t errlen);
/* kiln_tx_sender with a recovery hint (protocol/secp256k1.h, from kiln_secp256k1_recover_hint_var on the
 * signing hash, r, s and y parity): the same result for every transaction, or KILN_ERR_INTERNAL when the hint
 * does not check (its supplier erred: a caller must not read that as a bad signature). */
kiln_status kiln_tx_sender_hinted(const kiln_tx *tx, const kiln_secp256k1_hint *hint, uint8_t from[20], char *err,
                                  size_t errlen);

/* Ethereum's intrinsic gas (Cancun): 21000, +32000 and 2 per initcode word for creations, 4 / 16 per zero /
 * non-zero data byte, 2400 per access-list address, 1900 per storage key. */
uint64_t kiln_tx_intrinsic_gas(const kiln_tx *tx);

/* Ethereum's validity bounds (as TransactionTests expect, Cancun): chain id equal to chain_id when the
 * transaction carries one, nonce <= 2^64 - 2, priority fee <= max fee, gasLimit * maxFee < 2^256, gas limit
 * >= intrinsic gas, creation initcode <= 49152 bytes. KILN_ERR_VERIFY on violation. */
kiln_status kiln_tx_check_limits(const kiln_tx *tx, uint64_t chain_id, char *err, size_t errlen);

/* EIP-712 (0x71) pieces. The domain separator for a chain id (name "zkSync", version "2"). */
void kiln_tx_eip712_domain_separator(uint64_t chain_id, uint8_t out[32]);
/* Completes a 0x71 transaction's signing hash and hash given its factory deps' bytecode hashes (count ==
 * tx->factory_dep_count), in order. The caller computes them (versioned hashes, zkstack-protocol.md §3.3). */
kiln_status kiln_tx_eip712_set_dep_hashes(kiln_tx *tx, const uint8_t (*dep_hashes)[32], uint32_t count,
                                          char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
