/* Internal to witness/: decoded programs and the column layout of the zkVM AIR. */
#ifndef KILN_ZKVM_INTERNAL_H
#define KILN_ZKVM_INTERNAL_H

#include "vm.h"
#include "zkvm.h"

/* Operation codes as stored in the program table (0 = not provable: unsupported or padding). The CPU's
 * one-hot flag i corresponds to code i + 1; the padding flag has no code. */
enum {
    ZK_OP_INVALID = 0,
    ZK_OP_ADD = 1,
    ZK_OP_SUB,
    ZK_OP_ADDI,
    ZK_OP_LUI,
    ZK_OP_AUIPC,
    ZK_OP_JAL,
    ZK_OP_JALR,
    ZK_OP_BEQ,
    ZK_OP_BNE,
    ZK_OP_BLT,
    ZK_OP_BGE,
    ZK_OP_BLTU,
    ZK_OP_BGEU,
    ZK_OP_LW,
    ZK_OP_SW,
    ZK_OP_SLT,
    ZK_OP_SLTU,
    ZK_OP_SLTI,
    ZK_OP_SLTIU,
    ZK_OP_AND,
    ZK_OP_OR,
    ZK_OP_XOR,
    ZK_OP_ANDI,
    ZK_OP_ORI,
    ZK_OP_XORI,
    ZK_OP_SLL,
    ZK_OP_SRL,
    ZK_OP_SRA,
    ZK_OP_SLLI,
    ZK_OP_SRLI,
    ZK_OP_SRAI,
    ZK_OP_LB,
    ZK_OP_LBU,
    ZK_OP_LH,
    ZK_OP_LHU,
    ZK_OP_SB,
    ZK_OP_SH,
    ZK_OP_EXIT, /* the ecall word in the program table; a cpu row flags it f_exit when a7 = 93 */
    ZK_OP_MUL, /* M extension (the muldiv table), in funct3 order */
    ZK_OP_MULH,
    ZK_OP_MULHSU,
    ZK_OP_MULHU,
    ZK_OP_DIV,
    ZK_OP_DIVU,
    ZK_OP_REM,
    ZK_OP_REMU,
    ZK_OP_FENCE, /* a no-op */
    ZK_OP_ECALL, /* cpu flag only: an ecall with another a7, looked up as ZK_OP_EXIT (docs/zkvm-air.md) */
    ZK_NOPS = ZK_OP_ECALL /* real operations */
};

typedef struct zk_decoded {
    int op;
    uint32_t rd, rs1, rs2, imm, target, wr;
} zk_decoded;

/* The cpu's one-hot flags. Ops whose constraints differ only by a linear choice share a flag; the choice comes
 * from the op's program-table row, in columns the op does not otherwise use (docs/zkvm-air.md, "Flags and
 * selectors"): fi (the second operand is the immediate), target (sub, sltu, xor, signed loads), imm (the M
 * kind 1..8, the negated branches; auipc's value). */
enum {
    ZF_ADD,  /* add, addi, sub (target = 1), fence (addi x0, x0, 0) */
    ZF_LUI,  /* lui, auipc (its program row's imm is pc + imm: a constant) */
    ZF_JAL,
    ZF_JALR,
    ZF_BEQ,  /* beq, bne (imm = 1) */
    ZF_BLT,  /* blt, bge (imm = 1) */
    ZF_BLTU, /* bltu, bgeu (imm = 1) */
    ZF_LW,
    ZF_SW,
    ZF_SLT, /* slt, slti, sltu and sltiu (target = 1) */
    ZF_AND, /* and, andi */
    ZF_ORX, /* or, ori, xor and xori (target = 1) */
    ZF_SLL,
    ZF_SRL,
    ZF_SRA,
    ZF_LB, /* lb (target = 1: sign-extended), lbu */
    ZF_LH, /* lh (target = 1), lhu */
    ZF_SB,
    ZF_SH,
    ZF_EXIT,  /* the ecall word when a7 = 93 */
    ZF_M,     /* the eight M ops; imm = kind (1 mul .. 8 remu) */
    ZF_ECALL, /* an ecall with another a7: looks up the ecall word's code (ZF_EXIT's) */
    ZF_PAD,   /* padding after the exit: no code */
    ZF_NFLAGS
};

/* An instruction's program-table row beyond pc, rd, rs1, rs2 and wr: the flag its op sets (-1: not provable,
 * op code 0) and the imm, target and fi values the cpu looks up with it. */
typedef struct zk_prow {
    int flag;
    uint32_t imm, target, fi;
} zk_prow;
zk_prow zk_prog_row(uint32_t pc, const zk_decoded *d);

typedef struct zk_code {
    uint32_t pc, insn;
    zk_decoded d;
    zk_prow pr;
} zk_code;

/* One 32-bit word of the memory image (witness/image.c): initial value, writable (its page's flags). */
typedef struct zk_word {
    uint32_t addr, val, w;
} zk_word;

