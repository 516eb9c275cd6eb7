// Proof-of-work grinding against a slow reference: the value of a nonce computed with the byte-level Keccak-256
// API (keccak.h) or the host Poseidon2 permutation (poseidon2.h), and the smallest passing nonce found by a
// plain loop from 0. Seeds cover every Poseidon2 nonce position and Keccak sponges whose nonce crosses a block
// boundary. The thread count is forced above one. CUDA is compared with CPU.
#include "kiln_test.h"

#include <cstring>

#include "common/parallel.h"
#include "keccak/keccak.h"
#include "poseidon2/poseidon2.h"

namespace {

uint64_t ref_value(const kiln_pow_seed &s, uint64_t nonce) {
    if (s.hasher == KILN_HASHER_POSEIDON2) {
        uint64_t st[12];
        memcpy(st, s.state, sizeof st);
        st[s.pos] = nonce;
        kiln_poseidon2_permute(st);
        return st[7];
    }
    kiln_keccak256_ctx c;
    memcpy(c.state, s.state, sizeof c.state);
    c.absorbed = s.pos;
    uint8_t b[8], d[40], o[32];
    for (int k = 0; k < 8; k++) b[k] = (uint8_t)(nonce >> (8 * k));
    kiln_keccak256_update(&c, b, 8);
    kiln_keccak256_final(&c, d);
    memset(d + 32, 0, 8);
    kiln_keccak256(d, sizeof d, o);
    uint64_t lo = 0, hi = 0;
    for (int k = 0; k < 8; k++) {
        lo |= (uint64_t)o[k] << (8 * k);
        hi |= (uint64_t)o[8 + k] << (8 * k);
    }
    // (lo + 2^64 * (hi mod p)) mod p, with 128-bit arithmetic.
    unsigned __int128 v = ((unsigned __int128)(hi >= KILN_GL_P ? hi - KILN_GL_P : hi) << 64) | lo;
    return (uint64_t)(v % KILN_GL_P);
}

uint64_t ref_grind(const kiln_pow_seed &s, unsigned bits) {
    for (uint64_t n = 0;; n++)
        if ((ref_value(s, n) & ((1ULL << bits) - 1)) == 0) return n;
}

kiln_pow_seed p2_seed(KilnRng &rng, unsigned pos) {
    kiln_pow_seed s;
    memset(&s, 0, sizeof s);
    s.hasher = KILN_HASHER_POSEIDON2;
    for (int i = 0; i < 12; i++) s.state[i] = rng.field();
    s.pos = pos;
    return s;
}

// A Keccak sponge after absorbing len random bytes.
kiln_pow_seed keccak_seed(KilnRng &rng, size_t len) {
    kiln_keccak256_ctx c;
    kiln_keccak256_init(&c);
    std::vector<uint8_t> bytes(len);
    for (auto &b : bytes) b = (uint8_t)rng.next();
    kiln_keccak256_update(&c, bytes.data(), len);
    kiln_pow_seed s;
    memset(&s, 0, sizeof s);
    s.hasher = KILN_HASHER_KECCAK;
    memcpy(s.state, c.state, sizeof c.state);
    s.pos = (unsigned)c.absorbed;
    return s;
}

uint64_t grind(kiln_backend *be, const kiln_pow_seed &s, unsigned bits) {
    uint64_t n = 12345;
    EXPECT_EQ(kiln_pow_grind(be, &s, bits, &n), KILN_OK) << kiln_backend_error(be);
    return n;
}

TEST(Pow, Poseidon2SmallestNonceAtEveryPosition) {
    ThreadsGuard threads(3);
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(41);
    for (unsigned pos = 0; pos < 8; pos++)
        for (unsigned bits : {1u, 4u, 9u, 12u}) {
            kiln_pow_seed s = p2_seed(rng, pos);
            uint64_t want = ref_grind(s, bits);
            EXPECT_EQ(grind(be, s, bits), want) << "pos " << pos << " bits " << bits;
        }
}

// Release builds try eight Poseidon2 nonces per permutation (poseidon2_avx512.h): with few bits a group of
// eight often holds several passing nonces, and the smallest must win, on one thread and on several.
TEST(Pow, Poseidon2EightLaneGroupsKeepTheSmallestNonce) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(46);
    for (unsigned threads : {1u, 2u, 3u}) {
        ThreadsGuard guard(threads);
        for (int k = 0; k < 24; k++) {
            unsigned bits = 1 + (unsigned)(rng.next() % 6);
            kiln_pow_seed s = p2_seed(rng, (unsigned)(rng.next() % 8));
            EXPECT_EQ(grind(be, s, bits), ref_grind(s, bits)) << "seed " << k << " bits " << bits;
        }
    }
}

