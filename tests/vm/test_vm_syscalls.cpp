/* Every syscall with good and bad arguments: a bad pointer or value is a guest fault with a message. */
#include <map>

#include "vm_asm.h"

using namespace rv;

namespace {
constexpr uint32_t kBuf = KILN_VM_STACK_TOP - 0x1000; /* a stack page the tests use as scratch */

struct TestHost {
    std::map<std::string, std::string> slots; /* addr||key -> value */
    std::string debug;
    int fail_reads = 0;
    static kiln_status rd(void *c, const uint8_t a[20], const uint8_t k[32], uint8_t v[32]) {
        auto *h = (TestHost *)c;
        if (h->fail_reads) return KILN_ERR_IO;
        auto it = h->slots.find(std::string((const char *)a, 20) + std::string((const char *)k, 32));
        if (it == h->slots.end())
            memset(v, 0, 32);
        else
            memcpy(v, it->second.data(), 32);
        return KILN_OK;
    }
    static kiln_status wr(void *c, const uint8_t a[20], const uint8_t k[32], const uint8_t v[32]) {
        auto *h = (TestHost *)c;
        h->slots[std::string((const char *)a, 20) + std::string((const char *)k, 32)] =
            std::string((const char *)v, 32);
        return KILN_OK;
    }
    static void dbg(void *c, const char *t, size_t n) { ((TestHost *)c)->debug.append(t, n); }
    kiln_vm_config cfg() {
        kiln_vm_config c;
        kiln_vm_config_init(&c);
        c.host.ctx = this;
        c.host.storage_read = rd;
        c.host.storage_write = wr;
        c.host.debug = dbg;
        return c;
    }
};

/* li a0..a3 = args; ecall num; then exit(a0). */
Asm call(uint32_t num, std::vector<uint32_t> args) {
    Asm a;
    for (size_t i = 0; i < args.size(); i++)
        a.li(a0 + (uint32_t)i, args[i]);
    a.sys(num);
    a.exit();
    return a;
}

std::vector<uint8_t> hex(const char *in) {
    std::string s = in;
    if (s.size() % 2) s = "0" + s;
    std::vector<uint8_t> v;
    for (size_t i = 0; i < s.size(); i += 2)
        v.push_back((uint8_t)std::stoul(s.substr(i, 2), nullptr, 16));
    return v;
}
} // namespace

TEST(VmSyscall, ExitCode) {
    VmRun r(call(93, {0xdeadbeef}));
    EXPECT_EQ(r.run(), KILN_OK);
    EXPECT_EQ(r.res.stop, KILN_VM_EXITED);
    EXPECT_EQ(r.res.exit_code, 0xdeadbeefu);
    EXPECT_EQ(r.res.cycles, 2u + 3u); /* li a0, li a7, ecall: the exit ecall counts */
}

TEST(VmSyscall, UnknownSyscallFaults) {
    VmRun r(call(12345, {}));
    EXPECT_EQ(r.run(), KILN_ERR_FAULT);
    EXPECT_EQ(r.res.stop, KILN_VM_FAULT_SYSCALL);
    EXPECT_NE(std::string(r.res.msg).find("12345"), std::string::npos) << r.res.msg;
    EXPECT_EQ(r.res.cycles, 2u); /* li a7 only; the faulting ecall is not counted */
}

TEST(VmSyscall, InputReadAndLength) {
    Asm a;
    a.sys(KILN_SYS_INPUT_LEN) << addi(s2, a0, 0);
    a.li(a0, kBuf).li(a1, 3).sys(KILN_SYS_INPUT_READ) << addi(s3, a0, 0);
    a.li(a0, kBuf + 3).li(a1, 100).sys(KILN_SYS_INPUT_READ) << addi(s1, a0, 0);
    a.li(a0, kBuf + 8).li(a1, 100).sys(KILN_SYS_INPUT_READ);
    a.exit();
    VmRun r(a);
    ASSERT_EQ(kiln_vm_set_input(r.vm, (const uint8_t *)"abcdefg", 7), KILN_OK);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.reg(s2), 7u);
    EXPECT_EQ(r.reg(s3), 3u);
    EXPECT_EQ(r.reg(s1), 4u);
    EXPECT_EQ(r.res.exit_code, 0u); /* at the end of the stream */
    char got[8] = {0};
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf, got, 7), KILN_OK);
    EXPECT_STREQ(got, "abcdefg");
}

