/* CUDA DEEP quotient accumulation: one thread per LDE row; coefficients and matrix descriptors are copied to
 * the device once per call. */
#include "../backend/cuda_ctx.cuh"
#include "air_kernels.h"

__global__ void kiln_deep_kernel(const kiln_raw_mat *mats, size_t nmats, const kiln_gl2 *cz, const kiln_gl2 *czg,
                                 kiln_gl2 z, kiln_gl2 zg, kiln_gl2 sum_z, kiln_gl2 sum_zg, unsigned log_m,
                                 uint64_t shift, const uint64_t *lo, const uint64_t *hi, int accumulate,
                                 uint64_t *out) {
    size_t M = (size_t)1 << log_m;
    unsigned h = (log_m + 1) / 2;
    size_t mask = ((size_t)1 << h) - 1;
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < M; i += (size_t)gridDim.x * blockDim.x) {
        kiln_gl2 s1 = kiln_gl2_neg(sum_z), s2 = kiln_gl2_neg(sum_zg);
        size_t ci = 0;
        for (size_t k = 0; k < nmats; k++) {
            kiln_raw_mat m = mats[k];
            const uint64_t *p = m.p + i * m.row_stride;
            for (size_t c = 0; c < m.ncols; c++, ci++) {
                uint64_t v = p[c * m.col_stride];
                s1 = kiln_gl2_add(s1, kiln_gl2_mul_base(cz[ci], v));
                s2 = kiln_gl2_add(s2, kiln_gl2_mul_base(czg[ci], v));
            }
        }
        uint64_t e = kiln_bitrev(i, log_m);
        uint64_t x = kiln_gl_mul(shift, kiln_gl_mul(hi[e >> h], lo[e & mask]));
        kiln_gl2 d1 = kiln_gl2_inv(kiln_gl2_sub(kiln_gl2_from_base(x), z));
        kiln_gl2 d2 = kiln_gl2_inv(kiln_gl2_sub(kiln_gl2_from_base(x), zg));
        kiln_gl2 v = kiln_gl2_add(kiln_gl2_mul(s1, d1), kiln_gl2_mul(s2, d2));
        if (accumulate) v = kiln_gl2_add(v, kiln_gl2_make(out[2 * i], out[2 * i + 1]));
        out[2 * i] = v.c0;
        out[2 * i + 1] = v.c1;
    }
}

extern "C" kiln_status kiln_cuda_deep_accumulate(kiln_cuda_ctx *ctx, const kiln_deep_args *a, const kiln_raw_mat *mats,
                                                 uint64_t *out) {
    size_t ncols = 0;
    for (size_t k = 0; k < a->nmats; k++) ncols += mats[k].ncols;
    unsigned h = (a->log_m + 1) / 2;
    size_t nlo = (size_t)1 << h, nhi = (size_t)1 << (a->log_m - h);
    size_t bytes = a->nmats * sizeof(kiln_raw_mat) + 2 * ncols * sizeof(kiln_gl2) + (nlo + nhi) * 8;
    char *host = (char *)malloc(bytes ? bytes : 1);
    if (!host) return KILN_ERR_OUT_OF_MEMORY;
    size_t o_mats = 0, o_cz = a->nmats * sizeof(kiln_raw_mat), o_czg = o_cz + ncols * sizeof(kiln_gl2),
           o_lo = o_czg + ncols * sizeof(kiln_gl2), o_hi = o_lo + nlo * 8;
    memcpy(host + o_mats, mats, a->nmats * sizeof(kiln_raw_mat));
    if (ncols) {
        memcpy(host + o_cz, a->coef_z, ncols * sizeof(kiln_gl2));
        memcpy(host + o_czg, a->coef_zg, ncols * sizeof(kiln_gl2));
    }
    kiln_pow_tables(a->log_m, (uint64_t *)(host + o_lo), (uint64_t *)(host + o_hi));
    void *dev = NULL;
    kiln_status st = kiln_cuda_alloc(ctx, bytes, &dev);
    if (st == KILN_OK) st = kiln_cuda_memcpy(ctx, dev, host, bytes, KILN_CUDA_H2D);
    free(host);
    if (st != KILN_OK) {
        kiln_cuda_free(ctx, dev, bytes);
        return st;
    }
    char *d = (char *)dev;
    size_t M = (size_t)1 << a->log_m;
    unsigned threads = 256, blocks = (unsigned)((M + threads - 1) / threads);
    if (blocks > 65535u * 16) blocks = 65535u * 16;
    kiln_deep_kernel<<<blocks, threads, 0, ctx->stream>>>(
        (const kiln_raw_mat *)(d + o_mats), a->nmats, (const kiln_gl2 *)(d + o_cz), (const kiln_gl2 *)(d + o_czg), a->z,
        a->zg, a->sum_z, a->sum_zg, a->log_m, a->shift, (const uint64_t *)(d + o_lo), (const uint64_t *)(d + o_hi),
        a->accumulate, out);
    st = kiln_cuda_check_launch(ctx, "deep_accumulate");
    kiln_cuda_free(ctx, dev, bytes);
    return st;
}
