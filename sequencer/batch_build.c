#include "sequencer/batch_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/batch_input.h"

static void write_all(kiln_batch_writer *w, const kiln_batch_json *b, const kiln_stored_batch_info *prev,
                      uint64_t first_id) {
    kiln_batch_header h;
    memset(&h, 0, sizeof h);
    h.chain_id = b->chain_id;
    h.number = prev->batch_number + 1;
    h.timestamp = b->blocks[0].timestamp;
    memcpy(h.operator_addr, b->operator_addr, 20);
    h.fair_l2_gas_price = b->fair_l2_gas_price;
    h.fair_pubdata_price = b->fair_pubdata_price;
    kiln_stored_batch_info_encode(h.prev_stored, prev);
    h.n_blocks = (uint32_t)b->n_blocks + 1;
    kiln_batch_write_header(w, &h);
    for (size_t i = 0; i < b->n_blocks; i++) {
        const kiln_json_block *jb = &b->blocks[i];
        kiln_batch_block blk = {jb->timestamp, (uint32_t)(jb->n_txs + (i == 0 ? b->n_deposits : 0))};
        kiln_batch_write_block(w, &blk);
        for (size_t d = 0; i == 0 && d < b->n_deposits; d++) {
            const kiln_json_deposit *dep = &b->deposits[d];
            kiln_priority_op op;
            memset(&op, 0, sizeof op);
            op.id = first_id + d;
            memcpy(op.from, dep->from, 20);
            memcpy(op.to, dep->to, 20);
            op.gas_limit = KILN_DEPOSIT_GAS_LIMIT;
            op.gas_per_pubdata = KILN_DEPOSIT_GAS_PER_PUBDATA;
            memcpy(op.value, dep->amount, 32);
            memcpy(op.mint, dep->amount, 32); /* deposits in BATCH.json pay no L2 fee (max fee 0) */
            memcpy(op.refund_recipient, dep->to, 20);
            uint8_t tmp[KILN_PRIORITY_OP_FIXED_LEN];
            kiln_batch_writer ow = {tmp, sizeof tmp, 0};
            kiln_priority_op_encode(&ow, &op);
            kiln_batch_write_item(w, KILN_ITEM_PRIORITY_OP, tmp, (uint32_t)ow.len);
        }
        for (size_t t = 0; t < jb->n_txs; t++)
            kiln_batch_write_item(w, KILN_ITEM_L2_TX, jb->txs[t].raw, (uint32_t)jb->txs[t].len);
    }
    kiln_batch_block fictive = {b->blocks[b->n_blocks - 1].timestamp + 1, 0};
    kiln_batch_write_block(w, &fictive);
}

kiln_status kiln_batch_build_input(const kiln_batch_json *b, const kiln_stored_batch_info *prev,
                                   uint64_t first_priority_id, uint8_t **out, size_t *len, char *err,
                                   size_t errlen) {
    for (size_t i = 1; i < b->n_blocks; i++)
        if (b->blocks[i].timestamp <= b->blocks[i - 1].timestamp) {
            snprintf(err, errlen, "BATCH.json: block %zu's timestamp does not increase", i);
            return KILN_ERR_PARSE;
        }
    if (b->blocks[0].timestamp <= prev->timestamp) {
        snprintf(err, errlen, "BATCH.json: the first block's timestamp must be after the previous batch's (%llu)",
                 (unsigned long long)prev->timestamp);
        return KILN_ERR_PARSE;
    }
    kiln_batch_writer w = {NULL, 0, 0};
    write_all(&w, b, prev, first_priority_id);
    uint8_t *buf = (uint8_t *)malloc(w.len);
    if (!buf) return KILN_ERR_OUT_OF_MEMORY;
    kiln_batch_writer w2 = {buf, w.len, 0};
    write_all(&w2, b, prev, first_priority_id);
    *out = buf;
    *len = w2.len;
    return KILN_OK;
}
