// The zkVM AIR slice: proofs of hand-written guests verify; corrupted witnesses (forced through the prover's
// test-only path) are rejected; runs outside the slice are refused with a message naming the problem.
#include <gtest/gtest.h>

#include <dirent.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "poseidon2/poseidon2.h"
#include "prover.h"
#include "vm.h"
#include "zkvm.h"
#include "zkvm_test_util.h"

namespace {

using namespace kiln_test;

class Zkvm : public ZkvmFixture {};

// A program from raw words wrapped in a minimal ELF is not needed: the VM's ELF loader is exercised through
// the guests; the decoder is checked against hand-encoded words here.
TEST(ZkvmDecode, NamesAndFields) {
    EXPECT_STREQ(kiln_zkvm_insn_name(0x02c5d5b3u), "divu"); // divu a1, a1, a2
    EXPECT_STREQ(kiln_zkvm_insn_name(0x00b50533u), "add");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x40b50533u), "sub");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x00000073u), "ecall");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x0005c503u), "lbu");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x00b57533u), "and");
    EXPECT_STREQ(kiln_zkvm_insn_name(0xfff54513u), "xori");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x40b55533u), "sra");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x40455513u), "srai");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x00b51123u), "sh");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x00050583u), "lb");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x02b50533u), "mul");   // mul a0, a0, a1
    EXPECT_STREQ(kiln_zkvm_insn_name(0x02b53533u), "mulhu"); // mulhu a0, a0, a1
    EXPECT_STREQ(kiln_zkvm_insn_name(0x02b56533u), "rem");   // rem a0, a0, a1
    EXPECT_STREQ(kiln_zkvm_insn_name(0x0ff0000fu), "fence"); // fence iorw, iorw
    EXPECT_STREQ(kiln_zkvm_insn_name(0x0000100fu), "fence.i");
    EXPECT_STREQ(kiln_zkvm_insn_name(0xc0002573u), "csr");   // csrr a0, cycle
}

TEST(ZkvmLoad, BadElfIsParseError) {
    uint8_t junk[64];
    memset(junk, 0x41, sizeof junk);
    kiln_zkvm_program *p = nullptr;
    char err[128] = "";
    EXPECT_EQ(kiln_zkvm_program_load(junk, sizeof junk, &p, err, sizeof err), KILN_ERR_PARSE);
    EXPECT_EQ(p, nullptr);
    EXPECT_NE(err[0], 0);
}

// Every file of the ELF fuzz corpus (valid, malformed and hostile) loads or is refused with a message; the
// valid ones build an AIR. ASan builds check the reads.
TEST(ZkvmLoad, ElfCorpusNeverCrashes) {
    DIR *d = opendir(KILN_ELF_CORPUS);
    ASSERT_NE(d, nullptr);
    int files = 0, ok = 0;
    while (struct dirent *e = readdir(d)) {
        if (e->d_name[0] == '.') continue;
        bool opened = false;
        std::vector<uint8_t> b = read_file(std::string(KILN_ELF_CORPUS) + "/" + e->d_name, &opened);
        if (!opened) continue;
        files++;
        kiln_zkvm_program *p = nullptr;
        char err[256] = "";
        kiln_status st = kiln_zkvm_program_load(b.data(), b.size(), &p, err, sizeof err);
        if (st == KILN_OK) {
            ok++;
            kiln_air *air = nullptr;
            EXPECT_EQ(kiln_zkvm_air_build(p, &air), KILN_OK) << e->d_name;
            kiln_air_destroy(air);
            kiln_zkvm_program_free(p);
        } else {
            EXPECT_NE(err[0], 0) << e->d_name;
            EXPECT_EQ(p, nullptr);
        }
    }
    closedir(d);
    EXPECT_GT(files, 5);
    EXPECT_GT(ok, 0);
}

