// LogUp kernels against a direct computation: a fixed set of bus terms written out by hand in the test (not
// through a program interpreter), each fraction inverted one by one with kiln_gl2_inv, and the running sum
// accumulated row by row. Matrices are strided views, sizes straddle the CPU scan's chunk edge (4096 rows),
// and the thread count is forced above one. CUDA is compared with CPU.
#include "kiln_test.h"

#include <cstring>

#include "common/parallel.h"
#include "field/goldilocks_ext2.h"

namespace {

// The program under test (registers in brackets):
//   [0] main0  [1] main1  [2] c  [3] main0*c  [4] [3]+main1  [5] pre0  [6] per0  [7] pre0-per0  [8] -[7]
//   [9] per1   [10] main2 [11] [10]*[9]
// Terms: t0 = bus 3, mult [8], vals ([4], [1])
//        t1 = bus 7, mult [2], vals ([7])
//        t2 = bus 1, mult [0], vals ()
//        t3 = bus 2, mult [11], vals ([6], [9], [10])
// Groups: {t0, t1}, {t2}, {t3}.
struct Case {
    size_t n;
    std::vector<uint64_t> main; // row-major, 3 columns plus one unused
    std::vector<uint64_t> pre;  // column-major, 1 column
    std::vector<uint64_t> per;  // periodic: 4 values then 2 values
    uint64_t c;
    kiln_gl2 alpha, beta;
};

const kiln_logup_instr CODE[] = {
    {KILN_LOGUP_MAIN, 0, 0}, {KILN_LOGUP_MAIN, 1, 0},     {KILN_LOGUP_CONST, 0, 0}, {KILN_LOGUP_MUL, 0, 2},
    {KILN_LOGUP_ADD, 3, 1},  {KILN_LOGUP_PRE, 0, 0},      {KILN_LOGUP_PERIODIC, 0, 0}, {KILN_LOGUP_SUB, 5, 6},
    {KILN_LOGUP_NEG, 7, 0},  {KILN_LOGUP_PERIODIC, 1, 0}, {KILN_LOGUP_MAIN, 2, 0}, {KILN_LOGUP_MUL, 10, 9}};
const uint32_t VALS[] = {4, 1, 7, 6, 9, 10};
const kiln_logup_term TERMS[] = {{3, 8, 0, 2}, {7, 2, 2, 1}, {1, 0, 3, 0}, {2, 11, 3, 3}};
const uint32_t GFIRST[] = {0, 2, 3}, GCOUNT[] = {2, 1, 1};
const uint32_t POFF[] = {0, 4}, PLEN[] = {4, 2};

Case make_case(KilnRng &rng, size_t n) {
    Case k;
    k.n = n;
    k.main = rng.fields(4 * n);
    k.pre = rng.fields(n);
    k.per = rng.fields(6);
    k.c = rng.field();
    k.alpha = rng.ext();
    k.beta = rng.ext();
    return k;
}

// Reference: per row, the terms' denominators and multiplicities written out directly.
void reference(const Case &k, std::vector<kiln_gl2> &den, std::vector<uint64_t> &mult) {
    size_t n = k.n;
    den.assign(4 * n, kiln_gl2_make(0, 0));
    mult.assign(4 * n, 0);
    kiln_gl2 b = k.beta, b2 = kiln_gl2_mul(b, b), b3 = kiln_gl2_mul(b2, b);
    for (size_t r = 0; r < n; r++) {
        uint64_t m0 = k.main[4 * r], m1 = k.main[4 * r + 1], m2 = k.main[4 * r + 2];
        uint64_t p0 = k.per[r % 4], p1 = k.per[4 + r % 2];
        uint64_t v4 = kiln_gl_add(kiln_gl_mul(m0, k.c), m1), v7 = kiln_gl_sub(k.pre[r], p0);
        auto fp = [&](uint32_t bus, std::initializer_list<std::pair<kiln_gl2, uint64_t>> terms) {
            kiln_gl2 f = kiln_gl2_from_base(bus);
            for (auto &t : terms) f = kiln_gl2_add(f, kiln_gl2_mul_base(t.first, t.second));
            return kiln_gl2_sub(k.alpha, f);
        };
        den[0 * n + r] = fp(3, {{b, v4}, {b2, m1}});
        mult[0 * n + r] = kiln_gl_neg(v7);
        den[1 * n + r] = fp(7, {{b, v7}});
        mult[1 * n + r] = k.c;
        den[2 * n + r] = fp(1, {});
        mult[2 * n + r] = m0;
        den[3 * n + r] = fp(2, {{b, p0}, {b2, p1}, {b3, m2}});
        mult[3 * n + r] = kiln_gl_mul(m2, p1);
    }
}

struct Result {
    std::vector<uint64_t> den, mult, aux;
    size_t nzero = 99;
    kiln_gl2 total = kiln_gl2_make(1, 1);
};

kiln_logup_den_args den_args(const Case &k, const kiln_matrix *mm, const kiln_matrix *mp, const uint64_t *consts) {
    kiln_logup_den_args a;
    memset(&a, 0, sizeof a);
    a.code = CODE;
    a.ninstr = sizeof CODE / sizeof CODE[0];
    a.consts = consts;
    a.nconsts = 1;
    a.periodic = k.per.data();
    a.periodic_words = k.per.size();
    a.periodic_off = POFF;
    a.periodic_len = PLEN;
    a.nperiodic = 2;
    a.terms = TERMS;
    a.nterms = 4;
    a.vals = VALS;
    a.nvals = sizeof VALS / sizeof VALS[0];
    a.main = mm;
    a.pre = mp;
    a.n = k.n;
    a.alpha = k.alpha;
    a.beta = k.beta;
    return a;
}

// Runs denominators, inversion and sums on a backend.
Result run(kiln_backend *be, const Case &k) {
    Result out;
    size_t n = k.n;
    KilnBuf bm(be, k.main.size() + 5), bp(be, k.pre.size()), den(be, 8 * n + 2), mult(be, 4 * n + 1),
        aux(be, 8 * n + 3);
    bm.put(k.main, 5);
    bp.put(k.pre);
    kiln_matrix mm = {bm, 5, n, 3, 4, 1}; // row-major view of the first 3 of 4 columns
    kiln_matrix mp = kiln_matrix_cols(bp, 0, n, 1);
    uint64_t consts[1] = {k.c};
    kiln_logup_den_args a = den_args(k, &mm, &mp, consts);
    EXPECT_EQ(kiln_logup_denominators(be, &a, den, 2, mult, 1, &out.nzero), KILN_OK) << kiln_backend_error(be);
    out.den = den.get(8 * n, 2);
    out.mult = mult.get(4 * n, 1);
    EXPECT_EQ(kiln_batch_inverse_ext(be, den, 2, 4 * n), KILN_OK);
    kiln_logup_sum_args s;
    memset(&s, 0, sizeof s);
    s.inv = den;
    s.inv_off = 2;
    s.mult = mult;
    s.mult_off = 1;
    s.n = n;
    s.nterms = 4;
    s.group_first = GFIRST;
    s.group_count = GCOUNT;
    s.ngroups = 3;
    EXPECT_EQ(kiln_logup_sum(be, &s, aux, 3, &out.total), KILN_OK) << kiln_backend_error(be);
    out.aux = aux.get(8 * n, 3);
    return out;
}

TEST(Logup, MatchesDirectComputation) {
    ThreadsGuard threads(3);
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(51);
    for (size_t n : {(size_t)1, (size_t)2, (size_t)7, (size_t)4095, (size_t)4096, (size_t)4097, (size_t)10001}) {
        Case k = make_case(rng, n);
        std::vector<kiln_gl2> den;
        std::vector<uint64_t> mult;
        reference(k, den, mult);
        Result got = run(be, k);
        ASSERT_EQ(got.nzero, 0u);
        for (size_t i = 0; i < 4 * n; i++) {
            ASSERT_EQ(got.den[2 * i], den[i].c0) << "n " << n << " cell " << i;
            ASSERT_EQ(got.den[2 * i + 1], den[i].c1) << "n " << n << " cell " << i;
            ASSERT_EQ(got.mult[i], mult[i]) << "n " << n << " cell " << i;
        }
        // Groups and running sum, one fraction at a time.
        kiln_gl2 acc = kiln_gl2_make(0, 0);
        for (size_t r = 0; r < n; r++) {
            kiln_gl2 h[3];
            for (int g = 0; g < 3; g++) {
                h[g] = kiln_gl2_make(0, 0);
                for (uint32_t j = GFIRST[g]; j < GFIRST[g] + GCOUNT[g]; j++)
                    h[g] = kiln_gl2_add(h[g], kiln_gl2_mul_base(kiln_gl2_inv(den[j * n + r]), mult[j * n + r]));
                ASSERT_EQ(got.aux[(2 * g) * n + r], h[g].c0) << "n " << n << " group " << g << " row " << r;
                ASSERT_EQ(got.aux[(2 * g + 1) * n + r], h[g].c1) << "n " << n << " group " << g << " row " << r;
                acc = kiln_gl2_add(acc, h[g]);
            }
            ASSERT_EQ(got.aux[6 * n + r], acc.c0) << "n " << n << " running sum row " << r;
            ASSERT_EQ(got.aux[7 * n + r], acc.c1) << "n " << n << " running sum row " << r;
        }
        EXPECT_TRUE(kiln_gl2_eq(got.total, acc)) << "n " << n;
    }
}

TEST(Logup, CountsVanishingDenominators) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(52);
    Case k = make_case(rng, 100);
    // alpha = bus 1 makes term t2 (no values) vanish at every row.
    k.alpha = kiln_gl2_from_base(1);
    Result got = run(be, k);
    EXPECT_EQ(got.nzero, 100u);
}

