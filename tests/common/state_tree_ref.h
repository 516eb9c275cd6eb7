/* A slow reference of the state tree (docs/formats.md, "State tree") for the tests, written apart from
 * protocol/state_tree.c and sequencer/state_tree.c: leaves in a vector, keys in a std::map, the depth-64 root
 * recomputed by hashing only the non-empty subtrees with kernels' Poseidon2. It also builds proofs in the
 * documented byte format, so tests can craft honest and dishonest proofs without the host tree. */
#ifndef KILN_TEST_STATE_TREE_REF_H
#define KILN_TEST_STATE_TREE_REF_H

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <map>
#include <random>
#include <vector>

#include "poseidon2/poseidon2.h"
#include "test_bytes.h"

namespace reftree {

using Bytes32 = std::array<uint8_t, 32>;
using Digest = std::array<uint64_t, 4>;
static const uint64_t kP = 0xFFFFFFFF00000001ull;

inline uint64_t be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}
inline uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}
inline void put64(std::vector<uint8_t> &o, uint64_t v) {
    for (int i = 56; i >= 0; i -= 8)
        o.push_back((uint8_t)(v >> i));
}
inline void put_digest(std::vector<uint8_t> &o, const Digest &d) {
    for (uint64_t w : d)
        put64(o, w);
}
/* Proof fields (format v2): little-endian. */
inline void put_le32(std::vector<uint8_t> &o, uint32_t v) {
    for (int i = 0; i < 32; i += 8)
        o.push_back((uint8_t)(v >> i));
}
inline void put_le64(std::vector<uint8_t> &o, uint64_t v) {
    put_le32(o, (uint32_t)v);
    put_le32(o, (uint32_t)(v >> 32));
}
inline Bytes32 digest_bytes(const Digest &d) {
    std::vector<uint8_t> o;
    put_digest(o, d);
    Bytes32 b;
    std::memcpy(b.data(), o.data(), 32);
    return b;
}

/* The tree key: hash_var(address as 5 BE u32, slot as 8 BE u32). */
inline Bytes32 state_key(const uint8_t addr[20], const uint8_t slot[32]) {
    std::vector<uint64_t> in;
    for (int i = 0; i < 20; i += 4)
        in.push_back(be32(addr + i));
    for (int i = 0; i < 32; i += 4)
        in.push_back(be32(slot + i));
    Digest d;
    kiln_poseidon2_hash_var(in.data(), in.size(), d.data());
    return digest_bytes(d);
}

inline Digest node(const Digest &l, const Digest &r) {
    Digest d;
    kiln_poseidon2_hash_node(l.data(), r.data(), d.data());
    return d;
}

struct Leaf {
    Bytes32 key{}, value{};
    uint64_t next = 0;
};

inline Digest leaf_hash(const Leaf &l) {
    std::vector<uint64_t> in;
    for (int i = 0; i < 32; i += 8)
        in.push_back(be64(l.key.data() + i));
    for (int i = 0; i < 32; i += 4)
        in.push_back(be32(l.value.data() + i));
    in.push_back(l.next);
    Digest d;
    kiln_poseidon2_hash_var(in.data(), in.size(), d.data());
    return d;
}

inline Bytes32 max_key() {
    Bytes32 k;
    for (int i = 0; i < 32; i += 8)
        for (int j = 0; j < 8; j++)
            k[i + j] = (uint8_t)((kP - 1) >> (56 - 8 * j));
    return k;
}

struct Tree {
    std::vector<Leaf> leaves;
    std::map<Bytes32, uint64_t> keys;
    std::vector<Digest> empty; /* empty[L] for L = 0..64 */

    Tree() {
        empty.push_back(Digest{0, 0, 0, 0});
        for (int l = 0; l < 64; l++)
            empty.push_back(node(empty[l], empty[l]));
        Leaf g0, g1;
        g0.next = 1;
        g1.key = max_key();
        g1.next = 1;
        leaves = {g0, g1};
        keys[g0.key] = 0;
        keys[g1.key] = 1;
    }
    uint64_t next_free() const { return leaves.size(); }

    /* The node at (level, index) over the current leaves. */
    Digest at(int level, uint64_t index) const {
        uint64_t n = leaves.size();
        if (level < 64 && index > ((n - 1) >> level)) return empty[level];
        if (level == 0) return leaf_hash(leaves[index]);
        return node(at(level - 1, 2 * index), at(level - 1, 2 * index + 1));
    }
    Digest root() const { return at(64, 0); }
    Bytes32 root_bytes() const { return digest_bytes(root()); }

