/* The zkVM AIR as data (docs/zkvm-air.md): cpu, program (preprocessed), regs (preprocessed init), ram
 * (sorted boundary) and range (preprocessed 2^16) tables; buses: range lookups, program lookups and the
 * timestamped memory bus. */
#include <string.h>

#include "field/goldilocks.h"
#include "zkvm_internal.h"

static void fill_range(void *ctx, uint64_t *cols, size_t ncols, unsigned log_n) {
    (void)ctx;
    (void)ncols;
    for (size_t r = 0; r < ((size_t)1 << log_n); r++)
        cols[r] = r;
}

static void fill_prog(void *ctx, uint64_t *cols, size_t ncols, unsigned log_n) {
    const kiln_zkvm_program *p = (const kiln_zkvm_program *)ctx;
    size_t n = (size_t)1 << log_n;
    memset(cols, 0, ncols * n * 8);
    for (size_t r = 0; r < p->ncode && r < n; r++) {
        const zk_code *c = &p->code[r];
        cols[ZP_PC * n + r] = c->pc;
        cols[ZP_OP * n + r] = (uint64_t)c->d.op;
        cols[ZP_RD * n + r] = c->d.rd;
        cols[ZP_RS1 * n + r] = c->d.rs1;
        cols[ZP_RS2 * n + r] = c->d.rs2;
        cols[ZP_IMM_LO * n + r] = c->d.imm & 0xffff;
        cols[ZP_IMM_HI * n + r] = c->d.imm >> 16;
        cols[ZP_TARGET * n + r] = c->d.target;
        cols[ZP_WR * n + r] = c->d.wr;
    }
}

static void fill_regs(void *ctx, uint64_t *cols, size_t ncols, unsigned log_n) {
    (void)ctx;
    size_t n = (size_t)1 << log_n;
    memset(cols, 0, ncols * n * 8);
    for (size_t r = 0; r < 32; r++)
        cols[r] = r;
    cols[2 * n + 2] = KILN_VM_STACK_TOP >> 16; /* sp = 0x80000000 at entry; every other register 0 */
}

typedef struct B {
    kiln_air_table *t;
} B;

#define M(c) kiln_air_main_col(t, (c), 0)
#define MN(c) kiln_air_main_col(t, (c), 1)
#define K(v) kiln_air_const(t, (uint64_t)(v))
#define ADD(a, b) kiln_air_add(t, (a), (b))
#define SUB(a, b) kiln_air_sub(t, (a), (b))
#define MUL(a, b) kiln_air_mul(t, (a), (b))
#define CON(dom, e, name) kiln_air_constrain(t, (dom), (e), (name))
#define W(lo, hi) ADD(M(lo), MUL(K(65536), M(hi)))
#define BOOL(c, name) CON(KILN_AIR_EVERY, MUL(M(c), SUB(M(c), K(1))), name)
#define FLAG(op) M(C_F0 + (op)-1)

static kiln_expr lin(kiln_air_table *t, kiln_expr acc, kiln_expr add) {
    return acc == KILN_EXPR_INVALID ? add : ADD(acc, add);
}

static void range1(kiln_air_table *t, kiln_expr mult, kiln_expr v) {
    kiln_air_interact(t, ZK_BUS_RANGE, mult, &v, 1);
}

static void mem_access(kiln_air_table *t, kiln_expr mult, kiln_expr addr, kiln_expr prev_ts, kiln_expr plo,
                       kiln_expr phi, kiln_expr ts, kiln_expr nlo, kiln_expr nhi) {
    kiln_expr rv[4] = {addr, prev_ts, plo, phi}, sv[4] = {addr, ts, nlo, nhi};
    kiln_air_interact(t, ZK_BUS_MEM, kiln_air_neg(t, mult), rv, 4);
    kiln_air_interact(t, ZK_BUS_MEM, mult, sv, 4);
}

