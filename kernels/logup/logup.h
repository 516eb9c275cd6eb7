/* LogUp auxiliary columns (kernels/logup), with a CPU and a CUDA implementation behind backend.h. A table's bus
 * terms are fractions m_j(r) / d_j(r) at every trace row r, d_j = alpha - (bus_j + sum_k beta^(k+1) v_jk(r)),
 * where m_j and v_jk are base-field expressions of the row. The prover builds its columns in three calls:
 *
 *   kiln_logup_denominators  d_j(r) and m_j(r) for every term and row, from a small program over the row
 *   kiln_batch_inverse_ext   1 / d_j(r)
 *   kiln_logup_sum           per-row group sums h_g(r) = sum_{j in group g} m_j(r) / d_j(r) and their running
 *                            sum acc(r) = sum_{r' <= r} sum_g h_g(r') (a prefix sum: a parallel scan on the GPU)
 *
 * Program: instruction i writes register i, a base-field value of the current row (registers of earlier
 * instructions only). Term-major outputs: term j, row r at index j*n + r (extension values interleaved). */
#ifndef KILN_LOGUP_H
#define KILN_LOGUP_H

#include <stddef.h>
#include <stdint.h>

#include "../field/goldilocks_ext2.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kiln_logup_op {
    KILN_LOGUP_CONST = 0, /* consts[a] */
    KILN_LOGUP_MAIN,      /* main(row, col a) */
    KILN_LOGUP_PRE,       /* pre(row, col a) */
    KILN_LOGUP_PERIODIC,  /* periodic column a at row mod its length */
    KILN_LOGUP_ADD,       /* reg a + reg b */
    KILN_LOGUP_SUB,       /* reg a - reg b */
    KILN_LOGUP_MUL,       /* reg a * reg b */
    KILN_LOGUP_NEG,       /* -reg a */
    KILN_LOGUP_OP_COUNT
} kiln_logup_op;

typedef struct kiln_logup_instr {
    uint32_t op, a, b;
} kiln_logup_instr;

/* Term j: bus id, the register holding its multiplicity, and nvals registers vals[val_first ...]. */
typedef struct kiln_logup_term {
    uint32_t bus, mult, val_first, nvals;
} kiln_logup_term;

struct kiln_matrix;
struct kiln_buf;
struct kiln_logup_prog; /* internal to kernels/ (logup_hd.h) */

typedef struct kiln_logup_den_args {
    const kiln_logup_instr *code; /* host memory, like every array here */
    size_t ninstr;
    const uint64_t *consts; /* canonical */
    size_t nconsts;
    /* Periodic column j: periodic_len[j] > 0 values at periodic[periodic_off[j]]. */
    const uint64_t *periodic;
    size_t periodic_words;
    const uint32_t *periodic_off, *periodic_len;
    size_t nperiodic;
    const kiln_logup_term *terms;
    size_t nterms;
    const uint32_t *vals; /* registers */
    size_t nvals;
    const struct kiln_matrix *main, *pre; /* n rows each; NULL when the program reads none */
    size_t n;                             /* rows */
    kiln_gl2 alpha, beta;
} kiln_logup_den_args;

typedef struct kiln_logup_sum_args {
    const struct kiln_buf *inv; /* nterms * n extension elements 1/d_j(r), term-major */
    size_t inv_off;
    const struct kiln_buf *mult; /* nterms * n multiplicities, term-major */
    size_t mult_off;
    size_t n, nterms;
    /* Group g sums terms [group_first[g], group_first[g] + group_count[g]). Host memory. */
    const uint32_t *group_first, *group_count;
    size_t ngroups;
} kiln_logup_sum_args;

#ifdef __cplusplus
}
#endif
#endif
