/* CUDA bytecode constraint evaluator: one thread per LDE row (grid-stride); the program, constants and
 * periodic tables live in device memory and every thread runs the same instruction stream, so there is no
 * divergence. Registers live in a global scratch area laid out register-major for coalesced access. */
#include "../backend/cuda_ctx.cuh"
#include "air_kernels.h"

__global__ void kiln_expr_kernel(const kiln_expr_instr *code, size_t ninstr, const kiln_gl2 *consts,
                                 const uint64_t *periodic, const uint32_t *per_off, const uint32_t *per_log,
                                 kiln_raw_mat m0, kiln_raw_mat m1, kiln_raw_mat m2, unsigned log_n, unsigned log_b,
                                 uint64_t shift, const uint64_t *lo, const uint64_t *hi, const uint64_t *zinv,
                                 uint64_t glast, kiln_gl2 *regs, uint64_t *out) {
    unsigned log_m = log_n + log_b;
    size_t M = (size_t)1 << log_m, B = (size_t)1 << log_b, T = (size_t)gridDim.x * blockDim.x;
    size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    unsigned h = (log_m + 1) / 2;
    size_t mask = ((size_t)1 << h) - 1;
    for (size_t i = tid; i < M; i += T) {
        uint64_t e = kiln_bitrev(i, log_m);
        size_t nx = (size_t)kiln_bitrev((e + B) & (M - 1), log_m);
        uint64_t x = kiln_gl_mul(shift, kiln_gl_mul(hi[e >> h], lo[e & mask]));
        kiln_gl2 acc[4];
        for (int k = 0; k < 4; k++) acc[k] = kiln_gl2_make(0, 0);
        for (size_t k = 0; k < ninstr; k++) {
            kiln_expr_instr in = code[k];
            kiln_gl2 *d = regs + (size_t)in.dst * T + tid;
            kiln_gl2 xa = kiln_gl2_make(0, 0), yb = kiln_gl2_make(0, 0);
            if (in.op >= KILN_OP_ADD_B) {
                xa = regs[(size_t)in.a * T + tid];
                if (in.op != KILN_OP_NEG_B && in.op != KILN_OP_NEG_E && in.op != KILN_OP_ACC)
                    yb = regs[(size_t)in.b * T + tid];
            }
            switch (in.op) {
            case KILN_OP_LD_MAIN: *d = kiln_gl2_make(m0.p[(in.b ? nx : i) * m0.row_stride + in.a * m0.col_stride], 0); break;
            case KILN_OP_LD_PRE: *d = kiln_gl2_make(m2.p[(in.b ? nx : i) * m2.row_stride + in.a * m2.col_stride], 0); break;
            case KILN_OP_LD_AUX: {
                size_t j = (in.b ? nx : i) * m1.row_stride + (size_t)(2 * in.a) * m1.col_stride;
                *d = kiln_gl2_make(m1.p[j], m1.p[j + m1.col_stride]);
                break;
            }
            case KILN_OP_LD_PER:
                *d = kiln_gl2_make(periodic[per_off[in.a] + (e & (((uint64_t)1 << per_log[in.a]) - 1))], 0);
                break;
            case KILN_OP_LD_CONST: *d = consts[in.a]; break;
            case KILN_OP_ADD_B: *d = kiln_gl2_make(kiln_gl_add(xa.c0, yb.c0), 0); break;
            case KILN_OP_SUB_B: *d = kiln_gl2_make(kiln_gl_sub(xa.c0, yb.c0), 0); break;
            case KILN_OP_MUL_B: *d = kiln_gl2_make(kiln_gl_mul(xa.c0, yb.c0), 0); break;
            case KILN_OP_NEG_B: *d = kiln_gl2_make(kiln_gl_neg(xa.c0), 0); break;
            case KILN_OP_ADD_E: *d = kiln_gl2_add(xa, yb); break;
            case KILN_OP_SUB_E: *d = kiln_gl2_sub(xa, yb); break;
            case KILN_OP_MUL_E: *d = kiln_gl2_mul(xa, yb); break;
            case KILN_OP_MUL_EB: *d = kiln_gl2_mul_base(xa, yb.c0); break;
            case KILN_OP_NEG_E: *d = kiln_gl2_neg(xa); break;
            case KILN_OP_ACC: acc[in.dst] = kiln_gl2_add(acc[in.dst], kiln_gl2_mul(consts[in.b], xa)); break;
            default: break;
            }
        }
        uint64_t zi = zinv[e & (B - 1)];
        kiln_gl2 q = kiln_gl2_mul_base(acc[0], kiln_gl_mul(kiln_gl_sub(x, glast), zi));
        q = kiln_gl2_add(q, kiln_gl2_mul_base(acc[3], zi));
        if (!kiln_gl2_is_zero(acc[1])) q = kiln_gl2_add(q, kiln_gl2_mul_base(acc[1], kiln_gl_inv(kiln_gl_sub(x, 1))));
        if (!kiln_gl2_is_zero(acc[2])) q = kiln_gl2_add(q, kiln_gl2_mul_base(acc[2], kiln_gl_inv(kiln_gl_sub(x, glast))));
        out[i] = q.c0;
        out[M + i] = q.c1;
    }
}

