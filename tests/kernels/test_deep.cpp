// DEEP quotient accumulation (kiln_deep_accumulate, kernels/air/deep_cpu.c) against the formula evaluated row
// by row with one field inversion per denominator: several matrices (column-major and row-major views), zero
// next-row coefficients for some columns, sizes below one lane group and several blocks long, overwrite and
// accumulate modes, more than one thread. Release builds take the eight-lane AVX-512 path for contiguous
// columns and the lazy scalar sums otherwise; both must give the same values.
#include "kiln_test.h"

#include "air/air_kernels.h"
#include "common/parallel.h"

namespace {

void run_case(KilnRng &rng, unsigned log_m, bool row_major_second, int accumulate) {
    const size_t M = size_t(1) << log_m, C0 = 5, C1 = 3;
    KilnBackend be(KILN_BACKEND_CPU);
    std::vector<uint64_t> v0 = rng.fields(M * C0), v1 = rng.fields(M * C1 + 2), prev = rng.fields(2 * M);
    KilnBuf b0(be, v0), b1(be, v1), out(be, prev);
    kiln_matrix mats[2] = {kiln_matrix_cols(b0, 0, M, C0),
                           {b1, 2, M, C1, row_major_second ? C1 : 1, row_major_second ? 1 : M}};
    auto val = [&](size_t k, size_t r, size_t c) {
        return k == 0 ? v0[c * M + r] : v1[2 + r * mats[1].row_stride + c * mats[1].col_stride];
    };
    std::vector<kiln_gl2> cz(C0 + C1), czg(C0 + C1);
    for (size_t c = 0; c < C0 + C1; c++) {
        cz[c] = rng.ext();
        czg[c] = c % 3 == 1 ? kiln_gl2_make(0, 0) : rng.ext();
    }
    kiln_deep_args a{};
    a.mats = mats;
    a.nmats = 2;
    a.coef_z = cz.data();
    a.coef_zg = czg.data();
    a.z = rng.ext();
    a.zg = rng.ext();
    a.sum_z = rng.ext();
    a.sum_zg = rng.ext();
    a.log_m = log_m;
    a.shift = 7;
    a.accumulate = accumulate;
    ASSERT_EQ(kiln_deep_accumulate(be, &a, out, 0), KILN_OK) << kiln_backend_error(be);
    std::vector<uint64_t> got = out.get(2 * M);
    uint64_t w = kiln_gl_root_of_unity(log_m);
    for (size_t i = 0; i < M; i++) {
        kiln_gl2 s1 = kiln_gl2_make(0, 0), s2 = s1;
        for (size_t c = 0; c < C0 + C1; c++) {
            uint64_t v = c < C0 ? val(0, i, c) : val(1, i, c - C0);
            s1 = kiln_gl2_add(s1, kiln_gl2_mul_base(cz[c], v));
            s2 = kiln_gl2_add(s2, kiln_gl2_mul_base(czg[c], v));
        }
        kiln_gl2 x = kiln_gl2_from_base(kiln_gl_mul(a.shift, kiln_gl_pow(w, kiln_bitrev(i, log_m))));
        kiln_gl2 want =
            kiln_gl2_add(kiln_gl2_mul(kiln_gl2_sub(s1, a.sum_z), kiln_gl2_inv(kiln_gl2_sub(x, a.z))),
                         kiln_gl2_mul(kiln_gl2_sub(s2, a.sum_zg), kiln_gl2_inv(kiln_gl2_sub(x, a.zg))));
        if (accumulate) want = kiln_gl2_add(want, kiln_gl2_make(prev[2 * i], prev[2 * i + 1]));
        ASSERT_EQ(got[2 * i], want.c0) << "row " << i << " of " << M;
        ASSERT_EQ(got[2 * i + 1], want.c1) << "row " << i << " of " << M;
    }
}

TEST(Deep, MatchesRowByRowFormula) {
    ThreadsGuard threads(3);
    KilnRng rng(93);
    for (unsigned log_m : {0u, 2u, 3u, 8u, 11u})
        for (bool rm : {false, true})
            for (int acc : {0, 1})
                run_case(rng, log_m, rm, acc);
}

} // namespace