TEST(VmSyscall, BadPointersFaultWithoutHostDamage) {
    struct Case {
        uint32_t num;
        std::vector<uint32_t> args;
    } cases[] = {
        {KILN_SYS_INPUT_READ, {0x10, 4}},              /* null page */
        {KILN_SYS_INPUT_READ, {0xfffffff0, 64}},       /* wraps the address space */
        {KILN_SYS_INPUT_READ, {0x10000, 4}},           /* read-only code */
        {KILN_SYS_COMMIT, {0x7fff0000 - 8, 0x100000}}, /* runs past the stack top */
        {KILN_SYS_COMMIT, {0xffffff00, 0x200}},
        {KILN_SYS_DEBUG, {0x20, 5}},
        {KILN_SYS_POSEIDON2, {0x10}},
        {KILN_SYS_KECCAKF, {KILN_VM_STACK_TOP - 100}}, /* 200 bytes from here cross the stack top */
        {KILN_SYS_U256_MULMOD, {kBuf, kBuf, kBuf, 0x40}},
        {KILN_SYS_U256_ADDMOD, {0x10000, kBuf, kBuf, kBuf + 32}},
        {KILN_SYS_STORAGE_READ, {0x30, kBuf}},
        {KILN_SYS_STORAGE_READ, {kBuf, 0x10000}},
        {KILN_SYS_STORAGE_WRITE, {kBuf, 0x40}},
        {KILN_SYS_CONTEXT, {0x10004}},
        {KILN_SYS_EVENT, {0x50, 1, kBuf, 4}},
        {KILN_SYS_L2L1_MESSAGE, {0xfffffffc, 8}},
        {KILN_SYS_FAR_CALL, {0x10, kBuf, 4, kBuf, 4, 0}},
    };
    for (const auto &c : cases) {
        TestHost h;
        kiln_vm_config cfg = h.cfg();
        VmRun r(call(c.num, c.args), &cfg);
        ASSERT_EQ(kiln_vm_set_input(r.vm, (const uint8_t *)"0123456789", 10), KILN_OK);
        /* a valid, nonzero modulus in the scratch page so only the pointer is wrong */
        uint8_t one[64] = {1};
        one[32] = 1;
        ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, one, sizeof one), KILN_OK);
        EXPECT_EQ(r.run(), KILN_ERR_FAULT) << std::hex << c.num;
        EXPECT_EQ(r.res.stop, KILN_VM_FAULT_ACCESS) << std::hex << c.num << " " << r.res.msg;
        EXPECT_NE(std::string(r.res.msg).find("syscall"), std::string::npos) << r.res.msg;
    }
}

TEST(VmSyscall, BadValuesFault) {
    struct Case {
        uint32_t num;
        std::vector<uint32_t> args;
    } cases[] = {
        {KILN_SYS_POSEIDON2, {kBuf + 2}}, /* misaligned state */
        {KILN_SYS_KECCAKF, {kBuf + 1}},
        {KILN_SYS_U256_MULMOD, {kBuf, kBuf, kBuf, kBuf + 2}},
        {KILN_SYS_U256_ADDMOD, {kBuf, kBuf, kBuf, kBuf + 64}}, /* zero modulus */
        {KILN_SYS_EVENT, {kBuf, 5, kBuf, 4}},                  /* 5 topics */
        {KILN_SYS_EVENT, {kBuf, 1, kBuf, 0x100000}},           /* 1 MiB of event data */
        {KILN_SYS_DEBUG, {kBuf, 0x20000}},
        {KILN_SYS_L2L1_MESSAGE, {kBuf, 0x20000}},
        {KILN_SYS_COMMIT, {kBuf, 0x2000000}},
        {KILN_SYS_FAR_CALL, {kBuf, kBuf, 0x2000000, kBuf, 0, 0}},
    };
    for (const auto &c : cases) {
        TestHost h;
        kiln_vm_config cfg = h.cfg();
        VmRun r(call(c.num, c.args), &cfg);
        EXPECT_EQ(r.run(), KILN_ERR_FAULT) << std::hex << c.num;
        EXPECT_EQ(r.res.stop, KILN_VM_FAULT_SYSCALL) << std::hex << c.num << " " << r.res.msg;
    }
    /* Non-canonical Goldilocks element in the Poseidon2 state. */
    VmRun r(call(KILN_SYS_POSEIDON2, {kBuf}));
    uint64_t st[12] = {0};
    st[5] = 0xffffffff00000001ull;
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, st, sizeof st), KILN_OK);
    EXPECT_EQ(r.run(), KILN_ERR_FAULT);
    EXPECT_NE(std::string(r.res.msg).find("canonical"), std::string::npos) << r.res.msg;
}

