/* CUDA NTT and coset LDE, mirroring ntt_cpu.c (same roots, orders and factors, so results are bit-identical).
 * The work of a pass lives in ntt_pass.h (shared with a host emulation in the tests); this file owns the
 * launches: per-call twiddle/scale tables, the passes (two for 2^13..2^20, three up to 2^28), and the
 * bit-reversal when input and output orders are equal. Everything runs on the context's stream.
 *
 * Not yet run on hardware: it is compared with the CPU backend by the tests, which skip without a GPU. */
#include <stdint.h>

#include "../backend/cuda_ctx.cuh"
#include "../field/goldilocks.h"
#include "ntt.h"
#include "ntt_pass.h"

namespace {

const unsigned kThreads = 256;

struct tables_mut {
    uint64_t *rf, *rc, *lv, *sf, *scs;
};

__global__ void tables_kernel(tables_mut t, uint64_t omega) {
    unsigned x = blockIdx.x * blockDim.x + threadIdx.x;
    if (x < KILN_NTT_TAB) kiln_ntt_root_entry(x, omega, t.rf, t.rc, t.lv);
}

__global__ void scale_tables_kernel(tables_mut t, uint64_t g, uint64_t c) {
    unsigned x = blockIdx.x * blockDim.x + threadIdx.x;
    if (x < KILN_NTT_TAB) kiln_ntt_scale_entry(x, g, c, t.sf, t.scs);
}

/* One pass (see ntt_pass.h); a block takes tiles in turn, each through all its cosets. */
__global__ void __launch_bounds__(kThreads) pass_kernel(kiln_ntt_pass arg, kiln_ntt_tables targ) {
    extern __shared__ uint64_t sm[];
    const kiln_ntt_pass a = arg;
    const kiln_ntt_tables t = targ;
    uint64_t *data = sm, *tw = sm + ((size_t)1 << (a.log_J + a.r));
    const size_t total = kiln_ntt_pass_tiles(&a);
    const unsigned phases = kiln_ntt_pass_phases(&a), cosets = 1u << a.log_cosets;
    for (size_t tile = blockIdx.x; tile < total; tile += gridDim.x)
        for (unsigned k = 0; k < cosets; k++) {
            kiln_ntt_pass_load(&a, &t, tile, k, threadIdx.x, blockDim.x, data, tw);
            __syncthreads();
            for (unsigned ph = 0; ph < phases; ph++) {
                kiln_ntt_pass_phase(&a, &t, ph, threadIdx.x, blockDim.x, data, tw);
                __syncthreads();
            }
            kiln_ntt_pass_store(&a, &t, tile, k, threadIdx.x, blockDim.x, data);
            __syncthreads(); /* the next coset or tile reuses shared memory */
        }
}

__global__ void bitrev_kernel(uint64_t *data, size_t cs, size_t ncols, unsigned log_n) {
    const size_t n = (size_t)1 << log_n, total = n * ncols;
    for (size_t g = (size_t)blockIdx.x * blockDim.x + threadIdx.x; g < total;
         g += (size_t)gridDim.x * blockDim.x) {
        size_t col = g >> log_n, i = g & (n - 1), j = (size_t)kiln_bitrev(i, log_n);
        if (i < j) {
            uint64_t *x = data + col * cs;
            uint64_t v = x[i];
            x[i] = x[j];
            x[j] = v;
        }
    }
}

/* Tiled bit-reversal (ntt_pass.h): one warp per pair of 8x8 tiles, through shared memory. */
__global__ void __launch_bounds__(kThreads)
    bitrev_tiles_kernel(uint64_t *data, size_t cs, size_t ncols, unsigned log_n) {
    __shared__ uint64_t sm[kThreads / 32][128];
    const unsigned lane = threadIdx.x & 31, wib = threadIdx.x >> 5, mb = log_n - 6;
    uint64_t *A = sm[wib], *B = sm[wib] + 64;
    const size_t total = ncols << mb, warps = (size_t)gridDim.x * (kThreads / 32);
    for (size_t w = (size_t)blockIdx.x * (kThreads / 32) + wib; w < total; w += warps) {
        size_t col = w >> mb, b = w & (((size_t)1 << mb) - 1);
        if (kiln_bitrev(b, mb) < b) continue; /* warp-uniform */
        uint64_t *x = data + col * cs;
        kiln_ntt_bitrev_tile_load(x, log_n, b, lane, 32, A, B);
        __syncwarp();
        kiln_ntt_bitrev_tile_store(x, log_n, b, lane, 32, A, B);
        __syncwarp();
    }
}

unsigned grid_for(size_t work, size_t per_block) {
    size_t g = (work + per_block - 1) / per_block;
    const size_t cap = (size_t)1 << 20; /* kernels loop past this */
    return (unsigned)(g < 1 ? 1 : g > cap ? cap : g);
}

/* Per-call scratch: the tables of ntt_pass.h, with scale tables for `cosets` cosets. */
struct scratch {
    kiln_cuda_ctx *ctx;
    void *mem;
    size_t bytes;
    tables_mut m;
    kiln_ntt_tables t;
};

kiln_status scratch_make(kiln_cuda_ctx *ctx, scratch *s, size_t cosets) {
    s->ctx = ctx;
    s->bytes = ((2 + 2 * cosets) * (size_t)KILN_NTT_TAB + KILN_NTT_LEVELS) * sizeof(uint64_t);
    kiln_status st = kiln_cuda_alloc(ctx, s->bytes, &s->mem);
    if (st != KILN_OK) return st;
    uint64_t *p = (uint64_t *)s->mem;
    s->m.rf = p;
    s->m.rc = p + KILN_NTT_TAB;
    s->m.lv = p + 2 * KILN_NTT_TAB;
    s->m.sf = p + 2 * KILN_NTT_TAB + KILN_NTT_LEVELS;
    s->m.scs = s->m.sf + cosets * KILN_NTT_TAB;
    s->t.rf = s->m.rf;
    s->t.rc = s->m.rc;
    s->t.lv = s->m.lv;
    s->t.sf = s->m.sf;
    s->t.scs = s->m.scs;
    return KILN_OK;
}

void scratch_free(scratch *s) {
    if (s->mem) kiln_cuda_free(s->ctx, s->mem, s->bytes);
    s->mem = NULL;
}

kiln_status fill_root_tables(kiln_cuda_ctx *ctx, const scratch *s, int inverse) {
    uint64_t omega = KILN_GL_ROOT_2_32;
    if (inverse) omega = kiln_gl_inv(omega);
    tables_kernel<<<KILN_NTT_TAB / kThreads, kThreads, 0, ctx->stream>>>(s->m, omega);
    return kiln_cuda_check_launch(ctx, "ntt tables kernel");
}

kiln_status fill_scale_tables(kiln_cuda_ctx *ctx, const scratch *s, size_t coset, uint64_t g, uint64_t c) {
    tables_mut m = s->m;
    m.sf += coset * KILN_NTT_TAB;
    m.scs += coset * KILN_NTT_TAB;
    scale_tables_kernel<<<KILN_NTT_TAB / kThreads, kThreads, 0, ctx->stream>>>(m, g, c);
    return kiln_cuda_check_launch(ctx, "ntt scale tables kernel");
}

/* Runs a whole transform (see kiln_ntt_pass_make). */
kiln_status run_transform(kiln_cuda_ctx *ctx, const kiln_ntt_tables &t, const uint64_t *in, size_t in_cs,
                          uint64_t *out, size_t out_cs, size_t ncols, unsigned log_n, int dit,
                          const kiln_ntt_scaling &sc, unsigned log_cosets, size_t coset_stride) {
    unsigned log_N[KILN_NTT_MAX_PASSES], r[KILN_NTT_MAX_PASSES], log_J[KILN_NTT_MAX_PASSES];
    unsigned np = kiln_ntt_schedule(log_n, dit, log_N, r, log_J);
    for (unsigned s = 0; s < np; s++) {
        kiln_ntt_pass a = kiln_ntt_pass_make(s, np, log_N, r, log_J, in, in_cs, out, out_cs, ncols, log_n,
                                             dit, sc.pre, sc.post, sc.sc_bitrev, log_cosets, coset_stride);
        size_t smem = kiln_ntt_pass_smem(&a);
        KILN_CUDA_TRY(
            ctx, cudaFuncSetAttribute(pass_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem),
            "ntt: shared memory size");
        pass_kernel<<<grid_for(kiln_ntt_pass_tiles(&a), 1), kThreads, smem, ctx->stream>>>(a, t);
        kiln_status st = kiln_cuda_check_launch(ctx, "ntt pass kernel");
        if (st != KILN_OK) return st;
    }
    return KILN_OK;
}

kiln_status bitrev_columns(kiln_cuda_ctx *ctx, uint64_t *data, size_t cs, size_t ncols, unsigned log_n) {
    if (log_n >= 8)
        bitrev_tiles_kernel<<<grid_for(ncols << (log_n - 6), kThreads / 32), kThreads, 0, ctx->stream>>>(
            data, cs, ncols, log_n);
    else
        bitrev_kernel<<<grid_for(ncols << log_n, kThreads), kThreads, 0, ctx->stream>>>(data, cs, ncols,
                                                                                        log_n);
    return kiln_cuda_check_launch(ctx, "ntt bit-reversal kernel");
}

} // namespace

