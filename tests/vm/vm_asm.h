/* Test helpers: RV32IM instruction encoders written from the specification's formats (checked against
 * llvm-mc encodings in test_vm_insn.cpp), and a small program runner. */
#ifndef KILN_TEST_VM_ASM_H
#define KILN_TEST_VM_ASM_H

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "vm.h"

namespace rv {
enum Reg : uint32_t {
    x0 = 0,
    ra = 1,
    sp = 2,
    gp = 3,
    tp = 4,
    t0 = 5,
    t1 = 6,
    t2 = 7,
    s0 = 8,
    s1 = 9,
    a0 = 10,
    a1 = 11,
    a2 = 12,
    a3 = 13,
    a4 = 14,
    a5 = 15,
    a6 = 16,
    a7 = 17,
    s2 = 18,
    s3 = 19
};

inline uint32_t R(uint32_t f7, uint32_t rd, uint32_t f3, uint32_t rs1, uint32_t rs2, uint32_t opc = 0x33) {
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
inline uint32_t I(uint32_t opc, uint32_t rd, uint32_t f3, uint32_t rs1, int32_t imm) {
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
inline uint32_t S(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
    uint32_t u = (uint32_t)imm;
    return ((u >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | 0x23;
}
inline uint32_t B(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
    uint32_t u = (uint32_t)imm;
    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
           ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7 | 0x63;
}
inline uint32_t U(uint32_t opc, uint32_t rd, uint32_t imm20) {
    return (imm20 & 0xfffff) << 12 | rd << 7 | opc;
}
inline uint32_t J(uint32_t rd, int32_t imm) {
    uint32_t u = (uint32_t)imm;
    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 |
           ((u >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
}

inline uint32_t lui(uint32_t rd, uint32_t imm20) {
    return U(0x37, rd, imm20);
}
inline uint32_t auipc(uint32_t rd, uint32_t imm20) {
    return U(0x17, rd, imm20);
}
inline uint32_t jal(uint32_t rd, int32_t off) {
    return J(rd, off);
}
inline uint32_t jalr(uint32_t rd, uint32_t rs1, int32_t imm) {
    return I(0x67, rd, 0, rs1, imm);
}
inline uint32_t beq(uint32_t a, uint32_t b, int32_t o) {
    return B(0, a, b, o);
}
inline uint32_t bne(uint32_t a, uint32_t b, int32_t o) {
    return B(1, a, b, o);
}
inline uint32_t blt(uint32_t a, uint32_t b, int32_t o) {
    return B(4, a, b, o);
}
inline uint32_t bge(uint32_t a, uint32_t b, int32_t o) {
    return B(5, a, b, o);
}
inline uint32_t bltu(uint32_t a, uint32_t b, int32_t o) {
    return B(6, a, b, o);
}
inline uint32_t bgeu(uint32_t a, uint32_t b, int32_t o) {
    return B(7, a, b, o);
}
inline uint32_t lb(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x03, rd, 0, rs1, i);
}
inline uint32_t lh(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x03, rd, 1, rs1, i);
}
inline uint32_t lw(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x03, rd, 2, rs1, i);
}
inline uint32_t lbu(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x03, rd, 4, rs1, i);
}
inline uint32_t lhu(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x03, rd, 5, rs1, i);
}
inline uint32_t sb(uint32_t rs2, uint32_t rs1, int32_t i) {
    return S(0, rs1, rs2, i);
}
inline uint32_t sh(uint32_t rs2, uint32_t rs1, int32_t i) {
    return S(1, rs1, rs2, i);
}
inline uint32_t sw(uint32_t rs2, uint32_t rs1, int32_t i) {
    return S(2, rs1, rs2, i);
}
inline uint32_t addi(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x13, rd, 0, rs1, i);
}
inline uint32_t slti(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x13, rd, 2, rs1, i);
}
inline uint32_t sltiu(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x13, rd, 3, rs1, i);
}
inline uint32_t xori(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x13, rd, 4, rs1, i);
}
inline uint32_t ori(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x13, rd, 6, rs1, i);
}
inline uint32_t andi(uint32_t rd, uint32_t rs1, int32_t i) {
    return I(0x13, rd, 7, rs1, i);
}
inline uint32_t slli(uint32_t rd, uint32_t rs1, uint32_t sh) {
    return I(0x13, rd, 1, rs1, (int32_t)sh);
}
inline uint32_t srli(uint32_t rd, uint32_t rs1, uint32_t sh) {
    return I(0x13, rd, 5, rs1, (int32_t)sh);
}
inline uint32_t srai(uint32_t rd, uint32_t rs1, uint32_t sh) {
    return I(0x13, rd, 5, rs1, (int32_t)(sh | 0x400));
}
inline uint32_t add(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0, rd, 0, a, b);
}
inline uint32_t sub(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0x20, rd, 0, a, b);
}
inline uint32_t sll(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0, rd, 1, a, b);
}
inline uint32_t slt(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0, rd, 2, a, b);
}
inline uint32_t sltu(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0, rd, 3, a, b);
}
inline uint32_t xor_(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0, rd, 4, a, b);
}
inline uint32_t srl(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0, rd, 5, a, b);
}
inline uint32_t sra(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0x20, rd, 5, a, b);
}
inline uint32_t or_(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0, rd, 6, a, b);
}
inline uint32_t and_(uint32_t rd, uint32_t a, uint32_t b) {
    return R(0, rd, 7, a, b);
}
inline uint32_t mul(uint32_t rd, uint32_t a, uint32_t b) {
    return R(1, rd, 0, a, b);
}
inline uint32_t mulh(uint32_t rd, uint32_t a, uint32_t b) {
    return R(1, rd, 1, a, b);
}
inline uint32_t mulhsu(uint32_t rd, uint32_t a, uint32_t b) {
    return R(1, rd, 2, a, b);
}
inline uint32_t mulhu(uint32_t rd, uint32_t a, uint32_t b) {
    return R(1, rd, 3, a, b);
}
inline uint32_t div_(uint32_t rd, uint32_t a, uint32_t b) {
    return R(1, rd, 4, a, b);
}
inline uint32_t divu(uint32_t rd, uint32_t a, uint32_t b) {
    return R(1, rd, 5, a, b);
}
inline uint32_t rem(uint32_t rd, uint32_t a, uint32_t b) {
    return R(1, rd, 6, a, b);
}
inline uint32_t remu(uint32_t rd, uint32_t a, uint32_t b) {
    return R(1, rd, 7, a, b);
}
inline uint32_t ecall() {
    return 0x00000073u;
}
inline uint32_t ebreak() {
    return 0x00100073u;
}
inline uint32_t fence() {
    return 0x0330000fu;
}
} // namespace rv

