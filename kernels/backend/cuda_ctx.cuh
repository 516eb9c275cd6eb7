/* The CUDA context behind a backend (internal to kernels/, device code only): the device, its stream and the
 * memory accounting, and the one way CUDA errors become statuses. */
#ifndef KILN_CUDA_CTX_CUH
#define KILN_CUDA_CTX_CUH

#include <cuda_runtime.h>
#include <stdio.h>

#include "kernels_cuda.h"

struct kiln_cuda_ctx {
    int device;
    cudaStream_t stream;
    cudaDeviceProp props;
    char *err; /* the owning backend's message buffer */
    size_t errlen;
    char describe[200];
    size_t in_use, peak, limit; /* device bytes through kiln_cuda_alloc */
};

/* Turns a CUDA error into a status and a message naming the operation. */
static inline kiln_status kiln_cuda_check(kiln_cuda_ctx *ctx, cudaError_t e, const char *what) {
    if (e == cudaSuccess) return KILN_OK;
    if (ctx && ctx->err) snprintf(ctx->err, ctx->errlen, "%s: %s", what, cudaGetErrorString(e));
    return e == cudaErrorMemoryAllocation ? KILN_ERR_OUT_OF_MEMORY : KILN_ERR_CUDA;
}

/* Checks the last launch (call right after <<<...>>>). */
static inline kiln_status kiln_cuda_check_launch(kiln_cuda_ctx *ctx, const char *what) {
    return kiln_cuda_check(ctx, cudaGetLastError(), what);
}

#define KILN_CUDA_TRY(ctx, call, what)                                                                         \
    do {                                                                                                       \
        kiln_status st_ = kiln_cuda_check((ctx), (call), (what));                                              \
        if (st_ != KILN_OK) return st_;                                                                        \
    } while (0)

#endif
