/* The witness generator: reruns the program with tracing, splits the run into segments of 2^k rows, checks
 * that every executed instruction is in the slice, assigns memory timestamps (one sequential pass), then
 * fills the cpu table in parallel by row ranges and the boundary and multiplicity tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/parallel.h"
#include "field/goldilocks.h"
#include "keccak/keccak.h"
#include "poseidon2/poseidon2.h"
#include "zkvm_u256.h"
#include "zkvm_keccak.h"
#include "zkvm_sys.h"

/* Everything the column fill needs about one executed instruction. */
typedef struct zk_row {
    const zk_code *c;
    int op; /* the row's flag: the decoded op, or ZK_OP_ECALL for an ecall with a7 != 93 */
    uint32_t pc, a, b, res, rdp, mp, mv, maddr, mw;
    uint64_t pt1, pt2, ptm, pt3;
} zk_row;

_Static_assert(KILN_ZKVM_STACK_BASE == KILN_VM_STACK_TOP - KILN_VM_MAX_STACK, "the VM's default stack");

/* Open-addressing map from memory word address to (last ts, value). */
typedef struct zk_cell {
    uint32_t addr, val, used;
    uint64_t ts;
    uint32_t init;          /* value at the start of the segment being built */
    uint32_t s_init, s_fin; /* that segment's initial and final values (untouched: the entry value) */
    uint64_t s_ts;          /* and its last local timestamp (0: untouched in it) */
} zk_cell;
typedef struct zk_map {
    zk_cell *cells;
    size_t cap, n;
} zk_map;

static zk_cell *map_get(zk_map *m, uint32_t addr, uint32_t init) {
    if (2 * (m->n + 1) > m->cap) {
        size_t nc = m->cap ? 2 * m->cap : 64;
        zk_cell *c = (zk_cell *)calloc(nc, sizeof *c);
        if (!c) return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->cells[i].used) {
                size_t h = (m->cells[i].addr * 0x9E3779B1u) & (nc - 1);
                while (c[h].used)
                    h = (h + 1) & (nc - 1);
                c[h] = m->cells[i];
            }
        free(m->cells);
        m->cells = c;
        m->cap = nc;
    }
    size_t h = (addr * 0x9E3779B1u) & (m->cap - 1);
    while (m->cells[h].used && m->cells[h].addr != addr)
        h = (h + 1) & (m->cap - 1);
    if (!m->cells[h].used) {
        m->cells[h].used = 1;
        m->cells[h].addr = addr;
        m->cells[h].val = init; /* image words: their initial value; heap and stack: zero */
        m->cells[h].ts = 0;
        m->cells[h].init = m->cells[h].s_init = m->cells[h].s_fin = init;
        m->cells[h].s_ts = 0;
        m->n++;
    }
    return &m->cells[h];
}

static const zk_cell *map_find(const zk_map *m, uint32_t addr) {
    if (!m->cap) return NULL;
    size_t h = (addr * 0x9E3779B1u) & (m->cap - 1);
    while (m->cells[h].used && m->cells[h].addr != addr)
        h = (h + 1) & (m->cap - 1);
    return m->cells[h].used ? &m->cells[h] : NULL;
}

static int cell_cmp(const void *a, const void *b) {
    uint32_t x = ((const zk_cell *)a)->addr, y = ((const zk_cell *)b)->addr;
    return x < y ? -1 : x > y;
}

#define ERR(...) (err && errlen ? (void)snprintf(err, errlen, __VA_ARGS__) : (void)0)

static int is_mem_op(int op) {
    return op == ZK_OP_LW || op == ZK_OP_SW || (op >= ZK_OP_LB && op <= ZK_OP_SH);
}

typedef struct fill_ctx {
    const zk_row *rows;
    size_t nreal, n;
    uint64_t *c;
} fill_ctx;

#define COL(k) (f->c + (size_t)(k)*f->n)

/* The value op computes for rd whatever rd is (the cpu's v column; docs/zkvm-air.md, "Result"). */
static uint32_t op_value(const zk_row *w, const zk_decoded *d, uint32_t s, uint32_t dv, uint32_t bb,
                         uint32_t lt, uint32_t sr) {
    uint32_t off = s & 3;
    switch (d->op) {
    case ZK_OP_ADD:
    case ZK_OP_ADDI:
    case ZK_OP_FENCE: return s;
    case ZK_OP_SUB: return dv;
    case ZK_OP_LUI: return d->imm;
    case ZK_OP_AUIPC: return w->pc + d->imm;
    case ZK_OP_JAL:
    case ZK_OP_JALR: return w->pc + 4;
    case ZK_OP_LW: return w->mp;
    case ZK_OP_SLT:
    case ZK_OP_SLTI: return lt;
    case ZK_OP_SLTU:
    case ZK_OP_SLTIU: return w->a < bb;
    case ZK_OP_AND:
    case ZK_OP_ANDI: return w->a & bb;
    case ZK_OP_OR:
    case ZK_OP_ORI: return w->a | bb;
    case ZK_OP_XOR:
    case ZK_OP_XORI: return w->a ^ bb;
    case ZK_OP_LB: return (uint32_t)(int32_t)(int8_t)(w->mp >> (8 * off));
    case ZK_OP_LBU: return (w->mp >> (8 * off)) & 0xff;
    case ZK_OP_LH: return (uint32_t)(int32_t)(int16_t)(w->mp >> (8 * off));
    case ZK_OP_LHU: return (w->mp >> (8 * off)) & 0xffff;
    default:
        if (d->op >= ZK_OP_SLL && d->op <= ZK_OP_SRAI) return sr;
        if (d->op >= ZK_OP_MUL && d->op <= ZK_OP_REMU) return w->res; /* rdp (0) when rd = x0 */
        return 0; /* branches, stores, ecalls: no term */
    }
}