static void build_cpu(kiln_air_table *t) {
    /* One-hot flags. */
    kiln_expr fsum = KILN_EXPR_INVALID, opx = KILN_EXPR_INVALID;
    for (int i = 0; i <= ZK_NOPS; i++) {
        BOOL(C_F0 + i, "flag bool");
        fsum = lin(t, fsum, M(C_F0 + i));
        if (i < ZK_NOPS) opx = lin(t, opx, MUL(K(i + 1), M(C_F0 + i)));
    }
    CON(KILN_AIR_EVERY, SUB(fsum, K(1)), "one flag");
    kiln_expr pad = M(C_FPAD), real = SUB(K(1), pad), fexit = FLAG(ZK_OP_EXIT);
    kiln_expr pc = M(C_PC), clk = M(C_CLK);

    /* Control: clock, start, padding after exit only, exit at the end. */
    CON(KILN_AIR_FIRST, clk, "clk0");
    CON(KILN_AIR_TRANSITION, SUB(MN(C_CLK), ADD(clk, K(1))), "clk'");
    CON(KILN_AIR_FIRST, SUB(pc, kiln_air_public(t, KILN_ZKVM_PUB_START_PC)), "start pc");
    CON(KILN_AIR_FIRST, pad, "first row real");
    CON(KILN_AIR_TRANSITION, MUL(MN(C_FPAD), SUB(K(1), ADD(pad, fexit))), "pad only after exit");
    CON(KILN_AIR_TRANSITION, MUL(ADD(pad, fexit), SUB(K(1), MN(C_FPAD))), "exit then pad");
    CON(KILN_AIR_LAST, SUB(K(1), ADD(pad, fexit)), "ends halted");
    CON(KILN_AIR_EVERY, MUL(fexit, SUB(pc, kiln_air_public(t, KILN_ZKVM_PUB_END_PC))), "end pc");
    CON(KILN_AIR_EVERY, MUL(fexit, SUB(W(C_A_LO, C_A_HI), kiln_air_public(t, KILN_ZKVM_PUB_EXIT_CODE))),
        "exit code");
    CON(KILN_AIR_EVERY, MUL(fexit, SUB(M(C_B_LO), K(KILN_SYS_EXIT))), "a7 = exit lo");
    CON(KILN_AIR_EVERY, MUL(fexit, M(C_B_HI)), "a7 = exit hi");

    /* Program lookup. */
    kiln_expr tup[ZP_NCOLS] = {pc,          opx,         M(C_RD),     M(C_RS1), M(C_RS2),
                               M(C_IMM_LO), M(C_IMM_HI), M(C_TARGET), M(C_WR)};
    kiln_air_interact(t, ZK_BUS_PROG, real, tup, ZP_NCOLS);

    /* Adder: s = rs1 + (ADD ? rs2 : imm), low word bits b0, b1 and q = s_lo >> 2. */
    kiln_expr fadd = FLAG(ZK_OP_ADD);
    kiln_expr blo = ADD(MUL(fadd, M(C_B_LO)), MUL(SUB(K(1), fadd), M(C_IMM_LO)));
    kiln_expr bhi = ADD(MUL(fadd, M(C_B_HI)), MUL(SUB(K(1), fadd), M(C_IMM_HI)));
    CON(KILN_AIR_EVERY, SUB(ADD(M(C_A_LO), blo), ADD(M(C_S_LO), MUL(K(65536), M(C_C0)))), "add lo");
    CON(KILN_AIR_EVERY, SUB(ADD(ADD(M(C_A_HI), bhi), M(C_C0)), ADD(M(C_S_HI), MUL(K(65536), M(C_C1)))),
        "add hi");
    CON(KILN_AIR_EVERY, SUB(M(C_S_LO), ADD(MUL(K(4), M(C_Q)), ADD(MUL(K(2), M(C_B1)), M(C_B0)))),
        "s_lo bits");
    BOOL(C_C0, "c0");
    BOOL(C_C1, "c1");
    BOOL(C_B0, "b0");
    BOOL(C_B1, "b1");
    BOOL(C_CX, "cx");

    /* Subtractor and comparisons: d = rs1 - bb + borrow * 2^32, bb = (SLTI/SLTIU ? imm : rs2). */
    kiln_expr fcmpi = ADD(FLAG(ZK_OP_SLTI), FLAG(ZK_OP_SLTIU));
    CON(KILN_AIR_EVERY, SUB(M(C_BB_LO), ADD(M(C_B_LO), MUL(fcmpi, SUB(M(C_IMM_LO), M(C_B_LO))))), "bb lo");
    CON(KILN_AIR_EVERY, SUB(M(C_BB_HI), ADD(M(C_B_HI), MUL(fcmpi, SUB(M(C_IMM_HI), M(C_B_HI))))), "bb hi");
    CON(KILN_AIR_EVERY, SUB(ADD(SUB(M(C_A_LO), M(C_BB_LO)), MUL(K(65536), M(C_DC))), M(C_D_LO)), "sub lo");
    CON(KILN_AIR_EVERY,
        SUB(ADD(SUB(SUB(M(C_A_HI), M(C_BB_HI)), M(C_DC)), MUL(K(65536), M(C_BORROW))), M(C_D_HI)), "sub hi");
    BOOL(C_DC, "dc");
    BOOL(C_BORROW, "borrow");
    BOOL(C_EQ, "eq");
    BOOL(C_SA, "sa");
    BOOL(C_SB, "sb");
    kiln_expr dz = ADD(M(C_D_LO), M(C_D_HI));
    CON(KILN_AIR_EVERY, MUL(M(C_EQ), dz), "eq -> d = 0");
    CON(KILN_AIR_EVERY, MUL(SUB(K(1), M(C_EQ)), SUB(MUL(dz, M(C_INV)), K(1))), "!eq -> d != 0");
    CON(KILN_AIR_EVERY, SUB(M(C_SX), SUB(ADD(M(C_SA), M(C_SB)), MUL(K(2), MUL(M(C_SA), M(C_SB))))), "sx");
    CON(KILN_AIR_EVERY, SUB(M(C_LT), ADD(MUL(M(C_SX), M(C_SA)), MUL(SUB(K(1), M(C_SX)), M(C_BORROW)))),
        "lt signed");

    /* Result written to rd. */
    kiln_expr pc4 = ADD(pc, K(4));
    kiln_expr R =
        ADD(MUL(ADD(fadd, FLAG(ZK_OP_ADDI)), W(C_S_LO, C_S_HI)), MUL(FLAG(ZK_OP_SUB), W(C_D_LO, C_D_HI)));
    R = ADD(R, MUL(FLAG(ZK_OP_LUI), W(C_IMM_LO, C_IMM_HI)));
    R = ADD(R, MUL(ADD(FLAG(ZK_OP_SLT), FLAG(ZK_OP_SLTI)), M(C_LT)));
    R = ADD(R, MUL(ADD(FLAG(ZK_OP_SLTU), FLAG(ZK_OP_SLTIU)), M(C_BORROW)));
    R = ADD(R, MUL(FLAG(ZK_OP_LW), W(C_MP_LO, C_MP_HI)));
    R = ADD(R, MUL(ADD(FLAG(ZK_OP_JAL), FLAG(ZK_OP_JALR)), pc4));
    R = ADD(R,
            MUL(FLAG(ZK_OP_AUIPC), SUB(ADD(pc, W(C_IMM_LO, C_IMM_HI)), MUL(K((uint64_t)1 << 32), M(C_CX)))));
    CON(KILN_AIR_EVERY, MUL(M(C_WR), SUB(W(C_RES_LO, C_RES_HI), R)), "rd value");
    CON(KILN_AIR_EVERY, MUL(SUB(K(1), M(C_WR)), SUB(M(C_RES_LO), M(C_RDP_LO))), "rd kept lo");
    CON(KILN_AIR_EVERY, MUL(SUB(K(1), M(C_WR)), SUB(M(C_RES_HI), M(C_RDP_HI))), "rd kept hi");

    /* Next pc. */
    kiln_expr fbr = KILN_EXPR_INVALID;
    for (int op = ZK_OP_BEQ; op <= ZK_OP_BGEU; op++)
        fbr = lin(t, fbr, FLAG(op));
    kiln_expr eq = M(C_EQ), lt = M(C_LT), bo = M(C_BORROW), one = K(1);
    kiln_expr cond = ADD(ADD(MUL(FLAG(ZK_OP_BEQ), eq), MUL(FLAG(ZK_OP_BNE), SUB(one, eq))),
                         ADD(ADD(MUL(FLAG(ZK_OP_BLT), lt), MUL(FLAG(ZK_OP_BGE), SUB(one, lt))),
                             ADD(MUL(FLAG(ZK_OP_BLTU), bo), MUL(FLAG(ZK_OP_BGEU), SUB(one, bo)))));
    kiln_expr fseq = KILN_EXPR_INVALID;
    const int seq[] = {ZK_OP_ADD, ZK_OP_SUB, ZK_OP_ADDI, ZK_OP_LUI,  ZK_OP_AUIPC, ZK_OP_LW,
                       ZK_OP_SW,  ZK_OP_SLT, ZK_OP_SLTU, ZK_OP_SLTI, ZK_OP_SLTIU};
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
        fseq = lin(t, fseq, FLAG(seq[i]));
    kiln_expr npc = ADD(MUL(ADD(fseq, fbr), pc4), MUL(FLAG(ZK_OP_JAL), M(C_TARGET)));
    npc = ADD(npc, MUL(FLAG(ZK_OP_JALR), ADD(MUL(K(4), M(C_Q)), MUL(K(65536), M(C_S_HI)))));
    npc = ADD(npc, MUL(cond, SUB(M(C_TARGET), pc4)));
    npc = ADD(npc, MUL(ADD(fexit, pad), pc));
    CON(KILN_AIR_TRANSITION, SUB(MN(C_PC), npc), "next pc");
    CON(KILN_AIR_EVERY, MUL(FLAG(ZK_OP_JALR), M(C_B1)), "jalr target aligned");

    /* Memory: registers at addresses 0..31, RAM words at their byte address; ts = 4 clk + slot. */
    kiln_expr fmem = ADD(FLAG(ZK_OP_LW), FLAG(ZK_OP_SW)), fsw = FLAG(ZK_OP_SW);
    CON(KILN_AIR_EVERY, MUL(fmem, M(C_B0)), "mem aligned b0");
    CON(KILN_AIR_EVERY, MUL(fmem, M(C_B1)), "mem aligned b1");
    CON(KILN_AIR_EVERY, MUL(fsw, SUB(M(C_MV_LO), M(C_B_LO))), "sw value lo");
    CON(KILN_AIR_EVERY, MUL(fsw, SUB(M(C_MV_HI), M(C_B_HI))), "sw value hi");
    CON(KILN_AIR_EVERY, MUL(SUB(one, fsw), SUB(M(C_MV_LO), M(C_MP_LO))), "lw keeps lo");
    CON(KILN_AIR_EVERY, MUL(SUB(one, fsw), SUB(M(C_MV_HI), M(C_MP_HI))), "lw keeps hi");
    kiln_expr T = MUL(K(4), clk);
    /* ts - prev_ts - 1 = e_lo + 2^16 e_hi for each access (slots 1..4). */
    CON(KILN_AIR_EVERY, SUB(SUB(T, M(C_PT1)), W(C_E1L, C_E1H)), "ts rs1");
    CON(KILN_AIR_EVERY, SUB(SUB(ADD(T, K(1)), M(C_PT2)), W(C_E2L, C_E2H)), "ts rs2");
    CON(KILN_AIR_EVERY, SUB(SUB(ADD(T, K(2)), M(C_PTM)), W(C_EML, C_EMH)), "ts mem");
    CON(KILN_AIR_EVERY, SUB(SUB(ADD(T, K(3)), M(C_PT3)), W(C_E3L, C_E3H)), "ts rd");
    mem_access(t, real, M(C_RS1), M(C_PT1), M(C_A_LO), M(C_A_HI), ADD(T, K(1)), M(C_A_LO), M(C_A_HI));
    mem_access(t, real, M(C_RS2), M(C_PT2), M(C_B_LO), M(C_B_HI), ADD(T, K(2)), M(C_B_LO), M(C_B_HI));
    kiln_expr maddr = ADD(MUL(K(4), M(C_Q)), MUL(K(65536), M(C_S_HI)));
    mem_access(t, fmem, maddr, M(C_PTM), M(C_MP_LO), M(C_MP_HI), ADD(T, K(3)), M(C_MV_LO), M(C_MV_HI));
    mem_access(t, real, M(C_RD), M(C_PT3), M(C_RDP_LO), M(C_RDP_HI), ADD(T, K(4)), M(C_RES_LO), M(C_RES_HI));

    /* Range checks (16 bits). */
    const int r16[] = {C_E1L,    C_E1H,    C_E2L,  C_E2H,  C_EML, C_EMH,  C_E3L, C_E3H,
                       C_RES_LO, C_RES_HI, C_S_LO, C_S_HI, C_Q,   C_D_LO, C_D_HI};
    for (size_t i = 0; i < sizeof r16 / sizeof r16[0]; i++)
        range1(t, one, M(r16[i]));
    /* Sign bits: 2 (hi - 2^15 s) < 2^16. */
    range1(t, one, MUL(K(2), SUB(M(C_A_HI), MUL(K(32768), M(C_SA)))));
    range1(t, one, MUL(K(2), SUB(M(C_BB_HI), MUL(K(32768), M(C_SB)))));
    /* RAM accesses stay in the stack region: RAM_BASE >> 16 <= s_hi <= 0x7fff. */
    range1(t, fmem, SUB(M(C_S_HI), K(KILN_ZKVM_RAM_BASE >> 16)));
    range1(t, fmem, SUB(K(0x7fff), M(C_S_HI)));
}

