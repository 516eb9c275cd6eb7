/* Guests compiled from C and assembly by the guest toolchain, run end to end. Expected values are published
 * vectors (Keccak-256) or computed independently (57! with Python's integers). */
#include <fstream>
#include <iterator>

#include "poseidon2/poseidon2.h"
#include "vm_asm.h"

#ifndef KILN_GUEST_DIR
#define KILN_GUEST_DIR ""
#endif

namespace {
std::vector<uint8_t> read_file(const std::string &p) {
    std::ifstream f(p, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

std::string hexs(const uint8_t *d, size_t n) {
    static const char *hx = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; i++) {
        s += hx[d[i] >> 4];
        s += hx[d[i] & 15];
    }
    return s;
}

struct Guest {
    kiln_vm_program *prog = nullptr;
    explicit Guest(const char *name) {
        if (!KILN_GUEST_DIR[0]) return;
        auto b = read_file(std::string(KILN_GUEST_DIR) + "/" + name + ".elf");
        char err[256] = {0};
        EXPECT_EQ(kiln_vm_program_from_elf(b.data(), b.size(), &prog, err, sizeof err), KILN_OK)
            << name << ": " << err;
    }
    ~Guest() { kiln_vm_program_free(prog); }
};

struct World {
    std::string debug;
    static void dbg(void *c, const char *t, size_t n) { ((World *)c)->debug.append(t, n); }
    kiln_vm_config cfg() {
        kiln_vm_config c;
        kiln_vm_config_init(&c);
        c.host.ctx = this;
        c.host.debug = dbg;
        return c;
    }
};

struct GuestRun {
    kiln_vm *vm = nullptr;
    kiln_vm_result res{};
    kiln_status st = KILN_ERR_INTERNAL;
    GuestRun(const Guest &g, const std::string &input, const kiln_vm_config *cfg = nullptr) {
        if (!g.prog) return;
        EXPECT_EQ(kiln_vm_create(g.prog, cfg, &vm), KILN_OK);
        EXPECT_EQ(kiln_vm_set_input(vm, (const uint8_t *)input.data(), input.size()), KILN_OK);
        st = kiln_vm_run(vm, &res);
    }
    ~GuestRun() { kiln_vm_free(vm); }
    std::string out_hex() const {
        const uint8_t *d;
        size_t n;
        kiln_vm_output(vm, &d, &n);
        return hexs(d, n);
    }
};

std::string u32le(uint32_t v) {
    return std::string((const char *)&v, 4);
}
} // namespace

#define REQUIRE_GUESTS()                                                                                     \
    do {                                                                                                     \
        if (!KILN_GUEST_DIR[0]) GTEST_SKIP() << "guests not built (no clang/ld.lld for riscv32)";            \
    } while (0)

TEST(VmGuest, HelloPrintsAndExitsZero) {
    REQUIRE_GUESTS();
    Guest g("hello");
    World w;
    kiln_vm_config cfg = w.cfg();
    GuestRun r(g, "", &cfg);
    ASSERT_EQ(r.st, KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.stop, KILN_VM_EXITED);
    EXPECT_EQ(r.res.exit_code, 0u);
    EXPECT_EQ(r.out_hex(), "68656c6c6f");
    EXPECT_EQ(w.debug, "hello from a kiln guest\n");
}

TEST(VmGuest, HandWrittenAssembly) {
    REQUIRE_GUESTS();
    Guest g("asm_sum");
    GuestRun r(g, "");
    ASSERT_EQ(r.st, KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 7u);
    EXPECT_EQ(r.out_hex(), "ba130000"); /* 5050 little-endian */
}

TEST(VmGuest, Keccak256PublishedVectors) {
    REQUIRE_GUESTS();
    for (const char *name : {"keccak", "keccak_sw"}) {
        Guest g(name);
        GuestRun e(g, "");
        ASSERT_EQ(e.st, KILN_OK) << e.res.msg;
        EXPECT_EQ(e.out_hex(), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470") << name;
        GuestRun abc(g, "abc");
        EXPECT_EQ(abc.out_hex(), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45") << name;
    }
}

TEST(VmGuest, KeccakPrecompileAgreesWithSoftwareAcrossBlocks) {
    REQUIRE_GUESTS();
    Guest pre("keccak"), sw("keccak_sw");
    for (size_t len : {135u, 136u, 137u, 500u}) {
        std::string in;
        for (size_t i = 0; i < len; i++)
            in += (char)(i * 7 + 3);
        GuestRun a(pre, in), b(sw, in);
        ASSERT_EQ(a.st, KILN_OK);
        ASSERT_EQ(b.st, KILN_OK);
        EXPECT_EQ(a.out_hex(), b.out_hex()) << len;
        EXPECT_EQ(a.out_hex().size(), 64u);
    }
}

TEST(VmGuest, U256Factorial) {
    REQUIRE_GUESTS();
    Guest g("factorial");
    World w;
    kiln_vm_config cfg = w.cfg();
    GuestRun r(g, "", &cfg); /* default n = 57 */
    ASSERT_EQ(r.st, KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 0u);
    /* 57! (Python: hex(math.factorial(57))) */
    EXPECT_EQ(r.out_hex(), "59996c6ef58409a71b05be0bada2445eb7c017d09442e7d158e0000000000000");
    EXPECT_EQ(w.debug, "40526919504877216755680601905432322134980384796226602145184481280000000000000\n");
    GuestRun five(g, u32le(5));
    EXPECT_EQ(five.out_hex(), std::string(62, '0') + "78");
    GuestRun over(g, u32le(58)); /* does not fit: the guest panics with 101 */
    EXPECT_EQ(over.res.stop, KILN_VM_EXITED);
    EXPECT_EQ(over.res.exit_code, 101u);
}

TEST(VmGuest, FaultingGuestStopsWithPcAndMessage) {
    REQUIRE_GUESTS();
    Guest g("fault");
    GuestRun r(g, "");
    EXPECT_EQ(r.st, KILN_ERR_FAULT);
    EXPECT_EQ(r.res.stop, KILN_VM_FAULT_ACCESS);
    EXPECT_GE(r.res.pc, 0x10000u);
    EXPECT_NE(std::string(r.res.msg).find("store fault at 0x00000000"), std::string::npos) << r.res.msg;
}

TEST(VmGuest, LibraryAbiAndPoseidon2) {
    REQUIRE_GUESTS();
    Guest g("abi_check");
    GuestRun r(g, "");
    ASSERT_EQ(r.st, KILN_OK) << r.res.msg;
    const uint8_t *d;
    size_t n;
    kiln_vm_output(r.vm, &d, &n);
    ASSERT_EQ(n, 105u);
    EXPECT_EQ(hexs(d, 4), "a9059cbb"); /* the ERC-20 transfer selector */
    EXPECT_EQ(hexs(d + 4, 68), "a9059cbb" + std::string(62, '0') + "ab" + std::string(61, '0') + "3e8");
    EXPECT_EQ(d[72], 1) << "the guest's ABI decoder self-checks failed";
    const uint64_t in[3] = {1, 2, 3};
    uint64_t want[4];
    kiln_poseidon2_hash_var(in, 3, want); /* the kernels' host implementation */
    EXPECT_EQ(0, memcmp(d + 73, want, 32));
}

TEST(VmGuest, MulmodPrecompileAgreesWithSoftware) {
    REQUIRE_GUESTS();
    Guest g("bench_mulmod");
    uint32_t sw[2] = {50, 0}, pre[2] = {50, 1};
    GuestRun a(g, std::string((const char *)sw, 8)), b(g, std::string((const char *)pre, 8));
    ASSERT_EQ(a.st, KILN_OK) << a.res.msg;
    ASSERT_EQ(b.st, KILN_OK) << b.res.msg;
    EXPECT_EQ(a.out_hex(), b.out_hex());
    EXPECT_GT(a.res.cycles, 10 * b.res.cycles);
}
