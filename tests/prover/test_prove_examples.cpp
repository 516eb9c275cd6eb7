// Completeness of every example AIR at several sizes and configurations, plus the Poseidon2 chain's
// soundness checks (its public output comes from the kernel library's permutation, so a wrong round in the
// AIR could not prove).
#include <string>
#include <vector>

#include "kiln_test.h"
#include "examples/examples.h"
#include "prover.h"

namespace {

struct ExRun {
    kiln_status prove_st = KILN_ERR_INTERNAL, verify_st = KILN_ERR_INTERNAL;
    std::vector<uint8_t> proof;
    std::string err;
};

ExRun run(const char *name, unsigned log_n, const kiln_proof_config &c, void (*mutate)(kiln_example &, std::vector<uint64_t> &) = nullptr,
        bool allow_invalid = false) {
    ExRun r;
    KilnBackend be(KILN_BACKEND_CPU);
    kiln_example ex;
    EXPECT_EQ(kiln_example_build(name, log_n, 1, &ex), KILN_OK) << name;
    kiln_proof_vk *vk = nullptr;
    EXPECT_EQ(kiln_proof_setup(be, ex.air, &c, &vk), KILN_OK);
    std::vector<uint64_t> copy;
    kiln_example used = ex;
    if (mutate) mutate(used, copy);
    char msg[256] = "";
    kiln_proof_prove_opts o{};
    o.allow_invalid_witness = allow_invalid;
    o.err = msg;
    o.errlen = sizeof msg;
    uint8_t *p = nullptr;
    size_t n = 0;
    r.prove_st = kiln_proof_prove(be, vk, used.traces, used.ntables, used.pub, used.npub, &o, &p, &n);
    r.err = msg;
    if (r.prove_st == KILN_OK) {
        r.proof.assign(p, p + n);
        r.verify_st = kiln_proof_verify(vk, ex.pub, ex.npub, p, n, 0, msg, sizeof msg);
        r.err = msg;
    }
    kiln_proof_free(p);
    kiln_proof_vk_destroy(vk);
    kiln_example_free(&ex);
    return r;
}

kiln_proof_config preset(const char *name) {
    kiln_proof_config c;
    EXPECT_EQ(kiln_proof_config_preset(name, &c), KILN_OK);
    return c;
}

}  // namespace

TEST(Examples, EveryExampleAtSeveralSizes) {
    struct Case {
        const char *name;
        unsigned sizes[3];
    } cases[] = {{"fib", {2, 5, 10}}, {"range8", {3, 6, 10}}, {"cpumem", {3, 5, 9}}, {"poseidon2", {3, 6, 9}},
                 {"wide", {3, 4, 6}}};
    for (auto &cs : cases)
        for (unsigned ln : cs.sizes) {
            ExRun r = run(cs.name, ln, preset("test"));
            EXPECT_EQ(r.prove_st, KILN_OK) << cs.name << " 2^" << ln << ": " << r.err;
            EXPECT_EQ(r.verify_st, KILN_OK) << cs.name << " 2^" << ln << ": " << r.err;
        }
}

TEST(Examples, ArityAndCapVariants) {
    for (unsigned arity = 1; arity <= 3; arity++)
        for (unsigned cap : {0u, 3u}) {
            kiln_proof_config c = preset("test");
            c.fri_log_arity = arity;
            c.cap_log = cap;
            c.log_final_len = arity == 2 ? 0 : 3;
            ExRun r = run("cpumem", 8, c);
            EXPECT_EQ(r.verify_st, KILN_OK) << arity << "/" << cap << ": " << r.err;
        }
}

TEST(Examples, Poseidon2BrokenRoundCannotVerify) {
    // Change one S-box helper cell in a partial-round row: the prover notices; forced, the verifier rejects.
    auto mutate = [](kiln_example &ex, std::vector<uint64_t> &copy) {
        size_t n = size_t(1) << ex.log_n[0];
        copy.assign(ex.cols[0], ex.cols[0] + 48 * n);
        copy[(12 + 5) * n + 8 + 2] = kiln_gl_add(copy[(12 + 5) * n + 8 + 2], 1);
        ex.traces[0].cols = copy.data();
    };
    ExRun strict = run("poseidon2", 6, preset("test"), mutate, false);
    EXPECT_EQ(strict.prove_st, KILN_ERR_INVALID_ARG);
    ExRun forced = run("poseidon2", 6, preset("test"), mutate, true);
    ASSERT_EQ(forced.prove_st, KILN_OK) << forced.err;
    EXPECT_EQ(forced.verify_st, KILN_ERR_VERIFY);
}

TEST(Examples, Poseidon2WrongOutputRejected) {
    auto mutate = [](kiln_example &ex, std::vector<uint64_t> &) { ex.pub[20] = kiln_gl_add(ex.pub[20], 1); };
    ExRun r = run("poseidon2", 5, preset("test"), mutate, true);
    ASSERT_EQ(r.prove_st, KILN_OK) << r.err;
    EXPECT_EQ(r.verify_st, KILN_ERR_VERIFY);  // verified against the honest public output
}

TEST(Examples, OutOfRangeHeightsRefused) {
    KilnBackend be(KILN_BACKEND_CPU);
    kiln_example ex;
    ASSERT_EQ(kiln_example_build("fib", 4, 1, &ex), KILN_OK);
    kiln_proof_config c = preset("test");
    kiln_proof_vk *vk = nullptr;
    ASSERT_EQ(kiln_proof_setup(be, ex.air, &c, &vk), KILN_OK);
    ex.traces[0].log_n = 1;
    uint8_t *p = nullptr;
    size_t n = 0;
    EXPECT_EQ(kiln_proof_prove(be, vk, ex.traces, 1, ex.pub, 3, nullptr, &p, &n), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_proof_prove(be, vk, ex.traces, 0, ex.pub, 3, nullptr, &p, &n), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_proof_prove(be, vk, ex.traces, 1, ex.pub, 2, nullptr, &p, &n), KILN_ERR_INVALID_ARG);
    kiln_proof_vk_destroy(vk);
    kiln_example_free(&ex);
}
