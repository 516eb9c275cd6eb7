/* The state tree's guest step (protocol/state_tree.h) against the slow reference in
 * tests/common/state_tree_ref.h: keys, genesis, random workloads with proofs built by the reference and by
 * the host tree (sequencer/), and every tampered byte, truncation, wrong initial value, wrong neighbour,
 * occupied "free" slot and next_free mismatch rejected. */
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <random>

#include "protocol/state_tree.h"
#include "sequencer/state_tree.h"
#include "state_tree_ref.h"
#include "vm.h"

#ifndef KILN_GUEST_DIR
#define KILN_GUEST_DIR ""
#endif

using reftree::Bytes32;
using reftree::Tree;

using reftree::Rng;

namespace {

kiln_tree_commitment ref_commitment(const Tree &t) {
    kiln_tree_commitment c;
    Bytes32 r = t.root_bytes();
    memcpy(c.root, r.data(), 32);
    c.next_free = t.next_free();
    return c;
}

bool same(const kiln_tree_commitment &a, const kiln_tree_commitment &b) {
    return memcmp(a.root, b.root, 32) == 0 && a.next_free == b.next_free;
}

kiln_status step(kiln_tree_commitment &c, const Bytes32 &k, const Bytes32 &init, const Bytes32 &fin,
                 const std::vector<uint8_t> &proof, uint64_t *idx = nullptr, int *ins = nullptr) {
    uint64_t i;
    int n;
    char err[128];
    return kiln_tree_step(&c, k.data(), init.data(), fin.data(), proof.data(), proof.size(), idx ? idx : &i,
                          ins ? ins : &n, err, sizeof err);
}

/* The honest proof of writing fin to k under the reference. */
std::vector<uint8_t> ref_proof(const Tree &t, const Bytes32 &k, const Bytes32 &fin) {
    if (t.keys.count(k)) return t.member_proof(k);
    return t.absent_proof(k, fin != Bytes32{});
}

/* A tree with n random keys and random nonzero values. */
Tree filled(Rng &rng, int n, std::vector<Bytes32> *keys) {
    Tree t;
    for (int i = 0; i < n; i++) {
        Bytes32 k = rng.key(), v = rng.bytes();
        v[0] |= 1;
        t.write(k, v);
        if (keys) keys->push_back(k);
    }
    return t;
}

} // namespace

TEST(StateTree, StateKeyIsTheDocumentedHash) {
    Rng rng(1);
    for (int i = 0; i < 50; i++) {
        Bytes32 a = rng.bytes(), s = rng.bytes(), k;
        kiln_state_key(a.data(), s.data(), k.data());
        EXPECT_EQ(k, reftree::state_key(a.data(), s.data()));
        for (int w = 0; w < 4; w++)
            EXPECT_LT(reftree::be64(k.data() + 8 * w), reftree::kP);
    }
}

TEST(StateTree, GenesisIsTheTwoGuards) {
    kiln_tree_commitment c;
    kiln_tree_genesis(&c);
    Tree t;
    EXPECT_TRUE(same(c, ref_commitment(t)));
    EXPECT_EQ(c.next_free, 2u);
}

/* The guest's constant table of empty subtrees is Poseidon2's: E[0] zero, E[L] = node(E[L-1], E[L-1]), the
 * reference's own computation. */
TEST(StateTree, EmptySubtreeTableIsPoseidon2) {
    Tree t;
    for (int level = 0; level < KILN_TREE_DEPTH; level++)
        for (int i = 0; i < 4; i++)
            ASSERT_EQ(kiln_tree_empty[level][i], t.empty[level][i]) << "level " << level;
}

TEST(StateTree, LeafHashRejectsNonCanonicalFields) {
    uint8_t key[32] = {0}, value[32] = {0};
    uint64_t out[4];
    EXPECT_EQ(kiln_tree_leaf_hash(key, value, 5, out), KILN_OK);
    EXPECT_EQ(kiln_tree_leaf_hash(key, value, reftree::kP, out), KILN_ERR_PARSE);
    memset(key + 8, 0xff, 8);
    EXPECT_EQ(kiln_tree_leaf_hash(key, value, 5, out), KILN_ERR_PARSE);
}

