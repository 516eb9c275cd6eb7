/* Compiles a table's constraint graph into the bytecode of kernels/air (internal to the prover). */
#ifndef KILN_PROOF_COMPILE_H
#define KILN_PROOF_COMPILE_H

#include "air/air_kernels.h"
#include "air_internal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_prog {
    kiln_expr_instr *code;
    size_t ninstr;
    uint32_t nregs;
    kiln_gl2 *consts;
    size_t nconsts;
} kiln_prog;

/* Constraint k is weighted by lambda^k. chal: alpha, beta; bus_sum: the local and global LogUp sums. */
kiln_status kiln_prog_compile(const kiln_air_table *t, kiln_gl2 lambda, const kiln_gl2 *chal, const uint64_t *pub,
                              const kiln_gl2 *bus_sum, kiln_prog *out);
void kiln_prog_free(kiln_prog *p);

#ifdef __cplusplus
}
#endif
#endif
