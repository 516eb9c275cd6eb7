/* The keccak precompile table (docs/zkvm-air.md, "keccak table"): Keccak-f[1600] over bit columns, one block
 * of 32 rows per KILN_SYS_KECCAKF call. Every row proves one round of its own state (theta from committed
 * bits and parities, chi into committed limbs); the periodic flags chain rows 0..23 of a block and put the
 * call's memory and syscall traffic on row 24. Every constraint has degree <= 3. */
#include <stdio.h>

#include "air_dsl.h"
#include "zkvm_keccak.h"

#define CON(dom, e, name) kiln_air_constrain(t, (dom), (e), (name))

/* Periodic columns (period 32), in this order. */
enum { KP_FIRST, KP_ROUND, KP_OUT, KP_RC0, KP_N = KP_RC0 + 7 };

static uint64_t rc_bit(unsigned t) { /* the LFSR x^8 + x^6 + x^5 + x^4 + 1 of the Keccak reference */
    unsigned r = 1;
    for (unsigned i = 0; i < t % 255; i++) {
        r <<= 1;
        if (r & 0x100) r ^= 0x171;
    }
    return r & 1;
}

void zk_keccak_consts(uint64_t rc[24], unsigned rho[25]) {
    for (unsigned i = 0; i < 24; i++) {
        rc[i] = 0;
        for (unsigned j = 0; j < 7; j++)
            rc[i] |= rc_bit(j + 7 * i) << ((1u << j) - 1);
    }
    unsigned x = 1, y = 0;
    rho[0] = 0;
    for (unsigned t = 0; t < 24; t++) {
        rho[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
        unsigned nx = y, ny = (2 * x + 3 * y) % 5;
        x = nx, y = ny;
    }
}

kiln_status zk_keccak_add_table(kiln_air *air, kiln_air_table **out) {
    kiln_status st;
    uint32_t idx;
    char nm[16];
    if ((st = kiln_air_add_table(air, "keccak", out)) != KILN_OK) return st;
    for (int i = 0; i < K_NCOLS; i++) {
        static const char *const fixed[K_IN] = {"sel", "clk", "a1", "pq", "phi", "tl", "th"};
        static const int base[] = {K_IN, K_PT, K_E, K_A, K_AP, K_C, K_CP, K_APP, K_IB, K_NCOLS};
        static const char *const pre[] = {"in", "pt", "e", "a", "ap", "c", "cp", "app", "ib"};
        if (i < K_IN) {
            snprintf(nm, sizeof nm, "%s", fixed[i]);
        } else {
            int k = 0;
            while (i >= base[k + 1])
                k++;
            snprintf(nm, sizeof nm, "%s%d", pre[k], i - base[k]);
        }
        if ((st = kiln_air_add_main(*out, nm, &idx)) != KILN_OK) return st;
    }
    uint64_t rc[24], v[ZK_KECCAK_BLOCK];
    unsigned rho[25];
    zk_keccak_consts(rc, rho);
    for (int p = 0; p < KP_N; p++) {
        for (unsigned r = 0; r < ZK_KECCAK_BLOCK; r++)
            v[r] = p == KP_FIRST   ? r == 0
                   : p == KP_ROUND ? r < 24
                   : p == KP_OUT   ? r == ZK_KECCAK_OUT_ROW
                                   : r < 24 && ((rc[r] >> ((1u << (p - KP_RC0)) - 1)) & 1);
        snprintf(nm, sizeof nm,
                 p == KP_FIRST   ? "first"
                 : p == KP_ROUND ? "round"
                 : p == KP_OUT   ? "out"
                                 : "rc%d",
                 p - KP_RC0);
        if ((st = kiln_air_add_periodic(*out, nm, v, ZK_KECCAK_BLOCK, &idx)) != KILN_OK) return st;
    }
    return KILN_OK;
}

static kiln_expr xor2(kiln_air_table *t, kiln_expr a, kiln_expr b) {
    return SUB(ADD(a, b), MUL(K(2), MUL(a, b)));
}

#define AP(x, y, z) M(K_AP + 64 * ((x) + 5 * (y)) + (z))
#define CC(x, z) M(K_C + 64 * (x) + (z))
#define CP(x, z) M(K_CP + 64 * (x) + (z))

void zk_build_keccak(kiln_air_table *t) {
    kiln_expr one = K(1), f_first = kiln_air_periodic_col(t, KP_FIRST),
              f_round = kiln_air_periodic_col(t, KP_ROUND), f_out = kiln_air_periodic_col(t, KP_OUT);
    uint64_t rcv[24];
    unsigned rho[25];
    zk_keccak_consts(rcv, rho);
    /* Theta, proven backwards from the committed output bits A' (booleans) and parities C, C' (booleans):
     * C'[x][z] = C[x][z] ^ C[x-1][z] ^ C[x+1][z-1] and C' = parity of A'[x][.][z]; then A = A' ^ C ^ C' has
     * column parity C' ^ C ^ C' = C, so A' = A ^ C[x-1] ^ C[x+1][z-1] is theta(A) (docs). */
    for (int i = 0; i < 1600; i++)
        CON(KILN_AIR_EVERY, MUL(M(K_AP + i), SUB(M(K_AP + i), one)), "k ap bool");
    for (int x = 0; x < 5; x++)
        for (int z = 0; z < 64; z++) {
            kiln_expr c = CC(x, z), cp = CP(x, z);
            CON(KILN_AIR_EVERY, MUL(c, SUB(c, one)), "k c bool");
            CON(KILN_AIR_EVERY, MUL(cp, SUB(cp, one)), "k c' bool");
            kiln_expr d = xor2(t, CC((x + 4) % 5, z), CC((x + 1) % 5, (z + 63) % 64));
            CON(KILN_AIR_EVERY, SUB(cp, xor2(t, c, d)), "k c' = c ^ d");
            kiln_expr s = AP(x, 0, z);
            for (int y = 1; y < 5; y++)
                s = ADD(s, AP(x, y, z));
            kiln_expr u = SUB(s, cp); /* s - C' in {0, 2, 4}: C' (boolean) is the parity of s */
            CON(KILN_AIR_EVERY, MUL(MUL(u, SUB(u, K(2))), SUB(u, K(4))), "k parity");
        }
    /* A's limbs (16-bit by construction: sums of bits). */
    for (int i = 0; i < 25; i++) {
        int x = i % 5, y = i / 5;
        for (int k = 0; k < 4; k++) {
            kiln_expr s = K(0);
            for (int b = 15; b >= 0; b--) {
                int z = 16 * k + b;
                s = ADD(MUL(K(2), s), xor2(t, AP(x, y, z), xor2(t, CC(x, z), CP(x, z))));
            }
            CON(KILN_AIR_EVERY, SUB(M(K_A + 4 * i + k), s), "k a limb");
        }
    }
    /* rho and pi: B[X][Y] = rot(A'[x][y], rho) with X = y, Y = 2 x + 3 y; chi into the committed limbs A''.
     */
    kiln_expr chi[25][64];
    for (int X = 0; X < 5; X++)
        for (int Y = 0; Y < 5; Y++)
            for (int z = 0; z < 64; z++) {
                kiln_expr b[3];
                for (int j = 0; j < 3; j++) {
                    int Xj = (X + j) % 5, y = Xj, x = ((Y - 3 * Xj + 15) * 3) % 5;
                    b[j] = AP(x, y, (z - (int)rho[x + 5 * y] + 64) % 64);
                }
                kiln_expr a = MUL(SUB(one, b[1]), b[2]);
                chi[X + 5 * Y][z] = xor2(t, b[0], a);
            }
    for (int i = 0; i < 25; i++)
        for (int k = 0; k < 4; k++) {
            kiln_expr s = K(0);
            for (int b = 15; b >= 0; b--)
                s = ADD(MUL(K(2), s), chi[i][16 * k + b]);
            CON(KILN_AIR_EVERY, SUB(M(K_APP + 4 * i + k), s), "k chi limb");
        }
    for (int j = 0; j < 7; j++)
        CON(KILN_AIR_EVERY, SUB(M(K_IB + j), chi[0][(1 << j) - 1]), "k iota bit");
    /* Rounds 0..23 chain: the next row's state is chi's output, lane 0 xored with this row's round constant
     * (bit z = 2^j - 1 flips when rc_j: + rc_j (1 - 2 ib_j) 2^z). */
    for (int i = 0; i < 25; i++)
        for (int k = 0; k < 4; k++) {
            kiln_expr e = SUB(MN(K_A + 4 * i + k), M(K_APP + 4 * i + k));
            for (int j = 0; i == 0 && j < 7; j++) {
                int z = (1 << j) - 1;
                if (z / 16 != k) continue;
                kiln_expr flip =
                    MUL(kiln_air_periodic_col(t, (uint32_t)(KP_RC0 + j)), SUB(one, MUL(K(2), M(K_IB + j))));
                e = SUB(e, MUL(K(1u << (z % 16)), flip));
            }
            CON(KILN_AIR_TRANSITION, MUL(f_round, e), "k round");
            CON(KILN_AIR_TRANSITION, MUL(f_round, SUB(MN(K_IN + 4 * i + k), M(K_IN + 4 * i + k))),
                "k in carried");
            CON(KILN_AIR_EVERY, MUL(f_first, SUB(M(K_IN + 4 * i + k), M(K_A + 4 * i + k))),
                "k in = a at round 0");
        }
    /* Row 24 (the output state): the call on the syscall bus and its 50 word accesses, each word once at the
     * ecall's memory slot, reading the input limbs and writing the output limbs. sel only counts there. */
    kiln_expr sel = M(K_SEL), m = MUL(sel, f_out);
    CON(KILN_AIR_EVERY, MUL(sel, SUB(sel, one)), "k sel bool");
    kiln_expr ptr = zk_air_sys_buffer(t, sel, m, K_PQ, 200);
    kiln_expr tup[5] = {M(K_CLK), K(KILN_SYS_KECCAKF), ptr, M(K_A1), ptr}; /* a0 is unchanged */
    kiln_air_interact(t, ZK_BUS_SYSCALL, kiln_air_neg(t, m), tup, 5);
    kiln_expr ts = ADD(MUL(K(4), M(K_CLK)), K(3));
    for (int w = 0; w < 50; w++)
        zk_air_sys_word(t, sel, m, ADD(ptr, K(4 * w)), ts, K_PT + w, K_E + 2 * w, M(K_IN + 2 * w), M(K_IN + 2 * w + 1),
                        M(K_A + 2 * w), M(K_A + 2 * w + 1), one);
}