static void fill_rows(void *vctx, size_t begin, size_t end) {
    fill_ctx *f = (fill_ctx *)vctx;
    size_t n = f->n;
    for (size_t r = begin; r < end; r++) {
        uint64_t T = 4 * (uint64_t)r;
        COL(C_CLK)[r] = r;
        if (r >= f->nreal) { /* padding row: halted at the end pc, no access; every other cell zero */
            COL(C_PC)[r] = f->rows[f->nreal - 1].pc;
            COL(C_FPAD)[r] = 1;
            COL(C_EQ)[r] = 1; /* rs1 = rs2 = 0 */
            continue;
        }
        const zk_row *w = &f->rows[r];
        const zk_decoded *d = &w->c->d;
        const zk_prow *pr = &w->c->pr;
        COL(C_PC)[r] = w->pc;
        COL(C_F0 + (w->op == ZK_OP_ECALL ? ZF_ECALL : pr->flag))[r] = 1;
        COL(C_RD)[r] = d->rd, COL(C_RS1)[r] = d->rs1, COL(C_RS2)[r] = d->rs2;
        COL(C_IMM_LO)[r] = pr->imm & 0xffff, COL(C_IMM_HI)[r] = pr->imm >> 16;
        COL(C_TARGET)[r] = pr->target, COL(C_WR)[r] = d->wr, COL(C_FI)[r] = pr->fi;
        COL(C_A_LO)[r] = w->a & 0xffff, COL(C_A_HI)[r] = w->a >> 16;
        COL(C_B_LO)[r] = w->b & 0xffff, COL(C_B_HI)[r] = w->b >> 16;
        COL(C_RES_LO)[r] = w->res & 0xffff, COL(C_RES_HI)[r] = w->res >> 16;
        COL(C_RDP_LO)[r] = w->rdp & 0xffff, COL(C_RDP_HI)[r] = w->rdp >> 16;
        uint64_t e1 = T - w->pt1, e2 = T + 1 - w->pt2, em = T + 2 - w->ptm, e3 = T + 3 - w->pt3;
        COL(C_E1L)[r] = e1 & 0xffff, COL(C_E1H)[r] = e1 >> 16;
        COL(C_E2L)[r] = e2 & 0xffff, COL(C_E2H)[r] = e2 >> 16;
        COL(C_EML)[r] = em & 0xffff, COL(C_EMH)[r] = em >> 16;
        COL(C_E3L)[r] = e3 & 0xffff, COL(C_E3H)[r] = e3 >> 16;
        COL(C_MP_LO)[r] = w->mp & 0xffff, COL(C_MP_HI)[r] = w->mp >> 16;
        COL(C_MV_LO)[r] = w->mv & 0xffff, COL(C_MV_HI)[r] = w->mv >> 16;
        /* second operand bb = (fi ? imm : rs2); adder s = a + bb; subtractor d = a - bb */
        uint32_t bb = pr->fi ? pr->imm : w->b;
        uint32_t s = w->a + bb;
        uint32_t lo = (w->a & 0xffff) + (bb & 0xffff);
        uint32_t c0 = lo >> 16;
        uint32_t hi = (w->a >> 16) + (bb >> 16) + c0;
        COL(C_S_LO)[r] = s & 0xffff, COL(C_S_HI)[r] = s >> 16, COL(C_Q)[r] = (s & 0xffff) >> 2;
        COL(C_B0)[r] = s & 1, COL(C_B1)[r] = (s >> 1) & 1, COL(C_C0)[r] = c0, COL(C_C1)[r] = hi >> 16;
        uint32_t dv = w->a - bb;
        COL(C_BB_LO)[r] = bb & 0xffff, COL(C_BB_HI)[r] = bb >> 16;
        COL(C_D_LO)[r] = dv & 0xffff, COL(C_D_HI)[r] = dv >> 16;
        COL(C_DC)[r] = (w->a & 0xffff) < (bb & 0xffff);
        COL(C_BORROW)[r] = w->a < bb;
        uint64_t dz = (dv & 0xffff) + (dv >> 16);
        COL(C_EQ)[r] = dz == 0;
        COL(C_INV)[r] = dz ? kiln_gl_inv(dz) : 0;
        uint32_t sa = w->a >> 31, sb = bb >> 31, lt = (int32_t)w->a < (int32_t)bb;
        COL(C_SA)[r] = sa, COL(C_SB)[r] = sb;
        COL(C_LT)[r] = lt;
        if (d->op >= ZK_OP_BEQ && d->op <= ZK_OP_BGEU) {
            static const int neg[] = {0, 1, 0, 1, 0, 1};
            uint32_t c = d->op <= ZK_OP_BNE ? dz == 0 : d->op <= ZK_OP_BGE ? lt : w->a < bb;
            COL(C_BR)[r] = c ^ (uint32_t)neg[d->op - ZK_OP_BEQ];
        }
        if (d->op >= ZK_OP_AND && d->op <= ZK_OP_XORI) /* operand bytes and their AND, per byte */
            for (int i = 0; i < 4; i++) {
                uint32_t x = (w->a >> (8 * i)) & 0xff, y = (bb >> (8 * i)) & 0xff;
                COL(C_XA0 + i)[r] = x, COL(C_XB0 + i)[r] = y, COL(C_XN0 + i)[r] = x & y;
            }
        uint32_t sr = 0;
        if (d->op >= ZK_OP_SLL && d->op <= ZK_OP_SRAI) { /* in the byte columns (zkvm_internal.h) */
            uint32_t sh = bb & 31, p = (uint32_t)1 << sh, x;
            int kind = (d->op - ZK_OP_SLL) % 3; /* 0 sll, 1 srl, 2 sra */
            if (kind == 0) {
                sr = w->a << sh;
                x = (uint32_t)(((uint64_t)w->a << sh) >> 32);
            } else {
                sr = kind == 1 ? w->a >> sh : (uint32_t)((int32_t)w->a >> sh);
                x = w->a & (p - 1);
            }
            uint32_t g = p - 1 - x;
            COL(C_G_LO)[r] = g & 0xffff, COL(C_G_HI)[r] = g >> 16;
            COL(C_P)[r] = p;
            COL(C_X_LO)[r] = x & 0xffff, COL(C_X_HI)[r] = x >> 16;
            COL(C_SR_LO)[r] = sr & 0xffff, COL(C_SR_HI)[r] = sr >> 16;
        }
        if (d->op >= ZK_OP_LB && d->op <= ZK_OP_SH) { /* byte/half access at offset s & 3 of the word */
            uint32_t off = s & 3, lv;
            COL(C_O0 + off)[r] = 1;
            if (d->op == ZK_OP_LB || d->op == ZK_OP_LBU || d->op == ZK_OP_SB) {
                for (int i = 0; i < 4; i++)
                    COL(C_XA0 + i)[r] = (w->mp >> (8 * i)) & 0xff;
                COL(C_XB0)[r] = w->b & 0xff, COL(C_XB0 + 1)[r] = (w->b >> 8) & 0xff;
                for (int i = 0; i < 4; i++) /* the AND lookups also carry x & y */
                    COL(C_XN0 + i)[r] = COL(C_XA0 + i)[r] & COL(C_XB0 + i)[r];
                lv = (w->mp >> (8 * off)) & 0xff;
                COL(C_SG)[r] = d->op == ZK_OP_SB ? 0 : lv >> 7; /* the top bit, signed load or not */
            } else {
                lv = (w->mp >> (8 * off)) & 0xffff;
                COL(C_SG)[r] = d->op == ZK_OP_SH ? 0 : lv >> 15;
            }
            COL(C_LV)[r] = lv;
        }
        if (is_mem_op(d->op)) {
            COL(C_MW)[r] = w->mw;
            COL(C_MB)[r] = (s & 0xfffc) < KILN_VM_LOAD_MIN; /* borrow of 4q - 0x1000 */
            COL(C_MA)[r] = s & ~3u;
        } else if (d->op == ZK_OP_EXIT) { /* an ecall (exit or not): the slot reads a1 */
            COL(C_MW)[r] = 1;
            COL(C_MA)[r] = 11;
        }
        COL(C_V)[r] = w->op == ZK_OP_ECALL ? 0 : op_value(w, d, s, dv, bb, lt, sr);
    }
    (void)n;
}

/* The cpu row's flag. */
static int cpu_flag(const uint64_t *c, size_t n, size_t r, int flag) {
    return c[(size_t)(C_F0 + flag) * n + r] != 0;
}

/* The 16-bit lookups of one cpu row (values; UINT64_MAX when the lookup's multiplicity is 0). */
static size_t cpu_lookups(const uint64_t *c, size_t n, size_t r, uint64_t out[32]) {
    static const int r16[] = {C_E1L, C_E2L, C_EML, C_E3L, C_RES_LO, C_RES_HI, C_S_LO, C_S_HI, C_Q, C_D_LO, C_D_HI};
    size_t k = 0;
    for (size_t i = 0; i < sizeof r16 / sizeof r16[0]; i++)
        out[k++] = c[(size_t)r16[i] * n + r];
    out[k++] = kiln_gl_mul(2, kiln_gl_sub(c[C_A_HI * n + r], 32768 * c[C_SA * n + r]));
    out[k++] = kiln_gl_mul(2, kiln_gl_sub(c[C_BB_HI * n + r], 32768 * c[C_SB * n + r]));
    int flb = cpu_flag(c, n, r, ZF_LB), flh = cpu_flag(c, n, r, ZF_LH);
    int fmem = flb || flh || cpu_flag(c, n, r, ZF_LW) || cpu_flag(c, n, r, ZF_SW) || cpu_flag(c, n, r, ZF_SB) ||
               cpu_flag(c, n, r, ZF_SH);
    uint64_t shi = c[C_S_HI * n + r], q4 = 4 * c[C_Q * n + r], mb = c[C_MB * n + r];
    out[k++] = fmem ? kiln_gl_sub(q4 + 65536 * mb, KILN_VM_LOAD_MIN) : UINT64_MAX;
    out[k++] = fmem ? kiln_gl_sub(shi, mb) : UINT64_MAX;
    int fsh = cpu_flag(c, n, r, ZF_SLL) || cpu_flag(c, n, r, ZF_SRL) || cpu_flag(c, n, r, ZF_SRA);
    static const int rsh[] = {C_X_LO, C_X_HI, C_G_LO, C_G_HI, C_SR_LO, C_SR_HI};
    for (size_t i = 0; i < sizeof rsh / sizeof rsh[0]; i++)
        out[k++] = fsh ? c[(size_t)rsh[i] * n + r] : UINT64_MAX;
    uint64_t lv = c[(size_t)C_LV * n + r], sg = c[(size_t)C_SG * n + r];
    out[k++] = flb ? kiln_gl_mul(512, kiln_gl_sub(lv, 128 * sg)) : UINT64_MAX;
    out[k++] = flh ? kiln_gl_mul(2, kiln_gl_sub(lv, 32768 * sg)) : UINT64_MAX;
    return k;
}

static kiln_status count_range(kiln_zkvm_witness *w, size_t n, size_t nram, char *err, size_t errlen) {
    uint64_t *mult = w->cols[ZK_T_RANGE] + (size_t)G_RMULT * 65536;
    uint64_t *amult = w->cols[ZK_T_RANGE] + (size_t)G_AMULT * 65536;
    memset(w->cols[ZK_T_RANGE], 0, (size_t)G_NCOLS * 65536 * 8);
    const uint64_t *c = w->cols[ZK_T_CPU];
    uint64_t v[32];
    uint64_t *pmult = w->cols[ZK_T_RANGE] + (size_t)G_PMULT * 65536;
    uint64_t *bmult = w->cols[ZK_T_RANGE] + (size_t)G_BMULT * 65536;
    for (size_t r = 0; r < n; r++) {
        int fbit = cpu_flag(c, n, r, ZF_AND) || cpu_flag(c, n, r, ZF_ORX);
        if (fbit || cpu_flag(c, n, r, ZF_LB) || cpu_flag(c, n, r, ZF_SB)) /* byte-wise AND: row x + 256 y */
            for (int i = 0; i < 4; i++) {
                uint64_t x = c[(size_t)(C_XA0 + i) * n + r], y = c[(size_t)(C_XB0 + i) * n + r];
                if (x < 256 && y < 256) amult[x + 256 * y]++; /* else a tampered row: no table row */
            }
        if ((cpu_flag(c, n, r, ZF_SLL) || cpu_flag(c, n, r, ZF_SRL) || cpu_flag(c, n, r, ZF_SRA)) &&
            c[(size_t)C_BB_LO * n + r] < 65536)
            pmult[c[(size_t)C_BB_LO * n + r]]++; /* (bb_lo, 2^(bb_lo mod 32)) */
        /* the timestamp gaps' high bytes, in pairs */
        static const int eh[2][2] = {{C_E1H, C_E2H}, {C_EMH, C_E3H}};
        for (int i = 0; i < 2; i++) {
            uint64_t x = c[(size_t)eh[i][0] * n + r], y = c[(size_t)eh[i][1] * n + r];
            if (x >= 256 || y >= 256) {
                ERR("internal: cpu row %zu timestamp gap past 2^24", r);
                return KILN_ERR_INTERNAL;
            }
            bmult[x + 256 * y]++;
        }
        size_t k = cpu_lookups(c, n, r, v);
        for (size_t i = 0; i < k; i++) {
            if (v[i] == UINT64_MAX) continue;
            if (v[i] >= 65536) {
                ERR("internal: cpu row %zu lookup %zu value %llu out of range", r, i,
                    (unsigned long long)v[i]);
                return KILN_ERR_INTERNAL;
            }
            mult[v[i]]++;
        }
    }
    const uint64_t *m = w->cols[ZK_T_RAM];
    for (size_t r = 0; r < nram; r++) {
        const int lim[] = {M_GL, M_GH, M_UL, M_UH};
        for (int i = 0; i < 4; i++) {
            uint64_t v = m[(size_t)lim[i] * nram + r];
            if (v >= 65536) {
                ERR("internal: ram gap or bound out of range");
                return KILN_ERR_INTERNAL;
            }
            mult[v]++;
        }
    }
    return KILN_OK;
}

