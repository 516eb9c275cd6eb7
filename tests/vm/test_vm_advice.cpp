/* The advice syscall (host answers recorded on a tape, replay from the tape) and io_digest. */
#include <string>
#include <vector>

#include "vm_asm.h"

using namespace rv;

namespace {
constexpr uint32_t kBuf = KILN_VM_STACK_TOP - 0x1000; /* answers land here */
constexpr uint32_t kReq = KILN_VM_STACK_TOP - 0x800;  /* requests are read from here */

/* Answers a request with its bytes upper-cased and a '!' appended; counts calls; can fail. */
struct AdviceHost {
    int calls = 0, fail = 0;
    std::vector<std::string> seen;
    static kiln_status answer(void *c, const uint8_t *req, uint32_t n, uint8_t *out, uint32_t cap,
                              uint32_t *out_len) {
        auto *h = (AdviceHost *)c;
        h->calls++;
        if (h->fail) return KILN_ERR_IO;
        std::string r((const char *)req, n);
        h->seen.push_back(r);
        std::string a;
        for (char ch : r)
            a.push_back((char)toupper((unsigned char)ch));
        a.push_back('!');
        memcpy(out, a.data(), a.size() < cap ? a.size() : cap);
        *out_len = (uint32_t)a.size();
        return KILN_OK;
    }
    kiln_vm_config cfg() {
        kiln_vm_config c;
        kiln_vm_config_init(&c);
        c.host.ctx = this;
        c.host.advice = answer;
        return c;
    }
};

/* advice(out, cap, req, req_len); the answer length goes to `save`. */
void advice(Asm &a, uint32_t out, uint32_t cap, uint32_t req, uint32_t len, uint32_t save) {
    a.li(a0, out).li(a1, cap).li(a2, req).li(a3, len).sys(KILN_SYS_ADVICE) << addi(save, a0, 0);
}

void put_req(kiln_vm *vm, uint32_t addr, const char *s) {
    ASSERT_EQ(kiln_vm_write_mem(vm, addr, s, strlen(s)), KILN_OK);
}

std::string tape_of(kiln_vm *vm) {
    const uint8_t *t;
    size_t n;
    kiln_vm_advice_tape(vm, &t, &n);
    return std::string((const char *)t, n);
}

std::string frame(const std::string &answer) {
    uint32_t n = (uint32_t)answer.size();
    std::string f((const char *)&n, 4); /* little-endian host */
    return f + answer;
}

/* Three requests: "abc" (answer 4 bytes at kBuf), "" (answer "!" at kBuf + 8), "xyzzy" (6 bytes at kBuf + 16,
 * a partial last word); exit code = the sum of the lengths. */
Asm three_requests() {
    Asm a;
    advice(a, kBuf, 64, kReq, 3, s2);
    advice(a, kBuf + 8, 1, kReq + 0x100, 0, s3);
    advice(a, kBuf + 16, 6, kReq + 0x200, 5, s1);
    a << add(a0, s2, s3) << add(a0, a0, s1);
    a.exit();
    return a;
}
} // namespace

TEST(VmAdvice, HostAnswersAreRecordedAndReplayed) {
    AdviceHost h;
    kiln_vm_config cfg = h.cfg();
    VmRun r(three_requests(), &cfg);
    put_req(r.vm, kReq, "abc");
    put_req(r.vm, kReq + 0x200, "xyzzy");
    uint32_t fill = 0xeeeeeeee;
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf + 20, &fill, 4), KILN_OK);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 4u + 1u + 6u);
    EXPECT_EQ(h.calls, 3);
    ASSERT_EQ(h.seen.size(), 3u);
    EXPECT_EQ(h.seen[0], "abc");
    EXPECT_EQ(h.seen[1], "");
    EXPECT_EQ(h.seen[2], "xyzzy");
    char got[24] = {0};
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf, got, 24), KILN_OK);
    EXPECT_EQ(std::string(got, 4), "ABC!");
    EXPECT_EQ(got[8], '!');
    EXPECT_EQ(std::string(got + 16, 6), "XYZZY!");
    EXPECT_EQ((uint8_t)got[22], 0xee); /* past the answer: untouched */
    std::string tape = tape_of(r.vm);
    EXPECT_EQ(tape, frame("ABC!") + frame("!") + frame("XYZZY!"));

    /* Replay: no callback, other request bytes (ignored); same answers, same registers. */
    VmRun p(three_requests());
    ASSERT_EQ(kiln_vm_set_advice_tape(p.vm, (const uint8_t *)tape.data(), tape.size()), KILN_OK);
    put_req(p.vm, kReq, "zzz");
    ASSERT_EQ(p.run(), KILN_OK) << p.res.msg;
    EXPECT_EQ(p.res.exit_code, 11u);
    EXPECT_EQ(p.res.gas, r.res.gas); /* gas depends on the lengths only */
    char got2[24] = {0};
    ASSERT_EQ(kiln_vm_read_mem(p.vm, kBuf, got2, 24), KILN_OK);
    EXPECT_EQ(std::string(got2, 4), "ABC!");
    EXPECT_EQ(std::string(got2 + 16, 6), "XYZZY!");
    EXPECT_EQ(tape_of(p.vm), tape); /* the consumed part of the tape */
}

