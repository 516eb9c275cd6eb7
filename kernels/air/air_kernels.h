/* Generic kernels for STARK provers: a bytecode constraint evaluator over a low-degree extension (the quotient
 * numerators divided by their zerofiers, combined), and DEEP quotient accumulation. Both have a CPU and a CUDA
 * implementation behind backend.h (kiln_expr_quotient, kiln_deep_accumulate).
 *
 * Domain convention: an LDE of M = 2^log_m rows lives on the coset shift*<w_M>, stored in bit-reversed order:
 * row i holds the value at x_i = shift * w_M^bitrev(i). For a trace of n = M / B rows, the next trace row of
 * row i is row bitrev(bitrev(i) + B mod M). */
#ifndef KILN_AIR_KERNELS_H
#define KILN_AIR_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/hd.h"
#include "../common/bits.h"
#include "../field/goldilocks_ext2.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Instructions: registers hold extension values; base-field ops keep c1 = 0. */
typedef enum kiln_expr_op {
    KILN_OP_LD_MAIN = 0, /* dst = main(row or next row if b, col a) */
    KILN_OP_LD_AUX,      /* dst = aux extension column a: base columns 2a, 2a+1 (next row if b) */
    KILN_OP_LD_PRE,      /* dst = preprocessed(col a, next if b) */
    KILN_OP_LD_PER,      /* dst = periodic column a */
    KILN_OP_LD_CONST,    /* dst = consts[a] */
    KILN_OP_ADD_B,
    KILN_OP_SUB_B,
    KILN_OP_MUL_B,
    KILN_OP_NEG_B,
    KILN_OP_ADD_E,
    KILN_OP_SUB_E,
    KILN_OP_MUL_E,
    KILN_OP_MUL_EB, /* ext a times base b */
    KILN_OP_NEG_E,
    KILN_OP_ACC, /* accumulator[dst] += consts[b] * reg a; dst = domain 0 transition, 1 first, 2 last, 3 every */
    KILN_OP_COUNT
} kiln_expr_op;

typedef struct kiln_expr_instr {
    uint32_t op, dst, a, b;
} kiln_expr_instr;

struct kiln_matrix;

typedef struct kiln_expr_quotient_args {
    const kiln_expr_instr *code; /* host memory */
    size_t ninstr;
    uint32_t nregs;
    const kiln_gl2 *consts; /* host memory */
    size_t nconsts;
    /* Periodic column j: 2^periodic_log[j] values over the coset shift^(n/period) * <w>, natural order, at
     * periodic[periodic_off[j]]; row i reads entry bitrev(i) mod 2^periodic_log[j]. Host memory. */
    const uint64_t *periodic;
    size_t periodic_words;
    const uint32_t *periodic_off, *periodic_log;
    size_t nperiodic;
    const struct kiln_matrix *main, *aux, *pre; /* NULL when the table has none; nrows = 2^(log_n+log_blowup) */
    unsigned log_n, log_blowup;
    uint64_t shift;
} kiln_expr_quotient_args;

/* out (2*M elements): out[i] = c0, out[M + i] = c1 of Q(x_i) = acc_T(x)*(x - g^(n-1))/(x^n - 1) +
 * acc_F(x)/(x - 1) + acc_L(x)/(x - g^(n-1)) + acc_E(x)/(x^n - 1), g = w_n. */

typedef struct kiln_deep_args {
    const struct kiln_matrix *mats; /* nmats base matrices of M = 2^log_m rows */
    size_t nmats;
    const kiln_gl2 *coef_z, *coef_zg; /* one per column over all matrices, in order (host memory) */
    kiln_gl2 z, zg, sum_z, sum_zg;
    unsigned log_m;
    uint64_t shift;
    int accumulate; /* add into out instead of overwriting */
} kiln_deep_args;

/* out (M interleaved extension elements): out[i] (+)= (sum_c coef_z[c] v_c(x_i) - sum_z) / (x_i - z)
 *                                                  + (sum_c coef_zg[c] v_c(x_i) - sum_zg) / (x_i - zg). */

/* Internal to kernels/: a raw strided matrix for the implementations. */
typedef struct kiln_raw_mat {
    const uint64_t *p;
    size_t ncols, row_stride, col_stride;
} kiln_raw_mat;


/* 1 when a program fits its arguments (known ops, registers, columns, constants and periodic columns in range). */
int kiln_expr_program_ok(const kiln_expr_quotient_args *a, size_t main_cols, size_t aux_cols, size_t pre_cols);

/* Fills lo[0..2^h) = w^k and hi[0..2^(log_m-h)) = w^(k*2^h), h = (log_m+1)/2, w = w_M: w^e = hi[e>>h]*lo[e&mask]. */
void kiln_pow_tables(unsigned log_m, uint64_t *lo, uint64_t *hi);

#ifdef __cplusplus
}
#endif
#endif
