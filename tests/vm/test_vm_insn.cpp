/* Each RV32IM instruction against hand-computed results, with the specification's edge cases. */
#include "vm_asm.h"

using namespace rv;

/* Encoder check against llvm-mc's encodings (an independent assembler). */
TEST(VmInsn, EncoderMatchesAssembler) {
    EXPECT_EQ(blt(a0, a1, -8), 0xfeb54ce3u);
    EXPECT_EQ(jal(ra, 2048), 0x001000efu);
    EXPECT_EQ(sra(t0, t1, t2), 0x407352b3u);
    EXPECT_EQ(mulhsu(a0, a1, a2), 0x02c5a533u);
    EXPECT_EQ(lb(a0, sp, -1), 0xfff10503u);
    EXPECT_EQ(sh(a1, a0, 2046), 0x7eb51f23u);
    EXPECT_EQ(bgeu(t0, t1, 4094), 0x7e62ffe3u);
    EXPECT_EQ(jalr(ra, a5, -2048), 0x800780e7u);
    EXPECT_EQ(lui(a0, 0xfffff), 0xfffff537u);
    EXPECT_EQ(auipc(t0, 1), 0x00001297u);
    EXPECT_EQ(srai(a0, a1, 31), 0x41f5d513u);
    EXPECT_EQ(remu(s0, s1, s2), 0x0324f433u);
}

/* Runs `body` after loading a1 = x, a2 = y, then exits; returns a0. */
static uint32_t binop(uint32_t insn, uint32_t x, uint32_t y) {
    Asm a;
    a.li(a1, x).li(a2, y) << insn;
    a.exit();
    VmRun r(a);
    EXPECT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.stop, KILN_VM_EXITED);
    return r.res.exit_code;
}

TEST(VmInsn, AluRegisterRegister) {
    EXPECT_EQ(binop(add(a0, a1, a2), 0x7fffffff, 1), 0x80000000u);
    EXPECT_EQ(binop(add(a0, a1, a2), 0xffffffff, 2), 1u);
    EXPECT_EQ(binop(sub(a0, a1, a2), 0, 1), 0xffffffffu);
    EXPECT_EQ(binop(sub(a0, a1, a2), 0x80000000, 1), 0x7fffffffu);
    EXPECT_EQ(binop(sll(a0, a1, a2), 1, 33), 2u); /* only the low 5 bits of the shift count */
    EXPECT_EQ(binop(sll(a0, a1, a2), 0x12345678, 4), 0x23456780u);
    EXPECT_EQ(binop(srl(a0, a1, a2), 0x80000000, 31), 1u);
    EXPECT_EQ(binop(srl(a0, a1, a2), 0x80000000, 32), 0x80000000u);
    EXPECT_EQ(binop(sra(a0, a1, a2), 0x80000000, 31), 0xffffffffu);
    EXPECT_EQ(binop(sra(a0, a1, a2), 0x80000000, 36), 0xf8000000u);
    EXPECT_EQ(binop(sra(a0, a1, a2), 0x40000000, 4), 0x04000000u);
    EXPECT_EQ(binop(slt(a0, a1, a2), 0xffffffff, 1), 1u);
    EXPECT_EQ(binop(slt(a0, a1, a2), 1, 0xffffffff), 0u);
    EXPECT_EQ(binop(sltu(a0, a1, a2), 0xffffffff, 1), 0u);
    EXPECT_EQ(binop(sltu(a0, a1, a2), 1, 0xffffffff), 1u);
    EXPECT_EQ(binop(xor_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0), 0xf0f0f0f0u);
    EXPECT_EQ(binop(or_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0), 0xfff0fff0u);
    EXPECT_EQ(binop(and_(a0, a1, a2), 0xff00ff00, 0x0ff00ff0), 0x0f000f00u);
}

