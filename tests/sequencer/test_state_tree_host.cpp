/* The host state tree over RocksDB (sequencer/state_tree.h): genesis, persistence across close and reopen,
 * commit and rollback, roots equal to the slow reference (tests/common/state_tree_ref.h), and a corrupted
 * database answered with errors. Every test works in its own temporary directory, removed at its end. */
#include <gtest/gtest.h>

#include <rocksdb/c.h>

#include <fstream>
#include <random>

#include "sequencer/state_tree.h"
#include "state_tree_ref.h"

using reftree::Bytes32;
using reftree::Tree;

using reftree::Rng;

namespace {

bool same_as_ref(const kiln_tree_commitment &c, const Tree &t) {
    Bytes32 r = t.root_bytes();
    return memcmp(c.root, r.data(), 32) == 0 && c.next_free == t.next_free();
}

struct Host {
    kiln_state_tree *t = nullptr;
    char err[256] = {0};
    kiln_status open(const std::string &dir) {
        return kiln_state_tree_open(dir.c_str(), &t, err, sizeof err);
    }
    void close() {
        kiln_state_tree_close(t);
        t = nullptr;
    }
    ~Host() { close(); }
    kiln_status write(const Bytes32 &k, const Bytes32 &v) {
        std::vector<uint8_t> buf(KILN_TREE_PROOF_MAX);
        size_t len;
        return kiln_state_tree_step_proof(t, k.data(), v.data(), buf.data(), buf.size(), &len, err,
                                          sizeof err);
    }
    Bytes32 get(const Bytes32 &k, int *exists = nullptr, uint64_t *index = nullptr) {
        Bytes32 v;
        int e;
        uint64_t i;
        EXPECT_EQ(kiln_state_tree_get(t, k.data(), v.data(), &e, &i, err, sizeof err), KILN_OK) << err;
        if (exists) *exists = e;
        if (index) *index = i;
        return v;
    }
    kiln_tree_commitment pending() {
        kiln_tree_commitment c;
        kiln_state_tree_commitment(t, &c);
        return c;
    }
    kiln_tree_commitment committed() {
        kiln_tree_commitment c;
        kiln_state_tree_committed(t, &c);
        return c;
    }
};

/* Random writes (new keys, updates, zero writes) applied to both trees. */
void random_writes(Rng &rng, Host &h, Tree &t, std::vector<Bytes32> &keys, int n) {
    for (int i = 0; i < n; i++) {
        Bytes32 k = keys.empty() || rng.g() % 3 ? rng.key() : keys[rng.g() % keys.size()];
        Bytes32 v = rng.g() % 6 == 0 ? Bytes32{} : rng.bytes();
        ASSERT_EQ(h.write(k, v), KILN_OK) << h.err;
        if (t.write(k, v).second) keys.push_back(k);
    }
}

/* Overwrites one record of a closed tree's database directly. */
void poke(const std::string &dir, const char *cf, const std::vector<uint8_t> &key,
          const std::vector<uint8_t> &val) {
    const char *names[5] = {"default", "tree_leaves", "tree_keys", "tree_nodes", "tree_meta"};
    rocksdb_options_t *o = rocksdb_options_create();
    const rocksdb_options_t *opts[5] = {o, o, o, o, o};
    rocksdb_column_family_handle_t *h[5];
    char *e = nullptr;
    rocksdb_t *db = rocksdb_open_column_families(o, dir.c_str(), 5, names, opts, h, &e);
    ASSERT_EQ(e, nullptr) << e;
    int which = 0;
    for (int i = 0; i < 5; i++)
        if (!strcmp(names[i], cf)) which = i;
    rocksdb_writeoptions_t *wo = rocksdb_writeoptions_create();
    rocksdb_put_cf(db, wo, h[which], (const char *)key.data(), key.size(), (const char *)val.data(),
                   val.size(), &e);
    ASSERT_EQ(e, nullptr) << e;
    rocksdb_writeoptions_destroy(wo);
    for (auto *x : h)
        rocksdb_column_family_handle_destroy(x);
    rocksdb_close(db);
    rocksdb_options_destroy(o);
}

std::vector<uint8_t> node_key(int level, uint64_t index) {
    std::vector<uint8_t> k{(uint8_t)level};
    reftree::put64(k, index);
    return k;
}

} // namespace

TEST(StateTreeHost, FreshDirectoryIsGenesis) {
    reftree::TempDir dir;
    Host h;
    ASSERT_EQ(h.open(dir.path), KILN_OK) << h.err;
    Tree t;
    EXPECT_TRUE(same_as_ref(h.pending(), t));
    EXPECT_TRUE(same_as_ref(h.committed(), t));
    kiln_tree_commitment g;
    kiln_tree_genesis(&g);
    EXPECT_EQ(memcmp(g.root, h.pending().root, 32), 0);
    int exists;
    Bytes32 v = h.get(Rng(1).key(), &exists);
    EXPECT_EQ(exists, 0);
    EXPECT_EQ(v, Bytes32{});
}

