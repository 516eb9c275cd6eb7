// Optional tables (air.h): a proof may leave an optional table out, which is the same as proving the AIR
// without it; a non-optional table cannot be left out, and the verifier holds the proof to the tables it says
// it has.
#include <cstring>
#include <string>
#include <vector>

#include "kiln_test.h"
#include "prover.h"

namespace {

// "main" (v, send): sends v on bus 3 with multiplicity send; "sink" (optional; u, mult) receives u with
// -mult. Without the sink, only traces that send nothing balance.
struct OptAir {
    kiln_air *air = nullptr;
    OptAir() {
        EXPECT_EQ(kiln_air_create("optional-test", 0, &air), KILN_OK);
        kiln_air_table *t, *s;
        uint32_t idx;
        EXPECT_EQ(kiln_air_add_table(air, "main", &t), KILN_OK);
        EXPECT_EQ(kiln_air_add_main(t, "v", &idx), KILN_OK);
        EXPECT_EQ(kiln_air_add_main(t, "send", &idx), KILN_OK);
        kiln_expr v = kiln_air_main_col(t, 0, 0), m = kiln_air_main_col(t, 1, 0);
        EXPECT_EQ(kiln_air_constrain(t, KILN_AIR_EVERY, kiln_air_mul(t, m, kiln_air_sub(t, m, kiln_air_const(t, 1))),
                                     "send bool"),
                  KILN_OK);
        EXPECT_EQ(kiln_air_interact(t, 3, m, &v, 1), KILN_OK);
        EXPECT_EQ(kiln_air_add_table(air, "sink", &s), KILN_OK);
        EXPECT_EQ(kiln_air_add_main(s, "u", &idx), KILN_OK);
        EXPECT_EQ(kiln_air_add_main(s, "mult", &idx), KILN_OK);
        kiln_expr u = kiln_air_main_col(s, 0, 0), mu = kiln_air_main_col(s, 1, 0);
        EXPECT_EQ(kiln_air_constrain(s, KILN_AIR_EVERY, kiln_air_mul(s, mu, kiln_air_sub(s, mu, kiln_air_const(s, 1))),
                                     "mult bool"),
                  KILN_OK);
        EXPECT_EQ(kiln_air_interact(s, 3, kiln_air_neg(s, mu), &u, 1), KILN_OK);
        EXPECT_EQ(kiln_air_set_optional(s), KILN_OK);
        EXPECT_EQ(kiln_air_finalize(air), KILN_OK) << kiln_air_error(air);
    }
    ~OptAir() { kiln_air_destroy(air); }
};

class OptionalTables : public ::testing::Test {
  protected:
    KilnBackend be{KILN_BACKEND_CPU};
    OptAir g;
    kiln_proof_vk *vk = nullptr;
    std::string err;
    void SetUp() override {
        kiln_proof_config c;
        ASSERT_EQ(kiln_proof_config_preset("test", &c), KILN_OK);
        ASSERT_EQ(kiln_proof_setup(be, g.air, &c, &vk), KILN_OK);
    }
    void TearDown() override { kiln_proof_vk_destroy(vk); }
    // main: 8 rows v = 1..8, send = s; sink (when present): the same values with mult = s.
    kiln_status prove(bool send, bool with_sink, std::vector<uint8_t> &out, bool force = false) {
        std::vector<uint64_t> mc(16), sc(16);
        for (int r = 0; r < 8; r++) {
            mc[r] = sc[r] = (uint64_t)r + 1;
            mc[8 + r] = sc[8 + r] = send;
        }
        kiln_proof_trace tr[2] = {{mc.data(), 3}, {with_sink ? sc.data() : nullptr, 3}};
        kiln_proof_prove_opts o{};
        o.allow_invalid_witness = force;
        char e[256] = "";
        o.err = e;
        o.errlen = sizeof e;
        uint8_t *p = nullptr;
        size_t len = 0;
        kiln_status st = kiln_proof_prove(be, vk, tr, 2, nullptr, 0, &o, &p, &len);
        err = e;
        if (st == KILN_OK) out.assign(p, p + len);
        kiln_proof_free(p);
        return st;
    }
    kiln_status verify(const std::vector<uint8_t> &b) {
        char e[256] = "";
        kiln_status st = kiln_proof_verify(vk, nullptr, 0, b.data(), b.size(), 0, e, sizeof e);
        err = e;
        return st;
    }
};

TEST_F(OptionalTables, LeftOutWhenUnused) {
    std::vector<uint8_t> with, without;
    ASSERT_EQ(prove(true, true, with), KILN_OK) << err;
    EXPECT_EQ(verify(with), KILN_OK) << err;
    ASSERT_EQ(prove(false, false, without), KILN_OK) << err;
    EXPECT_EQ(verify(without), KILN_OK) << err;
    EXPECT_LT(without.size(), with.size()); // one table fewer to commit and open
    kiln_proof_info info;
    char e[128];
    ASSERT_EQ(kiln_proof_inspect(without.data(), without.size(), &info, e, sizeof e), KILN_OK) << e;
    EXPECT_EQ(info.ntables, 1u);
}

TEST_F(OptionalTables, LeavingOutAReceiverCannotHideItsWork) {
    // main sends, the sink is left out: the bus cannot balance. The prover refuses; forced, the verifier rejects.
    std::vector<uint8_t> p;
    EXPECT_NE(prove(true, false, p), KILN_OK);
    ASSERT_EQ(prove(true, false, p, true), KILN_OK) << err;
    EXPECT_EQ(verify(p), KILN_ERR_VERIFY);
    EXPECT_NE(err.find("balance"), std::string::npos) << err;
}

TEST_F(OptionalTables, MandatoryTableCannotBeLeftOut) {
    std::vector<uint64_t> sc(16, 0);
    kiln_proof_trace tr[2] = {{nullptr, 3}, {sc.data(), 3}};
    kiln_proof_prove_opts o{};
    uint8_t *p = nullptr;
    size_t len = 0;
    EXPECT_EQ(kiln_proof_prove(be, vk, tr, 2, nullptr, 0, &o, &p, &len), KILN_ERR_INVALID_ARG);
    kiln_proof_free(p);
}

TEST_F(OptionalTables, PresentMaskIsBound) {
    // Rewriting the proof's table mask (to claim the mandatory table absent, or a table that does not exist)
    // is refused; the mask sits right after the table count in the header.
    std::vector<uint8_t> p;
    ASSERT_EQ(prove(false, false, p), KILN_OK) << err;
    const size_t off = 8 + 4 + 7 * 4 + 32 + 4;
    uint64_t mask;
    memcpy(&mask, p.data() + off, 8);
    ASSERT_EQ(mask, 1u);
    for (uint64_t bad : {2ull, 4ull}) {
        std::vector<uint8_t> q = p;
        memcpy(q.data() + off, &bad, 8);
        EXPECT_NE(verify(q), KILN_OK) << bad;
    }
}

TEST(OptionalTablesAir, PreprocessedTablesCannotBeOptional) {
    kiln_air *air = nullptr;
    ASSERT_EQ(kiln_air_create("bad-optional", 0, &air), KILN_OK);
    kiln_air_table *t;
    uint32_t idx;
    ASSERT_EQ(kiln_air_add_table(air, "t", &t), KILN_OK);
    ASSERT_EQ(kiln_air_add_main(t, "a", &idx), KILN_OK);
    ASSERT_EQ(kiln_air_set_preprocessed(t, 1, 3, [](void *, uint64_t *c, size_t, unsigned) { c[0] = 0; }, nullptr),
              KILN_OK);
    ASSERT_EQ(kiln_air_constrain(t, KILN_AIR_EVERY, kiln_air_main_col(t, 0, 0), "zero"), KILN_OK);
    ASSERT_EQ(kiln_air_set_optional(t), KILN_OK);
    EXPECT_EQ(kiln_air_finalize(air), KILN_ERR_INVALID_ARG);
    kiln_air_destroy(air);
}

} // namespace
