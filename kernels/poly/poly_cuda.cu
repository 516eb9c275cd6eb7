/* Polynomial evaluation at an extension point and batch inversion on the GPU (mirrors poly_cpu.c).
 *
 * Evaluation: z^i from a two-level table (zhi[i >> h] * zlo[i & mask]) built by a small kernel; each block
 * takes a tile of coefficients, multiplies by the powers and reduces per column to one partial; a second
 * kernel sums the partials of each column. Batch inversion: each thread runs Montgomery's trick over K
 * elements strided by the grid width (coalesced), with the prefix products in registers. */
#include "../backend/cuda_ctx.cuh"

namespace {

const unsigned EVAL_BLOCK = 256;
const unsigned EVAL_PER_THREAD = 8;
const size_t EVAL_TILE = (size_t)EVAL_BLOCK * EVAL_PER_THREAD;
const unsigned EVAL_COLS = 8; /* columns per block (grid.y) */

__device__ __forceinline__ kiln_gl2 ld2(const uint64_t *p, size_t i) { return kiln_gl2_make(p[2 * i], p[2 * i + 1]); }
__device__ __forceinline__ void st2(uint64_t *p, size_t i, kiln_gl2 v) {
    p[2 * i] = v.c0;
    p[2 * i + 1] = v.c1;
}

/* zlo[t] = z^t (t < nlo), zhi[t] = z^(t * nlo) (t < nhi); interleaved extension elements. */
__global__ void zpow_table_kernel(uint64_t *zlo, size_t nlo, uint64_t *zhi, size_t nhi, kiln_gl2 z, kiln_gl2 zstep) {
    size_t t = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (t < nlo) st2(zlo, t, kiln_gl2_pow(z, t));
    if (t < nhi) st2(zhi, t, kiln_gl2_pow(zstep, t));
}

__device__ __forceinline__ kiln_gl2 shfl_down2(kiln_gl2 v, unsigned d) {
    v.c0 = __shfl_down_sync(0xffffffffu, v.c0, d);
    v.c1 = __shfl_down_sync(0xffffffffu, v.c1, d);
    return v;
}

/* Sum over the block; the result is valid in thread 0. red holds one value per warp. */
__device__ kiln_gl2 block_sum(kiln_gl2 v, kiln_gl2 *red) {
    for (unsigned d = 16; d > 0; d >>= 1) v = kiln_gl2_add(v, shfl_down2(v, d));
    unsigned warp = threadIdx.x / 32, lane = threadIdx.x % 32, nwarps = blockDim.x / 32;
    __syncthreads(); /* red may still be read from the previous call */
    if (lane == 0) red[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < nwarps ? red[lane] : kiln_gl2_make(0, 0);
        for (unsigned d = 16; d > 0; d >>= 1) v = kiln_gl2_add(v, shfl_down2(v, d));
    }
    return v;
}

/* partial[tile * ncols + c] = sum over the tile of coeffs[c*n + i] * z^i. */
__global__ void __launch_bounds__(EVAL_BLOCK) poly_eval_tile_kernel(const uint64_t *__restrict__ coeffs, size_t n,
                                                                     size_t ncols, const uint64_t *__restrict__ zlo,
                                                                     const uint64_t *__restrict__ zhi, unsigned h,
                                                                     kiln_gl2 zstride, uint64_t *partial) {
    __shared__ kiln_gl2 red[EVAL_BLOCK / 32];
    size_t i0 = (size_t)blockIdx.x * EVAL_TILE + threadIdx.x;
    size_t mask = ((size_t)1 << h) - 1;
    kiln_gl2 pw[EVAL_PER_THREAD];
    kiln_gl2 x = i0 < n ? kiln_gl2_mul(ld2(zhi, i0 >> h), ld2(zlo, i0 & mask)) : kiln_gl2_make(0, 0);
#pragma unroll
    for (unsigned j = 0; j < EVAL_PER_THREAD; j++) {
        pw[j] = i0 + (size_t)j * EVAL_BLOCK < n ? x : kiln_gl2_make(0, 0);
        x = kiln_gl2_mul(x, zstride);
    }
    for (size_t cg = (size_t)blockIdx.y * EVAL_COLS; cg < ncols; cg += (size_t)gridDim.y * EVAL_COLS) {
        size_t cend = cg + EVAL_COLS < ncols ? cg + EVAL_COLS : ncols;
        for (size_t c = cg; c < cend; c++) {
            const uint64_t *a = coeffs + c * n;
            kiln_gl2 acc = kiln_gl2_make(0, 0);
#pragma unroll
            for (unsigned j = 0; j < EVAL_PER_THREAD; j++) {
                size_t i = i0 + (size_t)j * EVAL_BLOCK;
                if (i < n) acc = kiln_gl2_add(acc, kiln_gl2_mul_base(pw[j], a[i]));
            }
            acc = block_sum(acc, red);
            if (threadIdx.x == 0) st2(partial, (size_t)blockIdx.x * ncols + c, acc);
        }
    }
}

/* out[c] = sum over tiles of partial[tile * ncols + c]; one block per column. */
__global__ void poly_eval_sum_kernel(const uint64_t *partial, size_t ntiles, size_t ncols, uint64_t *out) {
    __shared__ kiln_gl2 red[EVAL_BLOCK / 32];
    for (size_t c = blockIdx.x; c < ncols; c += gridDim.x) {
        kiln_gl2 acc = kiln_gl2_make(0, 0);
        for (size_t t = threadIdx.x; t < ntiles; t += blockDim.x) acc = kiln_gl2_add(acc, ld2(partial, t * ncols + c));
        acc = block_sum(acc, red);
        if (threadIdx.x == 0) st2(out, c, acc);
    }
}

const unsigned INV_BLOCK = 256;
const unsigned INV_K_BASE = 16;
const unsigned INV_K_EXT = 8;

/* Montgomery's trick over the K elements base + t + j*T (T = threads in the grid); zeros stay zero. */
__global__ void __launch_bounds__(INV_BLOCK) batch_inv_base_kernel(uint64_t *v, size_t n) {
    size_t T = (size_t)gridDim.x * blockDim.x, t = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    for (size_t base = 0; base < n; base += T * INV_K_BASE) {
        uint64_t x[INV_K_BASE], pre[INV_K_BASE], acc = 1;
#pragma unroll
        for (unsigned j = 0; j < INV_K_BASE; j++) {
            size_t i = base + t + (size_t)j * T;
            x[j] = i < n ? v[i] : 0;
            pre[j] = acc;
            if (x[j]) acc = kiln_gl_mul(acc, x[j]);
        }
        uint64_t inv = kiln_gl_inv(acc);
#pragma unroll
        for (int j = INV_K_BASE - 1; j >= 0; j--) {
            size_t i = base + t + (size_t)j * T;
            if (!x[j]) continue;
            if (i < n) v[i] = kiln_gl_mul(inv, pre[j]);
            inv = kiln_gl_mul(inv, x[j]);
        }
    }
}

__global__ void __launch_bounds__(INV_BLOCK) batch_inv_ext_kernel(uint64_t *v, size_t n) {
    size_t T = (size_t)gridDim.x * blockDim.x, t = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    for (size_t base = 0; base < n; base += T * INV_K_EXT) {
        kiln_gl2 x[INV_K_EXT], pre[INV_K_EXT], acc = kiln_gl2_make(1, 0);
#pragma unroll
        for (unsigned j = 0; j < INV_K_EXT; j++) {
            size_t i = base + t + (size_t)j * T;
            x[j] = i < n ? ld2(v, i) : kiln_gl2_make(0, 0);
            pre[j] = acc;
            if (!kiln_gl2_is_zero(x[j])) acc = kiln_gl2_mul(acc, x[j]);
        }
        kiln_gl2 inv = kiln_gl2_inv(acc);
#pragma unroll
        for (int j = INV_K_EXT - 1; j >= 0; j--) {
            size_t i = base + t + (size_t)j * T;
            if (kiln_gl2_is_zero(x[j])) continue;
            if (i < n) st2(v, i, kiln_gl2_mul(inv, pre[j]));
            inv = kiln_gl2_mul(inv, x[j]);
        }
    }
}

unsigned inv_grid(const kiln_cuda_ctx *ctx, size_t n, unsigned k) {
    size_t want = (n + (size_t)INV_BLOCK * k - 1) / ((size_t)INV_BLOCK * k);
    size_t cap = (size_t)ctx->props.multiProcessorCount * 8;
    if (want > cap) want = cap;
    return want ? (unsigned)want : 1u;
}

}  // namespace

