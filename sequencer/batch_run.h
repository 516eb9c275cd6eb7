/* One batch from BATCH.json to a sealed state, the job of `kiln batch run`: parse the file, open the chain's
 * state (a new directory starts at the file's genesis), build the bootloader's input, execute it, and seal
 * the batch (StoredBatchInfo and the tree's changes written). What it leaves in kiln_batch_run: the parsed
 * file, the open state (for account queries), the input and the execution's result (receipts, pubdata,
 * public output, advice tape: the input and tape make the batch's witness). */
#ifndef KILN_SEQ_BATCH_RUN_H
#define KILN_SEQ_BATCH_RUN_H

#include "sequencer/batch_exec.h"
#include "sequencer/batch_json.h"
#include "sequencer/chain_state.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_batch_run {
    kiln_batch_json json;
    kiln_chain_state state;
    uint8_t *input;
    size_t input_len;
    kiln_batch_exec_result res;
} kiln_batch_run;

kiln_status kiln_batch_run_json(const kiln_vm_program *bootloader, const char *state_dir, const char *json,
                                size_t json_len, kiln_batch_run *run, char *err, size_t errlen);
void kiln_batch_run_free(kiln_batch_run *run);

#ifdef __cplusplus
}
#endif
#endif
