// RLP, L2 transaction envelopes and L1→L2 priority transactions (protocol/rlp.h, tx.h, l1_tx.h).
// Independent references: Ethereum's TransactionTests (hash, sender, intrinsic gas, expected rejections), the
// ZK Stack's published 0x71 vectors and alias vectors (zkstack-vectors.md §5, §8), transactions built and
// signed here with libsecp256k1 and a separate RLP encoder, and a hand-written Python ABI encoder
// (ref/l1_tx_abi.py).
#include <gtest/gtest.h>
#include <jansson.h>

// secp256k1_recovery.h includes libsecp256k1's own secp256k1.h from its folder (protocol/ has a header of the
// same name on the include path).
#include <secp256k1_recovery.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "keccak/keccak.h"
#include "l1_tx.h"
#include "rlp.h"
#include "tx.h"
#include "vm.h"
}

#include "test_bytes.h"

namespace {

using Bytes = std::vector<uint8_t>;

Bytes hex(const std::string &s) { return kt::from_hex(s); }
using kt::to_hex;

Bytes keccak(const Bytes &b) {
    Bytes h(32);
    kiln_keccak256(b.data(), b.size(), h.data());
    return h;
}

// A separate RLP encoder for building test transactions (not the library's).
Bytes rlp_len_prefix(size_t n, uint8_t base) {
    if (n < 56) return {(uint8_t)(base + n)};
    Bytes l;
    for (size_t t = n; t; t >>= 8)
        l.insert(l.begin(), (uint8_t)t);
    Bytes r{(uint8_t)(base + 55 + l.size())};
    r.insert(r.end(), l.begin(), l.end());
    return r;
}
Bytes rstr(const Bytes &b) {
    if (b.size() == 1 && b[0] < 0x80) return b;
    Bytes r = rlp_len_prefix(b.size(), 0x80);
    r.insert(r.end(), b.begin(), b.end());
    return r;
}
Bytes rlist(const std::vector<Bytes> &items) {
    Bytes p;
    for (auto &i : items)
        p.insert(p.end(), i.begin(), i.end());
    Bytes r = rlp_len_prefix(p.size(), 0xc0);
    r.insert(r.end(), p.begin(), p.end());
    return r;
}
Bytes minimal(const Bytes &be) {
    size_t i = 0;
    while (i < be.size() && be[i] == 0)
        i++;
    return Bytes(be.begin() + (long)i, be.end());
}
Bytes rint(uint64_t v) {
    Bytes b(8);
    for (int i = 0; i < 8; i++)
        b[7 - i] = (uint8_t)(v >> (8 * i));
    return rstr(minimal(b));
}
Bytes rbig(const Bytes &be) {
    return rstr(minimal(be));
}
Bytes cat(Bytes a, const Bytes &b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string u256hex(const kiln_u256 &v) {
    uint8_t b[32];
    kiln_u256_to_be(b, &v);
    return to_hex(b, 32);
}
std::string pad64(const Bytes &be) {
    Bytes p(32 - be.size(), 0);
    p.insert(p.end(), be.begin(), be.end());
    return to_hex(p.data(), 32);
}

// ---------------------------------------------------------------------------------------------------------------
// RLP

kiln_status dec(const Bytes &b, kiln_rlp_item *it = nullptr) {
    static Bytes keep; // items point into the input: keep the last one alive
    keep = b;
    kiln_rlp_item x;
    char err[96];
    return kiln_rlp_decode(keep.data(), keep.size(), it ? it : &x, err, sizeof err);
}

TEST(Rlp, AcceptsCanonical) {
    kiln_rlp_item it;
    ASSERT_EQ(dec({0x80}, &it), KILN_OK);
    EXPECT_EQ(it.len, 0u);
    EXPECT_FALSE(it.is_list);
    ASSERT_EQ(dec({0x00}, &it), KILN_OK);
    EXPECT_EQ(it.len, 1u);
    EXPECT_EQ(it.payload[0], 0x00);
    ASSERT_EQ(dec({0x7f}, &it), KILN_OK);
    ASSERT_EQ(dec({0x81, 0x80}, &it), KILN_OK);
    EXPECT_EQ(it.payload[0], 0x80);
    Bytes s55(55, 0xaa), s56(56, 0xbb), s300(300, 0xcc);
    ASSERT_EQ(dec(rstr(s55), &it), KILN_OK);
    EXPECT_EQ(it.len, 55u);
    EXPECT_EQ(rstr(s56)[0], 0xb8);
    ASSERT_EQ(dec(rstr(s56), &it), KILN_OK);
    EXPECT_EQ(it.len, 56u);
    ASSERT_EQ(dec(rstr(s300), &it), KILN_OK);
    EXPECT_EQ(it.len, 300u);
    EXPECT_EQ(it.enc_len, 303u);
    ASSERT_EQ(dec({0xc0}, &it), KILN_OK);
    EXPECT_TRUE(it.is_list);
    Bytes l = rlist({rstr(s56), rint(5), rlist({}), rstr({})});
    ASSERT_EQ(dec(l, &it), KILN_OK);
    size_t n = 0;
    char err[96];
    ASSERT_EQ(kiln_rlp_list_count(&it, &n, err, sizeof err), KILN_OK);
    EXPECT_EQ(n, 4u);
    kiln_rlp_iter iter;
    kiln_rlp_item x;
    ASSERT_EQ(kiln_rlp_iter_init(&iter, &it, err, sizeof err), KILN_OK);
    ASSERT_EQ(kiln_rlp_iter_next(&iter, &x, err, sizeof err), KILN_OK);
    EXPECT_EQ(x.len, 56u);
    ASSERT_EQ(kiln_rlp_iter_next(&iter, &x, err, sizeof err), KILN_OK);
    uint64_t v = 0;
    ASSERT_EQ(kiln_rlp_get_u64(&x, &v, err, sizeof err), KILN_OK);
    EXPECT_EQ(v, 5u);
    ASSERT_EQ(kiln_rlp_iter_next(&iter, &x, err, sizeof err), KILN_OK);
    EXPECT_TRUE(x.is_list);
    ASSERT_EQ(kiln_rlp_iter_next(&iter, &x, err, sizeof err), KILN_OK);
    EXPECT_TRUE(kiln_rlp_iter_done(&iter));
    EXPECT_EQ(kiln_rlp_iter_next(&iter, &x, err, sizeof err), KILN_ERR_PARSE);
}

TEST(Rlp, RejectsNonCanonicalAndTruncated) {
    EXPECT_EQ(dec({}), KILN_ERR_PARSE);
    EXPECT_EQ(dec({0x81, 0x00}), KILN_ERR_PARSE); // single byte < 0x80 wrapped
    EXPECT_EQ(dec({0x81, 0x7f}), KILN_ERR_PARSE);
    EXPECT_EQ(dec({0xb8, 0x01, 0x00}), KILN_ERR_PARSE); // long form for a short string
    Bytes lead = {0xb9, 0x00, 0x38};
    lead.resize(3 + 56, 1);
    EXPECT_EQ(dec(lead), KILN_ERR_PARSE);                           // length with a leading zero byte
    EXPECT_EQ(dec({0x82, 0x01}), KILN_ERR_PARSE);                   // truncated string
    EXPECT_EQ(dec({0xb8}), KILN_ERR_PARSE);                         // truncated length
    EXPECT_EQ(dec({0xc2, 0x01}), KILN_ERR_PARSE);                   // truncated list
    EXPECT_EQ(dec({0x80, 0x80}), KILN_ERR_PARSE);                   // trailing bytes
    EXPECT_EQ(dec({0xf8, 0x01, 0x01}), KILN_ERR_PARSE);             // long list form for a short list
    EXPECT_EQ(dec({0xbf, 1, 2, 3, 4, 5, 6, 7, 8}), KILN_ERR_PARSE); // absurd length
    // An item inside a list that runs past the list's end (though not past the input).
    kiln_rlp_item it, x;
    char err[96];
    Bytes bad = {0xc2, 0x82, 0x01, 0x02};
    EXPECT_EQ(dec(bad), KILN_ERR_PARSE); // trailing as a whole; decode the prefix only:
    size_t used = 0;
    ASSERT_EQ(kiln_rlp_decode_prefix(bad.data(), bad.size(), &it, &used, err, sizeof err), KILN_OK);
    EXPECT_EQ(used, 3u);
    size_t n;
    EXPECT_EQ(kiln_rlp_list_count(&it, &n, err, sizeof err), KILN_ERR_PARSE);
    kiln_rlp_iter iter;
    ASSERT_EQ(kiln_rlp_iter_init(&iter, &it, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_rlp_iter_next(&iter, &x, err, sizeof err), KILN_ERR_PARSE);
    EXPECT_NE(std::string(err).find("past the end"), std::string::npos) << err;
    // Iterating a string is an error.
    ASSERT_EQ(dec({0x80}, &it), KILN_OK);
    EXPECT_EQ(kiln_rlp_iter_init(&iter, &it, err, sizeof err), KILN_ERR_PARSE);
}

TEST(Rlp, Integers) {
    kiln_rlp_item it;
    char err[96];
    uint64_t v;
    kiln_u256 u;
    ASSERT_EQ(dec({0x80}, &it), KILN_OK);
    ASSERT_EQ(kiln_rlp_get_u64(&it, &v, err, sizeof err), KILN_OK);
    EXPECT_EQ(v, 0u);
    ASSERT_EQ(dec({0x00}, &it), KILN_OK); // zero must be the empty string
    EXPECT_EQ(kiln_rlp_get_u64(&it, &v, err, sizeof err), KILN_ERR_PARSE);
    ASSERT_EQ(dec({0x82, 0x00, 0x01}, &it), KILN_OK);
    EXPECT_EQ(kiln_rlp_get_u64(&it, &v, err, sizeof err), KILN_ERR_PARSE);
    EXPECT_EQ(kiln_rlp_get_u256(&it, &u, err, sizeof err), KILN_ERR_PARSE);
    Bytes max64 = rint(UINT64_MAX);
    ASSERT_EQ(dec(max64, &it), KILN_OK);
    ASSERT_EQ(kiln_rlp_get_u64(&it, &v, err, sizeof err), KILN_OK);
    EXPECT_EQ(v, UINT64_MAX);
    Bytes nine = rstr(Bytes{1, 0, 0, 0, 0, 0, 0, 0, 0});
    ASSERT_EQ(dec(nine, &it), KILN_OK);
    EXPECT_EQ(kiln_rlp_get_u64(&it, &v, err, sizeof err), KILN_ERR_PARSE);
    ASSERT_EQ(kiln_rlp_get_u256(&it, &u, err, sizeof err), KILN_OK);
    EXPECT_EQ(u.w[2], 1u);
    Bytes b32(32, 0xff), b33(33, 0xff);
    ASSERT_EQ(dec(rstr(b32), &it), KILN_OK);
    EXPECT_EQ(kiln_rlp_get_u256(&it, &u, err, sizeof err), KILN_OK);
    ASSERT_EQ(dec(rstr(b33), &it), KILN_OK);
    EXPECT_EQ(kiln_rlp_get_u256(&it, &u, err, sizeof err), KILN_ERR_PARSE);
    ASSERT_EQ(dec({0xc0}, &it), KILN_OK);
    EXPECT_EQ(kiln_rlp_get_u64(&it, &v, err, sizeof err), KILN_ERR_PARSE);
}

TEST(Rlp, Encoder) {
    uint8_t buf[400];
    kiln_rlp_enc e;
    size_t len;
    char err[96];
    Bytes s56(56, 0x11);
    kiln_u256 big;
    uint8_t bigbe[32];
    for (int i = 0; i < 32; i++)
        bigbe[i] = (uint8_t)(i + 1);
    kiln_u256_from_be(&big, bigbe);
    Bytes expect_payload =
        cat(cat(cat(cat(rint(0), rint(127)), rint(128)), rint(0x0102030405ULL)), rstr(s56));
    expect_payload = cat(expect_payload, rbig(Bytes(bigbe, bigbe + 32)));
    Bytes expect = rlist({expect_payload}); // a list holding the payload bytes as items
    expect = cat(rlp_len_prefix(expect_payload.size(), 0xc0), expect_payload);
    kiln_rlp_enc_init(&e, buf, sizeof buf);
    kiln_rlp_enc_list_header(&e, expect_payload.size());
    kiln_rlp_enc_u64(&e, 0);
    kiln_rlp_enc_u64(&e, 127);
    kiln_rlp_enc_u64(&e, 128);
    kiln_rlp_enc_u64(&e, 0x0102030405ULL);
    kiln_rlp_enc_bytes(&e, s56.data(), s56.size());
    kiln_rlp_enc_u256(&e, &big);
    ASSERT_EQ(kiln_rlp_enc_finish(&e, &len, err, sizeof err), KILN_OK);
    EXPECT_EQ(to_hex(buf, len), to_hex(expect.data(), expect.size()));
    // Overflow is reported and nothing is written past the capacity.
    uint8_t small[8];
    memset(small, 0xee, sizeof small);
    kiln_rlp_enc_init(&e, small, 4);
    kiln_rlp_enc_bytes(&e, s56.data(), s56.size());
    EXPECT_EQ(kiln_rlp_enc_finish(&e, &len, err, sizeof err), KILN_ERR_LIMIT);
    EXPECT_EQ(len, 58u);
    EXPECT_EQ(small[4], 0xee);
}

// ---------------------------------------------------------------------------------------------------------------
// Ethereum TransactionTests

// Decode, limits (chain id 1, as the tests use) and sender: KILN_OK with the hash and sender, or the first
// error.
kiln_status full_check(const Bytes &raw, kiln_tx *tx, uint8_t sender[20], std::string &why) {
    char err[128] = {0};
    kiln_status st = kiln_tx_decode(raw.data(), raw.size(), tx, err, sizeof err);
    if (st == KILN_OK) st = kiln_tx_check_limits(tx, 1, err, sizeof err);
    if (st == KILN_OK) st = kiln_tx_sender(tx, sender, err, sizeof err);
    why = err;
    return st;
}

TEST(TxEthereumTests, TransactionTests) {
    namespace fs = std::filesystem;
    // KILN_ETH_TESTS_DIR in the environment overrides the build's path (worktrees keep shared/ elsewhere).
    const char *env = getenv("KILN_ETH_TESTS_DIR");
    fs::path dir = fs::path(env ? env : KILN_ETH_TESTS_DIR) / "TransactionTests";
    if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir;
    static const char *forks[] = {"Prague", "Cancun", "Shanghai", "Paris", "London", "Berlin"};
    int passed = 0, skipped = 0, files = 0, valid = 0, rejected = 0, not_cancun = 0;
    std::vector<fs::path> paths;
    for (auto &e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".json") paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    for (auto &p : paths) {
        files++;
        json_error_t jerr;
        json_t *root = json_load_file(p.c_str(), 0, &jerr);
        ASSERT_NE(root, nullptr) << p << ": " << jerr.text;
        const char *name;
        json_t *test;
        json_object_foreach(root, name, test) {
            std::string label = p.filename().string() + ":" + name;
            json_t *txb = json_object_get(test, "txbytes");
            json_t *res = json_object_get(test, "result");
            json_t *r = nullptr;
            const char *fork = nullptr;
            for (const char *f : forks)
                if (res && (r = json_object_get(res, f))) {
                    fork = f;
                    break;
                }
            if (!txb || !r) {
                skipped++;
                printf("  skip %s: no txbytes or no Berlin-or-later result\n", label.c_str());
                continue;
            }
            if (strcmp(fork, "Cancun") != 0) not_cancun++;
            Bytes raw = hex(json_string_value(txb));
            kiln_tx tx;
            uint8_t sender[20];
            std::string why;
            kiln_status st = full_check(raw, &tx, sender, why);
            json_t *exc = json_object_get(r, "exception");
            if (getenv("KILN_TX_TRACE")) {
                printf("TRACE %s %s st=%d %s\n", label.c_str(), exc ? json_string_value(exc) : "valid",
                       (int)st, why.c_str());
            }
            if (exc) {
                EXPECT_NE(st, KILN_OK) << label << " [" << fork << "] expects " << json_string_value(exc);
                // Malformed encodings must be caught by the decoder itself.
                if (strstr(json_string_value(exc), ".RLP_")) {
                    EXPECT_EQ(st, KILN_ERR_PARSE) << label << ": " << why;
                }
                if (st != KILN_OK) passed++, rejected++;
                continue;
            }
            EXPECT_EQ(st, KILN_OK) << label << " [" << fork << "]: " << why;
            if (st != KILN_OK) continue;
            std::string h = json_string_value(json_object_get(r, "hash"));
            std::string s = json_string_value(json_object_get(r, "sender"));
            Bytes ig = hex(json_string_value(json_object_get(r, "intrinsicGas")));
            uint64_t igv = 0;
            for (uint8_t b : ig)
                igv = igv << 8 | b;
            bool ok = true;
            EXPECT_EQ("0x" + to_hex(tx.hash, 32), h) << label, ok &= "0x" + to_hex(tx.hash, 32) == h;
            EXPECT_EQ("0x" + to_hex(sender, 20), s) << label, ok &= "0x" + to_hex(sender, 20) == s;
            EXPECT_EQ(kiln_tx_intrinsic_gas(&tx), igv) << label, ok &= kiln_tx_intrinsic_gas(&tx) == igv;
            if (ok) passed++, valid++;
        }
        json_decref(root);
    }
    printf("TransactionTests: %d files, %d passed (%d valid with hash/sender/intrinsic gas, %d rejected as "
           "expected), %d skipped, %d judged by a fork before Cancun (no Cancun result)\n",
           files, passed, valid, rejected, skipped, not_cancun);
    EXPECT_GT(passed, 200);
    EXPECT_LE(skipped, 5);
}

// ---------------------------------------------------------------------------------------------------------------
// ZK Stack type 0x71 (EIP-712) vectors

const char *ZK_SIGNED_RLP = "0x71f87f8080808094a61464658afeaf65cccaafd3a512b69a83b77618830f42408001a073a20167"
                            "b8d23b610b058c05368174495adf7da3a4"
                            "ed4a57eb6dbdeb1fafc24aa02f87530d663a0d061f69bb564d2c6fb46ae5ae776bbd4bd2a2a4478b"
                            "9cd1b42a82010e9436615cf349d7f6"
                            "344891b1e7ca7c72883f5dc04982c350c080c0";

TEST(TxEip712, PublishedVectors) {
    uint8_t ds[32];
    kiln_tx_eip712_domain_separator(270, ds);
    EXPECT_EQ(to_hex(ds, 32), "90c05efb083b1455ff9cfdbd3792b42bea87908b3a05f46c28244311c105b5a6");
    Bytes raw = hex(ZK_SIGNED_RLP);
    kiln_tx tx;
    char err[128];
    ASSERT_EQ(kiln_tx_decode(raw.data(), raw.size(), &tx, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(tx.type, KILN_TX_EIP712);
    EXPECT_TRUE(tx.has_chain_id);
    EXPECT_EQ(tx.chain_id, 270u);
    EXPECT_EQ(to_hex(tx.from, 20), "36615cf349d7f6344891b1e7ca7c72883f5dc049");
    ASSERT_TRUE(tx.has_to);
    EXPECT_EQ(to_hex(tx.to, 20), "a61464658afeaf65cccaafd3a512b69a83b77618");
    EXPECT_EQ(tx.value.w[0], 1000000u);
    EXPECT_EQ(tx.gas_per_pubdata.w[0], 50000u);
    EXPECT_EQ(tx.factory_dep_count, 0u);
    EXPECT_EQ(tx.custom_signature_len, 0u);
    EXPECT_FALSE(tx.has_paymaster);
    EXPECT_EQ(tx.y_parity, 1);
    EXPECT_FALSE(tx.hashes_pending);
    EXPECT_EQ(to_hex(tx.signing_hash, 32), "8dab5bf770e684d64358f554ad181cf6c4c5b92d54f45b2b70127efd7061042a");
    EXPECT_EQ(to_hex(tx.hash, 32), "8efdc7ce5f5a75ab945976c3e2b0c2a45e9f8e15ff940d05625ac5545cd9f870");
    EXPECT_EQ(tx.signature65[64], 28);
    // The published signature is a dummy: it does not recover to `from`.
    uint8_t from[20];
    EXPECT_EQ(kiln_tx_sender(&tx, from, err, sizeof err), KILN_ERR_VERIFY);

    // The same tx with a paymaster and the SDK's custom signature (132 bytes, the ASCII of a hex string): the
    // published tx hash and the derived signed digest.
    Bytes pm_input =
        hex(std::string("949431dc000000000000000000000000841c43fa5d8fffdb9efe3358906f7578d8700dd4") +
            "0000000000000000000000000000000000000000000000000000000000000001" +
            "0000000000000000000000000000000000000000000000000000000000000060" +
            "0000000000000000000000000000000000000000000000000000000000000000");
    Bytes custom =
        hex(std::string("30783737326239616234373538643563663038663764373230316164633265353438393361") +
            "6532376263666562323162396337643666643430393766346464653063303166376630353332" +
            "3238663466366438386536626633343334363439313431353637616339303636323066616538" +
            "32633239333339393062353563613336363162");
    Bytes r2 =
        rlist({rint(0), rint(0), rint(0), rint(0), rstr(hex("a61464658afeaf65cccaafd3a512b69a83b77618")),
               rint(1000000), rstr({}), rint(0), rstr({}), rstr({}), rint(270),
               rstr(hex("36615cf349d7f6344891b1e7ca7c72883f5dc049")), rint(50000), rlist({}), rstr(custom),
               rlist({rstr(hex("a222f0c183AFA73a8Bc1AFb48D34C88c9Bf7A174")), rstr(pm_input)})});
    r2.insert(r2.begin(), 0x71);
    ASSERT_EQ(kiln_tx_decode(r2.data(), r2.size(), &tx, err, sizeof err), KILN_OK) << err;
    EXPECT_TRUE(tx.has_paymaster);
    EXPECT_EQ(tx.custom_signature_len, 132u);
    EXPECT_EQ(to_hex(tx.signing_hash, 32), "66f5c2908a3a00f3456c7160174b0517e8333ccb39ff94a71fffa26a5eb9235e");
    EXPECT_EQ(to_hex(tx.hash, 32), "c0ba55587423e1ef281b06a9d684b481365897f37a6ad611d7619b1b7e0bc908");
    EXPECT_EQ(kiln_tx_sender(&tx, from, err, sizeof err), KILN_ERR_UNSUPPORTED);
}

// ---------------------------------------------------------------------------------------------------------------
// Random transactions signed here

struct Signer {
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    ~Signer() { secp256k1_context_destroy(ctx); }
    // Signs digest with key: r, s (low), recid; and the key's address.
    void sign(const uint8_t key[32], const Bytes &digest, Bytes &r, Bytes &s, int &recid, Bytes &addr) {
        secp256k1_ecdsa_recoverable_signature sig;
        ASSERT_TRUE(secp256k1_ecdsa_sign_recoverable(ctx, &sig, digest.data(), key, nullptr, nullptr));
        uint8_t rs[64];
        secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, rs, &recid, &sig);
        r.assign(rs, rs + 32);
        s.assign(rs + 32, rs + 64);
        secp256k1_pubkey pk;
        ASSERT_TRUE(secp256k1_ec_pubkey_create(ctx, &pk, key));
        uint8_t out[65];
        size_t outlen = 65;
        secp256k1_ec_pubkey_serialize(ctx, out, &outlen, &pk, SECP256K1_EC_UNCOMPRESSED);
        Bytes h = keccak(Bytes(out + 1, out + 65));
        addr.assign(h.begin() + 12, h.end());
    }
};

struct Built {
    Bytes raw, digest, from;
    uint64_t nonce, gas, chain;
    Bytes to, value, fee, prio, data;
    uint32_t al_addrs = 0, al_keys = 0;
};

Bytes rnd(std::mt19937_64 &g, size_t n) {
    Bytes b(n);
    for (auto &x : b)
        x = (uint8_t)g();
    return b;
}
Bytes rnd_int(std::mt19937_64 &g, size_t maxbytes) {
    return minimal(rnd(g, g() % (maxbytes + 1)));
}

// type: 0 (pre-EIP-155 when chain == 0), 1, 2, 0x71.
Built build(std::mt19937_64 &g, Signer &sg, int type, uint64_t chain) {
    Built b;
    uint8_t key[32];
    do {
        Bytes k = rnd(g, 32);
        memcpy(key, k.data(), 32);
    } while (!secp256k1_ec_seckey_verify(sg.ctx, key));
    b.chain = chain;
    b.nonce = g() >> (g() % 64);
    b.gas = 21000 + (g() % 10000000);
    b.to = (g() % 4) ? rnd(g, 20) : Bytes{};
    if (type == 0x71 && b.to.empty()) b.to = rnd(g, 20);
    b.value = rnd_int(g, 32);
    b.fee = rnd_int(g, 12);
    b.prio = type == 2 || type == 0x71 ? rnd_int(g, 12) : b.fee;
    b.data = rnd(g, g() % 300);
    for (size_t i = 0; i < b.data.size(); i++)
        if (g() % 3 == 0) b.data[i] = 0;
    std::vector<Bytes> al;
    if (type == 1 || type == 2) {
        int na = (int)(g() % 3);
        for (int i = 0; i < na; i++) {
            std::vector<Bytes> keys;
            int nk = (int)(g() % 3);
            for (int k = 0; k < nk; k++)
                keys.push_back(rstr(rnd(g, 32)));
            al.push_back(rlist({rstr(rnd(g, 20)), rlist(keys)}));
            b.al_addrs++;
            b.al_keys += (uint32_t)nk;
        }
    }
    Bytes r, s, addr;
    int recid = 0;
    if (type == 0) {
        std::vector<Bytes> f = {rint(b.nonce), rbig(b.fee),   rint(b.gas),
                                rstr(b.to),    rbig(b.value), rstr(b.data)};
        std::vector<Bytes> uf = f;
        if (chain) uf.insert(uf.end(), {rint(chain), rint(0), rint(0)});
        b.digest = keccak(rlist(uf));
        sg.sign(key, b.digest, r, s, recid, addr);
        uint64_t v = chain ? 35 + 2 * chain + (uint64_t)recid : 27 + (uint64_t)recid;
        f.insert(f.end(), {rint(v), rbig(r), rbig(s)});
        b.raw = rlist(f);
    } else if (type == 1 || type == 2) {
        std::vector<Bytes> f = {rint(chain), rint(b.nonce)};
        if (type == 2) f.push_back(rbig(b.prio));
        f.insert(f.end(), {rbig(b.fee), rint(b.gas), rstr(b.to), rbig(b.value), rstr(b.data), rlist(al)});
        b.digest = keccak(cat({(uint8_t)type}, rlist(f)));
        sg.sign(key, b.digest, r, s, recid, addr);
        f.insert(f.end(), {rint((uint64_t)recid), rbig(r), rbig(s)});
        b.raw = cat({(uint8_t)type}, rlist(f));
    } else {
        // EIP-712 digest from the published type hashes (zkstack-protocol.md §4.6), written out here.
        Bytes from_addr;
        {
            Bytes r0, s0;
            int id0;
            sg.sign(key, Bytes(32, 1), r0, s0, id0, from_addr);
        }
        auto w = [](const Bytes &be) { return cat(Bytes(32 - be.size(), 0), be); };
        auto wu = [&](uint64_t v) {
            Bytes x(8);
            for (int i = 0; i < 8; i++)
                x[7 - i] = (uint8_t)(v >> (8 * i));
            return w(x);
        };
        uint64_t gpp = 50000 + g() % 1000;
        Bytes sh = hex("848e1bfa1ac4e3576b728bda6721b215c70a7799a5b4866282a71bab954baac8");
        for (const Bytes &x : {wu(113), w(from_addr), w(b.to), wu(b.gas), wu(gpp), w(b.fee), w(b.prio), wu(0),
                               wu(b.nonce), w(b.value), keccak(b.data), keccak({}), keccak({})})
            sh = cat(sh, x);
        Bytes dom = hex("c2f8787176b8ac6bf7215b4adcc1e069bf4ab82d9ab1df05a57a91d425935b6e");
        dom = cat(cat(cat(dom, keccak(Bytes{'z', 'k', 'S', 'y', 'n', 'c'})), keccak(Bytes{'2'})), wu(chain));
        b.digest = keccak(cat(cat(Bytes{0x19, 0x01}, keccak(dom)), keccak(sh)));
        sg.sign(key, b.digest, r, s, recid, addr);
        b.raw = cat({0x71}, rlist({rint(b.nonce), rbig(b.prio), rbig(b.fee), rint(b.gas), rstr(b.to),
                                   rbig(b.value), rstr(b.data), rint((uint64_t)recid), rbig(r), rbig(s),
                                   rint(chain), rstr(from_addr), rint(gpp), rlist({}), rstr({}), rlist({})}));
    }
    b.from = addr;
    return b;
}

TEST(TxRandom, DecodeAndRecover) {
    std::mt19937_64 g(0x6b696c6e);
    Signer sg;
    char err[128];
    int count = 0;
    for (int iter = 0; iter < 60; iter++) {
        for (int type : {0, 1, 2, 0x71}) {
            uint64_t chain = (type == 0 && iter % 2) ? 0 : 1 + g() % 1000000;
            Built b = build(g, sg, type, chain);
            kiln_tx tx;
            ASSERT_EQ(kiln_tx_decode(b.raw.data(), b.raw.size(), &tx, err, sizeof err), KILN_OK)
                << "type " << type << ": " << err;
            EXPECT_EQ(tx.type, type);
            EXPECT_EQ(tx.has_chain_id, chain != 0);
            if (chain) {
                EXPECT_EQ(tx.chain_id, chain);
            }
            EXPECT_EQ(tx.nonce, b.nonce);
            EXPECT_EQ(tx.gas_limit, b.gas);
            EXPECT_EQ(tx.has_to, !b.to.empty());
            if (!b.to.empty()) {
                EXPECT_EQ(to_hex(tx.to, 20), to_hex(b.to.data(), 20));
            }
            EXPECT_EQ(u256hex(tx.value), pad64(b.value));
            EXPECT_EQ(u256hex(tx.max_fee_per_gas), pad64(b.fee));
            EXPECT_EQ(u256hex(tx.max_priority_fee_per_gas), pad64(b.prio));
            ASSERT_EQ(tx.data_len, b.data.size());
            EXPECT_EQ(to_hex(tx.data, tx.data_len), to_hex(b.data.data(), b.data.size()));
            EXPECT_EQ(tx.access_list_addresses, b.al_addrs);
            EXPECT_EQ(tx.access_list_keys, b.al_keys);
            EXPECT_EQ(to_hex(tx.signing_hash, 32), to_hex(b.digest.data(), 32));
            if (type != 0x71) {
                EXPECT_EQ(to_hex(tx.hash, 32), to_hex(keccak(b.raw).data(), 32));
            }
            uint8_t from[20];
            ASSERT_EQ(kiln_tx_sender(&tx, from, err, sizeof err), KILN_OK) << "type " << type << ": " << err;
            EXPECT_EQ(to_hex(from, 20), to_hex(b.from.data(), 20));
            // Intrinsic gas from the definition.
            uint64_t ig = 21000;
            for (uint8_t x : b.data)
                ig += x ? 16 : 4;
            if (b.to.empty()) ig += 32000 + 2 * ((b.data.size() + 31) / 32);
            ig += 2400 * b.al_addrs + 1900 * b.al_keys;
            EXPECT_EQ(kiln_tx_intrinsic_gas(&tx), ig);
            count++;
        }
    }
    EXPECT_EQ(count, 240);
}

// ---------------------------------------------------------------------------------------------------------------
// Bad input

TEST(TxBadInput, MalformedTruncatedTrailing) {
    std::mt19937_64 g(7);
    Signer sg;
    char err[128];
    kiln_tx tx;
    for (int type : {0, 1, 2, 0x71}) {
        Built b = build(g, sg, type, 5);
        for (size_t n = 0; n < b.raw.size(); n++)
            EXPECT_NE(kiln_tx_decode(b.raw.data(), n, &tx, err, sizeof err), KILN_OK)
                << type << " truncated " << n;
        Bytes t = b.raw;
        t.push_back(0x80);
        EXPECT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_ERR_PARSE);
        EXPECT_NE(std::string(err).find("trailing"), std::string::npos) << err;
    }
    Bytes unknown = {0x03, 0xc0};
    EXPECT_EQ(kiln_tx_decode(unknown.data(), unknown.size(), &tx, err, sizeof err), KILN_ERR_UNSUPPORTED);
    Bytes str = rstr(Bytes(10, 0x42));
    EXPECT_EQ(kiln_tx_decode(str.data(), str.size(), &tx, err, sizeof err), KILN_ERR_PARSE);
    // A typed envelope whose payload is a string, and legacy with too few / too many fields.
    Bytes s2 = cat({0x02}, rstr(Bytes(3, 0x99)));
    EXPECT_EQ(kiln_tx_decode(s2.data(), s2.size(), &tx, err, sizeof err), KILN_ERR_PARSE);
    std::vector<Bytes> f(8, rint(1));
    Bytes few = rlist(f);
    EXPECT_EQ(kiln_tx_decode(few.data(), few.size(), &tx, err, sizeof err), KILN_ERR_PARSE);
    f.resize(10, rint(1));
    Bytes many = rlist(f);
    EXPECT_EQ(kiln_tx_decode(many.data(), many.size(), &tx, err, sizeof err), KILN_ERR_PARSE);
    // Oversize.
    Bytes big = rlist({rint(0), rint(1), rint(100000), rstr({}), rint(0), rstr(Bytes(KILN_TX_MAX_RAW, 1)),
                       rint(27), rint(1), rint(1)});
    EXPECT_EQ(kiln_tx_decode(big.data(), big.size(), &tx, err, sizeof err), KILN_ERR_LIMIT);
    EXPECT_NE(std::string(err).find("128 KiB"), std::string::npos) << err;
    // Malformed access lists.
    auto typed1 = [](const Bytes &al) {
        return cat({0x01}, rlist({rint(1), rint(0), rint(1), rint(30000), rstr(Bytes(20, 1)), rint(0),
                                  rstr({}), al, rint(0), rint(1), rint(1)}));
    };
    Bytes ok = typed1(rlist({rlist({rstr(Bytes(20, 2)), rlist({rstr(Bytes(32, 3))})})}));
    ASSERT_EQ(kiln_tx_decode(ok.data(), ok.size(), &tx, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(tx.access_list_addresses, 1u);
    EXPECT_EQ(tx.access_list_keys, 1u);
    for (const Bytes &al :
         {rstr({}), rlist({rstr(Bytes(20, 2))}), rlist({rlist({rstr(Bytes(19, 2)), rlist({})})}),
          rlist({rlist({rstr(Bytes(20, 2)), rlist({rstr(Bytes(31, 3))})})}),
          rlist({rlist({rstr(Bytes(20, 2)), rstr(Bytes(32, 3))})}),
          rlist({rlist({rstr(Bytes(20, 2)), rlist({}), rlist({})})})}) {
        Bytes t = typed1(al);
        EXPECT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_ERR_PARSE)
            << to_hex(al.data(), al.size());
    }
}

// Replaces the last three fields (v, r, s) of a transaction built by build().
Bytes resign(const Bytes &raw, uint64_t v, const Bytes &r, const Bytes &s) {
    size_t off = raw[0] < 0xc0 ? 1 : 0;
    kiln_rlp_item list;
    char err[96];
    EXPECT_EQ(kiln_rlp_decode(raw.data() + off, raw.size() - off, &list, err, sizeof err), KILN_OK);
    std::vector<Bytes> f;
    kiln_rlp_iter it;
    kiln_rlp_item x;
    kiln_rlp_iter_init(&it, &list, err, sizeof err);
    while (!kiln_rlp_iter_done(&it)) {
        kiln_rlp_iter_next(&it, &x, err, sizeof err);
        f.emplace_back(x.enc, x.enc + x.enc_len);
    }
    size_t vi = raw[0] == 0x71 ? 7 : f.size() - 3;
    f[vi] = rint(v);
    f[vi + 1] = rbig(r);
    f[vi + 2] = rbig(s);
    Bytes out = rlist(f);
    if (off) out.insert(out.begin(), raw[0]);
    return out;
}

TEST(TxBadInput, SignatureRules) {
    std::mt19937_64 g(11);
    Signer sg;
    char err[128];
    kiln_tx tx;
    uint8_t from[20];
    const Bytes n = hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    for (int type : {0, 2, 0x71}) {
        Built b = build(g, sg, type, 1);
        ASSERT_EQ(kiln_tx_decode(b.raw.data(), b.raw.size(), &tx, err, sizeof err), KILN_OK) << err;
        Bytes r(tx.r, tx.r + 32), s(tx.s, tx.s + 32);
        int p = tx.y_parity;
        uint64_t v = tx.v;
        // High s: (r, n - s, 1 - p) is the same signature's other form; EIP-2 refuses it.
        Bytes hs(32);
        int borrow = 0;
        for (int i = 31; i >= 0; i--) {
            int d = n[i] - s[i] - borrow;
            borrow = d < 0;
            hs[i] = (uint8_t)(d + (borrow ? 256 : 0));
        }
        uint64_t v2 = type == 0 ? (v ^ 1) : (uint64_t)(1 - p);
        Bytes t = resign(b.raw, v2, r, hs);
        ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK) << err;
        EXPECT_EQ(kiln_tx_sender(&tx, from, err, sizeof err), KILN_ERR_VERIFY);
        EXPECT_NE(std::string(err).find("high"), std::string::npos) << err;
        // Wrong parity: a different (or no) key recovers; never the sender.
        t = resign(b.raw, type == 0 ? (v ^ 1) : (uint64_t)(1 - p), r, s);
        ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK) << err;
        kiln_status st = kiln_tx_sender(&tx, from, err, sizeof err);
        if (st == KILN_OK) {
            EXPECT_NE(to_hex(from, 20), to_hex(b.from.data(), 20));
        }
        if (type == 0x71) {
            EXPECT_EQ(st, KILN_ERR_VERIFY); // recovered key is not `from`
        }
        // Bad v values.
        for (uint64_t bad :
             type == 0 ? std::vector<uint64_t>{0, 1, 26, 29, 34} : std::vector<uint64_t>{2, 3, 29}) {
            t = resign(b.raw, bad, r, s);
            std::string why;
            EXPECT_NE(full_check(t, &tx, from, why), KILN_OK) << type << " v " << bad;
        }
        // r or s zero or >= n.
        for (const Bytes &bad : {Bytes{}, n}) {
            t = resign(b.raw, v, bad, s);
            if (kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err) == KILN_OK) {
                EXPECT_EQ(kiln_tx_sender(&tx, from, err, sizeof err), KILN_ERR_VERIFY);
            }
            t = resign(b.raw, v, r, bad);
            if (kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err) == KILN_OK) {
                EXPECT_EQ(kiln_tx_sender(&tx, from, err, sizeof err), KILN_ERR_VERIFY);
            }
        }
    }
}