static void build_prog(kiln_air_table *t) {
    kiln_expr v[ZP_NCOLS];
    for (int i = 0; i < ZP_NCOLS; i++)
        v[i] = kiln_air_pre_col(t, (uint32_t)i, 0);
    kiln_air_interact(t, ZK_BUS_PROG, kiln_air_neg(t, M(0)), v, ZP_NCOLS);
}

static void build_regs(kiln_air_table *t) {
    kiln_expr a = kiln_air_pre_col(t, 0, 0);
    kiln_expr iv[4] = {a, K(0), kiln_air_pre_col(t, 1, 0), kiln_air_pre_col(t, 2, 0)};
    kiln_expr fv[4] = {a, M(R_FTS), M(R_FLO), M(R_FHI)};
    kiln_air_interact(t, ZK_BUS_MEM, K(1), iv, 4);
    kiln_air_interact(t, ZK_BUS_MEM, K(KILN_GL_P - 1), fv, 4);
}

static void build_ram(kiln_air_table *t) {
    kiln_expr real = M(M_REAL), addr = M(M_ADDR);
    BOOL(M_REAL, "real bool");
    CON(KILN_AIR_TRANSITION, MUL(SUB(K(1), real), MN(M_REAL)), "real rows first");
    CON(KILN_AIR_FIRST, MUL(real, SUB(SUB(addr, K(KILN_ZKVM_RAM_BASE)), W(M_GL, M_GH))),
        "first addr >= base");
    CON(KILN_AIR_TRANSITION,
        MUL(MN(M_REAL), SUB(SUB(SUB(MN(M_ADDR), addr), K(1)), ADD(MN(M_GL), MUL(K(65536), MN(M_GH))))),
        "addresses increase");
    range1(t, K(1), M(M_GL));
    range1(t, K(1), M(M_GH));
    kiln_expr iv[4] = {addr, K(0), K(0), K(0)}, fv[4] = {addr, M(M_FTS), M(M_FLO), M(M_FHI)};
    kiln_air_interact(t, ZK_BUS_MEM, real, iv, 4);
    kiln_air_interact(t, ZK_BUS_MEM, kiln_air_neg(t, real), fv, 4);
}

