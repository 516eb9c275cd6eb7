// Merkle trees through the kernel API, against a slow recursive reference built from kiln_merkle_hash_leaf
// and kiln_merkle_hash_node; path verification and its failure on any altered word; argument checks; strided
// views; CUDA against CPU (skipped without a GPU).
#include "kiln_test.h"

#include <cstring>

#include "common/parallel.h"
#include "keccak/keccak.h"
#include "merkle/merkle.h"
#include "poseidon2/poseidon2.h"

namespace {

typedef std::vector<uint64_t> Digest;

const kiln_hasher kHashers[] = {KILN_HASHER_POSEIDON2, KILN_HASHER_KECCAK};

// Column-major matrix element (r, c) = m[r + c * nrows].
Digest leaf_of(kiln_hasher h, const std::vector<uint64_t> &m, size_t nrows, size_t ncols, size_t r) {
    std::vector<uint64_t> row(ncols);
    for (size_t c = 0; c < ncols; c++)
        row[c] = m[r + c * nrows];
    Digest d(4);
    kiln_merkle_hash_leaf(h, row.data(), ncols, d.data());
    return d;
}

// Root of the subtree over leaves [lo, lo + n), recursively.
Digest ref_root(kiln_hasher h, const std::vector<Digest> &leaves, size_t lo, size_t n) {
    if (n == 1) return leaves[lo];
    Digest l = ref_root(h, leaves, lo, n / 2), r = ref_root(h, leaves, lo + n / 2, n / 2), out(4);
    kiln_merkle_hash_node(h, l.data(), r.data(), out.data());
    return out;
}

std::vector<Digest> ref_cap(kiln_hasher h, const std::vector<Digest> &leaves, unsigned cap_log) {
    size_t caps = (size_t)1 << cap_log, per = leaves.size() / caps;
    std::vector<Digest> cap;
    for (size_t i = 0; i < caps; i++)
        cap.push_back(ref_root(h, leaves, i * per, per));
    return cap;
}

TEST(Merkle, HasherNames) {
    kiln_hasher h;
    EXPECT_EQ(kiln_hasher_parse("poseidon2", &h), KILN_OK);
    EXPECT_EQ(h, KILN_HASHER_POSEIDON2);
    EXPECT_EQ(kiln_hasher_parse("keccak", &h), KILN_OK);
    EXPECT_EQ(h, KILN_HASHER_KECCAK);
    EXPECT_EQ(kiln_hasher_parse("sha256", &h), KILN_ERR_PARSE);
    EXPECT_EQ(kiln_hasher_parse("", &h), KILN_ERR_PARSE);
    EXPECT_EQ(kiln_hasher_parse(nullptr, &h), KILN_ERR_INVALID_ARG);
    EXPECT_STREQ(kiln_hasher_name(KILN_HASHER_POSEIDON2), "poseidon2");
    EXPECT_STREQ(kiln_hasher_name(KILN_HASHER_KECCAK), "keccak");
}

TEST(Merkle, LeafAndNodeHashesFollowTheirDefinitions) {
    KilnRng rng(31);
    for (size_t n : {1, 5, 8, 9, 17, 18, 40}) {
        auto row = rng.fields(n);
        Digest got(4), want(4);
        kiln_merkle_hash_leaf(KILN_HASHER_POSEIDON2, row.data(), n, got.data());
        kiln_poseidon2_hash_leaf(row.data(), n, want.data());
        EXPECT_EQ(got, want);
        // Keccak leaf: keccak256 of the elements as 8-byte little-endian, digest read as 4 LE words.
        std::vector<uint8_t> bytes(8 * n);
        for (size_t i = 0; i < 8 * n; i++)
            bytes[i] = (uint8_t)(row[i / 8] >> (8 * (i % 8)));
        uint8_t d[32];
        kiln_keccak256(bytes.data(), bytes.size(), d);
        for (int i = 0; i < 4; i++) {
            uint64_t w = 0;
            for (int b = 0; b < 8; b++)
                w |= (uint64_t)d[8 * i + b] << (8 * b);
            want[i] = w;
        }
        kiln_merkle_hash_leaf(KILN_HASHER_KECCAK, row.data(), n, got.data());
        EXPECT_EQ(got, want) << "n = " << n;
    }
    auto l = rng.fields(4), r = rng.fields(4);
    Digest got(4), want(4);
    kiln_merkle_hash_node(KILN_HASHER_POSEIDON2, l.data(), r.data(), got.data());
    kiln_poseidon2_hash_node(l.data(), r.data(), want.data());
    EXPECT_EQ(got, want);
    uint8_t bytes[64], d[32];
    for (int i = 0; i < 64; i++)
        bytes[i] = (uint8_t)((i < 32 ? l[i / 8] : r[(i - 32) / 8]) >> (8 * (i % 8)));
    kiln_keccak256(bytes, 64, d);
    kiln_merkle_hash_node(KILN_HASHER_KECCAK, l.data(), r.data(), got.data());
    for (int i = 0; i < 32; i++)
        EXPECT_EQ((uint8_t)(got[i / 8] >> (8 * (i % 8))), d[i]);
}

// Builds through the API and checks every layer's position, the cap and the paths.
void check_tree(kiln_backend *be, kiln_hasher h, unsigned log_n, size_t ncols, unsigned cap_log,
                KilnRng &rng) {
    size_t n = (size_t)1 << log_n;
    auto m = rng.fields(n * ncols);
    KilnBuf mat(be, m);
    size_t digests = kiln_merkle_tree_digests(n, cap_log);
    KilnBuf tree(be, 4 * digests);
    kiln_matrix view = kiln_matrix_cols(mat, 0, n, ncols);
    std::vector<uint64_t> cap(4 << cap_log);
    ASSERT_EQ(kiln_merkle_commit(be, h, &view, cap_log, tree, cap.data()), KILN_OK) << kiln_backend_error(be);

    std::vector<Digest> leaves;
    for (size_t r = 0; r < n; r++)
        leaves.push_back(leaf_of(h, m, n, ncols, r));
    auto want_cap = ref_cap(h, leaves, cap_log);
    for (size_t i = 0; i < want_cap.size(); i++)
        ASSERT_EQ(Digest(cap.begin() + 4 * i, cap.begin() + 4 * i + 4), want_cap[i])
            << kiln_hasher_name(h) << " log_n " << log_n << " cap " << cap_log << " digest " << i;

    // Layer k starts at digest 2n - (n >> (k-1)) and holds the roots of subtrees of 2^k leaves.
    auto t = tree.get(4 * digests);
    // (Every node for small trees; for large ones the cap and the paths cover the layers.)
    for (unsigned k = 0; k + cap_log <= log_n && log_n <= 6; k++) {
        size_t start = k == 0 ? 0 : 2 * n - (n >> (k - 1)), len = n >> k;
        for (size_t i = 0; i < len; i++)
            ASSERT_EQ(Digest(t.begin() + 4 * (start + i), t.begin() + 4 * (start + i) + 4),
                      ref_root(h, leaves, i << k, (size_t)1 << k))
                << "layer " << k << " node " << i;
    }

    unsigned depth = log_n - cap_log;
    std::vector<size_t> idx;
    for (size_t i = 0; i < n; i += 1 + n / 16)
        idx.push_back(i);
    idx.push_back(n - 1);
    std::vector<uint64_t> paths(idx.size() * depth * 4 + 1);
    ASSERT_EQ(kiln_merkle_paths(be, tree, n, cap_log, idx.data(), idx.size(), paths.data()), KILN_OK);
    for (size_t q = 0; q < idx.size(); q++) {
        const uint64_t *path = paths.data() + q * depth * 4;
        Digest leaf = leaves[idx[q]];
        ASSERT_EQ(kiln_merkle_verify(h, leaf.data(), idx[q], n, cap_log, path, cap.data()), KILN_OK)
            << "index " << idx[q];
    }
}

TEST(Merkle, CpuTreesMatchRecursiveReference) {
    KilnBackend be(KILN_BACKEND_CPU);
    ASSERT_NE(be.be, nullptr);
    KilnRng rng(32);
    for (kiln_hasher h : kHashers)
        for (unsigned log_n = 0; log_n <= 6; log_n++)
            for (size_t ncols : {1, 8, 9, 17, 18})
                for (unsigned cap_log = 0; cap_log <= 3 && cap_log <= log_n; cap_log++)
                    check_tree(be, h, log_n, ncols, cap_log, rng);
}

TEST(Merkle, CpuTreeMultiThreadedMatchesReference) {
    // Large enough that rows and the lower layers are split across threads.
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(33);
    for (unsigned threads : {1u, 2u, 3u}) {
        kiln_parallel_set_threads(threads);
        for (kiln_hasher h : kHashers)
            check_tree(be, h, 11, 3, 2, rng);
    }
    kiln_parallel_set_threads(0);
}

TEST(Merkle, VerifyFailsOnAnyAlteredWord) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(34);
    for (kiln_hasher h : kHashers)
        for (unsigned cap_log = 0; cap_log <= 3; cap_log++) {
            const unsigned log_n = 5;
            const size_t n = 1 << log_n, ncols = 3;
            auto m = rng.fields(n * ncols);
            KilnBuf mat(be, m), tree(be, 4 * kiln_merkle_tree_digests(n, cap_log));
            kiln_matrix view = kiln_matrix_cols(mat, 0, n, ncols);
            std::vector<uint64_t> cap(4 << cap_log);
            ASSERT_EQ(kiln_merkle_commit(be, h, &view, cap_log, tree, cap.data()), KILN_OK);
            unsigned depth = log_n - cap_log;
            for (size_t index : {(size_t)0, (size_t)13, n - 1}) {
                std::vector<uint64_t> path(4 * depth + 1);
                ASSERT_EQ(kiln_merkle_paths(be, tree, n, cap_log, &index, 1, path.data()), KILN_OK);
                Digest leaf = leaf_of(h, m, n, ncols, index);
                ASSERT_EQ(kiln_merkle_verify(h, leaf.data(), index, n, cap_log, path.data(), cap.data()),
                          KILN_OK);
                for (int w = 0; w < 4; w++) {
                    Digest bad = leaf;
                    bad[w] ^= 1;
                    EXPECT_EQ(kiln_merkle_verify(h, bad.data(), index, n, cap_log, path.data(), cap.data()),
                              KILN_ERR_VERIFY);
                }
                for (size_t w = 0; w < 4 * depth; w++) {
                    auto bad = path;
                    bad[w] ^= 1ULL << (w % 64);
                    EXPECT_EQ(kiln_merkle_verify(h, leaf.data(), index, n, cap_log, bad.data(), cap.data()),
                              KILN_ERR_VERIFY)
                        << "path word " << w;
                }
                // Every word of the cap digest the path leads to matters; the other cap digests do not.
                for (size_t w = 0; w < cap.size(); w++) {
                    auto bad = cap;
                    bad[w] ^= 4;
                    bool used = w / 4 == index >> depth;
                    EXPECT_EQ(kiln_merkle_verify(h, leaf.data(), index, n, cap_log, path.data(), bad.data()),
                              used ? KILN_ERR_VERIFY : KILN_OK)
                        << "cap word " << w;
                }
                for (size_t other = 0; other < n; other++) {
                    if (other == index) continue;
                    EXPECT_EQ(kiln_merkle_verify(h, leaf.data(), other, n, cap_log, path.data(), cap.data()),
                              KILN_ERR_VERIFY)
                        << "index " << other << " for " << index;
                }
            }
        }
}