TEST(VmSyscall, CommitAndDebug) {
    TestHost h;
    kiln_vm_config cfg = h.cfg();
    Asm a;
    a.li(a0, kBuf).li(a1, 5).sys(KILN_SYS_COMMIT);
    a.li(a0, kBuf + 5).li(a1, 3).sys(KILN_SYS_COMMIT);
    a.li(a0, kBuf).li(a1, 8).sys(KILN_SYS_DEBUG);
    a.li(a0, 0).exit();
    VmRun r(a, &cfg);
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, "hello!!\n", 8), KILN_OK);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.output(), "hello!!\n");
    EXPECT_EQ(h.debug, "hello!!\n");
}

TEST(VmSyscall, Poseidon2KnownAnswer) {
    /* reference/poseidon2-goldilocks.md: permutation of 0, 1, ..., 11. */
    const uint64_t want[12] = {0x5d82c16b87f07f98, 0x3655af22bb2f037d, 0x82c1535dfb4bdf90,
                               0x4d318cfdafd2378e, 0xeb1268ea6a2a193d, 0x9c63e30e83c421f1,
                               0x3c92467548423cb5, 0xa35f46ad84b528d8, 0x78772d90dcdfc5a9,
                               0x9e40a5ac16fc1a22, 0xd9d4ef30b7fd161e, 0x65d6088403490555};
    VmRun r(call(KILN_SYS_POSEIDON2, {kBuf + 4}));
    uint64_t st[12];
    for (int i = 0; i < 12; i++)
        st[i] = (uint64_t)i;
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf + 4, st, sizeof st), KILN_OK);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf + 4, st, sizeof st), KILN_OK);
    for (int i = 0; i < 12; i++)
        EXPECT_EQ(st[i], want[i]) << i;
}

TEST(VmSyscall, KeccakFKnownAnswer) {
    /* Keccak-f[1600] of the all-zero state (Keccak team's KeccakF-1600 intermediate values), first lanes. */
    VmRun r(call(KILN_SYS_KECCAKF, {kBuf}));
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    uint64_t st[25];
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf, st, sizeof st), KILN_OK);
    EXPECT_EQ(st[0], 0xf1258f7940e1dde7ull);
    EXPECT_EQ(st[1], 0x84d5ccf933c0478aull);
    EXPECT_EQ(st[2], 0xd598261ea65aa9eeull);
}

