/* Fibonacci: columns a, b; a' = b, b' = a + b; a(0), b(0) and b(n-1) are public. */
#include <stdlib.h>

#include "examples.h"

kiln_status kiln_example_fib(unsigned log_rows, int with_witness, kiln_example *ex) {
    kiln_status st = kiln_air_create("fib", 3, &ex->air);
    if (st != KILN_OK) return st;
    kiln_air_table *t;
    uint32_t a, b;
    if ((st = kiln_air_add_table(ex->air, "fib", &t)) != KILN_OK || (st = kiln_air_add_main(t, "a", &a)) != KILN_OK ||
        (st = kiln_air_add_main(t, "b", &b)) != KILN_OK)
        return st;
    kiln_expr ac = kiln_air_main_col(t, a, 0), bc = kiln_air_main_col(t, b, 0);
    kiln_expr an = kiln_air_main_col(t, a, 1), bn = kiln_air_main_col(t, b, 1);
    kiln_air_constrain(t, KILN_AIR_FIRST, kiln_air_sub(t, ac, kiln_air_public(t, 0)), "a0");
    kiln_air_constrain(t, KILN_AIR_FIRST, kiln_air_sub(t, bc, kiln_air_public(t, 1)), "b0");
    kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, an, bc), "a'=b");
    kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, bn, kiln_air_add(t, ac, bc)), "b'=a+b");
    kiln_air_constrain(t, KILN_AIR_LAST, kiln_air_sub(t, bc, kiln_air_public(t, 2)), "result");
    if ((st = kiln_air_finalize(ex->air)) != KILN_OK) return st;
    ex->ntables = 1;
    ex->npub = 3;
    ex->log_n[0] = log_rows;
    if (!with_witness) return KILN_OK;
    size_t n = (size_t)1 << log_rows;
    uint64_t *c = (uint64_t *)malloc(2 * n * 8);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    c[0] = 1;
    c[n] = 2;
    for (size_t r = 1; r < n; r++) {
        c[r] = c[n + r - 1];
        c[n + r] = kiln_gl_add(c[r - 1], c[n + r - 1]);
    }
    ex->cols[0] = c;
    ex->pub[0] = 1;
    ex->pub[1] = 2;
    ex->pub[2] = c[2 * n - 1];
    return KILN_OK;
}
