/* Example AIRs with witness generators, for tests, demos and benchmarks:
 *   fib      Fibonacci (public: a0, b0, result)
 *   range    a counter in two 16-bit limbs, range-checked by LogUp into a preprocessed 2^16 table
 *   range8   the same with 8-bit limbs and a 2^8 table (fast tests)
 *   cpumem   a "cpu" table reading (addr, val) from a "memory" table of half its height by a permutation bus
 *   poseidon2 a chain of Poseidon2 permutations, one per 8 rows, checked against public input/output
 *   wide     2^N rows x 100 columns, degree-3 constraints and one LogUp bus (benchmarks) */
#ifndef KILN_PROVER_EXAMPLES_H
#define KILN_PROVER_EXAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "../prover.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_EXAMPLE_MAX_TABLES 8

typedef struct kiln_example {
    kiln_air *air;
    size_t ntables;
    uint64_t *cols[KILN_EXAMPLE_MAX_TABLES]; /* main traces (column-major), NULL when only the AIR was built */
    unsigned log_n[KILN_EXAMPLE_MAX_TABLES];
    kiln_proof_trace traces[KILN_EXAMPLE_MAX_TABLES];
    uint64_t pub[32];
    size_t npub;
} kiln_example;

/* Names of the examples, NULL-terminated. */
extern const char *const kiln_example_names[];

/* Builds the example's AIR (finalized) and, when with_witness, a valid witness of about 2^log_rows rows in
 * its largest table. */
kiln_status kiln_example_build(const char *name, unsigned log_rows, int with_witness, kiln_example *out);
void kiln_example_free(kiln_example *ex);

/* Per-example builders (examples/<name>.c). */
kiln_status kiln_example_fib(unsigned log_rows, int with_witness, kiln_example *ex);
kiln_status kiln_example_range(unsigned log_rows, unsigned limb_bits, int with_witness, kiln_example *ex);
kiln_status kiln_example_cpumem(unsigned log_rows, int with_witness, kiln_example *ex);
kiln_status kiln_example_poseidon2(unsigned log_rows, int with_witness, kiln_example *ex);
kiln_status kiln_example_wide(unsigned log_rows, size_t ncols, int with_witness, kiln_example *ex);

#ifdef __cplusplus
}
#endif
#endif