TEST(VmInsn, AluImmediate) {
    EXPECT_EQ(binop(addi(a0, a1, -2048), 0, 0), 0xfffff800u);
    EXPECT_EQ(binop(addi(a0, a1, 2047), 1, 0), 2048u);
    EXPECT_EQ(binop(slti(a0, a1, -1), 0xfffffffe, 0), 1u);
    EXPECT_EQ(binop(slti(a0, a1, -1), 0, 0), 0u);
    EXPECT_EQ(binop(sltiu(a0, a1, -1), 5, 0), 1u); /* the immediate sign-extends to 0xffffffff */
    EXPECT_EQ(binop(sltiu(a0, a1, 1), 0, 0), 1u);  /* seqz */
    EXPECT_EQ(binop(xori(a0, a1, -1), 0x12345678, 0), 0xedcba987u);
    EXPECT_EQ(binop(ori(a0, a1, 0x0f0), 0x00f, 0), 0x0ffu);
    EXPECT_EQ(binop(andi(a0, a1, -16), 0xffffffff, 0), 0xfffffff0u);
    EXPECT_EQ(binop(slli(a0, a1, 31), 3, 0), 0x80000000u);
    EXPECT_EQ(binop(srli(a0, a1, 31), 0xffffffff, 0), 1u);
    EXPECT_EQ(binop(srai(a0, a1, 31), 0x80000000, 0), 0xffffffffu);
    EXPECT_EQ(binop(srai(a0, a1, 0), 0x80000000, 0), 0x80000000u);
}

TEST(VmInsn, MultiplyDivide) {
    EXPECT_EQ(binop(mul(a0, a1, a2), 0xffffffff, 0xffffffff), 1u);
    EXPECT_EQ(binop(mul(a0, a1, a2), 0x10000, 0x10000), 0u);
    EXPECT_EQ(binop(mulh(a0, a1, a2), 0xffffffff, 0xffffffff), 0u);          /* (-1)(-1) = 1 */
    EXPECT_EQ(binop(mulh(a0, a1, a2), 0x80000000, 0x80000000), 0x40000000u); /* 2^62 */
    EXPECT_EQ(binop(mulh(a0, a1, a2), 0x80000000, 1), 0xffffffffu);
    EXPECT_EQ(binop(mulhu(a0, a1, a2), 0xffffffff, 0xffffffff), 0xfffffffeu);
    EXPECT_EQ(binop(mulhsu(a0, a1, a2), 0xffffffff, 0xffffffff), 0xffffffffu); /* -(2^32 - 1) */
    EXPECT_EQ(binop(mulhsu(a0, a1, a2), 2, 0x80000000), 1u);
    EXPECT_EQ(binop(div_(a0, a1, a2), 7, (uint32_t)-2), (uint32_t)-3); /* truncates toward zero */
    EXPECT_EQ(binop(div_(a0, a1, a2), (uint32_t)-7, 2), (uint32_t)-3);
    EXPECT_EQ(binop(rem(a0, a1, a2), 7, (uint32_t)-2), 1u);
    EXPECT_EQ(binop(rem(a0, a1, a2), (uint32_t)-7, 2), (uint32_t)-1);
    EXPECT_EQ(binop(divu(a0, a1, a2), 0xffffffff, 2), 0x7fffffffu);
    EXPECT_EQ(binop(remu(a0, a1, a2), 0xffffffff, 10), 5u);
    /* Division by zero: quotient all ones, remainder the dividend. */
    EXPECT_EQ(binop(div_(a0, a1, a2), 1234, 0), 0xffffffffu);
    EXPECT_EQ(binop(divu(a0, a1, a2), 1234, 0), 0xffffffffu);
    EXPECT_EQ(binop(rem(a0, a1, a2), (uint32_t)-1234, 0), (uint32_t)-1234);
    EXPECT_EQ(binop(remu(a0, a1, a2), 1234, 0), 1234u);
    /* Signed overflow: quotient is the dividend, remainder zero. */
    EXPECT_EQ(binop(div_(a0, a1, a2), 0x80000000, 0xffffffff), 0x80000000u);
    EXPECT_EQ(binop(rem(a0, a1, a2), 0x80000000, 0xffffffff), 0u);
}

TEST(VmInsn, UpperImmediates) {
    Asm a;
    a << lui(a1, 0xfffff) << auipc(a2, 1) << auipc(a3, 0xfffff);
    a.li(a0, 0).exit();
    VmRun r(a);
    ASSERT_EQ(r.run(), KILN_OK);
    EXPECT_EQ(r.reg(a1), 0xfffff000u);
    EXPECT_EQ(r.reg(a2), kBase + 4 + 0x1000);
    EXPECT_EQ(r.reg(a3), kBase + 8 - 0x1000);
}