TEST(TxLimits, EthereumBounds) {
    char err[128];
    kiln_tx tx;
    auto legacy = [](uint64_t nonce, const Bytes &price, uint64_t gas, const Bytes &to, size_t datalen) {
        return rlist({rint(nonce), rbig(price), rint(gas), rstr(to), rint(0), rstr(Bytes(datalen, 1)),
                      rint(37), rint(1), rint(1)});
    };
    Bytes ok = legacy(0, {1}, 21000, Bytes(20, 1), 0);
    ASSERT_EQ(kiln_tx_decode(ok.data(), ok.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(tx.chain_id, 1u);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(kiln_tx_check_limits(&tx, 2, err, sizeof err), KILN_ERR_VERIFY);
    Bytes t = legacy(UINT64_MAX, {1}, 21000, Bytes(20, 1), 0);
    ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_ERR_VERIFY);
    t = legacy(UINT64_MAX - 1, {1}, 21000, Bytes(20, 1), 0);
    ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_OK);
    t = legacy(0, {1}, 20999, Bytes(20, 1), 0);
    ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_ERR_VERIFY);
    // gasLimit * price just below and above 2^256.
    t = legacy(0, Bytes(30, 0xff), 30000, Bytes(20, 1), 0); // (2^240 - 1) * 30000 < 2^256
    ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_OK) << err;
    t = legacy(0, Bytes(32, 0xff), 30000, Bytes(20, 1), 0);
    ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_ERR_VERIFY);
    // Initcode: 49152 bytes pass, one more fails.
    t = legacy(0, {1}, 10000000, {}, KILN_TX_MAX_INITCODE);
    ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_tx_intrinsic_gas(&tx), 21000u + 32000u + 16u * 49152u + 2u * 1536u);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_OK) << err;
    t = legacy(0, {1}, 10000000, {}, KILN_TX_MAX_INITCODE + 1);
    ASSERT_EQ(kiln_tx_decode(t.data(), t.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_ERR_VERIFY);
    // Priority fee above max fee (EIP-1559).
    Bytes t2 = cat({0x02}, rlist({rint(1), rint(0), rint(3), rint(2), rint(21000), rstr(Bytes(20, 1)),
                                  rint(0), rstr({}), rlist({}), rint(0), rint(1), rint(1)}));
    ASSERT_EQ(kiln_tx_decode(t2.data(), t2.size(), &tx, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_tx_check_limits(&tx, 1, err, sizeof err), KILN_ERR_VERIFY);
}

TEST(TxEip712, FactoryDepsWaitForTheirHashes) {
    // A 0x71 with one factory dep (32 zero bytes, versioned hash 0x01000001f862…2925 per zkstack-vectors.md
    // §7).
    Bytes raw = cat({0x71}, rlist({rint(0), rint(0), rint(0), rint(0), rstr(Bytes(20, 7)), rint(0), rstr({}),
                                   rint(0), rstr({}), rstr({}), rint(270), rstr(Bytes(20, 8)), rint(50000),
                                   rlist({rstr(Bytes(32, 0))}), rstr({}), rlist({})}));
    kiln_tx tx;
    char err[128];
    uint8_t from[20];
    ASSERT_EQ(kiln_tx_decode(raw.data(), raw.size(), &tx, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(tx.factory_dep_count, 1u);
    EXPECT_TRUE(tx.hashes_pending);
    EXPECT_EQ(kiln_tx_sender(&tx, from, err, sizeof err), KILN_ERR_INVALID_ARG);
    uint8_t dh[1][32];
    Bytes h = hex("01000001f862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
    memcpy(dh[0], h.data(), 32);
    EXPECT_EQ(kiln_tx_eip712_set_dep_hashes(&tx, dh, 2, err, sizeof err), KILN_ERR_INVALID_ARG);
    ASSERT_EQ(kiln_tx_eip712_set_dep_hashes(&tx, dh, 1, err, sizeof err), KILN_OK);
    EXPECT_FALSE(tx.hashes_pending);
    // The struct hash's factoryDeps word is keccak(hash) (abi.encodePacked of one bytes32): compare with the
    // same tx whose digest is built here from the published type hashes.
    auto w = [](const Bytes &be) { return cat(Bytes(32 - be.size(), 0), be); };
    Bytes sh = hex("848e1bfa1ac4e3576b728bda6721b215c70a7799a5b4866282a71bab954baac8");
    for (const Bytes &x : {w({113}), w(Bytes(20, 8)), w(Bytes(20, 7)), w({}), w({0xc3, 0x50}), w({}), w({}),
                           w({}), w({}), w({}), keccak({}), keccak(h), keccak({})})
        sh = cat(sh, x);
    uint8_t ds[32];
    kiln_tx_eip712_domain_separator(270, ds);
    Bytes digest = keccak(cat(cat(Bytes{0x19, 0x01}, Bytes(ds, ds + 32)), keccak(sh)));
    EXPECT_EQ(to_hex(tx.signing_hash, 32), to_hex(digest.data(), 32));
    // Too many factory deps.
    std::vector<Bytes> deps(KILN_TX_MAX_FACTORY_DEPS + 1, rstr({}));
    Bytes many = cat({0x71}, rlist({rint(0), rint(0), rint(0), rint(0), rstr(Bytes(20, 7)), rint(0), rstr({}),
                                    rint(0), rstr({}), rstr({}), rint(270), rstr(Bytes(20, 8)), rint(50000),
                                    rlist(deps), rstr({}), rlist({})}));
    EXPECT_EQ(kiln_tx_decode(many.data(), many.size(), &tx, err, sizeof err), KILN_ERR_LIMIT);
}

// ---------------------------------------------------------------------------------------------------------------
// The same code in the VM: the guest tx_decode (guest/samples/tx_decode.c) decodes and recovers as the host
// does.

#ifdef KILN_GUEST_DIR
TEST(TxGuest, DecodesAndRecoversInVm) {
    std::mt19937_64 g(99);
    Signer sg;
    std::vector<Bytes> txs;
    std::vector<Bytes> senders; // expected (empty: no sender)
    for (int i = 0; i < 3; i++)
        for (int type : {0, 1, 2, 0x71}) {
            Built b = build(g, sg, type, i == 0 && type == 0 ? 0 : 270);
            txs.push_back(b.raw);
            senders.push_back(b.from);
        }
    txs.push_back(hex(ZK_SIGNED_RLP)); // decodes; its dummy signature does not recover to `from`
    senders.push_back({});
    Bytes trunc = txs[1];
    trunc.pop_back();
    txs.push_back(trunc);
    senders.push_back({});
    Bytes input;
    for (auto &t : txs) {
        uint8_t l[4] = {(uint8_t)(t.size() >> 24), (uint8_t)(t.size() >> 16), (uint8_t)(t.size() >> 8),
                        (uint8_t)t.size()};
        input.insert(input.end(), l, l + 4);
        input.insert(input.end(), t.begin(), t.end());
    }
    char err[256] = "";
    kt::GuestRun run = kt::run_guest("tx_decode", input);
    ASSERT_EQ(run.st, KILN_OK) << run.err;
    const kiln_vm_result &r = run.res;
    EXPECT_EQ(r.stop, KILN_VM_EXITED) << r.msg;
    EXPECT_EQ(r.exit_code, 0u);
    const uint8_t *out = run.out.data();
    size_t olen = run.out.size();
    ASSERT_EQ(olen, 86 * txs.size());
    for (size_t i = 0; i < txs.size(); i++) {
        const uint8_t *o = out + 86 * i;
        kiln_tx tx;
        uint8_t from[20] = {0};
        kiln_status ds = kiln_tx_decode(txs[i].data(), txs[i].size(), &tx, err, sizeof err);
        EXPECT_EQ(o[0], (uint8_t)ds) << i;
        if (ds != KILN_OK) continue;
        kiln_status ss = kiln_tx_sender(&tx, from, err, sizeof err);
        EXPECT_EQ(o[1], (uint8_t)ss) << i;
        EXPECT_EQ(to_hex(o + 22, 32), to_hex(tx.hash, 32)) << i;
        EXPECT_EQ(to_hex(o + 54, 32), to_hex(tx.signing_hash, 32)) << i;
        if (!senders[i].empty()) {
            EXPECT_EQ(o[1], KILN_OK) << i;
            EXPECT_EQ(to_hex(o + 2, 20), to_hex(senders[i].data(), 20)) << i;
        } else {
            EXPECT_NE(o[1], KILN_OK) << i;
        }
    }
    printf("tx_decode guest: %zu transactions, %llu cycles\n", txs.size(), (unsigned long long)r.cycles);
}
#endif

// ---------------------------------------------------------------------------------------------------------------
// L1→L2 priority transactions

TEST(L1Tx, AbiEncodingMatchesPythonReference) {
    std::string path = std::string(KILN_SOURCE_DIR) + "/tests/protocol/ref/l1_tx_abi_vectors.json";
    json_error_t jerr;
    json_t *root = json_load_file(path.c_str(), 0, &jerr);
    ASSERT_NE(root, nullptr) << path << ": " << jerr.text;
    size_t i;
    json_t *c;
    int n = 0;
    json_array_foreach(root, i, c) {
        auto s = [&](const char *k) { return hex(json_string_value(json_object_get(c, k))); };
        std::vector<Bytes> words;
        kiln_l1_tx tx;
        memset(&tx, 0, sizeof tx);
        auto u = [&](kiln_u256 *f, const char *k) {
            Bytes b = s(k);
            kiln_u256_from_be(f, b.data());
        };
        u(&tx.tx_type, "txType");
        u(&tx.from, "from");
        u(&tx.to, "to");
        u(&tx.gas_limit, "gasLimit");
        u(&tx.gas_per_pubdata_byte_limit, "gasPerPubdataByteLimit");
        u(&tx.max_fee_per_gas, "maxFeePerGas");
        u(&tx.max_priority_fee_per_gas, "maxPriorityFeePerGas");
        u(&tx.paymaster, "paymaster");
        u(&tx.nonce, "nonce");
        u(&tx.value, "value");
        json_t *res = json_object_get(c, "reserved");
        for (int k = 0; k < 4; k++) {
            Bytes b = hex(json_string_value(json_array_get(res, (size_t)k)));
            kiln_u256_from_be(&tx.reserved[k], b.data());
        }
        Bytes data = s("data"), sig = s("signature"), pin = s("paymasterInput"), rd = s("reservedDynamic");
        json_t *fd = json_object_get(c, "factoryDeps");
        std::vector<uint8_t> deps;
        for (size_t k = 0; k < json_array_size(fd); k++) {
            Bytes b = hex(json_string_value(json_array_get(fd, k)));
            deps.insert(deps.end(), b.begin(), b.end());
        }
        tx.data = data.data(), tx.data_len = data.size();
        tx.signature = sig.data(), tx.signature_len = sig.size();
        tx.paymaster_input = pin.data(), tx.paymaster_input_len = pin.size();
        tx.reserved_dynamic = rd.data(), tx.reserved_dynamic_len = rd.size();
        tx.factory_deps = (const uint8_t(*)[32])deps.data();
        tx.factory_dep_count = deps.size() / 32;
        Bytes expect = s("encoding");
        char err[96];
        size_t len = 0;
        ASSERT_EQ(kiln_l1_tx_abi_len(&tx, &len, err, sizeof err), KILN_OK);
        EXPECT_EQ(len, expect.size());
        Bytes out(len + 8, 0xee);
        ASSERT_EQ(kiln_l1_tx_abi_encode(&tx, out.data(), len, &len, err, sizeof err), KILN_OK);
        EXPECT_EQ(to_hex(out.data(), len), to_hex(expect.data(), expect.size())) << "case " << i;
        EXPECT_EQ(out[len], 0xee);
        EXPECT_EQ(kiln_l1_tx_abi_encode(&tx, out.data(), len - 1, &len, err, sizeof err), KILN_ERR_LIMIT);
        uint8_t h[32];
        ASSERT_EQ(kiln_l1_tx_hash(&tx, h, err, sizeof err), KILN_OK);
        EXPECT_EQ(to_hex(h, 32), to_hex(keccak(expect).data(), 32));
        n++;
    }
    json_decref(root);
    EXPECT_GE(n, 6);
}

TEST(L1Tx, SetAddressAndBounds) {
    kiln_l1_tx tx;
    memset(&tx, 0, sizeof tx);
    Bytes a = hex("702942B8205E5dEdCD3374E5f4419843adA76Eeb");
    kiln_l1_tx_set_address(&tx.from, a.data());
    EXPECT_EQ(u256hex(tx.from), "000000000000000000000000702942b8205e5dedcd3374e5f4419843ada76eeb");
    tx.data_len = (size_t)KILN_L1_TX_MAX_FIELD + 1;
    char err[96];
    size_t len;
    uint8_t h[32];
    EXPECT_EQ(kiln_l1_tx_abi_len(&tx, &len, err, sizeof err), KILN_ERR_LIMIT);
    EXPECT_EQ(kiln_l1_tx_hash(&tx, h, err, sizeof err), KILN_ERR_LIMIT);
}

} // namespace
