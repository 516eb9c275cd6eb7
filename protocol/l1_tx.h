/* L1→L2 priority transactions (type 255): the ZK Stack's L2CanonicalTransaction (zkstack-protocol.md §4.5,
 * §5.1), its ABI encoding abi.encode(tx) and canonical hash keccak256(abi.encode(tx)). The L1→L2 address alias is
 * in address.h. */
#ifndef KILN_PROTO_L1_TX_H
#define KILN_PROTO_L1_TX_H

#include "proto_base.h"
#include "uint256.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_L1_TX_TYPE 255u
#define KILN_L1_TX_MAX_FIELD (1u << 24) /* bound on each dynamic field's length (bytes or words) */

/* Field for field the Solidity struct; addresses are uint256 there (kiln_l1_tx_set_address). The dynamic
 * fields point into caller memory. */
typedef struct kiln_l1_tx {
    kiln_u256 tx_type; /* 255 for priority operations, 254 for upgrades */
    kiln_u256 from;
    kiln_u256 to;
    kiln_u256 gas_limit;
    kiln_u256 gas_per_pubdata_byte_limit;
    kiln_u256 max_fee_per_gas;
    kiln_u256 max_priority_fee_per_gas;
    kiln_u256 paymaster;
    kiln_u256 nonce; /* priority op id */
    kiln_u256 value;
    kiln_u256 reserved[4]; /* [mintValue, refundRecipient, 0, 0] */
    const uint8_t *data;
    size_t data_len;
    const uint8_t *signature;
    size_t signature_len;
    const uint8_t (*factory_deps)[32]; /* versioned bytecode hashes */
    size_t factory_dep_count;
    const uint8_t *paymaster_input;
    size_t paymaster_input_len;
    const uint8_t *reserved_dynamic;
    size_t reserved_dynamic_len;
} kiln_l1_tx;

/* An address as a uint256 field (zero-extended). */
void kiln_l1_tx_set_address(kiln_u256 *field, const uint8_t addr[20]);

/* The length of abi.encode(tx): 0x20 ‖ the struct's head (19 words) ‖ its five dynamic tails. KILN_ERR_LIMIT
 * when a dynamic field exceeds KILN_L1_TX_MAX_FIELD. */
kiln_status kiln_l1_tx_abi_len(const kiln_l1_tx *tx, size_t *len, char *err, size_t errlen);
/* Writes abi.encode(tx) into out[0..cap) and its length into *len (KILN_ERR_LIMIT when cap is short). */
kiln_status kiln_l1_tx_abi_encode(const kiln_l1_tx *tx, uint8_t *out, size_t cap, size_t *len, char *err,
                                  size_t errlen);
/* The canonical hash keccak256(abi.encode(tx)), streamed (no buffer). */
kiln_status kiln_l1_tx_hash(const kiln_l1_tx *tx, uint8_t out[32], char *err, size_t errlen);


#ifdef __cplusplus
}
#endif
#endif
