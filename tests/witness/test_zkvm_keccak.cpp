// The keccak precompile table: proofs of guests that call KILN_SYS_KECCAKF verify, their results match the
// kernel library's Keccak-f[1600] (an implementation independent of the table's witness), and corrupted
// permutation witnesses are rejected by the verifier.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "keccak/keccak.h"
#include "prover.h"
#include "vm.h"
#include "zkvm.h"
#include "zkvm_test_util.h"

namespace {

using namespace kiln_test;

class ZkvmKeccak : public ZkvmFixture {
  protected:
    // The honest prover's refusal message for a tampered witness.
    std::string strict_prove_err(Prog &g, kiln_zkvm_tamper tamper) {
        kiln_zkvm_witness w;
        kiln_zkvm_witness_opts o{};
        o.segment_log = 9;
        o.tamper = tamper;
        char err[256] = "";
        if (kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err) != KILN_OK)
            return std::string("witness: ") + err;
        kiln_proof_prove_opts po{};
        po.err = err;
        po.errlen = sizeof err;
        uint8_t *proof = nullptr;
        size_t plen = 0;
        kiln_status st = kiln_zkvm_prove_segment(be, g.vk, &w, &po, &proof, &plen);
        kiln_proof_free(proof);
        kiln_zkvm_witness_free(&w);
        return st == KILN_OK ? std::string("accepted") : std::string(err);
    }
};

TEST(ZkvmKeccakAir, TableIsDegreeThree) {
    // Any program: the keccak table does not depend on it.
    std::vector<uint8_t> elf;
#ifdef KILN_GUEST_DIR
    elf = read_elf("zk_keccak");
#endif
    if (elf.empty()) GTEST_SKIP() << "no guests";
    kiln_zkvm_program *p = nullptr;
    kiln_air *air = nullptr;
    char err[256] = "";
    ASSERT_EQ(kiln_zkvm_program_load(elf.data(), elf.size(), &p, err, sizeof err), KILN_OK) << err;
    ASSERT_EQ(kiln_zkvm_air_build(p, &air), KILN_OK);
    ASSERT_EQ(kiln_air_num_tables(air), (size_t)KILN_ZKVM_NTABLES);
    kiln_air_table *t = kiln_air_table_at(air, KILN_ZKVM_NTABLES - 1);
    EXPECT_STREQ(kiln_air_table_name(t), "keccak");
    EXPECT_LE(kiln_air_max_degree(t), 3u);
    EXPECT_EQ(kiln_air_num_main(t), 2704u);
    printf("keccak table: %zu main, %zu aux (extension) columns, %zu constraints, %zu interactions\n",
           kiln_air_num_main(t), kiln_air_num_aux(t), kiln_air_num_constraints(t), kiln_air_num_interactions(t));
    kiln_air_destroy(air);
    kiln_zkvm_program_free(p);
}

#ifdef KILN_GUEST_DIR
// Three chained calls on a stack state; the exit code (XOR of words 2..49) is recomputed with the kernel
// library's Keccak-f[1600].
TEST_F(ZkvmKeccak, PrecompileProofVerifies) {
    std::vector<uint8_t> elf = read_elf("zk_keccak");
    uint64_t st[25];
    for (uint64_t i = 0; i < 25; i++)
        st[i] = (i + 1) | (0x01010101 * i) << 32;
    for (int k = 0; k < 3; k++)
        kiln_keccak_f1600(st);
    uint32_t x = 0;
    for (int i = 1; i < 25; i++)
        x ^= (uint32_t)st[i] ^ (uint32_t)(st[i] >> 32);
    EXPECT_EQ(vm_run(elf, {}).code, x);
    Prog g;
    load(elf, g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 9, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, x);
    EXPECT_TRUE(kiln_zkvm_io_uncommitted(last_pub.data()));
}

// The C sample (guest runtime): commits Keccak-256 of its input, hashed through the precompile. The VM's
// output must be the kernel library's Keccak-256 of the input, and the proof's public I/O hashes the host
// library's hashes of the bytes the VM saw.
TEST_F(ZkvmKeccak, CompiledKeccakGuestProvesWithItsIoHashes) {
    std::vector<uint8_t> elf = read_elf("keccak");
    const char *msg = "hello keccak"; // one block (one permutation); the runtime's input hashing is per byte
    input.assign(msg, msg + strlen(msg));
    VmRun v = vm_run(elf, input);
    std::vector<uint8_t> h(32);
    kiln_keccak256(input.data(), input.size(), h.data());
    EXPECT_EQ(v.out, h);
    EXPECT_LE(v.cycles, 4096u);
    Prog g;
    load(elf, g);
    ASSERT_EQ(prove_verify(g, 12, KILN_ZKVM_TAMPER_NONE), KILN_OK) << last_err;
    uint64_t ih[4], oh[4];
    kiln_zkvm_input_hash(input.data(), input.size(), ih);
    kiln_zkvm_output_hash(v.out.data(), v.out.size(), oh);
    char err[256] = "";
    EXPECT_EQ(kiln_zkvm_check_io(last_pub.data(), ih, oh, err, sizeof err), KILN_OK) << err;
}

TEST_F(ZkvmKeccak, TamperedWitnessesAreRejected) {
    Prog g;
    load(read_elf("zk_keccak"), g);
    for (kiln_zkvm_tamper m :
         {KILN_ZKVM_TAMPER_KECCAK_OUTPUT, KILN_ZKVM_TAMPER_KECCAK_THETA, KILN_ZKVM_TAMPER_KECCAK_RC}) {
        EXPECT_EQ(prove_verify(g, 9, m), KILN_ERR_VERIFY) << "tamper " << (int)m;
        EXPECT_NE(last_err.find("table keccak"), std::string::npos)
            << "tamper " << (int)m << ": " << last_err;
        // The prover's own checks (bus balance first, then constraints) show what breaks: the buses still
        // balance (the memory argument follows the wrong output), only the keccak table's constraints fail.
        EXPECT_EQ(strict_prove_err(g, m), "keccak: the witness does not satisfy the constraints") << (int)m;
    }
}
#endif

} // namespace
