/* Poseidon2 (Boojum's parameters, kernels/poseidon2/) round constraints as AIR expressions, shared by every
 * AIR that proves the permutation (the proof-system example prover/examples/poseidon2.c and the zkVM's
 * poseidon2 precompile table), plus the plain field versions of the linear layers for witness generators.
 *
 * A round's S-box x^7 is split through committed helpers so that every constraint has degree <= 3:
 * h3 = y^3 and h7 = h3^2 * y with y = x + rc. */
#ifndef KILN_P2_AIR_H
#define KILN_P2_AIR_H

#include <stdint.h>

#include "air.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_P2_AIR_W 12
#define KILN_P2_AIR_FULL_HALF 4 /* full rounds before and after the partial rounds */
#define KILN_P2_AIR_PARTIAL 22

/* External (M_E) and internal (M_I) linear layers on field values; kiln_p2_int works in place. */
void kiln_p2_ext(const uint64_t *x, uint64_t *y);
void kiln_p2_int(uint64_t *x);

/* The same layers on expressions (linear: no degree added). */
void kiln_p2_air_ext(kiln_air_table *t, const kiln_expr *x, kiln_expr *y);
void kiln_p2_air_int(kiln_air_table *t, kiln_expr *x);

/* A full round on the state x (expressions of degree <= 1): y_i = x_i + rc_i; constrains h3_i = y_i^3 and,
 * when h7 is not NULL, h7_i = h3_i^2 y_i, each multiplied by gate (KILN_EXPR_INVALID: no gate; the gate must
 * have degree 0, e.g. a periodic selector, to keep degree 3) on the rows of dom. out = M_E(S-box outputs),
 * where the S-box output is h7_i, or the degree-3 expression h3_i^2 y_i when h7 is NULL. */
void kiln_p2_air_full_round(kiln_air_table *t, kiln_air_domain dom, kiln_expr gate, const kiln_expr *x,
                            const kiln_expr *rc, const kiln_expr *h3, const kiln_expr *h7, kiln_expr *out);

/* A partial round in place: y = x_0 + rc; constrains h3 = y^3, h7 = h3^2 y (times gate, on dom); x_0 = h7,
 * then x = M_I x. */
void kiln_p2_air_partial_round(kiln_air_table *t, kiln_air_domain dom, kiln_expr gate, kiln_expr *x,
                               kiln_expr rc, kiln_expr h3, kiln_expr h7);

#ifdef __cplusplus
}
#endif
#endif
