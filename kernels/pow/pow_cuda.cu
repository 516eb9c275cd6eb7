/* Proof-of-work grinding on the GPU (mirrors pow_cpu.c): batches of KILN_POW_BATCH nonces in order; each
 * thread checks nonces strided by the grid width and records a valid one with atomicMin, so the batch yields
 * its smallest valid nonce; the host reads it back after each batch and stops at the first batch with one. */
#include "../backend/cuda_ctx.cuh"
#include "pow_hd.h"

namespace {

const unsigned POW_BLOCK = 128;

/* MODE 0: Poseidon2; 1, 2: Keccak with the nonce in one block or reaching into a second (a constant, so the
 * state stays in registers). */
template <int MODE>
__global__ void __launch_bounds__(POW_BLOCK) pow_batch_kernel(kiln_pow_seed seed, unsigned bits, uint64_t base,
                                                              uint64_t len, unsigned long long *found) {
    uint64_t T = (uint64_t)gridDim.x * blockDim.x, st[25];
#pragma unroll
    for (int k = 0; k < 25; k++) st[k] = seed.state[k];
    for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < len; i += T) {
        uint64_t nonce = base + i;
        if ((unsigned long long)nonce >= *(volatile unsigned long long *)found || nonce >= KILN_GL_P) return;
        uint64_t v = MODE == 0 ? kiln_pow_value_p2(st, seed.pos, nonce)
                               : kiln_pow_value_keccak_n(st, seed.pos, nonce, (unsigned)MODE);
        if (kiln_pow_low_zero(v, bits)) {
            atomicMin(found, (unsigned long long)nonce);
            return;
        }
    }
}

}  // namespace

extern "C" kiln_status kiln_cuda_pow_grind(kiln_cuda_ctx *ctx, const kiln_pow_seed *seed, unsigned bits,
                                           uint64_t *nonce) {
    void *dev = NULL;
    kiln_status st = kiln_cuda_alloc(ctx, sizeof(unsigned long long), &dev);
    if (st != KILN_OK) return st;
    unsigned long long *found = (unsigned long long *)dev;
    const unsigned long long none = ~0ULL;
    unsigned grid = (unsigned)ctx->props.multiProcessorCount * 16;
    int mode = seed->hasher == KILN_HASHER_KECCAK ? (int)kiln_pow_keccak_blocks(seed->pos) : 0;
    if ((uint64_t)grid * POW_BLOCK > KILN_POW_BATCH) grid = (unsigned)(KILN_POW_BATCH / POW_BLOCK);
    st = kiln_cuda_memcpy(ctx, found, &none, sizeof none, KILN_CUDA_H2D);
    st = st != KILN_OK ? st : KILN_ERR_LIMIT;
    for (uint64_t base = 0; st == KILN_ERR_LIMIT && base < KILN_GL_P; base += KILN_POW_BATCH) {
        uint64_t len = KILN_GL_P - base < KILN_POW_BATCH ? KILN_GL_P - base : KILN_POW_BATCH;
        if (mode == 0) pow_batch_kernel<0><<<grid, POW_BLOCK, 0, ctx->stream>>>(*seed, bits, base, len, found);
        else if (mode == 1) pow_batch_kernel<1><<<grid, POW_BLOCK, 0, ctx->stream>>>(*seed, bits, base, len, found);
        else pow_batch_kernel<2><<<grid, POW_BLOCK, 0, ctx->stream>>>(*seed, bits, base, len, found);
        kiln_status ls = kiln_cuda_check_launch(ctx, "pow_batch_kernel");
        unsigned long long got = none;
        if (ls == KILN_OK) ls = kiln_cuda_memcpy(ctx, &got, found, sizeof got, KILN_CUDA_D2H);
        if (ls != KILN_OK) st = ls;
        else if (got != none) {
            *nonce = (uint64_t)got;
            st = KILN_OK;
        }
    }
    kiln_cuda_free(ctx, dev, sizeof(unsigned long long));
    return st;
}
