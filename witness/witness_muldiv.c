/* The muldiv table's witness (docs/zkvm-air.md, "M extension"): one row per cpu row of an M instruction that
 * writes a register, in cpu order; the quotient and remainder follow RISC-V (division by zero: q = all ones,
 * r = a; INT_MIN / -1: q = INT_MIN, r = 0) and every result is compared with the cpu's (the VM's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/goldilocks.h"
#include "zkvm_internal.h"

#define ERR(...) (err && errlen ? (void)snprintf(err, errlen, __VA_ARGS__) : (void)0)

enum { K_MUL = 1, K_MULH, K_MULHSU, K_MULHU, K_DIV, K_DIVU, K_REM, K_REMU };

/* The kind (1..8) of cpu row r, or 0 when it is no M op writing a register. */
static int cpu_kind(const uint64_t *cpu, size_t n, size_t r) {
    if (!cpu[(size_t)C_WR * n + r]) return 0;
    return cpu[(size_t)(C_F0 + ZF_M) * n + r] ? (int)cpu[(size_t)C_IMM_LO * n + r] : 0;
}

static uint32_t cpu_word(const uint64_t *cpu, size_t n, size_t r, int lo) {
    return (uint32_t)(cpu[(size_t)lo * n + r] | cpu[(size_t)(lo + 1) * n + r] << 16);
}

/* RISC-V quotient and remainder. */
static void divide(int kind, uint32_t a, uint32_t b, uint32_t *q, uint32_t *r) {
    int sgn = kind == K_DIV || kind == K_REM;
    if (b == 0) {
        *q = 0xffffffffu, *r = a;
    } else if (sgn && a == 0x80000000u && b == 0xffffffffu) {
        *q = a, *r = 0;
    } else if (sgn) {
        *q = (uint32_t)((int32_t)a / (int32_t)b), *r = (uint32_t)((int32_t)a % (int32_t)b);
    } else {
        *q = a / b, *r = a % b;
    }
}

/* Fills row i's operand, engine and gadget columns from (kind, a, b, x, z); the flags and res are set by the
 * caller. A remainder bound that does not hold (only in tampered rows) leaves a field element in g_lo that
 * no range lookup accepts. */
static void put_row(uint64_t *c, size_t n, size_t i, int kind, uint32_t a, uint32_t b, uint32_t x,
                    uint32_t z) {
#define D(k) c[(size_t)(k)*n + i]
    int fs = kind == K_DIV || kind == K_REM;
    uint64_t sa = a >> 31, sb = b >> 31, sx = x >> 31, sz = z >> 31;
    uint64_t ex = sx && (kind == K_MULH || kind == K_MULHSU || fs), ey = sb && (kind == K_MULH || fs);
    uint64_t ez = sz && fs;
    uint64_t x0 = x & 0xffff, x1 = x >> 16, y0 = b & 0xffff, y1 = b >> 16, z0 = z & 0xffff, z1 = z >> 16;
    uint64_t l0 = x0 * y0 + z0;
    uint64_t l1 = x0 * y1 + x1 * y0 + z1 + (l0 >> 16);
    uint64_t l2 = x1 * y1 + ex * (0x10000 - y0) + ey * (0x10000 - x0) + 0xffff * ez + (l1 >> 16);
    uint64_t l3 = ex * (0xffff - y1) + ey * (0xffff - x1) + 0xffff * ez + (l2 >> 16);
    D(D_A_LO) = a & 0xffff, D(D_A_HI) = a >> 16, D(D_B_LO) = y0, D(D_B_HI) = y1;
    D(D_X_LO) = x0, D(D_X_HI) = x1, D(D_Z_LO) = z0, D(D_Z_HI) = z1;
    D(D_P0) = l0 & 0xffff, D(D_P0 + 1) = l1 & 0xffff, D(D_P0 + 2) = l2 & 0xffff, D(D_P0 + 3) = l3 & 0xffff;
    D(D_C0) = l0 >> 16, D(D_C1L) = (l1 >> 16) & 0xffff, D(D_C1H) = l1 >> 32;
    D(D_C2L) = (l2 >> 16) & 0xffff, D(D_C2H) = l2 >> 32, D(D_C3) = l3 >> 16;
    D(D_SA) = sa, D(D_SB) = sb, D(D_SX) = sx, D(D_SZ) = sz;
    D(D_EX) = ex, D(D_EY) = ey, D(D_EZ) = ez, D(D_EA) = sa && fs;
    D(D_BZ) = b == 0, D(D_BINV) = b ? kiln_gl_inv(y0 + y1) : 0;
    D(D_NB) = b == 0xffffffffu, D(D_NINV) = b != 0xffffffffu ? kiln_gl_inv(0x1fffe - y0 - y1) : 0;
    D(D_OV) = b == 0xffffffffu && fs;
    D(D_G_LO) = D(D_G_HI) = 0;
    if (b) {
        int64_t babs = ey ? ((int64_t)1 << 32) - b : (int64_t)b,
                zabs = ez ? ((int64_t)1 << 32) - z : (int64_t)z;
        int64_t g = babs - zabs - 1;
        if (g >= 0)
            D(D_G_LO) = (uint64_t)g & 0xffff, D(D_G_HI) = (uint64_t)g >> 16;
        else
            D(D_G_LO) = kiln_gl_sub(0, (uint64_t)-g);
    }
#undef D
}

