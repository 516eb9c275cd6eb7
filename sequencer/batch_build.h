/* Builds the bootloader's input (protocol/batch_input.h) for the next batch of a chain from BATCH.json: the
 * previous batch's StoredBatchInfo, the blocks as given, the priority operations (deposits) at the head of
 * the first block with consecutive queue ids from first_priority_id, and the closing fictive block (one
 * second after the last). */
#ifndef KILN_SEQ_BATCH_BUILD_H
#define KILN_SEQ_BATCH_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/batch.h"
#include "sequencer/batch_json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Gas limit and gas-per-pubdata of the deposits built from BATCH.json (L1's required 800 per byte). */
#define KILN_DEPOSIT_GAS_LIMIT 300000u
#define KILN_DEPOSIT_GAS_PER_PUBDATA 800u

kiln_status kiln_batch_build_input(const kiln_batch_json *b, const kiln_stored_batch_info *prev,
                                   uint64_t first_priority_id, uint8_t **out, size_t *len, char *err,
                                   size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