#ifdef KILN_GUEST_DIR
// RISC-V M semantics computed with C int64 arithmetic (independent of the AIR and the VM).
uint32_t ref_m(const std::string &op, uint32_t ua, uint32_t ub) {
    int64_t a = (int32_t)ua, b = (int32_t)ub;
    if (op == "mul") return (uint32_t)(a * b);
    if (op == "mulh") return (uint32_t)((a * b) >> 32);
    if (op == "mulhsu") return (uint32_t)((a * (int64_t)ub) >> 32);
    if (op == "mulhu") return (uint32_t)(((uint64_t)ua * ub) >> 32);
    if (op == "div") return ub == 0 ? 0xffffffffu : (a == INT32_MIN && b == -1) ? ua : (uint32_t)(a / b);
    if (op == "divu") return ub == 0 ? 0xffffffffu : ua / ub;
    if (op == "rem") return ub == 0 ? ua : (a == INT32_MIN && b == -1) ? 0 : (uint32_t)(a % b);
    if (op == "remu") return ub == 0 ? ua : ua % ub;
    ADD_FAILURE() << op;
    return 0;
}

// The exit code of zk_muldiv: s0 = rotl(s0, 5) ^ result over the guest's cases, in order.
uint32_t muldiv_expected_exit() {
    struct C {
        const char *op;
        uint32_t a, b;
    };
    // The guest's CASE lines, then its tail: rs1 = rs2, rd = rs1 and a div/rem chain.
    static const C cases[] = {{"mul", 0x00000007u, 0x00000006u},    {"mul", 0xfffffffdu, 0x00000005u},
                              {"mul", 0xffffffffu, 0xffffffffu},    {"mul", 0x80000000u, 0x80000000u},
                              {"mul", 0x12345678u, 0x9abcdef0u},    {"mul", 0x00000000u, 0x00001234u},
                              {"mul", 0x80000000u, 0xffffffffu},    {"mulh", 0xffffffffu, 0xffffffffu},
                              {"mulh", 0x80000000u, 0x80000000u},   {"mulh", 0x80000000u, 0x7fffffffu},
                              {"mulh", 0x12345678u, 0x9abcdef0u},   {"mulh", 0xffffffffu, 0x00000001u},
                              {"mulh", 0x7fffffffu, 0x7fffffffu},   {"mulh", 0x00000000u, 0xffffffffu},
                              {"mulhsu", 0xffffffffu, 0xffffffffu}, {"mulhsu", 0x80000000u, 0xffffffffu},
                              {"mulhsu", 0x80000000u, 0x80000000u}, {"mulhsu", 0x7fffffffu, 0xffffffffu},
                              {"mulhsu", 0xfffffffbu, 0x00000003u}, {"mulhsu", 0x12345678u, 0x9abcdef0u},
                              {"mulhu", 0xffffffffu, 0xffffffffu},  {"mulhu", 0x80000000u, 0x80000000u},
                              {"mulhu", 0x80000000u, 0xffffffffu},  {"mulhu", 0x12345678u, 0x9abcdef0u},
                              {"mulhu", 0x00000000u, 0xffffffffu},  {"div", 0x00000064u, 0x00000007u},
                              {"div", 0xffffff9cu, 0x00000007u},    {"div", 0x00000064u, 0xfffffff9u},
                              {"div", 0xffffff9cu, 0xfffffff9u},    {"div", 0x00000007u, 0x00000000u},
                              {"div", 0xfffffff9u, 0x00000000u},    {"div", 0x80000000u, 0xffffffffu},
                              {"div", 0x80000000u, 0x00000001u},    {"div", 0x80000000u, 0x80000000u},
                              {"div", 0x00000005u, 0x80000000u},    {"div", 0xffffffffu, 0xffffffffu},
                              {"div", 0x00000005u, 0xffffffffu},    {"div", 0x00000000u, 0x00000005u},
                              {"div", 0x7fffffffu, 0x00000002u},    {"div", 0x80000000u, 0xfffffffeu},
                              {"div", 0xedcba988u, 0x00001234u},    {"divu", 0x00000064u, 0x00000007u},
                              {"divu", 0xffffffffu, 0x00000001u},   {"divu", 0xffffffffu, 0xffffffffu},
                              {"divu", 0x00000007u, 0x00000000u},   {"divu", 0x80000000u, 0x00000003u},
                              {"divu", 0x00000005u, 0x00000009u},   {"divu", 0xfffffffeu, 0xffffffffu},
                              {"divu", 0x9abcdef0u, 0x00001234u},   {"rem", 0x00000064u, 0x00000007u},
                              {"rem", 0xffffff9cu, 0x00000007u},    {"rem", 0x00000064u, 0xfffffff9u},
                              {"rem", 0xffffff9cu, 0xfffffff9u},    {"rem", 0x00000007u, 0x00000000u},
                              {"rem", 0xfffffff9u, 0x00000000u},    {"rem", 0x80000000u, 0xffffffffu},
                              {"rem", 0x80000000u, 0x00000003u},    {"rem", 0xffffffffu, 0x80000000u},
                              {"rem", 0x00000003u, 0xffffffffu},    {"rem", 0x80000000u, 0x80000000u},
                              {"rem", 0xedcba988u, 0x00001234u},    {"remu", 0x00000064u, 0x00000007u},
                              {"remu", 0x00000007u, 0x00000000u},   {"remu", 0xffffffffu, 0x00010000u},
                              {"remu", 0x80000000u, 0xffffffffu},   {"remu", 0x00000005u, 0x00000009u},
                              {"remu", 0xffffffffu, 0xffffffffu},   {"remu", 0x9abcdef0u, 0x00001234u},
                              {"mul", 0xfffffffdu, 0xfffffffdu},    {"mulh", 0xfffffffdu, 0xfffffffdu},
                              {"mulhu", 0x80000000u, 0x80000000u},  {"div", (uint32_t)-1000, 9u},
                              {"rem", (uint32_t)-111, 9u}};
    uint32_t s = 0x2545f491u;
    auto fold = [&s](uint32_t v) { s = ((s << 5) | (s >> 27)) ^ v; };
    for (const C &c : cases)
        fold(ref_m(c.op, c.a, c.b));
    fold(0);           // x0 after the M ops into x0
    fold(0x5a5a5a5au); // after the fence
    return s;
}

