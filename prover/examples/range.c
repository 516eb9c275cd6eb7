/* Counter x = lo + 2^k * hi with x(0) = 0, x' = x + 1, x(n-1) public; both limbs are range-checked by LogUp
 * lookups into a preprocessed table of 2^k values whose main column holds the multiplicities. */
#include <stdlib.h>

#include "examples.h"

static void fill_range(void *ctx, uint64_t *cols, size_t ncols, unsigned log_n) {
    (void)ctx;
    (void)ncols;
    for (size_t r = 0; r < ((size_t)1 << log_n); r++) cols[r] = r;
}

#define BUS_RANGE 1

kiln_status kiln_example_range(unsigned log_rows, unsigned limb_bits, int with_witness, kiln_example *ex) {
    kiln_status st = kiln_air_create(limb_bits == 16 ? "range" : "range8", 1, &ex->air);
    if (st != KILN_OK) return st;
    kiln_air_table *t, *rt;
    uint32_t lo, hi, mult;
    if ((st = kiln_air_add_table(ex->air, "counter", &t)) != KILN_OK || (st = kiln_air_add_main(t, "lo", &lo)) != KILN_OK ||
        (st = kiln_air_add_main(t, "hi", &hi)) != KILN_OK || (st = kiln_air_add_table(ex->air, "range", &rt)) != KILN_OK ||
        (st = kiln_air_add_main(rt, "mult", &mult)) != KILN_OK ||
        (st = kiln_air_set_preprocessed(rt, 1, limb_bits, fill_range, NULL)) != KILN_OK)
        return st;
    kiln_expr l = kiln_air_main_col(t, lo, 0), h = kiln_air_main_col(t, hi, 0);
    kiln_expr ln = kiln_air_main_col(t, lo, 1), hn = kiln_air_main_col(t, hi, 1);
    kiln_expr base = kiln_air_const(t, (uint64_t)1 << limb_bits);
    kiln_expr x = kiln_air_add(t, l, kiln_air_mul(t, base, h)), xn = kiln_air_add(t, ln, kiln_air_mul(t, base, hn));
    kiln_air_constrain(t, KILN_AIR_FIRST, x, "x0");
    kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, kiln_air_sub(t, xn, x), kiln_air_const(t, 1)), "x'=x+1");
    kiln_air_constrain(t, KILN_AIR_LAST, kiln_air_sub(t, x, kiln_air_public(t, 0)), "last");
    kiln_expr one = kiln_air_const(t, 1);
    kiln_air_interact(t, BUS_RANGE, one, &l, 1);
    kiln_air_interact(t, BUS_RANGE, one, &h, 1);
    kiln_expr v = kiln_air_pre_col(rt, 0, 0), m = kiln_air_main_col(rt, mult, 0);
    kiln_air_interact(rt, BUS_RANGE, kiln_air_neg(rt, m), &v, 1);
    if ((st = kiln_air_finalize(ex->air)) != KILN_OK) return st;
    ex->ntables = 2;
    ex->npub = 1;
    ex->log_n[0] = log_rows;
    ex->log_n[1] = limb_bits;
    if (!with_witness) return KILN_OK;
    size_t n = (size_t)1 << log_rows, R = (size_t)1 << limb_bits;
    if (log_rows > 2 * limb_bits) return KILN_ERR_INVALID_ARG;
    uint64_t *c = (uint64_t *)malloc(2 * n * 8), *mc = (uint64_t *)calloc(R, 8);
    if (!c || !mc) {
        free(c);
        free(mc);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    for (size_t r = 0; r < n; r++) {
        c[r] = r & (R - 1);
        c[n + r] = r >> limb_bits;
        mc[c[r]]++;
        mc[c[n + r]]++;
    }
    ex->cols[0] = c;
    ex->cols[1] = mc;
    ex->pub[0] = n - 1;
    return KILN_OK;
}
