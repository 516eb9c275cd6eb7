// End-to-end proofs of the Fibonacci AIR: completeness, determinism, wrong public inputs, broken witness.
#include <cstring>
#include <string>
#include <vector>

#include "kiln_test.h"
#include "examples/examples.h"
#include "prover.h"
#include "prove_helpers.h"

namespace {

struct Proof {
    std::vector<uint8_t> bytes;
};


}  // namespace

TEST(ProveFib, CompletesAndVerifies) {
    KilnBackend be(KILN_BACKEND_CPU);
    for (unsigned arity = 1; arity <= 3; arity++)
        for (unsigned log_n : {3u, 6u, 9u}) {
            kiln_example ex;
            ASSERT_EQ(kiln_example_build("fib", log_n, 1, &ex), KILN_OK);
            kiln_proof_config c;
            ASSERT_EQ(kiln_proof_config_preset("test", &c), KILN_OK);
            c.fri_log_arity = arity;
            kiln_proof_vk *vk = nullptr;
            ASSERT_EQ(kiln_proof_setup(be, ex.air, &c, &vk), KILN_OK);
            std::vector<uint8_t> b;
            std::string err;
            ASSERT_EQ(prove_example(be, vk, ex, b, false, &err), KILN_OK) << err;
            EXPECT_EQ(verify_example(vk, ex, b, &err), KILN_OK) << "arity " << arity << " log_n " << log_n << ": " << err;
            kiln_proof_vk_destroy(vk);
            kiln_example_free(&ex);
        }
}

class FibProof : public ::testing::Test {
  protected:
    KilnBackend be{KILN_BACKEND_CPU};
    kiln_example ex{};
    kiln_proof_vk *vk = nullptr;
    std::vector<uint8_t> proof;
    void SetUp() override {
        ASSERT_EQ(kiln_example_build("fib", 6, 1, &ex), KILN_OK);
        kiln_proof_config c;
        ASSERT_EQ(kiln_proof_config_preset("test", &c), KILN_OK);
        ASSERT_EQ(kiln_proof_setup(be, ex.air, &c, &vk), KILN_OK);
        std::string err;
        ASSERT_EQ(prove_example(be, vk, ex, proof, false, &err), KILN_OK) << err;
    }
    void TearDown() override {
        kiln_proof_vk_destroy(vk);
        kiln_example_free(&ex);
    }
};

TEST_F(FibProof, Deterministic) {
    std::vector<uint8_t> again;
    ASSERT_EQ(prove_example(be, vk, ex, again), KILN_OK);
    EXPECT_EQ(again, proof);
}

TEST_F(FibProof, EveryByteChangeIsRejected) {
    kiln_proof_info info;
    char err[256];
    ASSERT_EQ(kiln_proof_inspect(proof.data(), proof.size(), &info, err, sizeof err), KILN_OK) << err;
    size_t rejected = 0, tried = 0;
    for (size_t i = 0; i < proof.size(); i += (i < 200 ? 1 : 7)) {
        for (uint8_t flip : {0x01, 0x80}) {
            std::vector<uint8_t> b = proof;
            b[i] ^= flip;
            tried++;
            kiln_status st = verify_example(vk, ex, b);
            if (st != KILN_OK) rejected++;
            else ADD_FAILURE() << "byte " << i << " ^ " << int(flip) << " accepted";
        }
    }
    EXPECT_EQ(rejected, tried);
}

TEST_F(FibProof, WrongPublicInputsRejected) {
    for (size_t k = 0; k < 3; k++) {
        kiln_example bad = ex;
        bad.pub[k] = kiln_gl_add(bad.pub[k], 1);
        std::string err;
        EXPECT_EQ(verify_example(vk, bad, proof, &err), KILN_ERR_VERIFY) << k;
    }
}

TEST_F(FibProof, TruncatedAndExtendedRejected) {
    for (size_t n : {size_t(0), size_t(7), size_t(8), proof.size() / 2, proof.size() - 1}) {
        std::vector<uint8_t> b(proof.begin(), proof.begin() + n);
        EXPECT_EQ(verify_example(vk, ex, b), KILN_ERR_PARSE) << n;
    }
    std::vector<uint8_t> b = proof;
    b.push_back(0);
    EXPECT_EQ(verify_example(vk, ex, b), KILN_ERR_PARSE);
}