/* Syscall replay: the accesses and results of one ecall, appended to the syscall log (zkvm_sys.h). */
static int log_call(zk_sys_log *l, uint64_t clk, uint32_t num, uint32_t a0, uint32_t a1) {
    if (l->ncalls == l->ccap) {
        size_t nc = l->ccap ? 2 * l->ccap : 16;
        zk_sys_call *c = (zk_sys_call *)realloc(l->calls, nc * sizeof *c);
        if (!c) return -1;
        l->calls = c, l->ccap = nc;
    }
    zk_sys_call *c = &l->calls[l->ncalls++];
    c->clk = clk, c->num = num, c->a0 = a0, c->a1 = a1, c->res = a0, c->first = l->nwords, c->count = 0;
    return 0;
}

/* Syscall buffers: [addr, addr + len) is 4-aligned, at or above KILN_ZKVM_SYS_MIN, below the stack top, and
 * every word of it is writable memory (a writable image word, the heap or the stack): the syscall tables
 * access words with w = 1 (docs/zkvm-air.md, "Syscalls"). */
static int sys_block(const kiln_zkvm_program *p, uint32_t addr, uint64_t len) {
    if ((addr & 3) || addr < KILN_ZKVM_SYS_MIN || (uint64_t)addr + len > KILN_VM_STACK_TOP) return 0;
    for (uint64_t a = addr; a < (uint64_t)addr + len; a += 4) {
        const zk_word *img = zk_image_find(p, (uint32_t)a);
        int ram = (a >= p->heap_base && a < KILN_VM_HEAP_END) || (a >= KILN_ZKVM_STACK_BASE && a < KILN_VM_STACK_TOP);
        if (img ? !img->w : !ram) return 0;
    }
    return 1;
}

/* The cell of a word, created with its initial value (the image's, or zero for heap and stack). */
static zk_cell *word_cell(const kiln_zkvm_program *p, zk_map *m, uint32_t wa) {
    const zk_word *img = zk_image_find(p, wa);
    return map_get(m, wa, img ? img->val : 0);
}

/* One word access of the last logged call at ts: reads the cell, writes val (or keeps it when keep). */
static int log_word(const kiln_zkvm_program *p, zk_sys_log *l, zk_map *m, uint32_t addr, uint64_t ts, int keep,
                    uint32_t val) {
    zk_cell *cell = word_cell(p, m, addr);
    if (!cell) return -1;
    if (l->nwords == l->wcap) {
        size_t nc = l->wcap ? 2 * l->wcap : 64;
        zk_sys_word *wd = (zk_sys_word *)realloc(l->words, nc * sizeof *wd);
        if (!wd) return -1;
        l->words = wd, l->wcap = nc;
    }
    zk_sys_word *wd = &l->words[l->nwords++];
    wd->addr = addr, wd->prev = cell->val, wd->pt = cell->ts, wd->val = keep ? cell->val : val;
    cell->ts = ts, cell->val = wd->val;
    l->calls[l->ncalls - 1].count++;
    return 0;
}

static const char *sys_name(uint32_t num) {
    switch (num) {
    case KILN_SYS_EXIT:
        return "exit";
    case KILN_SYS_INPUT_READ:
        return "input_read";
    case KILN_SYS_INPUT_LEN:
        return "input_len";
    case KILN_SYS_COMMIT:
        return "commit";
    case KILN_SYS_DEBUG:
        return "debug";
    case KILN_SYS_ADVICE:
        return "advice";
    case KILN_SYS_IO_DIGEST:
        return "io_digest";
    case KILN_SYS_POSEIDON2:
        return "poseidon2";
    case KILN_SYS_KECCAKF:
        return "keccakf";
    case KILN_SYS_U256_ADDMOD:
        return "u256_addmod";
    case KILN_SYS_U256_SUBMOD:
        return "u256_submod";
    case KILN_SYS_U256_MULMOD:
        return "u256_mulmod";
    default:
        return "unknown";
    }
}

/* Replays the ecall of trace row r (clk r): logs its call and word accesses at ts 4 r + 3 and returns a0's
 * value after it in *res. rec is the VM's syscall record of the row (results). */
static kiln_status replay_syscall(const kiln_zkvm_program *p, zk_sys_log *l, zk_map *m, uint64_t r,
                                  uint32_t pc, uint32_t num, uint32_t a0, uint32_t a1,
                                  const kiln_vm_trace *tr, const kiln_vm_trace_syscall *rec,
                                  const uint8_t *in, size_t in_len, size_t *in_pos, uint32_t *res, char *err,
                                  size_t errlen) {
    uint64_t ts = 4 * r + 3;
    *res = a0;
    if (num != KILN_SYS_EXIT && num != KILN_SYS_POSEIDON2 && num != KILN_SYS_KECCAKF &&
        num != KILN_SYS_INPUT_READ && num != KILN_SYS_INPUT_LEN && num != KILN_SYS_COMMIT &&
        num != KILN_SYS_DEBUG && num != KILN_SYS_ADVICE && num != KILN_SYS_IO_DIGEST) {
        ERR("unsupported syscall '%s' (a7 = 0x%x) at pc 0x%08x: this slice proves exit, poseidon2, keccakf, "
            "u256_addmod, u256_submod, u256_mulmod, input_read, input_len, commit, debug, advice and "
            "io_digest",
            sys_name(num), num, pc);
        return KILN_ERR_UNSUPPORTED;
    }
    if (num != KILN_SYS_EXIT && (!rec || rec->num != num)) {
        ERR("internal: no syscall record for the ecall at pc 0x%08x", pc);
        return KILN_ERR_INTERNAL;
    }
    if (log_call(l, r, num, a0, a1) != 0) return KILN_ERR_OUT_OF_MEMORY;
    switch (num) {
    case KILN_SYS_EXIT: /* a1 is free */
        break;
    case KILN_SYS_IO_DIGEST:
        if (!sys_block(p, a0, 64)) {
            ERR("unsupported io_digest block at 0x%08x (pc 0x%08x): a0 must point to 16 words of 4-aligned "
                "writable memory at or above 0x%08x",
                a0, pc, KILN_ZKVM_SYS_MIN);
            return KILN_ERR_UNSUPPORTED;
        }
        for (uint32_t i = 0; i < 16; i++)
            if (log_word(p, l, m, a0 + 4 * i, ts, 1, 0) != 0) return KILN_ERR_OUT_OF_MEMORY;
        break;
    case KILN_SYS_ADVICE: {
        /* The answer's words, from the VM's memory records (the witness has no other copy of the tape). */
        uint32_t n = rec->ret[0], nw = (uint32_t)(((uint64_t)n + 3) / 4);
        if (n > a1 || rec->mem_count != nw) {
            ERR("internal: advice at pc 0x%08x returned %u bytes", pc, n);
            return KILN_ERR_INTERNAL;
        }
        if (n && (nw > 65535 || !sys_block(p, a0, 4 * (uint64_t)nw))) {
            ERR("unsupported advice answer of %u bytes into 0x%08x (pc 0x%08x): this slice proves answers of "
                "at most 262140 bytes into a 4-aligned buffer of writable memory at or above 0x%08x",
                n, a0, pc, KILN_ZKVM_SYS_MIN);
            return KILN_ERR_UNSUPPORTED;
        }
        for (uint32_t j = 0; j < nw; j++) {
            const kiln_vm_trace_mem *mr = &tr->mem[rec->mem_first + j];
            zk_cell *cell = word_cell(p, m, a0 + 4 * j);
            if (!cell) return KILN_ERR_OUT_OF_MEMORY;
            if (mr->addr != a0 + 4 * j || mr->prev != cell->val) {
                ERR("internal: advice replay differs from the VM at pc 0x%08x", pc);
                return KILN_ERR_INTERNAL;
            }
            if (log_word(p, l, m, a0 + 4 * j, ts, 0, mr->val) != 0) return KILN_ERR_OUT_OF_MEMORY;
        }
        *res = n;
        break;
    }
    case KILN_SYS_POSEIDON2: {
        if (!sys_block(p, a0, 96)) {
            ERR("unsupported poseidon2 state at 0x%08x (pc 0x%08x): the state must be 4-aligned writable memory "
                "at or above 0x%08x",
                a0, pc, KILN_ZKVM_SYS_MIN);
            return KILN_ERR_UNSUPPORTED;
        }
        uint64_t st[12];
        for (int i = 0; i < 12; i++) {
            zk_cell *lo = word_cell(p, m, a0 + 8 * (uint32_t)i),
                    *hi = lo ? word_cell(p, m, a0 + 8 * (uint32_t)i + 4) : NULL;
            if (!hi) return KILN_ERR_OUT_OF_MEMORY;
            lo = word_cell(p, m, a0 + 8 * (uint32_t)i); /* the second lookup may have rehashed the map */
            st[i] = lo->val | (uint64_t)hi->val << 32;
        }
        kiln_poseidon2_permute(st); /* the VM checked canonicity (it faults otherwise) */
        for (uint32_t wd = 0; wd < 24; wd++)
            if (log_word(p, l, m, a0 + 4 * wd, ts, 0, (uint32_t)(st[wd / 2] >> (32 * (wd & 1)))) != 0)
                return KILN_ERR_OUT_OF_MEMORY;
        break;
    }
    case KILN_SYS_KECCAKF: {
        if (!sys_block(p, a0, 200)) {
            ERR("unsupported keccakf state at 0x%08x (pc 0x%08x): the state must be 4-aligned writable memory "
                "at or above 0x%08x",
                a0, pc, KILN_ZKVM_SYS_MIN);
            return KILN_ERR_UNSUPPORTED;
        }
        uint64_t st[25];
        for (uint32_t i = 0; i < 25; i++) {
            zk_cell *lo = word_cell(p, m, a0 + 8 * i), *hi = lo ? word_cell(p, m, a0 + 8 * i + 4) : NULL;
            if (!hi) return KILN_ERR_OUT_OF_MEMORY;
            lo = word_cell(p, m, a0 + 8 * i); /* the second lookup may have rehashed the map */
            st[i] = lo->val | (uint64_t)hi->val << 32;
        }
        kiln_keccak_f1600(st); /* the VM's permutation; the table's bit-level one is compared with it */
        for (uint32_t wd = 0; wd < 50; wd++)
            if (log_word(p, l, m, a0 + 4 * wd, ts, 0, (uint32_t)(st[wd / 2] >> (32 * (wd & 1)))) != 0)
                return KILN_ERR_OUT_OF_MEMORY;
        break;
    }
    case KILN_SYS_INPUT_READ: {
        uint32_t n = rec->ret[0], nw = (uint32_t)(((uint64_t)n + 3) / 4);
        if (n > in_len - *in_pos || n > a1) {
            ERR("internal: input_read at pc 0x%08x returned %u bytes", pc, n);
            return KILN_ERR_INTERNAL;
        }
        if (n && (nw > 65535 || !sys_block(p, a0, 4 * (uint64_t)nw))) {
            ERR("unsupported input_read of %u bytes into 0x%08x (pc 0x%08x): this slice proves reads of at "
                "most 262140 bytes into a 4-aligned buffer of writable memory at or above 0x%08x",
                n, a0, pc, KILN_ZKVM_SYS_MIN);
            return KILN_ERR_UNSUPPORTED;
        }
        for (uint32_t j = 0; j < nw; j++) {
            zk_cell *cell = word_cell(p, m, a0 + 4 * j);
            if (!cell) return KILN_ERR_OUT_OF_MEMORY;
            uint32_t v = cell->val;
            for (uint32_t b = 0; b < 4 && 4 * j + b < n; b++)
                v = (v & ~(0xffu << (8 * b))) | (uint32_t)in[*in_pos + 4 * j + b] << (8 * b);
            if (log_word(p, l, m, a0 + 4 * j, ts, 0, v) != 0) return KILN_ERR_OUT_OF_MEMORY;
        }
        *in_pos += n;
        *res = n;
        break;
    }
    case KILN_SYS_INPUT_LEN:
        *res = rec->ret[0];
        break;
    default: /* commit, debug: host-side effects only */
        break;
    }
    if (num != KILN_SYS_EXIT && rec->ret[0] != *res) {
        ERR("internal: syscall replay differs from the VM at pc 0x%08x", pc);
        return KILN_ERR_INTERNAL;
    }
    l->calls[l->ncalls - 1].res = *res;
    return KILN_OK;
}

