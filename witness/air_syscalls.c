/* The io and exit syscall tables and the memory-access helper every syscall table uses (docs/zkvm-air.md,
 * "Syscalls"). */
#include <stdio.h>

#include "air_dsl.h"
#include "field/goldilocks.h"
#include "zkvm_sys.h"

#define CON(dom, e, name) kiln_air_constrain(t, (dom), (e), (name))
#define W16B(c) ADD(M(c), MUL(K(256), M((c) + 1)))
#define BOOL(c, name) CON(KILN_AIR_EVERY, MUL(M(c), SUB(M(c), K(1))), name)

static void range1(kiln_air_table *t, kiln_expr mult, kiln_expr v) {
    kiln_air_interact(t, ZK_BUS_RANGE, mult, &v, 1);
}

/* One word access on the memory bus: consume (addr, prev_ts, prev) and produce (addr, ts, new). Every syscall
 * table goes through here, so a change of the memory tuple is made in one place. */
void zk_air_mem_word_w(kiln_air_table *t, kiln_expr mult, kiln_expr addr, kiln_expr prev_ts, kiln_expr plo,
                       kiln_expr phi, kiln_expr ts, kiln_expr nlo, kiln_expr nhi, kiln_expr w) {
    kiln_expr rv[5] = {addr, prev_ts, plo, phi, w}, sv[5] = {addr, ts, nlo, nhi, w};
    kiln_air_interact(t, ZK_BUS_MEM, kiln_air_neg(t, mult), rv, 5);
    kiln_air_interact(t, ZK_BUS_MEM, mult, sv, 5);
}

void zk_air_mem_word(kiln_air_table *t, kiln_expr mult, kiln_expr addr, kiln_expr prev_ts, kiln_expr plo,
                     kiln_expr phi, kiln_expr ts, kiln_expr nlo, kiln_expr nhi) {
    /* w = 1: syscall buffers are writable memory (a read-only word's chain carries w = 0 and cannot match). */
    zk_air_mem_word_w(t, mult, addr, prev_ts, plo, phi, ts, nlo, nhi, kiln_air_const(t, 1));
}

kiln_expr zk_air_sys_buffer(kiln_air_table *t, kiln_expr gate, kiln_expr mult, unsigned col, uint32_t size) {
    kiln_expr ptr = ADD(MUL(K(4), M(col)), MUL(K(65536), M(col + 1)));
    range1(t, mult, M(col));
    range1(t, mult, MUL(K(4), M(col)));
    range1(t, mult, SUB(M(col + 1), K(KILN_ZKVM_SYS_MIN >> 16)));
    range1(t, mult, M(col + 2));
    range1(t, mult, M(col + 3));
    kiln_air_constrain(t, KILN_AIR_EVERY, MUL(gate, SUB(SUB(K(KILN_VM_STACK_TOP - size), ptr), W16(M(col + 2), M(col + 3)))),
                       "syscall buffer below stack top");
    return ptr;
}

void zk_air_sys_word(kiln_air_table *t, kiln_expr gate, kiln_expr mult, kiln_expr addr, kiln_expr ts, unsigned pt,
                     unsigned e, kiln_expr plo, kiln_expr phi, kiln_expr nlo, kiln_expr nhi, kiln_expr w) {
    kiln_air_constrain(t, KILN_AIR_EVERY, MUL(gate, SUB(SUB(SUB(ts, M(pt)), K(1)), W16(M(e), M(e + 1)))),
                       "syscall ts order");
    range1(t, mult, M(e));
    range1(t, mult, M(e + 1));
    zk_air_mem_word_w(t, mult, addr, M(pt), plo, phi, ts, nlo, nhi, w);
}

/* io: header rows receive INPUT_READ, INPUT_LEN, COMMIT, DEBUG and ADVICE calls; an INPUT_READ or ADVICE
 * header is followed by nw = ceil(res / 4) word rows writing hint words at a0, a0 + 4, ... (advice: a0 = out,
 * a1 = capacity; its request, in a2 / a3, is not part of the proven run). */
