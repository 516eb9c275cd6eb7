// Keccak-256 (Ethereum padding): published digests, the permutation checked through OpenSSL's SHA3-256 (same
// Keccak-f[1600], padding 0x06), incremental hashing at every split point, and the word-oriented forms used
// by Merkle trees.
#include "kiln_test.h"

#include <cstring>
#include <string>

#include "keccak/keccak.h"
#include "keccak/keccak_hd.h"

#ifdef KILN_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

namespace {

std::string hex(const uint8_t *d, size_t n) {
    static const char *digits = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; i++) {
        s += digits[d[i] >> 4];
        s += digits[d[i] & 15];
    }
    return s;
}

std::string keccak_hex(const std::string &msg) {
    uint8_t d[32];
    kiln_keccak256(msg.data(), msg.size(), d);
    return hex(d, 32);
}

TEST(Keccak256, EmptyString) {
    EXPECT_EQ(keccak_hex(""), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, Abc) {
    EXPECT_EQ(keccak_hex("abc"), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Keccak256, QuickBrownFox) {
    EXPECT_EQ(keccak_hex("The quick brown fox jumps over the lazy dog"),
              "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
}

TEST(Keccak256, PermutationOfZeroStateKnownLanes) {
    // Keccak-f[1600] of the all-zero state (Keccak team's intermediate values).
    uint64_t s[25] = {0};
    kiln_keccak_f1600(s);
    EXPECT_EQ(s[0], 0xF1258F7940E1DDE7ULL);
    EXPECT_EQ(s[1], 0x84D5CCF933C0478AULL);
}

#ifdef KILN_HAVE_OPENSSL
// SHA3-256 built on Kiln's permutation: rate 136, domain byte 0x06.
void sha3_256_with_kiln_permutation(const uint8_t *msg, size_t len, uint8_t out[32]) {
    uint64_t s[25] = {0};
    std::vector<uint8_t> block(136);
    size_t at = 0;
    for (;;) {
        size_t take = len - at < 136 ? len - at : 136;
        std::fill(block.begin(), block.end(), 0);
        std::memcpy(block.data(), msg + at, take);
        at += take;
        bool last = take < 136;
        if (last) {
            block[take] ^= 0x06;
            block[135] ^= 0x80;
        }
        for (int j = 0; j < 17; j++)
            for (int b = 0; b < 8; b++)
                s[j] ^= (uint64_t)block[8 * j + b] << (8 * b);
        kiln_keccak_f1600(s);
        if (last) break;
    }
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(s[i / 8] >> (8 * (i % 8)));
}

void openssl_sha3_256(const uint8_t *msg, size_t len, uint8_t out[32]) {
    unsigned int n = 0;
    ASSERT_EQ(EVP_Digest(msg, len, out, &n, EVP_sha3_256(), nullptr), 1);
    ASSERT_EQ(n, 32u);
}

TEST(Keccak256, PermutationMatchesOpenSslSha3OnManyLengths) {
    KilnRng rng(21);
    std::vector<uint8_t> msg(700);
    for (auto &b : msg)
        b = (uint8_t)rng.next();
    for (size_t len = 0; len <= msg.size(); len += (len < 300 ? 1 : 37)) {
        uint8_t a[32], b[32];
        sha3_256_with_kiln_permutation(msg.data(), len, a);
        openssl_sha3_256(msg.data(), len, b);
        ASSERT_EQ(hex(a, 32), hex(b, 32)) << "len " << len;
    }
}

TEST(Keccak256, PermutationMatchesOpenSslSha3OnOneMillionA) {
    std::vector<uint8_t> msg(1000000, 'a');
    uint8_t a[32], b[32];
    sha3_256_with_kiln_permutation(msg.data(), msg.size(), a);
    openssl_sha3_256(msg.data(), msg.size(), b);
    EXPECT_EQ(hex(a, 32), hex(b, 32));
}
#endif

// Keccak-256 as the sponge written out by hand over Kiln's permutation (domain byte 0x01), so the one-shot
// and incremental code paths (block loads, partial blocks, padding) are checked against a second route.
std::string keccak_by_sponge(const std::vector<uint8_t> &msg) {
    uint64_t s[25] = {0};
    std::vector<uint8_t> padded = msg;
    padded.push_back(0x01);
    while (padded.size() % 136)
        padded.push_back(0);
    padded.back() |= 0x80;
    for (size_t at = 0; at < padded.size(); at += 136) {
        for (int j = 0; j < 17; j++)
            for (int b = 0; b < 8; b++)
                s[j] ^= (uint64_t)padded[at + 8 * j + b] << (8 * b);
        kiln_keccak_f1600(s);
    }
    uint8_t out[32];
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(s[i / 8] >> (8 * (i % 8)));
    return hex(out, 32);
}

TEST(Keccak256, OneShotMatchesHandWrittenSponge) {
    KilnRng rng(22);
    for (size_t len : {0, 1, 55, 135, 136, 137, 271, 272, 273, 1000, 4096}) {
        std::vector<uint8_t> msg(len);
        for (auto &b : msg)
            b = (uint8_t)rng.next();
        uint8_t d[32];
        kiln_keccak256(msg.data(), len, d);
        EXPECT_EQ(hex(d, 32), keccak_by_sponge(msg)) << "len " << len;
    }
}

TEST(Keccak256, IncrementalEqualsOneShotAtEverySplit) {
    KilnRng rng(23);
    std::vector<uint8_t> msg(420);
    for (auto &b : msg)
        b = (uint8_t)rng.next();
    uint8_t want[32];
    kiln_keccak256(msg.data(), msg.size(), want);
    for (size_t i = 0; i <= msg.size(); i++) {
        kiln_keccak256_ctx ctx;
        kiln_keccak256_init(&ctx);
        kiln_keccak256_update(&ctx, msg.data(), i);
        kiln_keccak256_update(&ctx, msg.data() + i, msg.size() - i);
        uint8_t got[32];
        kiln_keccak256_final(&ctx, got);
        ASSERT_EQ(hex(got, 32), hex(want, 32)) << "split at " << i;
    }
    // Three pieces, and byte by byte.
    for (size_t i = 0; i <= msg.size(); i += 13)
        for (size_t j = i; j <= msg.size(); j += 29) {
            kiln_keccak256_ctx ctx;
            kiln_keccak256_init(&ctx);
            kiln_keccak256_update(&ctx, msg.data(), i);
            kiln_keccak256_update(&ctx, msg.data() + i, j - i);
            kiln_keccak256_update(&ctx, msg.data() + j, msg.size() - j);
            uint8_t got[32];
            kiln_keccak256_final(&ctx, got);
            ASSERT_EQ(hex(got, 32), hex(want, 32)) << "splits at " << i << ", " << j;
        }
    kiln_keccak256_ctx ctx;
    kiln_keccak256_init(&ctx);
    for (uint8_t b : msg)
        kiln_keccak256_update(&ctx, &b, 1);
    kiln_keccak256_update(&ctx, nullptr, 0);
    uint8_t got[32];
    kiln_keccak256_final(&ctx, got);
    EXPECT_EQ(hex(got, 32), hex(want, 32));
}

TEST(Keccak256, WordFormsEqualByteHashes) {
    KilnRng rng(24);
    for (size_t n : {0, 1, 4, 8, 16, 17, 18, 33, 34, 35, 64}) {
        auto words = rng.fields(n);
        std::vector<uint8_t> bytes(8 * n);
        for (size_t i = 0; i < 8 * n; i++)
            bytes[i] = (uint8_t)(words[i / 8] >> (8 * (i % 8)));
        uint8_t want[32];
        kiln_keccak256(bytes.data(), bytes.size(), want);
        uint64_t got[4];
        kiln_keccak256_words_strided(words.data(), 1, n, got);
        uint8_t gotb[32];
        for (int i = 0; i < 32; i++)
            gotb[i] = (uint8_t)(got[i / 8] >> (8 * (i % 8)));
        EXPECT_EQ(hex(gotb, 32), hex(want, 32)) << "n = " << n;
    }
    auto l = rng.fields(4), r = rng.fields(4);
    std::vector<uint8_t> bytes(64);
    for (int i = 0; i < 64; i++)
        bytes[i] = (uint8_t)((i < 32 ? l[i / 8] : r[(i - 32) / 8]) >> (8 * (i % 8)));
    uint8_t want[32];
    kiln_keccak256(bytes.data(), 64, want);
    uint64_t got[4];
    kiln_keccak256_node(l.data(), r.data(), got);
    for (int i = 0; i < 32; i++)
        EXPECT_EQ((uint8_t)(got[i / 8] >> (8 * (i % 8))), want[i]) << "byte " << i;
}

} // namespace