TEST(VmAdvice, GasCountsRequestAndAnswerWords) {
    AdviceHost h;
    kiln_vm_config cfg = h.cfg();
    Asm a;
    advice(a, kBuf, 64, kReq, 40, s2); /* 40-byte request, 41-byte answer: 3 words of 32 bytes */
    a.exit();
    VmRun r(a, &cfg);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    kiln_vm_gas_schedule g = kiln_vm_gas_default();
    uint64_t insns = r.res.cycles;
    EXPECT_EQ(r.res.gas, insns * g.insn + g.syscall_base + 3 * g.per_word);
    EXPECT_EQ(r.reg(s2), 41u);
}

TEST(VmAdvice, ReplayPastTheEndFaults) {
    VmRun r(three_requests());
    std::string tape = frame("ABC!") + frame("!");
    ASSERT_EQ(kiln_vm_set_advice_tape(r.vm, (const uint8_t *)tape.data(), tape.size()), KILN_OK);
    EXPECT_EQ(r.run(), KILN_ERR_FAULT);
    EXPECT_EQ(r.res.stop, KILN_VM_FAULT_SYSCALL);
    EXPECT_NE(std::string(r.res.msg).find("past the end of the advice tape"), std::string::npos) << r.res.msg;
    EXPECT_EQ(r.reg(s2), 4u); /* the first two answers were served */
    EXPECT_EQ(r.reg(s3), 1u);
}

TEST(VmAdvice, MalformedTapeIsRefused) {
    VmRun r(three_requests());
    std::string cut = frame("ABC!").substr(0, 6), shortlen("\x01\x00", 2);
    EXPECT_EQ(kiln_vm_set_advice_tape(r.vm, (const uint8_t *)cut.data(), cut.size()), KILN_ERR_PARSE);
    EXPECT_EQ(kiln_vm_set_advice_tape(r.vm, (const uint8_t *)shortlen.data(), shortlen.size()),
              KILN_ERR_PARSE);
    EXPECT_EQ(kiln_vm_set_advice_tape(r.vm, nullptr, 0), KILN_OK); /* empty tape: replay of nothing */
    EXPECT_EQ(r.run(), KILN_ERR_FAULT);
    EXPECT_NE(std::string(r.res.msg).find("past the end"), std::string::npos) << r.res.msg;
}

TEST(VmAdvice, AnswerOverCapacityFaults) {
    AdviceHost h;
    kiln_vm_config cfg = h.cfg();
    Asm a;
    advice(a, kBuf, 3, kReq, 3, s2); /* "ABC!" does not fit in 3 bytes */
    a.exit();
    VmRun r(a, &cfg);
    put_req(r.vm, kReq, "abc");
    EXPECT_EQ(r.run(), KILN_ERR_FAULT);
    EXPECT_EQ(r.res.stop, KILN_VM_FAULT_SYSCALL);
    EXPECT_NE(std::string(r.res.msg).find("answer of 4 bytes exceeds the capacity of 3 bytes"),
              std::string::npos)
        << r.res.msg;
    EXPECT_EQ(tape_of(r.vm), ""); /* nothing recorded */
    uint32_t v = 1;
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf, &v, 4), KILN_OK);
    EXPECT_EQ(v, 0u); /* nothing written */

    /* The same in replay mode: a recorded answer longer than the guest's capacity. */
    VmRun p(a);
    std::string tape = frame("ABC!");
    ASSERT_EQ(kiln_vm_set_advice_tape(p.vm, (const uint8_t *)tape.data(), tape.size()), KILN_OK);
    EXPECT_EQ(p.run(), KILN_ERR_FAULT);
    EXPECT_NE(std::string(p.res.msg).find("exceeds the capacity"), std::string::npos) << p.res.msg;
}