TEST(VmInsn, X0StaysZero) {
    Asm a;
    a << addi(x0, x0, 5) << lui(x0, 0x12345) << add(a0, x0, x0) << jal(x0, 4) << lw(x0, sp, -4);
    a.exit();
    VmRun r(a);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 0u);
    EXPECT_EQ(r.reg(0), 0u);
}

TEST(VmInsn, LoadsExtendAndStoresAreLittleEndian) {
    Asm a;
    a.li(t0, 0x80018081);
    a << sw(t0, sp, -8); /* bytes 81 80 01 80 at sp-8 */
    a << lb(a1, sp, -8) << lbu(a2, sp, -8) << lb(a3, sp, -6);
    a << lh(a4, sp, -8) << lhu(a5, sp, -8) << lh(a6, sp, -6) << lw(s2, sp, -8);
    a.li(t1, 0xaabbccdd);
    a << sb(t1, sp, -12) << sh(t1, sp, -10) << sw(x0, sp, -16);
    a.li(a0, 0).exit();
    VmRun r(a);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.reg(a1), 0xffffff81u);
    EXPECT_EQ(r.reg(a2), 0x81u);
    EXPECT_EQ(r.reg(a3), 0x01u);
    EXPECT_EQ(r.reg(a4), 0xffff8081u);
    EXPECT_EQ(r.reg(a5), 0x8081u);
    EXPECT_EQ(r.reg(a6), 0xffff8001u);
    EXPECT_EQ(r.reg(s2), 0x80018081u);
    uint8_t m[8];
    ASSERT_EQ(kiln_vm_read_mem(r.vm, KILN_VM_STACK_TOP - 16, m, 8), KILN_OK);
    const uint8_t want[8] = {0, 0, 0, 0, 0xdd, 0, 0xdd, 0xcc};
    EXPECT_EQ(0, memcmp(m, want, 8));
}

TEST(VmInsn, JumpsLinkAndClearBit0) {
    Asm a;
    /* 0: jal ra, +8 -> 8; 4: (skipped) ; 8: auipc t0,0; 12: addi t0,t0,17 (odd: target 24 after bit 0 clear)
     * 16: jalr s1, t0, 0 -> 24 ; 20: (skipped) ; 24: ... */
    a << jal(ra, 8) << addi(a0, x0, 99) << auipc(t0, 0) << addi(t0, t0, 17) << jalr(s1, t0, 0)
      << addi(a0, x0, 98);
    a << jalr(t0, t0, 7); /* rd == rs1: target from the old t0 (kBase+25 +7 = +32), link written after */
    a << addi(a0, x0, 97);
    a.li(a0, 0).exit();
    VmRun r(a);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 0u);
    EXPECT_EQ(r.reg(ra), kBase + 4);
    EXPECT_EQ(r.reg(s1), kBase + 20);
    EXPECT_EQ(r.reg(t0), kBase + 28);
}

/* Returns 1 if the branch is taken. */
static uint32_t taken(uint32_t (*br)(uint32_t, uint32_t, int32_t), uint32_t x, uint32_t y) {
    Asm a;
    a.li(a1, x).li(a2, y);
    a << br(a1, a2, 12) << addi(a0, x0, 0) << jal(x0, 8) << addi(a0, x0, 1);
    a.exit();
    VmRun r(a);
    EXPECT_EQ(r.run(), KILN_OK) << r.res.msg;
    return r.res.exit_code;
}

TEST(VmInsn, Branches) {
    EXPECT_EQ(taken(beq, 5, 5), 1u);
    EXPECT_EQ(taken(beq, 5, 6), 0u);
    EXPECT_EQ(taken(bne, 5, 6), 1u);
    EXPECT_EQ(taken(bne, 5, 5), 0u);
    EXPECT_EQ(taken(blt, 0xffffffff, 0), 1u);
    EXPECT_EQ(taken(blt, 0, 0xffffffff), 0u);
    EXPECT_EQ(taken(blt, 3, 3), 0u);
    EXPECT_EQ(taken(bge, 3, 3), 1u);
    EXPECT_EQ(taken(bge, 0xffffffff, 0), 0u);
    EXPECT_EQ(taken(bltu, 0, 0xffffffff), 1u);
    EXPECT_EQ(taken(bltu, 0xffffffff, 0), 0u);
    EXPECT_EQ(taken(bgeu, 0xffffffff, 0), 1u);
    EXPECT_EQ(taken(bgeu, 0, 1), 0u);
}

