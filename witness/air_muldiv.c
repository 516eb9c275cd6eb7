/* The muldiv table of the zkVM AIR (docs/zkvm-air.md, "M extension"): one row per executed MUL, MULH, MULHSU,
 * MULHU, DIV, DIVU, REM or REMU that writes a register, received from the cpu table on ZK_BUS_MULDIV.
 *
 * One 64-bit product engine serves every kind: p = x_s y_s + z_s mod 2^64 in 16-bit limbs, with x = a, z = 0
 * for the multiplications (the result is p's low or high word) and x = q, z = r for the divisions (p must be
 * a, sign-extended for the signed kinds). Every limb and carry is range-checked, so each limb identity holds
 * over the integers (both sides stay below 2^34, far below p = 2^64 - 2^32 + 1). */
#include "air_dsl.h"
#include "field/goldilocks.h"
#include "zkvm_internal.h"

#define CON(e, name) kiln_air_constrain(t, KILN_AIR_EVERY, (e), (name))
#define W(lo, hi) ADD(M(lo), MUL(K(65536), M(hi)))
#define BOOL(c, name) CON(MUL(M(c), SUB(M(c), K(1))), name)
#define KF(kind) M(D_K0 + (kind)-1)

static const char *const dnames[D_NCOLS] = {
    "m",    "k_mul", "k_mulh", "k_mulhsu", "k_mulhu", "k_div", "k_divu", "k_rem", "k_remu", "a_lo", "a_hi",
    "b_lo", "b_hi",  "res_lo", "res_hi",   "x_lo",    "x_hi",  "z_lo",   "z_hi",  "p0",     "p1",   "p2",
    "p3",   "c0",    "c1l",    "c1h",      "c2l",     "c2h",   "c3",     "sa",    "sb",     "sx",   "sz",
    "ex",   "ey",    "ez",     "ea",       "bz",      "binv",  "nb",     "ninv",  "ov",     "g_lo", "g_hi"};

/* A 16-bit range lookup with multiplicity m. */
static void range1(kiln_air_table *t, kiln_expr v) {
    kiln_air_interact(t, ZK_BUS_RANGE, M(D_M), &v, 1);
}

