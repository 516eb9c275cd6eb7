/* CUDA backend of row hashing, tree building, path and row gathering. The hashing is merkle_hd.h, the same
 * code the CPU backend runs. */
#include "../backend/cuda_ctx.cuh"
#include "merkle_hd.h"

namespace {

const unsigned kThreads = 256;
/* Layers of at most this many nodes are built together by one block (one launch for the top of the tree). */
const size_t kTailNodes = 256;

/* Grid size for n items; kernels loop with a grid stride, so the grid is capped well below CUDA's limit. */
unsigned blocks_for(size_t n) {
    size_t b = (n + kThreads - 1) / kThreads;
    return (unsigned)(b < ((size_t)1 << 20) ? b : ((size_t)1 << 20));
}

__device__ size_t grid_stride() {
    return (size_t)gridDim.x * blockDim.x;
}

/* Kernels are templated on the hasher so each gets only its own hash's registers (Keccak needs many more). */

/* One row per thread. In a column-major view (row_stride 1) neighbouring threads read neighbouring words of
 * each column, so every load of a warp is coalesced. */
template <kiln_hasher h>
__global__ void hash_rows_kernel(const uint64_t *__restrict__ base, size_t nrows, size_t ncols,
                                 size_t row_stride, size_t col_stride, uint64_t *__restrict__ out) {
    for (size_t r = (size_t)blockIdx.x * blockDim.x + threadIdx.x; r < nrows; r += grid_stride()) {
        uint64_t d[4];
        kiln_merkle_leaf_strided(h, base + r * row_stride, col_stride, ncols, d);
        out[4 * r] = d[0];
        out[4 * r + 1] = d[1];
        out[4 * r + 2] = d[2];
        out[4 * r + 3] = d[3];
    }
}

/* One layer: node i of dst from digests 2i and 2i+1 of src. */
template <kiln_hasher h>
__global__ void layer_kernel(const uint64_t *__restrict__ src, uint64_t *__restrict__ dst, size_t n) {
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += grid_stride()) {
        uint64_t d[4];
        kiln_merkle_node_hd(h, src + 8 * i, src + 8 * i + 4, d);
        dst[4 * i] = d[0];
        dst[4 * i + 1] = d[1];
        dst[4 * i + 2] = d[2];
        dst[4 * i + 3] = d[3];
    }
}

/* The remaining layers, from a layer of len digests at start down to the cap, in one block: __syncthreads
 * makes each layer's global writes visible to the whole block before the next layer reads them. */
template <kiln_hasher h> __global__ void tail_kernel(uint64_t *tree, size_t start, size_t len, size_t cap) {
    while (len > cap) {
        const uint64_t *src = tree + 4 * start;
        uint64_t *dst = tree + 4 * (start + len);
        for (size_t i = threadIdx.x; i < len / 2; i += blockDim.x) {
            uint64_t d[4];
            kiln_merkle_node_hd(h, src + 8 * i, src + 8 * i + 4, d);
            dst[4 * i] = d[0];
            dst[4 * i + 1] = d[1];
            dst[4 * i + 2] = d[2];
            dst[4 * i + 3] = d[3];
        }
        __syncthreads();
        start += len;
        len >>= 1;
    }
}

/* Sibling d of query q: digest (idx >> d) ^ 1 of layer d. */
__global__ void paths_kernel(const uint64_t *__restrict__ tree, size_t nleaves, unsigned depth,
                             const size_t *__restrict__ indices, size_t count, uint64_t *__restrict__ out) {
    for (size_t t = (size_t)blockIdx.x * blockDim.x + threadIdx.x; t < count * depth; t += grid_stride()) {
        size_t q = t / depth;
        unsigned d = (unsigned)(t % depth);
        size_t start = d == 0 ? 0 : 2 * nleaves - (nleaves >> (d - 1));
        size_t sib = start + ((indices[q] >> d) ^ 1);
        for (int j = 0; j < 4; j++)
            out[4 * t + j] = tree[4 * sib + j];
    }
}

__global__ void gather_kernel(const uint64_t *__restrict__ base, size_t ncols, size_t row_stride,
                              size_t col_stride, const size_t *__restrict__ rows, size_t count,
                              uint64_t *__restrict__ out) {
    for (size_t t = (size_t)blockIdx.x * blockDim.x + threadIdx.x; t < count * ncols; t += grid_stride()) {
        size_t i = t / ncols, c = t % ncols;
        out[t] = base[rows[i] * row_stride + c * col_stride];
    }
}

/* Copies count indices to the device, runs a gather writing nout words into a device buffer, and copies
 * that buffer to host memory out in one transfer. */
