// NTT and LDE against a naive DFT / Horner evaluation, round trips, batching, argument checks; the CUDA
// backend's pass code run on the host against the CPU backend; and the CUDA backend itself against the CPU
// backend (skipped without a GPU).
#include "kiln_test.h"

#include "common/parallel.h"
#include "field/goldilocks.h"
#include "ntt/ntt.h"
#include "ntt/ntt_pass.h"

namespace {

const kiln_order NAT = KILN_ORDER_NATURAL, BR = KILN_ORDER_BITREV;

uint64_t mul(uint64_t a, uint64_t b) {
    return kiln_gl_mul(a, b);
}
uint64_t add(uint64_t a, uint64_t b) {
    return kiln_gl_add(a, b);
}

// Written independently of kernels/ntt: bit by bit.
size_t rev(size_t i, unsigned bits) {
    size_t r = 0;
    for (unsigned b = 0; b < bits; b++)
        r |= ((i >> b) & 1) << (bits - 1 - b);
    return r;
}

std::vector<uint64_t> reorder(const std::vector<uint64_t> &v, unsigned log_n, kiln_order o) {
    if (o == NAT) return v;
    std::vector<uint64_t> r(v.size());
    for (size_t i = 0; i < v.size(); i++)
        r[i] = v[rev(i, log_n)];
    return r;
}

// Root of unity from the generator, not from the library's table: g^((p-1)/n).
uint64_t root(unsigned log_n) {
    return kiln_gl_pow(KILN_GL_GENERATOR, (KILN_GL_P - 1) >> log_n);
}

uint64_t horner(const uint64_t *a, size_t n, uint64_t x) {
    uint64_t acc = 0;
    for (size_t j = n; j-- > 0;)
        acc = add(mul(acc, x), a[j]);
    return acc;
}

// y_i = sum_j a_j (shift w^i)^j, natural order.
uint64_t eval_point(const std::vector<uint64_t> &a, unsigned log_n, uint64_t shift, size_t i) {
    uint64_t x = mul(shift, kiln_gl_pow(root(log_n), i));
    return horner(a.data(), a.size(), x);
}

// a_j = n^-1 shift^-j sum_i y_i w^-ij.
uint64_t interp_coeff(const std::vector<uint64_t> &y, unsigned log_n, uint64_t shift, size_t j) {
    uint64_t winv = kiln_gl_inv(root(log_n));
    uint64_t acc = horner(y.data(), y.size(), kiln_gl_pow(winv, j));
    uint64_t ninv = kiln_gl_inv((uint64_t)1 << log_n);
    return mul(mul(acc, ninv), kiln_gl_pow(kiln_gl_inv(shift), j));
}

std::vector<uint64_t> naive_forward(const std::vector<uint64_t> &a, unsigned log_n, uint64_t shift) {
    std::vector<uint64_t> y(a.size());
    for (size_t i = 0; i < a.size(); i++)
        y[i] = eval_point(a, log_n, shift, i);
    return y;
}

std::vector<uint64_t> naive_inverse(const std::vector<uint64_t> &y, unsigned log_n, uint64_t shift) {
    std::vector<uint64_t> a(y.size());
    for (size_t j = 0; j < y.size(); j++)
        a[j] = interp_coeff(y, log_n, shift, j);
    return a;
}

struct NttCpu : ::testing::Test {
    KilnBackend be{KILN_BACKEND_CPU};
    void SetUp() override { ASSERT_NE(be.be, nullptr); }
    void TearDown() override { kiln_parallel_set_threads(0); }
    std::vector<uint64_t> ntt(const std::vector<uint64_t> &in, size_t ncols, unsigned log_n, int inverse,
                              uint64_t shift, kiln_order io, kiln_order oo) {
        KilnBuf b(be, in);
        EXPECT_EQ(kiln_ntt(be, b, 0, ncols, log_n, inverse, shift, io, oo), KILN_OK)
            << kiln_backend_error(be);
        return b.get(in.size());
    }
};

const uint64_t kShifts[] = {1, KILN_GL_GENERATOR, 0x123456789abcdefULL};

TEST_F(NttCpu, MatchesNaiveDftAllOrdersSmall) {
    KilnRng rng(1);
    for (unsigned log_n = 0; log_n <= 10; log_n++)
        for (uint64_t shift : kShifts)
            for (int inverse = 0; inverse < 2; inverse++)
                for (kiln_order io : {NAT, BR})
                    for (kiln_order oo : {NAT, BR}) {
                        auto in = rng.fields((size_t)1 << log_n);
                        auto want =
                            inverse ? naive_inverse(in, log_n, shift) : naive_forward(in, log_n, shift);
                        auto got = ntt(reorder(in, log_n, io), 1, log_n, inverse, shift, io, oo);
                        ASSERT_EQ(got, reorder(want, log_n, oo))
                            << "log_n " << log_n << " inverse " << inverse << " shift " << shift << " orders "
                            << io << oo;
                    }
}

// Sizes past the inner block take the outer passes (radix 2..16, one to three levels): check sampled outputs
// against direct evaluation / interpolation sums.
TEST_F(NttCpu, MatchesDirectSumsAtSampledPointsLarge) {
    KilnRng rng(2);
    for (unsigned log_n : {13u, 14u, 15u, 16u, 17u})
        for (int inverse = 0; inverse < 2; inverse++)
            for (kiln_order io : {NAT, BR})
                for (kiln_order oo : {NAT, BR}) {
                    uint64_t shift = kShifts[(log_n + inverse) % 3];
                    size_t n = (size_t)1 << log_n;
                    auto in = rng.fields(n);
                    auto got = ntt(reorder(in, log_n, io), 1, log_n, inverse, shift, io, oo);
                    for (int s = 0; s < 6; s++) {
                        size_t i = s == 0 ? 0 : s == 1 ? n - 1 : rng.next() % n;
                        size_t pos = oo == BR ? rev(i, log_n) : i;
                        uint64_t want =
                            inverse ? interp_coeff(in, log_n, shift, i) : eval_point(in, log_n, shift, i);
                        ASSERT_EQ(got[pos], want) << "log_n " << log_n << " inverse " << inverse << " index "
                                                  << i << " orders " << io << oo;
                    }
                }
}

TEST(NttHelpers, BitrevPermuteAndInversePowersOfTwo) {
    KilnRng rng(14);
    for (unsigned log_n = 0; log_n <= 13; log_n++) {
        auto v = rng.fields((size_t)1 << log_n);
        auto got = v;
        kiln_ntt_bitrev_permute(got.data(), log_n);
        ASSERT_EQ(got, reorder(v, log_n, BR)) << log_n;
        for (size_t i : {(size_t)0, (size_t)1, got.size() / 3, got.size() - 1})
            EXPECT_EQ(kiln_bitrev(i, log_n), rev(i, log_n));
        if (log_n >= 8) { // the GPU's tiled permutation, one 32-lane group per tile pair
            auto g = v;
            std::vector<uint64_t> A(64), B(64);
            for (size_t b = 0; b < ((size_t)1 << (log_n - 6)); b++) {
                if (rev(b, log_n - 6) < b) continue;
                for (unsigned lane = 0; lane < 32; lane++)
                    kiln_ntt_bitrev_tile_load(g.data(), log_n, b, lane, 32, A.data(), B.data());
                for (unsigned lane = 0; lane < 32; lane++)
                    kiln_ntt_bitrev_tile_store(g.data(), log_n, b, lane, 32, A.data(), B.data());
            }
            ASSERT_EQ(g, got) << log_n;
        }
        EXPECT_EQ(mul(kiln_ntt_inv_pow2(log_n), (uint64_t)1 << log_n), 1u);
    }
}

TEST_F(NttCpu, RoundTrip2to20) {
    KilnRng rng(3);
    const unsigned log_n = 20;
    auto a = rng.fields((size_t)1 << log_n);
    KilnBuf b(be, a);
    // forward natural -> bit-reversed on a coset, back bit-reversed -> natural
    ASSERT_EQ(kiln_ntt(be, b, 0, 1, log_n, 0, 7, NAT, BR), KILN_OK);
    auto y = b.get(a.size());
    EXPECT_NE(y, a);
    // spot-check the forward result too
    EXPECT_EQ(y[rev(12345, log_n)], eval_point(a, log_n, 7, 12345));
    ASSERT_EQ(kiln_ntt(be, b, 0, 1, log_n, 1, 7, BR, NAT), KILN_OK);
    EXPECT_EQ(b.get(a.size()), a);
    // natural -> natural both ways
    ASSERT_EQ(kiln_ntt(be, b, 0, 1, log_n, 0, 1, NAT, NAT), KILN_OK);
    ASSERT_EQ(kiln_ntt(be, b, 0, 1, log_n, 1, 1, NAT, NAT), KILN_OK);
    EXPECT_EQ(b.get(a.size()), a);
}

// 2^23: three levels of outer passes, with the largest twiddle levels.
TEST_F(NttCpu, Size2to23SampledPoints) {
    KilnRng rng(15);
    const unsigned log_n = 23;
    size_t n = (size_t)1 << log_n;
    auto a = rng.fields(n);
    auto y = ntt(a, 1, log_n, 0, 3, NAT, BR);
    for (size_t i : {(size_t)1, n / 2 + 12345, n - 1})
        ASSERT_EQ(y[rev(i, log_n)], eval_point(a, log_n, 3, i)) << i;
}

TEST_F(NttCpu, BatchedEqualsColumnByColumnAnyThreadCount) {
    KilnRng rng(4);
    // 2^17 with few columns splits each column across threads; the rest split columns
    for (unsigned log_n : {5u, 14u, 17u})
        for (size_t ncols : {3u, 9u}) {
            if (log_n == 17 && ncols == 9) continue;
            size_t n = (size_t)1 << log_n;
            auto in = rng.fields(n * ncols);
            for (int inverse = 0; inverse < 2; inverse++)
                for (kiln_order io : {NAT, BR})
                    for (kiln_order oo : {NAT, BR}) {
                        if (log_n == 17 && (io == BR) != (inverse == 1)) continue; // DIF forward, DIT inverse
                        std::vector<uint64_t> want;
                        kiln_parallel_set_threads(1);
                        for (size_t c = 0; c < ncols; c++) {
                            std::vector<uint64_t> col(in.begin() + c * n, in.begin() + (c + 1) * n);
                            auto r = ntt(col, 1, log_n, inverse, 3, io, oo);
                            want.insert(want.end(), r.begin(), r.end());
                        }
                        for (unsigned threads : {1u, 2u, 5u}) {
                            kiln_parallel_set_threads(threads);
                            ASSERT_EQ(ntt(in, ncols, log_n, inverse, 3, io, oo), want)
                                << "log_n " << log_n << " ncols " << ncols << " threads " << threads;
                        }
                    }
        }
}

TEST_F(NttCpu, RespectsOffsetAndLeavesNeighboursAlone) {
    KilnRng rng(5);
    const unsigned log_n = 6;
    auto all = rng.fields(3 + 2 * 64 + 5);
    KilnBuf b(be, all);
    ASSERT_EQ(kiln_ntt(be, b, 3, 2, log_n, 0, 1, NAT, NAT), KILN_OK);
    auto got = b.get(all.size());
    for (size_t i = 0; i < 3; i++)
        EXPECT_EQ(got[i], all[i]);
    for (size_t i = 3 + 128; i < all.size(); i++)
        EXPECT_EQ(got[i], all[i]);
    for (size_t c = 0; c < 2; c++) {
        std::vector<uint64_t> col(all.begin() + 3 + c * 64, all.begin() + 3 + (c + 1) * 64);
        auto want = naive_forward(col, log_n, 1);
        for (size_t i = 0; i < 64; i++)
            ASSERT_EQ(got[3 + c * 64 + i], want[i]);
    }
}

// LDE from coefficients: every output equals the polynomial evaluated at its coset point.
TEST_F(NttCpu, LdeFromCoeffsMatchesHorner) {
    KilnRng rng(6);
    for (unsigned log_n : {0u, 1u, 3u, 7u, 12u, 13u, 15u})
        for (unsigned lb = 1; lb <= 4; lb++)
            for (kiln_order oo : {NAT, BR}) {
                if (log_n >= 13 && lb != 2 && lb != 4) continue;
                size_t n = (size_t)1 << log_n, N = n << lb;
                const size_t ncols = 2;
                auto a = rng.fields(n * ncols);
                uint64_t shift = KILN_GL_GENERATOR;
                KilnBuf src(be, a), dst(be, N * ncols);
                ASSERT_EQ(kiln_lde_from_coeffs(be, src, 0, dst, 0, ncols, log_n, lb, shift, oo), KILN_OK);
                EXPECT_EQ(src.get(a.size()), a);
                auto got = dst.get(N * ncols);
                uint64_t wN = root(log_n + lb);
                size_t checks = N <= 1024 ? N : 24;
                for (size_t c = 0; c < ncols; c++)
                    for (size_t s = 0; s < checks; s++) {
                        size_t i = N <= 1024 ? s : s == 0 ? N - 1 : rng.next() % N;
                        size_t pos = oo == BR ? rev(i, log_n + lb) : i;
                        uint64_t x = mul(shift, kiln_gl_pow(wN, i));
                        ASSERT_EQ(got[c * N + pos], horner(a.data() + c * n, n, x))
                            << "log_n " << log_n << " blowup 2^" << lb << " order " << oo << " i " << i;
                    }
            }
}

// kiln_lde from evaluations over <w_n>: src ends as the coefficients, dst as the coset evaluations.
TEST_F(NttCpu, LdeFromEvaluations) {
    KilnRng rng(7);
    const unsigned log_n = 8, lb = 2;
    size_t n = (size_t)1 << log_n, N = n << lb;
    auto a = rng.fields(n);
    auto y = naive_forward(a, log_n, 1);
    KilnBuf src(be, y), dst(be, N + 4);
    ASSERT_EQ(kiln_lde(be, src, 0, dst, 4, 1, log_n, lb, 5, BR), KILN_OK);
    EXPECT_EQ(src.get(n), a);
    auto got = dst.get(N, 4);
    for (size_t i = 0; i < N; i++)
        ASSERT_EQ(got[rev(i, log_n + lb)], horner(a.data(), n, mul(5, kiln_gl_pow(root(log_n + lb), i))));
}

TEST_F(NttCpu, LdeSplitAndIntraColumnPathsAgree) {
    KilnRng rng(8);
    const unsigned log_n = 17, lb = 1; // one column, two cosets: split within columns from 2 threads on
    size_t n = (size_t)1 << log_n, N = n << lb;
    auto a = rng.fields(n);
    std::vector<uint64_t> first;
    for (unsigned threads : {1u, 2u, 3u}) {
        kiln_parallel_set_threads(threads);
        KilnBuf src(be, a), dst(be, N);
        ASSERT_EQ(kiln_lde_from_coeffs(be, src, 0, dst, 0, 1, log_n, lb, 11, NAT), KILN_OK);
        auto got = dst.get(N);
        if (first.empty())
            first = got;
        else
            ASSERT_EQ(got, first) << threads << " threads";
    }
    for (size_t i : {(size_t)0, (size_t)1, N / 3, N - 1})
        EXPECT_EQ(first[i], horner(a.data(), n, mul(11, kiln_gl_pow(root(log_n + lb), i))));
}

TEST_F(NttCpu, RejectsInvalidArguments) {
    KilnBuf b(be, 64), d(be, 256);
    EXPECT_EQ(kiln_ntt(nullptr, b, 0, 1, 4, 0, 1, NAT, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, b, 0, 1, 33, 0, 1, NAT, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, b, 0, 1, 7, 0, 1, NAT, NAT), KILN_ERR_INVALID_ARG); // 128 > 64 elements
    EXPECT_EQ(kiln_ntt(be, b, 1, 1, 6, 0, 1, NAT, NAT), KILN_ERR_INVALID_ARG); // offset pushes past the end
    EXPECT_EQ(kiln_ntt(be, b, 0, 2, 6, 0, 1, NAT, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, b, 0, 1, 4, 0, 0, NAT, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, b, 0, 1, 4, 0, KILN_GL_P, NAT, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, b, 0, (size_t)1 << 62, 4, 0, 1, NAT, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_ntt(be, nullptr, 0, 1, 4, 0, 1, NAT, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_lde_from_coeffs(be, b, 0, d, 0, 1, 4, 0, 1, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_lde_from_coeffs(be, b, 0, d, 0, 1, 4, 5, 1, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_lde_from_coeffs(be, b, 0, d, 0, 1, 30, 3, 1, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_lde_from_coeffs(be, b, 0, d, 0, 1, 6, 3, 1, NAT), KILN_ERR_INVALID_ARG); // dst too small
    EXPECT_EQ(kiln_lde_from_coeffs(be, b, 0, d, 0, 1, 4, 2, 0, NAT), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_lde(be, b, 0, d, 0, 1, 4, 0, 1, NAT), KILN_ERR_INVALID_ARG);
    // a valid call still works afterwards
    EXPECT_EQ(kiln_ntt(be, b, 0, 1, 6, 0, 1, NAT, NAT), KILN_OK);
}

// ---- the CUDA backend's pass code (ntt/ntt_pass.h), run on the host ----
// Mirrors ntt_cuda.cu's launches: each tile (and coset) goes through load / phases / store with 256 "threads"
// run one after another per phase (phases are separated by barriers on the GPU). This checks the GPU's
// tiling, twiddle and scaling arithmetic here, where no GPU exists; NttCudaVsCpu checks the real thing.
struct GpuEmu {
    std::vector<uint64_t> rf, rc, lv, sf, scs;
    kiln_ntt_tables t{};
    explicit GpuEmu(int inverse)
        : rf(KILN_NTT_TAB), rc(KILN_NTT_TAB), lv(KILN_NTT_LEVELS), sf(16 * KILN_NTT_TAB),
          scs(16 * KILN_NTT_TAB) {
        uint64_t omega = KILN_GL_ROOT_2_32;
        if (inverse) omega = kiln_gl_inv(omega);
        for (unsigned x = 0; x < KILN_NTT_TAB; x++)
            kiln_ntt_root_entry(x, omega, rf.data(), rc.data(), lv.data());
        t = {rf.data(), rc.data(), lv.data(), sf.data(), scs.data()};
    }
    // The root tables are the same for every call: build them once per direction.
    static GpuEmu &get(int inverse) {
        static GpuEmu fwd(0), inv(1);
        return inverse ? inv : fwd;
    }
    // Scale tables of coset k; only the entries indices below n reach (all of them from 2^16 on).
    void scale_tables(size_t k, uint64_t g, uint64_t c, size_t n) {
        for (unsigned x = 0; x < KILN_NTT_TAB && x < n; x++)
            kiln_ntt_scale_entry(x, g, c, sf.data() + k * KILN_NTT_TAB, scs.data() + k * KILN_NTT_TAB);
    }
    // run_transform in ntt_cuda.cu
    void transform(const uint64_t *in, size_t in_cs, uint64_t *out, size_t out_cs, size_t ncols,
                   unsigned log_n, int dit, const kiln_ntt_scaling &sc, unsigned log_cosets,
                   size_t coset_stride) {
        unsigned log_N[KILN_NTT_MAX_PASSES], r[KILN_NTT_MAX_PASSES], log_J[KILN_NTT_MAX_PASSES];
        unsigned np = kiln_ntt_schedule(log_n, dit, log_N, r, log_J);
        const unsigned nt = 256;
        for (unsigned s = 0; s < np; s++) {
            kiln_ntt_pass a =
                kiln_ntt_pass_make(s, np, log_N, r, log_J, in, in_cs, out, out_cs, ncols, log_n, dit, sc.pre,
                                   sc.post, sc.sc_bitrev, log_cosets, coset_stride);
            ASSERT_LE(kiln_ntt_pass_smem(&a), (size_t)64 * 1024);
            std::vector<uint64_t> smem(kiln_ntt_pass_smem(&a) / 8);
            uint64_t *data = smem.data(), *tw = data + ((size_t)1 << (a.log_J + a.r));
            for (size_t tile = 0; tile < kiln_ntt_pass_tiles(&a); tile++)
                for (unsigned k = 0; k < (1u << a.log_cosets); k++) {
                    for (unsigned tid = 0; tid < nt; tid++)
                        kiln_ntt_pass_load(&a, &t, tile, k, tid, nt, data, tw);
                    for (unsigned ph = 0; ph < kiln_ntt_pass_phases(&a); ph++)
                        for (unsigned tid = 0; tid < nt; tid++)
                            kiln_ntt_pass_phase(&a, &t, ph, tid, nt, data, tw);
                    for (unsigned tid = 0; tid < nt; tid++)
                        kiln_ntt_pass_store(&a, &t, tile, k, tid, nt, data);
                }
        }
    }
};

// kiln_cuda_ntt, emulated.
std::vector<uint64_t> emu_ntt(std::vector<uint64_t> v, size_t ncols, unsigned log_n, int inverse,
                              uint64_t shift, kiln_order io, kiln_order oo) {
    if (log_n == 0) return v;
    size_t n = (size_t)1 << log_n;
    int dit = io == BR;
    kiln_ntt_scaling sc = kiln_ntt_scaling_for(log_n, inverse, shift, dit);
    GpuEmu &e = GpuEmu::get(inverse);
    if (sc.pre || sc.post) e.scale_tables(0, sc.g, sc.c, n);
    e.transform(v.data(), n, v.data(), n, ncols, log_n, dit, sc, 0, 0);
    if (io == oo)
        for (size_t c = 0; c < ncols; c++)
            kiln_ntt_bitrev_permute(v.data() + c * n, log_n);
    return v;
}

// kiln_cuda_lde_from_coeffs, emulated.
std::vector<uint64_t> emu_lde(const std::vector<uint64_t> &src, size_t ncols, unsigned log_n, unsigned lb,
                              uint64_t shift, kiln_order oo) {
    size_t n = (size_t)1 << log_n, N = n << lb;
    std::vector<uint64_t> dst(N * ncols);
    GpuEmu &e = GpuEmu::get(0);
    uint64_t wN = kiln_gl_root_of_unity(log_n + lb);
    for (size_t k = 0; k < ((size_t)1 << lb); k++)
        e.scale_tables(k, mul(shift, kiln_gl_pow(wN, rev(k, lb))), 1, n);
    kiln_ntt_scaling sc = {1, 0, 0, 1, 1};
    e.transform(src.data(), n, dst.data(), N, ncols, log_n, 0, sc, lb, n);
    if (oo == NAT)
        for (size_t c = 0; c < ncols; c++)
            kiln_ntt_bitrev_permute(dst.data() + c * N, log_n + lb);
    return dst;
}

TEST(NttGpuTables, EntriesArePowers) {
    GpuEmu &e = GpuEmu::get(1);
    uint64_t omega = kiln_gl_inv(KILN_GL_ROOT_2_32), x = 1;
    for (unsigned i = 0; i < 5000; i++, x = mul(x, omega))
        ASSERT_EQ(e.rf[i], x);
    EXPECT_EQ(e.rc[3], kiln_gl_pow(omega, 3 << 16));
    EXPECT_EQ(mul(e.rf[0x1234], e.rc[0xabcd]), kiln_gl_pow(omega, 0xabcd1234ULL));
    for (unsigned h = 1; h < KILN_NTT_LEVELS / 2; h *= 2) // lv[h + c] = w_(2h)^c
        for (unsigned c : {0u, h / 2, h - 1, h > 1 ? 1u : 0u})
            ASSERT_EQ(e.lv[h + c], kiln_gl_pow(kiln_gl_inv(root(31 - __builtin_clz(2 * h))), c));
    e.scale_tables(2, 3, 5, (size_t)1 << 20);
    const size_t k = 2 * KILN_NTT_TAB;
    EXPECT_EQ(mul(e.sf[k + 0x77], e.scs[k + 0xf]), mul(5, kiln_gl_pow(3, 0xf0077)));
}

TEST(NttGpuSchedule, PassCountsAndStageSplit) {
    unsigned log_N[KILN_NTT_MAX_PASSES], r[KILN_NTT_MAX_PASSES], log_J[KILN_NTT_MAX_PASSES];
    for (unsigned log_n = 0; log_n <= 32; log_n++)
        for (int dit = 0; dit < 2; dit++) {
            unsigned np = kiln_ntt_schedule(log_n, dit, log_N, r, log_J), total = 0;
            ASSERT_LE(np, (unsigned)KILN_NTT_MAX_PASSES);
            for (unsigned s = 0; s < np; s++) {
                total += r[s];
                EXPECT_LE(r[s] + log_J[s], 12u);
            }
            EXPECT_EQ(total, log_n);
            unsigned want = log_n <= 12 ? 1 : log_n <= 20 ? 2 : log_n <= 28 ? 3 : 4;
            EXPECT_EQ(np, want) << log_n; // 2 passes for 2^13..2^20, 3 up to 2^28 (2^24 included)
        }
}

TEST_F(NttCpu, EmulatedGpuPassesMatchCpuNtt) {
    KilnRng rng(11);
    for (unsigned log_n : {1u, 2u, 4u, 9u, 12u, 13u, 16u, 17u})
        for (int inverse = 0; inverse < 2; inverse++)
            for (kiln_order io : {NAT, BR})
                for (kiln_order oo : {NAT, BR}) {
                    size_t ncols = log_n <= 12 ? 2 : 1;
                    uint64_t shift =
                        (log_n + io + 2 * oo) % 3 == 0 ? 1 : kShifts[(log_n + inverse) % 3 ? 2 : 1];
                    auto in = rng.fields(ncols << log_n);
                    ASSERT_EQ(emu_ntt(in, ncols, log_n, inverse, shift, io, oo),
                              ntt(in, ncols, log_n, inverse, shift, io, oo))
                        << "log_n " << log_n << " inverse " << inverse << " orders " << io << oo;
                }
}

TEST_F(NttCpu, EmulatedGpuPassesMatchCpuLarge) {
    KilnRng rng(12);
    // 2^21: three passes (5 + 4 + 12 stages), coset factors in the first (DIF) or last (DIT) pass
    const unsigned log_n = 21;
    auto in = rng.fields((size_t)1 << log_n);
    ASSERT_EQ(emu_ntt(in, 1, log_n, 0, 7, NAT, BR), ntt(in, 1, log_n, 0, 7, NAT, BR));
    ASSERT_EQ(emu_ntt(in, 1, log_n, 1, 7, BR, NAT), ntt(in, 1, log_n, 1, 7, BR, NAT));
}

TEST_F(NttCpu, EmulatedGpuLdeMatchesCpu) {
    KilnRng rng(13);
    for (unsigned log_n : {0u, 2u, 11u, 13u, 14u})
        for (unsigned lb : {1u, 4u})
            for (kiln_order oo : {NAT, BR}) {
                size_t n = (size_t)1 << log_n, N = n << lb, ncols = 2;
                auto a = rng.fields(n * ncols);
                KilnBuf src(be, a), dst(be, N * ncols);
                ASSERT_EQ(kiln_lde_from_coeffs(be, src, 0, dst, 0, ncols, log_n, lb, 5, oo), KILN_OK);
                ASSERT_EQ(emu_lde(a, ncols, log_n, lb, 5, oo), dst.get(N * ncols))
                    << "log_n " << log_n << " blowup 2^" << lb << " order " << oo;
            }
}

// ---- CUDA against CPU ----

struct NttCudaVsCpu : ::testing::Test {
    void SetUp() override { KILN_REQUIRE_GPU(); }
};

TEST_F(NttCudaVsCpu, NttAllOrdersAndSizes) {
    KilnBackend cpu(KILN_BACKEND_CPU), gpu(KILN_BACKEND_CUDA);
    ASSERT_NE(gpu.be, nullptr);
    KilnRng rng(9);
    for (unsigned log_n : {0u, 1u, 2u, 5u, 8u, 10u, 11u, 12u, 13u, 15u, 16u, 17u, 19u, 20u, 21u, 22u, 24u})
        for (int inverse = 0; inverse < 2; inverse++)
            for (kiln_order io : {NAT, BR})
                for (kiln_order oo : {NAT, BR}) {
                    if (log_n >= 21 && io == oo) continue; // keep the CPU side short
                    size_t ncols = log_n <= 16 ? 3 : 1;
                    uint64_t shift = kShifts[(log_n + inverse + io) % 3];
                    auto in = rng.fields(ncols << log_n);
                    KilnBuf bc(cpu, in), bg(gpu, in);
                    ASSERT_EQ(kiln_ntt(cpu, bc, 0, ncols, log_n, inverse, shift, io, oo), KILN_OK);
                    ASSERT_EQ(kiln_ntt(gpu, bg, 0, ncols, log_n, inverse, shift, io, oo), KILN_OK)
                        << kiln_backend_error(gpu);
                    ASSERT_EQ(bg.get(in.size()), bc.get(in.size()))
                        << "log_n " << log_n << " inverse " << inverse << " orders " << io << oo;
                }
}

TEST_F(NttCudaVsCpu, LdeFromCoeffsAndLde) {
    KilnBackend cpu(KILN_BACKEND_CPU), gpu(KILN_BACKEND_CUDA);
    ASSERT_NE(gpu.be, nullptr);
    KilnRng rng(10);
    for (unsigned log_n : {0u, 3u, 10u, 12u, 16u, 20u})
        for (unsigned lb = 1; lb <= 4; lb++)
            for (kiln_order oo : {NAT, BR}) {
                if (log_n == 20 && lb > 2) continue;
                size_t ncols = log_n >= 16 ? 2 : 5, n = (size_t)1 << log_n, N = n << lb;
                auto a = rng.fields(n * ncols);
                KilnBuf sc(cpu, a), dc(cpu, N * ncols), sg(gpu, a), dg(gpu, N * ncols);
                ASSERT_EQ(kiln_lde_from_coeffs(cpu, sc, 0, dc, 0, ncols, log_n, lb, 7, oo), KILN_OK);
                ASSERT_EQ(kiln_lde_from_coeffs(gpu, sg, 0, dg, 0, ncols, log_n, lb, 7, oo), KILN_OK)
                    << kiln_backend_error(gpu);
                ASSERT_EQ(dg.get(N * ncols), dc.get(N * ncols)) << "log_n " << log_n << " lb " << lb;
                EXPECT_EQ(sg.get(a.size()), a);
                ASSERT_EQ(kiln_lde(cpu, sc, 0, dc, 0, ncols, log_n, lb, 3, oo), KILN_OK);
                ASSERT_EQ(kiln_lde(gpu, sg, 0, dg, 0, ncols, log_n, lb, 3, oo), KILN_OK);
                ASSERT_EQ(dg.get(N * ncols), dc.get(N * ncols));
                ASSERT_EQ(sg.get(a.size()), sc.get(a.size()));
            }
}

} // namespace
