/* Executes a batch: runs the bootloader (the STF, one fixed guest program) in the VM on a batch input,
 * answering its advice from the state tree and recording the answers (the advice tape the witness generator
 * replays), and collecting what its hooks report: receipts and the pubdata. On success the state tree holds
 * the batch's steps as pending changes: the caller commits them (or rolls them back). */
#ifndef KILN_SEQ_BATCH_EXEC_H
#define KILN_SEQ_BATCH_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/bootloader_output.h"
#include "protocol/receipt.h"
#include "sequencer/state_tree.h"
#include "vm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_batch_exec_result {
    kiln_vm_result vm; /* how the guest stopped */
    kiln_receipt *receipts;
    size_t n_receipts;
    uint8_t *pubdata;
    size_t pubdata_len;
    uint8_t output[KILN_BOOTLOADER_OUTPUT_LEN]; /* the committed public output */
    kiln_bootloader_output out;                  /* ... decoded */
    uint8_t *tape;                               /* the recorded advice */
    size_t tape_len;
    uint64_t advice_requests;
} kiln_batch_exec_result;

/* KILN_OK when the bootloader exited with code 0 and committed a well-formed public output; otherwise an error
 * (KILN_ERR_FAULT with the guest's stop in res->vm and err) and the tree's pending changes are rolled back.
 * max_cycles 0: 2^32. */
kiln_status kiln_batch_execute(const kiln_vm_program *bootloader, kiln_state_tree *tree, const uint8_t *input,
                               size_t input_len, uint64_t max_cycles, kiln_batch_exec_result *res, char *err,
                               size_t errlen);
void kiln_batch_exec_result_free(kiln_batch_exec_result *res);

#ifdef __cplusplus
}
#endif
#endif