kiln_status zk_muldiv_air_table(kiln_air_table *t) {
    uint32_t idx;
    for (int i = 0; i < D_NCOLS; i++) {
        kiln_status st = kiln_air_add_main(t, dnames[i], &idx);
        if (st != KILN_OK) return st;
    }
    /* Kind flags: one-hot on real rows (m = 1), all zero on padding rows (m = 0). */
    kiln_expr ksum = M(D_K0), kind = M(D_K0);
    BOOL(D_M, "m bool");
    for (int i = 0; i < 8; i++) {
        BOOL(D_K0 + i, "kind bool");
        if (i) ksum = ADD(ksum, M(D_K0 + i)), kind = ADD(kind, MUL(K(i + 1), M(D_K0 + i)));
    }
    CON(SUB(M(D_M), ksum), "m = sum of kinds");
    kiln_expr fmul = KF(1), fh = ADD(KF(2), ADD(KF(3), KF(4))), fm = ADD(fmul, fh);
    kiln_expr fs = ADD(KF(5), KF(7)), fq = ADD(KF(5), KF(6)), fr = ADD(KF(7), KF(8)), fd = ADD(fq, fr);
    kiln_expr one = K(1), ffff = K(0xffff), two32 = K((uint64_t)1 << 32);
    kiln_expr wb = W(D_B_LO, D_B_HI), wz = W(D_Z_LO, D_Z_HI);

    /* Which signs count: x is signed for MULH, MULHSU and the signed divisions, y = b for MULH and the signed
     * divisions, z = r and a for the signed divisions. */
    static const int bools[] = {D_SA, D_SB, D_SX, D_SZ, D_BZ, D_NB, D_C1H, D_C2H};
    for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++)
        BOOL(bools[i], "muldiv bool");
    CON(SUB(M(D_EX), MUL(M(D_SX), ADD(ADD(KF(2), KF(3)), fs))), "ex");
    CON(SUB(M(D_EY), MUL(M(D_SB), ADD(KF(2), fs))), "ey");
    CON(SUB(M(D_EZ), MUL(M(D_SZ), fs)), "ez");
    CON(SUB(M(D_EA), MUL(M(D_SA), fs)), "ea");
    CON(SUB(M(D_OV), MUL(M(D_NB), fs)), "ov");

    /* The product engine: x_s y_s + z_s = p + 2^64 c3 (mod 2^64 the signed terms are 2^32 (ex (2^32 - y) +
     * ey (2^32 - x) + ez (2^32 - 1)), added to limbs 2 and 3 with non-negative coefficients). */
    kiln_expr x0 = M(D_X_LO), x1 = M(D_X_HI), y0 = M(D_B_LO), y1 = M(D_B_HI), ex = M(D_EX), ey = M(D_EY);
    kiln_expr ez = M(D_EZ), c1 = W(D_C1L, D_C1H), c2 = W(D_C2L, D_C2H);
    kiln_expr l0 = ADD(MUL(x0, y0), M(D_Z_LO));
    CON(SUB(l0, ADD(M(D_P0), MUL(K(65536), M(D_C0)))), "limb 0");
    kiln_expr l1 = ADD(ADD(MUL(x0, y1), MUL(x1, y0)), ADD(M(D_Z_HI), M(D_C0)));
    CON(SUB(l1, ADD(M(D_P0 + 1), MUL(K(65536), c1))), "limb 1");
    kiln_expr l2 = ADD(MUL(x1, y1), ADD(MUL(ex, SUB(K(0x10000), y0)), MUL(ey, SUB(K(0x10000), x0))));
    l2 = ADD(l2, ADD(MUL(ffff, ez), c1));
    CON(SUB(l2, ADD(M(D_P0 + 2), MUL(K(65536), c2))), "limb 2");
    kiln_expr l3 = ADD(ADD(MUL(ex, SUB(ffff, y1)), MUL(ey, SUB(ffff, x1))), ADD(MUL(ffff, ez), c2));
    CON(SUB(l3, ADD(M(D_P0 + 3), MUL(K(65536), M(D_C3)))), "limb 3");

    /* Multiplications: x = a, z = 0; MUL returns p's low word, MULH* its high word. */
    CON(MUL(fm, SUB(x0, M(D_A_LO))), "mul x lo");
    CON(MUL(fm, SUB(x1, M(D_A_HI))), "mul x hi");
    CON(MUL(fm, M(D_Z_LO)), "mul z lo");
    CON(MUL(fm, M(D_Z_HI)), "mul z hi");
    CON(MUL(fmul, SUB(M(D_RES_LO), M(D_P0))), "mul res lo");
    CON(MUL(fmul, SUB(M(D_RES_HI), M(D_P0 + 1))), "mul res hi");
    CON(MUL(fh, SUB(M(D_RES_LO), M(D_P0 + 2))), "mulh res lo");
    CON(MUL(fh, SUB(M(D_RES_HI), M(D_P0 + 3))), "mulh res hi");

    /* Divisions: p = a (the high word its sign extension, except for the signed b = -1 case, where r = 0
     * and the low word alone fixes q = -a mod 2^32); DIV* return q = x, REM* r = z. */
    CON(MUL(fd, SUB(M(D_P0), M(D_A_LO))), "div p lo");
    CON(MUL(fd, SUB(M(D_P0 + 1), M(D_A_HI))), "div p hi");
    CON(MUL(SUB(fd, M(D_OV)), SUB(M(D_P0 + 2), MUL(ffff, M(D_EA)))), "div sign ext 2");
    CON(MUL(SUB(fd, M(D_OV)), SUB(M(D_P0 + 3), MUL(ffff, M(D_EA)))), "div sign ext 3");
    CON(MUL(fq, SUB(M(D_RES_LO), x0)), "div res lo");
    CON(MUL(fq, SUB(M(D_RES_HI), x1)), "div res hi");
    CON(MUL(fr, SUB(M(D_RES_LO), M(D_Z_LO))), "rem res lo");
    CON(MUL(fr, SUB(M(D_RES_HI), M(D_Z_HI))), "rem res hi");

    /* bz = [b = 0], nb = [b = 0xffffffff] (b's limbs are 16-bit: the cpu's register values). */
    kiln_expr bz = M(D_BZ), nb = M(D_NB);
    CON(MUL(bz, y0), "bz lo");
    CON(MUL(bz, y1), "bz hi");
    CON(MUL(SUB(one, bz), SUB(MUL(ADD(y0, y1), M(D_BINV)), one)), "b != 0");
    kiln_expr nd0 = SUB(ffff, y0), nd1 = SUB(ffff, y1);
    CON(MUL(nb, nd0), "nb lo");
    CON(MUL(nb, nd1), "nb hi");
    CON(MUL(SUB(one, nb), SUB(MUL(ADD(nd0, nd1), M(D_NINV)), one)), "b != -1");
    /* Division by zero: q = 0xffffffff (r = a follows from p = a). */
    CON(MUL(MUL(fd, bz), SUB(x0, ffff)), "div0 q lo");
    CON(MUL(MUL(fd, bz), SUB(x1, ffff)), "div0 q hi");
    /* Remainder bound |r| < |b| when b != 0: |b| - |r| - 1 = g, g's limbs range-checked (|v| = v + e (2^32 -
     * 2v) with e the sign that counts). Multiplication rows have z = 0 and satisfy it with g = |b| - 1. */
    kiln_expr babs = ADD(wb, MUL(ey, SUB(two32, MUL(K(2), wb))));
    kiln_expr zabs = ADD(wz, MUL(ez, SUB(two32, MUL(K(2), wz))));
    CON(MUL(SUB(one, bz), SUB(SUB(SUB(babs, zabs), one), W(D_G_LO, D_G_HI))), "remainder bound");
    /* Signed remainder takes a's sign or is zero: r < 0 -> a < 0, a < 0 -> r <= 0. */
    CON(MUL(ez, SUB(one, M(D_SA))), "r sign");
    CON(MUL(MUL(M(D_EA), SUB(one, M(D_SZ))), M(D_Z_LO)), "r zero lo");
    CON(MUL(MUL(M(D_EA), SUB(one, M(D_SZ))), M(D_Z_HI)), "r zero hi");

    /* Range checks and sign bits (2 (hi - 2^15 s) < 2^16 makes s the top bit of a 16-bit hi). */
    static const int r16[] = {D_X_LO,   D_X_HI, D_Z_LO, D_Z_HI, D_P0, D_P0 + 1, D_P0 + 2,
                              D_P0 + 3, D_C0,   D_C1L,  D_C2L,  D_C3, D_G_LO,   D_G_HI};
    for (size_t i = 0; i < sizeof r16 / sizeof r16[0]; i++)
        range1(t, M(r16[i]));
    static const int sg[][2] = {{D_A_HI, D_SA}, {D_B_HI, D_SB}, {D_X_HI, D_SX}, {D_Z_HI, D_SZ}};
    for (size_t i = 0; i < 4; i++)
        range1(t, MUL(K(2), SUB(M(sg[i][0]), MUL(K(32768), M(sg[i][1])))));

    kiln_expr tup[7] = {kind, M(D_A_LO), M(D_A_HI), M(D_B_LO), M(D_B_HI), M(D_RES_LO), M(D_RES_HI)};
    return kiln_air_interact(t, ZK_BUS_MULDIV, kiln_air_neg(t, M(D_M)), tup, 7);
}

/* The cpu side: rows of an M op that write rd send (kind, a, b, res), the kind (1..8) being the op's
 * program-row imm (zk_prog_row); returns the M flag. */
kiln_expr zk_muldiv_air_cpu(kiln_air_table *t) {
    kiln_expr f = M(C_F0 + ZF_M);
    kiln_expr tup[7] = {M(C_IMM_LO), M(C_A_LO), M(C_A_HI), M(C_B_LO), M(C_B_HI), M(C_RES_LO), M(C_RES_HI)};
    kiln_air_interact(t, ZK_BUS_MULDIV, MUL(M(C_WR), f), tup, 7);
    return f;
}