void zk_build_io(kiln_air_table *t) {
    kiln_expr h = M(I_H), w = M(I_W), one = K(1);
    BOOL(I_H, "io h bool");
    BOOL(I_W, "io w bool");
    CON(KILN_AIR_EVERY, MUL(h, w), "io row kind");
    kiln_expr kr = M(I_KR), kl = M(I_KL), kc = M(I_KC), kd = M(I_KD), ka = M(I_KA);
    BOOL(I_KR, "io kr");
    BOOL(I_KL, "io kl");
    BOOL(I_KC, "io kc");
    BOOL(I_KD, "io kd");
    BOOL(I_KA, "io ka");
    CON(KILN_AIR_EVERY, SUB(ADD(ADD(ADD(kr, kl), ADD(kc, kd)), ka), h), "io one kind per header");
    kiln_expr num = ADD(ADD(ADD(MUL(kr, K(KILN_SYS_INPUT_READ)), MUL(kl, K(KILN_SYS_INPUT_LEN))),
                            ADD(MUL(kc, K(KILN_SYS_COMMIT)), MUL(kd, K(KILN_SYS_DEBUG)))),
                        MUL(ka, K(KILN_SYS_ADVICE)));
    kiln_expr krd = ADD(kr, ka); /* the kinds that write words: input_read and advice */
    kiln_expr tup[5] = {M(I_CLK), num, M(I_A0), M(I_A1), M(I_RES)};
    kiln_air_interact(t, ZK_BUS_SYSCALL, kiln_air_neg(t, h), tup, 5);
    /* COMMIT and DEBUG leave a0 as it is; INPUT_LEN's result is a hint (range-checked by the cpu). */
    CON(KILN_AIR_EVERY, MUL(ADD(kc, kd), SUB(M(I_RES), M(I_A0))), "commit/debug keep a0");
    /* INPUT_READ, ADVICE: res = 4 nw - pb0 - 2 pb1 (nw = ceil(res / 4)), res <= a1 (length, capacity). */
    BOOL(I_PB0, "io pb0");
    BOOL(I_PB1, "io pb1");
    CON(KILN_AIR_EVERY, MUL(krd, SUB(M(I_RES), SUB(MUL(K(4), M(I_NW)), ADD(M(I_PB0), MUL(K(2), M(I_PB1)))))),
        "read count");
    CON(KILN_AIR_EVERY, MUL(krd, SUB(SUB(M(I_A1), M(I_RES)), W16(M(I_DL), M(I_DH)))), "read count <= len");
    range1(t, h, M(I_NW));
    range1(t, h, M(I_DL));
    range1(t, h, M(I_DH));
    CON(KILN_AIR_EVERY, MUL(ADD(kl, ADD(kc, kd)), M(I_NW)), "no words for other kinds");
    CON(KILN_AIR_EVERY, MUL(h, SUB(M(I_CNT), M(I_NW))), "header count");
    CON(KILN_AIR_EVERY, MUL(h, SUB(M(I_PTR), M(I_A0))), "header ptr");
    /* Word rows follow a header or a word row of the same call; the count runs down to 0 exactly. */
    CON(KILN_AIR_FIRST, w, "io starts with a header");
    kiln_expr wn = MN(I_W);
    CON(KILN_AIR_TRANSITION, MUL(wn, SUB(one, ADD(h, w))), "word after header or word");
    CON(KILN_AIR_TRANSITION, MUL(wn, SUB(MN(I_ADDR), M(I_PTR))), "word address");
    CON(KILN_AIR_TRANSITION, MUL(wn, SUB(MN(I_PTR), ADD(M(I_PTR), K(4)))), "next word address");
    CON(KILN_AIR_TRANSITION, MUL(wn, SUB(MN(I_CNT), SUB(M(I_CNT), one))), "count down");
    CON(KILN_AIR_TRANSITION, MUL(wn, SUB(MN(I_CLK), M(I_CLK))), "same call");
    CON(KILN_AIR_TRANSITION, MUL(SUB(one, wn), M(I_CNT)), "all words written");
    CON(KILN_AIR_LAST, M(I_CNT), "all words written (last)");
    /* Word rows: an aligned stack word, accessed once at the ecall's memory slot; new limbs are hints,
     * range-checked. */
    CON(KILN_AIR_EVERY, MUL(w, SUB(M(I_ADDR), ADD(MUL(K(4), M(I_AQ)), MUL(K(65536), M(I_AHI))))),
        "word aligned");
    range1(t, w, M(I_AQ));
    range1(t, w, MUL(K(4), M(I_AQ)));
    range1(t, w, SUB(M(I_AHI), K(KILN_ZKVM_SYS_MIN >> 16)));
    range1(t, w, SUB(K(0x7fff), M(I_AHI)));
    kiln_expr ts = ADD(MUL(K(4), M(I_CLK)), K(3));
    CON(KILN_AIR_EVERY, MUL(w, SUB(SUB(SUB(ts, M(I_PT)), one), W16(M(I_EL), M(I_EH)))), "io ts order");
    range1(t, w, M(I_EL));
    range1(t, w, M(I_EH));
    /* Word bytes: old and new limbs are bytes looked up in the AND table (so the new limbs are 16-bit). The
     * VM writes only res bytes: in the call's last word (z) the top pad = 4 nw - res bytes keep their old
     * value (pad carried from the header through the word rows). */
    for (int i = 0; i < 4; i++) {
        kiln_expr tv[3] = {M(I_OB + i), M(I_NB + i), M(I_AN + i)};
        kiln_air_interact(t, ZK_BUS_AND, w, tv, 3);
    }
    CON(KILN_AIR_EVERY, MUL(w, SUB(M(I_OLO), W16B(I_OB))), "old bytes lo");
    CON(KILN_AIR_EVERY, MUL(w, SUB(M(I_OHI), W16B(I_OB + 2))), "old bytes hi");
    CON(KILN_AIR_EVERY, MUL(w, SUB(M(I_NLO), W16B(I_NB))), "new bytes lo");
    CON(KILN_AIR_EVERY, MUL(w, SUB(M(I_NHI), W16B(I_NB + 2))), "new bytes hi");
    kiln_expr z = M(I_Z), pb0 = M(I_PB0), pb1 = M(I_PB1);
    BOOL(I_Z, "io z bool");
    CON(KILN_AIR_EVERY, MUL(z, SUB(one, w)), "last word is a word row");
    CON(KILN_AIR_EVERY, MUL(z, M(I_CNT)), "last word: cnt = 0");
    CON(KILN_AIR_EVERY, MUL(SUB(w, z), SUB(MUL(M(I_CNT), M(I_CI)), one)), "not last: cnt != 0");
    CON(KILN_AIR_TRANSITION, MUL(wn, SUB(MN(I_PB0), pb0)), "pad carried 0");
    CON(KILN_AIR_TRANSITION, MUL(wn, SUB(MN(I_PB1), pb1)), "pad carried 1");
    CON(KILN_AIR_EVERY, SUB(M(I_Q1), SUB(ADD(pb0, pb1), MUL(pb0, pb1))), "q1");
    CON(KILN_AIR_EVERY, SUB(M(I_Q3), MUL(pb0, pb1)), "q3");
    CON(KILN_AIR_EVERY, MUL(MUL(z, M(I_Q1)), SUB(M(I_NB + 3), M(I_OB + 3))), "tail byte 3 kept");
    CON(KILN_AIR_EVERY, MUL(MUL(z, pb1), SUB(M(I_NB + 2), M(I_OB + 2))), "tail byte 2 kept");
    CON(KILN_AIR_EVERY, MUL(MUL(z, M(I_Q3)), SUB(M(I_NB + 1), M(I_OB + 1))), "tail byte 1 kept");
    zk_air_mem_word(t, w, M(I_ADDR), M(I_PT), M(I_OLO), M(I_OHI), ts, M(I_NLO), M(I_NHI));
}