extern "C" kiln_status kiln_cuda_ntt(kiln_cuda_ctx *ctx, uint64_t *data, size_t ncols, unsigned log_n,
                                     int inverse, uint64_t shift, kiln_order in_order, kiln_order out_order) {
    if (log_n == 0 || ncols == 0) return KILN_OK; /* one point: y_0 = a_0 */
    int dit = in_order == KILN_ORDER_BITREV;
    kiln_ntt_scaling sc = kiln_ntt_scaling_for(log_n, inverse, shift, dit);
    scratch s = {};
    kiln_status st = scratch_make(ctx, &s, 1);
    if (st == KILN_OK) st = fill_root_tables(ctx, &s, inverse);
    if (st == KILN_OK && (sc.pre || sc.post)) st = fill_scale_tables(ctx, &s, 0, sc.g, sc.c);
    size_t n = (size_t)1 << log_n;
    if (st == KILN_OK) st = run_transform(ctx, s.t, data, n, data, n, ncols, log_n, dit, sc, 0, 0);
    if (st == KILN_OK && in_order == out_order) st = bitrev_columns(ctx, data, n, ncols, log_n);
    scratch_free(&s);
    return st;
}

/* As on the CPU: bit-reversed block k of each output column is the size-n NTT (natural -> bit-reversed) of
 * the coefficients on the coset shift * w_N^bitrev(k). The first pass reads each source tile once and writes
 * all its cosets; the later passes run over every coset block as a column. */
