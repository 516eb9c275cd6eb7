/* Tracing rows (checked field by field against hand-computed values), pausing on a full buffer and resuming,
 * and snapshots / rollback. */
#include "vm_asm.h"

using namespace rv;

namespace {
constexpr uint32_t kBuf = KILN_VM_STACK_TOP - 0x1000;
}

TEST(VmTrace, RowsRecordRegistersAndMemory) {
    Asm a;
    a.li(t0, kBuf);                                    /* rows 0, 1 */
    a.li(t1, 0x11223344);                              /* rows 2, 3 */
    a << sw(t1, t0, 4);                                /* row 4 */
    a << lb(a1, t0, 7);                                /* row 5: byte 0x11 */
    a << add(a2, t1, a1);                              /* row 6 */
    a << addi(x0, t1, 1);                              /* row 7: x0 not written */
    a << sb(t1, t0, 5);                                /* row 8: word 0x11224444 after */
    a.li(a0, kBuf + 4).li(a1, 4).sys(KILN_SYS_COMMIT); /* rows 9..15, the ecall at 15 */
    a.li(a0, 0).exit();                                /* rows 16..20 */
    VmRun r(a);
    kiln_vm_trace *t = nullptr;
    ASSERT_EQ(kiln_vm_trace_create(1000, &t), KILN_OK);
    kiln_vm_set_trace(r.vm, t);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    ASSERT_EQ(t->n_rows, r.res.cycles);
    ASSERT_EQ(t->n_rows, 21u);
    const kiln_vm_trace_row *row = t->rows;
    EXPECT_EQ(row[0].pc, kBase);
    EXPECT_EQ(row[0].insn, a.w[0]);
    EXPECT_EQ(row[4].pc, kBase + 16);
    EXPECT_EQ(row[4].insn, sw(t1, t0, 4));
    EXPECT_EQ(row[4].rs1_val, kBuf);
    EXPECT_EQ(row[4].rs2_val, 0x11223344u);
    EXPECT_EQ(row[4].rd_val, 0u);
    EXPECT_EQ(row[4].mem_addr, kBuf + 4);
    EXPECT_EQ(row[4].mem_prev, 0u);
    EXPECT_EQ(row[4].mem_val, 0x11223344u);
    EXPECT_EQ(row[5].mem_addr, kBuf + 7);
    EXPECT_EQ(row[5].mem_prev, 0x11223344u);
    EXPECT_EQ(row[5].mem_val, 0x11223344u);
    EXPECT_EQ(row[5].rd_val, 0x11u);
    EXPECT_EQ(row[6].rs1_val, 0x11223344u);
    EXPECT_EQ(row[6].rs2_val, 0x11u);
    EXPECT_EQ(row[6].rd_val, 0x11223355u);
    EXPECT_EQ(row[6].mem_addr, 0u);
    EXPECT_EQ(row[7].rd_val, 0u);
    EXPECT_EQ(row[8].mem_addr, kBuf + 5);
    EXPECT_EQ(row[8].mem_prev, 0x11223344u);
    EXPECT_EQ(row[8].mem_val, 0x11224444u);
    /* Two syscalls: commit (its one word read) and exit. */
    ASSERT_EQ(t->n_syscalls, 2u);
    const kiln_vm_trace_syscall &c = t->syscalls[0];
    EXPECT_EQ(c.row, 15u);
    EXPECT_EQ(t->rows[15].insn, ecall());
    EXPECT_EQ(c.num, KILN_SYS_COMMIT);
    EXPECT_EQ(c.args[0], kBuf + 4);
    EXPECT_EQ(c.args[1], 4u);
    ASSERT_EQ(c.mem_count, 1u);
    EXPECT_EQ(t->mem[c.mem_first].addr, kBuf + 4);
    EXPECT_EQ(t->mem[c.mem_first].val, 0x11224444u);
    EXPECT_EQ(t->syscalls[1].num, 93u);
    EXPECT_EQ(t->syscalls[1].row, 20u);
    kiln_vm_trace_free(t);
}

TEST(VmTrace, SyscallWritesRecordOldAndNewWords) {
    Asm a;
    a.li(a0, kBuf + 2).li(a1, 3).sys(KILN_SYS_INPUT_READ);
    a.li(a0, 0).exit();
    VmRun r(a);
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, "\x01\x02\x03\x04\x05\x06\x07\x08", 8), KILN_OK);
    ASSERT_EQ(kiln_vm_set_input(r.vm, (const uint8_t *)"xyz", 3), KILN_OK);
    kiln_vm_trace *t = nullptr;
    ASSERT_EQ(kiln_vm_trace_create(100, &t), KILN_OK);
    kiln_vm_set_trace(r.vm, t);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    const kiln_vm_trace_syscall &s = t->syscalls[0];
    EXPECT_EQ(s.ret[0], 3u);
    ASSERT_EQ(s.mem_count, 2u); /* bytes 2..4 touch two words */
    EXPECT_EQ(t->mem[0].addr, kBuf);
    EXPECT_EQ(t->mem[0].prev, 0x04030201u);
    EXPECT_EQ(t->mem[0].val, 0x7978'0201u);
    EXPECT_EQ(t->mem[1].addr, kBuf + 4);
    EXPECT_EQ(t->mem[1].prev, 0x08070605u);
    EXPECT_EQ(t->mem[1].val, 0x0807067au);
    kiln_vm_trace_free(t);
}

