/* CPU implementations behind the kernel API (internal to kernels/). Pointers are host memory; arguments have
 * been validated by backend.c. Each module's *_cpu.c file implements its part. */
#ifndef KILN_KERNELS_CPU_H
#define KILN_KERNELS_CPU_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ntt/ntt_cpu.c */
kiln_status kiln_cpu_ntt(uint64_t *data, size_t ncols, unsigned log_n, int inverse, uint64_t shift,
                         kiln_order in_order, kiln_order out_order);
kiln_status kiln_cpu_lde_from_coeffs(const uint64_t *src, uint64_t *dst, size_t ncols, unsigned log_n,
                                     unsigned log_blowup, uint64_t shift, kiln_order out_order);

/* merkle/merkle_cpu.c */
void kiln_cpu_hash_rows(kiln_hasher h, const uint64_t *base, size_t nrows, size_t ncols, size_t row_stride,
                        size_t col_stride, uint64_t *out);
void kiln_cpu_merkle_build(kiln_hasher h, uint64_t *tree, size_t nleaves, unsigned cap_log);
void kiln_cpu_merkle_paths(const uint64_t *tree, size_t nleaves, unsigned cap_log, const size_t *indices,
                           size_t count, uint64_t *out);
void kiln_cpu_gather_rows(const uint64_t *base, size_t ncols, size_t row_stride, size_t col_stride,
                          const size_t *rows, size_t count, uint64_t *out);

/* fri/fri_cpu.c */
void kiln_cpu_fri_fold(const uint64_t *in, uint64_t *out, unsigned log_n, unsigned log_arity, uint64_t shift,
                       kiln_gl2 beta);

/* poly/poly_cpu.c */
void kiln_cpu_poly_eval_ext(const uint64_t *coeffs, size_t n, size_t ncols, kiln_gl2 z, kiln_gl2 *out);
void kiln_cpu_batch_inverse(uint64_t *v, size_t n);
void kiln_cpu_batch_inverse_ext(uint64_t *v, size_t n);

/* air/expr_cpu.c, air/deep_cpu.c */
kiln_status kiln_cpu_expr_quotient(const kiln_expr_quotient_args *a, const kiln_raw_mat *mats, uint64_t *out);
kiln_status kiln_cpu_deep_accumulate(const kiln_deep_args *a, const kiln_raw_mat *mats, uint64_t *out);

/* pow/pow_cpu.c: KILN_ERR_LIMIT when no nonce below p passes */
kiln_status kiln_cpu_pow_grind(const kiln_pow_seed *seed, unsigned bits, uint64_t *nonce);

/* logup/logup_cpu.c */
kiln_status kiln_cpu_logup_denominators(const struct kiln_logup_prog *p, uint64_t *den, uint64_t *mult,
                                        size_t *nzero);
kiln_status kiln_cpu_logup_sum(const uint64_t *inv, const uint64_t *mult, size_t n, const uint32_t *gfirst,
                               const uint32_t *gcount, size_t ngroups, uint64_t *out, kiln_gl2 *total);

#ifdef __cplusplus
}
#endif
#endif
