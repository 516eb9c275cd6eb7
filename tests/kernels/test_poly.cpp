// Polynomial evaluation at an extension point against Horner's rule, and batch inversion against per-element
// kiln_gl_inv / kiln_gl2_inv (zeros stay zero). Sizes straddle the CPU kernels' tile and block edges, and the
// thread count is forced above one so chunk boundaries are exercised. CUDA is compared with CPU.
#include "kiln_test.h"

#include "common/parallel.h"
#include "field/goldilocks_ext2.h"

namespace {

kiln_gl2 horner_base(const uint64_t *a, size_t n, kiln_gl2 z) {
    kiln_gl2 acc = kiln_gl2_make(0, 0);
    for (size_t i = n; i-- > 0;) acc = kiln_gl2_add(kiln_gl2_mul(acc, z), kiln_gl2_from_base(a[i]));
    return acc;
}

std::vector<kiln_gl2> eval(kiln_backend *be, const std::vector<uint64_t> &coeffs, size_t off, size_t n, size_t ncols,
                           kiln_gl2 z) {
    KilnBuf b(be, coeffs.size() + off);
    b.put(coeffs, off);
    std::vector<kiln_gl2> out(ncols, kiln_gl2_make(123, 456));
    EXPECT_EQ(kiln_poly_eval_ext(be, b, off, n, ncols, z, out.data()), KILN_OK) << kiln_backend_error(be);
    return out;
}

void expect_eq(const std::vector<kiln_gl2> &got, const std::vector<kiln_gl2> &want, const char *what) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t c = 0; c < got.size(); c++) ASSERT_TRUE(kiln_gl2_eq(got[c], want[c])) << what << " column " << c;
}

TEST(PolyEval, MatchesHornerAcrossTileAndColumnEdges) {
    ThreadsGuard threads(3);
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(21);
    const size_t sizes[][2] = {{1, 1}, {5, 3}, {4095, 2}, {4096, 33}, {4097, 1}, {10000, 5}, {64, 70}, {9000, 40}};
    for (auto &s : sizes) {
        size_t n = s[0], ncols = s[1];
        auto coeffs = rng.fields(n * ncols);
        kiln_gl2 z = rng.ext();
        std::vector<kiln_gl2> want(ncols);
        for (size_t c = 0; c < ncols; c++) want[c] = horner_base(coeffs.data() + c * n, n, z);
        expect_eq(eval(be, coeffs, 7, n, ncols, z), want, "random z");
    }
}

TEST(PolyEval, SpecialPointsAndEdgeValues) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(22);
    size_t n = 5000;
    // Coefficients p-1 maximise the 128-bit accumulators.
    std::vector<uint64_t> coeffs(2 * n, KILN_GL_P - 1);
    for (size_t i = n; i < 2 * n; i++) coeffs[i] = rng.field();
    // z = 0 gives a_0; z = 1 gives the sum of the coefficients; z = (p-1, p-1) stresses the extension product.
    uint64_t sum1 = 0;
    for (size_t i = n; i < 2 * n; i++) sum1 = kiln_gl_add(sum1, coeffs[i]);
    auto at0 = eval(be, coeffs, 0, n, 2, kiln_gl2_make(0, 0));
    EXPECT_TRUE(kiln_gl2_eq(at0[0], kiln_gl2_make(KILN_GL_P - 1, 0)));
    EXPECT_TRUE(kiln_gl2_eq(at0[1], kiln_gl2_make(coeffs[n], 0)));
    auto at1 = eval(be, coeffs, 0, n, 2, kiln_gl2_make(1, 0));
    EXPECT_TRUE(kiln_gl2_eq(at1[0], kiln_gl2_make(kiln_gl_mul(KILN_GL_P - 1, n % KILN_GL_P), 0)));
    EXPECT_TRUE(kiln_gl2_eq(at1[1], kiln_gl2_make(sum1, 0)));
    kiln_gl2 zmax = kiln_gl2_make(KILN_GL_P - 1, KILN_GL_P - 1);
    expect_eq(eval(be, coeffs, 0, n, 2, zmax),
              {horner_base(coeffs.data(), n, zmax), horner_base(coeffs.data() + n, n, zmax)}, "z = (p-1, p-1)");
}

TEST(PolyEval, EmptyPolynomialsAndBadArguments) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnBuf b(be, 16);
    kiln_gl2 out[2] = {kiln_gl2_make(5, 5), kiln_gl2_make(6, 6)};
    EXPECT_EQ(kiln_poly_eval_ext(be, b, 0, 0, 2, kiln_gl2_make(3, 0), out), KILN_OK);
    EXPECT_TRUE(kiln_gl2_is_zero(out[0]) && kiln_gl2_is_zero(out[1]));
    EXPECT_EQ(kiln_poly_eval_ext(be, b, 0, 9, 2, kiln_gl2_make(3, 0), out), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_poly_eval_ext(be, b, 0, 8, 2, kiln_gl2_make(KILN_GL_P, 0), out), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_poly_eval_ext(be, b, 0, 8, 2, kiln_gl2_make(3, 0), nullptr), KILN_ERR_INVALID_ARG);
}

// Random values with zeros sprinkled in (and at both ends).
std::vector<uint64_t> with_zeros(KilnRng &rng, size_t n) {
    auto v = rng.fields(n);
    for (size_t i = 0; i < n; i++)
        if (rng.next() % 7 == 0) v[i] = 0;
    if (n) v[0] = 0;
    if (n > 1) v[n - 1] = 0;
    return v;
}