TEST(Logup, RejectsBadArguments) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(53);
    Case k = make_case(rng, 16);
    KilnBuf bm(be, k.main), bp(be, k.pre), den(be, 8 * 16), mult(be, 4 * 16), aux(be, 8 * 16);
    kiln_matrix mm = {bm, 0, 16, 3, 4, 1}, mp = kiln_matrix_cols(bp, 0, 16, 1);
    uint64_t consts[1] = {k.c};
    size_t nz;
    auto expect_bad = [&](kiln_logup_den_args a, const char *what) {
        EXPECT_EQ(kiln_logup_denominators(be, &a, den, 0, mult, 0, &nz), KILN_ERR_INVALID_ARG) << what;
    };
    kiln_logup_den_args good = den_args(k, &mm, &mp, consts);
    ASSERT_EQ(kiln_logup_denominators(be, &good, den, 0, mult, 0, &nz), KILN_OK) << kiln_backend_error(be);
    kiln_logup_instr fwd[] = {{KILN_LOGUP_MAIN, 0, 0}, {KILN_LOGUP_ADD, 0, 1}};
    kiln_logup_den_args a = good;
    a.code = fwd;
    a.ninstr = 2;
    expect_bad(a, "register read before it is written");
    kiln_logup_instr col[] = {{KILN_LOGUP_MAIN, 3, 0}};
    a.code = col;
    a.ninstr = 1;
    expect_bad(a, "column outside the view");
    a = good;
    a.pre = nullptr;
    expect_bad(a, "preprocessed column without a view");
    a = good;
    a.nconsts = 0;
    expect_bad(a, "constant index");
    a = good;
    a.nvals = 5;
    expect_bad(a, "term values past the table");
    a = good;
    a.n = 17;
    expect_bad(a, "view shorter than n");
    a = good;
    a.alpha.c1 = KILN_GL_P;
    expect_bad(a, "non-canonical challenge");
    uint32_t badlen[] = {4, 3};
    a = good;
    a.periodic_len = badlen;
    expect_bad(a, "periodic column past its table");
    EXPECT_EQ(kiln_logup_denominators(be, &good, den, 1, mult, 0, &nz), KILN_ERR_INVALID_ARG) << "den too small";
    EXPECT_EQ(kiln_logup_denominators(be, &good, den, 0, mult, 1, &nz), KILN_ERR_INVALID_ARG) << "mult too small";

    kiln_logup_sum_args s;
    memset(&s, 0, sizeof s);
    s.inv = den;
    s.mult = mult;
    s.n = 16;
    s.nterms = 4;
    s.group_first = GFIRST;
    s.group_count = GCOUNT;
    s.ngroups = 3;
    kiln_gl2 total;
    EXPECT_EQ(kiln_logup_sum(be, &s, aux, 0, &total), KILN_OK) << kiln_backend_error(be);
    EXPECT_EQ(kiln_logup_sum(be, &s, aux, 1, &total), KILN_ERR_INVALID_ARG) << "out too small";
    uint32_t badcount[] = {2, 1, 2};
    s.group_count = badcount;
    EXPECT_EQ(kiln_logup_sum(be, &s, aux, 0, &total), KILN_ERR_INVALID_ARG) << "group past the terms";
    s.group_count = GCOUNT;
    s.n = 0;
    EXPECT_EQ(kiln_logup_sum(be, &s, aux, 0, &total), KILN_ERR_INVALID_ARG) << "no rows";
}

TEST(LogupCuda, EqualsCpu) {
    KILN_REQUIRE_GPU();
    KilnBackend cpu(KILN_BACKEND_CPU), gpu(KILN_BACKEND_CUDA);
    ASSERT_NE(gpu.be, nullptr);
    KilnRng rng(54);
    for (size_t n : {(size_t)1, (size_t)33, (size_t)2047, (size_t)2048, (size_t)2049, (size_t)100003,
                     (size_t)1 << 20}) {
        Case k = make_case(rng, n);
        Result g = run(gpu, k), c = run(cpu, k);
        EXPECT_EQ(g.nzero, c.nzero) << "n " << n;
        EXPECT_EQ(g.den, c.den) << "n " << n;
        EXPECT_EQ(g.mult, c.mult) << "n " << n;
        EXPECT_EQ(g.aux, c.aux) << "n " << n;
        EXPECT_TRUE(kiln_gl2_eq(g.total, c.total)) << "n " << n;
    }
    Case k = make_case(rng, 5000);
    k.alpha = kiln_gl2_from_base(1);
    EXPECT_EQ(run(gpu, k).nzero, 5000u);
}

}  // namespace