TEST(VmSyscall, U256ModularArithmetic) {
    /* Values computed with Python's integers when this test was written. */
    const char *a_hex = "8f3b2e1d5c4a6978112233445566778899aabbccddeeff00123456789abcdef0";
    const char *b_hex = "fedcba9876543210f0e1d2c3b4a5968778695a4b3c2d1e0f0123456789abcdef";
    struct Case {
        const char *m, *add, *sub, *mul;
    } cases[] = {
        {"fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f",
         "8e17e8b5d29e9b89020406080a0c0e10121416181a1c1d0f13579be12468b0b0",
         "905e7384e5f6376720406080a0c0e10121416181a1c1e0f11111111011110d30",
         "b2aeb250b80a9d189271ec40e8aa271f9a757be549a0555d3ba10487d7a37618"},
        {"61", "3b", "15", "51"},
        {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
         "8e17e8b5d29e9b89020406080a0c0e10121416181a1c1d0f13579be02468ace0",
         "905e7384e5f6376720406080a0c0e10121416181a1c1e0f11111111111111100",
         "feb6b8e0b9999587a072dae192ba4f0918dda3af44a81dfedf6339c6b95fa675"},
        {"1000000000000000000000000", "1a1c1d0f13579be02468acdf", "a1c1e0f11111111111111101",
         "4ff3abddca5e20890f2a5210"},
    };
    auto le32 = [](const char *h) {
        std::vector<uint8_t> be = hex(h), le(32, 0);
        for (size_t i = 0; i < be.size(); i++)
            le[i] = be[be.size() - 1 - i];
        return le;
    };
    for (const auto &c : cases) {
        const uint32_t nums[3] = {KILN_SYS_U256_ADDMOD, KILN_SYS_U256_SUBMOD, KILN_SYS_U256_MULMOD};
        const char *want[3] = {c.add, c.sub, c.mul};
        for (int k = 0; k < 3; k++) {
            VmRun r(call(nums[k], {kBuf + 96, kBuf, kBuf + 32, kBuf + 64}));
            auto A = le32(a_hex), Bv = le32(b_hex), M = le32(c.m);
            ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, A.data(), 32), KILN_OK);
            ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf + 32, Bv.data(), 32), KILN_OK);
            ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf + 64, M.data(), 32), KILN_OK);
            ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
            std::vector<uint8_t> got(32);
            ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf + 96, got.data(), 32), KILN_OK);
            EXPECT_EQ(got, le32(want[k])) << c.m << " op " << k;
        }
    }
}

TEST(VmSyscall, StorageReadWriteAndContext) {
    TestHost h;
    kiln_vm_config cfg = h.cfg();
    cfg.self_address[19] = 0xaa;
    cfg.caller_address[0] = 0xcc;
    Asm a;
    a.li(a0, kBuf).li(a1, kBuf + 64).sys(KILN_SYS_STORAGE_READ);  /* unset slot: zeros */
    a.li(a0, kBuf).li(a1, kBuf + 32).sys(KILN_SYS_STORAGE_WRITE); /* slot = value */
    a.li(a0, kBuf).li(a1, kBuf + 96).sys(KILN_SYS_STORAGE_READ);  /* reads it back */
    a.li(a0, kBuf + 128).sys(KILN_SYS_CONTEXT);
    a.li(a0, 0).exit();
    VmRun r(a, &cfg);
    uint8_t init[128];
    for (int i = 0; i < 128; i++)
        init[i] = (uint8_t)(i + 1);
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, init, sizeof init), KILN_OK);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    uint8_t got[168];
    ASSERT_EQ(kiln_vm_read_mem(r.vm, kBuf, got, sizeof got), KILN_OK);
    for (int i = 0; i < 32; i++)
        EXPECT_EQ(got[64 + i], 0) << i;
    for (int i = 0; i < 32; i++)
        EXPECT_EQ(got[96 + i], (uint8_t)(33 + i)) << i;
    EXPECT_EQ(h.slots.size(), 1u);
    EXPECT_EQ(got[128 + 19], 0xaa);
    EXPECT_EQ(got[148], 0xcc);

    /* A host without writable storage, or whose read fails, faults the guest. */
    kiln_vm_config ro;
    kiln_vm_config_init(&ro);
    VmRun w(call(KILN_SYS_STORAGE_WRITE, {kBuf, kBuf}), &ro);
    EXPECT_EQ(w.run(), KILN_ERR_FAULT);
    EXPECT_EQ(w.res.stop, KILN_VM_FAULT_SYSCALL);
    TestHost bad;
    bad.fail_reads = 1;
    kiln_vm_config bc = bad.cfg();
    VmRun rb(call(KILN_SYS_STORAGE_READ, {kBuf, kBuf}), &bc);
    EXPECT_EQ(rb.run(), KILN_ERR_FAULT);
}