/* Readable syscall input: [addr, addr + len) 4-aligned in [KILN_ZKVM_SYS_MIN, stack top), every word an image
 * word (read-only ones included) or heap or stack. */
static int sys_read_block(const kiln_zkvm_program *p, uint32_t addr, uint64_t len) {
    if ((addr & 3) || addr < KILN_ZKVM_SYS_MIN || (uint64_t)addr + len > KILN_VM_STACK_TOP) return 0;
    for (uint64_t a = addr; a < (uint64_t)addr + len; a += 4)
        if (!zk_image_find(p, (uint32_t)a) && !((a >= p->heap_base && a < KILN_VM_HEAP_END) ||
                                                 (a >= KILN_ZKVM_STACK_BASE && a < KILN_VM_STACK_TOP)))
            return 0;
    return 1;
}

/* A u256 call of trace row r (docs/zkvm-air.md, "u256 table"): logs a (read at 4 r + 1), b (4 r + 2), m
 * (4 r + 3), out (written at 4 r + 4 with the VM's result, from its memory records) and the pointer registers
 * x12, x13 (read at 4 r + 3; logged as words at addresses 12 and 13). a0 is unchanged. */
static kiln_status replay_u256(const kiln_zkvm_program *p, zk_sys_log *l, zk_map *m, uint64_t r, uint32_t pc,
                               uint32_t num, uint32_t a0, uint32_t a1, const uint32_t *reg, uint64_t *regts,
                               const kiln_vm_trace *tr, const kiln_vm_trace_syscall *rec, char *err,
                               size_t errlen) {
    uint32_t ptr[3] = {a1, reg[12], reg[13]};
    if (!rec || rec->num != num || rec->mem_count != 32 || rec->ret[0] != a0) {
        ERR("internal: no u256 syscall record for the ecall at pc 0x%08x", pc);
        return KILN_ERR_INTERNAL;
    }
    if (!sys_block(p, a0, 32) || !sys_read_block(p, ptr[0], 32) || !sys_read_block(p, ptr[1], 32) ||
        !sys_read_block(p, ptr[2], 32)) {
        ERR("unsupported %s buffers out 0x%08x, a 0x%08x, b 0x%08x, m 0x%08x (pc 0x%08x): each must be "
            "4-aligned at or above 0x%08x in the image, the heap or the stack, out writable",
            sys_name(num), a0, ptr[0], ptr[1], ptr[2], pc, KILN_ZKVM_SYS_MIN);
        return KILN_ERR_UNSUPPORTED;
    }
    if (log_call(l, r, num, a0, a1) != 0) return KILN_ERR_OUT_OF_MEMORY;
    const kiln_vm_trace_mem *vm = &tr->mem[rec->mem_first];
    for (uint32_t k = 0; k < 32; k++) {
        uint32_t addr = (k < 24 ? ptr[k / 8] : a0) + 4 * (k % 8);
        if (log_word(p, l, m, addr, 4 * r + 1 + (k < 24 ? k / 8 : 3), k < 24, vm[k].val) != 0)
            return KILN_ERR_OUT_OF_MEMORY;
        const zk_sys_word *wd = &l->words[l->nwords - 1];
        if (vm[k].addr != addr || vm[k].prev != wd->prev || vm[k].val != wd->val) {
            ERR("internal: u256 replay differs from the VM at pc 0x%08x (word 0x%08x)", pc, addr);
            return KILN_ERR_INTERNAL;
        }
    }
    for (uint32_t k = 12; k <= 13; k++) { /* the registers: read, not in the memory map */
        if (l->nwords == l->wcap) {
            size_t nc = l->wcap ? 2 * l->wcap : 64;
            zk_sys_word *wd = (zk_sys_word *)realloc(l->words, nc * sizeof *wd);
            if (!wd) return KILN_ERR_OUT_OF_MEMORY;
            l->words = wd, l->wcap = nc;
        }
        zk_sys_word *wd = &l->words[l->nwords++];
        wd->addr = k, wd->prev = wd->val = reg[k], wd->pt = regts[k];
        regts[k] = 4 * r + 3;
        l->calls[l->ncalls - 1].count++;
    }
    return KILN_OK;
}

static unsigned ceil_log2(size_t n) {
    unsigned k = 0;
    while (((size_t)1 << k) < n)
        k++;
    return k;
}

kiln_status kiln_zkvm_split(const kiln_zkvm_program *p, unsigned segment_log, uint64_t max_cycles,
                            kiln_zkvm_segment **segs, size_t *nsegs, char *err, size_t errlen) {
    return kiln_zkvm_split_input(p, NULL, 0, segment_log, max_cycles, segs, nsegs, err, errlen);
}

kiln_status kiln_zkvm_split_input(const kiln_zkvm_program *p, const uint8_t *input, size_t input_len,
                                  unsigned segment_log, uint64_t max_cycles, kiln_zkvm_segment **segs,
                                  size_t *nsegs, char *err, size_t errlen) {
    kiln_zkvm_witness_opts o;
    memset(&o, 0, sizeof o);
    o.input = input, o.input_len = input_len, o.segment_log = segment_log, o.max_cycles = max_cycles;
    return kiln_zkvm_split_run(p, &o, segs, nsegs, err, errlen);
}

kiln_status kiln_zkvm_split_run(const kiln_zkvm_program *p, const kiln_zkvm_witness_opts *opts,
                                kiln_zkvm_segment **segs, size_t *nsegs, char *err, size_t errlen) {
    if (!p || !opts || !segs || !nsegs || (!opts->input && opts->input_len) ||
        (!opts->advice && opts->advice_len))
        return KILN_ERR_INVALID_ARG;
    const uint8_t *input = opts->input;
    size_t input_len = opts->input_len;
    unsigned segment_log = opts->segment_log;
    uint64_t max_cycles = opts->max_cycles;
    *segs = NULL;
    *nsegs = 0;
    if (segment_log < KILN_ZKVM_MIN_SEGMENT_LOG || segment_log > KILN_ZKVM_MAX_SEGMENT_LOG) {
        ERR("segment log %u outside %u..%u", segment_log, KILN_ZKVM_MIN_SEGMENT_LOG,
            KILN_ZKVM_MAX_SEGMENT_LOG);
        return KILN_ERR_INVALID_ARG;
    }
    size_t n = (size_t)1 << segment_log, cap = 0, ns = 0;
    kiln_zkvm_segment *out = NULL;
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    cfg.max_cycles = max_cycles ? max_cycles : ((uint64_t)1 << 26);
    kiln_vm *vm = NULL;
    kiln_vm_trace *tr = NULL;
    kiln_status st = kiln_vm_create(p->vm, &cfg, &vm);
    if (st != KILN_OK) return st;
    if (input_len && (st = kiln_vm_set_input(vm, input, input_len)) != KILN_OK) goto done;
    if ((opts->advice || opts->advice_len) &&
        (st = kiln_vm_set_advice_tape(vm, opts->advice, opts->advice_len)) != KILN_OK) {
        ERR("the advice tape is not a sequence of length-prefixed answers");
        goto done;
    }
    if ((st = kiln_vm_trace_create(n, &tr)) != KILN_OK) goto done;
    kiln_vm_set_trace(vm, tr);
    uint64_t first = 0;
    for (;;) {
        kiln_vm_result res;
        st = kiln_vm_run(vm, &res);
        if (tr->n_rows) { /* a full buffer (or the tail of the run) is one segment */
            if (ns == cap) {
                cap = cap ? 2 * cap : 8;
                kiln_zkvm_segment *no = (kiln_zkvm_segment *)realloc(out, cap * sizeof *no);
                if (!no) {
                    st = KILN_ERR_OUT_OF_MEMORY;
                    goto done;
                }
                out = no;
            }
            out[ns].first_row = first;
            out[ns].rows = tr->n_rows;
            out[ns].start_pc = tr->rows[0].pc;
            out[ns].end_pc = tr->rows[tr->n_rows - 1].pc;
            first += tr->n_rows;
            ns++;
            kiln_vm_trace_clear(tr);
        }
        if (res.stop == KILN_VM_TRACE_FULL) continue;
        if (st != KILN_OK || res.stop != KILN_VM_EXITED) {
            ERR("the guest did not exit: %s at pc 0x%08x: %s", kiln_vm_stop_str(res.stop), res.pc, res.msg);
            if (st == KILN_OK) st = KILN_ERR_FAULT;
            goto done;
        }
        break;
    }
    *segs = out;
    *nsegs = ns;
    out = NULL;
    st = KILN_OK;
done:
    free(out);
    kiln_vm_trace_free(tr);
    kiln_vm_free(vm);
    return st;
}

