/* The u256 precompile table (docs/zkvm-air.md, "u256 table"): one row per U256_ADDMOD / SUBMOD / MULMOD call.
 * The row reads a, b, m (8 words each) and the pointer registers x12, x13, proves X = q m + r limb by limb
 * with signed carries (every limb identity stays far below p, so it holds over the integers), r < m through a
 * borrow chain of m - r - 1, and writes r to out. */
#include <stdio.h>

#include "air_dsl.h"
#include "field/goldilocks.h"
#include "zkvm_u256.h"

#define CON(e, name) kiln_air_constrain(t, KILN_AIR_EVERY, (e), (name))
#define BOOL(c, name) CON(MUL(M(c), SUB(M(c), K(1))), name)

static void range1(kiln_air_table *t, kiln_expr mult, kiln_expr v) {
    kiln_air_interact(t, ZK_BUS_RANGE, mult, &v, 1);
}

/* Carry k as a signed value: cl + 2^16 ch - 2^21 (both limbs range-checked). */
static kiln_expr carry(kiln_air_table *t, int k) {
    return SUB(W16(M(U_C + 2 * k), M(U_C + 2 * k + 1)), K(ZK_U256_COFF));
}

void zk_build_u256(kiln_air_table *t) {
    kiln_expr sel = M(U_SEL), fa = M(U_FA), fs = M(U_FS), fm = M(U_FM), one = K(1);
    BOOL(U_SEL, "u256 sel bool");
    BOOL(U_FA, "u256 fa bool");
    BOOL(U_FS, "u256 fs bool");
    BOOL(U_FM, "u256 fm bool");
    CON(SUB(ADD(fa, ADD(fs, fm)), sel), "u256 one op per call");
    /* Pointers: 4-aligned, [ptr, ptr + 32) in [KILN_ZKVM_SYS_MIN, stack top): never a register. */
    kiln_expr ptr[4];
    for (int k = 0; k < 4; k++)
        ptr[k] = zk_air_sys_buffer(t, sel, sel, U_PTR + 4 * k, 32);
    kiln_expr num = ADD(ADD(MUL(fa, K(KILN_SYS_U256_ADDMOD)), MUL(fs, K(KILN_SYS_U256_SUBMOD))),
                        MUL(fm, K(KILN_SYS_U256_MULMOD)));
    kiln_expr tup[5] = {M(U_CLK), num, ptr[0], ptr[1], ptr[0]}; /* a0 (out) is unchanged */
    kiln_air_interact(t, ZK_BUS_SYSCALL, kiln_air_neg(t, sel), tup, 5);

    /* Accesses: a at 4 clk + 1, b at + 2, m and the registers x12, x13 at + 3, out at + 4. Distinct slots per
     * operand keep every chain strictly increasing when buffers alias (a = b, out = a, overlaps). */
    kiln_expr clk4 = MUL(K(4), M(U_CLK));
    for (int i = 0; i < 34; i++) {
        kiln_expr ts = ADD(clk4, K(i < 8 ? 1 : i < 16 ? 2 : i < 32 && i >= 24 ? 4 : 3));
        kiln_expr addr, plo, phi, nlo, nhi, w = one;
        if (i < 24) { /* reads: value unchanged, w as the chain carries it */
            int v = (i < 8 ? U_A : i < 16 ? U_B : U_M) + 2 * (i % 8);
            addr = ADD(ptr[1 + i / 8], K(4 * (i % 8)));
            plo = nlo = M(v), phi = nhi = M(v + 1), w = M(U_RW + i);
        } else if (i < 32) { /* out: the result, w = 1 */
            int j = i - 24;
            addr = ADD(ptr[0], K(4 * j));
            plo = M(U_O + 2 * j), phi = M(U_O + 2 * j + 1), nlo = M(U_R + 2 * j), nhi = M(U_R + 2 * j + 1);
        } else { /* registers x12 (b) and x13 (m): the pointer's limbs are the register's limbs */
            int c = U_PTR + 4 * (i - 30);
            addr = K(i - 20);
            plo = nlo = MUL(K(4), M(c)), phi = nhi = M(c + 1);
        }
        zk_air_sys_word(t, sel, sel, addr, ts, U_PT + i, U_E + 2 * i, plo, phi, nlo, nhi, w);
    }

    /* X = q m + r + fs b over 16-bit limbs, X = fm a b + fa (a + b) + fs (a + 2^256 m). Per limb k:
     * X_k + c_{k-1} = Y_k + 2^16 c_k, with c_{-1} = 0 and no carry out of the last limb (46). */
    for (int k = 0; k < ZK_U256_NK; k++) {
        kiln_expr x = K(0), y = K(0);
        for (int i = 0; i < ZK_U256_NL; i++) {
            int j = k - i;
            if (j >= 0 && j < ZK_U256_NL) x = ADD(x, MUL(M(U_A + i), M(U_B + j)));
        }
        x = MUL(fm, x);
        if (k < ZK_U256_NL) {
            x = ADD(x, MUL(fa, ADD(M(U_A + k), M(U_B + k))));
            x = ADD(x, MUL(fs, M(U_A + k)));
            y = ADD(M(U_R + k), MUL(fs, M(U_B + k)));
        } else if (k < 2 * ZK_U256_NL) {
            x = ADD(x, MUL(fs, M(U_M + k - ZK_U256_NL)));
        }
        for (int j = 0; j < ZK_U256_NL; j++) {
            int i = k - j;
            if (i >= 0 && i < ZK_U256_NQ) y = ADD(y, MUL(M(U_Q + i), M(U_M + j)));
        }
        if (k > 0) x = ADD(x, carry(t, k - 1));
        if (k < ZK_U256_NC) y = ADD(y, MUL(K(65536), carry(t, k)));
        CON(SUB(x, y), "u256 limb");
    }
    for (int i = 0; i < 2 * ZK_U256_NC; i++)
        range1(t, sel, M(U_C + i));
    for (int i = 0; i < ZK_U256_NQ; i++)
        range1(t, sel, M(U_Q + i));
    /* r < m: m - r - 1 = d with a borrow chain (bw boolean, no borrow out of the top limb), d's limbs
     * range-checked. r's limbs are range-checked too: they are written to memory. */
    for (int k = 0; k < ZK_U256_NL; k++) {
        kiln_expr e = SUB(M(U_M + k), M(U_R + k));
        if (k == 0) e = SUB(e, sel);
        if (k > 0) e = SUB(e, M(U_BW + k - 1));
        if (k < ZK_U256_NL - 1) {
            BOOL(U_BW + k, "u256 borrow bool");
            e = ADD(e, MUL(K(65536), M(U_BW + k)));
        }
        CON(SUB(e, M(U_D + k)), "u256 r < m");
        range1(t, sel, M(U_D + k));
        range1(t, sel, M(U_R + k));
    }
}

