/* Every syscall with good and bad arguments: a bad pointer or value is a guest fault with a message. */
#include "vm_asm.h"

using namespace rv;

namespace {
constexpr uint32_t kBuf = KILN_VM_STACK_TOP - 0x1000; /* a stack page the tests use as scratch */

struct TestHost {
    std::string debug;
    static void dbg(void *c, const char *t, size_t n) { ((TestHost *)c)->debug.append(t, n); }
    kiln_vm_config cfg() {
        kiln_vm_config c;
        kiln_vm_config_init(&c);
        c.host.ctx = this;
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
    /* 0x3000..0x3005 (once storage, context, far call, event and message) are unknown like any other. */
    for (uint32_t num = 0x3000; num <= 0x3005; num++) {
        TestHost h;
        kiln_vm_config cfg = h.cfg();
        VmRun u(call(num, {KILN_VM_STACK_TOP - 64, KILN_VM_STACK_TOP - 64}), &cfg);
        EXPECT_EQ(u.run(), KILN_ERR_FAULT) << num;
        EXPECT_EQ(u.res.stop, KILN_VM_FAULT_SYSCALL) << num;
        EXPECT_NE(std::string(u.res.msg).find("unknown syscall " + std::to_string(num)), std::string::npos)
            << u.res.msg;
    }
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
        {KILN_SYS_DEBUG, {kBuf, 0x20000}},
        {KILN_SYS_COMMIT, {kBuf, 0x2000000}},
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