TEST(Merkle, VerifyRejectsNonCanonicalPoseidonWords) {
    // x + p would hash like x: the verifier must not accept a second encoding of a path.
    KilnRng rng(35);
    std::vector<uint64_t> leaves = rng.fields(8), cap(4);
    kiln_merkle_hash_node(KILN_HASHER_POSEIDON2, leaves.data(), leaves.data() + 4, cap.data());
    std::vector<uint64_t> leaf(leaves.begin(), leaves.begin() + 4), path(leaves.begin() + 4, leaves.end());
    ASSERT_EQ(kiln_merkle_verify(KILN_HASHER_POSEIDON2, leaf.data(), 0, 2, 0, path.data(), cap.data()),
              KILN_OK);
    for (int w = 0; w < 4; w++) {
        if (path[w] >= 0xFFFFFFFFULL - 1) continue; // x + p must fit in 64 bits
        auto bad = path;
        bad[w] += KILN_GL_P;
        EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_POSEIDON2, leaf.data(), 0, 2, 0, bad.data(), cap.data()),
                  KILN_ERR_VERIFY);
    }
}

TEST(Merkle, BadSizesAreRejected) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnBuf tree(be, 4 * 64);
    EXPECT_EQ(kiln_merkle_build(be, KILN_HASHER_POSEIDON2, tree, 3, 0), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_build(be, KILN_HASHER_POSEIDON2, tree, 0, 0), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_build(be, KILN_HASHER_POSEIDON2, tree, 8, 4), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_build(be, KILN_HASHER_POSEIDON2, tree, 64, 0), KILN_ERR_INVALID_ARG); // 127 > 64
    EXPECT_EQ(kiln_merkle_build(be, (kiln_hasher)7, tree, 8, 0), KILN_ERR_INVALID_ARG);
    size_t bad_index = 8;
    uint64_t out[4 * 3];
    EXPECT_EQ(kiln_merkle_paths(be, tree, 8, 0, &bad_index, 1, out), KILN_ERR_INVALID_ARG);

    uint64_t leaf[4] = {1, 2, 3, 4}, path[4 * 3] = {0}, cap[4 * 8] = {0};
    EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_KECCAK, leaf, 8, 8, 0, path, cap), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_KECCAK, leaf, 0, 6, 0, path, cap), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_KECCAK, leaf, 0, 0, 0, path, cap), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_KECCAK, leaf, 0, 8, 4, path, cap), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_KECCAK, leaf, 0, 8, 0, nullptr, cap), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_KECCAK, nullptr, 0, 8, 0, path, cap), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_merkle_verify((kiln_hasher)9, leaf, 0, 8, 0, path, cap), KILN_ERR_INVALID_ARG);
    // A tree that is all cap needs no path.
    EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_KECCAK, leaf, 3, 8, 3, nullptr, cap), KILN_ERR_VERIFY);
    std::memcpy(cap + 12, leaf, sizeof leaf);
    EXPECT_EQ(kiln_merkle_verify(KILN_HASHER_KECCAK, leaf, 3, 8, 3, nullptr, cap), KILN_OK);
}