kiln_status zk_add_u256_table(kiln_air *air, kiln_air_table **out) {
    kiln_status st = kiln_air_add_table(air, "u256", out);
    if (st != KILN_OK) return st;
    for (int i = 0; i < U_NCOLS; i++) {
        static const char *const fixed[U_PTR] = {"sel", "fa", "fs", "fm", "clk"};
        static const struct {
            int base;
            const char *pre;
        } groups[] = {{U_PTR, "ptr"}, {U_A, "a"},   {U_B, "b"}, {U_M, "m"}, {U_R, "r"},
                      {U_O, "o"},     {U_Q, "q"},   {U_C, "c"}, {U_D, "d"}, {U_BW, "bw"},
                      {U_RW, "rw"},   {U_PT, "pt"}, {U_E, "e"}};
        char nm[16];
        if (i < U_PTR) {
            snprintf(nm, sizeof nm, "%s", fixed[i]);
        } else {
            size_t g = sizeof groups / sizeof groups[0] - 1;
            while (groups[g].base > i)
                g--;
            snprintf(nm, sizeof nm, "%s%d", groups[g].pre, i - groups[g].base);
        }
        uint32_t idx;
        if ((st = kiln_air_add_main(*out, nm, &idx)) != KILN_OK) return st;
    }
    return KILN_OK;
}
