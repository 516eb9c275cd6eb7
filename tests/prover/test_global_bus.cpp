// Global buses (prover.h): a bus split over two proofs balances only when the proofs' global sums add up to
// zero, with challenges drawn from both proofs' main commitments.
#include <cstring>
#include <string>
#include <vector>

#include "kiln_test.h"
#include "prover.h"

namespace {

// One table "seg" (v, send, recv): sends v with multiplicity `send` and receives v with `recv` on global bus 9;
// a local bus (1) sends and receives v from the same row, so it balances within each proof.
struct GlobalAir {
    kiln_air *air = nullptr;
    GlobalAir() {
        EXPECT_EQ(kiln_air_create("global-test", 1, &air), KILN_OK);
        kiln_air_table *t;
        uint32_t idx;
        EXPECT_EQ(kiln_air_add_table(air, "seg", &t), KILN_OK);
        for (const char *n : {"v", "send", "recv"})
            EXPECT_EQ(kiln_air_add_main(t, n, &idx), KILN_OK);
        kiln_expr v = kiln_air_main_col(t, 0, 0), s = kiln_air_main_col(t, 1, 0), r = kiln_air_main_col(t, 2, 0);
        kiln_expr one = kiln_air_const(t, 1);
        EXPECT_EQ(kiln_air_constrain(t, KILN_AIR_EVERY, kiln_air_mul(t, s, kiln_air_sub(t, s, one)), "send bool"),
                  KILN_OK);
        EXPECT_EQ(kiln_air_constrain(t, KILN_AIR_FIRST, kiln_air_sub(t, v, kiln_air_public(t, 0)), "first v"),
                  KILN_OK);
        EXPECT_EQ(kiln_air_interact_global(t, 9, s, &v, 1), KILN_OK);
        EXPECT_EQ(kiln_air_interact_global(t, 9, kiln_air_neg(t, r), &v, 1), KILN_OK);
        EXPECT_EQ(kiln_air_interact(t, 1, one, &v, 1), KILN_OK);
        EXPECT_EQ(kiln_air_interact(t, 1, kiln_air_neg(t, one), &v, 1), KILN_OK);
        EXPECT_EQ(kiln_air_finalize(air), KILN_OK) << kiln_air_error(air);
    }
    ~GlobalAir() { kiln_air_destroy(air); }
};

// Trace of 8 rows: values vals, every row sending (send = 1) or receiving (recv = 1).
std::vector<uint64_t> trace(const std::vector<uint64_t> &vals, bool send) {
    std::vector<uint64_t> c(3 * 8, 0);
    for (size_t r = 0; r < 8; r++) {
        c[r] = vals[r];
        c[8 + r] = send;
        c[16 + r] = !send;
    }
    return c;
}

class GlobalBus : public ::testing::Test {
  protected:
    KilnBackend be{KILN_BACKEND_CPU};
    GlobalAir g;
    kiln_proof_vk *vk = nullptr;
    void SetUp() override {
        kiln_proof_config c;
        ASSERT_EQ(kiln_proof_config_preset("test", &c), KILN_OK);
        ASSERT_EQ(kiln_proof_setup(be, g.air, &c, &vk), KILN_OK);
    }
    void TearDown() override { kiln_proof_vk_destroy(vk); }