TEST(Merkle, RowMajorViewEqualsColumnMajor) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(36);
    const size_t n = 64;
    for (kiln_hasher h : kHashers)
        for (size_t ncols : {1, 7, 8, 20}) {
            auto colmajor = rng.fields(n * ncols);
            std::vector<uint64_t> rowmajor(n * ncols + 5); // offset 5 into the buffer
            for (size_t r = 0; r < n; r++)
                for (size_t c = 0; c < ncols; c++)
                    rowmajor[5 + r * ncols + c] = colmajor[r + c * n];
            KilnBuf a(be, colmajor), b(be, rowmajor), da(be, 4 * n), db(be, 4 * n);
            kiln_matrix va = kiln_matrix_cols(a, 0, n, ncols);
            kiln_matrix vb = {b, 5, n, ncols, ncols, 1};
            ASSERT_EQ(kiln_hash_rows(be, h, &va, da, 0), KILN_OK);
            ASSERT_EQ(kiln_hash_rows(be, h, &vb, db, 0), KILN_OK);
            EXPECT_EQ(da.get(4 * n), db.get(4 * n));
            auto d = da.get(4 * n);
            for (size_t r = 0; r < n; r += 9)
                EXPECT_EQ(Digest(d.begin() + 4 * r, d.begin() + 4 * r + 4),
                          leaf_of(h, colmajor, n, ncols, r));
            // Gathered rows of the strided view equal the column-major elements.
            size_t rows[3] = {0, 17, n - 1};
            std::vector<uint64_t> g(3 * ncols);
            ASSERT_EQ(kiln_gather_rows(be, &vb, rows, 3, g.data()), KILN_OK);
            for (int i = 0; i < 3; i++)
                for (size_t c = 0; c < ncols; c++)
                    EXPECT_EQ(g[i * ncols + c], colmajor[rows[i] + c * n]);
        }
}