/* Replay state carried through the segments of a run: registers, memory words (value, and local timestamps
 * inside the segment being built), the input position. */
typedef struct zk_replay {
    const kiln_zkvm_program *p;
    const kiln_zkvm_witness_opts *opts;
    uint32_t reg[32];
    uint64_t regts[32];
    zk_map map;
    size_t in_pos;
    uint32_t overlap; /* TEST ONLY: see KILN_ZKVM_TAMPER_OVERLAP */
} zk_replay;

/* Replays one segment's trace buffer (local clock 0, 1, ...): checks the slice, assigns every access its
 * previous timestamp and value, logs the syscalls into l; rows (NULL: not kept) gets one entry per row. */
static kiln_status replay_segment(zk_replay *x, const kiln_vm_trace *tr, zk_row *rows, zk_sys_log *l,
                                  char *err, size_t errlen) {
    const kiln_zkvm_program *p = x->p;
    const kiln_zkvm_witness_opts *opts = x->opts;
    uint32_t *reg = x->reg, overlap = x->overlap;
    uint64_t *regts = x->regts;
    size_t si = 0;
    zk_row tmp;
    kiln_status st = KILN_OK;
    for (size_t r = 0; r < tr->n_rows; r++) {
        const kiln_vm_trace_row *t = &tr->rows[r];
        const zk_code *c = zk_find(p, t->pc);
        zk_row *z = rows ? &rows[r] : &tmp;
        if (!rows) memset(z, 0, sizeof *z);
        if (!c || c->d.op == ZK_OP_INVALID) {
            ERR("unsupported instruction '%s' (0x%08x) at pc 0x%08x: this slice proves add, sub, addi, slt, "
                "sltu, slti, sltiu, and, or, xor, andi, ori, xori, sll, srl, sra, slli, srli, srai, lui, "
                "auipc, "
                "jal, jalr, beq, bne, blt, bge, bltu, bgeu, lw, lb, lbu, lh, lhu, sw, sb, sh, mul, mulh, "
                "mulhsu, mulhu, div, divu, rem, remu, fence and ecall (exit, poseidon2, u256_addmod, "
                "u256_submod, u256_mulmod, input_read, input_len, commit, debug)",
                kiln_zkvm_insn_name(t->insn), t->insn, t->pc);
            st = KILN_ERR_UNSUPPORTED;
            goto done;
        }
        const zk_decoded *d = &c->d;
        uint64_t T = 4 * (uint64_t)r;
        z->c = c;
        z->op = d->op;
        z->pc = t->pc;
        z->a = reg[d->rs1];
        z->pt1 = regts[d->rs1];
        regts[d->rs1] = T + 1;
        z->b = reg[d->rs2];
        z->pt2 = regts[d->rs2];
        regts[d->rs2] = T + 2;
        z->ptm = T + 2;
        uint32_t sys_res = 0;
        if (d->op == ZK_OP_EXIT) { /* an ecall: a1 in the memory slot, then the syscall's own accesses */
            uint32_t a1 = reg[11];
            z->op = z->b == KILN_SYS_EXIT ? ZK_OP_EXIT : ZK_OP_ECALL;
            z->mp = z->mv = a1;
            z->ptm = regts[11];
            regts[11] = T + 3;
            while (si < tr->n_syscalls && tr->syscalls[si].row < r)
                si++;
            const kiln_vm_trace_syscall *rec =
                si < tr->n_syscalls && tr->syscalls[si].row == r ? &tr->syscalls[si] : NULL;
            if (z->b >= KILN_SYS_U256_ADDMOD && z->b <= KILN_SYS_U256_MULMOD) { /* a0 is unchanged */
                st = replay_u256(p, l, &x->map, r, t->pc, z->b, z->a, a1, reg, regts, tr, rec, err, errlen);
                sys_res = z->a;
            } else {
                st = replay_syscall(p, l, &x->map, r, t->pc, z->b, z->a, a1, tr, rec, opts->input,
                                    opts->input_len, &x->in_pos, &sys_res, err, errlen);
            }
            if (st != KILN_OK) goto done;
        }
        if (is_mem_op(d->op)) {
            uint32_t addr = z->a + d->imm, wa = addr & ~3u;
            int half = d->op == ZK_OP_LH || d->op == ZK_OP_LHU || d->op == ZK_OP_SH;
            int word = d->op == ZK_OP_LW || d->op == ZK_OP_SW;
            int store = d->op == ZK_OP_SW || d->op == ZK_OP_SB || d->op == ZK_OP_SH;
            /* Each word lives in the image table (its initial value and w) or in the ram table (heap and
             * stack, zero at entry); the rest of a segment's pages is mapped by the VM but has no table. */
            const zk_word *img = wa == overlap ? NULL : zk_image_find(p, wa);
            int ram = wa == overlap || (wa >= p->heap_base && wa < KILN_VM_HEAP_END) ||
                      (wa >= KILN_ZKVM_STACK_BASE && wa < KILN_VM_STACK_TOP);
            if ((!img && !ram) || (word && (addr & 3)) || (half && (addr & 1))) {
                ERR("unsupported memory access at 0x%08x by '%s' at pc 0x%08x: this slice proves aligned "
                    "accesses to the program image, the heap [0x%08x, 0x%08x) and the stack "
                    "[0x%08x, 0x%08x), not to the rest of a segment's pages",
                    addr, kiln_zkvm_insn_name(t->insn), t->pc, p->heap_base, KILN_VM_HEAP_END,
                    KILN_ZKVM_STACK_BASE, KILN_VM_STACK_TOP);
                st = KILN_ERR_UNSUPPORTED;
                goto done;
            }
            if (img && store && !img->w) { /* the VM faults on these */
                ERR("internal: store to read-only word 0x%08x at pc 0x%08x", wa, t->pc);
                st = KILN_ERR_INTERNAL;
                goto done;
            }
            zk_cell *cell = map_get(&x->map, wa, img ? img->val : 0);
            if (!cell) {
                st = KILN_ERR_OUT_OF_MEMORY;
                goto done;
            }
            z->maddr = wa;
            z->mw = img ? img->w : 1;
            z->ptm = cell->ts;
            z->mp = cell->val;
            unsigned sh8 = 8 * (addr & 3);
            if (d->op == ZK_OP_SW)
                z->mv = z->b;
            else if (d->op == ZK_OP_SB)
                z->mv = (z->mp & ~(0xffu << sh8)) | (z->b & 0xff) << sh8;
            else if (d->op == ZK_OP_SH)
                z->mv = (z->mp & ~(0xffffu << sh8)) | (z->b & 0xffff) << sh8;
            else
                z->mv = z->mp;
            if (t->mem_prev != z->mp || t->mem_val != z->mv) {
                ERR("internal: memory replay differs from the VM at pc 0x%08x", t->pc);
                st = KILN_ERR_INTERNAL;
                goto done;
            }
            cell->ts = T + 3;
            cell->val = z->mv;
        }
        z->rdp = reg[d->rd];
        z->pt3 = regts[d->rd];
        regts[d->rd] = T + 4;
        if (d->wr) {
            z->res = t->rd_val;
            reg[d->rd] = z->res;
        } else if (z->op == ZK_OP_ECALL) {
            z->res = sys_res;
            reg[d->rd] = z->res;
        } else {
            z->res = z->rdp;
        }
    }
done:
    return st;
}