TEST(StateTreeHost, ReopenKeepsRootAndValues) {
    reftree::TempDir dir;
    Rng rng(2);
    Tree t;
    std::vector<Bytes32> keys;
    {
        Host h;
        ASSERT_EQ(h.open(dir.path), KILN_OK) << h.err;
        random_writes(rng, h, t, keys, 150);
        ASSERT_EQ(kiln_state_tree_commit(h.t, h.err, sizeof h.err), KILN_OK) << h.err;
        random_writes(rng, h, t, keys, 100);
        ASSERT_EQ(kiln_state_tree_commit(h.t, h.err, sizeof h.err), KILN_OK) << h.err;
        EXPECT_TRUE(same_as_ref(h.committed(), t));
    }
    Host h;
    ASSERT_EQ(h.open(dir.path), KILN_OK) << h.err;
    EXPECT_TRUE(same_as_ref(h.committed(), t));
    EXPECT_TRUE(same_as_ref(h.pending(), t));
    for (auto &k : keys) {
        Bytes32 want;
        uint64_t widx, idx;
        int exists;
        ASSERT_TRUE(t.get(k, want, widx));
        EXPECT_EQ(h.get(k, &exists, &idx), want);
        EXPECT_EQ(exists, 1);
        EXPECT_EQ(idx, widx);
    }
    /* Work continues on the reopened tree. */
    random_writes(rng, h, t, keys, 50);
    ASSERT_EQ(kiln_state_tree_commit(h.t, h.err, sizeof h.err), KILN_OK) << h.err;
    EXPECT_TRUE(same_as_ref(h.committed(), t));
}

TEST(StateTreeHost, RollbackAndUncommittedCloseDropPendingSteps) {
    reftree::TempDir dir;
    Rng rng(3);
    Tree t;
    std::vector<Bytes32> keys;
    {
        Host h;
        ASSERT_EQ(h.open(dir.path), KILN_OK) << h.err;
        random_writes(rng, h, t, keys, 60);
        ASSERT_EQ(kiln_state_tree_commit(h.t, h.err, sizeof h.err), KILN_OK) << h.err;
        Tree scratch = t;
        std::vector<Bytes32> scratch_keys = keys;
        random_writes(rng, h, scratch, scratch_keys, 40);
        EXPECT_TRUE(same_as_ref(h.pending(), scratch));
        EXPECT_TRUE(same_as_ref(h.committed(), t));
        kiln_state_tree_rollback(h.t);
        EXPECT_TRUE(same_as_ref(h.pending(), t));
        for (size_t i = keys.size(); i < scratch_keys.size(); i++) {
            int exists;
            EXPECT_EQ(h.get(scratch_keys[i], &exists), Bytes32{});
            EXPECT_EQ(exists, 0);
        }
        for (auto &k : keys) {
            Bytes32 want;
            uint64_t idx;
            t.get(k, want, idx);
            EXPECT_EQ(h.get(k), want);
        }
        random_writes(rng, h, t, keys, 30);
        ASSERT_EQ(kiln_state_tree_commit(h.t, h.err, sizeof h.err), KILN_OK) << h.err;
        EXPECT_TRUE(same_as_ref(h.committed(), t));
        Tree lost = t;
        random_writes(rng, h, lost, scratch_keys, 20); /* never committed */
    }
    Host h;
    ASSERT_EQ(h.open(dir.path), KILN_OK) << h.err;
    EXPECT_TRUE(same_as_ref(h.pending(), t));
}

TEST(StateTreeHost, SmallBufferAndBadKeysChangeNothing) {
    reftree::TempDir dir;
    Host h;
    ASSERT_EQ(h.open(dir.path), KILN_OK) << h.err;
    Rng rng(4);
    Tree t;
    std::vector<Bytes32> keys;
    random_writes(rng, h, t, keys, 20);
    std::vector<uint8_t> buf(KILN_TREE_PROOF_MAX);
    size_t len;
    Bytes32 k = rng.key(), v = rng.bytes(), zero{};
    size_t want = t.absent_proof(k, true).size(); /* an insert's proof: its length depends on the paths */
    EXPECT_EQ(kiln_state_tree_step_proof(h.t, k.data(), v.data(), buf.data(), want - 1, &len, h.err,
                                         sizeof h.err),
              KILN_ERR_LIMIT);
    EXPECT_EQ(kiln_state_tree_step_proof(h.t, zero.data(), v.data(), buf.data(), buf.size(), &len, h.err,
                                         sizeof h.err),
              KILN_ERR_INVALID_ARG);
    EXPECT_TRUE(same_as_ref(h.pending(), t));
    EXPECT_EQ(kiln_state_tree_step_proof(h.t, k.data(), v.data(), buf.data(), buf.size(), &len, h.err,
                                         sizeof h.err),
              KILN_OK);
    EXPECT_EQ(len, want);
}

