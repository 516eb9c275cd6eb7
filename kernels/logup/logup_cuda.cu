/* LogUp auxiliary columns on the GPU (mirrors logup_cpu.c). Denominators: the program's tables are copied to
 * device memory and each thread runs rows strided by the grid width, its registers in a global scratch laid
 * out register-major (regs[i * T + t]) so that accesses coalesce. Sums: one thread per row for the group
 * values, then an inclusive scan of the row sums in three kernels: tile totals, a scan of the totals by one
 * block, and the tile-local scan plus the tile's offset. */
#include <string.h>

#include "../backend/cuda_ctx.cuh"
#include "logup_hd.h"

namespace {

const unsigned DEN_BLOCK = 128;
const unsigned SUM_BLOCK = 256;
const unsigned SCAN_BLOCK = 256;
const unsigned SCAN_ITEMS = 8;
const size_t SCAN_TILE = (size_t)SCAN_BLOCK * SCAN_ITEMS;

__global__ void __launch_bounds__(DEN_BLOCK) logup_den_kernel(kiln_logup_prog p, uint64_t *regs, uint64_t *den,
                                                              uint64_t *mult, unsigned long long *zeros) {
    size_t T = (size_t)gridDim.x * blockDim.x, t = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    unsigned z = 0;
    for (size_t r = t; r < p.n; r += T) z += kiln_logup_row(&p, r, regs + t, T, den, mult);
    if (z) atomicAdd(zeros, (unsigned long long)z);
}

__global__ void __launch_bounds__(SUM_BLOCK) logup_groups_kernel(const uint64_t *inv, const uint64_t *mult, size_t n,
                                                                 const uint32_t *gfirst, const uint32_t *gcount,
                                                                 size_t ngroups, uint64_t *out) {
    size_t T = (size_t)gridDim.x * blockDim.x;
    for (size_t r = (size_t)blockIdx.x * blockDim.x + threadIdx.x; r < n; r += T)
        kiln_logup_row_groups(inv, mult, n, gfirst, gcount, ngroups, r, out);
}

__device__ __forceinline__ kiln_gl2 shfl_up2(kiln_gl2 v, unsigned d) {
    v.c0 = __shfl_up_sync(0xffffffffu, v.c0, d);
    v.c1 = __shfl_up_sync(0xffffffffu, v.c1, d);
    return v;
}

/* Inclusive scan over the block (blockDim.x a multiple of 32, at most 1024); red holds 32 values. */
__device__ kiln_gl2 block_scan(kiln_gl2 v, kiln_gl2 *red) {
    unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32, nwarps = blockDim.x / 32;
    for (unsigned d = 1; d < 32; d <<= 1) {
        kiln_gl2 o = shfl_up2(v, d);
        if (lane >= d) v = kiln_gl2_add(v, o);
    }
    __syncthreads(); /* red may still be read from the previous call */
    if (lane == 31) red[warp] = v;
    __syncthreads();
    if (warp == 0) {
        kiln_gl2 w = lane < nwarps ? red[lane] : kiln_gl2_make(0, 0);
        for (unsigned d = 1; d < 32; d <<= 1) {
            kiln_gl2 o = shfl_up2(w, d);
            if (lane >= d) w = kiln_gl2_add(w, o);
        }
        if (lane < nwarps) red[lane] = w;
    }
    __syncthreads();
    if (warp > 0) v = kiln_gl2_add(v, red[warp - 1]);
    return v;
}

/* Thread t of a tile owns rows tile*SCAN_TILE + t*SCAN_ITEMS + [0, SCAN_ITEMS). */
__global__ void __launch_bounds__(SCAN_BLOCK) scan_tile_total_kernel(const uint64_t *a0, const uint64_t *a1, size_t n,
                                                                     uint64_t *tot) {
    __shared__ kiln_gl2 red[32];
    size_t r0 = (size_t)blockIdx.x * SCAN_TILE + (size_t)threadIdx.x * SCAN_ITEMS;
    kiln_gl2 s = kiln_gl2_make(0, 0);
    for (unsigned k = 0; k < SCAN_ITEMS; k++)
        if (r0 + k < n) s = kiln_gl2_add(s, kiln_gl2_make(a0[r0 + k], a1[r0 + k]));
    s = block_scan(s, red);
    if (threadIdx.x == blockDim.x - 1) {
        tot[2 * blockIdx.x] = s.c0;
        tot[2 * blockIdx.x + 1] = s.c1;
    }
}

/* Turns the ntiles tile totals into their exclusive prefix sums (one block); total = the sum of all. */
__global__ void __launch_bounds__(SCAN_BLOCK) scan_totals_kernel(uint64_t *tot, size_t ntiles, uint64_t *total) {
    __shared__ kiln_gl2 red[32];
    __shared__ kiln_gl2 carry;
    if (threadIdx.x == 0) carry = kiln_gl2_make(0, 0);
    __syncthreads();
    for (size_t b = 0; b < ntiles; b += blockDim.x) {
        size_t i = b + threadIdx.x;
        kiln_gl2 v = i < ntiles ? kiln_gl2_make(tot[2 * i], tot[2 * i + 1]) : kiln_gl2_make(0, 0);
        kiln_gl2 inc = block_scan(v, red);
        kiln_gl2 c = carry;
        if (i < ntiles) {
            kiln_gl2 ex = kiln_gl2_add(c, kiln_gl2_sub(inc, v));
            tot[2 * i] = ex.c0;
            tot[2 * i + 1] = ex.c1;
        }
        __syncthreads(); /* everyone has read carry */
        if (threadIdx.x == blockDim.x - 1) carry = kiln_gl2_add(c, inc);
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        total[0] = carry.c0;
        total[1] = carry.c1;
    }
}

__global__ void __launch_bounds__(SCAN_BLOCK) scan_tile_apply_kernel(uint64_t *a0, uint64_t *a1, size_t n,
                                                                     const uint64_t *off) {
    __shared__ kiln_gl2 red[32];
    size_t r0 = (size_t)blockIdx.x * SCAN_TILE + (size_t)threadIdx.x * SCAN_ITEMS;
    kiln_gl2 x[SCAN_ITEMS], s = kiln_gl2_make(0, 0);
#pragma unroll
    for (unsigned k = 0; k < SCAN_ITEMS; k++) {
        x[k] = r0 + k < n ? kiln_gl2_make(a0[r0 + k], a1[r0 + k]) : kiln_gl2_make(0, 0);
        s = kiln_gl2_add(s, x[k]);
    }
    kiln_gl2 inc = block_scan(s, red);
    kiln_gl2 run = kiln_gl2_add(kiln_gl2_make(off[2 * blockIdx.x], off[2 * blockIdx.x + 1]), kiln_gl2_sub(inc, s));
#pragma unroll
    for (unsigned k = 0; k < SCAN_ITEMS; k++) {
        run = kiln_gl2_add(run, x[k]);
        if (r0 + k < n) {
            a0[r0 + k] = run.c0;
            a1[r0 + k] = run.c1;
        }
    }
}

/* Copies a host array to fresh device memory at *dst (bytes may be 0: one word is allocated). */
kiln_status upload(kiln_cuda_ctx *ctx, const void *src, size_t bytes, void **dst, size_t *alloc_bytes) {
    *alloc_bytes = bytes ? bytes : 8;
    kiln_status st = kiln_cuda_alloc(ctx, *alloc_bytes, dst);
    if (st == KILN_OK && bytes) st = kiln_cuda_memcpy(ctx, *dst, src, bytes, KILN_CUDA_H2D);
    return st;
}

}  // namespace

