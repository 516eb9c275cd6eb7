#include "sequencer/batch_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sequencer/batch_build.h"

void kiln_batch_run_free(kiln_batch_run *run) {
    kiln_batch_exec_result_free(&run->res);
    kiln_chain_state_close(&run->state);
    kiln_batch_json_free(&run->json);
    free(run->input);
    memset(run, 0, sizeof *run);
}

kiln_status kiln_batch_run_json(const kiln_vm_program *bootloader, const char *state_dir, const char *json,
                                size_t json_len, kiln_batch_run *run, char *err, size_t errlen) {
    memset(run, 0, sizeof *run);
    kiln_status st = kiln_batch_json_parse(json, json_len, &run->json, err, errlen);
    if (st != KILN_OK) return st;
    const kiln_batch_json *b = &run->json;
    kiln_genesis_balance *gen = (kiln_genesis_balance *)calloc(b->n_genesis ? b->n_genesis : 1, sizeof *gen);
    if (!gen) {
        kiln_batch_run_free(run);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < b->n_genesis; i++) {
        memcpy(gen[i].addr, b->genesis[i].addr, 20);
        memcpy(gen[i].amount, b->genesis[i].amount, 32);
    }
    st = kiln_chain_state_open(state_dir, gen, b->n_genesis, &run->state, err, errlen);
    free(gen);
    if (st == KILN_OK)
        st = kiln_batch_build_input(b, &run->state.last, run->state.next_priority_id, &run->input, &run->input_len,
                                    err, errlen);
    if (st == KILN_OK)
        st = kiln_batch_execute(bootloader, run->state.tree, run->input, run->input_len, 0, &run->res, err, errlen);
    if (st == KILN_OK) st = kiln_chain_state_seal(&run->state, &run->res.out.stored, b->n_deposits, err, errlen);
    if (st != KILN_OK) kiln_batch_run_free(run);
    return st;
}
