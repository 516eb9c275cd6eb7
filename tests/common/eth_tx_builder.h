// Test-side Ethereum transactions: an RLP encoder and a signer written apart from protocol/ (libsecp256k1 for
// the signatures, keccak from kernels/), so protocol's decoder and the bootloader are checked against bytes
// they did not make. Legacy (EIP-155 or not), EIP-2930 and EIP-1559, value transfers with optional data.
#ifndef KILN_TEST_ETH_TX_BUILDER_H
#define KILN_TEST_ETH_TX_BUILDER_H

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "keccak/keccak.h"

namespace ethtx {

using Bytes = std::vector<uint8_t>;

inline Bytes be_min(const uint8_t *b, size_t n) { // big-endian without leading zeros
    size_t i = 0;
    while (i < n && b[i] == 0)
        i++;
    return Bytes(b + i, b + n);
}
inline Bytes be_min(uint64_t v) {
    uint8_t b[8];
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (uint8_t)v;
    return be_min(b, 8);
}

inline Bytes rlp_prefix(size_t n, uint8_t base) {
    if (n < 56) return Bytes{(uint8_t)(base + n)};
    Bytes len = be_min((uint64_t)n);
    Bytes r{(uint8_t)(base + 55 + len.size())};
    r.insert(r.end(), len.begin(), len.end());
    return r;
}
inline Bytes rlp_str(const Bytes &b) {
    if (b.size() == 1 && b[0] < 0x80) return b;
    Bytes r = rlp_prefix(b.size(), 0x80);
    r.insert(r.end(), b.begin(), b.end());
    return r;
}
inline Bytes rlp_list(const std::vector<Bytes> &items) {
    Bytes p;
    for (const Bytes &i : items)
        p.insert(p.end(), i.begin(), i.end());
    Bytes r = rlp_prefix(p.size(), 0xc0);
    r.insert(r.end(), p.begin(), p.end());
    return r;
}

struct Key {
    uint8_t sk[32];
    uint8_t addr[20];
};

inline secp256k1_context *ctx() {
    static secp256k1_context *c = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
    return c;
}

inline Key make_key(uint8_t seed) {
    Key k;
    for (int i = 0; i < 32; i++)
        k.sk[i] = (uint8_t)(seed * 7 + i * 13 + 1);
    secp256k1_pubkey pk;
    if (!secp256k1_ec_pubkey_create(ctx(), &pk, k.sk)) throw std::runtime_error("bad key");
    uint8_t ser[65];
    size_t n = 65;
    secp256k1_ec_pubkey_serialize(ctx(), ser, &n, &pk, SECP256K1_EC_UNCOMPRESSED);
    uint8_t h[32];
    kiln_keccak256(ser + 1, 64, h);
    memcpy(k.addr, h + 12, 20);
    return k;
}

struct Tx {
    int type = 2;          // 0 legacy, 1 EIP-2930, 2 EIP-1559, 0x71 the ZK Stack's EIP-712
    bool eip155 = true;    // legacy only
    uint64_t chain_id = 1;
    uint64_t nonce = 0;
    uint64_t gas_limit = 21000;
    uint64_t max_fee = 1000000000;    // legacy / 2930: gas price
    uint64_t priority_fee = 1000000;  // 1559 only
    bool create = false;
    uint8_t to[20] = {0};
    uint8_t value[32] = {0};          // big-endian
    Bytes data;
    uint64_t gas_per_pubdata = 50000; // 0x71 only
};

inline void set_value(Tx &t, uint64_t v) {
    memset(t.value, 0, 32);
    for (int i = 31; i >= 24; i--, v >>= 8)
        t.value[i] = (uint8_t)v;
}

inline std::vector<Bytes> fields(const Tx &t) {
    Bytes to = t.create ? Bytes{} : Bytes(t.to, t.to + 20);
    if (t.type == 0x71) return {};
    if (t.type == 0)
        return {rlp_str(be_min(t.nonce)), rlp_str(be_min(t.max_fee)), rlp_str(be_min(t.gas_limit)), rlp_str(to),
                rlp_str(be_min(t.value, 32)), rlp_str(t.data)};
    std::vector<Bytes> f{rlp_str(be_min(t.chain_id)), rlp_str(be_min(t.nonce))};
    if (t.type == 2) f.push_back(rlp_str(be_min(t.priority_fee)));
    f.push_back(rlp_str(be_min(t.max_fee)));
    f.push_back(rlp_str(be_min(t.gas_limit)));
    f.push_back(rlp_str(to));
    f.push_back(rlp_str(be_min(t.value, 32)));
    f.push_back(rlp_str(t.data));
    f.push_back(rlp_list({})); // access list
    return f;
}

inline void word_u64(uint8_t w[32], uint64_t v) {
    memset(w, 0, 32);
    for (int i = 31; i >= 24; i--, v >>= 8)
        w[i] = (uint8_t)v;
}

inline void keccak_str(const char *s, uint8_t out[32]) { kiln_keccak256(s, strlen(s), out); }

// The ZK Stack's EIP-712 digest of a 0x71 transfer without paymaster or factory deps (zkstack-protocol.md
// §4.6), written here from the type strings.
inline void eip712_digest(const Tx &t, const uint8_t from[20], uint8_t out[32]) {
    uint8_t dom[4][32], st[14][32];
    keccak_str("EIP712Domain(string name,string version,uint256 chainId)", dom[0]);
    keccak_str("zkSync", dom[1]);
    keccak_str("2", dom[2]);
    word_u64(dom[3], t.chain_id);
    keccak_str("Transaction(uint256 txType,uint256 from,uint256 to,uint256 gasLimit,uint256 gasPerPubdataByteLimit,"
               "uint256 maxFeePerGas,uint256 maxPriorityFeePerGas,uint256 paymaster,uint256 nonce,uint256 value,"
               "bytes data,bytes32[] factoryDeps,bytes paymasterInput)",
               st[0]);
    word_u64(st[1], 0x71);
    memset(st[2], 0, 32), memcpy(st[2] + 12, from, 20);
    memset(st[3], 0, 32), memcpy(st[3] + 12, t.to, 20);
    word_u64(st[4], t.gas_limit);
    word_u64(st[5], t.gas_per_pubdata);
    word_u64(st[6], t.max_fee);
    word_u64(st[7], t.priority_fee);
    word_u64(st[8], 0);
    word_u64(st[9], t.nonce);
    memcpy(st[10], t.value, 32);
    kiln_keccak256(t.data.data(), t.data.size(), st[11]);
    kiln_keccak256(nullptr, 0, st[12]);
    kiln_keccak256(nullptr, 0, st[13]);
    uint8_t pre[2 + 64];
    pre[0] = 0x19, pre[1] = 0x01;
    kiln_keccak256(dom, sizeof dom, pre + 2);
    kiln_keccak256(st, sizeof st, pre + 34);
    kiln_keccak256(pre, sizeof pre, out);
}

// Signs t with k. high_s: replace s by n - s (and flip the parity), which EIP-2 forbids.
inline Bytes sign(const Tx &t, const Key &k, bool high_s = false) {
    std::vector<Bytes> f = fields(t);
    Bytes payload;
    uint8_t h[32];
    if (t.type == 0x71) {
        eip712_digest(t, k.addr, h);
    } else if (t.type == 0) {
        std::vector<Bytes> g = f;
        if (t.eip155) {
            g.push_back(rlp_str(be_min(t.chain_id)));
            g.push_back(rlp_str({}));
            g.push_back(rlp_str({}));
        }
        payload = rlp_list(g);
    } else {
        payload = rlp_list(f);
        payload.insert(payload.begin(), (uint8_t)t.type);
    }
    if (t.type != 0x71) kiln_keccak256(payload.data(), payload.size(), h);
    secp256k1_ecdsa_recoverable_signature sig;
    if (!secp256k1_ecdsa_sign_recoverable(ctx(), &sig, h, k.sk, nullptr, nullptr))
        throw std::runtime_error("sign failed");
    uint8_t rs[64];
    int recid;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx(), rs, &recid, &sig);
    if (high_s) { // s' = n - s
        static const uint8_t N[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                      0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                      0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
        int borrow = 0;
        for (int i = 31; i >= 0; i--) {
            int d = (int)N[i] - rs[32 + i] - borrow;
            borrow = d < 0;
            rs[32 + i] = (uint8_t)(d + (borrow ? 256 : 0));
        }
        recid ^= 1;
    }
    uint64_t v = t.type != 0 ? (uint64_t)recid : t.eip155 ? 35 + 2 * t.chain_id + recid : 27 + (uint64_t)recid;
    if (t.type == 0x71) { // [nonce, priority, max fee, gas, to, value, data, v, r, s, chain, from, gpp, deps, sig, pm]
        Bytes to(t.to, t.to + 20);
        f = {rlp_str(be_min(t.nonce)), rlp_str(be_min(t.priority_fee)), rlp_str(be_min(t.max_fee)),
             rlp_str(be_min(t.gas_limit)), rlp_str(to), rlp_str(be_min(t.value, 32)), rlp_str(t.data)};
    }
    f.push_back(rlp_str(be_min(v)));
    f.push_back(rlp_str(be_min(rs, 32)));
    f.push_back(rlp_str(be_min(rs + 32, 32)));
    if (t.type == 0x71) {
        f.push_back(rlp_str(be_min(t.chain_id)));
        f.push_back(rlp_str(Bytes(k.addr, k.addr + 20)));
        f.push_back(rlp_str(be_min(t.gas_per_pubdata)));
        f.push_back(rlp_list({}));
        f.push_back(rlp_str({}));
        f.push_back(rlp_list({}));
    }
    Bytes out = rlp_list(f);
    if (t.type != 0) out.insert(out.begin(), (uint8_t)t.type);
    return out;
}

// "0x" and lowercase hex, as JSON-RPC and BATCH.json write bytes.
inline std::string hex(const uint8_t *b, size_t n) {
    static const char *d = "0123456789abcdef";
    std::string s = "0x";
    for (size_t i = 0; i < n; i++) {
        s += d[b[i] >> 4];
        s += d[b[i] & 15];
    }
    return s;
}
inline std::string hex(const Bytes &b) { return hex(b.data(), b.size()); }

inline void tx_hash(const Bytes &raw, uint8_t out[32]) {
    kiln_keccak256(raw.data(), raw.size(), out);
}

} // namespace ethtx
#endif