extern "C" kiln_status kiln_cuda_expr_quotient(kiln_cuda_ctx *ctx, const kiln_expr_quotient_args *a,
                                                const kiln_raw_mat *mats, uint64_t *out) {
    unsigned log_m = a->log_n + a->log_blowup;
    size_t M = (size_t)1 << log_m, B = (size_t)1 << a->log_blowup, n = (size_t)1 << a->log_n;
    unsigned h = (log_m + 1) / 2;
    size_t nlo = (size_t)1 << h, nhi = (size_t)1 << (log_m - h);
    size_t o_code = 0, o_consts = o_code + a->ninstr * sizeof(kiln_expr_instr);
    o_consts = (o_consts + 15) & ~(size_t)15;
    size_t o_per = o_consts + a->nconsts * sizeof(kiln_gl2), o_off = o_per + a->periodic_words * 8,
           o_log = o_off + a->nperiodic * 4, o_lo = (o_log + a->nperiodic * 4 + 15) & ~(size_t)15, o_hi = o_lo + nlo * 8,
           o_z = o_hi + nhi * 8, bytes = o_z + B * 8;
    char *host = (char *)malloc(bytes);
    if (!host) return KILN_ERR_OUT_OF_MEMORY;
    memcpy(host + o_code, a->code, a->ninstr * sizeof(kiln_expr_instr));
    if (a->nconsts) memcpy(host + o_consts, a->consts, a->nconsts * sizeof(kiln_gl2));
    if (a->periodic_words) memcpy(host + o_per, a->periodic, a->periodic_words * 8);
    if (a->nperiodic) {
        memcpy(host + o_off, a->periodic_off, a->nperiodic * 4);
        memcpy(host + o_log, a->periodic_log, a->nperiodic * 4);
    }
    kiln_pow_tables(log_m, (uint64_t *)(host + o_lo), (uint64_t *)(host + o_hi));
    uint64_t *zinv = (uint64_t *)(host + o_z), p = kiln_gl_pow(a->shift, n), wb = kiln_gl_root_of_unity(a->log_blowup);
    for (size_t k = 0; k < B; k++) {
        zinv[k] = kiln_gl_inv(kiln_gl_sub(p, 1));
        p = kiln_gl_mul(p, wb);
    }
    uint64_t glast = kiln_gl_pow(kiln_gl_root_of_unity(a->log_n), n - 1);
    /* Enough threads to fill the GPU, bounded so the register scratch stays near 256 MiB. */
    size_t T = ((size_t)256 << 20) / sizeof(kiln_gl2) / (size_t)a->nregs;
    if (T > M) T = M;
    if (T > (1u << 18)) T = 1u << 18;
    T = T < 256 ? 256 : (T & ~(size_t)255);
    size_t scratch = T * a->nregs * sizeof(kiln_gl2);
    void *dev = NULL, *regs = NULL;
    kiln_status st = kiln_cuda_alloc(ctx, bytes, &dev);
    if (st == KILN_OK) st = kiln_cuda_alloc(ctx, scratch, &regs);
    if (st == KILN_OK) st = kiln_cuda_memcpy(ctx, dev, host, bytes, KILN_CUDA_H2D);
    free(host);
    if (st == KILN_OK) {
        char *d = (char *)dev;
        kiln_expr_kernel<<<(unsigned)(T / 256), 256, 0, ctx->stream>>>(
            (const kiln_expr_instr *)(d + o_code), a->ninstr, (const kiln_gl2 *)(d + o_consts), (const uint64_t *)(d + o_per),
            (const uint32_t *)(d + o_off), (const uint32_t *)(d + o_log), mats[0], mats[1], mats[2], a->log_n,
            a->log_blowup, a->shift, (const uint64_t *)(d + o_lo), (const uint64_t *)(d + o_hi),
            (const uint64_t *)(d + o_z), glast, (kiln_gl2 *)regs, out);
        st = kiln_cuda_check_launch(ctx, "expr_quotient");
    }
    kiln_cuda_free(ctx, regs, scratch);
    kiln_cuda_free(ctx, dev, bytes);
    return st;
}
