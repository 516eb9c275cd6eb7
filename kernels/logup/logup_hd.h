/* One row of the LogUp denominator program (logup.h) as a KILN_HD function, for the CPU and CUDA device code.
 * Registers live at regs[i * rstride] so the GPU can keep them coalesced in global memory. */
#ifndef KILN_LOGUP_HD_H
#define KILN_LOGUP_HD_H

#include "../air/air_kernels.h"
#include "../common/hd.h"
#include "../field/goldilocks_ext2.h"
#include "logup.h"

/* Device-friendly copy of the program's tables (pointers to host or device memory). */
typedef struct kiln_logup_prog {
    const kiln_logup_instr *code;
    size_t ninstr;
    const uint64_t *consts, *periodic;
    const uint32_t *periodic_off, *periodic_len;
    const kiln_logup_term *terms;
    size_t nterms;
    const uint32_t *vals;
    kiln_raw_mat main, pre;
    size_t n;
    kiln_gl2 alpha, beta;
} kiln_logup_prog;

/* Evaluates row r into den (term j at 2*(j*n + r)) and mult (j*n + r); returns the number of zero
 * denominators of the row. */
KILN_HD unsigned kiln_logup_row(const kiln_logup_prog *p, size_t r, uint64_t *regs, size_t rstride, uint64_t *den,
                                uint64_t *mult) {
    for (size_t i = 0; i < p->ninstr; i++) {
        kiln_logup_instr in = p->code[i];
        uint64_t o = 0;
        switch (in.op) {
        case KILN_LOGUP_CONST: o = p->consts[in.a]; break;
        case KILN_LOGUP_MAIN: o = p->main.p[r * p->main.row_stride + in.a * p->main.col_stride]; break;
        case KILN_LOGUP_PRE: o = p->pre.p[r * p->pre.row_stride + in.a * p->pre.col_stride]; break;
        case KILN_LOGUP_PERIODIC: o = p->periodic[p->periodic_off[in.a] + r % p->periodic_len[in.a]]; break;
        case KILN_LOGUP_ADD: o = kiln_gl_add(regs[in.a * rstride], regs[in.b * rstride]); break;
        case KILN_LOGUP_SUB: o = kiln_gl_sub(regs[in.a * rstride], regs[in.b * rstride]); break;
        case KILN_LOGUP_MUL: o = kiln_gl_mul(regs[in.a * rstride], regs[in.b * rstride]); break;
        case KILN_LOGUP_NEG: o = kiln_gl_neg(regs[in.a * rstride]); break;
        default: break;
        }
        regs[i * rstride] = o;
    }
    unsigned zeros = 0;
    for (size_t j = 0; j < p->nterms; j++) {
        kiln_logup_term t = p->terms[j];
        kiln_gl2 fp = kiln_gl2_make(t.bus, 0), bp = p->beta;
        for (uint32_t k = 0; k < t.nvals; k++) {
            fp = kiln_gl2_add(fp, kiln_gl2_mul_base(bp, regs[(size_t)p->vals[t.val_first + k] * rstride]));
            bp = kiln_gl2_mul(bp, p->beta);
        }
        kiln_gl2 d = kiln_gl2_sub(p->alpha, fp);
        size_t at = j * p->n + r;
        den[2 * at] = d.c0;
        den[2 * at + 1] = d.c1;
        mult[at] = regs[(size_t)t.mult * rstride];
        zeros += kiln_gl2_is_zero(d);
    }
    return zeros;
}

/* h_g(r) for every group into out (column 2g: c0, 2g+1: c1; n rows each) and their row sum into columns
 * 2*ngroups, 2*ngroups + 1 (the scan then turns it into the running sum). */
KILN_HD void kiln_logup_row_groups(const uint64_t *inv, const uint64_t *mult, size_t n, const uint32_t *gfirst,
                                   const uint32_t *gcount, size_t ngroups, size_t r, uint64_t *out) {
    kiln_gl2 rowsum = kiln_gl2_make(0, 0);
    for (size_t g = 0; g < ngroups; g++) {
        kiln_gl2 hv = kiln_gl2_make(0, 0);
        for (size_t j = gfirst[g]; j < (size_t)gfirst[g] + gcount[g]; j++) {
            size_t at = j * n + r;
            hv = kiln_gl2_add(hv, kiln_gl2_mul_base(kiln_gl2_make(inv[2 * at], inv[2 * at + 1]), mult[at]));
        }
        out[(2 * g) * n + r] = hv.c0;
        out[(2 * g + 1) * n + r] = hv.c1;
        rowsum = kiln_gl2_add(rowsum, hv);
    }
    out[(2 * ngroups) * n + r] = rowsum.c0;
    out[(2 * ngroups + 1) * n + r] = rowsum.c1;
}

#endif