// The exit code of zk_muldiv_rand: xorshift32 operands, every M op on (a, b) and (a, b >> (a & 31)).
uint32_t muldiv_rand_expected_exit(int rounds) {
    static const char *const ops[] = {"mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
    uint32_t s = 0x2545f491u, x = 0x9e3779b9u;
    auto fold = [&s](uint32_t v) { s = ((s << 5) | (s >> 27)) ^ v; };
    auto next = [&x]() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    };
    for (int i = 0; i < rounds; i++) {
        uint32_t a = next(), b = next();
        for (uint32_t bb : {b, b >> (a & 31)})
            for (const char *op : ops)
                fold(ref_m(op, a, bb));
    }
    return s;
}

TEST_F(Zkvm, LoopProofVerifies) {
    Prog g;
    load(read_elf("zk_loop"), g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 9, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK);
    EXPECT_EQ(code, 42u); // independent: the guest computes 1240 - 1240 + 42
}

TEST_F(Zkvm, LoopProofVerifiesAtLargerSegment) {
    Prog g;
    load(read_elf("zk_loop"), g);
    EXPECT_EQ(prove_verify(g, 10, KILN_ZKVM_TAMPER_NONE), KILN_OK);
}

TEST_F(Zkvm, TamperedWitnessesAreRejected) {
    Prog g;
    load(read_elf("zk_loop"), g);
    const kiln_zkvm_tamper modes[] = {KILN_ZKVM_TAMPER_ALU,    KILN_ZKVM_TAMPER_MEMORY,
                                      KILN_ZKVM_TAMPER_BRANCH, KILN_ZKVM_TAMPER_X0,
                                      KILN_ZKVM_TAMPER_EXIT,   KILN_ZKVM_TAMPER_COMPARE};
    for (kiln_zkvm_tamper m : modes) {
        EXPECT_EQ(prove_verify(g, 9, m), KILN_ERR_VERIFY) << "tamper " << (int)m;
        EXPECT_FALSE(last_err.empty()) << "tamper " << (int)m;
    }
}

// Bitwise ops (and/or/xor and their immediate forms) through the byte-wise AND lookup.
TEST_F(Zkvm, BitwiseProofVerifies) {
    Prog g;
    load(read_elf("zk_bits"), g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 6, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 77u); // every result matched its independently computed constant
}

TEST_F(Zkvm, TamperedBitwiseWitnessesAreRejected) {
    Prog g;
    load(read_elf("zk_bits"), g);
    // A wrong result with a consistently wrong AND byte, and operand "bytes" that are not bytes (x0 + 256,
    // x1 - 1: the limbs and the result still match, only the byte lookup catches it).
    for (kiln_zkvm_tamper m : {KILN_ZKVM_TAMPER_BITWISE, KILN_ZKVM_TAMPER_BYTES}) {
        EXPECT_EQ(prove_verify(g, 6, m), KILN_ERR_VERIFY) << "tamper " << (int)m;
        EXPECT_FALSE(last_err.empty()) << "tamper " << (int)m;
    }
}