/* exit: row 0 receives the exit call in the last segment (exactly one: the cpu has exactly one exit row) with
 * whatever a1 holds, and the segment's io_digest call (c; at most one per segment, and the verifier allows
 * one per run): it reads the 16-word block at the call's a0 and publishes it as the input hash (words 0..7)
 * and output hash (8..15), each element a canonical u64 (little-endian words), with the flag DIGEST = c.
 * Without the call the segment publishes zeros. */
void zk_build_exit(kiln_air_table *t) {
    kiln_expr sel = M(X_SEL), c = M(X_C), one = K(1);
    /* The exit row exists in the last segment only. */
    CON(KILN_AIR_FIRST, SUB(sel, kiln_air_public(t, KILN_ZKVM_PUB_LAST)), "exit row first (last segment)");
    CON(KILN_AIR_TRANSITION, MN(X_SEL), "one exit row");
    kiln_expr tup[5] = {M(X_CLK), K(KILN_SYS_EXIT), M(X_A0), M(X_A1), M(X_A0)};
    kiln_air_interact(t, ZK_BUS_SYSCALL, kiln_air_neg(t, sel), tup, 5);
    BOOL(X_C, "digest c bool");
    CON(KILN_AIR_TRANSITION, MN(X_C), "one digest row");
    /* The block [ptr, ptr + 64) is aligned and in [KILN_ZKVM_SYS_MIN, stack top): never a register. The call
     * leaves a0 (= ptr) unchanged. */
    kiln_expr ptr = zk_air_sys_buffer(t, c, c, X_PQ, 64);
    kiln_expr dtup[5] = {M(X_DCLK), K(KILN_SYS_IO_DIGEST), ptr, M(X_DA1), ptr};
    kiln_air_interact(t, ZK_BUS_SYSCALL, kiln_air_neg(t, c), dtup, 5);
    kiln_expr ts = ADD(MUL(K(4), M(X_DCLK)), K(3));
    for (int i = 0; i < 16; i++)
        zk_air_sys_word(t, c, c, ADD(ptr, K(4 * i)), ts, X_PT + i, X_E + 2 * i, M(X_W + 2 * i),
                        M(X_W + 2 * i + 1), M(X_W + 2 * i), M(X_W + 2 * i + 1), one);
    for (int k = 0; k < 8; k++) {
        kiln_expr l[4] = {M(X_W + 4 * k), M(X_W + 4 * k + 1), M(X_W + 4 * k + 2), M(X_W + 4 * k + 3)};
        kiln_expr e = zk_air_canonical_u64(t, l, M(X_CINV + k));
        uint32_t pub =
            k < 4 ? KILN_ZKVM_PUB_INPUT_HASH + (uint32_t)k : KILN_ZKVM_PUB_OUTPUT_HASH + (uint32_t)k - 4;
        CON(KILN_AIR_FIRST, SUB(kiln_air_public(t, pub), MUL(c, e)), "published digest");
    }
    CON(KILN_AIR_FIRST, SUB(kiln_air_public(t, KILN_ZKVM_PUB_DIGEST), c), "published digest flag");
}

