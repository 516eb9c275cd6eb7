/* Fuzz target: the bootloader's batch input parser (protocol/batch_input.h) walked to the end, every item and
 * priority operation decoded, and the bootloader's public-output decoder and receipt decoder on the same
 * bytes. Outside bytes must never crash or read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "batch_input.h"
#include "bootloader_output.h"
#include "receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    kiln_batch_header h;
    kiln_batch_cursor cur;
    char err[96];
    kiln_bootloader_output o;
    kiln_receipt r;
    kiln_bootloader_output_decode(data, size, &o);
    kiln_receipt_decode(data, size, &r);
    if (kiln_batch_parse_header(data, size, &h, &cur, err, sizeof err) != KILN_OK) return 0;
    for (uint32_t b = 0; b < h.n_blocks; b++) {
        kiln_batch_block blk;
        if (kiln_batch_next_block(&cur, &blk, err, sizeof err) != KILN_OK) return 0;
        for (uint32_t i = 0; i < blk.n_items; i++) {
            kiln_batch_item it;
            if (kiln_batch_next_item(&cur, &it, err, sizeof err) != KILN_OK) return 0;
            kiln_priority_op op;
            if (it.kind == KILN_ITEM_PRIORITY_OP &&
                kiln_priority_op_decode(it.data, it.len, &op, err, sizeof err) == KILN_OK) {
                uint8_t hash[32];
                kiln_priority_op_canonical_hash(&op, hash);
            }
        }
    }
    kiln_batch_parse_end(&cur, err, sizeof err);
    return 0;
}
