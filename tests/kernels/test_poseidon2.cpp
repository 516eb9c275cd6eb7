// Poseidon2 (Boojum's parameters): the three known answers of reference/poseidon2-goldilocks.md, a slow
// reference written from the specification (explicit 12x12 matrices, canonical field arithmetic), and the
// hashing modes built from the permutation by hand.
#include "kiln_test.h"

#include <cstdio>

#include "field/goldilocks.h"
#include "poseidon2/poseidon2.h"
#include "poseidon2/poseidon2_avx512.h"
#include "poseidon2/poseidon2_hd.h"

namespace {

const uint64_t P = KILN_GL_P;

std::vector<uint64_t> permuted(std::vector<uint64_t> s) {
    kiln_poseidon2_permute(s.data());
    return s;
}

TEST(Poseidon2, KnownAnswerCounting) {
    std::vector<uint64_t> in(12);
    for (int i = 0; i < 12; i++)
        in[i] = (uint64_t)i;
    std::vector<uint64_t> want = {0x5d82c16b87f07f98, 0x3655af22bb2f037d, 0x82c1535dfb4bdf90,
                                  0x4d318cfdafd2378e, 0xeb1268ea6a2a193d, 0x9c63e30e83c421f1,
                                  0x3c92467548423cb5, 0xa35f46ad84b528d8, 0x78772d90dcdfc5a9,
                                  0x9e40a5ac16fc1a22, 0xd9d4ef30b7fd161e, 0x65d6088403490555};
    EXPECT_EQ(permuted(in), want);
}

TEST(Poseidon2, KnownAnswerZeros) {
    std::vector<uint64_t> want = {0x78e86c27e831c353, 0xc4c13a505ffd93b8, 0xc3a6d7d7f7971adc,
                                  0xf6ff8f53ab94d8c7, 0x303ac75657e46867, 0x46ba4a78ec511686,
                                  0x3c3d14c26ded4c8a, 0x94e9facb98358b24, 0x0bc0f0927b77ed81,
                                  0x539d02a84fe77b34, 0x08f782d5fd75ff38, 0x292838440f8a0e5e};
    EXPECT_EQ(permuted(std::vector<uint64_t>(12, 0)), want);
}

TEST(Poseidon2, KnownAnswerAllMinusOne) {
    std::vector<uint64_t> want = {0x96870c9e1b4c87bb, 0x4bd27b2d1a8808f0, 0x9c76f4aa8f03745d,
                                  0x6bb1033a35c4c091, 0x68391ee29816f753, 0x9963cf0e763b9c77,
                                  0x8989fa00bea32924, 0x8ac400cbe9e7bf5c, 0xef0f510776d14204,
                                  0x18e2aeab0395259d, 0x2297b90f710cbea8, 0x8b0d50d2334bbb0c};
    EXPECT_EQ(permuted(std::vector<uint64_t>(12, P - 1)), want);
}

// Slow reference: the layers as explicit matrices over canonical field arithmetic.
void ref_matvec(const uint64_t m[12][12], uint64_t *x) {
    uint64_t y[12];
    for (int i = 0; i < 12; i++) {
        y[i] = 0;
        for (int j = 0; j < 12; j++)
            y[i] = kiln_gl_add(y[i], kiln_gl_mul(m[i][j] % P, x[j]));
    }
    for (int i = 0; i < 12; i++)
        x[i] = y[i];
}

void ref_permute(uint64_t *x) {
    static const uint64_t m4[4][4] = {{5, 7, 1, 3}, {4, 6, 1, 1}, {1, 3, 5, 7}, {1, 1, 4, 6}};
    static const uint64_t diag[12] = {17, 16385, 2049, 257, 2, 33, 5, 513, 8193, 65, 9, 4097};
    uint64_t me[12][12], mi[12][12];
    for (int i = 0; i < 12; i++)
        for (int j = 0; j < 12; j++) {
            me[i][j] = m4[i % 4][j % 4] * (i / 4 == j / 4 ? 2 : 1);
            mi[i][j] = i == j ? diag[i] : 1;
        }
    auto sbox = [](uint64_t v) { return kiln_gl_pow(v, 7); };
    ref_matvec(me, x);
    for (int r = 0; r < 30; r++) {
        bool full = r < 4 || r >= 26;
        if (full) {
            for (int i = 0; i < 12; i++)
                x[i] = sbox(kiln_gl_add(x[i], kiln_poseidon2_rc[r][i]));
            ref_matvec(me, x);
        } else {
            x[0] = sbox(kiln_gl_add(x[0], kiln_poseidon2_rc[r][0]));
            ref_matvec(mi, x);
        }
    }
}

TEST(Poseidon2, MatchesMatrixReferenceOnRandomAndEdgeInputs) {
    KilnRng rng(7);
    for (int t = 0; t < 200; t++) {
        std::vector<uint64_t> s(12);
        for (int i = 0; i < 12; i++) {
            // Mix uniform values with the extremes that stress the lazy reduction.
            switch (rng.next() % 4) {
            case 0:
                s[i] = P - 1 - rng.next() % 4;
                break;
            case 1:
                s[i] = rng.next() % 4;
                break;
            default:
                s[i] = rng.field();
            }
        }
        std::vector<uint64_t> want = s;
        ref_permute(want.data());
        EXPECT_EQ(permuted(s), want) << "trial " << t;
    }
}

TEST(Poseidon2, OutputIsCanonical) {
    KilnRng rng(9);
    for (int t = 0; t < 1000; t++) {
        auto s = permuted(rng.fields(12));
        for (uint64_t v : s)
            ASSERT_LT(v, P);
    }
}

TEST(Poseidon2, LeafHashIsOverwriteSpongeWithZeroPadding) {
    KilnRng rng(11);
    for (size_t n : {0, 1, 4, 7, 8, 9, 16, 17, 23, 64, 65}) {
        auto in = rng.fields(n);
        uint64_t s[12] = {0};
        for (size_t c = 0; c < n; c += 8) {
            for (size_t j = 0; j < 8; j++)
                s[j] = c + j < n ? in[c + j] : 0;
            kiln_poseidon2_permute(s);
        }
        uint64_t got[4];
        kiln_poseidon2_hash_leaf(in.data(), n, got);
        for (int i = 0; i < 4; i++)
            EXPECT_EQ(got[i], s[i]) << "n = " << n;
    }
}

TEST(Poseidon2, NodeHashPermutesLeftRightZeros) {
    KilnRng rng(12);
    auto l = rng.fields(4), r = rng.fields(4);
    uint64_t s[12] = {l[0], l[1], l[2], l[3], r[0], r[1], r[2], r[3], 0, 0, 0, 0};
    kiln_poseidon2_permute(s);
    uint64_t got[4];
    kiln_poseidon2_hash_node(l.data(), r.data(), got);
    for (int i = 0; i < 4; i++)
        EXPECT_EQ(got[i], s[i]);
    kiln_poseidon2_hash_node(r.data(), l.data(), got);
    EXPECT_NE(got[0], s[0]); // order matters
}

TEST(Poseidon2, VariableLengthHashPadsWithOneAndIsInjectiveOnZeroSuffixes) {
    KilnRng rng(13);
    for (size_t n : {0, 1, 7, 8, 9, 15, 16}) {
        auto in = rng.fields(n);
        std::vector<uint64_t> padded = in;
        padded.push_back(1);
        while (padded.size() % 8)
            padded.push_back(0);
        uint64_t s[12] = {0};
        for (size_t c = 0; c < padded.size(); c += 8) {
            for (size_t j = 0; j < 8; j++)
                s[j] = padded[c + j];
            kiln_poseidon2_permute(s);
        }
        uint64_t got[4];
        kiln_poseidon2_hash_var(in.data(), n, got);
        for (int i = 0; i < 4; i++)
            EXPECT_EQ(got[i], s[i]) << "n = " << n;
        // Appending a zero must change the digest (the leaf hash would not).
        std::vector<uint64_t> longer = in;
        longer.push_back(0);
        uint64_t got2[4];
        kiln_poseidon2_hash_var(longer.data(), longer.size(), got2);
        EXPECT_NE(std::vector<uint64_t>(got, got + 4), std::vector<uint64_t>(got2, got2 + 4)) << "n = " << n;
    }
}

} // namespace