std::vector<uint64_t> inverse(kiln_backend *be, const std::vector<uint64_t> &v, int ext, size_t off) {
    KilnBuf b(be, v.size() + off);
    b.put(v, off);
    size_t n = ext ? v.size() / 2 : v.size();
    EXPECT_EQ(ext ? kiln_batch_inverse_ext(be, b, off, n) : kiln_batch_inverse(be, b, off, n), KILN_OK)
        << kiln_backend_error(be);
    return b.get(v.size(), off);
}

const size_t kInvSizes[] = {0, 1, 2, 3, 1023, 1024, 1025, 2047, 2048, 2049, 8193, 50001};

TEST(BatchInverse, BaseMatchesPerElementInverse) {
    ThreadsGuard threads(3);
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(23);
    for (size_t n : kInvSizes) {
        auto v = with_zeros(rng, n);
        auto got = inverse(be, v, 0, 1);
        for (size_t i = 0; i < n; i++) ASSERT_EQ(got[i], kiln_gl_inv(v[i])) << "n " << n << " i " << i;
    }
    std::vector<uint64_t> zeros(5000, 0), edge = {1, KILN_GL_P - 1, 2, 0, KILN_GL_EPSILON};
    EXPECT_EQ(inverse(be, zeros, 0, 0), zeros);
    auto ge = inverse(be, edge, 0, 0);
    for (size_t i = 0; i < edge.size(); i++) EXPECT_EQ(ge[i], kiln_gl_inv(edge[i])) << i;
    EXPECT_EQ(ge[1], KILN_GL_P - 1);  // (-1)^-1 = -1
}

TEST(BatchInverse, ExtensionMatchesPerElementInverse) {
    ThreadsGuard threads(3);
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(24);
    for (size_t n : kInvSizes) {
        auto v = rng.fields(2 * n);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = rng.next() % 9;
            if (r == 0) v[2 * i] = v[2 * i + 1] = 0;  // zero
            else if (r == 1) v[2 * i] = 0;            // pure c1
            else if (r == 2) v[2 * i + 1] = 0;        // base element
        }
        if (n) v[0] = v[1] = 0;
        auto got = inverse(be, v, 1, 3);
        for (size_t i = 0; i < n; i++) {
            kiln_gl2 want = kiln_gl2_inv(kiln_gl2_make(v[2 * i], v[2 * i + 1]));
            ASSERT_EQ(got[2 * i], want.c0) << "n " << n << " i " << i;
            ASSERT_EQ(got[2 * i + 1], want.c1) << "n " << n << " i " << i;
            if (!kiln_gl2_is_zero(want)) {
                kiln_gl2 one = kiln_gl2_mul(want, kiln_gl2_make(v[2 * i], v[2 * i + 1]));
                ASSERT_TRUE(kiln_gl2_eq(one, kiln_gl2_make(1, 0)));
            }
        }
    }
    // All zeros, and every 16th element zero (one of the AVX-512 path's sixteen chains empty in every block).
    std::vector<uint64_t> zeros(2 * 5000, 0);
    EXPECT_EQ(inverse(be, zeros, 1, 0), zeros);
    auto v = rng.fields(2 * 3000);
    for (size_t i = 5; i < 3000; i += 16) v[2 * i] = v[2 * i + 1] = 0;
    auto got = inverse(be, v, 1, 0);
    for (size_t i = 0; i < 3000; i++) {
        kiln_gl2 want = kiln_gl2_inv(kiln_gl2_make(v[2 * i], v[2 * i + 1]));
        ASSERT_EQ(got[2 * i], want.c0) << i;
        ASSERT_EQ(got[2 * i + 1], want.c1) << i;
    }
}

TEST(BatchInverse, RejectsOutOfRange) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnBuf b(be, 10);
    EXPECT_EQ(kiln_batch_inverse(be, b, 5, 6), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_batch_inverse_ext(be, b, 0, 6), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_batch_inverse_ext(be, b, 0, 5), KILN_OK);
    EXPECT_EQ(kiln_batch_inverse_ext(be, b, 0, SIZE_MAX / 2 + 1), KILN_ERR_INVALID_ARG);
}

TEST(PolyCuda, EvalEqualsCpu) {
    KILN_REQUIRE_GPU();
    KilnBackend cpu(KILN_BACKEND_CPU), gpu(KILN_BACKEND_CUDA);
    ASSERT_NE(gpu.be, nullptr);
    KilnRng rng(25);
    const size_t sizes[][2] = {{1, 1}, {3, 2}, {2047, 3}, {2048, 9}, {2049, 1}, {100000, 17}, {16, 1000}};
    for (auto &s : sizes) {
        auto coeffs = rng.fields(s[0] * s[1]);
        kiln_gl2 z = rng.ext();
        expect_eq(eval(gpu, coeffs, 1, s[0], s[1], z), eval(cpu, coeffs, 0, s[0], s[1], z), "cuda");
    }
}

TEST(PolyCuda, BatchInverseEqualsCpu) {
    KILN_REQUIRE_GPU();
    KilnBackend cpu(KILN_BACKEND_CPU), gpu(KILN_BACKEND_CUDA);
    ASSERT_NE(gpu.be, nullptr);
    KilnRng rng(26);
    for (size_t n : {(size_t)1, (size_t)17, (size_t)4096, (size_t)300001, (size_t)1 << 20}) {
        auto v = with_zeros(rng, n);
        EXPECT_EQ(inverse(gpu, v, 0, 1), inverse(cpu, v, 0, 0)) << "base n " << n;
        auto w = with_zeros(rng, 2 * n);
        EXPECT_EQ(inverse(gpu, w, 1, 1), inverse(cpu, w, 1, 0)) << "ext n " << n;
    }
}

}  // namespace
