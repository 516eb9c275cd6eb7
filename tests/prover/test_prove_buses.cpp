// Multi-table proofs with LogUp buses: a range-check lookup into a preprocessed table with multiplicities,
// and a permutation between a "cpu" and a "memory" table of different heights.
#include <string>
#include <vector>

#include "kiln_test.h"
#include "examples/examples.h"
#include "prover.h"
#include "prove_helpers.h"

namespace {

struct BusSetup {
    KilnBackend be{KILN_BACKEND_CPU};
    kiln_example ex{};
    kiln_proof_vk *vk = nullptr;
    BusSetup(const char *name, unsigned log_n, const char *preset = "test") {
        EXPECT_EQ(kiln_example_build(name, log_n, 1, &ex), KILN_OK);
        kiln_proof_config c;
        EXPECT_EQ(kiln_proof_config_preset(preset, &c), KILN_OK);
        EXPECT_EQ(kiln_proof_setup(be, ex.air, &c, &vk), KILN_OK);
    }
    ~BusSetup() {
        kiln_proof_vk_destroy(vk);
        kiln_example_free(&ex);
    }
};

}  // namespace

TEST(ProveBuses, RangeCheckCompletes) {
    for (unsigned log_n : {4u, 8u, 11u}) {
        BusSetup s("range8", log_n);
        std::vector<uint8_t> b;
        std::string err;
        ASSERT_EQ(prove_example(s.be, s.vk, s.ex, b, false, &err), KILN_OK) << err;
        EXPECT_EQ(verify_example(s.vk, s.ex, b, &err), KILN_OK) << log_n << ": " << err;
    }
}

TEST(ProveBuses, RangeCheckRejectsOutOfRangeValue) {
    // Row 3 claims lo = 256 + 3 - 256... i.e. shifts 256 from hi to lo: the counter still adds up, but lo is out
    // of the 8-bit range, so no multiplicities can balance the bus.
    BusSetup s("range8", 9);
    size_t n = size_t(1) << 9;
    std::vector<uint64_t> c(s.ex.cols[0], s.ex.cols[0] + 2 * n);
    c[300] += 256;  // lo
    c[n + 300] -= 1; // hi
    kiln_example bad = s.ex;
    bad.traces[0].cols = c.data();
    std::vector<uint8_t> b;
    std::string err;
    EXPECT_NE(prove_example(s.be, s.vk, bad, b, false, &err), KILN_OK);
    ASSERT_EQ(prove_example(s.be, s.vk, bad, b, true, &err), KILN_OK) << err;
    EXPECT_EQ(verify_example(s.vk, s.ex, b, &err), KILN_ERR_VERIFY);
}

TEST(ProveBuses, WrongMultiplicityRejected) {
    BusSetup s("range8", 8);
    std::vector<uint64_t> m(s.ex.cols[1], s.ex.cols[1] + 256);
    m[17] = kiln_gl_add(m[17], 1);
    kiln_example bad = s.ex;
    bad.traces[1].cols = m.data();
    std::vector<uint8_t> b;
    std::string err;
    EXPECT_EQ(prove_example(s.be, s.vk, bad, b, false, &err), KILN_ERR_INVALID_ARG);
    ASSERT_EQ(prove_example(s.be, s.vk, bad, b, true, &err), KILN_OK) << err;
    EXPECT_EQ(verify_example(s.vk, s.ex, b, &err), KILN_ERR_VERIFY);
    EXPECT_NE(err.find("balance"), std::string::npos) << err;
}

TEST(ProveBuses, PermutationAcrossTablesCompletes) {
    for (unsigned log_n : {3u, 7u, 10u}) {
        BusSetup s("cpumem", log_n);
        std::vector<uint8_t> b;
        std::string err;
        ASSERT_EQ(prove_example(s.be, s.vk, s.ex, b, false, &err), KILN_OK) << err;
        EXPECT_EQ(verify_example(s.vk, s.ex, b, &err), KILN_OK) << log_n << ": " << err;
        kiln_example wrong = s.ex;
        wrong.pub[0] += 1;
        EXPECT_EQ(verify_example(s.vk, wrong, b, &err), KILN_ERR_VERIFY);
    }
}

TEST(ProveBuses, UnbalancedBusRejected) {
    BusSetup s("cpumem", 7);
    size_t n = size_t(1) << 7;
    std::vector<uint64_t> c(s.ex.cols[0], s.ex.cols[0] + 4 * n);
    c[3 * n + 9] = kiln_gl_add(c[3 * n + 9], 1);  // a read value that memory never held
    kiln_example bad = s.ex;
    bad.traces[0].cols = c.data();
    std::vector<uint8_t> b;
    std::string err;
    EXPECT_EQ(prove_example(s.be, s.vk, bad, b, false, &err), KILN_ERR_INVALID_ARG);
    ASSERT_EQ(prove_example(s.be, s.vk, bad, b, true, &err), KILN_OK) << err;
    EXPECT_EQ(verify_example(s.vk, s.ex, b, &err), KILN_ERR_VERIFY);
}

TEST(ProveBuses, SampledByteChangesRejected) {
    BusSetup s("cpumem", 6);
    std::vector<uint8_t> proof;
    std::string err;
    ASSERT_EQ(prove_example(s.be, s.vk, s.ex, proof, false, &err), KILN_OK) << err;
    for (size_t i = 0; i < proof.size(); i += 13) {
        std::vector<uint8_t> b = proof;
        b[i] ^= uint8_t(1u << (i % 8));
        EXPECT_NE(verify_example(s.vk, s.ex, b), KILN_OK) << "byte " << i;
    }
}

TEST(ProveBuses, KeccakTranscriptAndLargerBlowup) {
    // The l1 preset (Keccak, blowup 8, arity 8) with less grinding, so the test stays fast.
    KilnBackend be(KILN_BACKEND_CPU);
    kiln_example ex;
    ASSERT_EQ(kiln_example_build("cpumem", 8, 1, &ex), KILN_OK);
    kiln_proof_config c;
    ASSERT_EQ(kiln_proof_config_preset("l1", &c), KILN_OK);
    kiln_proof_security sec;
    ASSERT_EQ(kiln_proof_security_for_air(ex.air, &c, nullptr, &sec), KILN_OK);
    EXPECT_GE(sec.conjectured, 100.0);
    c.pow_bits = 4;
    kiln_proof_vk *vk = nullptr;
    ASSERT_EQ(kiln_proof_setup(be, ex.air, &c, &vk), KILN_OK);
    std::vector<uint8_t> b;
    std::string err;
    ASSERT_EQ(prove_example(be, vk, ex, b, false, &err), KILN_OK) << err;
    EXPECT_EQ(verify_example(vk, ex, b, &err), KILN_OK) << err;
    b[b.size() / 3] ^= 4;
    EXPECT_NE(verify_example(vk, ex, b, &err), KILN_OK);
    kiln_proof_vk_destroy(vk);
    kiln_example_free(&ex);
}