namespace {

TEST(Poseidon2, InterleavedPairsEqualSingleCalls) {
    KilnRng rng(14);
    for (int t = 0; t < 50; t++) {
        auto a = rng.fields(12), b = rng.fields(12);
        auto wa = permuted(a), wb = permuted(b);
        kiln_p2_permute_x2(a.data(), b.data());
        EXPECT_EQ(a, wa);
        EXPECT_EQ(b, wb);
    }
    for (size_t n : {0, 3, 8, 13, 64}) {
        // Rows with a stride of 3: elements at 0, 3, 6, ...
        auto ra = rng.fields(3 * n + 1), rb = rng.fields(3 * n + 1);
        std::vector<uint64_t> ca, cb;
        for (size_t i = 0; i < n; i++) {
            ca.push_back(ra[3 * i]);
            cb.push_back(rb[3 * i]);
        }
        uint64_t ga[4], gb[4], wa[4], wb[4];
        kiln_p2_hash_leaf_strided_x2(ra.data(), rb.data(), 3, n, ga, gb);
        kiln_poseidon2_hash_leaf(ca.data(), n, wa);
        kiln_poseidon2_hash_leaf(cb.data(), n, wb);
        for (int i = 0; i < 4; i++) {
            EXPECT_EQ(ga[i], wa[i]) << "n = " << n;
            EXPECT_EQ(gb[i], wb[i]) << "n = " << n;
        }
    }
    auto d = rng.fields(16);
    uint64_t ga[4], gb[4], wa[4], wb[4];
    kiln_p2_hash_node_x2(&d[0], &d[4], &d[8], &d[12], ga, gb);
    kiln_poseidon2_hash_node(&d[0], &d[4], wa);
    kiln_poseidon2_hash_node(&d[8], &d[12], wb);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(ga[i], wa[i]);
        EXPECT_EQ(gb[i], wb[i]);
    }
}

