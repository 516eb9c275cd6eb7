/* A chain of Poseidon2 permutations (Boojum's parameters), one permutation per 8 rows, all constraints of
 * degree 3 times a periodic row selector. Public inputs: the chain's input state (12) and output state (12).
 *
 * Columns: state s[12] (the state entering the row's step) and 36 helpers h[36]. Row r of each 8-row block:
 *   0, 1, 4, 5  two full rounds: y1 = s + rcA, h[0..12) = y1^3, h[12..24) = h0^2 * y1 (= y1^7),
 *               y2 = M_E h[12..24) + rcB, h[24..36) = y2^3, s' = M_E (h[24..36)^2 * y2)
 *   2, 3        eleven partial rounds: per round k, h[2k] = y^3, h[2k+1] = h[2k]^2 * y for lane 0, then M_I
 *   6           copy: s' = s (row 6 holds the permutation's output)
 *   7           s' = M_E s: the next block starts after the initial external layer
 * Row 0 of the first block holds M_E(input); the last row holds the output. */
#include <stdlib.h>
#include <string.h>

#include "examples.h"
#include "p2_air.h"
#include "poseidon2/poseidon2_hd.h"

#define W 12

/* Round numbers of the full rows: A and B per row type. */
static const int FULL_A[8] = {0, 2, -1, -1, 26, 28, -1, -1};

/* The linear layers and round constraints are shared with the zkVM's precompile table (prover/p2_air.h). */
#define ext_f kiln_p2_ext
#define int_f kiln_p2_int
#define ext_e kiln_p2_air_ext

static uint64_t cube(uint64_t a) { return kiln_gl_mul(kiln_gl_mul(a, a), a); }

static void gated(kiln_air_table *t, kiln_expr flag, kiln_expr c) {
    kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_mul(t, flag, c), "p2");
}

