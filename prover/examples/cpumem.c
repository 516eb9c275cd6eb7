/* A "cpu" table (pc, sel, addr, val) whose selected rows read (addr, val) pairs, and a "memory" table of half
 * the height holding each (addr, val) once, addresses consecutive from a public base. The pairs are joined by
 * a LogUp permutation bus: every memory row is read exactly once. */
#include <stdlib.h>

#include "examples.h"

#define BUS_MEM 2

kiln_status kiln_example_cpumem(unsigned log_rows, int with_witness, kiln_example *ex) {
    if (log_rows < KILN_PROOF_MIN_LOG_ROWS + 1) return KILN_ERR_INVALID_ARG;
    kiln_status st = kiln_air_create("cpumem", 1, &ex->air);
    if (st != KILN_OK) return st;
    kiln_air_table *c, *m;
    uint32_t pc, sel, addr, val, maddr, mval;
    if ((st = kiln_air_add_table(ex->air, "cpu", &c)) != KILN_OK || (st = kiln_air_add_main(c, "pc", &pc)) != KILN_OK ||
        (st = kiln_air_add_main(c, "sel", &sel)) != KILN_OK || (st = kiln_air_add_main(c, "addr", &addr)) != KILN_OK ||
        (st = kiln_air_add_main(c, "val", &val)) != KILN_OK || (st = kiln_air_add_table(ex->air, "memory", &m)) != KILN_OK ||
        (st = kiln_air_add_main(m, "addr", &maddr)) != KILN_OK || (st = kiln_air_add_main(m, "val", &mval)) != KILN_OK)
        return st;
    kiln_expr p = kiln_air_main_col(c, pc, 0), pn = kiln_air_main_col(c, pc, 1), s = kiln_air_main_col(c, sel, 0);
    kiln_air_constrain(c, KILN_AIR_FIRST, p, "pc0");
    kiln_air_constrain(c, KILN_AIR_TRANSITION, kiln_air_sub(c, kiln_air_sub(c, pn, p), kiln_air_const(c, 1)), "pc'=pc+1");
    kiln_air_constrain(c, KILN_AIR_EVERY, kiln_air_mul(c, s, kiln_air_sub(c, s, kiln_air_const(c, 1))), "sel bool");
    kiln_expr tup[2] = {kiln_air_main_col(c, addr, 0), kiln_air_main_col(c, val, 0)};
    kiln_air_interact(c, BUS_MEM, s, tup, 2);
    kiln_expr ma = kiln_air_main_col(m, maddr, 0), man = kiln_air_main_col(m, maddr, 1);
    kiln_air_constrain(m, KILN_AIR_FIRST, kiln_air_sub(m, ma, kiln_air_public(m, 0)), "base");
    kiln_air_constrain(m, KILN_AIR_TRANSITION, kiln_air_sub(m, kiln_air_sub(m, man, ma), kiln_air_const(m, 1)), "addr'=addr+1");
    kiln_expr mt[2] = {ma, kiln_air_main_col(m, mval, 0)};
    kiln_air_interact(m, BUS_MEM, kiln_air_const(m, KILN_GL_P - 1), mt, 2);
    if ((st = kiln_air_finalize(ex->air)) != KILN_OK) return st;
    ex->ntables = 2;
    ex->npub = 1;
    ex->log_n[0] = log_rows;
    ex->log_n[1] = log_rows - 1;
    if (!with_witness) return KILN_OK;
    size_t n = (size_t)1 << log_rows, h = n / 2;
    uint64_t *cc = (uint64_t *)calloc(4 * n, 8), *mm = (uint64_t *)calloc(2 * h, 8);
    if (!cc || !mm) {
        free(cc);
        free(mm);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    uint64_t base = 1000;
    for (size_t r = 0; r < h; r++) {
        mm[r] = base + r;
        mm[h + r] = kiln_gl_mul(r + 11, 0x9E3779B97F4A7C15ULL % KILN_GL_P);
    }
    /* Odd cpu rows read memory in a scrambled order (r -> r * 5 + 3 mod h is a permutation). */
    for (size_t r = 0; r < n; r++) {
        cc[r] = r;
        if (r & 1) {
            size_t k = ((r / 2) * 5 + 3) & (h - 1);
            cc[n + r] = 1;
            cc[2 * n + r] = mm[k];
            cc[3 * n + r] = mm[h + k];
        } else {
            cc[2 * n + r] = 7;
            cc[3 * n + r] = 9;
        }
    }
    ex->cols[0] = cc;
    ex->cols[1] = mm;
    ex->pub[0] = base;
    return KILN_OK;
}