TEST(Merkle, HashRowsHonoursOffsets) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(38);
    const size_t n = 16, ncols = 5, moff = 7, ooff = 3;
    for (kiln_hasher h : kHashers) {
        auto m = rng.fields(n * ncols);
        std::vector<uint64_t> padded(moff, 0);
        padded.insert(padded.end(), m.begin(), m.end());
        KilnBuf mb(be, padded), out(be, ooff + 4 * n + 2);
        std::vector<uint64_t> sentinel(ooff + 4 * n + 2, 0x1234);
        out.put(sentinel);
        kiln_matrix v = kiln_matrix_cols(mb, moff, n, ncols);
        ASSERT_EQ(kiln_hash_rows(be, h, &v, out, ooff), KILN_OK);
        auto got = out.get(ooff + 4 * n + 2);
        for (size_t i = 0; i < ooff; i++)
            EXPECT_EQ(got[i], 0x1234u);
        for (size_t r = 0; r < n; r++)
            EXPECT_EQ(Digest(got.begin() + ooff + 4 * r, got.begin() + ooff + 4 * r + 4),
                      leaf_of(h, m, n, ncols, r));
        EXPECT_EQ(got[ooff + 4 * n], 0x1234u);
        EXPECT_EQ(got[ooff + 4 * n + 1], 0x1234u);
        // An output buffer one digest short is refused.
        KilnBuf small(be, 4 * n - 1);
        EXPECT_EQ(kiln_hash_rows(be, h, &v, small, 0), KILN_ERR_INVALID_ARG);
    }
}

