/* The bootloader's public input: one batch (docs/formats.md, "Batch input"). The sequencer writes it, the
 * bootloader reads it, and the proof's input hash binds it; everything else reaches the guest as advice.
 * Integers are little-endian; hashes and 32-byte values big-endian as in Ethereum.
 *
 *   "KLNB" ‖ u32 version (1)
 *   u64 chain id ‖ u64 batch number ‖ u64 batch timestamp ‖ operator[20] (fee recipient)
 *   u64 fair L2 gas price ‖ u64 fair pubdata price (wei; the base fee and gas per pubdata derive from them)
 *   previous StoredBatchInfo[256] (its ABI encoding; its hash is in the public output)
 *   u32 block count, then per L2 block: u64 timestamp ‖ u32 item count ‖ items
 *   item: u8 kind ‖ u32 length ‖ bytes; kind 0 = a raw signed L2 transaction (EIP-2718 / legacy RLP),
 *         kind 1 = a priority operation (kiln_priority_op's encoding below)
 *
 * The last block of a batch is the fictive block the ZK Stack closes every batch with: it carries no items
 * (the host's runner appends it). Parsing checks every length against the buffer; nothing is trusted. */
#ifndef KILN_PROTO_BATCH_INPUT_H
#define KILN_PROTO_BATCH_INPUT_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_BATCH_INPUT_VERSION 1u
#define KILN_BATCH_MAX_BLOCKS 4096u
#define KILN_BATCH_MAX_ITEMS 65536u /* per block */
#define KILN_BATCH_MAX_ITEM_BYTES (1u << 20) /* an item's bound; transactions have their own (protocol/tx.h) */

enum { KILN_ITEM_L2_TX = 0, KILN_ITEM_PRIORITY_OP = 1 };

typedef struct kiln_batch_header {
    uint64_t chain_id, number, timestamp;
    uint8_t operator_addr[20];
    uint64_t fair_l2_gas_price, fair_pubdata_price;
    uint8_t prev_stored[256];
    uint32_t n_blocks;
} kiln_batch_header;

/* A cursor over the input's bytes. */
typedef struct kiln_batch_cursor {
    const uint8_t *p;
    size_t left;
} kiln_batch_cursor;

typedef struct kiln_batch_block {
    uint64_t timestamp;
    uint32_t n_items;
} kiln_batch_block;

typedef struct kiln_batch_item {
    uint8_t kind;
    const uint8_t *data; /* into the input */
    uint32_t len;
} kiln_batch_item;

/* An L1→L2 transaction as the L1 Mailbox queued it (type 255, zkstack-protocol.md §5.1). Encoding: u64 id ‖
 * from[20] ‖ to[20] ‖ u64 gas limit ‖ u64 gas per pubdata ‖ max fee per gas[32] ‖ value[32] ‖ mint
 * value[32] ‖ refund recipient[20] ‖ u32 data length ‖ data. */
typedef struct kiln_priority_op {
    uint64_t id; /* its serial id in the L1 queue: the canonical transaction's nonce */
    uint8_t from[20], to[20];
    uint64_t gas_limit, gas_per_pubdata;
    uint8_t max_fee_per_gas[32], value[32], mint[32];
    uint8_t refund_recipient[20];
    const uint8_t *data;
    uint32_t data_len;
} kiln_priority_op;
#define KILN_PRIORITY_OP_FIXED_LEN (8 + 20 + 20 + 8 + 8 + 32 * 3 + 20 + 4)

kiln_status kiln_batch_parse_header(const uint8_t *in, size_t len, kiln_batch_header *h, kiln_batch_cursor *cur,
                                    char *err, size_t errlen);
kiln_status kiln_batch_next_block(kiln_batch_cursor *cur, kiln_batch_block *b, char *err, size_t errlen);
kiln_status kiln_batch_next_item(kiln_batch_cursor *cur, kiln_batch_item *it, char *err, size_t errlen);
/* After the last block: nothing may follow. */
kiln_status kiln_batch_parse_end(const kiln_batch_cursor *cur, char *err, size_t errlen);
kiln_status kiln_priority_op_decode(const uint8_t *in, size_t len, kiln_priority_op *op, char *err, size_t errlen);
/* The operation's canonical hash: keccak256(abi.encode(L2CanonicalTransaction)) of the type-255 transaction
 * L1 built (max priority fee 0, no paymaster, reserved = [mint, refund recipient, 0, 0], no signature,
 * factory deps or paymaster input), the hash L1's priority queue holds. */
void kiln_priority_op_canonical_hash(const kiln_priority_op *op, uint8_t out[32]);

/* Writer: appends while there is room and counts every byte, so a first pass with buf = NULL measures. */
typedef struct kiln_batch_writer {
    uint8_t *buf;
    size_t cap, len;
} kiln_batch_writer;
void kiln_batch_write_header(kiln_batch_writer *w, const kiln_batch_header *h);
void kiln_batch_write_block(kiln_batch_writer *w, const kiln_batch_block *b);
void kiln_batch_write_item(kiln_batch_writer *w, uint8_t kind, const uint8_t *data, uint32_t len);
/* The priority op's encoding (its data pointer is read); kiln_priority_op_encoded_len gives its size. */
void kiln_priority_op_encode(kiln_batch_writer *w, const kiln_priority_op *op);
size_t kiln_priority_op_encoded_len(const kiln_priority_op *op);

#ifdef __cplusplus
}
#endif
#endif