kiln_status kiln_zkvm_air_build(const kiln_zkvm_program *p, kiln_air **out) {
    if (!p || !out) return KILN_ERR_INVALID_ARG;
    kiln_air *air = NULL;
    kiln_status st = kiln_air_create("zkvm-rv32-slice1b", KILN_ZKVM_NPUB, &air);
    if (st != KILN_OK) return st;
    kiln_air_table *tc, *tp, *tr, *tm, *tg;
    static const char *const cnames[] = {
        "clk",     "pc",     "f_add", "f_sub",  "f_addi", "f_lui",  "f_auipc", "f_jal",  "f_jalr", "f_beq",
        "f_bne",   "f_blt",  "f_bge", "f_bltu", "f_bgeu", "f_lw",   "f_sw",    "f_slt",  "f_sltu", "f_slti",
        "f_sltiu", "f_exit", "f_pad", "rd",     "rs1",    "rs2",    "imm_lo",  "imm_hi", "target", "wr",
        "a_lo",    "a_hi",   "b_lo",  "b_hi",   "res_lo", "res_hi", "rdp_lo",  "rdp_hi", "pt1",    "pt2",
        "ptm",     "pt3",    "e1l",   "e1h",    "e2l",    "e2h",    "eml",     "emh",    "e3l",    "e3h",
        "mp_lo",   "mp_hi",  "mv_lo", "mv_hi",  "s_lo",   "s_hi",   "q",       "b0",     "b1",     "c0",
        "c1",      "bb_lo",  "bb_hi", "d_lo",   "d_hi",   "dc",     "borrow",  "eq",     "inv",    "sa",
        "sb",      "sx",     "lt",    "cx"};
    _Static_assert(sizeof cnames / sizeof cnames[0] == C_NCOLS, "cpu column names");
    static const char *const mnames[M_NCOLS] = {"addr", "fin_ts", "fin_lo", "fin_hi",
                                                "real", "gap_lo", "gap_hi"};
    static const char *const rnames[R_NCOLS] = {"fin_ts", "fin_lo", "fin_hi"};
    uint32_t idx;
    if ((st = kiln_air_add_table(air, "cpu", &tc)) != KILN_OK) goto fail;
    for (int i = 0; i < C_NCOLS; i++)
        if ((st = kiln_air_add_main(tc, cnames[i], &idx)) != KILN_OK) goto fail;
    if ((st = kiln_air_add_table(air, "program", &tp)) != KILN_OK ||
        (st = kiln_air_add_main(tp, "mult", &idx)) != KILN_OK ||
        (st = kiln_air_set_preprocessed(tp, ZP_NCOLS, p->code_log, fill_prog, (void *)p)) != KILN_OK)
        goto fail;
    if ((st = kiln_air_add_table(air, "regs", &tr)) != KILN_OK) goto fail;
    for (int i = 0; i < R_NCOLS; i++)
        if ((st = kiln_air_add_main(tr, rnames[i], &idx)) != KILN_OK) goto fail;
    if ((st = kiln_air_set_preprocessed(tr, 3, 5, fill_regs, NULL)) != KILN_OK) goto fail;
    if ((st = kiln_air_add_table(air, "ram", &tm)) != KILN_OK) goto fail;
    for (int i = 0; i < M_NCOLS; i++)
        if ((st = kiln_air_add_main(tm, mnames[i], &idx)) != KILN_OK) goto fail;
    if ((st = kiln_air_add_table(air, "range", &tg)) != KILN_OK ||
        (st = kiln_air_add_main(tg, "mult", &idx)) != KILN_OK ||
        (st = kiln_air_set_preprocessed(tg, 1, 16, fill_range, NULL)) != KILN_OK)
        goto fail;
    build_cpu(tc);
    build_prog(tp);
    build_regs(tr);
    build_ram(tm);
    {
        kiln_air_table *t = tg;
        kiln_expr v = kiln_air_pre_col(t, 0, 0);
        kiln_air_interact(t, ZK_BUS_RANGE, kiln_air_neg(t, M(0)), &v, 1);
    }
    if ((st = kiln_air_finalize(air)) != KILN_OK) goto fail;
    *out = air;
    return KILN_OK;
fail:
    kiln_air_destroy(air);
    return st;
}