// The eight-lane functions (AVX-512 in -march=native builds on such CPUs, scalar loops elsewhere) against
// the scalar permutation and hashes.

TEST(Poseidon2X8, ReportsWhichPathThisBuildRuns) {
    EXPECT_EQ(kiln_p2_x8_native(), KILN_P2_X8_NATIVE);
    std::printf("kiln_p2_x8_native() = %d\n", kiln_p2_x8_native());
}

// Eight states, state l in lane l: the result of kiln_p2_permute_x8 must equal eight scalar permutations.
void check_x8_against_scalar(const std::vector<std::vector<uint64_t>> &states) {
    ASSERT_EQ(states.size(), 8u);
    uint64_t st[12][8];
    for (int l = 0; l < 8; l++)
        for (int i = 0; i < 12; i++)
            st[i][l] = states[l][i];
    kiln_p2_permute_x8(st);
    for (int l = 0; l < 8; l++) {
        auto want = permuted(states[l]);
        for (int i = 0; i < 12; i++)
            ASSERT_EQ(st[i][l], want[i]) << "lane " << l << " element " << i << " input " << states[l][i];
    }
}

TEST(Poseidon2X8, PermutationEqualsEightScalarOnRandomStates) {
    KilnRng rng(81);
    for (int t = 0; t < 200; t++) {
        std::vector<std::vector<uint64_t>> states;
        for (int l = 0; l < 8; l++)
            states.push_back(rng.fields(12));
        check_x8_against_scalar(states);
    }
    // Arbitrary 64-bit words too (the permutation reads its inputs mod p).
    for (int t = 0; t < 50; t++) {
        std::vector<std::vector<uint64_t>> states(8, std::vector<uint64_t>(12));
        for (auto &s : states)
            for (auto &x : s)
                x = rng.next();
        check_x8_against_scalar(states);
    }
}