// Row hashing goes eight rows at a time through the AVX-512 path where the build has one, with the x2 and
// scalar paths for the rest: every row count (not only multiples of 8), width 1..40 and layout must match
// the scalar leaf hash, on one and two threads.
TEST(Merkle, HashRowsEqualsScalarForAnyRowCountWidthAndLayout) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(39);
    for (unsigned threads : {1u, 2u}) {
        kiln_parallel_set_threads(threads);
        for (size_t ncols = 1; ncols <= 40; ncols++)
            for (size_t n : {1, 7, 9, 23, 61, 1029}) {
                // 1029 rows split across threads; only a few widths, to keep the test quick
                if (n == 1029 && ncols % 8 != 5)
                    continue;
                auto colmajor = rng.fields(n * ncols);
                std::vector<uint64_t> rowmajor(2 + n * (ncols + 1)); // row stride ncols + 1, offset 2
                for (size_t r = 0; r < n; r++)
                    for (size_t c = 0; c < ncols; c++)
                        rowmajor[2 + r * (ncols + 1) + c] = colmajor[r + c * n];
                KilnBuf a(be, colmajor), b(be, rowmajor), da(be, 4 * n), db(be, 4 * n);
                kiln_matrix va = kiln_matrix_cols(a, 0, n, ncols);
                kiln_matrix vb = {b, 2, n, ncols, ncols + 1, 1};
                ASSERT_EQ(kiln_hash_rows(be, KILN_HASHER_POSEIDON2, &va, da, 0), KILN_OK);
                ASSERT_EQ(kiln_hash_rows(be, KILN_HASHER_POSEIDON2, &vb, db, 0), KILN_OK);
                auto ga = da.get(4 * n), gb = db.get(4 * n);
                for (size_t r = 0; r < n; r++) {
                    Digest want = leaf_of(KILN_HASHER_POSEIDON2, colmajor, n, ncols, r);
                    ASSERT_EQ(Digest(ga.begin() + 4 * r, ga.begin() + 4 * r + 4), want)
                        << "column-major, " << n << " rows x " << ncols << ", row " << r;
                    ASSERT_EQ(Digest(gb.begin() + 4 * r, gb.begin() + 4 * r + 4), want)
                        << "row-major, " << n << " rows x " << ncols << ", row " << r;
                }
            }
    }
    kiln_parallel_set_threads(0);
}