extern "C" kiln_status kiln_cuda_lde_from_coeffs(kiln_cuda_ctx *ctx, const uint64_t *src, uint64_t *dst,
                                                 size_t ncols, unsigned log_n, unsigned log_blowup,
                                                 uint64_t shift, kiln_order out_order) {
    if (ncols == 0) return KILN_OK;
    const size_t n = (size_t)1 << log_n, N = n << log_blowup, cosets = (size_t)1 << log_blowup;
    const unsigned log_N = log_n + log_blowup;
    const uint64_t wN = kiln_gl_root_of_unity(log_N);
    scratch s = {};
    kiln_status st = scratch_make(ctx, &s, cosets);
    if (st == KILN_OK) st = fill_root_tables(ctx, &s, 0);
    for (size_t k = 0; st == KILN_OK && k < cosets; k++)
        st = fill_scale_tables(ctx, &s, k,
                               kiln_gl_mul(shift, kiln_gl_pow(wN, kiln_bitrev(k, log_blowup))), 1);
    kiln_ntt_scaling sc = {1, 0, 0, 1, 1}; /* natural-position factors before a DIF */
    if (st == KILN_OK) st = run_transform(ctx, s.t, src, n, dst, N, ncols, log_n, 0, sc, log_blowup, n);
    if (st == KILN_OK && out_order == KILN_ORDER_NATURAL) st = bitrev_columns(ctx, dst, N, ncols, log_N);
    scratch_free(&s);
    return st;
}