    /* A path: a bitmap of the siblings equal to their level's empty subtree, then the others as 4 u64. Levels
     * in `spelled` are written out even when empty (a valid, non-canonical path, for tests). */
    void path(uint64_t index, std::vector<uint8_t> &o, uint64_t spelled = 0) const {
        uint64_t bitmap = 0;
        std::vector<Digest> rest;
        for (int level = 0; level < 64; level++) {
            Digest d = at(level, (index >> level) ^ 1);
            if (d == empty[level] && !(spelled >> level & 1))
                bitmap |= 1ull << level;
            else
                rest.push_back(d);
        }
        put_le64(o, bitmap);
        for (const Digest &d : rest)
            for (uint64_t w : d)
                put_le64(o, w);
    }

    bool get(const Bytes32 &k, Bytes32 &v, uint64_t &idx) const {
        auto it = keys.find(k);
        v = Bytes32{};
        idx = 0;
        if (it == keys.end()) return false;
        idx = it->second;
        v = leaves[idx].value;
        return true;
    }
    uint64_t pred(const Bytes32 &k) const { return std::prev(keys.lower_bound(k))->second; }

    /* Applies a write; returns (enum index, inserted) as the step reports them. */
    std::pair<uint64_t, int> write(const Bytes32 &k, const Bytes32 &v) {
        auto it = keys.find(k);
        if (it != keys.end()) {
            leaves[it->second].value = v;
            return {it->second, 0};
        }
        if (v == Bytes32{}) return {0, 0};
        uint64_t p = pred(k), idx = leaves.size();
        Leaf l;
        l.key = k;
        l.value = v;
        l.next = leaves[p].next;
        leaves[p].next = idx;
        leaves.push_back(l);
        keys[k] = idx;
        return {idx, 1};
    }

    /* Proofs in the documented format (docs/formats.md, "State tree", v2). */
    std::vector<uint8_t> member_proof(const Bytes32 &k) const {
        uint64_t idx = keys.at(k);
        std::vector<uint8_t> o;
        put_le32(o, 1);
        put_le64(o, idx);
        put_le64(o, leaves[idx].next);
        path(idx, o);
        return o;
    }
    /* A leaf as its hash's inputs: the key's 4 big-endian u64 words and the value's 8 big-endian u32 words,
     * each written little-endian, then next. */
    void leaf_fields(std::vector<uint8_t> &o, uint64_t idx) const {
        const Leaf &l = leaves[idx];
        for (int i = 0; i < 32; i += 8)
            put_le64(o, be64(l.key.data() + i));
        for (int i = 0; i < 32; i += 4)
            put_le32(o, be32(l.value.data() + i));
        put_le64(o, l.next);
    }
    /* Absence proof with the given predecessor and successor leaves (honest: pred(k) and its next). With
     * insert_slot set, the free-slot path of that slot after pred's next is set to it. */
    std::vector<uint8_t> absent_proof_with(uint64_t p, uint64_t s, bool insert, uint64_t slot,
                                           uint64_t succ_spelled = 0, uint64_t slot_spelled = 0) const {
        std::vector<uint8_t> o;
        put_le32(o, 2);
        put_le64(o, p);
        leaf_fields(o, p);
        path(p, o);
        leaf_fields(o, s);
        path(s, o, succ_spelled);
        if (insert) {
            Tree t2 = *this;
            t2.leaves[p].next = slot;
            t2.path(slot, o, slot_spelled);
        }
        return o;
    }
    std::vector<uint8_t> absent_proof(const Bytes32 &k, bool insert) const {
        uint64_t p = pred(k);
        return absent_proof_with(p, leaves[p].next, insert, leaves.size());
    }
};

/* Random keys and values for tree workloads (the suites' shared generator). */
struct Rng {
    std::mt19937_64 g;
    explicit Rng(uint64_t seed) : g(seed) {}
    uint64_t u64() { return g(); }
    Bytes32 bytes() {
        Bytes32 b;
        for (auto &x : b)
            x = (uint8_t)g();
        return b;
    }
    /* A random key as the tree sees them: a state key of a random address and slot. */
    Bytes32 key() {
        Bytes32 a = bytes(), s = bytes();
        return reftree::state_key(a.data(), s.data());
    }
    /* A value that is zero, small, or random. */
    Bytes32 value() {
        Bytes32 v{};
        switch (g() % 4) {
        case 0:
            break;
        case 1:
            v[31] = (uint8_t)(1 + g() % 255);
            break;
        default:
            v = bytes();
        }
        return v;
    }
};

using kt::TempDir;

} // namespace reftree
#endif