kiln_status zk_muldiv_fill(const uint64_t *cpu, size_t n, uint64_t **out, unsigned *log_n, char *err,
                           size_t errlen) {
    size_t count = 0;
    for (size_t r = 0; r < n; r++)
        count += cpu_kind(cpu, n, r) != 0;
    unsigned k = 2;
    while (((size_t)1 << k) < count)
        k++;
    size_t h = (size_t)1 << k;
    uint64_t *c = (uint64_t *)calloc((size_t)D_NCOLS * h, 8);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    size_t i = 0;
    for (size_t r = 0; r < n; r++) {
        int kind = cpu_kind(cpu, n, r);
        if (!kind) continue;
        uint32_t a = cpu_word(cpu, n, r, C_A_LO), b = cpu_word(cpu, n, r, C_B_LO);
        uint32_t want = cpu_word(cpu, n, r, C_RES_LO), x = a, z = 0, got;
        if (kind >= K_DIV) {
            divide(kind, a, b, &x, &z);
            got = kind <= K_DIVU ? x : z;
        } else {
            uint64_t xs = kind == K_MULHU ? a : (uint64_t)(int64_t)(int32_t)a;
            uint64_t ys = kind == K_MULH ? (uint64_t)(int64_t)(int32_t)b : b;
            uint64_t prod = xs * ys; /* mod 2^64, the two's complement product */
            got = kind == K_MUL ? (uint32_t)prod : (uint32_t)(prod >> 32);
        }
        if (got != want) {
            ERR("internal: M op (kind %d) at cpu row %zu: 0x%08x, the VM wrote 0x%08x", kind, r, got, want);
            free(c);
            return KILN_ERR_INTERNAL;
        }
        c[(size_t)D_M * h + i] = 1;
        c[(size_t)(D_K0 + kind - 1) * h + i] = 1;
        c[(size_t)D_RES_LO * h + i] = want & 0xffff, c[(size_t)D_RES_HI * h + i] = want >> 16;
        put_row(c, h, i, kind, a, b, x, z);
        /* The engine's output must be what the kind returns or checks (catches a fill bug early). */
        uint32_t plo = (uint32_t)(c[(size_t)D_P0 * h + i] | c[(size_t)(D_P0 + 1) * h + i] << 16);
        uint32_t phi = (uint32_t)(c[(size_t)(D_P0 + 2) * h + i] | c[(size_t)(D_P0 + 3) * h + i] << 16);
        int ok = kind == K_MUL ? plo == want : kind <= K_MULHU ? phi == want : plo == a;
        if (ok && kind >= K_DIV && !(c[(size_t)D_OV * h + i]))
            ok = phi == ((kind == K_DIV || kind == K_REM) && (a >> 31) ? 0xffffffffu : 0);
        if (!ok) {
            ERR("internal: muldiv engine disagrees at cpu row %zu", r);
            free(c);
            return KILN_ERR_INTERNAL;
        }
        i++;
    }
    for (; i < h; i++) /* padding: b = 0 (bz = 1), the b = -1 gadget's inverse */
        put_row(c, h, i, 0, 0, 0, 0, 0);
    *out = c;
    *log_n = k;
    return KILN_OK;
}

/* The row's 18 lookups (16-bit values). */
static void row_lookups(const uint64_t *c, size_t n, size_t i, uint64_t v[18]) {
    static const int r16[] = {D_X_LO,   D_X_HI, D_Z_LO, D_Z_HI, D_P0, D_P0 + 1, D_P0 + 2,
                              D_P0 + 3, D_C0,   D_C1L,  D_C2L,  D_C3, D_G_LO,   D_G_HI};
    static const int sg[][2] = {{D_A_HI, D_SA}, {D_B_HI, D_SB}, {D_X_HI, D_SX}, {D_Z_HI, D_SZ}};
    size_t k = 0;
    for (size_t j = 0; j < sizeof r16 / sizeof r16[0]; j++)
        v[k++] = c[(size_t)r16[j] * n + i];
    for (size_t j = 0; j < 4; j++)
        v[k++] =
            kiln_gl_mul(2, kiln_gl_sub(c[(size_t)sg[j][0] * n + i], 32768 * c[(size_t)sg[j][1] * n + i]));
}

kiln_status zk_muldiv_count_range(const uint64_t *cols, unsigned log_n, uint64_t *mult, int tampered,
                                  char *err, size_t errlen) {
    size_t n = (size_t)1 << log_n;
    uint64_t v[18];
    for (size_t i = 0; i < n; i++) {
        if (!cols[(size_t)D_M * n + i]) continue;
        row_lookups(cols, n, i, v);
        for (size_t j = 0; j < 18; j++) {
            if (v[j] < 65536)
                mult[v[j]]++;
            else if (!tampered) {
                ERR("internal: muldiv row %zu lookup %zu value %llu out of range", i, j,
                    (unsigned long long)v[j]);
                return KILN_ERR_INTERNAL;
            }
        }
    }
    return KILN_OK;
}