TEST(VmInsn, BackwardBranchLoop) {
    Asm a;
    a.li(a0, 0).li(t0, 10);
    a << add(a0, a0, t0) << addi(t0, t0, -1) << bne(t0, x0, -8);
    a.exit();
    VmRun r(a);
    ASSERT_EQ(r.run(), KILN_OK);
    EXPECT_EQ(r.res.exit_code, 55u);
    EXPECT_EQ(r.res.cycles, 4u + 30u + 3u);
}

TEST(VmInsn, FenceIsNop) {
    Asm a;
    a.li(a0, 3);
    a << fence();
    a.exit();
    VmRun r(a);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 3u);
}

static kiln_vm_result fault_of(const Asm &a, kiln_status want_st = KILN_ERR_FAULT) {
    VmRun r(a);
    EXPECT_EQ(r.run(), want_st) << r.res.msg;
    EXPECT_NE(r.res.msg[0], 0);
    return r.res;
}

TEST(VmInsn, IllegalInstructions) {
    const uint32_t bad[] = {0x00000000u,
                            0xffffffffu,
                            0x00000001u /* compressed */,
                            0x0000100fu /* fence.i */,
                            0x30059573u /* csrrw */,
                            slli(a0, a1, 1) | (1u << 25) /* shamt bit 5 */,
                            R(0x20, a0, 1, a1, a2) /* sub-like sll */,
                            I(0x03, a0, 3, a1, 0) /* ld */,
                            S(3, a0, a1, 0) /* sd */,
                            B(2, a0, a1, 8),
                            jalr(a0, a1, 0) | (1u << 12)};
    for (uint32_t w : bad) {
        Asm a;
        a << addi(a0, x0, 1) << w;
        a.exit();
        kiln_vm_result r = fault_of(a);
        EXPECT_EQ(r.stop, KILN_VM_FAULT_ILLEGAL) << std::hex << w;
        EXPECT_EQ(r.pc, kBase + 4) << std::hex << w;
        EXPECT_EQ(r.cycles, 1u);
    }
    Asm e;
    e << ebreak();
    EXPECT_EQ(fault_of(e).stop, KILN_VM_FAULT_ILLEGAL);
}

TEST(VmInsn, MisalignedAccessesFault) {
    Asm p1;
    p1 << lw(a0, sp, -6);
    EXPECT_EQ(fault_of(p1).stop, KILN_VM_FAULT_MISALIGNED);
    Asm p2;
    p2 << sh(a0, sp, -3);
    EXPECT_EQ(fault_of(p2).stop, KILN_VM_FAULT_MISALIGNED);
    Asm p3;
    p3 << lhu(a0, sp, -1);
    EXPECT_EQ(fault_of(p3).stop, KILN_VM_FAULT_MISALIGNED);
    Asm p4; /* byte accesses are never misaligned */
    p4 << sb(a0, sp, -3) << lb(a1, sp, -3);
    p4.exit();
    VmRun r(p4);
    EXPECT_EQ(r.run(), KILN_OK) << r.res.msg;
}

TEST(VmInsn, MisalignedAndOutOfCodeJumps) {
    Asm p1;
    p1 << auipc(t0, 0) << jalr(ra, t0, 6); /* target kBase+6: bit 1 set */
    kiln_vm_result r1 = fault_of(p1);
    EXPECT_EQ(r1.stop, KILN_VM_FAULT_MISALIGNED);
    EXPECT_EQ(r1.pc, kBase + 4);
    Asm p2;
    p2 << beq(x0, x0, 6);
    EXPECT_EQ(fault_of(p2).stop, KILN_VM_FAULT_MISALIGNED);
    Asm p3;
    p3 << jal(x0, 4096);
    EXPECT_EQ(fault_of(p3).stop, KILN_VM_FAULT_PC);
    Asm p4;
    p4 << jal(x0, -4);
    EXPECT_EQ(fault_of(p4).stop, KILN_VM_FAULT_PC);
    Asm p5; /* falls off the end of the code */
    p5 << addi(a0, x0, 1);
    kiln_vm_result r5 = fault_of(p5);
    EXPECT_EQ(r5.stop, KILN_VM_FAULT_PC);
    EXPECT_EQ(r5.pc, kBase + 4);
}