TEST(VmAdvice, BadArgumentsFault) {
    struct Case {
        uint32_t out, cap, req, len;
        kiln_vm_stop stop;
        const char *msg;
    } cases[] = {
        {kBuf, 64, kReq, 4097, KILN_VM_FAULT_SYSCALL, "request longer than 4 KiB"},
        {kBuf, 64, 0x20, 4, KILN_VM_FAULT_ACCESS, "bad buffer 0x00000020"},       /* null page request */
        {kBuf, 64, 0xfffffff0, 64, KILN_VM_FAULT_ACCESS, "bad buffer"},           /* wraps around */
        {0x10000, 64, kReq, 3, KILN_VM_FAULT_ACCESS, "bad buffer 0x00010000"},    /* answer into code */
        {KILN_VM_STACK_TOP - 2, 64, kReq, 3, KILN_VM_FAULT_ACCESS, "bad buffer"}, /* past the stack top */
    };
    for (const Case &c : cases) {
        AdviceHost h;
        kiln_vm_config cfg = h.cfg();
        Asm a;
        advice(a, c.out, c.cap, c.req, c.len, s2);
        a.exit();
        VmRun r(a, &cfg);
        put_req(r.vm, kReq, "abc");
        EXPECT_EQ(r.run(), KILN_ERR_FAULT) << c.msg;
        EXPECT_EQ(r.res.stop, c.stop) << c.msg;
        EXPECT_NE(std::string(r.res.msg).find(c.msg), std::string::npos) << r.res.msg;
        EXPECT_EQ(tape_of(r.vm), "") << c.msg; /* a faulting call records nothing */
    }
    /* No callback and no tape; a failing host. */
    Asm a;
    advice(a, kBuf, 64, kReq, 3, s2);
    a.exit();
    VmRun none(a);
    EXPECT_EQ(none.run(), KILN_ERR_FAULT);
    EXPECT_NE(std::string(none.res.msg).find("provides no advice"), std::string::npos) << none.res.msg;
    AdviceHost h;
    h.fail = 1;
    kiln_vm_config cfg = h.cfg();
    VmRun failing(a, &cfg);
    EXPECT_EQ(failing.run(), KILN_ERR_FAULT);
    EXPECT_NE(std::string(failing.res.msg).find("failed to answer"), std::string::npos) << failing.res.msg;
}

TEST(VmAdvice, SnapshotRollbackRewindsTheTape) {
    Asm a;
    advice(a, kBuf, 64, kReq, 3, s2);
    advice(a, kBuf + 8, 64, kReq, 3, s3);
    a.exit();
    /* A full run under a snapshot, rolled back: the tape is empty again; rerun records the same. */
    AdviceHost h2;
    kiln_vm_config cfg2 = h2.cfg();
    VmRun q(a, &cfg2);
    put_req(q.vm, kReq, "abc");
    ASSERT_EQ(kiln_vm_snapshot(q.vm), KILN_OK);
    ASSERT_EQ(q.run(), KILN_OK) << q.res.msg;
    EXPECT_EQ(tape_of(q.vm), frame("ABC!") + frame("ABC!"));
    ASSERT_EQ(kiln_vm_rollback(q.vm), KILN_OK);
    EXPECT_EQ(tape_of(q.vm), "");
    put_req(q.vm, kReq, "def");
    ASSERT_EQ(q.run(), KILN_OK) << q.res.msg;
    EXPECT_EQ(tape_of(q.vm), frame("DEF!") + frame("DEF!"));
    EXPECT_EQ(h2.calls, 4);

    /* Replay mode: rollback rewinds the read position, so the replayed answers come again. */
    VmRun p(a);
    std::string tape = frame("AB") + frame("CD");
    ASSERT_EQ(kiln_vm_set_advice_tape(p.vm, (const uint8_t *)tape.data(), tape.size()), KILN_OK);
    ASSERT_EQ(kiln_vm_snapshot(p.vm), KILN_OK);
    ASSERT_EQ(p.run(), KILN_OK) << p.res.msg;
    EXPECT_EQ(tape_of(p.vm), tape);
    ASSERT_EQ(kiln_vm_rollback(p.vm), KILN_OK);
    EXPECT_EQ(tape_of(p.vm), "");
    ASSERT_EQ(p.run(), KILN_OK) << p.res.msg;
    EXPECT_EQ(p.reg(s2), 2u);
    char got[2];
    ASSERT_EQ(kiln_vm_read_mem(p.vm, kBuf + 8, got, 2), KILN_OK);
    EXPECT_EQ(std::string(got, 2), "CD");
}

