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
    ZK_OP_EXIT,  /* the ecall word in the program table; a cpu row flags it f_exit when a7 = 93 */
    ZK_OP_ECALL, /* cpu flag only: an ecall with another a7, looked up as ZK_OP_EXIT (docs/zkvm-air.md) */
    ZK_NOPS = ZK_OP_ECALL /* real operations */
};

typedef struct zk_decoded {
    int op;
    uint32_t rd, rs1, rs2, imm, target, wr;
} zk_decoded;

typedef struct zk_code {
    uint32_t pc, insn;
    zk_decoded d;
} zk_code;

struct kiln_zkvm_program {
    kiln_vm_program *vm;
    uint32_t entry;
    zk_code *code; /* sorted by pc */
    size_t ncode;
    unsigned code_log;
    uint64_t hash[4];
};

zk_decoded zk_decode(uint32_t pc, uint32_t insn);
const zk_code *zk_find(const kiln_zkvm_program *p, uint32_t pc);

/* Program table preprocessed columns. */
enum { ZP_PC, ZP_OP, ZP_RD, ZP_RS1, ZP_RS2, ZP_IMM_LO, ZP_IMM_HI, ZP_TARGET, ZP_WR, ZP_NCOLS };

/* CPU main columns. */
enum {
    C_CLK,
    C_PC,
    C_F0, /* flags: C_F0 + (op - 1) for op 1..ZK_NOPS, then padding */
    C_FPAD = C_F0 + ZK_NOPS,
    C_RD,
    C_RS1,
    C_RS2,
    C_IMM_LO,
    C_IMM_HI,
    C_TARGET,
    C_WR,
    C_A_LO,
    C_A_HI,
    C_B_LO,
    C_B_HI,
    C_RES_LO,
    C_RES_HI,
    C_RDP_LO,
    C_RDP_HI,
    C_PT1,
    C_PT2,
    C_PTM,
    C_PT3,
    C_E1L,
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
    C_SX,
    C_LT,
    C_CX,
    C_XA0, /* bitwise ops: bytes of a (XA0..3), of bb (XB0..3) and of a & bb (XN0..3), looked up per byte */
    C_XB0 = C_XA0 + 4,
    C_XN0 = C_XB0 + 4,
    C_SH = C_XN0 + 4, /* shifts: amount sh = bb_lo mod 32, u = bb_lo >> 5, p = 2^sh */
    C_U,
    C_P,
    C_X_LO, /* SLL: the bits shifted out (a p >> 32); SRL/SRA: the remainder (a mod p) */
    C_X_HI,
    C_G_LO, /* SRL/SRA: p - 1 - x */
    C_G_HI,
    C_SR_LO, /* the shift result */
    C_SR_HI,
    C_O0, /* byte/half accesses: one-hot byte offset o0..o3 within the word (b0 = o1 + o3, b1 = o2 + o3) */
    C_LV = C_O0 + 4, /* the byte or half at that offset in the word before the access (zero-extended) */
    C_SG,            /* its sign bit (LB, LH) */
    C_NCOLS
};

/* Register table: preprocessed (addr, init_lo, init_hi), main (final ts, final lo, final hi). */
enum { R_FTS, R_FLO, R_FHI, R_NCOLS };
/* RAM boundary table main columns. */
enum { M_ADDR, M_FTS, M_FLO, M_FHI, M_REAL, M_GL, M_GH, M_NCOLS };

#define ZK_BUS_RANGE 1u
#define ZK_BUS_PROG 2u
#define ZK_BUS_MEM 3u
#define ZK_BUS_AND 4u     /* (x, y, x & y) for bytes x, y: served by the range table's extra columns */
#define ZK_BUS_POW 5u     /* (s, 2^s, 1) for s < 32: served by the range table's extra columns */
#define ZK_BUS_SYSCALL 7u /* (clk, num, a0, a1, a0 after): cpu ecall rows send, syscall tables receive */

/* Range table: preprocessed (v, v & 0xff, v >> 8, (v & 0xff) & (v >> 8), v < 32 ? 2^v : 0, v < 32), main
 * (range mult, and mult, pow mult). */
enum { G_RMULT, G_AMULT, G_PMULT, G_NCOLS };

enum { ZK_T_CPU, ZK_T_PROG, ZK_T_REGS, ZK_T_RAM, ZK_T_RANGE, ZK_T_P2, ZK_T_IO, ZK_T_EXIT };

#endif
