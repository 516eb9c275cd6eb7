/* Device selection, the stream, and device memory: allocations come from CUDA's stream-ordered pool (kept
 * warm, so repeated proofs reuse memory without cudaMalloc/cudaFree), with Kiln's own accounting of bytes in
 * use and the peak, and an optional cap (the 16 GB budget of D12). */
#include <stdlib.h>
#include <string.h>

#include "cuda_ctx.cuh"

extern "C" int kiln_cuda_ctx_device_count(void) {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
        cudaGetLastError(); /* clear the sticky "no driver" error */
        return 0;
    }
    return n;
}

extern "C" kiln_status kiln_cuda_ctx_create(char *err, size_t errlen, kiln_cuda_ctx **out) {
    *out = NULL;
    int n = kiln_cuda_ctx_device_count();
    if (n <= 0) {
        snprintf(err, errlen, "no CUDA device: %s", n == 0 ? "none found or no driver" : "query failed");
        return KILN_ERR_NO_DEVICE;
    }
    kiln_cuda_ctx *ctx = (kiln_cuda_ctx *)calloc(1, sizeof *ctx);
    if (!ctx) return KILN_ERR_OUT_OF_MEMORY;
    ctx->err = err;
    ctx->errlen = errlen;
    const char *env = getenv("KILN_CUDA_DEVICE");
    ctx->device = env ? atoi(env) : 0;
    if (ctx->device < 0 || ctx->device >= n) ctx->device = 0;
    kiln_status st = kiln_cuda_check(ctx, cudaSetDevice(ctx->device), "cudaSetDevice");
    if (st == KILN_OK) st = kiln_cuda_check(ctx, cudaGetDeviceProperties(&ctx->props, ctx->device), "cudaGetDeviceProperties");
    if (st == KILN_OK) st = kiln_cuda_check(ctx, cudaStreamCreateWithFlags(&ctx->stream, cudaStreamNonBlocking), "cudaStreamCreate");
    if (st != KILN_OK) {
        free(ctx);
        return st;
    }
    /* Keep freed pool memory reserved instead of returning it to the driver at every sync. */
    cudaMemPool_t pool;
    if (cudaDeviceGetDefaultMemPool(&pool, ctx->device) == cudaSuccess) {
        uint64_t threshold = UINT64_MAX;
        cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold);
    }
    cudaGetLastError();
    snprintf(ctx->describe, sizeof ctx->describe, "%s, %.1f GiB, sm_%d%d", ctx->props.name,
             ctx->props.totalGlobalMem / (1024.0 * 1024.0 * 1024.0), ctx->props.major, ctx->props.minor);
    *out = ctx;
    return KILN_OK;
}

extern "C" void kiln_cuda_ctx_destroy(kiln_cuda_ctx *ctx) {
    if (!ctx) return;
    cudaStreamSynchronize(ctx->stream);
    cudaStreamDestroy(ctx->stream);
    free(ctx);
}

extern "C" const char *kiln_cuda_ctx_describe(const kiln_cuda_ctx *ctx) { return ctx->describe; }

extern "C" kiln_status kiln_cuda_sync(kiln_cuda_ctx *ctx) {
    return kiln_cuda_check(ctx, cudaStreamSynchronize(ctx->stream), "cudaStreamSynchronize");
}

extern "C" kiln_status kiln_cuda_alloc(kiln_cuda_ctx *ctx, size_t bytes, void **out) {
    *out = NULL;
    if (ctx->limit && (bytes > ctx->limit || ctx->in_use > ctx->limit - bytes)) {
        snprintf(ctx->err, ctx->errlen, "device memory cap: %zu bytes in use + %zu requested > cap %zu", ctx->in_use,
                 bytes, ctx->limit);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    KILN_CUDA_TRY(ctx, cudaMallocAsync(out, bytes, ctx->stream), "cudaMallocAsync");
    ctx->in_use += bytes;
    if (ctx->in_use > ctx->peak) ctx->peak = ctx->in_use;
    return KILN_OK;
}

extern "C" void kiln_cuda_free(kiln_cuda_ctx *ctx, void *ptr, size_t bytes) {
    if (!ptr) return;
    cudaFreeAsync(ptr, ctx->stream);
    ctx->in_use -= bytes;
}

extern "C" kiln_status kiln_cuda_host_alloc(kiln_cuda_ctx *ctx, size_t bytes, void **out) {
    *out = NULL;
    KILN_CUDA_TRY(ctx, cudaMallocHost(out, bytes ? bytes : 1), "cudaMallocHost");
    return KILN_OK;
}

extern "C" void kiln_cuda_host_free(kiln_cuda_ctx *ctx, void *ptr) {
    (void)ctx;
    if (ptr) cudaFreeHost(ptr);
}

extern "C" kiln_status kiln_cuda_memcpy(kiln_cuda_ctx *ctx, void *dst, const void *src, size_t bytes, int kind) {
    cudaMemcpyKind k = kind == KILN_CUDA_H2D ? cudaMemcpyHostToDevice
                       : kind == KILN_CUDA_D2H ? cudaMemcpyDeviceToHost
                                               : cudaMemcpyDeviceToDevice;
    KILN_CUDA_TRY(ctx, cudaMemcpyAsync(dst, src, bytes, k, ctx->stream), "cudaMemcpyAsync");
    /* Host-visible copies complete before returning: the caller may reuse or read its host memory at once. */
    if (kind != KILN_CUDA_D2D) return kiln_cuda_sync(ctx);
    return KILN_OK;
}

extern "C" kiln_status kiln_cuda_memset0(kiln_cuda_ctx *ctx, void *dst, size_t bytes) {
    KILN_CUDA_TRY(ctx, cudaMemsetAsync(dst, 0, bytes, ctx->stream), "cudaMemsetAsync");
    return KILN_OK;
}

extern "C" void kiln_cuda_mem_stats(const kiln_cuda_ctx *ctx, size_t *in_use, size_t *peak, size_t *total) {
    *in_use = ctx->in_use;
    *peak = ctx->peak;
    *total = ctx->props.totalGlobalMem;
}

extern "C" void kiln_cuda_reset_peak(kiln_cuda_ctx *ctx) { ctx->peak = ctx->in_use; }
extern "C" void kiln_cuda_set_limit(kiln_cuda_ctx *ctx, size_t bytes) { ctx->limit = bytes; }
