/* AIR as data (D4): tables with named columns and constraints written once as expression graphs. The same
 * description feeds the CPU and CUDA quotient evaluators (through compiled bytecode) and the verifier.
 *
 * Columns of a table: main (base field, committed first), preprocessed (base field, fixed per AIR, committed
 * in the verification key), periodic (small repeating base-field tables, never committed) and auxiliary
 * (extension field, built by the prover from LogUp interactions after the bus challenges are drawn).
 * Expressions are per table; a handle is an index into the table's node arena. A constraint's degree is
 * computed from its expression. Builder errors are recorded and reported by kiln_air_finalize. */
#ifndef KILN_AIR_H
#define KILN_AIR_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t kiln_expr;
#define KILN_EXPR_INVALID 0xFFFFFFFFu

typedef struct kiln_air kiln_air;
typedef struct kiln_air_table kiln_air_table;

typedef enum kiln_air_domain {
    KILN_AIR_TRANSITION = 0, /* every row but the last (may read the next row) */
    KILN_AIR_FIRST = 1,      /* row 0 */
    KILN_AIR_LAST = 2,       /* row n - 1 */
    KILN_AIR_EVERY = 3       /* every row (current row only) */
} kiln_air_domain;

/* Fills the preprocessed columns of a table: cols[c * n + r], n = 2^log_n rows. */
typedef void (*kiln_air_pre_fill)(void *ctx, uint64_t *cols, size_t ncols, unsigned log_n);

kiln_status kiln_air_create(const char *name, size_t num_public_inputs, kiln_air **out);
void kiln_air_destroy(kiln_air *air);
const char *kiln_air_name(const kiln_air *air);
size_t kiln_air_num_public_inputs(const kiln_air *air);

/* Adds a table; the AIR owns it. */
kiln_status kiln_air_add_table(kiln_air *air, const char *name, kiln_air_table **out);
size_t kiln_air_num_tables(const kiln_air *air);
kiln_air_table *kiln_air_table_at(const kiln_air *air, size_t i);
const char *kiln_air_table_name(const kiln_air_table *t);

/* Columns; *idx receives the column's index within its kind. */
kiln_status kiln_air_add_main(kiln_air_table *t, const char *name, uint32_t *idx);
/* Preprocessed columns fix the table's height to 2^log_n. fill is called once per column set at setup. */
kiln_status kiln_air_set_preprocessed(kiln_air_table *t, size_t ncols, unsigned log_n, kiln_air_pre_fill fill,
                                      void *ctx);
/* A periodic column repeating values[0..period) (period a power of two, 1..1024). */
kiln_status kiln_air_add_periodic(kiln_air_table *t, const char *name, const uint64_t *values, size_t period,
                                  uint32_t *idx);

size_t kiln_air_num_main(const kiln_air_table *t);
size_t kiln_air_num_pre(const kiln_air_table *t);
/* Number of auxiliary extension columns (after kiln_air_finalize). */
size_t kiln_air_num_aux(const kiln_air_table *t);
/* Fixed log height (preprocessed tables), or 0 when the height is free. */
unsigned kiln_air_fixed_log_height(const kiln_air_table *t);
const char *kiln_air_main_name(const kiln_air_table *t, size_t col);
/* Column index by name, or -1. */
long kiln_air_main_index(const kiln_air_table *t, const char *name);

/* Expression leaves. next = 1 reads the next row. */
kiln_expr kiln_air_main_col(kiln_air_table *t, uint32_t col, int next);
kiln_expr kiln_air_pre_col(kiln_air_table *t, uint32_t col, int next);
kiln_expr kiln_air_periodic_col(kiln_air_table *t, uint32_t idx);
kiln_expr kiln_air_const(kiln_air_table *t, uint64_t value);
kiln_expr kiln_air_public(kiln_air_table *t, uint32_t idx);
/* Expression nodes. */
kiln_expr kiln_air_add(kiln_air_table *t, kiln_expr a, kiln_expr b);
kiln_expr kiln_air_sub(kiln_air_table *t, kiln_expr a, kiln_expr b);
kiln_expr kiln_air_mul(kiln_air_table *t, kiln_expr a, kiln_expr b);
kiln_expr kiln_air_neg(kiln_air_table *t, kiln_expr a);
kiln_expr kiln_air_pow(kiln_air_table *t, kiln_expr a, unsigned e);
/* Degree of an expression in the trace columns (0 for constants). */
unsigned kiln_air_degree(const kiln_air_table *t, kiln_expr e);

/* expr = 0 on the given rows. */
kiln_status kiln_air_constrain(kiln_air_table *t, kiln_air_domain dom, kiln_expr e, const char *name);

/* LogUp interaction on bus `bus`: adds mult / (alpha - fingerprint(bus, values)) to the global bus sum, on
 * every row. Lookups send with mult = 1 (or a selector) and tables receive with mult = -multiplicity; a
 * permutation sends from one table and receives in the other. The verifier checks that the sum over all
 * tables is zero. mult and values may read current-row main and preprocessed columns only. */
kiln_status kiln_air_interact(kiln_air_table *t, uint32_t bus, kiln_expr mult, const kiln_expr *values,
                              size_t nvalues);
/* A global interaction: like kiln_air_interact, but it balances across several proofs (segments of one run)
 * instead of within one. Its terms go to a second running sum whose total the proof reports; proofs of an AIR
 * with global interactions are made and checked with challenges shared by all the proofs (prover.h,
 * "Global buses"), and the caller checks that the reported sums add up. */
kiln_status kiln_air_interact_global(kiln_air_table *t, uint32_t bus, kiln_expr mult, const kiln_expr *values,
                                     size_t nvalues);
/* Marks a table optional: a proof may leave it out (no rows), which is the same as proving the AIR without
 * that table. Only for tables whose absence can merely make other tables' buses unbalanced (the receiver of
 * an operation: without it, no witness that uses the operation balances), never for a table whose
 * constraints the rest relies on. An optional table cannot have preprocessed columns. */
kiln_status kiln_air_set_optional(kiln_air_table *t);
int kiln_air_is_optional(const kiln_air_table *t);
/* Number of global interactions of a finalized table. */
size_t kiln_air_num_global(const kiln_air_table *t);

/* Checks the AIR, generates the LogUp auxiliary columns and constraints, and freezes it. */
kiln_status kiln_air_finalize(kiln_air *air);
/* The first error recorded while building ("" when none). */
const char *kiln_air_error(const kiln_air *air);
/* Maximum constraint degree of a finalized table. */
unsigned kiln_air_max_degree(const kiln_air_table *t);
size_t kiln_air_num_constraints(const kiln_air_table *t);
size_t kiln_air_num_interactions(const kiln_air_table *t);
/* Digest of the AIR's structure (tables, columns, constraints), 4 words; bound into every proof. */
void kiln_air_digest(const kiln_air *air, uint64_t out[4]);

#ifdef __cplusplus
}
#endif
#endif
