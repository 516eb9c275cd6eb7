/* The poseidon2 precompile table (docs/zkvm-air.md, "poseidon2 table"): one row per KILN_SYS_POSEIDON2 call.
 * The row reads the 12 state elements (24 words at a0, each u64 = 4 16-bit limbs, canonical as the VM
 * requires), proves the permutation with the shared round constraints (prover/p2_air.h) and writes the 24
 * output words in place (limbs range-checked, canonical). Padding rows hold the permutation of the zero state
 * and no traffic. */
#include "air_dsl.h"
#include "field/goldilocks.h"
#include "p2_air.h"
#include "poseidon2/poseidon2_hd.h"
#include "zkvm_sys.h"

#define CON(e, name) kiln_air_constrain(t, KILN_AIR_EVERY, (e), (name))

static void range1(kiln_air_table *t, kiln_expr mult, kiln_expr v) {
    kiln_air_interact(t, ZK_BUS_RANGE, mult, &v, 1);
}

/* lo32 * ((2^32 - 1 - hi32) * inv - 1) = 0: a value with hi32 = 2^32 - 1 must have lo32 = 0, i.e. the u64
 * l0 + 2^16 l1 + 2^32 l2 + 2^48 l3 (16-bit limbs) is < p. Returns that u64 as a field expression. */
kiln_expr zk_air_canonical_u64(kiln_air_table *t, const kiln_expr *l, kiln_expr inv) {
    kiln_expr lo = W16(l[0], l[1]), hi = W16(l[2], l[3]);
    CON(MUL(lo, SUB(MUL(SUB(K(0xffffffffu), hi), inv), K(1))), "u64 canonical");
    return ADD(lo, MUL(K((uint64_t)1 << 32), hi));
}

void zk_build_poseidon2(kiln_air_table *t) {
    kiln_expr sel = M(P_SEL);
    CON(MUL(sel, SUB(sel, K(1))), "p2 sel bool");
    /* ptr = a0 is 4-aligned and [ptr, ptr + 96) lies in [KILN_ZKVM_SYS_MIN, stack top): never a register. */
    kiln_expr ptr = zk_air_sys_buffer(t, sel, sel, P_PQ, 96);
    kiln_expr tup[5] = {M(P_CLK), K(KILN_SYS_POSEIDON2), ptr, M(P_A1), ptr}; /* a0 is unchanged */
    kiln_air_interact(t, ZK_BUS_SYSCALL, kiln_air_neg(t, sel), tup, 5);
    /* Memory: each word once, at the ecall's memory slot. */
    kiln_expr ts = ADD(MUL(K(4), M(P_CLK)), K(3));
    for (int w = 0; w < 24; w++)
        zk_air_sys_word(t, sel, sel, ADD(ptr, K(4 * w)), ts, P_PT + w, P_E + 2 * w, M(P_IN + 2 * w),
                        M(P_IN + 2 * w + 1), M(P_OUT + 2 * w), M(P_OUT + 2 * w + 1), K(1));
    for (int i = 0; i < 48; i++)
        range1(t, sel, M(P_OUT + i));
    /* Input elements (limbs from memory, 16-bit by the memory invariant) and output elements, canonical. */
    kiln_expr x[12], out[12];
    for (int i = 0; i < 12; i++) {
        kiln_expr li[4], lo[4];
        for (int j = 0; j < 4; j++)
            li[j] = M(P_IN + 4 * i + j), lo[j] = M(P_OUT + 4 * i + j);
        x[i] = zk_air_canonical_u64(t, li, M(P_CIN + i));
        out[i] = zk_air_canonical_u64(t, lo, M(P_COUT + i));
    }
    /* The permutation: M_E, 4 full rounds, 22 partial, 4 full; helpers allocated in order from P_H. */
    kiln_expr s[12], rc[12];
    uint32_t h = P_H;
    kiln_p2_air_ext(t, x, s);
    for (int r = 0; r < KILN_P2_ROUNDS; r++) {
        int full = r < KILN_P2_AIR_FULL_HALF || r >= KILN_P2_AIR_FULL_HALF + KILN_P2_AIR_PARTIAL;
        if (!full) {
            kiln_p2_air_partial_round(t, KILN_AIR_EVERY, KILN_EXPR_INVALID, s, K(kiln_poseidon2_rc[r][0]),
                                      M(h), M(h + 1));
            h += 2;
            continue;
        }
        kiln_expr h3[12], h7[12], o[12];
        int last = r == KILN_P2_ROUNDS - 1; /* the last S-box output stays a degree-3 expression */
        for (int i = 0; i < 12; i++) {
            rc[i] = K(kiln_poseidon2_rc[r][i]);
            h3[i] = M(h + (uint32_t)i);
            h7[i] = last ? KILN_EXPR_INVALID : M(h + 12 + (uint32_t)i);
        }
        kiln_p2_air_full_round(t, KILN_AIR_EVERY, KILN_EXPR_INVALID, s, rc, h3, last ? NULL : h7, o);
        h += last ? 12 : 24;
        for (int i = 0; i < 12; i++)
            s[i] = o[i];
    }
    for (int i = 0; i < 12; i++)
        CON(SUB(out[i], s[i]), "p2 output");
}
