/* The zkVM AIR as data (docs/zkvm-air.md): cpu, program (preprocessed), regs (preprocessed init), ram
 * (sorted boundary), range (preprocessed 2^16) and image (preprocessed, witness/air_image.c) tables; buses:
 * range lookups, program lookups and the timestamped memory bus (addr, ts, lo, hi, w). */
#include <string.h>

#include "air_dsl.h"
#include "field/goldilocks.h"
#include "zkvm_u256.h"
#include "zkvm_keccak.h"
#include "zkvm_sys.h"

/* Range table: v = 0..2^16-1; for the byte-wise AND and byte-pair lookups x = v & 0xff, y = v >> 8, x & y;
 * for the shifts' power lookups 2^(v mod 32) (a shift amount is its operand's low 5 bits). */
static void fill_range(void *ctx, uint64_t *cols, size_t ncols, unsigned log_n) {
    (void)ctx;
    (void)ncols;
    size_t n = (size_t)1 << log_n;
    for (size_t r = 0; r < n; r++) {
        cols[r] = r;
        cols[n + r] = r & 0xff;
        cols[2 * n + r] = r >> 8;
        cols[3 * n + r] = (r & 0xff) & (r >> 8);
        cols[4 * n + r] = (uint64_t)1 << (r & 31);
    }
}