TEST(StateTree, RejectsKeysThatAreNotTreeKeys) {
    kiln_tree_commitment c;
    kiln_tree_genesis(&c);
    Tree t;
    Bytes32 zero{}, maxk = reftree::max_key(), bad = Rng(2).key(), v{};
    bad[0] = 0xff;
    bad[1] = 0xff;
    bad[2] = 0xff;
    bad[3] = 0xff;
    bad[4] = 0xff;
    v[31] = 1;
    auto p = t.member_proof(zero);
    EXPECT_EQ(step(c, zero, zero, v, p), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(step(c, maxk, zero, v, t.member_proof(maxk)), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(step(c, bad, zero, v, p), KILN_ERR_INVALID_ARG);
    EXPECT_TRUE(same(c, ref_commitment(t)));
}

/* Random workloads with the reference's own proofs: the step's new commitment, enumeration index and insert
 * flag equal the reference's after each write. */
TEST(StateTree, RandomWorkloadWithReferenceProofs) {
    Rng rng(3);
    Tree t;
    std::vector<Bytes32> present;
    kiln_tree_commitment c;
    kiln_tree_genesis(&c);
    for (int i = 0; i < 300; i++) {
        Bytes32 k = present.empty() || rng.u64() % 2 ? rng.key() : present[rng.u64() % present.size()];
        Bytes32 init, fin = rng.u64() % 5 == 0 ? Bytes32{} : rng.value();
        uint64_t want_idx;
        t.get(k, init, want_idx);
        if (rng.u64() % 6 == 0) fin = init; /* a read */
        auto proof = ref_proof(t, k, fin);
        uint64_t idx;
        int ins;
        ASSERT_EQ(step(c, k, init, fin, proof, &idx, &ins), KILN_OK) << "op " << i;
        auto want = init == fin && !t.keys.count(k) ? std::make_pair(uint64_t(0), 0) : t.write(k, fin);
        if (want.second) present.push_back(k);
        EXPECT_EQ(idx, want.first);
        EXPECT_EQ(ins, want.second);
        ASSERT_TRUE(same(c, ref_commitment(t))) << "op " << i;
    }
    EXPECT_GT(t.next_free(), 50u);
}

/* The host tree's proofs are byte for byte the reference's, and the step applied to them follows the
 * reference; the host's pending commitment is the step's. */
TEST(StateTree, HostTreeProofsFollowTheReference) {
    reftree::TempDir dir;
    ASSERT_FALSE(dir.path.empty());
    kiln_state_tree *h = nullptr;
    char err[256];
    ASSERT_EQ(kiln_state_tree_open(dir.path.c_str(), &h, err, sizeof err), KILN_OK) << err;
    Rng rng(4);
    Tree t;
    std::vector<Bytes32> present;
    kiln_tree_commitment c;
    kiln_tree_genesis(&c);
    std::vector<uint8_t> buf(KILN_TREE_PROOF_MAX);
    for (int i = 0; i < 400; i++) {
        Bytes32 k = present.empty() || rng.u64() % 2 ? rng.key() : present[rng.u64() % present.size()];
        Bytes32 init, fin = rng.u64() % 5 == 0 ? Bytes32{} : rng.value(), hv;
        uint64_t ridx, hidx;
        int hexists;
        bool rexists = t.get(k, init, ridx);
        ASSERT_EQ(kiln_state_tree_get(h, k.data(), hv.data(), &hexists, &hidx, err, sizeof err), KILN_OK)
            << err;
        EXPECT_EQ(hexists, (int)rexists);
        EXPECT_EQ(hv, init);
        EXPECT_EQ(hidx, ridx);
        if (rng.u64() % 6 == 0) fin = init;
        size_t len = 0;
        ASSERT_EQ(kiln_state_tree_step_proof(h, k.data(), fin.data(), buf.data(), buf.size(), &len, err,
                                             sizeof err),
                  KILN_OK)
            << err;
        std::vector<uint8_t> proof(buf.begin(), buf.begin() + len);
        ASSERT_EQ(proof, ref_proof(t, k, fin)) << "op " << i;
        uint64_t idx;
        int ins;
        ASSERT_EQ(step(c, k, init, fin, proof, &idx, &ins), KILN_OK) << "op " << i;
        auto want = init == fin && !rexists ? std::make_pair(uint64_t(0), 0) : t.write(k, fin);
        if (want.second) present.push_back(k);
        EXPECT_EQ(idx, want.first);
        EXPECT_EQ(ins, want.second);
        kiln_tree_commitment hc;
        kiln_state_tree_commitment(h, &hc);
        ASSERT_TRUE(same(c, hc));
        if (i % 10 == 0) {
            ASSERT_TRUE(same(c, ref_commitment(t))) << "op " << i;
        }
        if (i % 50 == 49) {
            ASSERT_EQ(kiln_state_tree_commit(h, err, sizeof err), KILN_OK) << err;
        }
    }
    EXPECT_TRUE(same(c, ref_commitment(t)));
    /* Read proofs of present and absent keys check with kiln_tree_verify_read. */
    for (int i = 0; i < 20; i++) {
        Bytes32 k = i % 2 ? rng.key() : present[rng.u64() % present.size()], v, want;
        uint64_t ridx, idx = 99;
        t.get(k, want, ridx);
        size_t len;
        ASSERT_EQ(
            kiln_state_tree_prove_read(h, k.data(), v.data(), buf.data(), buf.size(), &len, err, sizeof err),
            KILN_OK);
        EXPECT_EQ(v, want);
        EXPECT_EQ(kiln_tree_verify_read(&c, k.data(), v.data(), buf.data(), len, &idx, err, sizeof err),
                  KILN_OK);
        EXPECT_EQ(idx, ridx);
        v[5] ^= 1;
        EXPECT_EQ(kiln_tree_verify_read(&c, k.data(), v.data(), buf.data(), len, &idx, err, sizeof err),
                  KILN_ERR_VERIFY);
    }
    kiln_state_tree_close(h);
}

/* Every byte of each kind of proof is bound: flipping any bit of it, cutting it short or extending it fails.
 */
TEST(StateTree, EveryTamperedByteIsRejected) {
    Rng rng(5);
    std::vector<Bytes32> keys;
    Tree t = filled(rng, 40, &keys);
    kiln_tree_commitment c0 = ref_commitment(t);
    Bytes32 k = keys[7], absent = rng.key(), init, v = rng.bytes(), zero{};
    uint64_t idx;
    t.get(k, init, idx);
    struct Case {
        const char *name;
        Bytes32 key, init, fin;
        std::vector<uint8_t> proof;
    };
    std::vector<Case> cases = {
        {"member update", k, init, v, t.member_proof(k)},
        {"member read", k, init, init, t.member_proof(k)},
        {"absent read", absent, zero, zero, t.absent_proof(absent, false)},
        {"insert", absent, zero, v, t.absent_proof(absent, true)},
    };
    for (auto &cs : cases) {
        kiln_tree_commitment c = c0;
        ASSERT_EQ(step(c, cs.key, cs.init, cs.fin, cs.proof), KILN_OK) << cs.name;
        for (size_t i = 0; i < cs.proof.size(); i++) {
            auto p = cs.proof;
            p[i] ^= (uint8_t)(1u << (i % 8));
            c = c0;
            kiln_status st = step(c, cs.key, cs.init, cs.fin, p);
            ASSERT_TRUE(st == KILN_ERR_VERIFY || st == KILN_ERR_PARSE) << cs.name << " byte " << i;
            ASSERT_TRUE(same(c, c0));
        }
        for (size_t n = 0; n < cs.proof.size(); n++) {
            std::vector<uint8_t> p(cs.proof.begin(), cs.proof.begin() + n);
            c = c0;
            ASSERT_EQ(step(c, cs.key, cs.init, cs.fin, p), KILN_ERR_PARSE) << cs.name << " cut at " << n;
        }
        auto p = cs.proof;
        p.push_back(0);
        c = c0;
        EXPECT_EQ(step(c, cs.key, cs.init, cs.fin, p), KILN_ERR_PARSE) << cs.name;
        EXPECT_TRUE(same(c, c0));
    }
    /* An insert's proof for a zero write has a trailing path; a read's proof for an insert lacks one. */
    kiln_tree_commitment c = c0;
    EXPECT_EQ(step(c, absent, zero, zero, t.absent_proof(absent, true)), KILN_ERR_PARSE);
    EXPECT_EQ(step(c, absent, zero, v, t.absent_proof(absent, false)), KILN_ERR_PARSE);
    uint8_t tag = 0x03;
    EXPECT_EQ(kiln_tree_step(&c, absent.data(), zero.data(), v.data(), &tag, 1, &idx, nullptr, nullptr, 0),
              KILN_ERR_INVALID_ARG);
    int ins;
    EXPECT_EQ(kiln_tree_step(&c, absent.data(), zero.data(), v.data(), &tag, 1, &idx, &ins, nullptr, 0),
              KILN_ERR_PARSE);
    EXPECT_TRUE(same(c, c0));
}

/* The proof's alignment does not matter (the guest reads 4-aligned siblings with word loads, others byte by
 * byte), and a path that writes out a sibling its bitmap could have marked empty still checks: only the root
 * counts. */
TEST(StateTree, AnyAlignmentAndExplicitEmptySiblingsCheck) {
    Rng rng(10);
    std::vector<Bytes32> keys;
    Tree t = filled(rng, 20, &keys);
    kiln_tree_commitment c0 = ref_commitment(t);
    Bytes32 k = keys[3], absent = rng.key(), init, v = rng.bytes(), zero{};
    uint64_t idx;
    t.get(k, init, idx);
    for (auto proof : {t.member_proof(k), t.absent_proof(absent, true)}) {
        bool member = proof[0] == 1;
        const Bytes32 &key = member ? k : absent, &in = member ? init : zero;
        kiln_tree_commitment want = c0;
        ASSERT_EQ(step(want, key, in, v, proof), KILN_OK);
        for (size_t off = 1; off < 4; off++) {
            std::vector<uint8_t> buf(proof.size() + off);
            memcpy(buf.data() + off, proof.data(), proof.size());
            kiln_tree_commitment c = c0;
            uint64_t i;
            int ins;
            ASSERT_EQ(kiln_tree_step(&c, key.data(), in.data(), v.data(), buf.data() + off, proof.size(), &i,
                                     &ins, nullptr, 0),
                      KILN_OK);
            EXPECT_TRUE(same(c, want));
        }
    }
    /* The member proof with the top level's empty sibling written out: bit 63 cleared, E[63] appended. */
    auto p = t.member_proof(k);
    size_t bm = 4 + 16;
    ASSERT_EQ(p[bm + 7] & 0x80, 0x80);
    p[bm + 7] &= 0x7f;
    for (uint64_t w : t.empty[63])
        reftree::put_le64(p, w);
    kiln_tree_commitment c = c0, want = c0;
    ASSERT_EQ(step(want, k, init, v, t.member_proof(k)), KILN_OK);
    ASSERT_EQ(step(c, k, init, v, p), KILN_OK);
    EXPECT_TRUE(same(c, want));
    /* The successor's or the free slot's path with an empty sibling above where it meets the predecessor's
     * written out: the bitmaps differ there, so the path is hashed to the root in full, and checks. */
    {
        uint64_t pr = t.pred(absent), sc = t.leaves[pr].next, n = t.next_free();
        for (auto [sp, fp] :
             {std::pair<uint64_t, uint64_t>{1ull << 63, 0}, {0, 1ull << 63}, {1ull << 40, 1ull << 50}}) {
            kiln_tree_commitment ci = c0, wi = c0;
            ASSERT_EQ(step(wi, absent, zero, v, t.absent_proof(absent, true)), KILN_OK);
            ASSERT_EQ(step(ci, absent, zero, v, t.absent_proof_with(pr, sc, true, n, sp, fp)), KILN_OK);
            EXPECT_TRUE(same(ci, wi));
            ci = c0;
            auto rd = t.absent_proof_with(pr, sc, false, 0, sp, 0);
            ASSERT_EQ(step(ci, absent, zero, zero, rd), KILN_OK);
            EXPECT_TRUE(same(ci, c0));
            rd.back() ^= 0x01; /* the successor's last sibling */
            EXPECT_NE(step(ci, absent, zero, zero, rd), KILN_OK);
            /* ... and a wrong digest in its place fails. */
            auto bad = t.absent_proof_with(pr, sc, true, n, sp, fp);
            bad.back() ^= 0x01; /* the free slot's last sibling */
            ci = c0;
            EXPECT_NE(step(ci, absent, zero, v, bad), KILN_OK);
            EXPECT_TRUE(same(ci, c0));
        }
    }
    /* A present sibling claimed empty, or an empty one replaced by another digest, fails. */
    p = t.member_proof(k);
    p[bm + 7] &= 0x7f;
    for (uint64_t w : t.empty[62])
        reftree::put_le64(p, w);
    c = c0;
    EXPECT_EQ(step(c, k, init, v, p), KILN_ERR_VERIFY);
    EXPECT_TRUE(same(c, c0));
}

TEST(StateTree, WrongInitialValuesAreRejected) {
    Rng rng(6);
    std::vector<Bytes32> keys;
    Tree t = filled(rng, 30, &keys);
    kiln_tree_commitment c0 = ref_commitment(t), c = c0;
    Bytes32 k = keys[3], init, zero{}, v = rng.bytes();
    uint64_t idx;
    t.get(k, init, idx);
    Bytes32 wrong = init;
    wrong[31] ^= 1;
    EXPECT_EQ(step(c, k, wrong, v, t.member_proof(k)), KILN_ERR_VERIFY);
    EXPECT_EQ(step(c, k, zero, v, t.member_proof(k)), KILN_ERR_VERIFY);
    /* An absent key claimed to hold a value, with a well-formed absence proof. */
    Bytes32 absent = rng.key();
    EXPECT_EQ(step(c, absent, v, v, t.absent_proof(absent, false)), KILN_ERR_VERIFY);
    EXPECT_EQ(step(c, absent, v, zero, t.absent_proof(absent, false)), KILN_ERR_VERIFY);
    /* A present key claimed absent: its predecessor with the key's leaf or the leaf after it as successor. */
    uint64_t p = t.pred(k);
    EXPECT_EQ(step(c, k, zero, v, t.absent_proof_with(p, idx, true, t.next_free())), KILN_ERR_VERIFY);
    EXPECT_EQ(step(c, k, zero, v, t.absent_proof_with(p, t.leaves[idx].next, true, t.next_free())),
              KILN_ERR_VERIFY);
    EXPECT_EQ(step(c, k, zero, zero, t.absent_proof_with(p, t.leaves[idx].next, false, 0)), KILN_ERR_VERIFY);
    EXPECT_TRUE(same(c, c0));
}

TEST(StateTree, WrongNeighboursAreRejected) {
    Rng rng(7);
    Tree t = filled(rng, 30, nullptr);
    kiln_tree_commitment c0 = ref_commitment(t), c = c0;
    Bytes32 zero{}, v = rng.bytes();
    int checked = 0;
    for (int i = 0; i < 40; i++) {
        Bytes32 a = rng.key(), b = rng.key();
        uint64_t pa = t.pred(a), pb = t.pred(b);
        if (pa == pb) continue;
        /* Another gap's honest proof. */
        EXPECT_EQ(step(c, b, zero, v, t.absent_proof(a, true)), KILN_ERR_VERIFY);
        /* Predecessor and successor not adjacent: the leaf two steps on still encloses the key. */
        uint64_t s2 = t.leaves[t.leaves[pa].next].next;
        if (s2 != t.leaves[pa].next) {
            EXPECT_EQ(step(c, a, zero, zero, t.absent_proof_with(pa, s2, false, 0)), KILN_ERR_VERIFY);
        }
        /* The predecessor's predecessor with the true successor. */
        uint64_t pp = t.pred(t.leaves[pa].key);
        if (pa != 0) {
            EXPECT_EQ(step(c, a, zero, v, t.absent_proof_with(pp, t.leaves[pa].next, true, t.next_free())),
                      KILN_ERR_VERIFY);
        }
        checked++;
    }
    EXPECT_GT(checked, 20);
    EXPECT_TRUE(same(c, c0));
}

/* An insert must land on next_free, and next_free must be empty: a commitment whose next_free names an
 * occupied slot, with that slot's true path, is rejected; with the honest next_free the same construction
 * passes. */
TEST(StateTree, OccupiedFreeSlotAndNextFreeMismatchAreRejected) {
    Rng rng(8);
    Tree t = filled(rng, 30, nullptr);
    Bytes32 zero{}, v = rng.bytes();
    uint64_t n = t.next_free();
    int checked = 0;
    for (int i = 0; i < 20; i++) {
        Bytes32 k = rng.key();
        uint64_t p = t.pred(k), s = t.leaves[p].next;
        if (s >= n - 1 || t.leaves[s].next >= n - 1 || p == n - 1) continue;
        kiln_tree_commitment honest = ref_commitment(t), c = honest;
        EXPECT_EQ(step(c, k, zero, v, t.absent_proof_with(p, s, true, n)), KILN_OK);
        kiln_tree_commitment lie = honest;
        lie.next_free = n - 1;
        c = lie;
        EXPECT_EQ(step(c, k, zero, v, t.absent_proof_with(p, s, true, n - 1)), KILN_ERR_VERIFY);
        EXPECT_TRUE(same(c, lie));
        /* The honest proof under a commitment with another next_free. */
        for (uint64_t nf : {n - 1, n + 1, n + 100}) {
            c = honest;
            c.next_free = nf;
            kiln_tree_commitment before = c;
            EXPECT_EQ(step(c, k, zero, v, t.absent_proof(k, true)), KILN_ERR_VERIFY);
            EXPECT_TRUE(same(c, before));
        }
        checked++;
    }
    EXPECT_GT(checked, 5);
}

namespace {

/* One run of guest/samples/tree_step.c: cycles, Poseidon2 permutations (the gas of a schedule that charges
 * one per permutation and nothing else), exit code and output. */
struct VmRun {
    kiln_status st = KILN_ERR_INTERNAL;
    kiln_vm_result res{};
    std::vector<uint8_t> out;
};

VmRun run_tree_guest(const std::vector<uint8_t> &input) {
    VmRun r;
    kiln_vm_gas_schedule g;
    memset(&g, 0, sizeof g);
    g.poseidon2 = 1;
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    cfg.gas = &g;
    kt::GuestRun run = kt::run_guest("tree_step", input, &cfg);
    EXPECT_NE(run.st, KILN_ERR_PARSE) << run.err;
    r.st = run.st;
    r.res = run.res;
    r.out = run.out;
    return r;
}

void put_commitment(std::vector<uint8_t> &in, const kiln_tree_commitment &c) {
    in.insert(in.end(), c.root, c.root + 32);
    reftree::put64(in, c.next_free);
}

void put_step(std::vector<uint8_t> &in, const Bytes32 &k, const Bytes32 &init, const Bytes32 &fin,
              const std::vector<uint8_t> &proof) {
    in.insert(in.end(), k.begin(), k.end());
    in.insert(in.end(), init.begin(), init.end());
    in.insert(in.end(), fin.begin(), fin.end());
    uint32_t n = (uint32_t)proof.size();
    for (int i = 24; i >= 0; i -= 8)
        in.push_back((uint8_t)(n >> i));
    in.insert(in.end(), proof.begin(), proof.end());
}

} // namespace

/* The step compiled for the guest follows the reference in the VM; prints cycles and permutations per kind of
 * step (each kind run alone, minus a baseline run of the same input that skips the steps: the runtime's input
 * and output hashing cancel). A tampered proof makes the guest fail. */
TEST(StateTree, GuestStepInTheVm) {
    if (!KILN_GUEST_DIR[0]) GTEST_SKIP() << "guests not built (no clang/ld.lld for riscv32)";
    Rng rng(9);
    std::vector<Bytes32> keys;
    Tree t = filled(rng, 100, &keys);
    std::vector<uint8_t> base{0};
    put_commitment(base, ref_commitment(t));
    const int n = 16;
    const char *kinds[] = {"read present", "update", "read absent", "insert", "mixed"};
    for (int kind = 0; kind < 5; kind++) {
        Tree r = t;
        std::vector<uint8_t> in = base, want_out;
        size_t first_len = 0;
        uint64_t want_perms = 0; /* the permutations the step should take, from the reference */
        for (int i = 0; i < n; i++) {
            int kd = kind == 4 ? (int)(rng.u64() % 4) : kind;
            Bytes32 k = kd < 2 ? keys[rng.u64() % keys.size()] : rng.key(), init, fin;
            uint64_t idx;
            r.get(k, init, idx);
            fin = kd == 0 || kd == 2 ? init : rng.bytes();
            fin[0] |= kd == 1 || kd == 3 ? 1 : 0;
            if (kd == 0 || kd == 2) fin = init;
            auto proof = ref_proof(r, k, fin);
            if (!r.keys.count(k)) {
                /* Levels where the successor's path and the free slot's meet the predecessor's: each is
                 * hashed only up to there (an honest proof's bitmaps agree above). */
                auto meet = [](uint64_t x) { return 64 - (x ? __builtin_clzll(x) : 64); };
                uint64_t pr = r.pred(k), ms = meet(pr ^ r.leaves[pr].next), mi = meet(pr ^ r.next_free());
                want_perms += 2 + 64 + 2 + (ms - 1);
                if (fin != Bytes32{}) want_perms += 2 + (mi - 1) + 2 + (mi - 1) + 64;
            } else {
                want_perms += init == fin ? 66 : 132;
            }
            if (i == 0) first_len = proof.size();
            put_step(in, k, init, fin, proof);
            auto w = init == fin ? std::make_pair(r.keys.count(k) ? idx : 0, 0) : r.write(k, fin);
            reftree::put64(want_out, w.first);
            want_out.push_back((uint8_t)w.second);
        }
        put_commitment(want_out, ref_commitment(r));
        VmRun run = run_tree_guest(in);
        ASSERT_EQ(run.st, KILN_OK) << run.res.msg;
        ASSERT_EQ(run.res.stop, KILN_VM_EXITED) << run.res.msg;
        ASSERT_EQ(run.res.exit_code, 0u) << kinds[kind];
        EXPECT_EQ(run.out, want_out) << kinds[kind];
        in[0] = 1; /* the same input and output sizes without the steps */
        VmRun empty = run_tree_guest(in);
        in[0] = 0;
        ASSERT_EQ(empty.res.exit_code, 0u);
        std::cout << "[ tree step ] " << kinds[kind] << ": " << (run.res.cycles - empty.res.cycles) / n
                  << " cycles, " << (run.res.gas - empty.res.gas) / n
                  << " Poseidon2 permutations per step, proof " << (in.size() - base.size()) / n - 100
                  << " bytes\n";
        EXPECT_EQ(run.res.gas - empty.res.gas, want_perms) << kinds[kind];
        if (kind == 3) {
            in[base.size() + 100 + first_len - 32] ^= 1; /* the first proof's last sibling */
            VmRun bad = run_tree_guest(in);
            EXPECT_EQ(bad.res.exit_code, 10u + KILN_ERR_VERIFY);
        }
    }
}

/* The fuzz corpus (tests/fuzz/corpus/tree_step) holds honest steps that check and damaged ones that do not.
 */
TEST(StateTree, FuzzCorpusHonestStepsCheck) {
    const std::string dir = std::string(KILN_SOURCE_DIR) + "/tests/fuzz/corpus/tree_step/";
    const std::pair<const char *, bool> files[] = {
        {"genesis_insert", true},
        {"genesis_absent_read", true},
        {"member_read", true},
        {"member_update", true},
        {"member_zero", true},
        {"absent_read", true},
        {"insert", true},
        {"insert_bad_sibling", false},
        {"insert_truncated", false},
        {"member_noncanonical", false},
        {"wrong_neighbour", false},
    };
    for (auto &f : files) {
        std::ifstream in(dir + f.first, std::ios::binary);
        std::vector<uint8_t> d((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        ASSERT_GE(d.size(), 136u) << f.first;
        kiln_tree_commitment c;
        memcpy(c.root, d.data(), 32);
        c.next_free = reftree::be64(d.data() + 32);
        uint64_t idx;
        int ins;
        kiln_status st = kiln_tree_step(&c, d.data() + 40, d.data() + 72, d.data() + 104, d.data() + 136,
                                        d.size() - 136, &idx, &ins, nullptr, 0);
        EXPECT_EQ(st == KILN_OK, f.second) << f.first;
    }
}
