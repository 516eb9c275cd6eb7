/* RV32IM decoding. Code is read-only, so a program's executable range is decoded once (predecode) and the
 * interpreter dispatches on the decoded form. Reserved encodings decode as OP_ILLEGAL. */
#include <stdlib.h>

#include "vm_internal.h"

static kiln_insn mk(uint8_t op, uint32_t rd, uint32_t rs1, uint32_t rs2, uint32_t imm) {
    kiln_insn in;
    in.op = op;
    in.rd = (uint8_t)(rd ? rd : 32); /* writes to x0 go to the sink */
    in.rs1 = (uint8_t)rs1;
    in.rs2 = (uint8_t)rs2;
    in.imm = (int32_t)imm;
    return in;
}

static uint32_t sext_top(uint32_t w, uint32_t mask, unsigned shift) {
    /* Arithmetic shift of the masked top bits: sign-extends the immediate's high part. */
    return (uint32_t)((int32_t)(w & mask) >> shift);
}

kiln_insn kiln_vm_decode(uint32_t w) {
    uint32_t opc = w & 0x7f, rd = (w >> 7) & 31, f3 = (w >> 12) & 7, rs1 = (w >> 15) & 31,
             rs2 = (w >> 20) & 31;
    uint32_t f7 = w >> 25;
    uint32_t imm_i = sext_top(w, 0xfff00000u, 20);
    uint32_t imm_s = sext_top(w, 0xfe000000u, 20) | ((w >> 7) & 0x1f);
    uint32_t imm_b =
        sext_top(w, 0x80000000u, 19) | ((w & 0x80) << 4) | ((w >> 20) & 0x7e0) | ((w >> 7) & 0x1e);
    uint32_t imm_j = sext_top(w, 0x80000000u, 11) | (w & 0xff000) | ((w >> 9) & 0x800) | ((w >> 20) & 0x7fe);
    kiln_insn bad = mk(OP_ILLEGAL, 0, 0, 0, 0);
    switch (opc) {
    case 0x37:
        return mk(OP_LUI, rd, 0, 0, w & 0xfffff000u);
    case 0x17:
        return mk(OP_AUIPC, rd, 0, 0, w & 0xfffff000u);
    case 0x6f:
        return mk(OP_JAL, rd, 0, 0, imm_j);
    case 0x67:
        return f3 == 0 ? mk(OP_JALR, rd, rs1, 0, imm_i) : bad;
    case 0x63: {
        static const uint8_t ops[8] = {OP_BEQ, OP_BNE, 0, 0, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU};
        return ops[f3] ? mk(ops[f3], 0, rs1, rs2, imm_b) : bad;
    }
    case 0x03: {
        static const uint8_t ops[8] = {OP_LB, OP_LH, OP_LW, 0, OP_LBU, OP_LHU, 0, 0};
        return ops[f3] ? mk(ops[f3], rd, rs1, 0, imm_i) : bad;
    }
    case 0x23: {
        static const uint8_t ops[8] = {OP_SB, OP_SH, OP_SW, 0, 0, 0, 0, 0};
        return ops[f3] ? mk(ops[f3], 0, rs1, rs2, imm_s) : bad;
    }
    case 0x13:
        switch (f3) {
        case 0:
            return mk(OP_ADDI, rd, rs1, 0, imm_i);
        case 2:
            return mk(OP_SLTI, rd, rs1, 0, imm_i);
        case 3:
            return mk(OP_SLTIU, rd, rs1, 0, imm_i);
        case 4:
            return mk(OP_XORI, rd, rs1, 0, imm_i);
        case 6:
            return mk(OP_ORI, rd, rs1, 0, imm_i);
        case 7:
            return mk(OP_ANDI, rd, rs1, 0, imm_i);
        case 1:
            return f7 == 0 ? mk(OP_SLLI, rd, rs1, 0, rs2) : bad;
        default: /* 5 */
            if (f7 == 0) return mk(OP_SRLI, rd, rs1, 0, rs2);
            if (f7 == 0x20) return mk(OP_SRAI, rd, rs1, 0, rs2);
            return bad;
        }
    case 0x33:
        if (f7 == 0) {
            static const uint8_t ops[8] = {OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_OR, OP_AND};
            return mk(ops[f3], rd, rs1, rs2, 0);
        }
        if (f7 == 1) {
            static const uint8_t ops[8] = {OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
                                           OP_DIV, OP_DIVU, OP_REM,    OP_REMU};
            return mk(ops[f3], rd, rs1, rs2, 0);
        }
        if (f7 == 0x20 && f3 == 0) return mk(OP_SUB, rd, rs1, rs2, 0);
        if (f7 == 0x20 && f3 == 5) return mk(OP_SRA, rd, rs1, rs2, 0);
        return bad;
    case 0x0f:
        return f3 == 0 ? mk(OP_FENCE, 0, 0, 0, 0) : bad; /* fence.i (Zifencei) is not RV32IM */
    case 0x73:
        if (w == 0x00000073u) return mk(OP_ECALL, 0, 0, 0, 0);
        if (w == 0x00100073u) return mk(OP_EBREAK, 0, 0, 0, 0);
        return bad;
    default:
        return bad;
    }
}

kiln_status kiln_vm_program_predecode(kiln_vm_program *p) {
    size_t n = p->code_size / 4;
    p->code = (kiln_insn *)calloc(n + 1, sizeof *p->code);
    p->words = (uint32_t *)calloc(n + 1, sizeof *p->words);
    if (!p->code || !p->words) return KILN_ERR_OUT_OF_MEMORY;
    /* Gather the bytes of executable segments; gaps and bss read as zero words (illegal). */
    for (uint32_t s = 0; s < p->n_segs; s++) {
        const vm_segment *seg = &p->segs[s];
        if (!(seg->flags & VM_PF_X)) continue;
        uint32_t off = seg->vaddr - p->code_base;
        for (uint32_t i = 0; i < seg->filesz; i++) {
            uint32_t b = off + i;
            p->words[b / 4] |= (uint32_t)seg->data[i] << (8 * (b % 4));
        }
    }
    for (size_t i = 0; i < n; i++)
        p->code[i] = kiln_vm_decode(p->words[i]);
    p->code[n] = mk(OP_PC_OUT, 0, 0, 0, 0);
    return KILN_OK;
}