extern "C" kiln_status kiln_cuda_logup_denominators(kiln_cuda_ctx *ctx, const kiln_logup_den_args *a,
                                                    const kiln_logup_prog *hp, uint64_t *den, uint64_t *mult,
                                                    size_t *nzero) {
    enum { CODE, CONSTS, PER, POFF, PLEN, TERMS, VALS, ZEROS, REGS, NB };
    void *d[NB];
    size_t nb[NB];
    memset(d, 0, sizeof d);
    memset(nb, 0, sizeof nb);
    size_t T = (size_t)ctx->props.multiProcessorCount * 8 * DEN_BLOCK;
    size_t want = (hp->n + DEN_BLOCK - 1) / DEN_BLOCK * DEN_BLOCK;
    if (T > want) T = want;
    /* Keep the register scratch at 256 MiB at most (2^25 words). */
    size_t cap = ((size_t)32 << 20) / (hp->ninstr ? hp->ninstr : 1) / DEN_BLOCK * DEN_BLOCK;
    if (cap < DEN_BLOCK) cap = DEN_BLOCK;
    if (T > cap) T = cap;
    unsigned long long zeros = 0;
    kiln_status st = upload(ctx, a->code, a->ninstr * sizeof(kiln_logup_instr), &d[CODE], &nb[CODE]);
    if (st == KILN_OK) st = upload(ctx, a->consts, a->nconsts * 8, &d[CONSTS], &nb[CONSTS]);
    if (st == KILN_OK) st = upload(ctx, a->periodic, a->periodic_words * 8, &d[PER], &nb[PER]);
    if (st == KILN_OK) st = upload(ctx, a->periodic_off, a->nperiodic * 4, &d[POFF], &nb[POFF]);
    if (st == KILN_OK) st = upload(ctx, a->periodic_len, a->nperiodic * 4, &d[PLEN], &nb[PLEN]);
    if (st == KILN_OK) st = upload(ctx, a->terms, a->nterms * sizeof(kiln_logup_term), &d[TERMS], &nb[TERMS]);
    if (st == KILN_OK) st = upload(ctx, a->vals, a->nvals * 4, &d[VALS], &nb[VALS]);
    if (st == KILN_OK) st = upload(ctx, &zeros, sizeof zeros, &d[ZEROS], &nb[ZEROS]);
    if (st == KILN_OK) {
        nb[REGS] = (hp->ninstr ? hp->ninstr : 1) * T * 8;
        st = kiln_cuda_alloc(ctx, nb[REGS], &d[REGS]);
    }
    if (st == KILN_OK) {
        kiln_logup_prog p = *hp;
        p.code = (const kiln_logup_instr *)d[CODE];
        p.consts = (const uint64_t *)d[CONSTS];
        p.periodic = (const uint64_t *)d[PER];
        p.periodic_off = (const uint32_t *)d[POFF];
        p.periodic_len = (const uint32_t *)d[PLEN];
        p.terms = (const kiln_logup_term *)d[TERMS];
        p.vals = (const uint32_t *)d[VALS];
        logup_den_kernel<<<(unsigned)(T / DEN_BLOCK), DEN_BLOCK, 0, ctx->stream>>>(
            p, (uint64_t *)d[REGS], den, mult, (unsigned long long *)d[ZEROS]);
        st = kiln_cuda_check_launch(ctx, "logup_den_kernel");
    }
    if (st == KILN_OK) st = kiln_cuda_memcpy(ctx, &zeros, d[ZEROS], sizeof zeros, KILN_CUDA_D2H);
    if (st == KILN_OK) *nzero = (size_t)zeros;
    /* The kernel has finished (the read-back synchronized) unless a launch failed; free in stream order. */
    for (int i = 0; i < NB; i++)
        if (d[i]) kiln_cuda_free(ctx, d[i], nb[i]);
    return st;
}

