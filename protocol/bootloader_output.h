/* The bootloader's public output (docs/formats.md, "Bootloader public output"): what a batch proof attests,
 * committed by the guest and bound to the proof by its output hash. 416 bytes:
 *   new StoredBatchInfo (ABI, 256) ‖ keccak256(previous StoredBatchInfo's ABI) ‖ keccak256(pubdata) ‖
 *   u256 chain id ‖ u256 last L2 block number ‖ last L2 block hash
 * L1 checks the first two against its stored batches, the pubdata hash against the data it is given. */
#ifndef KILN_PROTO_BOOTLOADER_OUTPUT_H
#define KILN_PROTO_BOOTLOADER_OUTPUT_H

#include "batch.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_BOOTLOADER_OUTPUT_LEN 416u

typedef struct kiln_bootloader_output {
    kiln_stored_batch_info stored;
    uint8_t prev_stored_hash[32];
    uint8_t pubdata_hash[32];
    uint64_t chain_id;
    uint64_t last_block_number;
    uint8_t last_block_hash[32];
} kiln_bootloader_output;

void kiln_bootloader_output_encode(const kiln_bootloader_output *o, uint8_t out[KILN_BOOTLOADER_OUTPUT_LEN]);
/* KILN_ERR_PARSE unless len is 416 and every integer fits its field. */
kiln_status kiln_bootloader_output_decode(const uint8_t *in, size_t len, kiln_bootloader_output *o);

#ifdef __cplusplus
}
#endif
#endif
