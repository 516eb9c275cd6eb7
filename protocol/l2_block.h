/* ZK Stack L2 block hashes and rolling hashes, bit-exact (DESIGN D8; reference/zkstack-protocol.md §1.5,
 * §5.2). L2 block hash (protocol >= v13) = keccak256(u256 BE number ‖ u256 BE timestamp ‖ prev_hash ‖
 * txs_rolling_hash) legacy / virtual block hash     = keccak256(u32 BE number)            (4-byte preimage)
 *   rolling hash                    = acc ← keccak256(acc ‖ item)          (64-byte preimage)
 * The tx rolling hash of a block starts from 32 zero bytes; the priority-operations rolling hash of a batch
 * starts from keccak256("") (EMPTY_STRING_KECCAK). */
#ifndef KILN_PROTO_L2_BLOCK_H
#define KILN_PROTO_L2_BLOCK_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* keccak256("") = c5d24601…5d85a470 (EMPTY_STRING_KECCAK in the L1 contracts' Config.sol). */
extern const uint8_t KILN_EMPTY_STRING_KECCAK[32];

/* Only the last 257 L2 block hashes are kept by SystemContext (ring index number % 257). */
#define KILN_L2_BLOCK_HASHES_TO_STORE 257u

/* keccak256(u256(number) ‖ u256(timestamp) ‖ prev ‖ txs_rolling). */
void kiln_l2_block_hash(uint8_t out[32], uint64_t number, uint64_t timestamp, const uint8_t prev_hash[32],
                        const uint8_t txs_rolling_hash[32]);
/* keccak256(u32 BE number): blocks before protocol v13 and virtual blocks. */
void kiln_l2_block_legacy_hash(uint8_t out[32], uint32_t number);

/* acc ← keccak256(acc ‖ item). */
void kiln_rolling_hash_append(uint8_t acc[32], const uint8_t item[32]);
/* acc ← 32 zero bytes: the start of an L2 block's tx rolling hash. */
void kiln_tx_rolling_hash_init(uint8_t acc[32]);
/* acc ← keccak256(""): the start of a batch's priority-operations rolling hash. */
void kiln_priority_ops_hash_init(uint8_t acc[32]);

#ifdef __cplusplus
}
#endif
#endif