struct kiln_zkvm_program {
    kiln_vm_program *vm;
    uint32_t entry;
    zk_code *code; /* sorted by pc */
    size_t ncode;
    unsigned code_log;
    uint64_t hash[4];
    zk_word *image; /* every word of every loadable segment (bss included), sorted by address, distinct */
    size_t nimage;
    unsigned image_log;
    uint32_t heap_base; /* lowest address the ram table may hold: the image end, or brk (docs/zkvm-air.md) */
};

zk_decoded zk_decode(uint32_t pc, uint32_t insn);
const zk_code *zk_find(const kiln_zkvm_program *p, uint32_t pc);
/* Builds p->image, p->image_log and p->heap_base from the validated ELF's PT_LOAD segments. */
kiln_status zk_image_build(kiln_zkvm_program *p, const uint8_t *elf, char *err, size_t errlen);
/* The image word at a word address, or NULL. */
const zk_word *zk_image_find(const kiln_zkvm_program *p, uint32_t addr);
/* Adds the image table (preprocessed addr, init_lo, init_hi, w, live; main final ts, lo, hi) to the AIR. */
kiln_status zk_air_image(kiln_air *air, const kiln_zkvm_program *p);

/* Program table preprocessed columns. */
enum { ZP_PC, ZP_OP, ZP_RD, ZP_RS1, ZP_RS2, ZP_IMM_LO, ZP_IMM_HI, ZP_TARGET, ZP_WR, ZP_FI, ZP_NCOLS };

/* CPU main columns. */
enum {
    C_CLK,
    C_PC,
    C_F0, /* flags: C_F0 + ZF_* */
    C_FPAD = C_F0 + ZF_PAD,
    C_RD,
    C_RS1,
    C_RS2,
    C_IMM_LO,
    C_IMM_HI,
    C_TARGET,
    C_WR,
    C_FI,
    C_A_LO,
    C_A_HI,
    C_B_LO,
    C_B_HI,
    C_RES_LO,
    C_RES_HI,
    C_RDP_LO,
    C_RDP_HI,
    C_E1L, /* ts - prev_ts - 1 per access (rs1, rs2, memory, rd) in a 16-bit and an 8-bit limb */
    C_E1H,
    C_E2L,
    C_E2H,
    C_EML,
    C_EMH,
    C_E3L,
    C_E3H,
    C_MP_LO,
    C_MP_HI,
    C_MV_LO,
    C_MV_HI,
    C_S_LO,
    C_S_HI,
    C_Q,
    C_B0,
    C_B1,
    C_C0,
    C_C1,
    C_BB_LO,
    C_BB_HI,
    C_D_LO,
    C_D_HI,
    C_DC,
    C_BORROW,
    C_EQ,
    C_INV,
    C_SA,
    C_SB,
    C_LT,
    C_XA0, /* bitwise ops: bytes of a (XA0..3), of bb (XB0..3) and of a & bb (XN0..3), looked up per byte */
    C_XB0 = C_XA0 + 4,
    C_XN0 = C_XB0 + 4,
    /* Shifts reuse the byte columns (no row is both; every constraint and lookup on them is gated by its
     * family's flags): p = 2^(bb_lo mod 32); x = SLL: the bits shifted out (a p >> 32), SRL/SRA: the
     * remainder (a mod p); g = p - 1 - x (so x < p); sr = the shift result. */
    C_P = C_XA0,
    C_X_LO,
    C_X_HI,
    C_G_LO,
    C_G_HI,
    C_SR_LO,
    C_SR_HI,
    C_O0 = C_XN0 + 4, /* byte/half accesses: one-hot byte offset o0..o3 in the word (b0 = o1 + o3, b1 = o2 + o3) */
    C_LV = C_O0 + 4, /* the byte or half at that offset in the word before the access (zero-extended) */
    C_SG,            /* its sign bit (LB, LH) */
    C_MW,            /* memory slot: the accessed word is writable (bus element w; stores force 1) */
    C_MB,            /* memory slot: borrow of (4q - 0x1000) so that the address is >= KILN_VM_LOAD_MIN */
    C_MA,            /* memory slot: the address (4q + 2^16 s_hi for loads and stores, x11 on ecall rows) */
    C_V,             /* the value the op computes for rd (written when wr) */
    C_BR,            /* a branch is taken */
    C_NCOLS
};

/* Register table: preprocessed (addr, entry lo, entry hi), main (final ts, final lo, final hi, the segment's
 * initial lo, hi). */
enum { R_FTS, R_FLO, R_FHI, R_ILO, R_IHI, R_NCOLS };
/* RAM boundary table main columns (ILO, IHI: the segment's initial value). */
enum { M_ADDR, M_FTS, M_FLO, M_FHI, M_REAL, M_GL, M_GH, M_STK, M_UL, M_UH, M_ILO, M_IHI, M_NCOLS };
/* Image table: preprocessed (addr, entry lo, entry hi, w, live), main (final ts, final lo, final hi, the
 * segment's initial lo, hi). */
enum { ZI_ADDR, ZI_INIT_LO, ZI_INIT_HI, ZI_W, ZI_LIVE, ZI_NPRE };
enum { IM_FTS, IM_FLO, IM_FHI, IM_ILO, IM_IHI, IM_NCOLS };