extern "C" kiln_status kiln_cuda_poly_eval_ext(kiln_cuda_ctx *ctx, const uint64_t *coeffs, size_t n, size_t ncols,
                                               kiln_gl2 z, kiln_gl2 *out) {
    if (n == 0) {
        for (size_t c = 0; c < ncols; c++) out[c] = kiln_gl2_make(0, 0);
        return KILN_OK;
    }
    unsigned L = 0;
    while (((size_t)1 << L) < n) L++;
    unsigned h = (L + 1) / 2;
    size_t nlo = (size_t)1 << h, nhi = (size_t)1 << (L - h);
    size_t ntiles = (n + EVAL_TILE - 1) / EVAL_TILE;
    size_t words = 2 * (nlo + nhi) + 2 * ntiles * ncols + 2 * ncols;
    uint64_t *scratch = NULL;
    kiln_status st = kiln_cuda_alloc(ctx, words * sizeof(uint64_t), (void **)&scratch);
    if (st != KILN_OK) return st;
    uint64_t *zlo = scratch, *zhi = zlo + 2 * nlo, *partial = zhi + 2 * nhi, *dout = partial + 2 * ntiles * ncols;

    size_t tmax = nlo > nhi ? nlo : nhi;
    zpow_table_kernel<<<(unsigned)((tmax + 255) / 256), 256, 0, ctx->stream>>>(zlo, nlo, zhi, nhi, z,
                                                                               kiln_gl2_pow(z, (uint64_t)nlo));
    st = kiln_cuda_check_launch(ctx, "zpow_table_kernel");
    if (st == KILN_OK) {
        size_t gy = (ncols + EVAL_COLS - 1) / EVAL_COLS;
        dim3 grid((unsigned)ntiles, (unsigned)(gy > 65535 ? 65535 : gy));
        poly_eval_tile_kernel<<<grid, EVAL_BLOCK, 0, ctx->stream>>>(coeffs, n, ncols, zlo, zhi, h,
                                                                     kiln_gl2_pow(z, EVAL_BLOCK), partial);
        st = kiln_cuda_check_launch(ctx, "poly_eval_tile_kernel");
    }
    if (st == KILN_OK) {
        unsigned g = (unsigned)(ncols > 65535 ? 65535 : ncols);
        poly_eval_sum_kernel<<<g, EVAL_BLOCK, 0, ctx->stream>>>(partial, ntiles, ncols, dout);
        st = kiln_cuda_check_launch(ctx, "poly_eval_sum_kernel");
    }
    if (st == KILN_OK) st = kiln_cuda_memcpy(ctx, out, dout, ncols * sizeof(kiln_gl2), KILN_CUDA_D2H);
    kiln_cuda_free(ctx, scratch, words * sizeof(uint64_t));
    return st;
}

extern "C" kiln_status kiln_cuda_batch_inverse(kiln_cuda_ctx *ctx, uint64_t *v, size_t n) {
    batch_inv_base_kernel<<<inv_grid(ctx, n, INV_K_BASE), INV_BLOCK, 0, ctx->stream>>>(v, n);
    return kiln_cuda_check_launch(ctx, "batch_inv_base_kernel");
}

extern "C" kiln_status kiln_cuda_batch_inverse_ext(kiln_cuda_ctx *ctx, uint64_t *v, size_t n) {
    batch_inv_ext_kernel<<<inv_grid(ctx, n, INV_K_EXT), INV_BLOCK, 0, ctx->stream>>>(v, n);
    return kiln_cuda_check_launch(ctx, "batch_inv_ext_kernel");
}
