/* The image table of the zkVM AIR (docs/zkvm-air.md): one preprocessed row per word of the program's memory
 * image (addr, init_lo, init_hi, w, live) with the final (ts, lo, hi) as main columns. On the memory bus each
 * live row sends the initial word at ts 0 and receives the final one, both tagged with the word's w (1:
 * writable, 0: read-only), like the regs table does for registers. */
#include <string.h>

#include "zkvm_internal.h"

static void fill_image(void *ctx, uint64_t *cols, size_t ncols, unsigned log_n) {
    const kiln_zkvm_program *p = (const kiln_zkvm_program *)ctx;
    size_t n = (size_t)1 << log_n;
    memset(cols, 0, ncols * n * 8);
    for (size_t r = 0; r < p->nimage && r < n; r++) {
        cols[ZI_ADDR * n + r] = p->image[r].addr;
        cols[ZI_INIT_LO * n + r] = p->image[r].val & 0xffff;
        cols[ZI_INIT_HI * n + r] = p->image[r].val >> 16;
        cols[ZI_W * n + r] = p->image[r].w;
        cols[ZI_LIVE * n + r] = 1; /* padding rows carry no bus traffic */
    }
}

kiln_status zk_air_image(kiln_air *air, const kiln_zkvm_program *p) {
    static const char *const names[IM_NCOLS] = {"fin_ts", "fin_lo", "fin_hi", "init_lo", "init_hi"};
    kiln_air_table *t;
    uint32_t idx;
    kiln_status st = kiln_air_add_table(air, "image", &t);
    for (int i = 0; i < IM_NCOLS && st == KILN_OK; i++)
        st = kiln_air_add_main(t, names[i], &idx);
    if (st == KILN_OK) st = kiln_air_set_preprocessed(t, ZI_NPRE, p->image_log, fill_image, (void *)p);
    if (st != KILN_OK) return st;
    kiln_expr a = kiln_air_pre_col(t, ZI_ADDR, 0), w = kiln_air_pre_col(t, ZI_W, 0);
    kiln_expr live = kiln_air_pre_col(t, ZI_LIVE, 0);
    /* The segment's initial value is a main column: the image's when first, else the previous segment's
     * final value (global bus). */
    kiln_expr first = kiln_air_public(t, KILN_ZKVM_PUB_FIRST);
    kiln_expr ilo = kiln_air_main_col(t, IM_ILO, 0), ihi = kiln_air_main_col(t, IM_IHI, 0);
    kiln_air_constrain(t, KILN_AIR_EVERY,
                       kiln_air_mul(t, first, kiln_air_sub(t, ilo, kiln_air_pre_col(t, ZI_INIT_LO, 0))),
                       "image entry lo");
    kiln_air_constrain(t, KILN_AIR_EVERY,
                       kiln_air_mul(t, first, kiln_air_sub(t, ihi, kiln_air_pre_col(t, ZI_INIT_HI, 0))),
                       "image entry hi");
    kiln_expr iv[5] = {a, kiln_air_const(t, 0), ilo, ihi, w};
    kiln_expr fv[5] = {a, kiln_air_main_col(t, IM_FTS, 0), kiln_air_main_col(t, IM_FLO, 0),
                       kiln_air_main_col(t, IM_FHI, 0), w};
    kiln_air_interact(t, ZK_BUS_MEM, live, iv, 5);
    kiln_air_interact(t, ZK_BUS_MEM, kiln_air_neg(t, live), fv, 5);
    zk_air_chain(t, live, a, ilo, ihi, fv[2], fv[3], w);
    return KILN_OK;
}