TEST(VmInsn, MemoryPermissions) {
    Asm code_write; /* code is read-only */
    code_write.li(t0, kBase) << sw(x0, t0, 0);
    EXPECT_EQ(fault_of(code_write).stop, KILN_VM_FAULT_ACCESS);
    Asm code_read; /* but readable */
    code_read.li(t0, kBase) << lw(a0, t0, 0);
    code_read.exit();
    VmRun r(code_read);
    ASSERT_EQ(r.run(), KILN_OK);
    EXPECT_EQ(r.res.exit_code, lui(t0, (kBase + 0x800) >> 12));
    Asm null_load;
    null_load << lw(a0, x0, 16);
    kiln_vm_result rn = fault_of(null_load);
    EXPECT_EQ(rn.stop, KILN_VM_FAULT_ACCESS);
    EXPECT_NE(std::string(rn.msg).find("0x00000010"), std::string::npos) << rn.msg;
    Asm high;
    high.li(t0, 0xfffff000) << lb(a0, t0, 0);
    EXPECT_EQ(fault_of(high).stop, KILN_VM_FAULT_ACCESS);
    Asm below_stack; /* just under the 1 MiB stack region */
    below_stack.li(t0, KILN_VM_STACK_TOP - KILN_VM_MAX_STACK - 4) << sw(x0, t0, 0);
    EXPECT_EQ(fault_of(below_stack).stop, KILN_VM_FAULT_ACCESS);
    Asm heap; /* untouched heap reads zero, writes stick */
    heap.li(t0, 0x00100000) << lw(a1, t0, 0) << addi(a2, x0, 42) << sw(a2, t0, 0) << lw(a0, t0, 0)
                            << add(a0, a0, a1);
    heap.exit();
    VmRun h(heap);
    ASSERT_EQ(h.run(), KILN_OK) << h.res.msg;
    EXPECT_EQ(h.res.exit_code, 42u);
}

TEST(VmInsn, CycleAndGasLimits) {
    Asm loop;
    loop << jal(x0, 0);
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    cfg.max_cycles = 1000;
    VmRun r(loop, &cfg);
    EXPECT_EQ(r.run(), KILN_ERR_LIMIT);
    EXPECT_EQ(r.res.stop, KILN_VM_LIMIT_CYCLES);
    EXPECT_EQ(r.res.cycles, 1000u);
    EXPECT_EQ(r.res.pc, kBase);
    /* A stopped VM stays stopped. */
    EXPECT_EQ(r.run(), KILN_ERR_LIMIT);
    EXPECT_EQ(r.res.cycles, 1000u);

    kiln_vm_config g;
    kiln_vm_config_init(&g);
    kiln_vm_gas_schedule gs = kiln_vm_gas_default();
    gs.insn = 3;
    g.gas = &gs;
    g.gas_limit = 3000;
    VmRun rg(loop, &g);
    EXPECT_EQ(rg.run(), KILN_ERR_LIMIT);
    EXPECT_EQ(rg.res.stop, KILN_VM_LIMIT_GAS);
    EXPECT_EQ(rg.res.cycles, 1000u);
    EXPECT_EQ(rg.res.gas, 3000u);
}

TEST(VmInsn, MemoryCap) {
    /* Touch stack pages downward until the cap (16 KiB: the code page plus 3 more) stops it. */
    Asm a;
    a.li(t0, KILN_VM_STACK_TOP);
    a << addi(t0, t0, -2048) << addi(t0, t0, -2048) << sw(x0, t0, 0) << jal(x0, -12);
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    cfg.memory_cap = 4 * KILN_VM_PAGE_SIZE;
    VmRun r(a, &cfg);
    EXPECT_EQ(r.run(), KILN_ERR_LIMIT);
    EXPECT_EQ(r.res.stop, KILN_VM_FAULT_MEMORY_CAP);
    EXPECT_EQ(r.res.pc, kBase + 16);
}