// Shifts (register and immediate, logical and arithmetic) through the power-of-two table.
TEST_F(Zkvm, ShiftProofVerifies) {
    Prog g;
    load(read_elf("zk_shift"), g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 7, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 66u); // every result matched its independently computed constant
}

TEST_F(Zkvm, TamperedShiftWitnessIsRejected) {
    Prog g;
    load(read_elf("zk_shift"), g);
    EXPECT_EQ(prove_verify(g, 7, KILN_ZKVM_TAMPER_SHIFT), KILN_ERR_VERIFY);
    EXPECT_FALSE(last_err.empty());
}

// Byte and half loads and stores (every offset, sign extension) on the stack.
TEST_F(Zkvm, SubwordProofVerifies) {
    Prog g;
    load(read_elf("zk_bytes"), g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 7, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 55u); // every result matched its independently computed constant
}

TEST_F(Zkvm, TamperedSubwordWitnessesAreRejected) {
    Prog g;
    load(read_elf("zk_bytes"), g);
    // A wrong loaded byte/half, and a wrong word written by a byte/half store.
    for (kiln_zkvm_tamper m : {KILN_ZKVM_TAMPER_SUBWORD, KILN_ZKVM_TAMPER_STORE}) {
        EXPECT_EQ(prove_verify(g, 7, m), KILN_ERR_VERIFY) << "tamper " << (int)m;
        EXPECT_FALSE(last_err.empty()) << "tamper " << (int)m;
    }
}

TEST_F(Zkvm, ProofOfOneProgramIsNotAProofOfAnother) {
    Prog a, b;
    load(read_elf("zk_loop"), a);
    load(read_elf("zk_tiny"), b);
    EXPECT_EQ(prove_verify(b, 6, KILN_ZKVM_TAMPER_NONE), KILN_OK);
    // Presented with the other program's key and public values check.
    EXPECT_EQ(prove_verify(a, 9, KILN_ZKVM_TAMPER_NONE, nullptr, &b), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("another program"), std::string::npos) << last_err;
    // Even without the public-value check, the other program's key (its committed program table) rejects it.
    EXPECT_NE(prove_verify(a, 9, KILN_ZKVM_TAMPER_NONE, nullptr, &b, false), KILN_OK);
}

TEST_F(Zkvm, UnsupportedInstructionIsRefused) {
    // A CSR read is not RV32IM: the VM faults on it, and the refusal names it and its pc.
    Prog g;
    load(read_elf("zk_unsupported"), g);
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 6;
    char err[256] = "";
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_ERR_FAULT);
    EXPECT_NE(strstr(err, "'csr'"), nullptr) << err;
    EXPECT_NE(strstr(err, "at pc 0x"), nullptr) << err;
}

