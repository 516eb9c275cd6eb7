/* CUDA implementations behind the kernel API (internal to kernels/). Pointers are device memory; arguments
 * have been validated by backend.c. Work is queued on the context's stream; each function returns a status
 * from kiln_cuda_check so launch errors surface at once. Each module's *_cuda.cu file implements its part. */
#ifndef KILN_KERNELS_CUDA_H
#define KILN_KERNELS_CUDA_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_cuda_ctx kiln_cuda_ctx;

/* backend/cuda_ctx.cu: device, stream, memory accounting */
int kiln_cuda_ctx_device_count(void);
kiln_status kiln_cuda_ctx_create(char *err, size_t errlen, kiln_cuda_ctx **out);
void kiln_cuda_ctx_destroy(kiln_cuda_ctx *ctx);
const char *kiln_cuda_ctx_describe(const kiln_cuda_ctx *ctx);
kiln_status kiln_cuda_sync(kiln_cuda_ctx *ctx);
kiln_status kiln_cuda_alloc(kiln_cuda_ctx *ctx, size_t bytes, void **out);
void kiln_cuda_free(kiln_cuda_ctx *ctx, void *ptr, size_t bytes);
kiln_status kiln_cuda_host_alloc(kiln_cuda_ctx *ctx, size_t bytes, void **out);
void kiln_cuda_host_free(kiln_cuda_ctx *ctx, void *ptr);
kiln_status kiln_cuda_memcpy(kiln_cuda_ctx *ctx, void *dst, const void *src, size_t bytes, int kind);
kiln_status kiln_cuda_memset0(kiln_cuda_ctx *ctx, void *dst, size_t bytes);
void kiln_cuda_mem_stats(const kiln_cuda_ctx *ctx, size_t *in_use, size_t *peak, size_t *total);
void kiln_cuda_reset_peak(kiln_cuda_ctx *ctx);
void kiln_cuda_set_limit(kiln_cuda_ctx *ctx, size_t bytes);
/* memcpy kinds for kiln_cuda_memcpy */
#define KILN_CUDA_H2D 1
#define KILN_CUDA_D2H 2
#define KILN_CUDA_D2D 3

/* ntt/ntt_cuda.cu */
kiln_status kiln_cuda_ntt(kiln_cuda_ctx *ctx, uint64_t *data, size_t ncols, unsigned log_n, int inverse,
                          uint64_t shift, kiln_order in_order, kiln_order out_order);
kiln_status kiln_cuda_lde_from_coeffs(kiln_cuda_ctx *ctx, const uint64_t *src, uint64_t *dst, size_t ncols,
                                      unsigned log_n, unsigned log_blowup, uint64_t shift,
                                      kiln_order out_order);

/* merkle/merkle_cuda.cu */
kiln_status kiln_cuda_hash_rows(kiln_cuda_ctx *ctx, kiln_hasher h, const uint64_t *base, size_t nrows,
                                size_t ncols, size_t row_stride, size_t col_stride, uint64_t *out);
kiln_status kiln_cuda_merkle_build(kiln_cuda_ctx *ctx, kiln_hasher h, uint64_t *tree, size_t nleaves,
                                   unsigned cap_log);
/* Gathers count * depth sibling digests to host memory out. */
kiln_status kiln_cuda_merkle_paths(kiln_cuda_ctx *ctx, const uint64_t *tree, size_t nleaves, unsigned cap_log,
                                   const size_t *indices, size_t count, uint64_t *out);
/* Gathers rows of a strided matrix to host memory out (count * ncols). */
kiln_status kiln_cuda_gather_rows(kiln_cuda_ctx *ctx, const uint64_t *base, size_t ncols, size_t row_stride,
                                  size_t col_stride, const size_t *rows, size_t count, uint64_t *out);

/* fri/fri_cuda.cu */
kiln_status kiln_cuda_fri_fold(kiln_cuda_ctx *ctx, const uint64_t *in, uint64_t *out, unsigned log_n,
                               unsigned log_arity, uint64_t shift, kiln_gl2 beta);

/* poly/poly_cuda.cu */
kiln_status kiln_cuda_poly_eval_ext(kiln_cuda_ctx *ctx, const uint64_t *coeffs, size_t n, size_t ncols,
                                    kiln_gl2 z, kiln_gl2 *out);
kiln_status kiln_cuda_batch_inverse(kiln_cuda_ctx *ctx, uint64_t *v, size_t n);
kiln_status kiln_cuda_batch_inverse_ext(kiln_cuda_ctx *ctx, uint64_t *v, size_t n);

/* air/expr_cuda.cu, air/deep_cuda.cu: mats point to device memory, the rest of args to host memory */
kiln_status kiln_cuda_expr_quotient(kiln_cuda_ctx *ctx, const kiln_expr_quotient_args *a, const kiln_raw_mat *mats,
                                    uint64_t *out);
kiln_status kiln_cuda_deep_accumulate(kiln_cuda_ctx *ctx, const kiln_deep_args *a, const kiln_raw_mat *mats,
                                      uint64_t *out);

/* pow/pow_cuda.cu */
kiln_status kiln_cuda_pow_grind(kiln_cuda_ctx *ctx, const kiln_pow_seed *seed, unsigned bits, uint64_t *nonce);

/* logup/logup_cuda.cu: the tables of a are host memory; hp's matrices point to device memory */
kiln_status kiln_cuda_logup_denominators(kiln_cuda_ctx *ctx, const kiln_logup_den_args *a,
                                         const struct kiln_logup_prog *hp, uint64_t *den, uint64_t *mult,
                                         size_t *nzero);
kiln_status kiln_cuda_logup_sum(kiln_cuda_ctx *ctx, const uint64_t *inv, const uint64_t *mult, size_t n,
                                const uint32_t *gfirst, const uint32_t *gcount, size_t ngroups, uint64_t *out,
                                kiln_gl2 *total);

#ifdef __cplusplus
}
#endif
#endif