TEST(Pow, KeccakSmallestNonceAcrossBlockBoundaries) {
    ThreadsGuard threads(3);
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(42);
    // Absorbed counts 0, 32 (a fresh squeeze), and 128..135 where the nonce's bytes cross into the next block.
    for (size_t len : {(size_t)0, (size_t)32, (size_t)100, (size_t)128, (size_t)129, (size_t)133, (size_t)135,
                       (size_t)136, (size_t)300})
        for (unsigned bits : {3u, 10u}) {
            kiln_pow_seed s = keccak_seed(rng, len);
            uint64_t want = ref_grind(s, bits);
            EXPECT_EQ(grind(be, s, bits), want) << "len " << len << " bits " << bits;
        }
}

TEST(Pow, ZeroBitsAndSingleThread) {
    KilnRng rng(43);
    KilnBackend be(KILN_BACKEND_CPU);
    kiln_pow_seed s = p2_seed(rng, 3);
    EXPECT_EQ(grind(be, s, 0), 0u);
    ThreadsGuard threads(1);
    EXPECT_EQ(grind(be, s, 11), ref_grind(s, 11));
}

TEST(Pow, RejectsBadArguments) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(44);
    uint64_t n;
    kiln_pow_seed s = p2_seed(rng, 0);
    EXPECT_EQ(kiln_pow_grind(be, nullptr, 4, &n), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_pow_grind(be, &s, 4, nullptr), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_pow_grind(be, &s, 49, &n), KILN_ERR_INVALID_ARG);
    s.pos = 8;
    EXPECT_EQ(kiln_pow_grind(be, &s, 4, &n), KILN_ERR_INVALID_ARG);
    s.pos = 0;
    s.state[5] = KILN_GL_P;
    EXPECT_EQ(kiln_pow_grind(be, &s, 4, &n), KILN_ERR_INVALID_ARG);
    EXPECT_NE(std::string(kiln_backend_error(be)), "");
    kiln_pow_seed k = keccak_seed(rng, 10);
    k.pos = KILN_KECCAK256_RATE;
    EXPECT_EQ(kiln_pow_grind(be, &k, 4, &n), KILN_ERR_INVALID_ARG);
    k.pos = 0;
    k.hasher = (kiln_hasher)7;
    EXPECT_EQ(kiln_pow_grind(be, &k, 4, &n), KILN_ERR_INVALID_ARG);
}

TEST(PowCuda, SameNonceAsCpu) {
    KILN_REQUIRE_GPU();
    KilnBackend cpu(KILN_BACKEND_CPU), gpu(KILN_BACKEND_CUDA);
    ASSERT_NE(gpu.be, nullptr);
    KilnRng rng(45);
    for (unsigned pos = 0; pos < 8; pos++) {
        kiln_pow_seed s = p2_seed(rng, pos);
        for (unsigned bits : {1u, 8u, 16u}) EXPECT_EQ(grind(gpu, s, bits), grind(cpu, s, bits)) << "p2 pos " << pos;
    }
    for (size_t len : {(size_t)0, (size_t)32, (size_t)130, (size_t)135}) {
        kiln_pow_seed s = keccak_seed(rng, len);
        for (unsigned bits : {2u, 14u}) EXPECT_EQ(grind(gpu, s, bits), grind(cpu, s, bits)) << "keccak len " << len;
    }
    // A nonce past the first batch of 2^20 (22 bits needs about 4M tries on average).
    kiln_pow_seed s = p2_seed(rng, 2);
    EXPECT_EQ(grind(gpu, s, 22), grind(cpu, s, 22));
}

}  // namespace