// Trees large enough that the lower layers take the eight-node path and are split across threads, with caps
// that leave layers of fewer than eight nodes on top.
TEST(Merkle, CpuTreesWithEightLanePathsMatchReference) {
    KilnBackend be(KILN_BACKEND_CPU);
    KilnRng rng(40);
    for (unsigned threads : {1u, 2u}) {
        kiln_parallel_set_threads(threads);
        for (unsigned cap_log : {0u, 1u, 2u, 3u, 4u, 5u})
            check_tree(be, KILN_HASHER_POSEIDON2, 12, 11, cap_log, rng);
        check_tree(be, KILN_HASHER_POSEIDON2, 9, 40, 0, rng);
    }
    kiln_parallel_set_threads(0);
}

TEST(Merkle, CudaEqualsCpu) {
    KILN_REQUIRE_GPU();
    KilnBackend cpu(KILN_BACKEND_CPU), gpu(KILN_BACKEND_CUDA);
    ASSERT_NE(gpu.be, nullptr);
    KilnRng rng(37);
    for (kiln_hasher h : kHashers)
        for (unsigned log_n : {0u, 1u, 5u, 10u, 14u})
            for (size_t ncols : {1, 8, 9, 17, 64})
                for (unsigned cap_log : {0u, 2u}) {
                    if (cap_log > log_n) continue;
                    size_t n = (size_t)1 << log_n, digests = kiln_merkle_tree_digests(n, cap_log);
                    auto m = rng.fields(n * ncols);
                    KilnBuf mc(cpu, m), mg(gpu, m), tc(cpu, 4 * digests), tg(gpu, 4 * digests);
                    kiln_matrix vc = kiln_matrix_cols(mc, 0, n, ncols),
                                vg = kiln_matrix_cols(mg, 0, n, ncols);
                    std::vector<uint64_t> capc(4 << cap_log), capg(4 << cap_log);
                    ASSERT_EQ(kiln_merkle_commit(cpu, h, &vc, cap_log, tc, capc.data()), KILN_OK);
                    ASSERT_EQ(kiln_merkle_commit(gpu, h, &vg, cap_log, tg, capg.data()), KILN_OK)
                        << kiln_backend_error(gpu);
                    ASSERT_EQ(capc, capg) << kiln_hasher_name(h) << " log_n " << log_n << " ncols " << ncols;
                    ASSERT_EQ(tc.get(4 * digests), tg.get(4 * digests));
                    std::vector<size_t> idx = {0, n / 3, n - 1};
                    unsigned depth = log_n - cap_log;
                    std::vector<uint64_t> pc(idx.size() * depth * 4 + 1), pg(pc.size());
                    ASSERT_EQ(kiln_merkle_paths(cpu, tc, n, cap_log, idx.data(), idx.size(), pc.data()),
                              KILN_OK);
                    ASSERT_EQ(kiln_merkle_paths(gpu, tg, n, cap_log, idx.data(), idx.size(), pg.data()),
                              KILN_OK);
                    EXPECT_EQ(pc, pg);
                    std::vector<uint64_t> gc(idx.size() * ncols), gg(gc.size());
                    ASSERT_EQ(kiln_gather_rows(cpu, &vc, idx.data(), idx.size(), gc.data()), KILN_OK);
                    ASSERT_EQ(kiln_gather_rows(gpu, &vg, idx.data(), idx.size(), gg.data()), KILN_OK);
                    EXPECT_EQ(gc, gg);
                    // Row-major view on the device too.
                    std::vector<uint64_t> rm(n * ncols);
                    for (size_t r = 0; r < n; r++)
                        for (size_t c = 0; c < ncols; c++)
                            rm[r * ncols + c] = m[r + c * n];
                    KilnBuf rg(gpu, rm), dg(gpu, 4 * n);
                    kiln_matrix vr = {rg, 0, n, ncols, ncols, 1};
                    ASSERT_EQ(kiln_hash_rows(gpu, h, &vr, dg, 0), KILN_OK);
                    auto t = tc.get(4 * n);
                    EXPECT_EQ(dg.get(4 * n), t);
                }
}

} // namespace