TEST(Poseidon2X8, PermutationEqualsEightScalarOnEdgeValues) {
    const uint64_t edges[] = {0,
                              1,
                              2,
                              P - 1,
                              P - 2,
                              P,
                              P + 1,
                              ~0ULL,
                              ~0ULL - 1,
                              1ULL << 32,
                              (1ULL << 32) - 1,
                              (1ULL << 32) + 1,
                              1ULL << 63,
                              (1ULL << 63) - 1,
                              0xFFFFFFFF00000000ULL,
                              0x00000000FFFFFFFFULL,
                              0x8000000080000000ULL,
                              P >> 1};
    const size_t ne = sizeof edges / sizeof edges[0];
    KilnRng rng(82);
    // Uniform states of each edge value, then states mixing edge values and random elements.
    for (size_t e = 0; e < ne; e += 8) {
        std::vector<std::vector<uint64_t>> states;
        for (int l = 0; l < 8; l++)
            states.push_back(std::vector<uint64_t>(12, edges[(e + l) % ne]));
        check_x8_against_scalar(states);
    }
    for (int t = 0; t < 100; t++) {
        std::vector<std::vector<uint64_t>> states(8, std::vector<uint64_t>(12));
        for (auto &s : states)
            for (auto &x : s)
                x = rng.next() % 3 == 0 ? rng.field() : edges[rng.next() % ne];
        check_x8_against_scalar(states);
    }
}

TEST(Poseidon2X8, LeafHashesEqualScalarForEveryWidthAndLayout) {
    KilnRng rng(83);
    for (size_t n = 0; n <= 40; n++) {
        // Column-major (row stride 1), row-major (column stride 1) and a padded, doubly strided layout.
        struct {
            size_t row_stride, col_stride;
        } layouts[] = {{1, 8 + 3}, {n + 2, 1}, {3, 8 * 3 + 5}};
        for (auto lay : layouts) {
            size_t words = 7 * lay.row_stride + (n ? n - 1 : 0) * lay.col_stride + 1;
            auto m = rng.fields(words);
            std::vector<uint64_t> got(32 + 1, 0x5555);
            kiln_p2_hash_leaf_strided_x8(m.data(), lay.row_stride, lay.col_stride, n, got.data());
            for (int l = 0; l < 8; l++) {
                std::vector<uint64_t> row(n);
                for (size_t c = 0; c < n; c++)
                    row[c] = m[l * lay.row_stride + c * lay.col_stride];
                uint64_t want[4];
                kiln_poseidon2_hash_leaf(row.data(), n, want);
                for (int w = 0; w < 4; w++)
                    ASSERT_EQ(got[4 * l + w], want[w])
                        << "n " << n << " row stride " << lay.row_stride << " lane " << l;
            }
            EXPECT_EQ(got[32], 0x5555u); // nothing written past the eight digests
        }
    }
}

TEST(Poseidon2X8, NodeHashesEqualScalar) {
    KilnRng rng(84);
    for (int t = 0; t < 20; t++) {
        auto in = rng.fields(64);
        if (t == 1)
            for (auto &x : in)
                x = P - 1;
        if (t == 2)
            for (auto &x : in)
                x = 0;
        std::vector<uint64_t> got(33, 0x5555);
        kiln_p2_hash_node_x8(in.data(), got.data());
        for (int l = 0; l < 8; l++) {
            uint64_t want[4];
            kiln_poseidon2_hash_node(&in[8 * l], &in[8 * l + 4], want);
            for (int w = 0; w < 4; w++)
                ASSERT_EQ(got[4 * l + w], want[w]) << "lane " << l;
        }
        EXPECT_EQ(got[32], 0x5555u);
    }
}

} // namespace
