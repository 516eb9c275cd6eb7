/* Shared Poseidon2 round constraints (p2_air.h): written once, used by every Poseidon2 AIR. */
#include "p2_air.h"

#include <string.h>

#include "field/goldilocks.h"

#define W KILN_P2_AIR_W
static const int SHIFT_I[W] = {4, 14, 11, 8, 0, 5, 2, 9, 13, 6, 3, 12};
static const uint64_t M4[4][4] = {{5, 7, 1, 3}, {4, 6, 1, 1}, {1, 3, 5, 7}, {1, 1, 4, 6}};

void kiln_p2_ext(const uint64_t *x, uint64_t *y) {
    uint64_t g[3][4];
    for (int b = 0; b < 3; b++)
        for (int i = 0; i < 4; i++) {
            uint64_t s = 0;
            for (int j = 0; j < 4; j++)
                s = kiln_gl_add(s, kiln_gl_mul(M4[i][j], x[4 * b + j]));
            g[b][i] = s;
        }
    for (int b = 0; b < 3; b++)
        for (int i = 0; i < 4; i++)
            y[4 * b + i] = kiln_gl_add(g[b][i], kiln_gl_add(g[0][i], kiln_gl_add(g[1][i], g[2][i])));
}

void kiln_p2_int(uint64_t *x) {
    uint64_t s = 0, y[W];
    for (int i = 0; i < W; i++)
        s = kiln_gl_add(s, x[i]);
    for (int i = 0; i < W; i++)
        y[i] = kiln_gl_add(s, kiln_gl_mul((uint64_t)1 << SHIFT_I[i], x[i]));
    memcpy(x, y, sizeof y);
}

void kiln_p2_air_ext(kiln_air_table *t, const kiln_expr *x, kiln_expr *y) {
    kiln_expr g[3][4];
    for (int b = 0; b < 3; b++)
        for (int i = 0; i < 4; i++) {
            kiln_expr s = KILN_EXPR_INVALID;
            for (int j = 0; j < 4; j++) {
                kiln_expr term =
                    M4[i][j] == 1 ? x[4 * b + j] : kiln_air_mul(t, kiln_air_const(t, M4[i][j]), x[4 * b + j]);
                s = s == KILN_EXPR_INVALID ? term : kiln_air_add(t, s, term);
            }
            g[b][i] = s;
        }
    for (int i = 0; i < 4; i++) {
        kiln_expr sum = kiln_air_add(t, g[0][i], kiln_air_add(t, g[1][i], g[2][i]));
        for (int b = 0; b < 3; b++)
            y[4 * b + i] = kiln_air_add(t, g[b][i], sum);
    }
}

void kiln_p2_air_int(kiln_air_table *t, kiln_expr *x) {
    kiln_expr s = x[0], y[W];
    for (int i = 1; i < W; i++)
        s = kiln_air_add(t, s, x[i]);
    for (int i = 0; i < W; i++)
        y[i] = kiln_air_add(
            t, s, SHIFT_I[i] ? kiln_air_mul(t, kiln_air_const(t, (uint64_t)1 << SHIFT_I[i]), x[i]) : x[i]);
    memcpy(x, y, sizeof y);
}

static void con(kiln_air_table *t, kiln_air_domain dom, kiln_expr gate, kiln_expr c, const char *name) {
    kiln_air_constrain(t, dom, gate == KILN_EXPR_INVALID ? c : kiln_air_mul(t, gate, c), name);
}

void kiln_p2_air_full_round(kiln_air_table *t, kiln_air_domain dom, kiln_expr gate, const kiln_expr *x,
                            const kiln_expr *rc, const kiln_expr *h3, const kiln_expr *h7, kiln_expr *out) {
    kiln_expr o[W];
    for (int i = 0; i < W; i++) {
        kiln_expr y = kiln_air_add(t, x[i], rc[i]);
        con(t, dom, gate, kiln_air_sub(t, h3[i], kiln_air_pow(t, y, 3)), "p2 full y^3");
        o[i] = kiln_air_mul(t, kiln_air_mul(t, h3[i], h3[i]), y);
        if (h7) {
            con(t, dom, gate, kiln_air_sub(t, h7[i], o[i]), "p2 full y^7");
            o[i] = h7[i];
        }
    }
    kiln_p2_air_ext(t, o, out);
}

void kiln_p2_air_partial_round(kiln_air_table *t, kiln_air_domain dom, kiln_expr gate, kiln_expr *x,
                               kiln_expr rc, kiln_expr h3, kiln_expr h7) {
    kiln_expr y = kiln_air_add(t, x[0], rc);
    con(t, dom, gate, kiln_air_sub(t, h3, kiln_air_pow(t, y, 3)), "p2 partial y^3");
    con(t, dom, gate, kiln_air_sub(t, h7, kiln_air_mul(t, kiln_air_mul(t, h3, h3), y)), "p2 partial y^7");
    x[0] = h7;
    kiln_p2_air_int(t, x);
}