extern "C" kiln_status kiln_cuda_logup_sum(kiln_cuda_ctx *ctx, const uint64_t *inv, const uint64_t *mult, size_t n,
                                           const uint32_t *gfirst, const uint32_t *gcount, size_t ngroups,
                                           uint64_t *out, kiln_gl2 *total) {
    size_t ntiles = (n + SCAN_TILE - 1) / SCAN_TILE;
    void *dg = NULL, *dt = NULL;
    size_t gb = 2 * (ngroups ? ngroups : 1) * 4, tb = (2 * ntiles + 2) * 8;
    kiln_status st = kiln_cuda_alloc(ctx, gb, &dg);
    if (st == KILN_OK) {
        if (ngroups) st = kiln_cuda_memcpy(ctx, dg, gfirst, ngroups * 4, KILN_CUDA_H2D);
        if (st == KILN_OK && ngroups)
            st = kiln_cuda_memcpy(ctx, (uint32_t *)dg + ngroups, gcount, ngroups * 4, KILN_CUDA_H2D);
    }
    if (st == KILN_OK) st = kiln_cuda_alloc(ctx, tb, &dt);
    uint64_t *a0 = out + 2 * ngroups * n, *a1 = out + (2 * ngroups + 1) * n;
    uint64_t *tot = (uint64_t *)dt, *dtotal = tot ? tot + 2 * ntiles : NULL;
    if (st == KILN_OK) {
        size_t want = (n + SUM_BLOCK - 1) / SUM_BLOCK, capg = (size_t)ctx->props.multiProcessorCount * 16;
        unsigned grid = (unsigned)(want < capg ? want : capg);
        logup_groups_kernel<<<grid ? grid : 1, SUM_BLOCK, 0, ctx->stream>>>(
            inv, mult, n, (const uint32_t *)dg, (const uint32_t *)dg + ngroups, ngroups, out);
        st = kiln_cuda_check_launch(ctx, "logup_groups_kernel");
    }
    if (st == KILN_OK) {
        scan_tile_total_kernel<<<(unsigned)ntiles, SCAN_BLOCK, 0, ctx->stream>>>(a0, a1, n, tot);
        st = kiln_cuda_check_launch(ctx, "scan_tile_total_kernel");
    }
    if (st == KILN_OK) {
        scan_totals_kernel<<<1, SCAN_BLOCK, 0, ctx->stream>>>(tot, ntiles, dtotal);
        st = kiln_cuda_check_launch(ctx, "scan_totals_kernel");
    }
    if (st == KILN_OK) {
        scan_tile_apply_kernel<<<(unsigned)ntiles, SCAN_BLOCK, 0, ctx->stream>>>(a0, a1, n, tot);
        st = kiln_cuda_check_launch(ctx, "scan_tile_apply_kernel");
    }
    uint64_t tw[2] = {0, 0};
    if (st == KILN_OK) st = kiln_cuda_memcpy(ctx, tw, dtotal, 16, KILN_CUDA_D2H);
    if (st == KILN_OK) *total = kiln_gl2_make(tw[0], tw[1]);
    if (dg) kiln_cuda_free(ctx, dg, gb);
    if (dt) kiln_cuda_free(ctx, dt, tb);
    return st;
}
