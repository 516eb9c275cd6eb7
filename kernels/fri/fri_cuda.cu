/* FRI folding on the GPU: the same per-group math as fri_cpu.c (fri_fold.h). A small kernel builds the
 * two-level table of inverse domain points in stream-ordered scratch; the fold kernel runs one thread per
 * output, templated on the arity so each group lives in registers. */
#include "../backend/cuda_ctx.cuh"
#include "fri_fold.h"

namespace {

/* lo[t] = wn_inv^t (t < nlo), hi[t] = shift_inv * hi_step^t (t < nhi), hi_step = wn_inv^nlo. */
__global__ void fri_table_kernel(uint64_t *lo, size_t nlo, uint64_t *hi, size_t nhi, uint64_t wn_inv,
                                 uint64_t hi_step, uint64_t shift_inv) {
    size_t t = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (t < nlo) lo[t] = kiln_gl_pow(wn_inv, t);
    if (t < nhi) hi[t] = kiln_gl_mul(shift_inv, kiln_gl_pow(hi_step, t));
}

template <unsigned LA, bool ALIGNED>
__global__ void __launch_bounds__(256) fri_fold_kernel(const uint64_t *__restrict__ in, uint64_t *__restrict__ out,
                                                       size_t nout, const uint64_t *__restrict__ lo,
                                                       const uint64_t *__restrict__ hi, kiln_fri_consts k) {
    const unsigned words = 2u << LA;
    uint64_t mask = ((uint64_t)1 << k.h) - 1;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < nout; i += (size_t)gridDim.x * blockDim.x) {
        uint64_t v[words];
        const uint64_t *g = in + i * words;
#pragma unroll
        for (unsigned w = 0; w < words; w += 2) {
            if (ALIGNED) {
                ulonglong2 p = *(const ulonglong2 *)(g + w);
                v[w] = p.x;
                v[w + 1] = p.y;
            } else {
                v[w] = g[w];
                v[w + 1] = g[w + 1];
            }
        }
        uint64_t e = kiln_bitrev(i, k.m);
        uint64_t xinv = kiln_gl_mul(hi[e >> k.h], lo[e & mask]);
        kiln_gl2 r = kiln_fri_fold_group(v, xinv, &k, LA);
        if (ALIGNED) {
            ulonglong2 o;
            o.x = r.c0;
            o.y = r.c1;
            *(ulonglong2 *)(out + 2 * i) = o;
        } else {
            out[2 * i] = r.c0;
            out[2 * i + 1] = r.c1;
        }
    }
}

unsigned grid_for(const kiln_cuda_ctx *ctx, size_t work, unsigned block) {
    size_t want = (work + block - 1) / block;
    size_t cap = (size_t)ctx->props.multiProcessorCount * 16;
    if (want > cap) want = cap;
    return want ? (unsigned)want : 1u;
}

}  // namespace

extern "C" kiln_status kiln_cuda_fri_fold(kiln_cuda_ctx *ctx, const uint64_t *in, uint64_t *out, unsigned log_n,
                                          unsigned log_arity, uint64_t shift, kiln_gl2 beta) {
    kiln_fri_consts k;
    kiln_fri_consts_init(&k, log_n, log_arity, beta);
    size_t nout = (size_t)1 << k.m;
    size_t nlo = (size_t)1 << k.h, nhi = (size_t)1 << (k.m - k.h);
    uint64_t wn_inv = kiln_gl_inv(kiln_gl_root_of_unity(log_n));

    uint64_t *tab = NULL;
    kiln_status st = kiln_cuda_alloc(ctx, (nlo + nhi) * sizeof(uint64_t), (void **)&tab);
    if (st != KILN_OK) return st;
    const unsigned tb = 256;
    size_t tmax = nlo > nhi ? nlo : nhi;
    fri_table_kernel<<<(unsigned)((tmax + tb - 1) / tb), tb, 0, ctx->stream>>>(
        tab, nlo, tab + nlo, nhi, wn_inv, kiln_gl_pow(wn_inv, (uint64_t)nlo), kiln_gl_inv(shift));
    st = kiln_cuda_check_launch(ctx, "fri_table_kernel");
    if (st == KILN_OK) {
        const unsigned block = 256;
        unsigned grid = grid_for(ctx, nout, block);
        /* Offsets are in words: 16-byte vector access only when both ends are 16-byte aligned. */
        bool al = (((uintptr_t)in | (uintptr_t)out) & 15) == 0;
        const uint64_t *lo = tab, *hi = tab + nlo;
        cudaStream_t s = ctx->stream;
        switch (log_arity * 2 + (al ? 1 : 0)) {
        case 2: fri_fold_kernel<1, false><<<grid, block, 0, s>>>(in, out, nout, lo, hi, k); break;
        case 3: fri_fold_kernel<1, true><<<grid, block, 0, s>>>(in, out, nout, lo, hi, k); break;
        case 4: fri_fold_kernel<2, false><<<grid, block, 0, s>>>(in, out, nout, lo, hi, k); break;
        case 5: fri_fold_kernel<2, true><<<grid, block, 0, s>>>(in, out, nout, lo, hi, k); break;
        case 6: fri_fold_kernel<3, false><<<grid, block, 0, s>>>(in, out, nout, lo, hi, k); break;
        default: fri_fold_kernel<3, true><<<grid, block, 0, s>>>(in, out, nout, lo, hi, k); break;
        }
        st = kiln_cuda_check_launch(ctx, "fri_fold_kernel");
    }
    kiln_cuda_free(ctx, tab, (nlo + nhi) * sizeof(uint64_t));
    return st;
}