template <typename Launch>
kiln_status gather_to_host(kiln_cuda_ctx *ctx, const size_t *indices, size_t count, size_t nout,
                           uint64_t *out, const char *what, Launch launch) {
    size_t *d_idx = NULL;
    uint64_t *d_out = NULL;
    kiln_status st = kiln_cuda_alloc(ctx, count * sizeof(size_t), (void **)&d_idx);
    if (st == KILN_OK) st = kiln_cuda_alloc(ctx, nout * sizeof(uint64_t), (void **)&d_out);
    if (st == KILN_OK) st = kiln_cuda_memcpy(ctx, d_idx, indices, count * sizeof(size_t), KILN_CUDA_H2D);
    if (st == KILN_OK) {
        launch(d_idx, d_out);
        st = kiln_cuda_check_launch(ctx, what);
    }
    if (st == KILN_OK) st = kiln_cuda_memcpy(ctx, out, d_out, nout * sizeof(uint64_t), KILN_CUDA_D2H);
    kiln_cuda_free(ctx, d_out, nout * sizeof(uint64_t));
    kiln_cuda_free(ctx, d_idx, count * sizeof(size_t));
    return st;
}

} // namespace

extern "C" kiln_status kiln_cuda_hash_rows(kiln_cuda_ctx *ctx, kiln_hasher h, const uint64_t *base,
                                           size_t nrows, size_t ncols, size_t row_stride, size_t col_stride,
                                           uint64_t *out) {
    if (!nrows) return KILN_OK;
    if (h == KILN_HASHER_KECCAK)
        hash_rows_kernel<KILN_HASHER_KECCAK><<<blocks_for(nrows), kThreads, 0, ctx->stream>>>(
            base, nrows, ncols, row_stride, col_stride, out);
    else
        hash_rows_kernel<KILN_HASHER_POSEIDON2><<<blocks_for(nrows), kThreads, 0, ctx->stream>>>(
            base, nrows, ncols, row_stride, col_stride, out);
    return kiln_cuda_check_launch(ctx, "hash_rows");
}

extern "C" kiln_status kiln_cuda_merkle_build(kiln_cuda_ctx *ctx, kiln_hasher h, uint64_t *tree,
                                              size_t nleaves, unsigned cap_log) {
    size_t start = 0, len = nleaves, cap = (size_t)1 << cap_log;
    /* Big layers: one launch each, a thread per node. */
    while (len > cap && len / 2 > kTailNodes) {
        const uint64_t *src = tree + 4 * start;
        uint64_t *dst = tree + 4 * (start + len);
        if (h == KILN_HASHER_KECCAK)
            layer_kernel<KILN_HASHER_KECCAK>
                <<<blocks_for(len / 2), kThreads, 0, ctx->stream>>>(src, dst, len / 2);
        else
            layer_kernel<KILN_HASHER_POSEIDON2>
                <<<blocks_for(len / 2), kThreads, 0, ctx->stream>>>(src, dst, len / 2);
        kiln_status st = kiln_cuda_check_launch(ctx, "merkle_build layer");
        if (st != KILN_OK) return st;
        start += len;
        len >>= 1;
    }
    if (len <= cap) return KILN_OK;
    if (h == KILN_HASHER_KECCAK)
        tail_kernel<KILN_HASHER_KECCAK><<<1, kThreads, 0, ctx->stream>>>(tree, start, len, cap);
    else
        tail_kernel<KILN_HASHER_POSEIDON2><<<1, kThreads, 0, ctx->stream>>>(tree, start, len, cap);
    return kiln_cuda_check_launch(ctx, "merkle_build tail");
}

extern "C" kiln_status kiln_cuda_merkle_paths(kiln_cuda_ctx *ctx, const uint64_t *tree, size_t nleaves,
                                              unsigned cap_log, const size_t *indices, size_t count,
                                              uint64_t *out) {
    unsigned depth = 0;
    while (((size_t)1 << (depth + cap_log)) < nleaves)
        depth++;
    if (!depth || !count) return KILN_OK;
    size_t items = count * depth;
    return gather_to_host(ctx, indices, count, 4 * items, out, "merkle_paths",
                          [&](const size_t *d_idx, uint64_t *d_out) {
                              paths_kernel<<<blocks_for(items), kThreads, 0, ctx->stream>>>(
                                  tree, nleaves, depth, d_idx, count, d_out);
                          });
}

extern "C" kiln_status kiln_cuda_gather_rows(kiln_cuda_ctx *ctx, const uint64_t *base, size_t ncols,
                                             size_t row_stride, size_t col_stride, const size_t *rows,
                                             size_t count, uint64_t *out) {
    if (!count || !ncols) return KILN_OK;
    size_t items = count * ncols;
    return gather_to_host(ctx, rows, count, items, out, "gather_rows",
                          [&](const size_t *d_idx, uint64_t *d_out) {
                              gather_kernel<<<blocks_for(items), kThreads, 0, ctx->stream>>>(
                                  base, ncols, row_stride, col_stride, d_idx, count, d_out);
                          });
}
