// Main commitments made ahead of the proof (prover.h, kiln_proof_main_commit): a proof that starts from a
// handle has the same bytes as one that commits its main traces itself; the handle's digest is the main
// digest; a handle used with other inputs, or twice, is refused with a message.
#include <cstring>
#include <string>
#include <vector>

#include "kiln_test.h"
#include "examples/examples.h"
#include "prover.h"

namespace {

struct Proved {
    kiln_status st = KILN_ERR_INTERNAL;
    std::vector<uint8_t> bytes;
    std::string err;
};

Proved prove(kiln_backend *be, const kiln_proof_vk *vk, const kiln_example &ex,
             kiln_proof_main_commitment *h = nullptr) {
    Proved r;
    char msg[256] = "";
    kiln_proof_prove_opts o{};
    o.err = msg;
    o.errlen = sizeof msg;
    o.main_commit = h;
    uint8_t *p = nullptr;
    size_t n = 0;
    r.st = kiln_proof_prove(be, vk, ex.traces, ex.ntables, ex.pub, ex.npub, &o, &p, &n);
    r.err = msg;
    if (r.st == KILN_OK) r.bytes.assign(p, p + n);
    kiln_proof_free(p);
    return r;
}

kiln_proof_main_commitment *commit(kiln_backend *be, const kiln_proof_vk *vk, const kiln_example &ex,
                                   uint64_t d[4]) {
    kiln_proof_main_commitment *h = nullptr;
    char msg[256] = "";
    kiln_proof_prove_opts o{};
    o.err = msg;
    o.errlen = sizeof msg;
    EXPECT_EQ(kiln_proof_main_commit(be, vk, ex.traces, ex.ntables, ex.pub, ex.npub, &o, &h, d), KILN_OK) << msg;
    return h;
}

struct ExSetup {
    KilnBackend be{KILN_BACKEND_CPU};
    kiln_example ex{};
    kiln_proof_vk *vk = nullptr;
    ExSetup(const char *name, unsigned log_n, const char *cfg) {
        EXPECT_EQ(kiln_example_build(name, log_n, 1, &ex), KILN_OK) << name;
        kiln_proof_config c;
        EXPECT_EQ(kiln_proof_config_preset(cfg, &c), KILN_OK);
        EXPECT_EQ(kiln_proof_setup(be, ex.air, &c, &vk), KILN_OK);
    }
    ~ExSetup() {
        kiln_proof_vk_destroy(vk);
        kiln_example_free(&ex);
    }
};

class MainCommit : public ::testing::TestWithParam<const char *> {};

// Every example (local buses, preprocessed columns, several tables of different heights): same bytes, same
// digest, and the proof verifies.
TEST_P(MainCommit, SameBytesAsWithout) {
    ExSetup s(GetParam(), 6, "test");
    Proved plain = prove(s.be, s.vk, s.ex);
    ASSERT_EQ(plain.st, KILN_OK) << plain.err;
    uint64_t d[4], d2[4];
    kiln_proof_main_commitment *h = commit(s.be, s.vk, s.ex, d);
    ASSERT_NE(h, nullptr);
    EXPECT_GT(kiln_proof_main_commitment_bytes(h), 0u);
    ASSERT_EQ(kiln_proof_main_digest(s.be, s.vk, s.ex.traces, s.ex.ntables, s.ex.pub, s.ex.npub, nullptr, d2),
              KILN_OK);
    EXPECT_EQ(memcmp(d, d2, sizeof d), 0);
    Proved pre = prove(s.be, s.vk, s.ex, h);
    ASSERT_EQ(pre.st, KILN_OK) << pre.err;
    EXPECT_EQ(pre.bytes, plain.bytes);
    EXPECT_EQ(kiln_proof_main_commitment_bytes(h), 0u); // spent
    kiln_proof_main_commitment_free(h);

    // Shrunk (trees kept, LDEs redone at the proof): smaller, same bytes.
    h = commit(s.be, s.vk, s.ex, d2);
    ASSERT_NE(h, nullptr);
    size_t full = kiln_proof_main_commitment_bytes(h);
    kiln_proof_main_commitment_shrink(h);
    EXPECT_LT(kiln_proof_main_commitment_bytes(h), full);
    Proved shrunk = prove(s.be, s.vk, s.ex, h);
    ASSERT_EQ(shrunk.st, KILN_OK) << shrunk.err;
    EXPECT_EQ(shrunk.bytes, plain.bytes);
    kiln_proof_main_commitment_free(h);
    char err[256] = "";
    EXPECT_EQ(kiln_proof_verify(s.vk, s.ex.pub, s.ex.npub, pre.bytes.data(), pre.bytes.size(), 0, err, sizeof err),
              KILN_OK)
        << err;
}

INSTANTIATE_TEST_SUITE_P(Examples, MainCommit, ::testing::Values("fib", "range8", "cpumem", "poseidon2"));

TEST(MainCommitMisuse, RefusedWithAMessage) {
    ExSetup s("cpumem", 6, "test");
    uint64_t d[4];

    // Used twice: the second proof is refused.
    kiln_proof_main_commitment *h = commit(s.be, s.vk, s.ex, d);
    ASSERT_NE(h, nullptr);
    ASSERT_EQ(prove(s.be, s.vk, s.ex, h).st, KILN_OK);
    Proved again = prove(s.be, s.vk, s.ex, h);
    EXPECT_EQ(again.st, KILN_ERR_INVALID_ARG);
    EXPECT_NE(again.err.find("already used"), std::string::npos) << again.err;
    kiln_proof_main_commitment_free(h);

    // Other trace values: refused, and the handle stays usable for its own inputs.
    h = commit(s.be, s.vk, s.ex, d);
    ASSERT_NE(h, nullptr);
    kiln_example other = s.ex;
    std::vector<uint64_t> cols(s.ex.cols[0], s.ex.cols[0] + ((size_t)1 << s.ex.log_n[0]) * 4); // cpu: 4 columns
    cols[1] ^= 1;
    other.traces[0].cols = cols.data();
    Proved bad = prove(s.be, s.vk, other, h);
    EXPECT_EQ(bad.st, KILN_ERR_INVALID_ARG);
    EXPECT_NE(bad.err.find("another trace"), std::string::npos) << bad.err;

    // Other public inputs.
    kiln_example opub = s.ex;
    if (opub.npub) {
        opub.pub[0] = opub.pub[0] + 1;
        bad = prove(s.be, s.vk, opub, h);
        EXPECT_EQ(bad.st, KILN_ERR_INVALID_ARG);
        EXPECT_NE(bad.err.find("public inputs"), std::string::npos) << bad.err;
    }

    // Another key (same AIR, another configuration).
    kiln_proof_config c;
    ASSERT_EQ(kiln_proof_config_preset("fast", &c), KILN_OK);
    kiln_proof_vk *vk2 = nullptr;
    ASSERT_EQ(kiln_proof_setup(s.be, s.ex.air, &c, &vk2), KILN_OK);
    bad = prove(s.be, vk2, s.ex, h);
    EXPECT_EQ(bad.st, KILN_ERR_INVALID_ARG);
    EXPECT_NE(bad.err.find("another key"), std::string::npos) << bad.err;
    kiln_proof_vk_destroy(vk2);

    // Another backend.
    {
        KilnBackend be2(KILN_BACKEND_CPU);
        bad = prove(be2, s.vk, s.ex, h);
        EXPECT_EQ(bad.st, KILN_ERR_INVALID_ARG);
        EXPECT_NE(bad.err.find("another backend"), std::string::npos) << bad.err;
    }

    // After all that the handle still proves its own inputs, with the plain proof's bytes.
    Proved ok = prove(s.be, s.vk, s.ex, h);
    ASSERT_EQ(ok.st, KILN_OK) << ok.err;
    EXPECT_EQ(ok.bytes, prove(s.be, s.vk, s.ex).bytes);
    kiln_proof_main_commitment_free(h);

    // A handle freed without a proof, and plan_only refused.
    h = commit(s.be, s.vk, s.ex, d);
    kiln_proof_main_commitment_free(h);
    kiln_proof_main_commitment_free(nullptr);
    kiln_proof_prove_opts o{};
    o.plan_only = 1;
    h = nullptr;
    EXPECT_EQ(kiln_proof_main_commit(s.be, s.vk, s.ex.traces, s.ex.ntables, s.ex.pub, s.ex.npub, &o, &h, d),
              KILN_ERR_INVALID_ARG);
    EXPECT_EQ(h, nullptr);
}

} // namespace