#define ZK_BUS_RANGE 1u
#define ZK_BUS_PROG 2u
#define ZK_BUS_MEM 3u /* (addr, ts, lo, hi, w): see the bus list in docs/zkvm-air.md */
#define ZK_BUS_AND 4u /* (x, y, x & y) for bytes x, y: served by the range table's extra columns */
#define ZK_BUS_POW 5u /* (v, 2^(v mod 32)) for 16-bit v: served by the range table's extra column */
#define ZK_BUS_MULDIV 6u /* (kind, a_lo, a_hi, b_lo, b_hi, res_lo, res_hi): cpu -> muldiv table */
#define ZK_BUS_SYSCALL 7u /* (clk, num, a0, a1, a0 after): cpu ecall rows send, syscall tables receive */
/* Global (across the segment proofs of a run): (addr, lo, hi, w, segment); docs/zkvm-air.md, "Segments". */
#define ZK_BUS_GLOBAL_MEM 9u
#define ZK_BUS_BYTES 10u /* (x, y) for bytes x, y: the range table's x and y columns; two 8-bit checks in one */

/* A boundary row's chaining across segments: sends its final (lo, hi, w) tagged s unless the segment is the
 * last, receives its initial (lo, hi, w) tagged s - 1 unless it is the first; live: the row's selector. */
void zk_air_chain(kiln_air_table *t, kiln_expr live, kiln_expr addr, kiln_expr ilo, kiln_expr ihi,
                  kiln_expr flo, kiln_expr fhi, kiln_expr w);

/* Range table: preprocessed (v, v & 0xff, v >> 8, (v & 0xff) & (v >> 8), 2^(v mod 32)), main
 * (range mult, and mult, pow mult, byte-pair mult). */
enum { G_RMULT, G_AMULT, G_PMULT, G_BMULT, G_NCOLS };

enum {
    ZK_T_CPU,
    ZK_T_PROG,
    ZK_T_REGS,
    ZK_T_RAM,
    ZK_T_RANGE,
    ZK_T_IMAGE,
    ZK_T_MULDIV,
    ZK_T_P2,
    ZK_T_IO,
    ZK_T_EXIT,
    ZK_T_U256, /* witness/zkvm_u256.h */
    ZK_T_KECCAK /* witness/zkvm_keccak.h */
};

/* The muldiv table (witness/air_muldiv.c, witness/witness_muldiv.c): one row per executed M instruction that
 * writes a register. kind = op - ZK_OP_MUL + 1 (1..8). x = a (MUL*) or the quotient (DIV*, REM*), z = 0 or
 * the remainder; p0..p3 = x_s y_s + z_s mod 2^64 (y = b) in 16-bit limbs, with carries c0, c1 = c1l + 2^16
 * c1h, c2 = c2l + 2^16 c2h, c3; sa, sb, sx, sz the sign bits of a, b, x, z; ex, ey, ez the signs that count
 * (0 for unsigned operands); ea = sa [signed division]; bz = [b = 0], nb = [b = 0xffffffff] with inverses;
 * ov = nb [signed division]; g = |b| - |z| - 1 (the remainder bound). */
enum {
    D_M,
    D_K0, /* one flag per kind: D_K0 + kind - 1 */
    D_A_LO = D_K0 + 8,
    D_A_HI,
    D_B_LO,
    D_B_HI,
    D_RES_LO,
    D_RES_HI,
    D_X_LO,
    D_X_HI,
    D_Z_LO,
    D_Z_HI,
    D_P0,
    D_C0 = D_P0 + 4,
    D_C1L,
    D_C1H,
    D_C2L,
    D_C2H,
    D_C3,
    D_SA,
    D_SB,
    D_SX,
    D_SZ,
    D_EX,
    D_EY,
    D_EZ,
    D_EA,
    D_BZ,
    D_BINV,
    D_NB,
    D_NINV,
    D_OV,
    D_G_LO,
    D_G_HI,
    D_NCOLS
};

/* AIR: the muldiv table's columns, constraints and bus interactions; the cpu side of ZK_BUS_MULDIV (returns
 * the sum of the cpu's M flags). */
kiln_status zk_muldiv_air_table(kiln_air_table *t);
kiln_expr zk_muldiv_air_cpu(kiln_air_table *t);
/* Witness: fills the muldiv table from the cpu trace (n rows): *out is calloc'ed, *log_n its height. The
 * results are recomputed and compared with the cpu's (the VM's) results. */
kiln_status zk_muldiv_fill(const uint64_t *cpu, size_t n, uint64_t **out, unsigned *log_n, char *err,
                           size_t errlen);
/* Adds the table's 16-bit lookups to mult (the range table's multiplicities). Values outside the range
 * (only in tampered witnesses when tampered != 0) are skipped; otherwise they are an internal error. */
kiln_status zk_muldiv_count_range(const uint64_t *cols, unsigned log_n, uint64_t *mult, int tampered,
                                  char *err, size_t errlen);
/* TEST ONLY: applies a muldiv tamper mode; 1 when a row was corrupted. */
int zk_muldiv_tamper(kiln_zkvm_witness *w, size_t n, size_t nreal, kiln_zkvm_tamper mode);

#endif