TEST(VmSyscall, EventsAndMessages) {
    TestHost h;
    kiln_vm_config cfg = h.cfg();
    cfg.self_address[0] = 0x11;
    Asm a;
    a.li(a0, kBuf).li(a1, 2).li(a2, kBuf + 64).li(a3, 3).sys(KILN_SYS_EVENT);
    a.li(a0, kBuf + 1).li(a1, 5).sys(KILN_SYS_L2L1_MESSAGE);
    a.li(a0, 0).exit();
    VmRun r(a, &cfg);
    uint8_t init[80];
    for (int i = 0; i < 80; i++)
        init[i] = (uint8_t)i;
    ASSERT_EQ(kiln_vm_write_mem(r.vm, kBuf, init, sizeof init), KILN_OK);
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    const kiln_vm_event *ev;
    size_t n;
    kiln_vm_events(r.vm, &ev, &n);
    ASSERT_EQ(n, 1u);
    EXPECT_EQ(ev[0].emitter[0], 0x11);
    EXPECT_EQ(ev[0].n_topics, 2u);
    EXPECT_EQ(ev[0].topics[1][0], 32);
    ASSERT_EQ(ev[0].len, 3u);
    EXPECT_EQ(ev[0].data[2], 66);
    const kiln_vm_message *m;
    kiln_vm_messages(r.vm, &m, &n);
    ASSERT_EQ(n, 1u);
    ASSERT_EQ(m[0].len, 5u);
    EXPECT_EQ(m[0].data[0], 1);
    EXPECT_EQ(m[0].sender[0], 0x11);
}

TEST(VmSyscall, FarCallWithoutCodeOrHost) {
    VmRun r(call(KILN_SYS_FAR_CALL, {kBuf, kBuf, 4, kBuf, 4, 0}));
    ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, KILN_VM_CALL_NO_CODE);
}

TEST(VmSyscall, GasIsChargedForSyscalls) {
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    kiln_vm_gas_schedule gs = kiln_vm_gas_default();
    gs.keccakf = 1000;
    cfg.gas = &gs;
    cfg.gas_limit = 500;
    VmRun r(call(KILN_SYS_KECCAKF, {kBuf}), &cfg);
    EXPECT_EQ(r.run(), KILN_ERR_LIMIT);
    EXPECT_EQ(r.res.stop, KILN_VM_LIMIT_GAS);
}

namespace {
const kiln_vm_program *g_callee;
kiln_status load_callee(void *, const uint8_t *, const kiln_vm_program **p) {
    *p = g_callee;
    return KILN_OK;
}
/* Touches `pages` stack pages below the top, then exits 0. */
Asm toucher(uint32_t pages) {
    Asm a;
    a.li(t0, KILN_VM_STACK_TOP);
    for (uint32_t i = 0; i < pages; i++)
        a << addi(t0, t0, -2048) << addi(t0, t0, -2048) << sw(t0, t0, 0);
    return a;
}
} // namespace

TEST(VmSyscall, MemoryCapCoversTheCallTree) {
    /* Callee: code page + 2 stack pages. */
    Asm callee = toucher(2);
    callee.li(a0, 0).exit();
    kiln_vm_program *cp = nullptr;
    ASSERT_EQ(kiln_vm_program_from_words(callee.w.data(), callee.w.size(), kBase, &cp), KILN_OK);
    g_callee = cp;
    for (uint64_t cap_pages : {7u, 6u}) {
        /* Caller: code page + 3 stack pages, then the call (its buffers sit in the touched pages). */
        Asm caller = toucher(3);
        caller.li(a0, KILN_VM_STACK_TOP - 64).li(a1, KILN_VM_STACK_TOP - 64).li(a2, 0);
        caller.li(a3, KILN_VM_STACK_TOP - 64).li(a4, 0).li(a5, 0).sys(KILN_SYS_FAR_CALL);
        caller.exit();
        kiln_vm_config cfg;
        kiln_vm_config_init(&cfg);
        cfg.memory_cap = cap_pages * KILN_VM_PAGE_SIZE;
        cfg.host.load_contract = load_callee;
        VmRun r(caller, &cfg);
        ASSERT_EQ(r.run(), KILN_OK) << r.res.msg;
        /* 4 + 3 pages fit in 7; in 6 the callee hits the shared cap and faults (not the caller). */
        EXPECT_EQ(r.res.exit_code, cap_pages == 7 ? KILN_VM_CALL_OK : KILN_VM_CALL_FAULT) << cap_pages;
    }
    kiln_vm_program_free(cp);
}