TEST(VmTrace, FullBufferPausesAndResumes) {
    /* A loop of 3 instructions x 1000, plus set-up and exit. */
    Asm a;
    a.li(a0, 0).li(t0, 1000);
    a << add(a0, a0, t0) << addi(t0, t0, -1) << bne(t0, x0, -8);
    a.exit();
    VmRun plain(a);
    ASSERT_EQ(plain.run(), KILN_OK);
    VmRun traced(a);
    kiln_vm_trace *t = nullptr;
    ASSERT_EQ(kiln_vm_trace_create(256, &t), KILN_OK);
    kiln_vm_set_trace(traced.vm, t);
    uint64_t rows = 0, pauses = 0;
    uint32_t expect_pc = kBase;
    for (;;) {
        kiln_status st = traced.run();
        ASSERT_EQ(st, KILN_OK) << traced.res.msg;
        /* rows continue exactly where the previous chunk stopped */
        ASSERT_GT(t->n_rows, 0u);
        EXPECT_EQ(t->rows[0].pc, expect_pc);
        rows += t->n_rows;
        if (traced.res.stop != KILN_VM_TRACE_FULL) break;
        EXPECT_EQ(t->n_rows, 256u);
        expect_pc = traced.res.pc;
        pauses++;
        kiln_vm_trace_clear(t);
    }
    EXPECT_EQ(traced.res.stop, KILN_VM_EXITED);
    EXPECT_EQ(traced.res.exit_code, plain.res.exit_code);
    EXPECT_EQ(traced.res.exit_code, 500500u);
    EXPECT_EQ(traced.res.cycles, plain.res.cycles);
    EXPECT_EQ(rows, plain.res.cycles);
    EXPECT_EQ(pauses, (plain.res.cycles - 1) / 256);
    kiln_vm_trace_free(t);
}

TEST(VmSnapshot, RollbackRestoresMemoryRegistersAndOutput) {
    /* Writes 0xabcd to the data word, commits 4 bytes, exits with 9. */
    Asm a;
    a.li(t0, kBuf).li(t1, 0xabcd) << sw(t1, t0, 0);
    a << addi(t2, t0, -2048) << sw(t1, t2, -2048); /* and a fresh page below */
    a.li(a0, kBuf).li(a1, 4).sys(KILN_SYS_COMMIT);
    a.li(a0, 9).exit();
    VmRun r(a);
    uint32_t init = 0x55;
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, &init, 4), KILN_OK);
    ASSERT_EQ(kiln_vm_snapshot(r.vm), KILN_OK);
    EXPECT_EQ(kiln_vm_snapshot_depth(r.vm), 1u);
    ASSERT_EQ(r.run(), KILN_OK);
    EXPECT_EQ(r.res.exit_code, 9u);
    EXPECT_EQ(r.output().size(), 4u);
    ASSERT_EQ(kiln_vm_rollback(r.vm), KILN_OK);
    EXPECT_EQ(kiln_vm_snapshot_depth(r.vm), 0u);
    uint32_t v = 0;
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf, &v, 4), KILN_OK);
    EXPECT_EQ(v, 0x55u);
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf - 0x1000, &v, 4), KILN_OK);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(kiln_vm_pc(r.vm), kBase);
    EXPECT_EQ(kiln_vm_reg(r.vm, t1), 0u);
    EXPECT_EQ(r.output().size(), 0u);
    /* The rolled-back VM runs again to the same result. */
    ASSERT_EQ(r.run(), KILN_OK);
    EXPECT_EQ(r.res.exit_code, 9u);
    EXPECT_EQ(r.res.cycles, 19u);
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf, &v, 4), KILN_OK);
    EXPECT_EQ(v, 0xabcdu);
    EXPECT_EQ(kiln_vm_rollback(r.vm), KILN_ERR_INVALID_ARG); /* nothing to roll back */
}

TEST(VmSnapshot, NestedCommitAndRollback) {
    Asm a;
    a.exit();
    VmRun r(a);
    auto put = [&](uint32_t addr, uint32_t v) { ASSERT_EQ(kiln_vm_write_mem(r.vm, addr, &v, 4), KILN_OK); };
    auto get = [&](uint32_t addr) {
        uint32_t v = 0xffffffff;
        EXPECT_EQ(kiln_vm_read_mem(r.vm, addr, &v, 4), KILN_OK);
        return v;
    };
    const uint32_t A = kBuf, Bp = kBuf - 0x1000, C = kBuf - 0x2000;
    put(A, 1);
    ASSERT_EQ(kiln_vm_snapshot(r.vm), KILN_OK); /* S1 */
    put(A, 2);
    put(Bp, 20);
    ASSERT_EQ(kiln_vm_snapshot(r.vm), KILN_OK); /* S2 */
    put(A, 3);
    put(C, 30);
    kiln_vm_set_reg(r.vm, s1, 77);
    ASSERT_EQ(kiln_vm_commit(r.vm), KILN_OK); /* S2 folds into S1 */
    EXPECT_EQ(get(A), 3u);
    EXPECT_EQ(get(C), 30u);
    ASSERT_EQ(kiln_vm_snapshot(r.vm), KILN_OK); /* S3 */
    put(A, 4);
    ASSERT_EQ(kiln_vm_rollback(r.vm), KILN_OK); /* undo S3 */
    EXPECT_EQ(get(A), 3u);
    EXPECT_EQ(kiln_vm_reg(r.vm, s1), 77u);
    ASSERT_EQ(kiln_vm_rollback(r.vm), KILN_OK); /* undo S1 (with S2's changes) */
    EXPECT_EQ(get(A), 1u);
    EXPECT_EQ(get(Bp), 0u);
    EXPECT_EQ(get(C), 0u);
    EXPECT_EQ(kiln_vm_reg(r.vm, s1), 0u);
}