TEST(VmAdvice, TraceRecordsTheAnswerWritesOnly) {
    AdviceHost h;
    kiln_vm_config cfg = h.cfg();
    VmRun r(three_requests(), &cfg);
    put_req(r.vm, kReq, "abc");
    put_req(r.vm, kReq + 0x200, "xyzzy");
    kiln_vm_trace *t = nullptr;
    ASSERT_EQ(kiln_vm_trace_create(1024, &t), KILN_OK);
    kiln_vm_set_trace(r.vm, t);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    std::vector<const kiln_vm_trace_syscall *> recs;
    for (uint64_t i = 0; i < t->n_syscalls; i++)
        if (t->syscalls[i].num == KILN_SYS_ADVICE) recs.push_back(&t->syscalls[i]);
    ASSERT_EQ(recs.size(), 3u);
    const uint32_t words[3] = {1, 1, 2}, lens[3] = {4, 1, 6}, at[3] = {kBuf, kBuf + 8, kBuf + 16};
    for (int k = 0; k < 3; k++) {
        EXPECT_EQ(recs[k]->ret[0], lens[k]);
        ASSERT_EQ(recs[k]->mem_count, words[k]) << k; /* no request reads */
        for (uint32_t j = 0; j < words[k]; j++)
            EXPECT_EQ(t->mem[recs[k]->mem_first + j].addr, at[k] + 4 * j);
    }
    const kiln_vm_trace_mem &last = t->mem[recs[2]->mem_first + 1];
    EXPECT_EQ(last.prev, 0u);
    EXPECT_EQ(last.val, (uint32_t)'Y' | (uint32_t)'!' << 8);
    kiln_vm_set_trace(r.vm, nullptr);
    kiln_vm_trace_free(t);
}

TEST(VmIoDigest, RecordedOnceAndRolledBack) {
    Asm a;
    a.li(a0, kBuf).sys(KILN_SYS_IO_DIGEST);
    a.li(a0, 5).li(a1, 0xdeadbeef).exit();
    VmRun r(a);
    uint8_t raw[64];
    for (int i = 0; i < 64; i++)
        raw[i] = (uint8_t)(i + 1);
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, raw, 64), KILN_OK);
    uint64_t d[8];
    EXPECT_EQ(kiln_vm_io_digest(r.vm, d), 0);
    ASSERT_EQ(kiln_vm_snapshot(r.vm), KILN_OK);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 5u);
    ASSERT_EQ(kiln_vm_io_digest(r.vm, d), 1);
    for (int k = 0; k < 8; k++) {
        uint64_t e = 0;
        for (int b = 7; b >= 0; b--)
            e = e << 8 | raw[8 * k + b];
        EXPECT_EQ(d[k], e) << k;
    }
    ASSERT_EQ(kiln_vm_rollback(r.vm), KILN_OK);
    EXPECT_EQ(kiln_vm_io_digest(r.vm, d), 0);
    EXPECT_EQ(d[0], 0u);
}

TEST(VmIoDigest, BadCallsFault) {
    Asm twice;
    twice.li(a0, kBuf).sys(KILN_SYS_IO_DIGEST).li(a0, kBuf).sys(KILN_SYS_IO_DIGEST).exit();
    VmRun r(twice);
    EXPECT_EQ(r.run(), KILN_ERR_FAULT);
    EXPECT_EQ(r.res.stop, KILN_VM_FAULT_SYSCALL);
    EXPECT_NE(std::string(r.res.msg).find("called more than once"), std::string::npos) << r.res.msg;
    Asm mis;
    mis.li(a0, kBuf + 2).sys(KILN_SYS_IO_DIGEST).exit();
    VmRun m(mis);
    EXPECT_EQ(m.run(), KILN_ERR_FAULT);
    EXPECT_NE(std::string(m.res.msg).find("not 4-byte aligned"), std::string::npos) << m.res.msg;
    Asm bad;
    bad.li(a0, KILN_VM_STACK_TOP - 32).sys(KILN_SYS_IO_DIGEST).exit(); /* 64 bytes cross the stack top */
    VmRun b(bad);
    EXPECT_EQ(b.run(), KILN_ERR_FAULT);
    EXPECT_EQ(b.res.stop, KILN_VM_FAULT_ACCESS);
    uint64_t d[8];
    EXPECT_EQ(kiln_vm_io_digest(b.vm, d), 0);
}
