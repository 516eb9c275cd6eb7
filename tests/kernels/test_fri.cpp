// FRI folding against two independent references: (1) a random polynomial in coefficient form, evaluated
// directly (Horner) at the bit-reversed coset points, folded, and compared with the direct evaluation of the
// folded polynomial sum_j beta^j f_j (built from the coefficients) at the new points; (2) for larger sizes, a
// per-group inverse-DFT formula with every point and inverse computed from scratch. CUDA is compared with CPU.
#include "kiln_test.h"

#include "common/parallel.h"
#include "field/goldilocks_ext2.h"

namespace {

typedef std::vector<kiln_gl2> Poly;

uint64_t bitrev(uint64_t x, unsigned bits) {
    uint64_t r = 0;
    for (unsigned b = 0; b < bits; b++) r |= ((x >> b) & 1) << (bits - 1 - b);
    return r;
}

kiln_gl2 horner(const Poly &c, uint64_t x) {
    kiln_gl2 acc = kiln_gl2_make(0, 0);
    for (size_t i = c.size(); i-- > 0;) acc = kiln_gl2_add(kiln_gl2_mul_base(acc, x), c[i]);
    return acc;
}

// Point i of shift*<w_n> in bit-reversed order.
uint64_t point(uint64_t shift, unsigned log_n, size_t i) {
    return kiln_gl_mul(shift, kiln_gl_pow(kiln_gl_root_of_unity(log_n), bitrev(i, log_n)));
}

std::vector<uint64_t> evals_bitrev(const Poly &c, unsigned log_n, uint64_t shift) {
    size_t n = (size_t)1 << log_n;
    std::vector<uint64_t> v(2 * n);
    for (size_t i = 0; i < n; i++) {
        kiln_gl2 y = horner(c, point(shift, log_n, i));
        v[2 * i] = y.c0;
        v[2 * i + 1] = y.c1;
    }
    return v;
}

// Coefficients of sum_j beta^j f_j where f(x) = sum_j x^j f_j(x^a).
Poly fold_coeffs(const Poly &c, unsigned log_arity, kiln_gl2 beta) {
    size_t a = (size_t)1 << log_arity;
    Poly out((c.size() + a - 1) / a, kiln_gl2_make(0, 0));
    for (size_t i = 0; i < c.size(); i++) {
        kiln_gl2 bj = kiln_gl2_pow(beta, i % a);
        out[i / a] = kiln_gl2_add(out[i / a], kiln_gl2_mul(bj, c[i]));
    }
    return out;
}

Poly random_poly(KilnRng &rng, size_t len) {
    Poly c(len);
    for (auto &x : c) x = rng.ext();
    return c;
}

std::vector<uint64_t> fold(kiln_backend *be, const std::vector<uint64_t> &in, unsigned log_n, unsigned log_arity,
                           uint64_t shift, kiln_gl2 beta, size_t in_off = 0, size_t out_off = 0) {
    size_t nout = ((size_t)1 << log_n) >> log_arity;
    KilnBuf bin(be, in.size() + in_off), bout(be, 2 * nout + out_off);
    bin.put(in, in_off);
    EXPECT_EQ(kiln_fri_fold(be, bin, in_off, bout, out_off, log_n, log_arity, shift, beta), KILN_OK)
        << kiln_backend_error(be);
    return bout.get(2 * nout, out_off);
}

// Second reference: out[i] = (1/a) sum_j beta^j x0^-j sum_s w_a^-sj f(x0 w_a^s), with f(x0 w_a^s) read from the
// bit-reversed input at group position bitrev_k(s).
std::vector<uint64_t> fold_by_dft(const std::vector<uint64_t> &in, unsigned log_n, unsigned log_arity,
                                  uint64_t shift, kiln_gl2 beta) {
    size_t a = (size_t)1 << log_arity, nout = ((size_t)1 << log_n) >> log_arity;
    unsigned m = log_n - log_arity;
    uint64_t wa = kiln_gl_root_of_unity(log_arity), ainv = kiln_gl_inv(a);
    std::vector<uint64_t> out(2 * nout);
    for (size_t i = 0; i < nout; i++) {
        uint64_t x0 = kiln_gl_mul(shift, kiln_gl_pow(kiln_gl_root_of_unity(log_n), bitrev(i, m)));
        uint64_t x0inv = kiln_gl_inv(x0);
        kiln_gl2 acc = kiln_gl2_make(0, 0);
        for (size_t j = 0; j < a; j++) {
            kiln_gl2 fj = kiln_gl2_make(0, 0);
            for (size_t s = 0; s < a; s++) {
                size_t idx = i * a + bitrev(s, log_arity);
                kiln_gl2 f = kiln_gl2_make(in[2 * idx], in[2 * idx + 1]);
                fj = kiln_gl2_add(fj, kiln_gl2_mul_base(f, kiln_gl_inv(kiln_gl_pow(wa, s * j))));
            }
            fj = kiln_gl2_mul_base(fj, kiln_gl_mul(ainv, kiln_gl_pow(x0inv, j)));
            acc = kiln_gl2_add(acc, kiln_gl2_mul(kiln_gl2_pow(beta, j), fj));
        }
        out[2 * i] = acc.c0;
        out[2 * i + 1] = acc.c1;
    }
    return out;
}

TEST(FriFold, MatchesFoldedPolynomialAllAritiesAndSizes) {
    KilnBackend be(KILN_BACKEND_CPU);
    ASSERT_NE(be.be, nullptr);
    KilnRng rng(11);
    const uint64_t shifts[] = {KILN_GL_GENERATOR, 1, 0x123456789abcdefULL};
    for (unsigned la = 1; la <= 3; la++)
        for (unsigned log_n = la; log_n <= 9; log_n++)
            for (uint64_t shift : shifts) {
                size_t n = (size_t)1 << log_n;
                // Full degree n-1, and a lower degree that leaves some f_j shorter than the others.
                for (size_t len : {n, n / 2 + 1}) {
                    Poly c = random_poly(rng, len);
                    kiln_gl2 beta = rng.ext();
                    auto got = fold(be, evals_bitrev(c, log_n, shift), log_n, la, shift, beta);
                    Poly g = fold_coeffs(c, la, beta);
                    auto want = evals_bitrev(g, log_n - la, kiln_gl_pow(shift, (uint64_t)1 << la));
                    ASSERT_EQ(got, want) << "log_n " << log_n << " arity 2^" << la << " shift " << shift << " len "
                                         << len;
                }
            }
}

TEST(FriFold, RepeatedFoldingDownToAConstant) {
    KilnBackend be(KILN_BACKEND_CPU);
    ASSERT_NE(be.be, nullptr);
    KilnRng rng(12);
    // 2^10 -> 2^7 -> 2^5 -> 2^4 -> 2^1 -> 2^0, with a fresh challenge each round.
    const unsigned arities[] = {3, 2, 1, 3, 1};
    unsigned log_n = 10;
    uint64_t shift = KILN_GL_GENERATOR;
    Poly c = random_poly(rng, (size_t)1 << log_n);
    auto v = evals_bitrev(c, log_n, shift);
    for (unsigned la : arities) {
        kiln_gl2 beta = rng.ext();
        v = fold(be, v, log_n, la, shift, beta);
        c = fold_coeffs(c, la, beta);
        log_n -= la;
        shift = kiln_gl_pow(shift, (uint64_t)1 << la);
        ASSERT_EQ(v, evals_bitrev(c, log_n, shift)) << "after folding by 2^" << la;
    }
    ASSERT_EQ(log_n, 0u);
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(v[0], c[0].c0);
    EXPECT_EQ(v[1], c[0].c1);
}

TEST(FriFold, LowDegreeFoldsToTheConstantOfItsFoldedPolynomial) {
    // A polynomial of degree < 8 folded by 8 is the same constant at every point.
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(13);
    Poly c = random_poly(rng, 8);
    kiln_gl2 beta = rng.ext();
    auto got = fold(be, evals_bitrev(c, 8, KILN_GL_GENERATOR), 8, 3, KILN_GL_GENERATOR, beta);
    kiln_gl2 want = fold_coeffs(c, 3, beta)[0];
    for (size_t i = 0; i < got.size() / 2; i++) {
        ASSERT_EQ(got[2 * i], want.c0) << i;
        ASSERT_EQ(got[2 * i + 1], want.c1) << i;
    }
}

TEST(FriFold, LargeSizesMultiThreadedMatchDftReferenceWithOffsets) {
    ThreadsGuard threads(3);
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(14);
    for (unsigned la = 1; la <= 3; la++) {
        unsigned log_n = 15 + la % 2;
        auto in = rng.fields((size_t)2 << log_n);
        kiln_gl2 beta = rng.ext();
        uint64_t shift = rng.field() | 1;
        auto got = fold(be, in, log_n, la, shift, beta, 3, 5);
        ASSERT_EQ(got, fold_by_dft(in, log_n, la, shift, beta)) << "arity 2^" << la;
    }
}

TEST(FriFold, SingleThreadEqualsDftReference) {
    ThreadsGuard threads(1);
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(15);
    auto in = rng.fields(2 << 12);
    kiln_gl2 beta = rng.ext();
    EXPECT_EQ(fold(be, in, 12, 2, 7, beta), fold_by_dft(in, 12, 2, 7, beta));
}

TEST(FriFold, RejectsBadArguments) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnBuf in(be, 64), out(be, 64);
    kiln_gl2 beta = kiln_gl2_make(3, 4);
    EXPECT_EQ(kiln_fri_fold(be, in, 0, out, 0, 4, 0, 7, beta), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_fri_fold(be, in, 0, out, 0, 4, 4, 7, beta), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_fri_fold(be, in, 0, out, 0, 1, 2, 7, beta), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_fri_fold(be, in, 0, out, 0, 4, 1, 0, beta), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_fri_fold(be, in, 0, out, 0, 4, 1, 7, kiln_gl2_make(KILN_GL_P, 0)), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_fri_fold(be, in, 1, out, 0, 5, 1, 7, beta), KILN_ERR_INVALID_ARG);   // input past the end
    EXPECT_EQ(kiln_fri_fold(be, in, 0, out, 60, 4, 1, 7, beta), KILN_ERR_INVALID_ARG);  // output past the end
    EXPECT_EQ(kiln_fri_fold(be, in, 0, out, 48, 4, 1, 7, beta), KILN_OK);
}

TEST(FriFold, CudaEqualsCpu) {
    KILN_REQUIRE_GPU();
    KilnBackend cpu(KILN_BACKEND_CPU), gpu(KILN_BACKEND_CUDA);
    ASSERT_NE(gpu.be, nullptr);
    KilnRng rng(16);
    for (unsigned la = 1; la <= 3; la++)
        for (unsigned log_n : {la, 5u, 12u, 18u})
            for (size_t off : {0, 1}) {  // odd offsets take the unaligned path
                auto in = rng.fields((size_t)2 << log_n);
                kiln_gl2 beta = rng.ext();
                uint64_t shift = rng.field() | 1;
                ASSERT_EQ(fold(gpu, in, log_n, la, shift, beta, off, off), fold(cpu, in, log_n, la, shift, beta))
                    << "log_n " << log_n << " arity 2^" << la << " off " << off;
            }
}

}  // namespace