kiln_status kiln_zkvm_witness_build(const kiln_zkvm_program *p, const kiln_zkvm_witness_opts *opts,
                                    kiln_zkvm_witness *w, char *err, size_t errlen) {
    if (!p || !opts || !w) return KILN_ERR_INVALID_ARG;
    memset(w, 0, sizeof *w);
    unsigned k = opts->segment_log;
    if (k < KILN_ZKVM_MIN_SEGMENT_LOG || k > KILN_ZKVM_MAX_SEGMENT_LOG) {
        ERR("segment log %u outside %u..%u", k, KILN_ZKVM_MIN_SEGMENT_LOG, KILN_ZKVM_MAX_SEGMENT_LOG);
        return KILN_ERR_INVALID_ARG;
    }
    size_t n = (size_t)1 << k, target = opts->segment ? opts->segment : 1;
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    cfg.max_cycles = opts->max_cycles ? opts->max_cycles : ((uint64_t)1 << 26);
    kiln_vm *vm = NULL;
    kiln_vm_trace *tr = NULL;
    zk_row *rows = NULL;
    zk_cell *cells = NULL;
    zk_sys_log slog, scratch;
    memset(&slog, 0, sizeof slog);
    memset(&scratch, 0, sizeof scratch);
    zk_replay *x = (zk_replay *)calloc(1, sizeof *x);
    if (!x) return KILN_ERR_OUT_OF_MEMORY;
    x->p = p;
    x->opts = opts;
    x->reg[2] = KILN_VM_STACK_TOP;
    x->overlap = UINT32_MAX;
    uint32_t reg0[32], reg[32], next_pc = 0;
    uint64_t regts[32], cycles = 0;
    size_t nseg = 0, nreal = 0;
    uint32_t overlap = UINT32_MAX;
    kiln_vm_result res;
    kiln_status st = kiln_vm_create(p->vm, &cfg, &vm);
    if (st != KILN_OK) goto done;
    if (opts->input_len && (st = kiln_vm_set_input(vm, opts->input, opts->input_len)) != KILN_OK) goto done;
    if ((opts->advice || opts->advice_len) &&
        (st = kiln_vm_set_advice_tape(vm, opts->advice, opts->advice_len)) != KILN_OK) {
        ERR("the advice tape is not a sequence of length-prefixed answers");
        goto done;
    }
    if ((st = kiln_vm_trace_create(n, &tr)) != KILN_OK) goto done;
    kiln_vm_set_trace(vm, tr);
    /* Run the whole program, pausing at every full buffer of 2^k rows (one segment): segments before the
     * target only advance the replay state, the target's rows are kept, the rest of the run is replayed for
     * the segment count, the next pc and the ram addresses touched anywhere (the ram table holds their union
     * in every segment). The VM reruns the program for each segment proven (docs/zkvm-air.md, "Segments"). */
    for (;;) {
        st = kiln_vm_run(vm, &res);
        if (res.stop != KILN_VM_TRACE_FULL && (st != KILN_OK || res.stop != KILN_VM_EXITED)) {
            /* A word outside RV32IM (CSR, ebreak, ...) faults in the VM: name it like an unsupported one. */
            const zk_code *bad = zk_find(p, res.pc);
            if (bad && bad->d.op == ZK_OP_INVALID)
                ERR("the guest did not exit: %s at pc 0x%08x: unsupported instruction '%s' (0x%08x)",
                    kiln_vm_stop_str(res.stop), res.pc, kiln_zkvm_insn_name(bad->insn), bad->insn);
            else
                ERR("the guest did not exit: %s at pc 0x%08x: %s", kiln_vm_stop_str(res.stop), res.pc,
                    res.msg);
            if (st == KILN_OK) st = KILN_ERR_FAULT;
            goto done;
        }
        if (tr->n_rows) {
            nseg++;
            cycles += tr->n_rows;
            if (nseg == target) {
                /* TEST ONLY: the image word the OVERLAP tamper serves from the ram table instead. */
                if (opts->tamper == KILN_ZKVM_TAMPER_OVERLAP)
                    for (size_t r = 0; r < tr->n_rows && overlap == UINT32_MAX; r++) {
                        const zk_code *c = zk_find(p, tr->rows[r].pc);
                        if (!c || !is_mem_op(c->d.op)) continue;
                        const zk_word *iw = zk_image_find(p, tr->rows[r].mem_addr & ~3u);
                        if (iw && iw->w && iw->val == 0) overlap = iw->addr;
                    }
                x->overlap = overlap;
                /* Local timestamps restart at 0; the segment's initial values are the state here. */
                for (size_t i = 0; i < x->map.cap; i++) {
                    x->map.cells[i].ts = 0;
                    x->map.cells[i].init = x->map.cells[i].val;
                }
                memset(x->regts, 0, sizeof x->regts);
                memcpy(reg0, x->reg, sizeof reg0);
                nreal = (size_t)tr->n_rows;
                rows = (zk_row *)calloc(nreal, sizeof *rows);
                if (!rows) {
                    st = KILN_ERR_OUT_OF_MEMORY;
                    goto done;
                }
                if ((st = replay_segment(x, tr, rows, &slog, err, errlen)) != KILN_OK) goto done;
                for (size_t i = 0; i < x->map.cap; i++) { /* the segment's boundary values */
                    zk_cell *c = &x->map.cells[i];
                    c->s_init = c->init, c->s_fin = c->val, c->s_ts = c->ts;
                }
                memcpy(reg, x->reg, sizeof reg);
                memcpy(regts, x->regts, sizeof regts);
            } else {
                if (nseg == target + 1) next_pc = tr->rows[0].pc;
                scratch.ncalls = scratch.nwords = 0;
                if ((st = replay_segment(x, tr, NULL, &scratch, err, errlen)) != KILN_OK) goto done;
            }
            kiln_vm_trace_clear(tr);
        }
        if (res.stop != KILN_VM_TRACE_FULL) break;
    }
    if (target > nseg) {
        ERR("segment %zu requested, the run has %zu segments of 2^%u rows", target, nseg, k);
        st = KILN_ERR_INVALID_ARG;
        goto done;
    }
    int first = target == 1, last = target == nseg;
    if (last) next_pc = rows[nreal - 1].pc;
    w->cycles = cycles;
    w->nsegments = nseg;
    w->segments[0].first_row = (uint64_t)(target - 1) * n;
    w->segments[0].rows = nreal;
    /* Tables. The ram table holds the touched words that are not image words, in increasing order. */
    zk_map map = x->map;
    cells = (zk_cell *)malloc((map.n + 1) * sizeof *cells);
    if (!cells) {
        st = KILN_ERR_OUT_OF_MEMORY;
        goto done;
    }
    size_t nramw = 0;
    for (size_t i = 0; i < map.cap; i++)
        if (map.cells[i].used && (map.cells[i].addr == overlap || !zk_image_find(p, map.cells[i].addr)))
            cells[nramw++] = map.cells[i];
    if (opts->tamper == KILN_ZKVM_TAMPER_HOLE) { /* TEST ONLY: an untouched word in the unmapped hole */
        memset(&cells[nramw], 0, sizeof *cells);
        cells[nramw].addr = KILN_VM_HEAP_END;
        cells[nramw++].used = 1;
    }
    qsort(cells, nramw, sizeof *cells, cell_cmp);
    size_t nram = 4;
    while (nram < nramw)
        nram *= 2;
    size_t ncode = (size_t)1 << p->code_log, nimg = (size_t)1 << p->image_log;
    w->traces[ZK_T_CPU].log_n = k;
    w->traces[ZK_T_PROG].log_n = p->code_log;
    w->traces[ZK_T_REGS].log_n = 5;
    w->traces[ZK_T_RAM].log_n = ceil_log2(nram);
    w->traces[ZK_T_RANGE].log_n = 16;
    w->traces[ZK_T_IMAGE].log_n = p->image_log;
    w->cols[ZK_T_CPU] = (uint64_t *)calloc((size_t)C_NCOLS * n, 8);
    w->cols[ZK_T_PROG] = (uint64_t *)calloc(ncode, 8);
    w->cols[ZK_T_REGS] = (uint64_t *)calloc(R_NCOLS * 32, 8);
    w->cols[ZK_T_RAM] = (uint64_t *)calloc((size_t)M_NCOLS * nram, 8);
    w->cols[ZK_T_RANGE] = (uint64_t *)calloc((size_t)G_NCOLS << 16, 8);
    w->cols[ZK_T_IMAGE] = (uint64_t *)calloc((size_t)IM_NCOLS * nimg, 8);
    if ((st = zk_fill_poseidon2(&slog, w)) != KILN_OK || (st = zk_fill_io(&slog, w)) != KILN_OK ||
        (st = zk_fill_exit(&slog, w, last)) != KILN_OK || (st = zk_fill_u256(p, &slog, w, err, errlen)) != KILN_OK ||
        (st = zk_fill_keccak(&slog, w)) != KILN_OK)
        goto done;
    for (unsigned i = 0; i < KILN_ZKVM_NTABLES; i++)
        if (i != ZK_T_MULDIV && !w->cols[i]) { /* muldiv: allocated by its fill below */
            st = KILN_ERR_OUT_OF_MEMORY;
            goto done;
        }
    fill_ctx fc = {rows, nreal, n, w->cols[ZK_T_CPU]};
    kiln_parallel_for(n, 1024, fill_rows, &fc);
    if ((st = zk_muldiv_fill(w->cols[ZK_T_CPU], n, &w->cols[ZK_T_MULDIV], &w->traces[ZK_T_MULDIV].log_n, err,
                             errlen)) != KILN_OK)
        goto done;
    /* Program multiplicities. */
    for (size_t r = 0; r < nreal; r++)
        w->cols[ZK_T_PROG][rows[r].c - p->code]++;
    /* Registers: initial and final state of the segment. */
    for (unsigned i = 0; i < 32; i++) {
        w->cols[ZK_T_REGS][R_ILO * 32 + i] = reg0[i] & 0xffff;
        w->cols[ZK_T_REGS][R_IHI * 32 + i] = reg0[i] >> 16;
        w->cols[ZK_T_REGS][R_FTS * 32 + i] = regts[i];
        w->cols[ZK_T_REGS][R_FLO * 32 + i] = reg[i] & 0xffff;
        w->cols[ZK_T_REGS][R_FHI * 32 + i] = reg[i] >> 16;
    }
    /* RAM boundary: heap rows, then stack rows (gap: from the region base for a region's first row, else
     * from the previous address + 1; up: to the region end - 1). The OVERLAP tamper's row lies below
     * heap_base, so its gap wraps and only the first-address constraint fails. */
    {
        uint64_t *mc = w->cols[ZK_T_RAM];
        for (size_t i = 0; i < nramw; i++) {
            uint32_t a = cells[i].addr, stk = a >= KILN_ZKVM_STACK_BASE;
            uint32_t prev_stk = i > 0 && cells[i - 1].addr >= KILN_ZKVM_STACK_BASE;
            uint32_t gap = i > 0 && stk == prev_stk ? a - cells[i - 1].addr - 1
                                                    : a - (stk ? KILN_ZKVM_STACK_BASE : p->heap_base);
            uint32_t up = (stk ? KILN_VM_STACK_TOP : KILN_VM_HEAP_END) - 1 - a;
            mc[M_ADDR * nram + i] = a;
            mc[M_FTS * nram + i] = cells[i].s_ts;
            mc[M_FLO * nram + i] = cells[i].s_fin & 0xffff;
            mc[M_FHI * nram + i] = cells[i].s_fin >> 16;
            mc[M_ILO * nram + i] = cells[i].s_init & 0xffff;
            mc[M_IHI * nram + i] = cells[i].s_init >> 16;
            mc[M_REAL * nram + i] = 1;
            mc[M_GL * nram + i] = gap & 0xffff;
            mc[M_GH * nram + i] = gap >> 16;
            mc[M_STK * nram + i] = stk;
            mc[M_UL * nram + i] = up & 0xffff;
            mc[M_UH * nram + i] = up >> 16;
        }
    }
    /* Image boundary: the final value of every image word (its initial value when untouched). */
    for (size_t i = 0; i < p->nimage; i++) {
        const zk_word *iw = &p->image[i];
        const zk_cell *cl = iw->addr == overlap ? NULL : map_find(&map, iw->addr);
        uint32_t v = cl ? cl->s_fin : iw->val, v0 = cl ? cl->s_init : iw->val;
        w->cols[ZK_T_IMAGE][IM_ILO * nimg + i] = v0 & 0xffff;
        w->cols[ZK_T_IMAGE][IM_IHI * nimg + i] = v0 >> 16;
        w->cols[ZK_T_IMAGE][IM_FTS * nimg + i] = cl ? cl->s_ts : 0;
        w->cols[ZK_T_IMAGE][IM_FLO * nimg + i] = v & 0xffff;
        w->cols[ZK_T_IMAGE][IM_FHI * nimg + i] = v >> 16;
    }
    /* Public values. */
    w->pub[KILN_ZKVM_PUB_START_PC] = rows[0].pc;
    w->pub[KILN_ZKVM_PUB_END_PC] = last ? rows[nreal - 1].pc : 0;
    w->pub[KILN_ZKVM_PUB_EXIT_CODE] = last ? res.exit_code : 0;
    w->pub[KILN_ZKVM_PUB_SEGMENT] = target;
    w->pub[KILN_ZKVM_PUB_FIRST] = (uint64_t)first;
    w->pub[KILN_ZKVM_PUB_LAST] = (uint64_t)last;
    w->pub[KILN_ZKVM_PUB_NEXT_PC] = next_pc;
    memcpy(&w->pub[KILN_ZKVM_PUB_PROGRAM_HASH], p->hash, 32);
    /* The input and output hashes: the segment's io_digest block (zero without one), canonical elements. */
    {
        const uint64_t *xc = w->cols[ZK_T_EXIT];
        size_t xn = (size_t)1 << w->traces[ZK_T_EXIT].log_n;
        for (int k = 0; k < 8; k++) {
            uint64_t e = 0;
            for (int j = 3; j >= 0; j--)
                e = e << 16 | xc[(size_t)(X_W + 4 * k + j) * xn];
            if (e >= KILN_GL_P) {
                ERR("the io_digest block holds a non-canonical element (word pair %d at 0x%08llx)", k,
                    (unsigned long long)(4 * xc[(size_t)X_PQ * xn] + 65536 * xc[(size_t)X_PHI * xn]));
                st = KILN_ERR_UNSUPPORTED;
                goto done;
            }
            w->pub[k < 4 ? KILN_ZKVM_PUB_INPUT_HASH + k : KILN_ZKVM_PUB_OUTPUT_HASH + k - 4] = e;
        }
        w->pub[KILN_ZKVM_PUB_DIGEST] = xc[(size_t)X_C * xn];
    }
    w->segments[0].start_pc = rows[0].pc;
    w->segments[0].end_pc = rows[nreal - 1].pc;

    /* TEST ONLY corruptions. */
    if (opts->tamper != KILN_ZKVM_TAMPER_NONE) {
        uint64_t *c = w->cols[ZK_T_CPU];
        int done_t = opts->tamper >= KILN_ZKVM_TAMPER_MUL && zk_muldiv_tamper(w, n, nreal, opts->tamper);
        int u256_t = opts->tamper >= KILN_ZKVM_TAMPER_U256_RESULT && /* applied once, not per row */
                     opts->tamper <= KILN_ZKVM_TAMPER_U256_LIMBS;
        if (u256_t) done_t = zk_tamper_u256(w, opts->tamper);
        for (size_t r = 0; r < nreal && !done_t && !u256_t; r++) {
            const zk_decoded *d = &rows[r].c->d;
            switch (opts->tamper) {
            case KILN_ZKVM_TAMPER_ALU:
                if ((d->op == ZK_OP_ADD || d->op == ZK_OP_ADDI) && d->wr &&
                    (rows[r].res & 0xffff) != 0xffff) {
                    c[C_RES_LO * n + r]++;
                    done_t = 1;
                }
                break;
            case KILN_ZKVM_TAMPER_MEMORY:
                if (d->op == ZK_OP_LW && (rows[r].mp & 0xffff) != 0xffff) {
                    c[C_MP_LO * n + r]++;
                    c[C_MV_LO * n + r]++;
                    c[C_V * n + r]++;
                    if (d->wr) c[C_RES_LO * n + r]++;
                    done_t = 1;
                }
                break;
            case KILN_ZKVM_TAMPER_BRANCH:
                if (d->op >= ZK_OP_BEQ && d->op <= ZK_OP_BGEU && r + 1 < nreal &&
                    rows[r + 1].pc == d->target) {
                    c[C_PC * n + r + 1] += 4;
                    done_t = 1;
                }
                break;
            case KILN_ZKVM_TAMPER_X0:
                if (d->rd == 0 && d->op != ZK_OP_EXIT && d->op < ZK_OP_BEQ) {
                    c[C_WR * n + r] = 1;
                    c[C_RES_LO * n + r] = 5;
                    done_t = 1;
                }
                break;
            case KILN_ZKVM_TAMPER_COMPARE:
                if ((d->op == ZK_OP_SLT || d->op == ZK_OP_SLTI) && d->wr) {
                    c[C_LT * n + r] ^= 1;
                    c[C_RES_LO * n + r] ^= 1;
                    c[C_V * n + r] ^= 1;
                    done_t = 1;
                }
                break;
            case KILN_ZKVM_TAMPER_BITWISE: {
                /* A wrong AND byte with the result adjusted so that every polynomial constraint still holds:
                 * only the byte-wise lookup can catch it. */
                if (d->op < ZK_OP_AND || d->op > ZK_OP_XORI || !d->wr) break;
                int kind = (d->op - ZK_OP_AND) % 3; /* 0 and, 1 or, 2 xor */
                uint64_t lo = c[C_RES_LO * n + r], xn = c[C_XN0 * n + r];
                if (xn == 255 || (kind == 0 && lo == 0xffff) || (kind == 1 && lo < 1) ||
                    (kind == 2 && lo < 2))
                    break;
                c[C_XN0 * n + r] = xn + 1;
                c[C_RES_LO * n + r] = kind == 0 ? lo + 1 : kind == 1 ? lo - 1 : lo - 2;
                c[C_V * n + r] = kiln_gl_add(c[C_V * n + r], kiln_gl_sub(c[C_RES_LO * n + r], lo));
                done_t = 1;
                break;
            }
            case KILN_ZKVM_TAMPER_BYTES:
                if (d->op < ZK_OP_AND || d->op > ZK_OP_XORI || c[(C_XA0 + 1) * n + r] == 0) break;
                c[C_XA0 * n + r] += 256;
                c[(C_XA0 + 1) * n + r] -= 1;
                done_t = 1;
                break;
            case KILN_ZKVM_TAMPER_SHIFT:
                /* A wrong shift result (low bit flipped in the result and in rd). */
                if (d->op < ZK_OP_SLL || d->op > ZK_OP_SRAI || !d->wr) break;
                c[C_SR_LO * n + r] ^= 1;
                c[C_RES_LO * n + r] ^= 1;
                c[C_V * n + r] ^= 1;
                done_t = 1;
                break;
            case KILN_ZKVM_TAMPER_SUBWORD:
                /* A wrong loaded byte/half (low bit of the result flipped). */
                if (d->op < ZK_OP_LB || d->op > ZK_OP_LHU || !d->wr) break;
                c[C_RES_LO * n + r] ^= 1;
                done_t = 1;
                break;
            case KILN_ZKVM_TAMPER_STORE:
                if (d->op != ZK_OP_SB && d->op != ZK_OP_SH) break;
                c[C_MV_LO * n + r] ^= 1;
                done_t = 1;
                break;
            case KILN_ZKVM_TAMPER_RODATA:
                /* A load from a read-only image word returns its value + 1 (so does rd). */
                if (d->op != ZK_OP_LW || rows[r].mw || (rows[r].mp & 0xffff) == 0xffff) break;
                c[C_MP_LO * n + r]++;
                c[C_MV_LO * n + r]++;
                if (d->wr) c[C_RES_LO * n + r]++;
                done_t = 1;
                break;
            case KILN_ZKVM_TAMPER_ROSTORE:
                /* The first SW's word claims w = 0 on every access, as a read-only word's chain would. */
                if (d->op != ZK_OP_SW) break;
                for (size_t j = 0; j < nreal; j++)
                    if (is_mem_op(rows[j].c->d.op) && rows[j].maddr == rows[r].maddr) c[C_MW * n + j] = 0;
                done_t = 1;
                break;
            case KILN_ZKVM_TAMPER_OVERLAP:
                done_t = overlap != UINT32_MAX; /* applied above, while assigning words to tables */
                break;
            case KILN_ZKVM_TAMPER_HOLE:
                done_t = 1; /* applied above, with the ram table */
                break;
            case KILN_ZKVM_TAMPER_EXIT:
                w->pub[KILN_ZKVM_PUB_EXIT_CODE]++;
                done_t = 1;
                break;
            case KILN_ZKVM_TAMPER_SEG_REG_INIT: /* an untouched register starts and ends 1 higher */
                for (unsigned i = 1; i < 32 && !done_t; i++) {
                    uint64_t *g = w->cols[ZK_T_REGS];
                    if (g[R_FTS * 32 + i] || g[R_FLO * 32 + i] == 0xffff) continue;
                    g[R_ILO * 32 + i]++;
                    g[R_FLO * 32 + i]++;
                    done_t = 1;
                }
                r = nreal;
                break;
            case KILN_ZKVM_TAMPER_SEG_MEM_INIT: /* an image word untouched in this segment, the same way */
                for (size_t i = 0; i < p->nimage && !done_t; i++) {
                    uint64_t *g = w->cols[ZK_T_IMAGE];
                    if (g[IM_FTS * nimg + i] || g[IM_FLO * nimg + i] == 0xffff) continue;
                    g[IM_ILO * nimg + i]++;
                    g[IM_FLO * nimg + i]++;
                    done_t = 1;
                }
                r = nreal;
                break;
            case KILN_ZKVM_TAMPER_SEG_LAST:
                done_t = !last; /* claims the exit: last, with end pc = next pc */
                w->pub[KILN_ZKVM_PUB_LAST] = 1;
                w->pub[KILN_ZKVM_PUB_END_PC] = w->pub[KILN_ZKVM_PUB_NEXT_PC];
                break;
            case KILN_ZKVM_TAMPER_SEG_NEXT_PC:
                done_t = !last;
                w->pub[KILN_ZKVM_PUB_NEXT_PC] += 4;
                break;
            default:
                done_t = zk_tamper_sys(w, opts->tamper) || zk_tamper_keccak(w, opts->tamper);
                break;
            }
        }
        if (!done_t) {
            ERR("tamper mode %d: no row to corrupt in this run", (int)opts->tamper);
            st = KILN_ERR_INVALID_ARG;
            goto done;
        }
    }
    if ((st = count_range(w, n, nram, err, errlen)) != KILN_OK) goto done;
    if ((st = zk_muldiv_count_range(w->cols[ZK_T_MULDIV], w->traces[ZK_T_MULDIV].log_n,
                                    w->cols[ZK_T_RANGE] + (size_t)G_RMULT * 65536,
                                    opts->tamper != KILN_ZKVM_TAMPER_NONE, err, errlen)) != KILN_OK)
        goto done;
    if ((st = zk_count_sys_range(w, w->cols[ZK_T_RANGE] + (size_t)G_RMULT * 65536,
                                 w->cols[ZK_T_RANGE] + (size_t)G_AMULT * 65536)) != KILN_OK ||
        (st = zk_count_keccak_range(w, w->cols[ZK_T_RANGE] + (size_t)G_RMULT * 65536)) != KILN_OK) {
        ERR("internal: a syscall table's range lookup is out of range");
        goto done;
    }
    if ((st = zk_count_u256_range(w, w->cols[ZK_T_RANGE] + (size_t)G_RMULT * 65536,
                                  opts->tamper != KILN_ZKVM_TAMPER_NONE)) != KILN_OK) {
        ERR("internal: a u256 range lookup is out of range");
        goto done;
    }
    w->main_cells = 0;
    for (unsigned i = 0; i < KILN_ZKVM_NTABLES; i++)
        w->traces[i].cols = w->cols[i];
    /* Operation tables the segment does not use are left out of its proof (optional tables, docs/zkvm-air.md):
     * their columns stay allocated in w->cols, the prover gets no trace. */
    {
        static const struct {
            unsigned table, sel, sel2;
        } opt[] = {{ZK_T_MULDIV, D_M, D_M}, {ZK_T_P2, P_SEL, P_SEL}, {ZK_T_IO, I_H, I_W},
                   {ZK_T_U256, U_SEL, U_SEL}, {ZK_T_KECCAK, K_SEL, K_SEL}};
        for (size_t k = 0; k < sizeof opt / sizeof opt[0]; k++) {
            size_t rows = (size_t)1 << w->traces[opt[k].table].log_n;
            const uint64_t *c = w->cols[opt[k].table];
            int used = 0;
            for (size_t r = 0; r < rows && !used; r++)
                used = c[(size_t)opt[k].sel * rows + r] != 0 || c[(size_t)opt[k].sel2 * rows + r] != 0;
            if (!used) w->traces[opt[k].table].cols = NULL;
        }
    }
    w->main_cells = (size_t)C_NCOLS * n + ncode + R_NCOLS * 32 + (size_t)M_NCOLS * nram +
                    ((size_t)G_NCOLS << 16) + (size_t)IM_NCOLS * nimg +
                    ((size_t)D_NCOLS << w->traces[ZK_T_MULDIV].log_n) +
                    ((size_t)P_NCOLS << w->traces[ZK_T_P2].log_n) + ((size_t)I_NCOLS << w->traces[ZK_T_IO].log_n) +
                    ((size_t)X_NCOLS << w->traces[ZK_T_EXIT].log_n) +
                    ((size_t)U_NCOLS << w->traces[ZK_T_U256].log_n) +
                    ((size_t)K_NCOLS << w->traces[ZK_T_KECCAK].log_n);
    st = KILN_OK;
done:
    free(rows);
    free(cells);
    free(x->map.cells);
    free(x);
    free(slog.calls);
    free(slog.words);
    free(scratch.calls);
    free(scratch.words);
    kiln_vm_trace_free(tr);
    kiln_vm_free(vm);
    if (st != KILN_OK) kiln_zkvm_witness_free(w);
    return st;
}