// The M extension (mul, mulh, mulhsu, mulhu, div, divu, rem, remu) through the muldiv table, and fence.
TEST_F(Zkvm, MulDivProofVerifies) {
    Prog g;
    load(read_elf("zk_muldiv"), g);
    for (unsigned seg : {10u, 11u}) {
        uint64_t code = 0;
        EXPECT_EQ(prove_verify(g, seg, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK)
            << "segment 2^" << seg << ": " << last_err;
        EXPECT_EQ(code, (uint64_t)muldiv_expected_exit()) << "segment 2^" << seg;
    }
}

// Every M op on 160 pseudo-random operand pairs (half of them with small divisors): the prover checks every
// muldiv constraint on each row, the exit code checks the results.
TEST_F(Zkvm, MulDivRandomProofVerifies) {
    Prog g;
    load(read_elf("zk_muldiv_rand"), g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 13, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, (uint64_t)muldiv_rand_expected_exit(80));
}

TEST_F(Zkvm, TamperedMulDivWitnessesAreRejected) {
    Prog g;
    load(read_elf("zk_muldiv"), g);
    // A wrong MUL low word, a wrong MULH high word, a DIVU quotient one less with the remainder one divisor
    // more (a = q b + r still holds: only the r < b bound catches it), a wrong REM, a DIV quotient one more
    // with a negative remainder for a positive dividend and a REM with a positive remainder for a negative
    // dividend (only the sign rules catch them), and a DIVU by zero with q = 0 (only the all-ones rule). Each
    // wrong result is carried into the register's final value, so the memory argument stays balanced.
    for (kiln_zkvm_tamper m :
         {KILN_ZKVM_TAMPER_MUL, KILN_ZKVM_TAMPER_MULH, KILN_ZKVM_TAMPER_DIV_BOUND, KILN_ZKVM_TAMPER_REM,
          KILN_ZKVM_TAMPER_DIV_SIGN, KILN_ZKVM_TAMPER_DIV_ZERO, KILN_ZKVM_TAMPER_REM_SIGN}) {
        EXPECT_EQ(prove_verify(g, 10, m), KILN_ERR_VERIFY) << "tamper " << (int)m;
        EXPECT_FALSE(last_err.empty()) << "tamper " << (int)m;
    }
}

TEST_F(Zkvm, SplitsRunsIntoSegments) {
    Prog g;
    std::vector<uint8_t> elf = read_elf("zk_loop");
    load(elf, g);
    // Independent cycle count: an untraced VM run.
    kiln_vm_program *vp = nullptr;
    char err[256] = "";
    ASSERT_EQ(kiln_vm_program_from_elf(elf.data(), elf.size(), &vp, err, sizeof err), KILN_OK);
    kiln_vm *vm = nullptr;
    ASSERT_EQ(kiln_vm_create(vp, nullptr, &vm), KILN_OK);
    kiln_vm_result r;
    ASSERT_EQ(kiln_vm_run(vm, &r), KILN_OK);
    ASSERT_EQ(r.stop, KILN_VM_EXITED);
    kiln_vm_free(vm);
    kiln_vm_program_free(vp);
    kiln_zkvm_segment *segs = nullptr;
    size_t ns = 0;
    ASSERT_EQ(kiln_zkvm_split(g.p, 6, 0, &segs, &ns, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(ns, (size_t)((r.cycles + 63) / 64));
    uint64_t total = 0;
    for (size_t i = 0; i < ns; i++) {
        EXPECT_EQ(segs[i].first_row, total);
        EXPECT_EQ(segs[i].rows, i + 1 < ns ? 64u : r.cycles - 64 * (ns - 1));
        total += segs[i].rows;
    }
    EXPECT_EQ(total, r.cycles);
    EXPECT_EQ(segs[0].start_pc, kiln_zkvm_program_entry(g.p));
    EXPECT_EQ(segs[ns - 1].end_pc, r.pc); // the exit ecall
    free(segs);
    EXPECT_EQ(kiln_zkvm_split(g.p, 3, 0, &segs, &ns, err, sizeof err), KILN_ERR_INVALID_ARG);
}

TEST_F(Zkvm, CompiledGuestProvesWithItsIoHashes) {
    // hello is C with the guest runtime: it commits "hello" and exits through kiln_exit, which hashes the
    // (empty) input and the output with the Poseidon2 precompile (heap, bss and stack buffers). The proof's
    // public hashes must equal the host library's hashes of the bytes the VM saw.
    Prog g;
    load(read_elf("hello"), g);
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 10;
    char err[256] = "";
    ASSERT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_OK) << err;
    uint64_t in_h[4], out_h[4];
    kiln_zkvm_input_hash(nullptr, 0, in_h);
    kiln_zkvm_output_hash((const uint8_t *)"hello", 5, out_h);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(w.pub[KILN_ZKVM_PUB_INPUT_HASH + i], in_h[i]) << i;
        EXPECT_EQ(w.pub[KILN_ZKVM_PUB_OUTPUT_HASH + i], out_h[i]) << i;
    }
    EXPECT_EQ(w.pub[KILN_ZKVM_PUB_EXIT_CODE], 0u);
    kiln_zkvm_witness_free(&w);
    uint64_t code = 1;
    EXPECT_EQ(prove_verify(g, 10, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 0u);
}

TEST_F(Zkvm, LongCompiledRunBuildsItsFirstSegment) {
    // factorial (57!, M ops, u256 arithmetic, decimal printing) needs more than one 2^16 segment: the
    // witness of segment 1 is built (no exit in it) and reports the count (test_zkvm_segments.cpp proves
    // multi-segment runs).
    Prog g;
    load(read_elf("factorial"), g);
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 16;
    char err[256] = "";
    ASSERT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_OK) << err;
    EXPECT_GE(w.nsegments, 2u);
    EXPECT_EQ(w.nsegments, (w.cycles + 65535) / 65536);
    EXPECT_EQ(w.pub[KILN_ZKVM_PUB_FIRST], 1u);
    EXPECT_EQ(w.pub[KILN_ZKVM_PUB_LAST], 0u);
    EXPECT_EQ(w.pub[KILN_ZKVM_PUB_SEGMENT], 1u);
    kiln_zkvm_witness_free(&w);
}

TEST_F(Zkvm, MultiSegmentRunNeedsTheChain) {
    // zk_loop at 2^4 rows: segment 1 of 19 alone is not a proof of the run (its global memory sends are not
    // received by any other proof).
    Prog g;
    load(read_elf("zk_loop"), g);
    EXPECT_EQ(prove_verify(g, 4, KILN_ZKVM_TAMPER_NONE), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("global memory bus"), std::string::npos) << last_err;
}

// The Poseidon2 precompile: three chained calls on a stack state. The exit code (XOR of the 24 output words)
// is recomputed here with the kernel library's permutation.
TEST_F(Zkvm, Poseidon2PrecompileProofVerifies) {
    std::vector<uint8_t> elf = read_elf("zk_p2");
    uint64_t st[12];
    for (uint64_t i = 0; i < 12; i++)
        st[i] = (i + 1) | (0x10001 * i) << 32;
    for (int k = 0; k < 3; k++)
        kiln_poseidon2_permute(st);
    uint32_t x = 0;
    for (int i = 0; i < 12; i++)
        x ^= (uint32_t)st[i] ^ (uint32_t)(st[i] >> 32);
    EXPECT_EQ(vm_run(elf, {}).code, x);
    Prog g;
    load(elf, g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 8, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, x);
    EXPECT_TRUE(kiln_zkvm_io_uncommitted(last_pub.data())); // never calls io_digest
}

TEST_F(Zkvm, TamperedPoseidon2WitnessesAreRejected) {
    Prog g;
    load(read_elf("zk_p2"), g);
    // A wrong output word (limbs still canonical; the last call's, with the ram table's final value following
    // it, so only the permutation constraint can catch it) and a wrong intermediate S-box value.
    for (kiln_zkvm_tamper m : {KILN_ZKVM_TAMPER_P2_OUTPUT, KILN_ZKVM_TAMPER_P2_ROUND}) {
        EXPECT_EQ(prove_verify(g, 8, m), KILN_ERR_VERIFY) << "tamper " << (int)m;
        EXPECT_NE(last_err.find("table poseidon2"), std::string::npos) << "tamper " << (int)m << ": " << last_err;
    }
}

// I/O: the guest reads its input, commits 8 bytes and publishes the input and output hashes (computed in the
// guest with the precompile) with io_digest. The public values must equal the host library's hashes of the
// input and of the VM's committed output, and the output must be (sum of the words read, byte count). With 22
// bytes the last word read keeps its two 0xff bytes (the VM writes only the bytes read).
TEST_F(Zkvm, IoProofPublishesInputAndOutputHashes) {
    std::vector<uint8_t> elf = read_elf("zk_io");
    Prog g;
    load(elf, g);
    for (size_t len : {22u, 0u, 24u}) {
        input.clear();
        for (size_t i = 0; i < len; i++)
            input.push_back((uint8_t)(0x91 + 37 * i));
        uint32_t sum = 0; // the buffer's bytes past the input keep their 0xff in the last word read
        for (size_t i = 0; i < (len + 3) / 4 * 4; i++)
            sum += (uint32_t)(i < len ? input[i] : 0xff) << (8 * (i % 4));
        VmRun v = vm_run(elf, input);
        EXPECT_EQ(v.code, sum) << len;
        std::vector<uint8_t> out(8, 0); // the sum, then the byte count, little-endian
        for (int i = 0; i < 4; i++)
            out[i] = (uint8_t)(sum >> (8 * i));
        out[4] = (uint8_t)len;
        EXPECT_EQ(v.out, out) << len;
        uint64_t code = 0;
        ASSERT_EQ(prove_verify(g, 9, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << len << ": " << last_err;
        EXPECT_EQ(code, sum);
        uint64_t ih[4], oh[4];
        kiln_zkvm_input_hash(input.data(), input.size(), ih);
        kiln_zkvm_output_hash(out.data(), out.size(), oh);
        EXPECT_EQ(memcmp(&last_pub[KILN_ZKVM_PUB_INPUT_HASH], ih, 32), 0) << len;
        EXPECT_EQ(memcmp(&last_pub[KILN_ZKVM_PUB_OUTPUT_HASH], oh, 32), 0) << len;
        char err[256] = "";
        EXPECT_EQ(kiln_zkvm_check_io(last_pub.data(), ih, oh, err, sizeof err), KILN_OK) << err;
        ih[0] ^= 1;
        EXPECT_EQ(kiln_zkvm_check_io(last_pub.data(), ih, nullptr, err, sizeof err), KILN_ERR_VERIFY);
        EXPECT_EQ(kiln_zkvm_check_io(last_pub.data(), nullptr, ih, err, sizeof err), KILN_ERR_VERIFY);
    }
}

TEST_F(Zkvm, TamperedIoWitnessesAreRejected) {
    Prog g;
    load(read_elf("zk_io"), g);
    input = {1, 2, 3, 4, 5, 6, 7};
    // A wrong public output-hash element; a wrong digest word read by io_digest (the public value matching
    // it, so only the memory argument can catch it). And a byte past the read count overwritten in the last
    // word read (the VM keeps it).
    for (kiln_zkvm_tamper m :
         {KILN_ZKVM_TAMPER_PUB_OUTPUT, KILN_ZKVM_TAMPER_EXIT_DIGEST, KILN_ZKVM_TAMPER_IO_TAIL}) {
        EXPECT_EQ(prove_verify(g, 9, m), KILN_ERR_VERIFY) << "tamper " << (int)m;
        EXPECT_FALSE(last_err.empty()) << "tamper " << (int)m;
    }
}

// input_read writes only the bytes it reads: with 5 bytes into two 0xff-filled words the second word keeps its
// top three bytes. A witness that overwrites one of them (the ram table's final value following it, so the
// memory argument balances) is caught by the io table's tail constraint.
TEST_F(Zkvm, InputReadKeepsTheBytesPastItsCount) {
    Prog g;
    load(read_elf("zk_iotail"), g);
    input = {'h', 'e', 'l', 'l', 'o', '!'};
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 5, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 5u); // a1 = 5 bytes of the 6 available
    EXPECT_EQ(prove_verify(g, 5, KILN_ZKVM_TAMPER_IO_TAIL), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("table io"), std::string::npos) << last_err;
}

// A bare guest (no io_digest call) publishes all-zero hashes; a verifier expecting I/O refuses it.
TEST_F(Zkvm, UncommittedProofIsRefusedWhenIoIsExpected) {
    Prog g;
    load(read_elf("zk_tiny"), g);
    ASSERT_EQ(prove_verify(g, 6, KILN_ZKVM_TAMPER_NONE), KILN_OK);
    EXPECT_TRUE(kiln_zkvm_io_uncommitted(last_pub.data()));
    uint64_t h[4];
    kiln_zkvm_input_hash(nullptr, 0, h);
    char err[256] = "";
    EXPECT_EQ(kiln_zkvm_check_io(last_pub.data(), nullptr, nullptr, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_zkvm_check_io(last_pub.data(), h, nullptr, err, sizeof err), KILN_ERR_VERIFY);
    EXPECT_NE(strstr(err, "does not commit"), nullptr) << err;
    EXPECT_EQ(kiln_zkvm_check_io(last_pub.data(), nullptr, h, err, sizeof err), KILN_ERR_VERIFY);
}

TEST_F(Zkvm, UnknownSyscallIsRefused) {
    Prog g;
    load(read_elf("zk_sysbad"), g);
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 6;
    char err[256] = "";
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_ERR_FAULT);
    EXPECT_NE(strstr(err, "unknown syscall 12288 (a7)"), nullptr) << err;
    EXPECT_NE(strstr(err, "at pc 0x"), nullptr) << err;
}
#endif

} // namespace