kiln_status zk_add_sys_tables(kiln_air *air, kiln_air_table **p2, kiln_air_table **io, kiln_air_table **ex) {
    kiln_status st;
    uint32_t idx;
    char nm[16];
    if ((st = kiln_air_add_table(air, "poseidon2", p2)) != KILN_OK) return st;
    for (int i = 0; i < P_NCOLS; i++) {
        static const char *const fixed[P_IN] = {"sel", "clk", "a1", "pq", "phi", "tl", "th"};
        const char *n = fixed[0];
        if (i < P_IN)
            n = fixed[i];
        else {
            const char *pre = i < P_OUT    ? "in"
                              : i < P_CIN  ? "out"
                              : i < P_COUT ? "cin"
                              : i < P_PT   ? "cout"
                              : i < P_E    ? "pt"
                              : i < P_H    ? "e"
                                           : "h";
            int base = i < P_OUT    ? P_IN
                       : i < P_CIN  ? P_OUT
                       : i < P_COUT ? P_CIN
                       : i < P_PT   ? P_COUT
                       : i < P_E    ? P_PT
                       : i < P_H    ? P_E
                                    : P_H;
            snprintf(nm, sizeof nm, "%s%d", pre, i - base);
            n = nm;
        }
        if ((st = kiln_air_add_main(*p2, n, &idx)) != KILN_OK) return st;
    }
    static const char *const inames[I_NCOLS] = {
        "h",   "w",   "kr",  "kl",  "kc",  "kd",  "ka",  "clk",  "a0",  "a1",  "res",
        "nw",  "pb0", "pb1", "dl",  "dh",  "cnt", "ptr", "addr", "aq",  "ahi", "pt",
        "el",  "eh",  "olo", "ohi", "nlo", "nhi", "z",   "ci",   "q1",  "q3",  "ob0",
        "ob1", "ob2", "ob3", "nb0", "nb1", "nb2", "nb3", "an0",  "an1", "an2", "an3"};
    if ((st = kiln_air_add_table(air, "io", io)) != KILN_OK) return st;
    for (int i = 0; i < I_NCOLS; i++)
        if ((st = kiln_air_add_main(*io, inames[i], &idx)) != KILN_OK) return st;
    if ((st = kiln_air_add_table(air, "exit", ex)) != KILN_OK) return st;
    for (int i = 0; i < X_NCOLS; i++) {
        static const char *const fixed[X_W] = {"sel", "clk", "a0",  "a1", "c", "dclk",
                                               "da1", "pq",  "phi", "tl", "th"};
        if (i < X_W) {
            snprintf(nm, sizeof nm, "%s", fixed[i]);
        } else {
            const char *pre = i < X_CINV ? "w" : i < X_PT ? "cinv" : i < X_E ? "pt" : "e";
            int base = i < X_CINV ? X_W : i < X_PT ? X_CINV : i < X_E ? X_PT : X_E;
            snprintf(nm, sizeof nm, "%s%d", pre, i - base);
        }
        if ((st = kiln_air_add_main(*ex, nm, &idx)) != KILN_OK) return st;
    }
    return KILN_OK;
}
