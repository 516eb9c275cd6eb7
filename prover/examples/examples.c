/* Example registry. */
#include <stdlib.h>
#include <string.h>

#include "examples.h"

const char *const kiln_example_names[] = {"fib", "range", "range8", "cpumem", "poseidon2", "wide", NULL};

kiln_status kiln_example_build(const char *name, unsigned log_rows, int with_witness, kiln_example *ex) {
    if (!name || !ex) return KILN_ERR_INVALID_ARG;
    memset(ex, 0, sizeof *ex);
    if (log_rows < KILN_PROOF_MIN_LOG_ROWS || log_rows > KILN_PROOF_MAX_LOG_ROWS) return KILN_ERR_INVALID_ARG;
    kiln_status st;
    if (!strcmp(name, "fib")) st = kiln_example_fib(log_rows, with_witness, ex);
    else if (!strcmp(name, "range")) st = kiln_example_range(log_rows, 16, with_witness, ex);
    else if (!strcmp(name, "range8")) st = kiln_example_range(log_rows, 8, with_witness, ex);
    else if (!strcmp(name, "cpumem")) st = kiln_example_cpumem(log_rows, with_witness, ex);
    else if (!strcmp(name, "poseidon2")) st = kiln_example_poseidon2(log_rows, with_witness, ex);
    else if (!strcmp(name, "wide")) st = kiln_example_wide(log_rows, 100, with_witness, ex);
    else return KILN_ERR_INVALID_ARG;
    if (st != KILN_OK) {
        kiln_example_free(ex);
        return st;
    }
    for (size_t i = 0; i < ex->ntables; i++) {
        ex->traces[i].cols = ex->cols[i];
        ex->traces[i].log_n = ex->log_n[i];
    }
    return KILN_OK;
}

void kiln_example_free(kiln_example *ex) {
    if (!ex) return;
    kiln_air_destroy(ex->air);
    for (size_t i = 0; i < KILN_EXAMPLE_MAX_TABLES; i++) free(ex->cols[i]);
    memset(ex, 0, sizeof *ex);
}
