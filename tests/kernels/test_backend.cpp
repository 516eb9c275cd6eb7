// The kernel API's front: backend selection, buffers and argument checks (the same for both backends).
#include "kiln_test.h"

#include <cstring>

namespace {

TEST(Backend, KindParse) {
    kiln_backend_kind k;
    EXPECT_EQ(kiln_backend_kind_parse("cpu", &k), KILN_OK);
    EXPECT_EQ(k, KILN_BACKEND_CPU);
    EXPECT_EQ(kiln_backend_kind_parse("cuda", &k), KILN_OK);
    EXPECT_EQ(k, KILN_BACKEND_CUDA);
    EXPECT_EQ(kiln_backend_kind_parse("auto", &k), KILN_OK);
    EXPECT_EQ(k, KILN_BACKEND_AUTO);
    EXPECT_EQ(kiln_backend_kind_parse("tpu", &k), KILN_ERR_PARSE);
    EXPECT_EQ(kiln_backend_kind_parse("", &k), KILN_ERR_PARSE);
}

TEST(Backend, AutoPicksCudaOnlyWithAGpu) {
    KilnBackend be(KILN_BACKEND_AUTO);
    ASSERT_NE(be.be, nullptr);
    EXPECT_EQ(kiln_backend_kind_of(be), kiln_cuda_available() ? KILN_BACKEND_CUDA : KILN_BACKEND_CPU);
    EXPECT_GT(strlen(kiln_backend_describe(be)), 0u);
}

TEST(Backend, CudaWithoutGpuIsAClearError) {
    if (kiln_cuda_available()) GTEST_SKIP() << "a GPU is present";
    kiln_backend *be = reinterpret_cast<kiln_backend *>(1);
    EXPECT_EQ(kiln_backend_create(KILN_BACKEND_CUDA, &be), KILN_ERR_NO_DEVICE);
    EXPECT_EQ(be, nullptr);
}

void buffer_round_trip(kiln_backend_kind kind) {
    KilnBackend be(kind);
    ASSERT_NE(be.be, nullptr);
    KilnRng rng;
    auto v = rng.fields(1000);
    KilnBuf a(be, 1000), b(be, 1000);
    a.put(v);
    EXPECT_EQ(a.get(1000), v);
    ASSERT_EQ(kiln_buf_copy(b, 80, a, 0, 800), KILN_OK);  // words 10.. of b = words 0..99 of a
    auto w = b.get(100, 10);
    EXPECT_TRUE(std::equal(w.begin(), w.end(), v.begin()));
    ASSERT_EQ(kiln_buf_zero(a, 8, 16), KILN_OK);
    auto z = a.get(4);
    EXPECT_EQ(z[0], v[0]);
    EXPECT_EQ(z[1], 0u);
    EXPECT_EQ(z[2], 0u);
    EXPECT_EQ(z[3], v[3]);
    // Out-of-range accesses are errors with a message, not crashes.
    uint64_t x[2];
    EXPECT_EQ(kiln_buf_read(a, 7999, x, 2), KILN_ERR_INVALID_ARG);
    EXPECT_NE(std::string(kiln_backend_error(be)), "");
    EXPECT_EQ(kiln_buf_write(a, SIZE_MAX, x, 1), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_buf_copy(b, 0, a, 1, 8000), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_buf_zero(a, 8001, 0), KILN_ERR_INVALID_ARG);
}

TEST(Backend, CpuBuffersRoundTrip) { buffer_round_trip(KILN_BACKEND_CPU); }
TEST(Backend, CudaBuffersRoundTrip) {
    KILN_REQUIRE_GPU();
    buffer_round_trip(KILN_BACKEND_CUDA);
}

TEST(Backend, HostMemoryAccounting) {
    KilnBackend be(KILN_BACKEND_CPU);
    kiln_mem_stats s0, s1, s2;
    kiln_backend_mem_stats(be, &s0);
    {
        KilnBuf a(be, 1 << 16);
        kiln_backend_mem_stats(be, &s1);
        EXPECT_EQ(s1.host_in_use, s0.host_in_use + (8u << 16));
    }
    kiln_backend_mem_stats(be, &s2);
    EXPECT_EQ(s2.host_in_use, s0.host_in_use);
    EXPECT_GE(s2.host_peak, s0.host_in_use + (8u << 16));
}

TEST(Backend, KernelArgumentChecks) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnBackend other(KILN_BACKEND_CPU);
    KilnBuf a(be, 64), foreign(other, 64);
    // Sizes past the buffer, bad shifts, bad blowups, non-power-of-two trees, foreign buffers.
    EXPECT_EQ(kiln_ntt(be, a, 0, 1, 7, 0, 1, KILN_ORDER_NATURAL, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, a, 1, 1, 6, 0, 1, KILN_ORDER_NATURAL, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, a, 0, 1, 6, 0, 0, KILN_ORDER_NATURAL, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, a, 0, 1, 6, 0, KILN_GL_P, KILN_ORDER_NATURAL, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, a, 0, 1, 40, 0, 1, KILN_ORDER_NATURAL, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, foreign, 0, 1, 4, 0, 1, KILN_ORDER_NATURAL, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, a, 0, SIZE_MAX / 2, 4, 0, 1, KILN_ORDER_NATURAL, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_lde_from_coeffs(be, a, 0, a, 0, 1, 4, 5, 7, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_lde_from_coeffs(be, a, 0, a, 0, 1, 4, 0, 7, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_lde_from_coeffs(be, a, 0, a, 0, 1, 4, 3, 7, KILN_ORDER_NATURAL), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_build(be, KILN_HASHER_POSEIDON2, a, 6, 0), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_build(be, KILN_HASHER_POSEIDON2, a, 16, 0), KILN_ERR_INVALID_ARG);  // needs 31*4 words
    EXPECT_EQ(kiln_merkle_build(be, KILN_HASHER_POSEIDON2, a, 8, 4), KILN_ERR_INVALID_ARG);   // cap > leaves
    EXPECT_EQ(kiln_merkle_build(be, (kiln_hasher)9, a, 8, 0), KILN_ERR_INVALID_ARG);
    size_t idx = 8;
    uint64_t out[64];
    EXPECT_EQ(kiln_merkle_paths(be, a, 8, 0, &idx, 1, out), KILN_ERR_INVALID_ARG);
    kiln_matrix m = kiln_matrix_cols(a, 0, 8, 9);  // 72 words > 64
    EXPECT_EQ(kiln_hash_rows(be, KILN_HASHER_POSEIDON2, &m, a, 0), KILN_ERR_INVALID_ARG);
    m = kiln_matrix_cols(a, 0, 4, 4);
    size_t row = 4;
    EXPECT_EQ(kiln_gather_rows(be, &m, &row, 1, out), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_fri_fold(be, a, 0, a, 0, 5, 4, 7, kiln_gl2_make(1, 2)), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_fri_fold(be, a, 0, a, 0, 6, 1, 7, kiln_gl2_make(1, 2)), KILN_ERR_INVALID_ARG);  // 2*64 words
    EXPECT_EQ(kiln_fri_fold(be, a, 0, a, 0, 4, 1, 7, kiln_gl2_make(KILN_GL_P, 2)), KILN_ERR_INVALID_ARG);
    kiln_gl2 r[2];
    EXPECT_EQ(kiln_poly_eval_ext(be, a, 0, 33, 2, kiln_gl2_make(1, 1), r), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_batch_inverse(be, a, 60, 5), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_batch_inverse_ext(be, a, 0, 33), KILN_ERR_INVALID_ARG);
}

}  // namespace
