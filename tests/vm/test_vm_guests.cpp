/* Guests compiled from C and assembly by the guest toolchain, run end to end. Expected values are published
 * vectors (Keccak-256) or computed independently (57! with Python's integers). */
#include <fstream>
#include <iterator>
#include <map>

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
    std::map<std::string, const kiln_vm_program *> code;
    std::map<std::string, std::string> slots;
    std::string debug;
    static std::string A(const uint8_t a[20]) { return std::string((const char *)a, 20); }
    static kiln_status rd(void *c, const uint8_t a[20], const uint8_t k[32], uint8_t v[32]) {
        auto *w = (World *)c;
        auto it = w->slots.find(A(a) + std::string((const char *)k, 32));
        if (it == w->slots.end())
            memset(v, 0, 32);
        else
            memcpy(v, it->second.data(), 32);
        return KILN_OK;
    }
    static kiln_status wr(void *c, const uint8_t a[20], const uint8_t k[32], const uint8_t v[32]) {
        ((World *)c)->slots[A(a) + std::string((const char *)k, 32)] = std::string((const char *)v, 32);
        return KILN_OK;
    }
    static kiln_status load(void *c, const uint8_t a[20], const kiln_vm_program **p) {
        auto *w = (World *)c;
        auto it = w->code.find(A(a));
        *p = it == w->code.end() ? nullptr : it->second;
        return KILN_OK;
    }
    static void dbg(void *c, const char *t, size_t n) { ((World *)c)->debug.append(t, n); }
    kiln_vm_config cfg() {
        kiln_vm_config c;
        kiln_vm_config_init(&c);
        c.host = {this, rd, wr, load, dbg, nullptr};
        return c;
    }
    /* The 20-byte address 0x00..00NN. */
    static std::string addr(uint8_t last) {
        uint8_t a[20] = {0};
        a[19] = last;
        return A(a);
    }
    /* ping at 0x..01 calling pong at 0x..02, the set-up of the far-call tests. */
    void deploy_ping_pong(const kiln_vm_program *ping, const kiln_vm_program *pong) {
        code[addr(1)] = ping;
        code[addr(2)] = pong;
    }
    uint32_t slot0(uint8_t last) {
        uint8_t a[20] = {0};
        a[19] = last;
        auto it = slots.find(A(a) + std::string(32, '\0'));
        if (it == slots.end()) return 0;
        const uint8_t *v = (const uint8_t *)it->second.data();
        return (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
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

TEST(VmGuest, FarCallsBetweenTwoPrograms) {
    REQUIRE_GUESTS();
    Guest ping("ping"), pong("pong");
    World w;
    w.deploy_ping_pong(ping.prog, pong.prog);
    kiln_vm_config cfg = w.cfg();
    cfg.self_address[19] = 1;
    GuestRun r(ping, u32le(5), &cfg);
    ASSERT_EQ(r.st, KILN_OK) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 0u);
    EXPECT_EQ(r.out_hex(), "05000000");
    /* Slot 0 of each address holds the n its last frame saw: ping frames 5,3,1 and pong frames 4,2,0, the
     * innermost write of each last. */
    EXPECT_EQ(w.slot0(1), 1u);
    EXPECT_EQ(w.slot0(2), 0u);
    EXPECT_TRUE(w.slots.count(World::addr(2) + std::string(32, '\0')));
    const kiln_vm_message *m;
    size_t n;
    kiln_vm_messages(r.vm, &m, &n);
    EXPECT_EQ(n, 6u);
}

TEST(VmGuest, RevertedCallLeavesNoTrace) {
    REQUIRE_GUESTS();
    Guest ping("ping"), pong("pong");
    World w;
    w.code[World::addr(2)] = pong.prog; /* only the callee: ping itself runs as the top frame */
    kiln_vm_config cfg = w.cfg();
    cfg.self_address[19] = 1;
    GuestRun r(ping, u32le(0xdead), &cfg);
    ASSERT_EQ(r.st, KILN_OK) << r.res.msg;
    /* status REVERT (1) and the callee's 8-byte return data "reverted" */
    EXPECT_EQ(r.out_hex(), "0100000008000000");
    EXPECT_EQ(w.slot0(1), 0xdeadu); /* the caller's own write stays */
    EXPECT_EQ(w.slot0(2), 0u); /* the callee's write of 0xdead is undone (restored to its old value, zero) */
    size_t n;
    const kiln_vm_event *ev;
    kiln_vm_events(r.vm, &ev, &n);
    EXPECT_EQ(n, 0u);
}

TEST(VmGuest, CallDepthIsLimited) {
    REQUIRE_GUESTS();
    Guest ping("ping"), pong("pong");
    World w;
    w.deploy_ping_pong(ping.prog, pong.prog);
    kiln_vm_config cfg = w.cfg();
    GuestRun r(ping, u32le(200), &cfg);
    ASSERT_EQ(r.st, KILN_OK) << r.res.msg;
    /* the innermost frame gets KILN_VM_CALL_DEPTH and panics (exit 3); every caller sees a revert */
    EXPECT_EQ(r.res.exit_code, 3u);
    /* Only the top frame's own write stays (its address is zero); nested frames' writes were undone. */
    EXPECT_EQ(w.slot0(0), 200u);
    EXPECT_EQ(w.slot0(1), 0u);
    EXPECT_EQ(w.slot0(2), 0u);
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

TEST(VmGuest, FarCallsAreTracedInline) {
    REQUIRE_GUESTS();
    Guest ping("ping"), pong("pong");
    World w;
    w.deploy_ping_pong(ping.prog, pong.prog);
    kiln_vm_config cfg = w.cfg();
    cfg.self_address[19] = 1;
    kiln_vm *vm = nullptr;
    ASSERT_EQ(kiln_vm_create(ping.prog, &cfg, &vm), KILN_OK);
    std::string in = u32le(3);
    ASSERT_EQ(kiln_vm_set_input(vm, (const uint8_t *)in.data(), 4), KILN_OK);
    kiln_vm_trace *t = nullptr;
    ASSERT_EQ(kiln_vm_trace_create(64, &t), KILN_OK); /* small: the caller pauses, callees grow it */
    kiln_vm_set_trace(vm, t);
    kiln_vm_result r;
    uint64_t rows = 0, calls = 0, returns = 0, callee_rows_top = 0;
    for (;;) {
        ASSERT_EQ(kiln_vm_run(vm, &r), KILN_OK) << r.msg;
        for (uint64_t i = 0; i < t->n_syscalls; i++) {
            const kiln_vm_trace_syscall &s = t->syscalls[i];
            if (s.num == KILN_SYS_FAR_CALL) {
                calls++;
                /* the callee's first row is its entry point, right after the caller's ecall row */
                ASSERT_LT(s.row + 1, t->n_rows);
                EXPECT_EQ(t->rows[s.row].insn, 0x00000073u);
                EXPECT_EQ(t->rows[s.row + 1].pc, kiln_vm_program_entry(pong.prog));
            }
            if (s.num == (KILN_SYS_FAR_CALL | KILN_VM_TRACE_RETURN)) {
                returns++;
                EXPECT_EQ(s.ret[0], KILN_VM_CALL_OK);
                EXPECT_EQ(s.ret[1], 4u);
                callee_rows_top = s.callee_rows; /* the outermost return comes last */
            }
        }
        rows += t->n_rows;
        if (r.stop != KILN_VM_TRACE_FULL) break;
        kiln_vm_trace_clear(t);
    }
    EXPECT_EQ(r.stop, KILN_VM_EXITED);
    EXPECT_EQ(rows, r.cycles); /* every instruction of every frame has a row */
    EXPECT_EQ(calls, 3u);
    EXPECT_EQ(returns, 3u);
    EXPECT_GT(callee_rows_top, 0u);
    /* The untraced run agrees on cycles and output. */
    kiln_vm *plain = nullptr;
    ASSERT_EQ(kiln_vm_create(ping.prog, &cfg, &plain), KILN_OK);
    ASSERT_EQ(kiln_vm_set_input(plain, (const uint8_t *)in.data(), 4), KILN_OK);
    kiln_vm_result pr;
    ASSERT_EQ(kiln_vm_run(plain, &pr), KILN_OK);
    EXPECT_EQ(pr.cycles, r.cycles);
    kiln_vm_free(plain);
    kiln_vm_free(vm);
    kiln_vm_trace_free(t);
}
