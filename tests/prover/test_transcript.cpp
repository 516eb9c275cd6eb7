// Transcript against direct Poseidon2/Keccak computations, and batched Merkle openings against single paths.
#include <algorithm>
#include <cstring>
#include <vector>

#include "kiln_test.h"
#include "keccak/keccak.h"
#include "poseidon2/poseidon2.h"
#include "proof_internal.h"

TEST(Transcript, Poseidon2DuplexByHand) {
    kiln_proof_transcript t;
    kiln_proof_transcript_init(&t, KILN_HASHER_POSEIDON2, "ab");
    uint64_t v[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    kiln_proof_transcript_absorb(&t, v, 9);
    uint64_t got0 = kiln_proof_transcript_squeeze(&t), got1 = kiln_proof_transcript_squeeze(&t);
    // By hand: init absorbs [len=2, 'a' | 'b' << 8], then 1..9: the rate fills after 6 of them, and the
    // squeeze overwrites the rate's first three elements with the pending 7, 8, 9 before permuting.
    uint64_t s[12] = {0};
    uint64_t in[8] = {2, 0x61 | (0x62 << 8), 1, 2, 3, 4, 5, 6};
    for (int i = 0; i < 8; i++) s[i] = in[i];
    kiln_poseidon2_permute(s);
    s[0] = 7;
    s[1] = 8;
    s[2] = 9;
    kiln_poseidon2_permute(s);
    EXPECT_EQ(got0, s[7]);
    EXPECT_EQ(got1, s[6]);
}

TEST(Transcript, KeccakChainByHand) {
    kiln_proof_transcript t;
    kiln_proof_transcript_init(&t, KILN_HASHER_KECCAK, "");
    uint64_t v = 0x0102030405060708ULL;
    kiln_proof_transcript_absorb(&t, &v, 1);
    uint64_t got = kiln_proof_transcript_squeeze(&t);
    // digest = keccak(prefix || len(=0) as 8 LE bytes || v as 8 LE bytes); out = keccak(digest || 0_u64)
    std::vector<uint8_t> m(reinterpret_cast<const uint8_t *>("kiln-transcript-keccak"),
                           reinterpret_cast<const uint8_t *>("kiln-transcript-keccak") + 22);
    for (int k = 0; k < 8; k++) m.push_back(0);
    for (int k = 0; k < 8; k++) m.push_back(uint8_t(v >> (8 * k)));
    uint8_t d[32], blk[40], out[32];
    kiln_keccak256(m.data(), m.size(), d);
    memcpy(blk, d, 32);
    memset(blk + 32, 0, 8);
    kiln_keccak256(blk, 40, out);
    uint64_t lo = 0, hi = 0;
    for (int k = 0; k < 8; k++) {
        lo |= uint64_t(out[k]) << (8 * k);
        hi |= uint64_t(out[8 + k]) << (8 * k);
    }
    unsigned __int128 x = (unsigned __int128)hi << 64 | lo;
    EXPECT_EQ(got, uint64_t(x % KILN_GL_P));
}

TEST(Transcript, ForksAreIndependentAndPowChecks) {
    kiln_proof_transcript a;
    kiln_proof_transcript_init(&a, KILN_HASHER_POSEIDON2, "x");
    kiln_proof_transcript b = a;
    uint64_t one = 1, two = 2;
    kiln_proof_transcript_absorb(&a, &one, 1);
    kiln_proof_transcript_absorb(&b, &two, 1);
    EXPECT_NE(kiln_proof_transcript_squeeze(&a), kiln_proof_transcript_squeeze(&b));
    // pow_ok agrees with absorbing the nonce and squeezing by hand.
    for (uint64_t nonce = 0; nonce < 64; nonce++) {
        kiln_proof_transcript c = b;
        kiln_proof_transcript_absorb(&c, &nonce, 1);
        uint64_t v = kiln_proof_transcript_squeeze(&c);
        EXPECT_EQ(kiln_proof_transcript_pow_ok(&b, nonce, 3), (v & 7) == 0);
    }
    EXPECT_FALSE(kiln_proof_transcript_pow_ok(&b, KILN_GL_P, 1));
}

TEST(MerkleBatch, MatchesSinglePathsAndRejectsChanges) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(3);
    for (kiln_hasher h : {KILN_HASHER_POSEIDON2, KILN_HASHER_KECCAK})
        for (unsigned cap : {0u, 2u}) {
            const unsigned logn = 7;
            const size_t n = size_t(1) << logn, w = 3;
            std::vector<uint64_t> rows = rng.fields(n * w);
            KilnBuf m(be, rows), tree(be, kiln_merkle_tree_digests(n, cap) * 4);
            kiln_matrix mat{m, 0, n, w, w, 1};
            std::vector<uint64_t> capv(4u << cap);
            ASSERT_EQ(kiln_merkle_commit(be, h, &mat, cap, tree, capv.data()), KILN_OK);
            std::vector<size_t> idx = {0, 1, 5, 6, 64, 100, 127};
            unsigned depth = logn - cap;
            std::vector<uint64_t> paths(idx.size() * depth * 4), leaves(idx.size() * 4);
            ASSERT_EQ(kiln_merkle_paths(be, tree, n, cap, idx.data(), idx.size(), paths.data()), KILN_OK);
            for (size_t i = 0; i < idx.size(); i++) {
                kiln_merkle_hash_leaf(h, &rows[idx[i] * w], w, &leaves[4 * i]);
                ASSERT_EQ(kiln_merkle_verify(h, &leaves[4 * i], idx[i], n, cap, &paths[i * depth * 4], capv.data()), KILN_OK);
            }
            uint64_t *sib = nullptr;
            size_t nsib = 0;
            ASSERT_EQ(kiln_batch_siblings(idx.data(), idx.size(), depth, paths.data(), &sib, &nsib), KILN_OK);
            EXPECT_LT(nsib, idx.size() * depth);  // shared nodes are not repeated
            EXPECT_TRUE(kiln_batch_verify(h, idx.data(), idx.size(), leaves.data(), logn, cap, sib, nsib, capv.data()));
            sib[4 * (nsib / 2)] ^= 1;
            EXPECT_FALSE(kiln_batch_verify(h, idx.data(), idx.size(), leaves.data(), logn, cap, sib, nsib, capv.data()));
            sib[4 * (nsib / 2)] ^= 1;
            EXPECT_FALSE(kiln_batch_verify(h, idx.data(), idx.size(), leaves.data(), logn, cap, sib, nsib - 1, capv.data()));
            leaves[5] ^= 1;
            EXPECT_FALSE(kiln_batch_verify(h, idx.data(), idx.size(), leaves.data(), logn, cap, sib, nsib, capv.data()));
            free(sib);
        }
}