TEST_F(FibProof, BrokenWitnessCannotVerify) {
    size_t n = size_t(1) << ex.log_n[0];
    for (size_t row : {size_t(0), size_t(5), n - 1}) {
        std::vector<uint64_t> cols(ex.cols[0], ex.cols[0] + 2 * n);
        cols[n + row] = kiln_gl_add(cols[n + row], 1);  // b at one row
        kiln_example bad = ex;
        bad.traces[0].cols = cols.data();
        std::vector<uint8_t> b;
        std::string err;
        EXPECT_EQ(prove_example(be, vk, bad, b, false, &err), KILN_ERR_INVALID_ARG) << "the prover must notice: " << row;
        ASSERT_EQ(prove_example(be, vk, bad, b, true, &err), KILN_OK) << err;
        EXPECT_NE(verify_example(vk, ex, b, &err), KILN_OK) << "row " << row;
    }
}

TEST_F(FibProof, SecurityFloorRefused) {
    char msg[256];
    kiln_proof_prove_opts o{};
    o.min_bits = 100;
    o.err = msg;
    o.errlen = sizeof msg;
    uint8_t *p = nullptr;
    size_t n = 0;
    EXPECT_EQ(kiln_proof_prove(be, vk, ex.traces, 1, ex.pub, 3, &o, &p, &n), KILN_ERR_SECURITY);
    EXPECT_EQ(p, nullptr);
    EXPECT_EQ(kiln_proof_verify(vk, ex.pub, 3, proof.data(), proof.size(), 100, msg, sizeof msg), KILN_ERR_SECURITY);
}

TEST_F(FibProof, InfoDescribesTheProof) {
    kiln_proof_info info;
    char err[256];
    ASSERT_EQ(kiln_proof_inspect(proof.data(), proof.size(), &info, err, sizeof err), KILN_OK) << err;
    size_t sum = 0;
    for (size_t s : info.section_bytes) sum += s;
    EXPECT_EQ(sum, proof.size());
    EXPECT_EQ(info.total_bytes, proof.size());
    EXPECT_EQ(info.version, KILN_PROOF_VERSION);
    EXPECT_EQ(info.ntables, 1u);
    EXPECT_EQ(info.tables[0].log_n, 6u);
    EXPECT_EQ(info.tables[0].columns, 2u);
    EXPECT_EQ(info.tables[0].constraints, 5u);
    EXPECT_EQ(info.config.num_queries, 8u);
    EXPECT_DOUBLE_EQ(info.security.query, 8 * 2 + 2);
    // The header is 8 + 4 + 7*4 + 32 + 4 + 8 + 9*4 bytes.
    EXPECT_EQ(info.section_bytes[0], 120u);
}

TEST_F(FibProof, ProofForAnotherAirOrConfigRejected) {
    // Same proof against a key with another configuration, and against another AIR's key.
    kiln_proof_config c;
    ASSERT_EQ(kiln_proof_config_preset("test", &c), KILN_OK);
    c.num_queries = 9;
    kiln_proof_vk *vk2 = nullptr;
    ASSERT_EQ(kiln_proof_setup(be, ex.air, &c, &vk2), KILN_OK);
    char msg[256];
    EXPECT_EQ(kiln_proof_verify(vk2, ex.pub, 3, proof.data(), proof.size(), 0, msg, sizeof msg), KILN_ERR_VERIFY);
    kiln_proof_vk_destroy(vk2);
    kiln_example other;
    ASSERT_EQ(kiln_example_build("cpumem", 6, 0, &other), KILN_OK);
    ASSERT_EQ(kiln_proof_config_preset("test", &c), KILN_OK);
    ASSERT_EQ(kiln_proof_setup(be, other.air, &c, &vk2), KILN_OK);
    EXPECT_EQ(kiln_proof_verify(vk2, ex.pub, 1, proof.data(), proof.size(), 0, msg, sizeof msg), KILN_ERR_VERIFY);
    kiln_proof_vk_destroy(vk2);
    kiln_example_free(&other);
}