kiln_status kiln_example_poseidon2(unsigned log_rows, int with_witness, kiln_example *ex) {
    if (log_rows < 3) return KILN_ERR_INVALID_ARG;
    kiln_status st = kiln_air_create("poseidon2", 2 * W, &ex->air);
    if (st != KILN_OK) return st;
    kiln_air_table *t;
    if ((st = kiln_air_add_table(ex->air, "poseidon2", &t)) != KILN_OK) return st;
    char nm[8] = "s0";
    for (int i = 0; i < W; i++) {
        nm[1] = (char)('a' + i);
        if ((st = kiln_air_add_main(t, nm, NULL)) != KILN_OK) return st;
    }
    nm[0] = 'h';
    for (int i = 0; i < 36; i++) {
        nm[1] = (char)('A' + i);
        if ((st = kiln_air_add_main(t, nm, NULL)) != KILN_OK) return st;
    }
    /* Periodic selectors and round constants (period 8). */
    uint64_t ffull[8] = {1, 1, 0, 0, 1, 1, 0, 0}, fpart[8] = {0, 0, 1, 1, 0, 0, 0, 0};
    uint64_t fcopy[8] = {0, 0, 0, 0, 0, 0, 1, 0}, fext[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    uint32_t pf, pp, pc, pe, prc[24];
    if ((st = kiln_air_add_periodic(t, "full", ffull, 8, &pf)) != KILN_OK ||
        (st = kiln_air_add_periodic(t, "partial", fpart, 8, &pp)) != KILN_OK ||
        (st = kiln_air_add_periodic(t, "copy", fcopy, 8, &pc)) != KILN_OK ||
        (st = kiln_air_add_periodic(t, "ext", fext, 8, &pe)) != KILN_OK)
        return st;
    for (int j = 0; j < 24; j++) {
        uint64_t v[8] = {0};
        for (int r = 0; r < 8; r++) {
            if (FULL_A[r] >= 0) v[r] = kiln_poseidon2_rc[FULL_A[r] + j / W][j % W];
            else if ((r == 2 || r == 3) && j < 11) v[r] = kiln_poseidon2_rc[4 + 11 * (r - 2) + j][0];
        }
        if ((st = kiln_air_add_periodic(t, "rc", v, 8, &prc[j])) != KILN_OK) return st;
    }
    kiln_expr s[W], sn[W], h[36], rc[24];
    for (int i = 0; i < W; i++) {
        s[i] = kiln_air_main_col(t, (uint32_t)i, 0);
        sn[i] = kiln_air_main_col(t, (uint32_t)i, 1);
    }
    for (int i = 0; i < 36; i++) h[i] = kiln_air_main_col(t, (uint32_t)(W + i), 0);
    for (int j = 0; j < 24; j++) rc[j] = kiln_air_periodic_col(t, prc[j]);
    kiln_expr Ff = kiln_air_periodic_col(t, pf), Fp = kiln_air_periodic_col(t, pp), Fc = kiln_air_periodic_col(t, pc),
              Fe = kiln_air_periodic_col(t, pe);
    /* Two full rounds: the first commits y^7, the second leaves it as a degree-3 expression. */
    {
        kiln_expr mid[W], mo[W];
        kiln_p2_air_full_round(t, KILN_AIR_TRANSITION, Ff, s, rc, h, h + W, mid);
        kiln_p2_air_full_round(t, KILN_AIR_TRANSITION, Ff, mid, rc + W, h + 2 * W, NULL, mo);
        for (int i = 0; i < W; i++) gated(t, Ff, kiln_air_sub(t, sn[i], mo[i]));
    }
    /* Eleven partial rounds. */
    {
        kiln_expr v[W];
        memcpy(v, s, sizeof v);
        for (int k = 0; k < 11; k++) kiln_p2_air_partial_round(t, KILN_AIR_TRANSITION, Fp, v, rc[k], h[2 * k], h[2 * k + 1]);
        for (int i = 0; i < W; i++) gated(t, Fp, kiln_air_sub(t, sn[i], v[i]));
    }
    /* Copy and external-layer rows. */
    {
        kiln_expr me[W];
        ext_e(t, s, me);
        for (int i = 0; i < W; i++) {
            gated(t, Fc, kiln_air_sub(t, sn[i], s[i]));
            gated(t, Fe, kiln_air_sub(t, sn[i], me[i]));
        }
    }
    /* Boundaries: row 0 = M_E(input), last row = output. */
    {
        kiln_expr in[W], min[W];
        for (int i = 0; i < W; i++) in[i] = kiln_air_public(t, (uint32_t)i);
        ext_e(t, in, min);
        for (int i = 0; i < W; i++) {
            kiln_air_constrain(t, KILN_AIR_FIRST, kiln_air_sub(t, s[i], min[i]), "in");
            kiln_air_constrain(t, KILN_AIR_LAST, kiln_air_sub(t, s[i], kiln_air_public(t, (uint32_t)(W + i))), "out");
        }
    }
    if ((st = kiln_air_finalize(ex->air)) != KILN_OK) return st;
    ex->ntables = 1;
    ex->npub = 2 * W;
    ex->log_n[0] = log_rows;
    if (!with_witness) return KILN_OK;

    size_t n = (size_t)1 << log_rows, ncols = W + 36;
    uint64_t *c = (uint64_t *)calloc(ncols * n, 8);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    uint64_t in[W], ref[W], cur[W];
    for (int i = 0; i < W; i++) in[i] = ref[i] = (uint64_t)(i * 1000003 + 17);
    ext_f(in, cur);
    for (size_t blk = 0; blk < n / 8; blk++) {
        for (int r = 0; r < 8; r++) {
            size_t row = blk * 8 + (size_t)r;
            for (int i = 0; i < W; i++) c[(size_t)i * n + row] = cur[i];
            uint64_t *hc[36];
            for (int i = 0; i < 36; i++) hc[i] = &c[(size_t)(W + i) * n + row];
            uint64_t nx[W];
            if (FULL_A[r] >= 0) {
                int ra = FULL_A[r];
                uint64_t y1[W], u1[W], y2[W], o[W];
                for (int i = 0; i < W; i++) {
                    y1[i] = kiln_gl_add(cur[i], kiln_poseidon2_rc[ra][i]);
                    *hc[i] = cube(y1[i]);
                    u1[i] = kiln_gl_mul(kiln_gl_mul(*hc[i], *hc[i]), y1[i]);
                    *hc[W + i] = u1[i];
                }
                ext_f(u1, y2);
                for (int i = 0; i < W; i++) {
                    y2[i] = kiln_gl_add(y2[i], kiln_poseidon2_rc[ra + 1][i]);
                    *hc[2 * W + i] = cube(y2[i]);
                    o[i] = kiln_gl_mul(kiln_gl_mul(*hc[2 * W + i], *hc[2 * W + i]), y2[i]);
                }
                ext_f(o, nx);
            } else if (r == 2 || r == 3) {
                memcpy(nx, cur, sizeof nx);
                for (int k = 0; k < 11; k++) {
                    uint64_t y = kiln_gl_add(nx[0], kiln_poseidon2_rc[4 + 11 * (r - 2) + k][0]);
                    *hc[2 * k] = cube(y);
                    *hc[2 * k + 1] = kiln_gl_mul(kiln_gl_mul(*hc[2 * k], *hc[2 * k]), y);
                    nx[0] = *hc[2 * k + 1];
                    int_f(nx);
                }
            } else if (r == 6) {
                memcpy(nx, cur, sizeof nx);
            } else {
                ext_f(cur, nx);
            }
            memcpy(cur, nx, sizeof cur);
        }
        kiln_poseidon2_permute(ref);
    }
    ex->cols[0] = c;
    for (int i = 0; i < W; i++) {
        ex->pub[i] = in[i];
        ex->pub[W + i] = ref[i]; /* the output from the kernel library's permutation, not from this file */
    }
    return KILN_OK;
}
