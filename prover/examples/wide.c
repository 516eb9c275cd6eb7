/* Benchmark AIR: ncols columns in groups of four (a, b, c, d) with degree-3 transitions
 * a' = a*b*c + d, b' = a + c, c' = b*d + 1, d' = a*b*d + c, every group's a looked up on one LogUp bus against
 * the table's own last column's multiplicity-free self-send (send a, receive a), so the bus balances. */
#include <stdlib.h>

#include "examples.h"

#define BUS_WIDE 3

kiln_status kiln_example_wide(unsigned log_rows, size_t ncols, int with_witness, kiln_example *ex) {
    if (ncols < 4 || ncols > 4096) return KILN_ERR_INVALID_ARG;
    size_t g = ncols / 4;
    kiln_status st = kiln_air_create("wide", 0, &ex->air);
    if (st != KILN_OK) return st;
    kiln_air_table *t;
    if ((st = kiln_air_add_table(ex->air, "wide", &t)) != KILN_OK) return st;
    for (size_t i = 0; i < ncols; i++) {
        char nm[16];
        nm[0] = 'c';
        size_t v = i, k = 1;
        char dig[12];
        int nd = 0;
        do {
            dig[nd++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        while (nd) nm[k++] = dig[--nd];
        nm[k] = 0;
        if ((st = kiln_air_add_main(t, nm, NULL)) != KILN_OK) return st;
    }
    for (size_t j = 0; j < g; j++) {
        uint32_t o = (uint32_t)(4 * j);
        kiln_expr a = kiln_air_main_col(t, o, 0), b = kiln_air_main_col(t, o + 1, 0), c = kiln_air_main_col(t, o + 2, 0),
                  d = kiln_air_main_col(t, o + 3, 0);
        kiln_expr an = kiln_air_main_col(t, o, 1), bn = kiln_air_main_col(t, o + 1, 1), cn = kiln_air_main_col(t, o + 2, 1),
                  dn = kiln_air_main_col(t, o + 3, 1);
        kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, an, kiln_air_add(t, kiln_air_mul(t, kiln_air_mul(t, a, b), c), d)), "a");
        kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, bn, kiln_air_add(t, a, c)), "b");
        kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, cn, kiln_air_add(t, kiln_air_mul(t, b, d), kiln_air_const(t, 1))), "c");
        kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, dn, kiln_air_add(t, kiln_air_mul(t, kiln_air_mul(t, a, b), d), c)), "d");
    }
    /* One bus: send (c0, c1) and receive it back in the same row, a balanced permutation of width 2. */
    kiln_expr tup[2] = {kiln_air_main_col(t, 0, 0), kiln_air_main_col(t, 1, 0)};
    kiln_air_interact(t, BUS_WIDE, kiln_air_const(t, 1), tup, 2);
    kiln_air_interact(t, BUS_WIDE, kiln_air_const(t, KILN_GL_P - 1), tup, 2);
    if ((st = kiln_air_finalize(ex->air)) != KILN_OK) return st;
    ex->ntables = 1;
    ex->log_n[0] = log_rows;
    if (!with_witness) return KILN_OK;
    size_t n = (size_t)1 << log_rows;
    uint64_t *cc = (uint64_t *)malloc(ncols * n * 8);
    if (!cc) return KILN_ERR_OUT_OF_MEMORY;
    for (size_t i = 0; i < ncols; i++) cc[i * n] = (i * 0x1234567ULL + 5) % KILN_GL_P;
    for (size_t r = 1; r < n; r++)
        for (size_t j = 0; j < ncols; j++) {
            size_t q = j / 4 * 4;
            if (q + 4 > 4 * g) {
                cc[j * n + r] = kiln_gl_add(cc[j * n + r - 1], 1);
                continue;
            }
            uint64_t a = cc[q * n + r - 1], b = cc[(q + 1) * n + r - 1], c = cc[(q + 2) * n + r - 1], d = cc[(q + 3) * n + r - 1];
            uint64_t v;
            switch (j - q) {
            case 0: v = kiln_gl_add(kiln_gl_mul(kiln_gl_mul(a, b), c), d); break;
            case 1: v = kiln_gl_add(a, c); break;
            case 2: v = kiln_gl_add(kiln_gl_mul(b, d), 1); break;
            default: v = kiln_gl_add(kiln_gl_mul(kiln_gl_mul(a, b), d), c); break;
            }
            cc[j * n + r] = v;
        }
    ex->cols[0] = cc;
    return KILN_OK;
}