    void digest(const std::vector<uint64_t> &cols, uint64_t pub, uint64_t out[4]) {
        kiln_proof_trace tr = {cols.data(), 3};
        ASSERT_EQ(kiln_proof_main_digest(be, vk, &tr, 1, &pub, 1, nullptr, out), KILN_OK);
    }
    kiln_status prove(const std::vector<uint64_t> &cols, uint64_t pub, const kiln_gl2 *chal, kiln_gl2 *sum,
                      std::vector<uint8_t> &out) {
        kiln_proof_trace tr = {cols.data(), 3};
        kiln_proof_prove_opts o{};
        o.global_challenges = chal;
        o.global_sum = sum;
        uint8_t *p = nullptr;
        size_t len = 0;
        kiln_status st = kiln_proof_prove(be, vk, &tr, 1, &pub, 1, &o, &p, &len);
        if (st == KILN_OK) out.assign(p, p + len);
        kiln_proof_free(p);
        return st;
    }
    // Both proofs of a split bus: digests, the shared challenges, then each proof with its global sum.
    void prove_both(const std::vector<uint64_t> &a, const std::vector<uint64_t> &b, uint64_t d[8], kiln_gl2 chal[2],
                    kiln_gl2 *sa, kiln_gl2 *sb, std::vector<uint8_t> &pa, std::vector<uint8_t> &pb) {
        digest(a, 5, d);
        digest(b, 5, d + 4);
        ASSERT_EQ(kiln_proof_global_challenges(KILN_HASHER_POSEIDON2, d, 2, chal), KILN_OK);
        ASSERT_EQ(prove(a, 5, chal, sa, pa), KILN_OK);
        ASSERT_EQ(prove(b, 5, chal, sb, pb), KILN_OK);
    }
};

TEST_F(GlobalBus, TwoProofsBalance) {
    std::vector<uint64_t> vals = {5, 11, 12, 13, 14, 15, 16, 17};
    auto a = trace(vals, true), b = trace(vals, false);
    uint64_t d[8];
    kiln_gl2 chal[2], sa, sb;
    std::vector<uint8_t> pa, pb;
    prove_both(a, b, d, chal, &sa, &sb, pa, pb);
    if (HasFatalFailure()) return;
    EXPECT_FALSE(kiln_gl2_is_zero(sa));
    EXPECT_TRUE(kiln_gl2_is_zero(kiln_gl2_add(sa, sb)));

    // The verifier's side: the digests from the proof bytes equal the prover's, and the sums it reports too.
    uint64_t pub = 5, dv[8];
    char err[256] = "";
    ASSERT_EQ(kiln_proof_main_digest_of(vk, &pub, 1, pa.data(), pa.size(), dv, err, sizeof err), KILN_OK) << err;
    ASSERT_EQ(kiln_proof_main_digest_of(vk, &pub, 1, pb.data(), pb.size(), dv + 4, err, sizeof err), KILN_OK);
    EXPECT_EQ(memcmp(d, dv, sizeof d), 0);
    kiln_gl2 va, vb;
    ASSERT_EQ(kiln_proof_verify_global(vk, &pub, 1, pa.data(), pa.size(), 0, chal, &va, err, sizeof err), KILN_OK)
        << err;
    ASSERT_EQ(kiln_proof_verify_global(vk, &pub, 1, pb.data(), pb.size(), 0, chal, &vb, err, sizeof err), KILN_OK)
        << err;
    EXPECT_TRUE(kiln_gl2_eq(va, sa));
    EXPECT_TRUE(kiln_gl2_is_zero(kiln_gl2_add(va, vb)));

    // Without the shared challenges the proof is refused; with other challenges it does not verify.
    EXPECT_EQ(kiln_proof_verify(vk, &pub, 1, pa.data(), pa.size(), 0, err, sizeof err), KILN_ERR_VERIFY);
    kiln_gl2 other[2];
    uint64_t swapped[8];
    memcpy(swapped, d + 4, 32);
    memcpy(swapped + 4, d, 32);
    ASSERT_EQ(kiln_proof_global_challenges(KILN_HASHER_POSEIDON2, swapped, 2, other), KILN_OK);
    EXPECT_EQ(kiln_proof_verify_global(vk, &pub, 1, pa.data(), pa.size(), 0, other, &va, err, sizeof err),
              KILN_ERR_VERIFY);
}

TEST_F(GlobalBus, MismatchedValuesDoNotAddUp) {
    // The second proof receives 18 where the first sent 17: each proof is valid on its own (its local bus
    // balances), but the global sums do not cancel.
    std::vector<uint64_t> vals = {5, 11, 12, 13, 14, 15, 16, 17}, other = vals;
    other[7] = 18;
    auto a = trace(vals, true), b = trace(other, false);
    uint64_t d[8];
    kiln_gl2 chal[2], sa, sb;
    std::vector<uint8_t> pa, pb;
    prove_both(a, b, d, chal, &sa, &sb, pa, pb);
    if (HasFatalFailure()) return;
    uint64_t pub = 5;
    char err[256] = "";
    kiln_gl2 va, vb;
    ASSERT_EQ(kiln_proof_verify_global(vk, &pub, 1, pa.data(), pa.size(), 0, chal, &va, err, sizeof err), KILN_OK);
    ASSERT_EQ(kiln_proof_verify_global(vk, &pub, 1, pb.data(), pb.size(), 0, chal, &vb, err, sizeof err), KILN_OK);
    EXPECT_FALSE(kiln_gl2_is_zero(kiln_gl2_add(va, vb)));
}

TEST_F(GlobalBus, ProverNeedsChallengesAndLocalBusesStillCheck) {
    std::vector<uint64_t> vals = {5, 1, 2, 3, 4, 5, 6, 7};
    auto a = trace(vals, true);
    std::vector<uint8_t> p;
    EXPECT_EQ(prove(a, 5, nullptr, nullptr, p), KILN_ERR_INVALID_ARG);
    // A broken local constraint (send = 2) is still caught by the prover's own checks.
    a[8 + 3] = 2;
    kiln_gl2 chal[2] = {kiln_gl2_make(3, 4), kiln_gl2_make(5, 6)};
    EXPECT_NE(prove(a, 5, chal, nullptr, p), KILN_OK);
}

TEST(GlobalBusAir, LayoutAndShape) {
    GlobalAir g;
    const kiln_air_table *t = kiln_air_table_at(g.air, 0);
    EXPECT_EQ(kiln_air_num_interactions(t), 4u);
    EXPECT_EQ(kiln_air_num_global(t), 2u);
    // One paired helper and a running sum per class.
    EXPECT_EQ(kiln_air_num_aux(t), 4u);
}

} // namespace