void kiln_zkvm_witness_free(kiln_zkvm_witness *w) {
    if (!w) return;
    for (unsigned i = 0; i < KILN_ZKVM_NTABLES; i++) {
        free(w->cols[i]);
        w->cols[i] = NULL;
        w->traces[i].cols = NULL;
    }
}

kiln_status kiln_zkvm_check_public(const kiln_zkvm_program *p, const uint64_t *pub, size_t npub, char *err,
                                   size_t errlen) {
    if (!p || !pub) return KILN_ERR_INVALID_ARG;
    if (npub != KILN_ZKVM_NPUB) {
        ERR("expected %u public values, got %zu", KILN_ZKVM_NPUB, npub);
        return KILN_ERR_VERIFY;
    }
    if (pub[KILN_ZKVM_PUB_START_PC] != p->entry) {
        ERR("the proof starts at pc 0x%llx, the program's entry is 0x%08x",
            (unsigned long long)pub[KILN_ZKVM_PUB_START_PC], p->entry);
        return KILN_ERR_VERIFY;
    }
    if (memcmp(&pub[KILN_ZKVM_PUB_PROGRAM_HASH], p->hash, 32)) {
        ERR("the proof is for another program (program hash differs)");
        return KILN_ERR_VERIFY;
    }
    for (int k = 0; k < 4; k++)
        if (pub[KILN_ZKVM_PUB_INPUT_HASH + k] >= KILN_GL_P ||
            pub[KILN_ZKVM_PUB_OUTPUT_HASH + k] >= KILN_GL_P) {
            ERR("the proof's input or output hash has a non-canonical element");
            return KILN_ERR_VERIFY;
        }
    if (pub[KILN_ZKVM_PUB_EXIT_CODE] > 0xffffffffu || pub[KILN_ZKVM_PUB_END_PC] > 0xffffffffu) {
        ERR("public exit code or end pc is not a 32-bit value");
        return KILN_ERR_VERIFY;
    }
    if (pub[KILN_ZKVM_PUB_DIGEST] > 1) {
        ERR("the proof's io_digest flag is not 0 or 1");
        return KILN_ERR_VERIFY;
    }
    if (!pub[KILN_ZKVM_PUB_DIGEST])
        for (int k = 0; k < 4; k++)
            if (pub[KILN_ZKVM_PUB_INPUT_HASH + k] || pub[KILN_ZKVM_PUB_OUTPUT_HASH + k]) {
                ERR("the proof publishes I/O hashes without an io_digest call");
                return KILN_ERR_VERIFY;
            }
    return KILN_OK;
}

int kiln_zkvm_io_uncommitted(const uint64_t *pub) {
    return pub[KILN_ZKVM_PUB_DIGEST] == 0;
}

kiln_status kiln_zkvm_check_io(const uint64_t *pub, const uint64_t *input_hash, const uint64_t *output_hash,
                               char *err, size_t errlen) {
    if (!pub) return KILN_ERR_INVALID_ARG;
    if ((input_hash || output_hash) && kiln_zkvm_io_uncommitted(pub)) {
        ERR("the proof does not commit to its input and output (the guest never called io_digest)");
        return KILN_ERR_VERIFY;
    }
    if (input_hash && memcmp(&pub[KILN_ZKVM_PUB_INPUT_HASH], input_hash, 32)) {
        ERR("the proof's input hash differs from the expected input's");
        return KILN_ERR_VERIFY;
    }
    if (output_hash && memcmp(&pub[KILN_ZKVM_PUB_OUTPUT_HASH], output_hash, 32)) {
        ERR("the proof's output hash differs from the expected output's");
        return KILN_ERR_VERIFY;
    }
    return KILN_OK;
}