TEST(StateTreeHost, CorruptDatabaseGivesErrors) {
    Rng rng(5);
    Tree t;
    std::vector<Bytes32> keys;
    reftree::TempDir dir;
    {
        Host h;
        ASSERT_EQ(h.open(dir.path), KILN_OK) << h.err;
        random_writes(rng, h, t, keys, 40);
        ASSERT_EQ(kiln_state_tree_commit(h.t, h.err, sizeof h.err), KILN_OK) << h.err;
    }
    std::string d = dir.path;
    auto copy = [&](const std::string &to) {
        std::filesystem::copy(d, to, std::filesystem::copy_options::recursive);
    };
    auto opens = [](const std::string &p, kiln_status want) {
        Host h;
        EXPECT_EQ(h.open(p), want) << h.err;
        EXPECT_EQ(h.t, nullptr);
    };
    Bytes32 k = keys[0], v = rng.bytes();
    uint64_t idx;
    Bytes32 cur;
    t.get(k, cur, idx);
    /* A node on k's path replaced by another canonical digest: its proof fails the guest check. */
    {
        reftree::TempDir c;
        std::filesystem::remove_all(c.path);
        copy(c.path);
        std::vector<uint8_t> val;
        reftree::put_digest(val, reftree::Digest{1, 2, 3, 4});
        poke(c.path, "tree_nodes", node_key(3, (idx >> 3) ^ 1), val);
        Host h;
        ASSERT_EQ(h.open(c.path), KILN_OK) << h.err;
        kiln_tree_commitment before = h.pending();
        EXPECT_EQ(h.write(k, v), KILN_ERR_VERIFY);
        EXPECT_EQ(memcmp(before.root, h.pending().root, 32), 0);
        std::vector<uint8_t> buf(KILN_TREE_PROOF_MAX);
        size_t len;
        Bytes32 out;
        EXPECT_EQ(kiln_state_tree_prove_read(h.t, k.data(), out.data(), buf.data(), buf.size(), &len, h.err,
                                             sizeof h.err),
                  KILN_ERR_VERIFY);
    }
    /* Records of the wrong length or out of range. */
    struct Poke {
        const char *cf;
        std::vector<uint8_t> key, val;
        kiln_status at_open, at_write;
    };
    std::vector<uint8_t> kk(k.begin(), k.end()), leaf_key, nonc(32, 0xff), huge_idx;
    reftree::put64(leaf_key, idx);
    reftree::put64(huge_idx, 1000000);
    std::vector<Poke> pokes = {
        {"tree_meta", {'c', 'o', 'm', 'm', 'i', 't', 'm', 'e', 'n', 't'}, {1, 2, 3}, KILN_ERR_PARSE, KILN_OK},
        {"tree_nodes", node_key(63, 0), {1, 2, 3}, KILN_ERR_PARSE, KILN_OK},
        {"tree_nodes", node_key(0, idx ^ 1), nonc, KILN_OK, KILN_ERR_PARSE},
        {"tree_nodes", node_key(2, (idx >> 2) ^ 1), nonc, KILN_OK, KILN_ERR_PARSE},
        {"tree_leaves", leaf_key, {9}, KILN_OK, KILN_ERR_PARSE},
        {"tree_keys", kk, {9}, KILN_OK, KILN_ERR_PARSE},
        {"tree_keys", kk, huge_idx, KILN_OK, KILN_ERR_PARSE},
        {"tree_leaves", {0, 0, 0, 0, 0, 0, 0, 0}, std::vector<uint8_t>(72, 0x11), KILN_ERR_PARSE, KILN_OK},
    };
    for (size_t i = 0; i < pokes.size(); i++) {
        reftree::TempDir c;
        std::filesystem::remove_all(c.path);
        copy(c.path);
        poke(c.path, pokes[i].cf, pokes[i].key, pokes[i].val);
        if (pokes[i].at_open != KILN_OK) {
            opens(c.path, pokes[i].at_open);
            continue;
        }
        Host h;
        ASSERT_EQ(h.open(c.path), KILN_OK) << "poke " << i << ": " << h.err;
        EXPECT_EQ(h.write(k, v), pokes[i].at_write) << "poke " << i << ": " << h.err;
    }
    /* A directory that cannot hold a database. */
    reftree::TempDir f;
    std::string file = f.path + "/file";
    std::ofstream(file) << "x";
    opens(file, KILN_ERR_IO);
}