constexpr uint32_t kBase = 0x10000;

/* Builds a program from words; li() loads any 32-bit constant; exit() ends with ecall 93 (code in a0). */
struct Asm {
    std::vector<uint32_t> w;
    Asm &operator<<(uint32_t insn) {
        w.push_back(insn);
        return *this;
    }
    Asm &li(uint32_t rd, uint32_t v) {
        uint32_t lo = v & 0xfff, hi = (v + 0x800) >> 12;
        w.push_back(rv::lui(rd, hi));
        w.push_back(rv::addi(rd, rd, (int32_t)(lo << 20) >> 20));
        return *this;
    }
    Asm &sys(uint32_t num) {
        li(rv::a7, num);
        w.push_back(rv::ecall());
        return *this;
    }
    Asm &exit() { return sys(93); }
    uint32_t here() const { return kBase + 4 * (uint32_t)w.size(); }
};

/* Owns a program and a VM over it. */
struct VmRun {
    kiln_vm_program *prog = nullptr;
    kiln_vm *vm = nullptr;
    kiln_vm_result res{};
    kiln_status st = KILN_OK;
    explicit VmRun(const Asm &a, const kiln_vm_config *cfg = nullptr) {
        EXPECT_EQ(kiln_vm_program_from_words(a.w.data(), a.w.size(), kBase, &prog), KILN_OK);
        if (prog) {
            EXPECT_EQ(kiln_vm_create(prog, cfg, &vm), KILN_OK);
        }
    }
    ~VmRun() {
        kiln_vm_free(vm);
        kiln_vm_program_free(prog);
    }
    kiln_status run() {
        st = kiln_vm_run(vm, &res);
        return st;
    }
    uint32_t reg(unsigned r) const { return kiln_vm_reg(vm, r); }
    std::string output() const {
        const uint8_t *d;
        size_t n;
        kiln_vm_output(vm, &d, &n);
        return std::string((const char *)d, n);
    }
};

#endif