static void fill_prog(void *ctx, uint64_t *cols, size_t ncols, unsigned log_n) {
    const kiln_zkvm_program *p = (const kiln_zkvm_program *)ctx;
    size_t n = (size_t)1 << log_n;
    memset(cols, 0, ncols * n * 8);
    for (size_t r = 0; r < p->ncode && r < n; r++) {
        const zk_code *c = &p->code[r];
        cols[ZP_PC * n + r] = c->pc;
        cols[ZP_OP * n + r] = c->pr.flag < 0 ? 0 : (uint64_t)c->pr.flag + 1; /* 0: not provable */
        cols[ZP_RD * n + r] = c->d.rd;
        cols[ZP_RS1 * n + r] = c->d.rs1;
        cols[ZP_RS2 * n + r] = c->d.rs2;
        cols[ZP_IMM_LO * n + r] = c->pr.imm & 0xffff;
        cols[ZP_IMM_HI * n + r] = c->pr.imm >> 16;
        cols[ZP_TARGET * n + r] = c->pr.target;
        cols[ZP_WR * n + r] = c->d.wr;
        cols[ZP_FI * n + r] = c->pr.fi;
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

#define CON(dom, e, name) kiln_air_constrain(t, (dom), (e), (name))
#define W(lo, hi) ADD(M(lo), MUL(K(65536), M(hi)))
#define BOOL(c, name) CON(KILN_AIR_EVERY, MUL(M(c), SUB(M(c), K(1))), name)
#define FLAG(f) M(C_F0 + (f))

static kiln_expr lin(kiln_air_table *t, kiln_expr acc, kiln_expr add) {
    return acc == KILN_EXPR_INVALID ? add : ADD(acc, add);
}

static void range1(kiln_air_table *t, kiln_expr mult, kiln_expr v) {
    kiln_air_interact(t, ZK_BUS_RANGE, mult, &v, 1);
}

/* One access: receives (addr, prev_ts, prev, w) and sends (addr, ts, new, w). The same w on both sides keeps
 * a word's writability flag constant along its chain, from the boundary row that started it. */
static void mem_access(kiln_air_table *t, kiln_expr mult, kiln_expr addr, kiln_expr prev_ts, kiln_expr plo,
                       kiln_expr phi, kiln_expr ts, kiln_expr nlo, kiln_expr nhi, kiln_expr w) {
    kiln_expr rv[5] = {addr, prev_ts, plo, phi, w}, sv[5] = {addr, ts, nlo, nhi, w};
    kiln_air_interact(t, ZK_BUS_MEM, kiln_air_neg(t, mult), rv, 5);
    kiln_air_interact(t, ZK_BUS_MEM, mult, sv, 5);
}

static void build_cpu(kiln_air_table *t) {
    /* One-hot flags; an op's flag code (ZF_* + 1) is what the program lookup uses (op 0 never matches). */
    kiln_expr fsum = KILN_EXPR_INVALID, opx = KILN_EXPR_INVALID;
    for (int i = 0; i < ZF_NFLAGS; i++) {
        BOOL(C_F0 + i, "flag bool");
        fsum = lin(t, fsum, M(C_F0 + i));
        /* An ecall row looks up the ecall word's code (ZF_EXIT's) whatever its a7; padding has none. */
        int code = i == ZF_ECALL ? ZF_EXIT + 1 : i + 1;
        if (i != ZF_PAD) opx = lin(t, opx, MUL(K(code), M(C_F0 + i)));
    }
    CON(KILN_AIR_EVERY, SUB(fsum, K(1)), "one flag");
    kiln_expr pad = M(C_FPAD), real = SUB(K(1), pad), fexit = FLAG(ZF_EXIT);
    kiln_expr pc = M(C_PC), clk = M(C_CLK), one = K(1);
    /* Selectors from the program row (zk_prog_row): target picks sub, sltu, xor and signed loads within
     * their flag; imm_lo the negated branches and the M kind. */
    kiln_expr tsel = M(C_TARGET), isel = M(C_IMM_LO);

    /* Control: clock, start, padding after exit only, exit at the end. */
    CON(KILN_AIR_FIRST, clk, "clk0");
    CON(KILN_AIR_TRANSITION, SUB(MN(C_CLK), ADD(clk, one)), "clk'");
    CON(KILN_AIR_FIRST, SUB(pc, kiln_air_public(t, KILN_ZKVM_PUB_START_PC)), "start pc");
    CON(KILN_AIR_FIRST, pad, "first row real");
    CON(KILN_AIR_TRANSITION, MUL(MN(C_FPAD), SUB(one, ADD(pad, fexit))), "pad only after exit");
    CON(KILN_AIR_TRANSITION, MUL(ADD(pad, fexit), SUB(one, MN(C_FPAD))), "exit then pad");
    /* Segments: only the last one ends halted (exit or padding on its last row) and holds the exit; first and
     * last are booleans, first only for segment 1 (the verifier checks the rest of the chain). */
    kiln_expr first = kiln_air_public(t, KILN_ZKVM_PUB_FIRST), last = kiln_air_public(t, KILN_ZKVM_PUB_LAST);
    kiln_expr notlast = SUB(one, last);
    CON(KILN_AIR_FIRST, MUL(first, SUB(first, one)), "first bool");
    CON(KILN_AIR_FIRST, MUL(last, SUB(last, one)), "last bool");
    CON(KILN_AIR_FIRST, MUL(first, SUB(kiln_air_public(t, KILN_ZKVM_PUB_SEGMENT), one)), "first is segment 1");
    CON(KILN_AIR_LAST, MUL(last, SUB(one, ADD(pad, fexit))), "ends halted");
    CON(KILN_AIR_EVERY, MUL(notlast, fexit), "exit in the last segment only");
    CON(KILN_AIR_EVERY, MUL(fexit, SUB(pc, kiln_air_public(t, KILN_ZKVM_PUB_END_PC))), "end pc");
    CON(KILN_AIR_EVERY, MUL(fexit, SUB(W(C_A_LO, C_A_HI), kiln_air_public(t, KILN_ZKVM_PUB_EXIT_CODE))),
        "exit code");
    CON(KILN_AIR_EVERY, MUL(fexit, SUB(M(C_B_LO), K(KILN_SYS_EXIT))), "a7 = exit lo");
    CON(KILN_AIR_EVERY, MUL(fexit, M(C_B_HI)), "a7 = exit hi");

    /* Program lookup. */
    kiln_expr tup[ZP_NCOLS] = {pc,          opx,         M(C_RD),     M(C_RS1), M(C_RS2),
                               M(C_IMM_LO), M(C_IMM_HI), M(C_TARGET), M(C_WR),  M(C_FI)};
    kiln_air_interact(t, ZK_BUS_PROG, real, tup, ZP_NCOLS);

    /* Second operand bb = (fi ? imm : rs2), for the adder, the subtractor, the bitwise ops and the shifts. */
    kiln_expr fi = M(C_FI);
    CON(KILN_AIR_EVERY, SUB(M(C_BB_LO), ADD(M(C_B_LO), MUL(fi, SUB(M(C_IMM_LO), M(C_B_LO))))), "bb lo");
    CON(KILN_AIR_EVERY, SUB(M(C_BB_HI), ADD(M(C_B_HI), MUL(fi, SUB(M(C_IMM_HI), M(C_B_HI))))), "bb hi");

    /* Adder: s = rs1 + bb, low word bits b0, b1 and q = s_lo >> 2. */
    CON(KILN_AIR_EVERY, SUB(ADD(M(C_A_LO), M(C_BB_LO)), ADD(M(C_S_LO), MUL(K(65536), M(C_C0)))), "add lo");
    CON(KILN_AIR_EVERY,
        SUB(ADD(ADD(M(C_A_HI), M(C_BB_HI)), M(C_C0)), ADD(M(C_S_HI), MUL(K(65536), M(C_C1)))), "add hi");
    CON(KILN_AIR_EVERY, SUB(M(C_S_LO), ADD(MUL(K(4), M(C_Q)), ADD(MUL(K(2), M(C_B1)), M(C_B0)))),
        "s_lo bits");
    BOOL(C_C0, "c0");
    BOOL(C_C1, "c1");
    BOOL(C_B0, "b0");
    BOOL(C_B1, "b1");

    /* Subtractor and comparisons: d = rs1 - bb + borrow * 2^32. */
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
    CON(KILN_AIR_EVERY, MUL(SUB(one, M(C_EQ)), SUB(MUL(dz, M(C_INV)), one)), "!eq -> d != 0");
    /* Signed a < bb: by the sign bits when they differ (a negative), else the unsigned borrow. With sa, sb
     * boolean, sa (1 - sb) + (1 - sa - sb + 2 sa sb) borrow. */
    kiln_expr sa = M(C_SA), sb = M(C_SB);
    kiln_expr same = ADD(SUB(SUB(one, sa), sb), MUL(K(2), MUL(sa, sb)));
    CON(KILN_AIR_EVERY, SUB(M(C_LT), ADD(MUL(sa, SUB(one, sb)), MUL(same, M(C_BORROW)))), "lt signed");

    /* Byte and half access flags (used by the byte lookups below and the access constraints further on). */
    kiln_expr flb = FLAG(ZF_LB), flh = FLAG(ZF_LH), fsb = FLAG(ZF_SB), fsthalf = FLAG(ZF_SH);
    kiln_expr fbyte = ADD(flb, fsb), fhalf = ADD(flh, fsthalf), fbh = ADD(fbyte, fhalf);
    /* Bitwise ops: a = sum 256^i xa_i, bb = sum 256^i xb_i, each (xa_i, xb_i, xn_i) looked up in the AND
     * table (so xa_i, xb_i are bytes and xn_i = xa_i & xb_i); x | y = x + y - (x & y), x ^ y = x + y - 2 (x &
     * y). */
    kiln_expr fand = FLAG(ZF_AND), forx = FLAG(ZF_ORX), fbit = ADD(fand, forx);
    CON(KILN_AIR_EVERY, MUL(fbit, SUB(M(C_A_LO), ADD(M(C_XA0), MUL(K(256), M(C_XA0 + 1))))), "bytes a lo");
    CON(KILN_AIR_EVERY, MUL(fbit, SUB(M(C_A_HI), ADD(M(C_XA0 + 2), MUL(K(256), M(C_XA0 + 3))))),
        "bytes a hi");
    CON(KILN_AIR_EVERY, MUL(fbit, SUB(M(C_BB_LO), ADD(M(C_XB0), MUL(K(256), M(C_XB0 + 1))))), "bytes bb lo");
    CON(KILN_AIR_EVERY, MUL(fbit, SUB(M(C_BB_HI), ADD(M(C_XB0 + 2), MUL(K(256), M(C_XB0 + 3))))),
        "bytes bb hi");
    kiln_expr wa = KILN_EXPR_INVALID, wb = KILN_EXPR_INVALID, wn = KILN_EXPR_INVALID;
    for (int i = 0; i < 4; i++) {
        kiln_expr sc = K((uint64_t)1 << (8 * i));
        wa = lin(t, wa, MUL(sc, M(C_XA0 + i)));
        wb = lin(t, wb, MUL(sc, M(C_XB0 + i)));
        wn = lin(t, wn, MUL(sc, M(C_XN0 + i)));
        kiln_expr tv[3] = {M(C_XA0 + i), M(C_XB0 + i), M(C_XN0 + i)};
        kiln_air_interact(t, ZK_BUS_AND, ADD(fbit, fbyte), tv, 3);
    }
    kiln_expr wab = ADD(wa, wb);

    /* Shifts (docs/zkvm-air.md), in the byte columns: (bb_lo, p = 2^(bb_lo mod 32)) looked up in the power
     * table; x_lo, x_hi, g_lo, g_hi, sr_lo, sr_hi range-checked and p - 1 - x = g, so x < p <= 2^31; SLL:
     * a p = sr + 2^32 x; SRL/SRA: a + [sra] 2^32 sa (p - 1) = sr p + x. Every product stays below 2^63 + 2^32,
     * so the identities hold over the integers. */
    kiln_expr fsll = FLAG(ZF_SLL), fsra = FLAG(ZF_SRA), fsr = ADD(FLAG(ZF_SRL), fsra), fsh = ADD(fsll, fsr);
    kiln_expr P2 = M(C_P), wsr = W(C_SR_LO, C_SR_HI), wx = W(C_X_LO, C_X_HI), wA = W(C_A_LO, C_A_HI);
    kiln_expr two32 = K((uint64_t)1 << 32);
    CON(KILN_AIR_EVERY, MUL(fsll, SUB(MUL(wA, P2), ADD(wsr, MUL(two32, wx)))), "sll");
    CON(KILN_AIR_EVERY,
        ADD(MUL(fsr, SUB(wA, ADD(MUL(wsr, P2), wx))), MUL(fsra, MUL(MUL(two32, M(C_SA)), SUB(P2, one)))),
        "srl/sra");
    CON(KILN_AIR_EVERY, MUL(fsh, SUB(SUB(P2, one), ADD(wx, W(C_G_LO, C_G_HI)))), "x < p");
    {
        kiln_expr pv[2] = {M(C_BB_LO), P2};
        kiln_air_interact(t, ZK_BUS_POW, fsh, pv, 2);
    }

    /* Byte and half accesses (docs/zkvm-air.md): one-hot offset o within the aligned word 4q + 2^16 s_hi; for
     * bytes the old word's bytes are xa0..3 (looked up as (xa_i, xb_i, xn_i) in the AND table, so bytes), the
     * stored byte is xb0 (b_lo = xb0 + 256 xb1); lv = the selected byte / half; sg its sign (range lookup).
     */
    kiln_expr osum = KILN_EXPR_INVALID, bsel = KILN_EXPR_INVALID;
    for (int i = 0; i < 4; i++) {
        BOOL(C_O0 + i, "offset bool");
        osum = lin(t, osum, M(C_O0 + i));
        bsel = lin(t, bsel, MUL(M(C_O0 + i), M(C_XA0 + i)));
    }
    BOOL(C_SG, "load sign bool");
    CON(KILN_AIR_EVERY, MUL(fbh, SUB(osum, one)), "offset one-hot");
    CON(KILN_AIR_EVERY, MUL(fbh, SUB(M(C_B0), ADD(M(C_O0 + 1), M(C_O0 + 3)))), "offset b0");
    CON(KILN_AIR_EVERY, MUL(fbh, SUB(M(C_B1), ADD(M(C_O0 + 2), M(C_O0 + 3)))), "offset b1");
    CON(KILN_AIR_EVERY, MUL(fhalf, M(C_B0)), "half aligned");
    CON(KILN_AIR_EVERY, MUL(fbyte, SUB(M(C_MP_LO), ADD(M(C_XA0), MUL(K(256), M(C_XA0 + 1))))), "bytes mp lo");
    CON(KILN_AIR_EVERY, MUL(fbyte, SUB(M(C_MP_HI), ADD(M(C_XA0 + 2), MUL(K(256), M(C_XA0 + 3))))),
        "bytes mp hi");
    CON(KILN_AIR_EVERY, MUL(fsb, SUB(M(C_B_LO), ADD(M(C_XB0), MUL(K(256), M(C_XB0 + 1))))), "bytes sb");
    CON(KILN_AIR_EVERY, MUL(fbyte, SUB(M(C_LV), bsel)), "byte selected");
    CON(KILN_AIR_EVERY, MUL(fhalf, SUB(M(C_LV), ADD(MUL(M(C_O0), M(C_MP_LO)), MUL(M(C_O0 + 2), M(C_MP_HI))))),
        "half selected");
    kiln_expr dbyte = SUB(M(C_XB0), M(C_LV)), dhalf = SUB(M(C_B_LO), M(C_LV));
    CON(KILN_AIR_EVERY,
        MUL(fsb, SUB(M(C_MV_LO), ADD(M(C_MP_LO), MUL(dbyte, ADD(M(C_O0), MUL(K(256), M(C_O0 + 1))))))),
        "sb lo");
    CON(KILN_AIR_EVERY,
        MUL(fsb, SUB(M(C_MV_HI), ADD(M(C_MP_HI), MUL(dbyte, ADD(M(C_O0 + 2), MUL(K(256), M(C_O0 + 3))))))),
        "sb hi");
    CON(KILN_AIR_EVERY, MUL(fsthalf, SUB(M(C_MV_LO), ADD(M(C_MP_LO), MUL(dhalf, M(C_O0))))), "sh lo");
    CON(KILN_AIR_EVERY, MUL(fsthalf, SUB(M(C_MV_HI), ADD(M(C_MP_HI), MUL(dhalf, M(C_O0 + 2))))), "sh hi");
    /* sg is the loaded value's top bit on every byte (half) load; only signed loads (target = 1) use it. */
    range1(t, flb, MUL(K(512), SUB(M(C_LV), MUL(K(128), M(C_SG)))));
    range1(t, flh, MUL(K(2), SUB(M(C_LV), MUL(K(32768), M(C_SG)))));

    /* M ops: (kind = imm_lo, a, b, res) sent to the muldiv table, which proves res (air_muldiv.c). */
    kiln_expr fmd = zk_muldiv_air_cpu(t);

    /* Result written to rd. */
    kiln_expr pc4 = ADD(pc, K(4)), ws = W(C_S_LO, C_S_HI), lt = M(C_LT), bo = M(C_BORROW);
    kiln_expr R = MUL(FLAG(ZF_ADD), ADD(ws, MUL(tsel, SUB(W(C_D_LO, C_D_HI), ws)))); /* add / sub */
    R = ADD(R, MUL(FLAG(ZF_LUI), W(C_IMM_LO, C_IMM_HI))); /* lui; auipc: the program row holds pc + imm */
    R = ADD(R, MUL(FLAG(ZF_SLT), ADD(lt, MUL(tsel, SUB(bo, lt)))));
    R = ADD(R, MUL(FLAG(ZF_LW), W(C_MP_LO, C_MP_HI)));
    R = ADD(R, MUL(fand, wn));
    R = ADD(R, MUL(forx, SUB(SUB(wab, wn), MUL(tsel, wn)))); /* or; xor = or - (x & y) */
    R = ADD(R, MUL(fsh, wsr));
    R = ADD(R, MUL(ADD(flb, flh), M(C_LV)));
    R = ADD(R, MUL(flb, MUL(tsel, MUL(K(((uint64_t)1 << 32) - 256), M(C_SG)))));
    R = ADD(R, MUL(flh, MUL(tsel, MUL(K(((uint64_t)1 << 32) - 65536), M(C_SG)))));
    R = ADD(R, MUL(ADD(FLAG(ZF_JAL), FLAG(ZF_JALR)), pc4));
    R = ADD(R, MUL(fmd, W(C_RES_LO, C_RES_HI))); /* res is the muldiv table's */
    /* v is committed so that the write, gated by wr, stays degree 2 (R is degree 3 with its selectors). */
    CON(KILN_AIR_EVERY, SUB(M(C_V), R), "value");
    CON(KILN_AIR_EVERY, MUL(M(C_WR), SUB(W(C_RES_LO, C_RES_HI), M(C_V))), "rd value");
    /* An ecall (rd = a0, wr = 0) takes a0's new value from its syscall table through the syscall bus. */
    kiln_expr keep = SUB(SUB(one, M(C_WR)), FLAG(ZF_ECALL));
    CON(KILN_AIR_EVERY, MUL(keep, SUB(M(C_RES_LO), M(C_RDP_LO))), "rd kept lo");
    CON(KILN_AIR_EVERY, MUL(keep, SUB(M(C_RES_HI), M(C_RDP_HI))), "rd kept hi");

    /* Next pc. A branch's condition is c or 1 - c by imm_lo: c + neg (1 - 2c). */
    kiln_expr fbr = ADD(FLAG(ZF_BEQ), ADD(FLAG(ZF_BLT), FLAG(ZF_BLTU))), eq = M(C_EQ);
    kiln_expr flip = SUB(one, MUL(K(2), isel));
    kiln_expr cond = ADD(MUL(FLAG(ZF_BEQ), ADD(isel, MUL(flip, eq))), MUL(FLAG(ZF_BLT), ADD(isel, MUL(flip, lt))));
    cond = ADD(cond, MUL(FLAG(ZF_BLTU), ADD(isel, MUL(flip, bo))));
    CON(KILN_AIR_EVERY, SUB(M(C_BR), cond), "branch taken"); /* committed: cond is degree 3 */
    kiln_expr fseq = KILN_EXPR_INVALID;
    const int seq[] = {ZF_ADD, ZF_LUI, ZF_LW,  ZF_SW,  ZF_SLT, ZF_AND, ZF_ORX, ZF_SLL,  ZF_SRL,
                       ZF_SRA, ZF_LB,  ZF_LH,  ZF_SB,  ZF_SH,  ZF_M,   ZF_ECALL};
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
        fseq = lin(t, fseq, FLAG(seq[i]));
    kiln_expr npc = ADD(MUL(ADD(fseq, fbr), pc4), MUL(FLAG(ZF_JAL), M(C_TARGET)));
    npc = ADD(npc, MUL(FLAG(ZF_JALR), ADD(MUL(K(4), M(C_Q)), MUL(K(65536), M(C_S_HI)))));
    npc = ADD(npc, MUL(M(C_BR), SUB(M(C_TARGET), pc4)));
    npc = ADD(npc, MUL(ADD(fexit, pad), pc));
    /* npc has degree 2 (br is committed), so the last-row boundary constraint fits the quotient's chunks (a
     * degree-3 one would not). A segment other than the last hands its last row's next pc to the next
     * segment's start pc. */
    CON(KILN_AIR_TRANSITION, SUB(MN(C_PC), npc), "next pc");
    CON(KILN_AIR_LAST, MUL(notlast, SUB(npc, kiln_air_public(t, KILN_ZKVM_PUB_NEXT_PC))), "next pc out");
    CON(KILN_AIR_EVERY, MUL(FLAG(ZF_JALR), M(C_B1)), "jalr target aligned");

    /* Memory: registers at addresses 0..31, RAM words at their byte address; ts = 4 clk + slot. */
    kiln_expr fword = ADD(FLAG(ZF_LW), FLAG(ZF_SW)), fsw = FLAG(ZF_SW);
    kiln_expr fmem = ADD(fword, fbh), fstore = ADD(fsw, ADD(fsb, fsthalf));
    CON(KILN_AIR_EVERY, MUL(fword, M(C_B0)), "mem aligned b0");
    CON(KILN_AIR_EVERY, MUL(fword, M(C_B1)), "mem aligned b1");
    CON(KILN_AIR_EVERY, MUL(fsw, SUB(M(C_MV_LO), M(C_B_LO))), "sw value lo");
    CON(KILN_AIR_EVERY, MUL(fsw, SUB(M(C_MV_HI), M(C_B_HI))), "sw value hi");
    CON(KILN_AIR_EVERY, MUL(SUB(one, fstore), SUB(M(C_MV_LO), M(C_MP_LO))), "load keeps lo");
    CON(KILN_AIR_EVERY, MUL(SUB(one, fstore), SUB(M(C_MV_HI), M(C_MP_HI))), "load keeps hi");
    kiln_expr T = MUL(K(4), clk);
    /* Each access (slot 1..4) consumes the one at prev_ts = ts - 1 - e, e = e_lo + 2^16 e_hi with e_lo 16 and
     * e_hi 8 bits: every access is strictly after the one it consumes (ts < 2^24 for segments of at most
     * 2^22 rows, so e never wraps). */
    kiln_expr pt1 = SUB(T, W(C_E1L, C_E1H)), pt2 = SUB(ADD(T, one), W(C_E2L, C_E2H));
    kiln_expr ptm = SUB(ADD(T, K(2)), W(C_EML, C_EMH)), pt3 = SUB(ADD(T, K(3)), W(C_E3L, C_E3H));
    /* Registers are writable (w = 1); the memory slot carries the word's w, which a store forces to 1, so a
     * store to a read-only image word (w = 0 chain) cannot balance the bus. */
    BOOL(C_MW, "mw bool");
    CON(KILN_AIR_EVERY, MUL(fstore, SUB(one, M(C_MW))), "stores write writable words");
    mem_access(t, real, M(C_RS1), pt1, M(C_A_LO), M(C_A_HI), ADD(T, one), M(C_A_LO), M(C_A_HI), one);
    mem_access(t, real, M(C_RS2), pt2, M(C_B_LO), M(C_B_HI), ADD(T, K(2)), M(C_B_LO), M(C_B_HI), one);
    /* The memory slot: a load or store at ma = 4q + 2^16 s_hi, or on ecall rows (exit or another syscall) a
     * read of a1 (x11: ma = 11, w = 1, and mv = mp as for any non-store); one access serves both. */
    kiln_expr fsys = ADD(fexit, FLAG(ZF_ECALL));
    kiln_expr maddr = ADD(MUL(K(4), M(C_Q)), MUL(K(65536), M(C_S_HI)));
    CON(KILN_AIR_EVERY, MUL(fmem, SUB(M(C_MA), maddr)), "memory address");
    CON(KILN_AIR_EVERY, MUL(fsys, SUB(M(C_MA), K(11))), "ecall reads a1");
    CON(KILN_AIR_EVERY, MUL(fsys, SUB(one, M(C_MW))), "a1 is writable");
    mem_access(t, ADD(fmem, fsys), M(C_MA), ptm, M(C_MP_LO), M(C_MP_HI), ADD(T, K(3)), M(C_MV_LO), M(C_MV_HI),
               M(C_MW));
    mem_access(t, real, M(C_RD), pt3, M(C_RDP_LO), M(C_RDP_HI), ADD(T, K(4)), M(C_RES_LO), M(C_RES_HI), one);
    /* Ecall rows send (clk, a7, a0, a1, a0 after) to the syscall tables, whose own accesses use ts = 4 clk +
     * 3 too (on RAM words, never a register). */
    {
        kiln_expr sv[5] = {clk, W(C_B_LO, C_B_HI), W(C_A_LO, C_A_HI), W(C_MP_LO, C_MP_HI),
                           W(C_RES_LO, C_RES_HI)};
        kiln_air_interact(t, ZK_BUS_SYSCALL, fsys, sv, 5);
    }

    /* Range checks (16 bits), and the timestamp gaps' high parts as byte pairs. */
    const int r16[] = {C_E1L, C_E2L, C_EML, C_E3L, C_RES_LO, C_RES_HI, C_S_LO, C_S_HI, C_Q, C_D_LO, C_D_HI};
    for (size_t i = 0; i < sizeof r16 / sizeof r16[0]; i++)
        range1(t, one, M(r16[i]));
    {
        kiln_expr p1[2] = {M(C_E1H), M(C_E2H)}, p2[2] = {M(C_EMH), M(C_E3H)};
        kiln_air_interact(t, ZK_BUS_BYTES, one, p1, 2);
        kiln_air_interact(t, ZK_BUS_BYTES, one, p2, 2);
    }
    /* Sign bits: 2 (hi - 2^15 s) < 2^16. */
    range1(t, one, MUL(K(2), SUB(M(C_A_HI), MUL(K(32768), M(C_SA)))));
    range1(t, one, MUL(K(2), SUB(M(C_BB_HI), MUL(K(32768), M(C_SB)))));
    /* Memory addresses are >= KILN_VM_LOAD_MIN, so never a register (0..31): maddr - 0x1000 = (4q - 0x1000 +
     * 2^16 mb) + 2^16 (s_hi - mb) with both parts range-checked. Which words exist (image, heap, stack) is
     * decided by the boundary tables on the memory bus. */
    BOOL(C_MB, "mb bool");
    range1(t, fmem, ADD(SUB(MUL(K(4), M(C_Q)), K(KILN_VM_LOAD_MIN)), MUL(K(65536), M(C_MB))));
    range1(t, fmem, SUB(M(C_S_HI), M(C_MB)));
    /* Shift limbs. */
    const int rsh[] = {C_X_LO, C_X_HI, C_G_LO, C_G_HI, C_SR_LO, C_SR_HI};
    for (size_t i = 0; i < sizeof rsh / sizeof rsh[0]; i++)
        range1(t, fsh, M(rsh[i]));
}

static void build_prog(kiln_air_table *t) {
    kiln_expr v[ZP_NCOLS];
    for (int i = 0; i < ZP_NCOLS; i++)
        v[i] = kiln_air_pre_col(t, (uint32_t)i, 0);
    kiln_air_interact(t, ZK_BUS_PROG, kiln_air_neg(t, M(0)), v, ZP_NCOLS);
}

void zk_air_chain(kiln_air_table *t, kiln_expr live, kiln_expr addr, kiln_expr ilo, kiln_expr ihi,
                  kiln_expr flo, kiln_expr fhi, kiln_expr w) {
    kiln_expr s = kiln_air_public(t, KILN_ZKVM_PUB_SEGMENT);
    kiln_expr nf = SUB(K(1), kiln_air_public(t, KILN_ZKVM_PUB_FIRST));
    kiln_expr nl = SUB(K(1), kiln_air_public(t, KILN_ZKVM_PUB_LAST));
    kiln_expr sv[5] = {addr, flo, fhi, w, s}, rv[5] = {addr, ilo, ihi, w, SUB(s, K(1))};
    kiln_air_interact_global(t, ZK_BUS_GLOBAL_MEM, MUL(live, nl), sv, 5);
    kiln_air_interact_global(t, ZK_BUS_GLOBAL_MEM, kiln_air_neg(t, MUL(live, nf)), rv, 5);
}

/* Registers: the segment's initial values (main; the entry values when first) and final values. */
static void build_regs(kiln_air_table *t) {
    kiln_expr a = kiln_air_pre_col(t, 0, 0), first = kiln_air_public(t, KILN_ZKVM_PUB_FIRST);
    CON(KILN_AIR_EVERY, MUL(first, SUB(M(R_ILO), kiln_air_pre_col(t, 1, 0))), "regs entry lo");
    CON(KILN_AIR_EVERY, MUL(first, SUB(M(R_IHI), kiln_air_pre_col(t, 2, 0))), "regs entry hi");
    kiln_expr iv[5] = {a, K(0), M(R_ILO), M(R_IHI), K(1)};
    kiln_expr fv[5] = {a, M(R_FTS), M(R_FLO), M(R_FHI), K(1)};
    kiln_air_interact(t, ZK_BUS_MEM, K(1), iv, 5);
    kiln_air_interact(t, ZK_BUS_MEM, K(KILN_GL_P - 1), fv, 5);
    zk_air_chain(t, K(1), a, M(R_ILO), M(R_IHI), M(R_FLO), M(R_FHI), K(1));
}

/* Heap and stack words (zero at entry, writable), addresses strictly increasing: heap rows (stk = 0) in
 * [heap_base, HEAP_END), then stack rows (stk = 1) in [STACK_BASE, STACK_TOP). Each real row's address is
 * base + gap (base: heap_base or STACK_BASE for the first row of its region, else the previous address + 1)
 * and bound - 1 - u (bound: HEAP_END or STACK_TOP), gap and u 32-bit (16-bit limbs): docs/zkvm-air.md. */
static void build_ram(kiln_air_table *t, uint32_t heap_base) {
    kiln_expr real = M(M_REAL), addr = M(M_ADDR), stk = M(M_STK);
    BOOL(M_REAL, "real bool");
    BOOL(M_STK, "stack bool");
    CON(KILN_AIR_TRANSITION, MUL(SUB(K(1), real), MN(M_REAL)), "real rows first");
    CON(KILN_AIR_TRANSITION, MUL(MN(M_REAL), MUL(stk, SUB(K(1), MN(M_STK)))), "heap rows first");
    kiln_expr base0 = ADD(K(heap_base), MUL(stk, K(KILN_ZKVM_STACK_BASE - heap_base)));
    CON(KILN_AIR_FIRST, MUL(real, SUB(SUB(addr, base0), W(M_GL, M_GH))), "first addr >= base");
    kiln_expr next = ADD(addr, K(1));
    kiln_expr base = ADD(next, MUL(SUB(MN(M_STK), stk), SUB(K(KILN_ZKVM_STACK_BASE), next)));
    CON(KILN_AIR_TRANSITION,
        MUL(MN(M_REAL), SUB(SUB(MN(M_ADDR), base), ADD(MN(M_GL), MUL(K(65536), MN(M_GH))))),
        "addresses increase");
    kiln_expr bound = ADD(K(KILN_VM_HEAP_END - 1), MUL(stk, K(KILN_VM_STACK_TOP - KILN_VM_HEAP_END)));
    CON(KILN_AIR_EVERY, MUL(real, SUB(SUB(bound, addr), W(M_UL, M_UH))), "addr < region end");
    range1(t, K(1), M(M_GL));
    range1(t, K(1), M(M_GH));
    range1(t, K(1), M(M_UL));
    range1(t, K(1), M(M_UH));
    /* The segment's initial value: zero at entry (first), else the previous segment's final (global bus). */
    kiln_expr first = kiln_air_public(t, KILN_ZKVM_PUB_FIRST);
    CON(KILN_AIR_EVERY, MUL(first, M(M_ILO)), "ram zero at entry lo");
    CON(KILN_AIR_EVERY, MUL(first, M(M_IHI)), "ram zero at entry hi");
    kiln_expr iv[5] = {addr, K(0), M(M_ILO), M(M_IHI), K(1)},
              fv[5] = {addr, M(M_FTS), M(M_FLO), M(M_FHI), K(1)};
    kiln_air_interact(t, ZK_BUS_MEM, real, iv, 5);
    kiln_air_interact(t, ZK_BUS_MEM, kiln_air_neg(t, real), fv, 5);
    zk_air_chain(t, real, addr, M(M_ILO), M(M_IHI), M(M_FLO), M(M_FHI), K(1));
}

kiln_status kiln_zkvm_air_build(const kiln_zkvm_program *p, kiln_air **out) {
    if (!p || !out) return KILN_ERR_INVALID_ARG;
    kiln_air *air = NULL;
    kiln_status st = kiln_air_create("zkvm-rv32-slice4-flags", KILN_ZKVM_NPUB, &air);
    if (st != KILN_OK) return st;
    kiln_air_table *tc, *tp, *tr, *tm, *tg, *td, *ts2, *tio, *tex, *tu, *tk;
    static const char *const cnames[] = {
        "clk", "pc", "f_add", "f_lui", "f_jal", "f_jalr", "f_beq", "f_blt", "f_bltu", "f_lw", "f_sw", "f_slt",
        "f_and", "f_orx", "f_sll", "f_srl", "f_sra", "f_lb", "f_lh", "f_sb", "f_sh", "f_exit", "f_m", "f_ecall",
        "f_pad", "rd", "rs1", "rs2", "imm_lo", "imm_hi", "target", "wr", "fi", "a_lo", "a_hi", "b_lo", "b_hi",
        "res_lo", "res_hi", "rdp_lo", "rdp_hi", "e1l", "e1h", "e2l", "e2h", "eml", "emh", "e3l", "e3h", "mp_lo",
        "mp_hi", "mv_lo", "mv_hi", "s_lo", "s_hi", "q", "b0", "b1", "c0", "c1", "bb_lo", "bb_hi", "d_lo",
        "d_hi", "dc", "borrow", "eq", "inv", "sa", "sb", "lt", "xa0/p2", "xa1/x_lo", "xa2/x_hi", "xa3/g_lo",
        "xb0/g_hi", "xb1/sr_lo", "xb2/sr_hi", "xb3", "xn0", "xn1", "xn2", "xn3", "o0", "o1", "o2",
        "o3", "lv", "sg", "mw", "mb", "ma", "v", "br",};
    _Static_assert(sizeof cnames / sizeof cnames[0] == C_NCOLS, "cpu column names");
    static const char *const mnames[M_NCOLS] = {"addr",   "fin_ts", "fin_lo", "fin_hi", "real",    "gap_lo",
                                                "gap_hi", "stk",    "up_lo",  "up_hi",  "init_lo", "init_hi"};
    static const char *const rnames[R_NCOLS] = {"fin_ts", "fin_lo", "fin_hi", "init_lo", "init_hi"};
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
        (st = kiln_air_add_main(tg, "and_mult", &idx)) != KILN_OK ||
        (st = kiln_air_add_main(tg, "pow_mult", &idx)) != KILN_OK ||
        (st = kiln_air_add_main(tg, "bytes_mult", &idx)) != KILN_OK ||
        (st = kiln_air_set_preprocessed(tg, 5, 16, fill_range, NULL)) != KILN_OK)
        goto fail;
    if ((st = zk_air_image(air, p)) != KILN_OK) goto fail; /* table ZK_T_IMAGE */
    if ((st = kiln_air_add_table(air, "muldiv", &td)) != KILN_OK || (st = zk_muldiv_air_table(td)) != KILN_OK)
        goto fail;
    if ((st = zk_add_sys_tables(air, &ts2, &tio, &tex)) != KILN_OK) goto fail;
    if ((st = zk_add_u256_table(air, &tu)) != KILN_OK) goto fail; /* table ZK_T_U256 */
    if ((st = zk_keccak_add_table(air, &tk)) != KILN_OK) goto fail; /* table ZK_T_KECCAK */
    build_cpu(tc);
    zk_build_poseidon2(ts2);
    zk_build_io(tio);
    zk_build_exit(tex);
    zk_build_u256(tu);
    zk_build_keccak(tk);
    build_prog(tp);
    build_regs(tr);
    build_ram(tm, p->heap_base);
    {
        kiln_air_table *t = tg;
        kiln_expr v = kiln_air_pre_col(t, 0, 0);
        kiln_air_interact(t, ZK_BUS_RANGE, kiln_air_neg(t, M(G_RMULT)), &v, 1);
        kiln_expr av[3] = {kiln_air_pre_col(t, 1, 0), kiln_air_pre_col(t, 2, 0), kiln_air_pre_col(t, 3, 0)};
        kiln_air_interact(t, ZK_BUS_AND, kiln_air_neg(t, M(G_AMULT)), av, 3);
        kiln_expr pw[2] = {v, kiln_air_pre_col(t, 4, 0)};
        kiln_air_interact(t, ZK_BUS_POW, kiln_air_neg(t, M(G_PMULT)), pw, 2);
        kiln_expr bv[2] = {av[0], av[1]};
        kiln_air_interact(t, ZK_BUS_BYTES, kiln_air_neg(t, M(G_BMULT)), bv, 2);
    }
    /* The operation tables are receivers only: a segment that does not use one leaves it out of its proof. */
    {
        static const unsigned optional[] = {ZK_T_MULDIV, ZK_T_P2, ZK_T_IO, ZK_T_U256, ZK_T_KECCAK};
        for (size_t k = 0; k < sizeof optional / sizeof optional[0] && st == KILN_OK; k++)
            st = kiln_air_set_optional(kiln_air_table_at(air, optional[k]));
        if (st != KILN_OK) goto fail;
    }
    if ((st = kiln_air_finalize(air)) != KILN_OK) goto fail;
    *out = air;
    return KILN_OK;
fail:
    kiln_air_destroy(air);
    return st;
}