/* Carries a changed result of cpu row r (register rd) into the register's next access: that access's previous
 * value (when it only writes rd) or the register's final value. 0 when rd is read again (not patchable). */
static int carry_forward(kiln_zkvm_witness *w, size_t n, size_t nreal, size_t r, uint32_t val) {
    uint64_t *cpu = w->cols[ZK_T_CPU];
    uint64_t rd = cpu[(size_t)C_RD * n + r];
    for (size_t s = r + 1; s < nreal; s++) {
        if (cpu[(size_t)C_RS1 * n + s] == rd || cpu[(size_t)C_RS2 * n + s] == rd) return 0;
        if (cpu[(size_t)C_RD * n + s] == rd) {
            cpu[(size_t)C_RDP_LO * n + s] = val & 0xffff, cpu[(size_t)C_RDP_HI * n + s] = val >> 16;
            return 1;
        }
    }
    w->cols[ZK_T_REGS][R_FLO * 32 + rd] = val & 0xffff;
    w->cols[ZK_T_REGS][R_FHI * 32 + rd] = val >> 16;
    return 1;
}

int zk_muldiv_tamper(kiln_zkvm_witness *w, size_t n, size_t nreal, kiln_zkvm_tamper mode) {
    uint64_t *cpu = w->cols[ZK_T_CPU], *c = w->cols[ZK_T_MULDIV];
    size_t h = (size_t)1 << w->traces[ZK_T_MULDIV].log_n, i = 0;
    for (size_t r = 0; r < nreal; r++) {
        int kind = cpu_kind(cpu, n, r);
        if (!kind) continue;
        size_t row = i++;
        uint32_t a = cpu_word(cpu, n, r, C_A_LO), b = cpu_word(cpu, n, r, C_B_LO);
        uint32_t res = cpu_word(cpu, n, r, C_RES_LO), nres, q, rem;
        if (mode == KILN_ZKVM_TAMPER_MUL && kind == K_MUL)
            nres = res ^ 1;
        else if (mode == KILN_ZKVM_TAMPER_MULH && kind >= K_MULH && kind <= K_MULHU)
            nres = res ^ 1;
        else if (mode == KILN_ZKVM_TAMPER_REM && kind == K_REM && (res & 0xffff) != 0xffff)
            nres = res + 1;
        else if (mode == KILN_ZKVM_TAMPER_DIV_BOUND && kind == K_DIVU && b && res >= 1 &&
                 (divide(kind, a, b, &q, &rem), (uint64_t)rem + b < ((uint64_t)1 << 32)))
            nres = res - 1;
        else if (mode == KILN_ZKVM_TAMPER_DIV_SIGN && kind == K_DIV && (int32_t)a >= 0 && (int32_t)b > 0 &&
                 (divide(kind, a, b, &q, &rem), rem != 0))
            nres = res + 1;
        else if (mode == KILN_ZKVM_TAMPER_DIV_ZERO && kind == K_DIVU && b == 0)
            nres = 0;
        else if (mode == KILN_ZKVM_TAMPER_REM_SIGN && kind == K_REM && (int32_t)a < 0 && (int32_t)b > 0 &&
                 (int32_t)res < 0)
            nres = res + b;
        else
            continue;
        if (!carry_forward(w, n, nreal, r, nres)) continue;
        cpu[(size_t)C_RES_LO * n + r] = nres & 0xffff, cpu[(size_t)C_RES_HI * n + r] = nres >> 16;
        cpu[(size_t)C_V * n + r] = nres; /* the cpu agrees; the muldiv table's rules must catch it */
        c[(size_t)D_RES_LO * h + row] = nres & 0xffff, c[(size_t)D_RES_HI * h + row] = nres >> 16;
        if (mode == KILN_ZKVM_TAMPER_MUL) {
            c[(size_t)D_P0 * h + row] ^= 1; /* p agrees with res; the limb-0 identity does not */
        } else if (mode == KILN_ZKVM_TAMPER_MULH) {
            c[(size_t)(D_P0 + 2) * h + row] ^= 1;
        } else if (mode == KILN_ZKVM_TAMPER_REM) { /* z follows res; the limb-0 identity does not */
            c[(size_t)D_Z_LO * h + row] += 1;
        } else { /* q - 1, r + b / q + 1, r - b / q = 0, r = a: a = q b + r still holds, carries recomputed */
            divide(kind, a, b, &q, &rem);
            if (mode == KILN_ZKVM_TAMPER_DIV_BOUND)
                put_row(c, h, row, kind, a, b, q - 1, rem + b);
            else if (mode == KILN_ZKVM_TAMPER_DIV_SIGN)
                put_row(c, h, row, kind, a, b, q + 1, rem - b);
            else if (mode == KILN_ZKVM_TAMPER_REM_SIGN)
                put_row(c, h, row, kind, a, b, q - 1, rem + b);
            else
                put_row(c, h, row, kind, a, b, 0, a);
        }
        return 1;
    }
    return 0;
}
