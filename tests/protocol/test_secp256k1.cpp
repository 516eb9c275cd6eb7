// protocol/secp256k1.c (public-key recovery) and protocol/host/uint256_mod.c (the host's u256 modular
// arithmetic). References: libsecp256k1 (keys, recoverable signatures, its own recovery), the published anvil
// key and address, and a slow bit-by-bit modular arithmetic written here. The guest secp_recover runs the
// same recovery in the VM through the u256 precompiles and must give libsecp256k1's addresses.
#include <gtest/gtest.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "secp256k1.h"
#include "secp256k1_gtable.h"
#include "uint256.h"
#include "vm.h"
}

#include "test_bytes.h"

namespace {

using Bytes32 = std::array<uint8_t, 32>;

const Bytes32 kN = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                    0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

using kt::from_hex;
using kt::to_hex;

// ---- slow reference: 9-limb (288-bit) little-endian numbers, bit-by-bit reduction ----

using Ref = std::array<uint32_t, 9>;

Ref ref_of(const kiln_u256 &a) {
    Ref r{};
    for (int i = 0; i < 8; i++)
        r[i] = a.w[i];
    return r;
}

bool ref_ge(const Ref &a, const Ref &b) {
    for (int i = 8; i >= 0; i--)
        if (a[i] != b[i]) return a[i] > b[i];
    return true;
}

void ref_sub(Ref &a, const Ref &b) {
    int64_t br = 0;
    for (int i = 0; i < 9; i++) {
        int64_t d = (int64_t)a[i] - b[i] - br;
        br = d < 0;
        a[i] = (uint32_t)d;
    }
}

void ref_add(Ref &a, const Ref &b) {
    uint64_t c = 0;
    for (int i = 0; i < 9; i++) {
        c += (uint64_t)a[i] + b[i];
        a[i] = (uint32_t)c;
        c >>= 32;
    }
}

void ref_shl1(Ref &a, uint32_t bit) {
    for (int i = 8; i > 0; i--)
        a[i] = (a[i] << 1) | (a[i - 1] >> 31);
    a[0] = (a[0] << 1) | bit;
}

// a mod m, one bit at a time.
Ref ref_mod(const kiln_u256 &a, const Ref &m) {
    Ref r{};
    for (int i = 255; i >= 0; i--) {
        ref_shl1(r, (a.w[i / 32] >> (i % 32)) & 1);
        if (ref_ge(r, m)) ref_sub(r, m);
    }
    return r;
}

kiln_u256 u256_of(const Ref &r) {
    kiln_u256 a;
    for (int i = 0; i < 8; i++)
        a.w[i] = r[i];
    EXPECT_EQ(r[8], 0u);
    return a;
}

kiln_u256 ref_addmod(const kiln_u256 &a, const kiln_u256 &b, const kiln_u256 &m) {
    Ref mm = ref_of(m), x = ref_mod(a, mm), y = ref_mod(b, mm);
    ref_add(x, y);
    if (ref_ge(x, mm)) ref_sub(x, mm);
    return u256_of(x);
}

kiln_u256 ref_submod(const kiln_u256 &a, const kiln_u256 &b, const kiln_u256 &m) {
    Ref mm = ref_of(m), x = ref_mod(a, mm), y = ref_mod(b, mm);
    ref_add(x, mm);
    ref_sub(x, y);
    if (ref_ge(x, mm)) ref_sub(x, mm);
    return u256_of(x);
}

// Double-and-add over the bits of a mod m.
kiln_u256 ref_mulmod(const kiln_u256 &a, const kiln_u256 &b, const kiln_u256 &m) {
    Ref mm = ref_of(m), x = ref_mod(a, mm), y = ref_mod(b, mm), r{};
    for (int i = 255; i >= 0; i--) {
        ref_shl1(r, 0);
        if (ref_ge(r, mm)) ref_sub(r, mm);
        if ((x[i / 32] >> (i % 32)) & 1) {
            ref_add(r, y);
            if (ref_ge(r, mm)) ref_sub(r, mm);
        }
    }
    return u256_of(r);
}

bool eq(const kiln_u256 &a, const kiln_u256 &b) {
    return memcmp(a.w, b.w, sizeof a.w) == 0;
}

std::string show(const kiln_u256 &a) {
    uint8_t be[32];
    kiln_u256_to_be(be, &a);
    return to_hex(be, 32);
}

// Values with limbs drawn from edge patterns or at random, and a top limb possibly forced small.
kiln_u256 edgy(std::mt19937_64 &rng) {
    static const uint32_t pat[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu};
    kiln_u256 a;
    int mode = (int)(rng() % 4);
    for (int i = 0; i < 8; i++)
        a.w[i] = mode == 0 ? pat[rng() % 7] : (mode == 1 && rng() % 2 ? pat[rng() % 7] : (uint32_t)rng());
    int top = (int)(rng() % 10); // sometimes only the low `top` limbs are used
    if (top < 8)
        for (int i = top; i < 8; i++)
            a.w[i] = 0;
    return a;
}

TEST(U256Mod, MatchesSlowReference) {
    std::mt19937_64 rng(20261208);
    int checked = 0;
    for (int iter = 0; iter < 6000; iter++) {
        kiln_u256 a = edgy(rng), b = edgy(rng), m = edgy(rng);
        if (iter % 3 == 0)
            for (int i = 0; i < 8; i++)
                a.w[i] = (uint32_t)rng(); // full-width operands, often >= m
        if (kiln_u256_is_zero(&m)) m.w[0] = 1;
        kiln_u256 r;
        kiln_u256_addmod(&r, &a, &b, &m);
        ASSERT_TRUE(eq(r, ref_addmod(a, b, m))) << show(a) << " + " << show(b) << " mod " << show(m);
        kiln_u256_submod(&r, &a, &b, &m);
        ASSERT_TRUE(eq(r, ref_submod(a, b, m))) << show(a) << " - " << show(b) << " mod " << show(m);
        kiln_u256_mulmod(&r, &a, &b, &m);
        ASSERT_TRUE(eq(r, ref_mulmod(a, b, m))) << show(a) << " * " << show(b) << " mod " << show(m);
        checked++;
    }
    EXPECT_EQ(checked, 6000);
}

// Moduli 2^256 - c with small c (secp256k1's p and n, 2^256 - 1, random c of up to 160 bits): the host's
// folding path.
TEST(U256Mod, PseudoMersenneModuliMatchSlowReference) {
    std::mt19937_64 rng(11);
    kiln_u256 moduli[3];
    for (auto &w : moduli[0].w)
        w = 0xffffffffu;
    moduli[0].w[0] = 0xfffffc2fu; // p
    moduli[0].w[1] = 0xfffffffeu;
    uint8_t nbe[32];
    memcpy(nbe, kN.data(), 32);
    kiln_u256_from_be(&moduli[1], nbe); // n
    for (auto &w : moduli[2].w)
        w = 0xffffffffu; // 2^256 - 1
    for (int iter = 0; iter < 4000; iter++) {
        kiln_u256 m;
        if (iter < 3000) {
            m = moduli[iter % 3];
        } else { // 2^256 - c, c random below 2^(32 k)
            int k = 1 + (int)(rng() % 5);
            kiln_u256 c = {{0}};
            for (int i = 0; i < k; i++)
                c.w[i] = (uint32_t)rng();
            if (kiln_u256_is_zero(&c)) c.w[0] = 1;
            kiln_u256 zero = {{0}};
            kiln_u256_sub(&m, &zero, &c);
        }
        kiln_u256 a = edgy(rng), b = edgy(rng), r;
        if (iter % 2)
            for (int i = 0; i < 8; i++)
                a.w[i] = (uint32_t)rng(), b.w[i] = 0xffffffffu - (uint32_t)(rng() % 3);
        kiln_u256_mulmod(&r, &a, &b, &m);
        ASSERT_TRUE(eq(r, ref_mulmod(a, b, m))) << show(a) << " * " << show(b) << " mod " << show(m);
        kiln_u256_addmod(&r, &a, &b, &m);
        ASSERT_TRUE(eq(r, ref_addmod(a, b, m))) << show(a) << " + " << show(b) << " mod " << show(m);
        kiln_u256_submod(&r, &a, &b, &m);
        ASSERT_TRUE(eq(r, ref_submod(a, b, m))) << show(a) << " - " << show(b) << " mod " << show(m);
    }
}

TEST(U256Mod, EdgeModuliAndAliasing) {
    kiln_u256 ones, one = {{1}}, two = {{2}}, zero = {{0}};
    for (auto &w : ones.w)
        w = 0xffffffffu;
    kiln_u256 r;
    // m = 1: everything is 0.
    kiln_u256_mulmod(&r, &ones, &ones, &one);
    EXPECT_TRUE(eq(r, zero));
    kiln_u256_addmod(&r, &ones, &ones, &one);
    EXPECT_TRUE(eq(r, zero));
    kiln_u256_submod(&r, &zero, &ones, &one);
    EXPECT_TRUE(eq(r, zero));
    // m = 2^256 - 1: (2^256 - 1)^2 = 0, (2^256 - 2)^2 = 1, (2^256 - 2) + 2 = 1, 0 - 1 = m - 1.
    kiln_u256_mulmod(&r, &ones, &ones, &ones);
    EXPECT_TRUE(eq(r, zero));
    kiln_u256 m1 = ones;
    m1.w[0] = 0xfffffffeu;
    kiln_u256_mulmod(&r, &m1, &m1, &ones);
    EXPECT_TRUE(eq(r, one));
    kiln_u256_addmod(&r, &m1, &two, &ones);
    EXPECT_TRUE(eq(r, one));
    kiln_u256_submod(&r, &zero, &one, &ones);
    EXPECT_TRUE(eq(r, m1));
    // m = 2: parity.
    kiln_u256_mulmod(&r, &ones, &ones, &two);
    EXPECT_TRUE(eq(r, one));
    // Aliasing r = a, r = b, r = m, a = b.
    std::mt19937_64 rng(7);
    for (int iter = 0; iter < 300; iter++) {
        kiln_u256 a = edgy(rng), b = edgy(rng), m = edgy(rng);
        if (kiln_u256_is_zero(&m)) m.w[0] = 3;
        kiln_u256 want = ref_mulmod(a, b, m), x = a;
        kiln_u256_mulmod(&x, &x, &b, &m);
        EXPECT_TRUE(eq(x, want));
        x = b;
        kiln_u256_mulmod(&x, &a, &x, &m);
        EXPECT_TRUE(eq(x, want));
        x = m;
        kiln_u256 aa = a, bb = b;
        kiln_u256_mulmod(&x, &aa, &bb, &x);
        EXPECT_TRUE(eq(x, want));
        x = a;
        kiln_u256_mulmod(&x, &x, &x, &m);
        EXPECT_TRUE(eq(x, ref_mulmod(a, a, m)));
        x = a;
        kiln_u256_addmod(&x, &x, &x, &m);
        EXPECT_TRUE(eq(x, ref_addmod(a, a, m)));
        x = b;
        kiln_u256_submod(&x, &a, &x, &m);
        EXPECT_TRUE(eq(x, ref_submod(a, b, m)));
    }
}

// ---- secp256k1 ----

struct Ctx {
    secp256k1_context *c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    ~Ctx() { secp256k1_context_destroy(c); }
};

// The uncompressed public key of seckey, without the 0x04 prefix.
std::array<uint8_t, 64> pubkey_of(const Ctx &ctx, const uint8_t seckey[32]) {
    secp256k1_pubkey pk;
    EXPECT_TRUE(secp256k1_ec_pubkey_create(ctx.c, &pk, seckey));
    uint8_t ser[65];
    size_t len = sizeof ser;
    secp256k1_ec_pubkey_serialize(ctx.c, ser, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
    std::array<uint8_t, 64> out;
    memcpy(out.data(), ser + 1, 64);
    return out;
}

struct Sig {
    uint8_t r[32], s[32];
    int recid;
};

Sig sign(const Ctx &ctx, const uint8_t seckey[32], const uint8_t digest[32]) {
    secp256k1_ecdsa_recoverable_signature sig;
    EXPECT_TRUE(secp256k1_ecdsa_sign_recoverable(ctx.c, &sig, digest, seckey, nullptr, nullptr));
    uint8_t rs[64];
    Sig out;
    secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx.c, rs, &out.recid, &sig);
    memcpy(out.r, rs, 32);
    memcpy(out.s, rs + 32, 32);
    return out;
}

void random_key(std::mt19937_64 &rng, const Ctx &ctx, uint8_t key[32]) {
    do {
        for (int i = 0; i < 32; i++)
            key[i] = (uint8_t)rng();
    } while (!secp256k1_ec_seckey_verify(ctx.c, key));
}

TEST(Secp256k1, GeneratorTablesMatchLibsecp) {
    Ctx ctx;
    for (int t = 0; t < 2; t++)
        for (int i = 0; i < KILN_SECP256K1_GTABLE_SIZE; i++) {
            uint8_t key[32] = {0};
            uint32_t k = 2 * i + 1; // (2i + 1) 2^(128 t), big-endian
            kiln_put_be32(key + 28 - 16 * t, k);
            auto pk = pubkey_of(ctx, key);
            uint8_t x[32], y[32];
            kiln_u256_to_be(x, &kiln_secp256k1_gtable[t][i][0]);
            kiln_u256_to_be(y, &kiln_secp256k1_gtable[t][i][1]);
            EXPECT_EQ(memcmp(x, pk.data(), 32), 0) << t << " " << i;
            EXPECT_EQ(memcmp(y, pk.data() + 32, 32), 0) << t << " " << i;
        }
}

TEST(Secp256k1, RecoversLibsecpSignatures) {
    Ctx ctx;
    std::mt19937_64 rng(42);
    int recovered = 0;
    for (int iter = 0; iter < 400; iter++) {
        uint8_t key[32], digest[32];
        random_key(rng, ctx, key);
        for (int i = 0; i < 32; i++)
            digest[i] = (uint8_t)rng();
        if (iter % 50 == 1) memset(digest, 0xff, 32); // digest >= n
        if (iter % 50 == 2) memset(digest, 0, 32);    // e = 0
        Sig sig = sign(ctx, key, digest);
        ASSERT_LT(sig.recid, 2);
        auto want = pubkey_of(ctx, key);
        uint8_t pub[64];
        ASSERT_EQ(kiln_secp256k1_recover_var(digest, sig.r, sig.s, sig.recid, pub), KILN_OK) << iter;
        ASSERT_EQ(to_hex(pub, 64), to_hex(want.data(), 64)) << iter;
        EXPECT_TRUE(kiln_secp256k1_s_is_low(sig.s)); // libsecp signs low-s
        // The high-s twin (n - s, other parity) recovers the same key.
        uint8_t hs[32];
        int borrow = 0;
        for (int i = 31; i >= 0; i--) {
            int d = kN[i] - sig.s[i] - borrow;
            borrow = d < 0;
            hs[i] = (uint8_t)(d + 256 * borrow);
        }
        EXPECT_FALSE(kiln_secp256k1_s_is_low(hs));
        ASSERT_EQ(kiln_secp256k1_recover_var(digest, sig.r, hs, sig.recid ^ 1, pub), KILN_OK);
        ASSERT_EQ(to_hex(pub, 64), to_hex(want.data(), 64)) << iter;
        recovered++;
    }
    EXPECT_EQ(recovered, 400);
}

// Arbitrary (r, s, recid, digest): Kiln must agree with libsecp256k1's own recovery, refusals included.
TEST(Secp256k1, AgreesWithLibsecpRecoveryOnRandomTuples) {
    Ctx ctx;
    std::mt19937_64 rng(99);
    int ok = 0, refused = 0;
    for (int iter = 0; iter < 300; iter++) {
        uint8_t rs[64], digest[32];
        for (int i = 0; i < 64; i++)
            rs[i] = (uint8_t)rng();
        for (int i = 0; i < 32; i++)
            digest[i] = (uint8_t)rng();
        if (iter % 7 == 0) memset(rs, 0, 16); // small r
        int recid = (int)(rng() % 2);
        secp256k1_ecdsa_recoverable_signature sig;
        secp256k1_pubkey pk;
        bool lib = secp256k1_ecdsa_recoverable_signature_parse_compact(ctx.c, &sig, rs, recid) &&
                   secp256k1_ecdsa_recover(ctx.c, &pk, &sig, digest);
        uint8_t pub[64];
        kiln_status st = kiln_secp256k1_recover_var(digest, rs, rs + 32, recid, pub);
        ASSERT_EQ(st == KILN_OK, lib) << iter;
        if (!lib) {
            refused++;
            continue;
        }
        uint8_t ser[65];
        size_t len = sizeof ser;
        secp256k1_ec_pubkey_serialize(ctx.c, ser, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
        ASSERT_EQ(to_hex(pub, 64), to_hex(ser + 1, 64)) << iter;
        ok++;
    }
    EXPECT_GT(ok, 100);
    EXPECT_GT(refused, 20); // about half of all r are no x-coordinate
}

TEST(Secp256k1, AnvilKeyAddress) {
    Ctx ctx;
    auto key = from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    const std::string want = "f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    auto pk = pubkey_of(ctx, key.data());
    uint8_t addr[20];
    kiln_secp256k1_address(pk.data(), addr);
    EXPECT_EQ(to_hex(addr, 20), want);
    uint8_t digest[32];
    for (int i = 0; i < 32; i++)
        digest[i] = (uint8_t)(i * 7 + 1);
    Sig sig = sign(ctx, key.data(), digest);
    uint8_t pub[64];
    ASSERT_EQ(kiln_secp256k1_recover_var(digest, sig.r, sig.s, sig.recid, pub), KILN_OK);
    kiln_secp256k1_address(pub, addr);
    EXPECT_EQ(to_hex(addr, 20), want);
}

TEST(Secp256k1, RefusesInvalidInputs) {
    Ctx ctx;
    uint8_t key[32] = {0}, digest[32];
    key[31] = 5;
    for (int i = 0; i < 32; i++)
        digest[i] = (uint8_t)(3 * i);
    Sig sig = sign(ctx, key, digest);
    uint8_t pub[64], zero[32] = {0}, ones[32];
    memset(ones, 0xff, 32);
    ASSERT_EQ(kiln_secp256k1_recover_var(digest, sig.r, sig.s, sig.recid, pub), KILN_OK);
    EXPECT_EQ(kiln_secp256k1_recover_var(digest, zero, sig.s, sig.recid, pub), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_secp256k1_recover_var(digest, kN.data(), sig.s, sig.recid, pub), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_secp256k1_recover_var(digest, ones, sig.s, sig.recid, pub), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_secp256k1_recover_var(digest, sig.r, zero, sig.recid, pub), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_secp256k1_recover_var(digest, sig.r, kN.data(), sig.recid, pub), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_secp256k1_recover_var(digest, sig.r, ones, sig.recid, pub), KILN_ERR_INVALID_ARG);
    for (int recid : {2, 3, -1, 4})
        EXPECT_EQ(kiln_secp256k1_recover_var(digest, sig.r, sig.s, recid, pub), KILN_ERR_INVALID_ARG)
            << recid;
    // r = n - 1 is in range; whether it is an x-coordinate libsecp256k1 decides.
    // Small r that are no x-coordinate: libsecp256k1 refuses them too.
    int found = 0;
    for (uint32_t x = 1; x < 40; x++) {
        uint8_t r[32] = {0};
        kiln_put_be32(r + 28, x);
        uint8_t rs[64];
        memcpy(rs, r, 32);
        memcpy(rs + 32, sig.s, 32);
        secp256k1_ecdsa_recoverable_signature ls;
        secp256k1_pubkey lpk;
        bool lib = secp256k1_ecdsa_recoverable_signature_parse_compact(ctx.c, &ls, rs, 0) &&
                   secp256k1_ecdsa_recover(ctx.c, &lpk, &ls, digest);
        kiln_status st = kiln_secp256k1_recover_var(digest, r, sig.s, 0, pub);
        EXPECT_EQ(st, lib ? KILN_OK : KILN_ERR_VERIFY) << x;
        found += !lib;
    }
    EXPECT_GT(found, 5);
    // s_is_low: n / 2 is low, n / 2 + 1 is not.
    uint8_t half[32], half1[32];
    memcpy(half, from_hex("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0").data(), 32);
    memcpy(half1, from_hex("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1").data(), 32);
    EXPECT_TRUE(kiln_secp256k1_s_is_low(half));
    EXPECT_FALSE(kiln_secp256k1_s_is_low(half1));
    EXPECT_FALSE(kiln_secp256k1_s_is_low(ones));
}

// Q = (sR - eG) / r is the point at infinity when e = s k for R = kG: refused with KILN_ERR_VERIFY.
TEST(Secp256k1, RefusesInfinity) {
    Ctx ctx;
    std::mt19937_64 rng(5);
    int tried = 0;
    for (int iter = 0; iter < 20; iter++) {
        uint8_t k[32], s[32];
        random_key(rng, ctx, k);
        random_key(rng, ctx, s);
        auto R = pubkey_of(ctx, k);
        if (memcmp(R.data(), kN.data(), 32) >= 0) continue;
        uint8_t e[32];
        memcpy(e, s, 32);
        ASSERT_TRUE(secp256k1_ec_seckey_tweak_mul(ctx.c, e, k)); // e = s k mod n
        uint8_t pub[64];
        EXPECT_EQ(kiln_secp256k1_recover_var(e, R.data(), s, R[63] & 1, pub), KILN_ERR_VERIFY);
        // The other parity gives -R: a valid key.
        EXPECT_EQ(kiln_secp256k1_recover_var(e, R.data(), s, (R[63] & 1) ^ 1, pub), KILN_OK);
        tried++;
    }
    EXPECT_GT(tried, 15);
}

// n - a for 0 < a < n, big-endian.
std::array<uint8_t, 32> neg_mod_n(const uint8_t a[32]) {
    std::array<uint8_t, 32> r;
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = kN[i] - a[i] - borrow;
        borrow = d < 0;
        r[i] = (uint8_t)(d + 256 * borrow);
    }
    return r;
}

// The batch form gives every signature's own result: valid ones, refusals of each kind and the point at
// infinity mixed, over more than one group.
TEST(Secp256k1, BatchMatchesSingle) {
    Ctx ctx;
    std::mt19937_64 rng(77);
    const size_t n = 2 * KILN_SECP256K1_BATCH + 5;
    std::vector<kiln_secp256k1_sig> sigs(n);
    for (size_t i = 0; i < n; i++) {
        kiln_secp256k1_sig &g = sigs[i];
        uint8_t key[32];
        random_key(rng, ctx, key);
        for (int j = 0; j < 32; j++)
            g.digest[j] = (uint8_t)rng();
        Sig sig = sign(ctx, key, g.digest);
        memcpy(g.r, sig.r, 32);
        memcpy(g.s, sig.s, 32);
        g.recid = sig.recid;
        switch (i % 9) {
        case 2:
            g.recid = 3;
            break; // invalid recid
        case 4:
            memset(g.s, 0, 32);
            break; // s = 0
        case 6:
            memset(g.r, 0, 31), g.r[31] = 5;
            break; // r = 5: no x-coordinate (libsecp decides below)
        case 7:
            memcpy(g.r, kN.data(), 32);
            break; // r = n
        default:
            break;
        }
    }
    // One point at infinity: R = G, u1 = -1, u2 = 1.
    uint8_t one[32] = {0};
    one[31] = 1;
    auto gpt = pubkey_of(ctx, one);
    memcpy(sigs[10].r, gpt.data(), 32);
    memcpy(sigs[10].s, gpt.data(), 32);
    memcpy(sigs[10].digest, gpt.data(), 32);
    sigs[10].recid = 0;
    std::vector<std::array<uint8_t, 64>> pub(n);
    std::vector<kiln_status> st(n);
    kiln_secp256k1_recover_batch_var(sigs.data(), n, reinterpret_cast<uint8_t(*)[64]>(pub.data()), st.data());
    int ok = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t single[64];
        kiln_status want =
            kiln_secp256k1_recover_var(sigs[i].digest, sigs[i].r, sigs[i].s, sigs[i].recid, single);
        ASSERT_EQ(st[i], want) << i;
        if (want == KILN_OK) {
            EXPECT_EQ(to_hex(pub[i].data(), 64), to_hex(single, 64)) << i;
            ok++;
        }
        // And libsecp256k1's own recovery decides the same.
        uint8_t rs[64];
        memcpy(rs, sigs[i].r, 32);
        memcpy(rs + 32, sigs[i].s, 32);
        secp256k1_ecdsa_recoverable_signature ls;
        secp256k1_pubkey lpk;
        bool lib = sigs[i].recid >= 0 && sigs[i].recid < 2 &&
                   secp256k1_ecdsa_recoverable_signature_parse_compact(ctx.c, &ls, rs, sigs[i].recid) &&
                   secp256k1_ecdsa_recover(ctx.c, &lpk, &ls, sigs[i].digest);
        EXPECT_EQ(st[i] == KILN_OK, lib) << i;
    }
    EXPECT_EQ(st[10], KILN_ERR_VERIFY);
    EXPECT_GT(ok, (int)n / 2);
}

// R = +-G (r = G's x, whose y is even): u1 = -e / r and u2 = s / r chosen so that the interleaved sum adds a
// point to itself (the doubling branch of the addition) or to its negation (the point at infinity).
TEST(Secp256k1, ExceptionalAdditions) {
    Ctx ctx;
    uint8_t one[32] = {0}, two[32] = {0}, pub[64];
    one[31] = 1;
    two[31] = 2;
    auto g = pubkey_of(ctx, one);
    ASSERT_EQ(g[63] & 1, 0);
    const uint8_t *r = g.data();
    auto minus_r = neg_mod_n(r);
    auto two_g = pubkey_of(ctx, two);
    auto minus_two = neg_mod_n(two);
    auto minus_two_g = pubkey_of(ctx, minus_two.data());
    // u1 = 1, u2 = 1, R = G: G + G = 2G.
    ASSERT_EQ(kiln_secp256k1_recover_var(minus_r.data(), r, r, 0, pub), KILN_OK);
    EXPECT_EQ(to_hex(pub, 64), to_hex(two_g.data(), 64));
    // u1 = -1, u2 = 1, R = G: infinity.
    EXPECT_EQ(kiln_secp256k1_recover_var(r, r, r, 0, pub), KILN_ERR_VERIFY);
    // u1 = -1, u2 = 1, R = -G: -2G.
    ASSERT_EQ(kiln_secp256k1_recover_var(r, r, r, 1, pub), KILN_OK);
    EXPECT_EQ(to_hex(pub, 64), to_hex(minus_two_g.data(), 64));
    // u1 = 1, u2 = 1, R = -G: infinity.
    EXPECT_EQ(kiln_secp256k1_recover_var(minus_r.data(), r, r, 1, pub), KILN_ERR_VERIFY);
    // libsecp256k1 agrees on all four.
    for (int recid = 0; recid < 2; recid++)
        for (const uint8_t *e : {r, (const uint8_t *)minus_r.data()}) {
            uint8_t rs[64];
            memcpy(rs, r, 32);
            memcpy(rs + 32, r, 32);
            secp256k1_ecdsa_recoverable_signature ls;
            secp256k1_pubkey lpk;
            ASSERT_TRUE(secp256k1_ecdsa_recoverable_signature_parse_compact(ctx.c, &ls, rs, recid));
            bool lib = secp256k1_ecdsa_recover(ctx.c, &lpk, &ls, e);
            EXPECT_EQ(kiln_secp256k1_recover_var(e, r, r, recid, pub) == KILN_OK, lib) << recid;
        }
}

// ---- hinted recovery (kiln_secp256k1_recover_hint_var / kiln_secp256k1_recover_hinted_var) ----

struct Tuple {
    uint8_t digest[32], r[32], s[32];
    int recid;
};

// The hint the host writes always checks, and the hinted recovery gives exactly the unhinted one's result.
// Returns that status.
kiln_status expect_hinted_agrees(const Tuple &t, const char *what, int i) {
    uint8_t want[64], got[64];
    memset(want, 0, 64);
    memset(got, 0, 64);
    kiln_status st = kiln_secp256k1_recover_var(t.digest, t.r, t.s, t.recid, want);
    kiln_secp256k1_hint h;
    EXPECT_EQ(kiln_secp256k1_recover_hint_var(t.digest, t.r, t.s, t.recid, &h), st) << what << " " << i;
    EXPECT_EQ(kiln_secp256k1_recover_hinted_var(t.digest, t.r, t.s, t.recid, &h, got), st)
        << what << " " << i;
    if (st == KILN_OK) {
        EXPECT_EQ(to_hex(got, 64), to_hex(want, 64)) << what << " " << i;
    }
    return st;
}

// libsecp256k1's verdict and key for a tuple (recid 0 or 1 only).
bool lib_recover(const Ctx &ctx, const Tuple &t, uint8_t pub[64]) {
    uint8_t rs[64];
    memcpy(rs, t.r, 32);
    memcpy(rs + 32, t.s, 32);
    secp256k1_ecdsa_recoverable_signature ls;
    secp256k1_pubkey lpk;
    if (t.recid < 0 || t.recid > 1 ||
        !secp256k1_ecdsa_recoverable_signature_parse_compact(ctx.c, &ls, rs, t.recid) ||
        !secp256k1_ecdsa_recover(ctx.c, &lpk, &ls, t.digest))
        return false;
    uint8_t ser[65];
    size_t len = sizeof ser;
    secp256k1_ec_pubkey_serialize(ctx.c, ser, &len, &lpk, SECP256K1_EC_UNCOMPRESSED);
    memcpy(pub, ser + 1, 64);
    return true;
}

// Valid signatures of random keys (and their high-s twins), random tuples (about half of all r are no
// x-coordinate), range refusals and points at infinity: hinted == unhinted == libsecp256k1.
std::vector<Tuple> hint_corpus(const Ctx &ctx, std::vector<kiln_status> *kind = nullptr) {
    std::vector<Tuple> v;
    std::mt19937_64 rng(314);
    for (int iter = 0; iter < 200; iter++) {
        Tuple t;
        uint8_t key[32];
        random_key(rng, ctx, key);
        for (int i = 0; i < 32; i++)
            t.digest[i] = (uint8_t)rng();
        if (iter == 7) memset(t.digest, 0, 32);
        if (iter == 8) memset(t.digest, 0xff, 32);
        Sig sig = sign(ctx, key, t.digest);
        memcpy(t.r, sig.r, 32);
        memcpy(t.s, sig.s, 32);
        t.recid = sig.recid;
        v.push_back(t);
        auto hs = neg_mod_n(sig.s);
        memcpy(t.s, hs.data(), 32);
        t.recid ^= 1;
        v.push_back(t);
    }
    for (int iter = 0; iter < 200; iter++) {
        Tuple t;
        for (int i = 0; i < 32; i++) {
            t.digest[i] = (uint8_t)rng();
            t.r[i] = (uint8_t)rng();
            t.s[i] = (uint8_t)rng();
        }
        if (iter % 5 == 0) memset(t.r, 0, 20); // small r
        t.recid = (int)(rng() % 2);
        v.push_back(t);
    }
    // Range refusals.
    Tuple b = v[0];
    b.recid = 2;
    v.push_back(b);
    b.recid = -1;
    v.push_back(b);
    b = v[0];
    memset(b.r, 0, 32);
    v.push_back(b);
    memcpy(b.r, kN.data(), 32);
    v.push_back(b);
    b = v[0];
    memset(b.s, 0xff, 32);
    v.push_back(b);
    memcpy(b.s, kN.data(), 32);
    v.push_back(b);
    // Points at infinity: e = s k for R = kG (and the other parity, -R, a valid key).
    for (int iter = 0; iter < 10; iter++) {
        uint8_t k[32];
        Tuple t;
        random_key(rng, ctx, k);
        random_key(rng, ctx, t.s);
        auto R = pubkey_of(ctx, k);
        if (memcmp(R.data(), kN.data(), 32) >= 0) continue;
        memcpy(t.r, R.data(), 32);
        memcpy(t.digest, t.s, 32);
        EXPECT_TRUE(secp256k1_ec_seckey_tweak_mul(ctx.c, t.digest, k));
        t.recid = R[63] & 1;
        v.push_back(t);
        t.recid ^= 1;
        v.push_back(t);
    }
    // R = +-G with u1 = +-1, u2 = 1: the doubling branch and infinity.
    uint8_t one[32] = {0};
    one[31] = 1;
    auto g = pubkey_of(ctx, one);
    auto minus_r = neg_mod_n(g.data());
    for (int recid = 0; recid < 2; recid++)
        for (const uint8_t *e : {(const uint8_t *)g.data(), (const uint8_t *)minus_r.data()}) {
            Tuple t;
            memcpy(t.digest, e, 32);
            memcpy(t.r, g.data(), 32);
            memcpy(t.s, g.data(), 32);
            t.recid = recid;
            v.push_back(t);
        }
    if (kind)
        for (const Tuple &t : v) {
            uint8_t pub[64];
            kind->push_back(kiln_secp256k1_recover_var(t.digest, t.r, t.s, t.recid, pub));
        }
    return v;
}

TEST(Secp256k1Hint, HostHintsCheckAndAgree) {
    Ctx ctx;
    std::vector<Tuple> v = hint_corpus(ctx);
    int ok = 0, no_x = 0, inf = 0, range = 0;
    for (size_t i = 0; i < v.size(); i++) {
        kiln_status st = expect_hinted_agrees(v[i], "corpus", (int)i);
        uint8_t lib[64], got[64];
        bool lib_ok = lib_recover(ctx, v[i], lib);
        ASSERT_EQ(st == KILN_OK, lib_ok) << i;
        kiln_secp256k1_hint h;
        kiln_secp256k1_recover_hint_var(v[i].digest, v[i].r, v[i].s, v[i].recid, &h);
        if (lib_ok) {
            ASSERT_EQ(kiln_secp256k1_recover_hinted_var(v[i].digest, v[i].r, v[i].s, v[i].recid, &h, got),
                      KILN_OK);
            EXPECT_EQ(to_hex(got, 64), to_hex(lib, 64)) << i;
            ok++;
        } else if (st == KILN_ERR_INVALID_ARG) {
            range++;
        } else {
            ASSERT_EQ(st, KILN_ERR_VERIFY) << i;
            // Which refusal the hint proves: a y, the even root of -(r^3 + 7), and nothing else; or R's y and
            // r^-1 with no z^-1 (infinity).
            uint8_t zero[32] = {0};
            if (memcmp(h.r_inv, zero, 32) == 0)
                no_x++;
            else
                inf++;
            EXPECT_EQ(memcmp(h.z_inv, zero, 32), 0) << i;
        }
    }
    std::cout << "hinted corpus: " << ok << " recovered, " << no_x << " r no x-coordinate, " << inf
              << " infinity, " << range << " out of range" << std::endl;
    EXPECT_GT(ok, 450);
    EXPECT_GT(no_x, 50);
    EXPECT_GE(inf, 12);
    EXPECT_EQ(range, 6);
}

// Whatever the hint, the hinted recovery either agrees with the unhinted one or says KILN_ERR_INTERNAL; and
// since each input accepts exactly one hint, every single-bit flip of it, and every other wrong hint tried
// here, gives KILN_ERR_INTERNAL.
TEST(Secp256k1Hint, EveryWrongHintIsCaught) {
    Ctx ctx;
    std::vector<kiln_status> kind;
    std::vector<Tuple> all = hint_corpus(ctx, &kind);
    // A few of each outcome: recovered, r no x-coordinate, infinity, out of range.
    std::vector<size_t> pick;
    int n_ok = 0, n_nox = 0, n_inf = 0, n_range = 0;
    for (size_t i = 0; i < all.size(); i++) {
        kiln_secp256k1_hint h;
        kiln_secp256k1_recover_hint_var(all[i].digest, all[i].r, all[i].s, all[i].recid, &h);
        uint8_t zero[32] = {0};
        bool take = false;
        if (kind[i] == KILN_OK)
            take = n_ok++ < 6;
        else if (kind[i] == KILN_ERR_INVALID_ARG)
            take = n_range++ < 3;
        else if (memcmp(h.r_inv, zero, 32) == 0)
            take = n_nox++ < 5;
        else
            take = n_inf++ < 4;
        if (take) pick.push_back(i);
    }
    ASSERT_EQ(pick.size(), 18u);
    uint8_t pub[64];
    for (size_t i : pick) {
        const Tuple &t = all[i];
        kiln_secp256k1_hint good;
        ASSERT_EQ(kiln_secp256k1_recover_hint_var(t.digest, t.r, t.s, t.recid, &good), kind[i]);
        ASSERT_EQ(kiln_secp256k1_recover_hinted_var(t.digest, t.r, t.s, t.recid, &good, pub), kind[i]);
        for (size_t bit = 0; bit < 8 * sizeof good; bit++) {
            kiln_secp256k1_hint h = good;
            reinterpret_cast<uint8_t *>(&h)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            ASSERT_EQ(kiln_secp256k1_recover_hinted_var(t.digest, t.r, t.s, t.recid, &h, pub),
                      KILN_ERR_INTERNAL)
                << "input " << i << " (status " << kind[i] << "), bit " << bit;
        }
        // Other wrong hints: all zero, all ones, random, another input's, y's other root.
        std::mt19937_64 rng(i);
        std::vector<kiln_secp256k1_hint> wrong(4);
        memset(&wrong[0], 0, sizeof good);
        memset(&wrong[1], 0xff, sizeof good);
        for (size_t j = 0; j < sizeof good; j++)
            reinterpret_cast<uint8_t *>(&wrong[2])[j] = (uint8_t)rng();
        const Tuple &o = all[(i + 1) % all.size()];
        kiln_secp256k1_recover_hint_var(o.digest, o.r, o.s, o.recid, &wrong[3]);
        if (kind[i] != KILN_ERR_INVALID_ARG) {
            kiln_secp256k1_hint h = good;
            kiln_u256 y, p, ny;
            kiln_u256_from_be(&y, good.y);
            const Bytes32 pbe = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xfc, 0x2f};
            kiln_u256_from_be(&p, pbe.data());
            kiln_u256_sub(&ny, &p, &y); // -y: a root as well, of the other parity
            kiln_u256_to_be(h.y, &ny);
            wrong.push_back(h);
        }
        for (size_t w = 0; w < wrong.size(); w++) {
            if (memcmp(&wrong[w], &good, sizeof good) == 0) continue; // the all-zero hint of a range refusal
            EXPECT_EQ(kiln_secp256k1_recover_hinted_var(t.digest, t.r, t.s, t.recid, &wrong[w], pub),
                      KILN_ERR_INTERNAL)
                << i << " " << w;
        }
    }
}

// Random hints on random inputs: never KILN_OK with a key other than recover_var's, never a verdict other
// than its.
TEST(Secp256k1Hint, RandomHintsNeverChangeTheVerdict) {
    Ctx ctx;
    std::vector<Tuple> all = hint_corpus(ctx);
    std::mt19937_64 rng(8);
    int internal = 0;
    for (size_t i = 0; i < all.size(); i++) {
        const Tuple &t = all[i];
        uint8_t want[64], got[64];
        kiln_status st = kiln_secp256k1_recover_var(t.digest, t.r, t.s, t.recid, want);
        kiln_secp256k1_hint h;
        kiln_secp256k1_recover_hint_var(t.digest, t.r, t.s, t.recid, &h);
        // Damage one field (or none) at random: a random value, or a small change.
        int field = (int)(rng() % 4);
        if (field < 3) {
            uint8_t *f = reinterpret_cast<uint8_t *>(&h) + 32 * field;
            if (rng() % 2)
                for (int j = 0; j < 32; j++)
                    f[j] = (uint8_t)rng();
            else
                f[31] += (uint8_t)(1 + rng() % 255);
        }
        kiln_status got_st = kiln_secp256k1_recover_hinted_var(t.digest, t.r, t.s, t.recid, &h, got);
        if (got_st == KILN_ERR_INTERNAL) {
            internal++;
            continue;
        }
        ASSERT_EQ(got_st, st) << i;
        if (st == KILN_OK) {
            ASSERT_EQ(to_hex(got, 64), to_hex(want, 64)) << i;
        }
    }
    EXPECT_GT(internal, (int)all.size() / 2);
}

#ifdef KILN_GUEST_DIR
struct SecpRun {
    uint64_t cycles = 0, gas = 0;
    uint64_t addmod = 0, submod = 0, mulmod = 0; // precompile calls (traced runs only)
    std::vector<uint8_t> out;
};

SecpRun run_secp_guest(const std::vector<uint8_t> &input, bool traced = false,
                       const char *guest = "secp_recover") {
    SecpRun g;
    kiln_vm_trace *trace = nullptr;
    if (traced) {
        EXPECT_EQ(kiln_vm_trace_create(1u << 22, &trace), KILN_OK);
    }
    kt::GuestRun r = kt::run_guest(guest, input, nullptr, trace);
    EXPECT_EQ(r.st, KILN_OK) << r.err;
    EXPECT_EQ(r.res.stop, KILN_VM_EXITED) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 0u);
    if (trace) {
        for (uint64_t i = 0; i < trace->n_syscalls; i++) {
            uint32_t num = trace->syscalls[i].num;
            g.addmod += num == KILN_SYS_U256_ADDMOD;
            g.submod += num == KILN_SYS_U256_SUBMOD;
            g.mulmod += num == KILN_SYS_U256_MULMOD;
        }
        kiln_vm_trace_free(trace);
    }
    g.cycles = r.res.cycles;
    g.gas = r.res.gas;
    g.out = r.out;
    return g;
}

TEST(Secp256k1Guest, RecoversInVm) {
    Ctx ctx;
    std::mt19937_64 rng(2026);
    const int n = 24;
    std::vector<uint8_t> input;
    std::vector<std::string> want;
    for (int i = 0; i < n; i++) {
        uint8_t key[32], digest[32];
        random_key(rng, ctx, key);
        for (int j = 0; j < 32; j++)
            digest[j] = (uint8_t)rng();
        Sig sig = sign(ctx, key, digest);
        if (i == 3) sig.recid = 2; // refused: status KILN_ERR_INVALID_ARG
        input.insert(input.end(), digest, digest + 32);
        input.insert(input.end(), sig.r, sig.r + 32);
        input.insert(input.end(), sig.s, sig.s + 32);
        input.push_back((uint8_t)sig.recid);
        uint8_t rec[21] = {0};
        if (i == 3) {
            rec[0] = KILN_ERR_INVALID_ARG;
        } else {
            auto pk = pubkey_of(ctx, key);
            kiln_secp256k1_address(pk.data(), rec + 1);
        }
        want.push_back(to_hex(rec, 21));
    }
    std::vector<uint8_t> first(input.begin(), input.begin() + 97),
        refused(input.begin() + 3 * 97, input.begin() + 4 * 97);
    SecpRun one = run_secp_guest(first, true), none = run_secp_guest(refused), all = run_secp_guest(input);
    ASSERT_EQ(all.out.size(), 21u * n);
    for (int i = 0; i < n; i++)
        EXPECT_EQ(to_hex(all.out.data() + 21 * i, 21), want[i]) << i;
    ASSERT_EQ(one.out.size(), 21u);
    EXPECT_EQ(to_hex(one.out.data(), 21), want[0]);
    ASSERT_EQ(none.out.size(), 21u);
    EXPECT_EQ(to_hex(none.out.data(), 21), want[3]);
    // A refused record (recid 2) costs the same input, output and I/O hashing as an accepted one but no
    // recovery: the difference is the recovery plus the address's Keccak.
    uint64_t cycles = one.cycles - none.cycles;
    std::cout << "secp_recover, one recovery + address: " << cycles << " cycles, " << one.gas - none.gas
              << " gas, u256 precompile calls: " << one.mulmod << " mulmod + " << one.addmod << " addmod + "
              << one.submod << " submod = " << one.mulmod + one.addmod + one.submod << std::endl;
    // One full batch of valid records against the same records refused (recid 2): the net cost per recovery
    // when a batch shares its inversions.
    const size_t b = KILN_SECP256K1_BATCH;
    std::vector<uint8_t> batch(input.begin() + 4 * 97, input.begin() + (4 + b) * 97), batch_refused = batch;
    for (size_t i = 0; i < b; i++)
        batch_refused[97 * i + 96] = 2;
    SecpRun full = run_secp_guest(batch, true), full_refused = run_secp_guest(batch_refused);
    ASSERT_EQ(full.out.size(), 21u * b);
    for (size_t i = 0; i < b; i++)
        EXPECT_EQ(to_hex(full.out.data() + 21 * i, 21), want[4 + i]) << i;
    std::cout << "secp_recover, batch of " << b << ": " << (full.cycles - full_refused.cycles) / b
              << " cycles and " << (full.mulmod + full.addmod + full.submod) / b
              << " u256 precompile calls per recovery + address" << std::endl;
    EXPECT_GT(one.mulmod, 0u); // the guest goes through the precompile
    RecordProperty("cycles_per_recovery", std::to_string(cycles));
    RecordProperty("u256_calls_per_recovery", std::to_string(one.mulmod + one.addmod + one.submod));
}

// secp_recover_hinted: the hinted recovery in the VM, with the host's hints in the input. Each record's
// result is secp_recover's; a bad hint gives KILN_ERR_INTERNAL; and the cost of one hinted recovery against
// one unhinted one (secp_recover, the same signature) in the same run of the test.
TEST(Secp256k1Guest, HintedRecoversInVm) {
    Ctx ctx;
    std::mt19937_64 rng(2027);
    const int n = 12;
    std::vector<uint8_t> plain, hinted;
    std::vector<std::string> want;
    auto add = [&](const Tuple &t, const kiln_secp256k1_hint &h) {
        std::vector<uint8_t> rec(t.digest, t.digest + 32);
        rec.insert(rec.end(), t.r, t.r + 32);
        rec.insert(rec.end(), t.s, t.s + 32);
        rec.push_back((uint8_t)t.recid);
        plain.insert(plain.end(), rec.begin(), rec.end());
        const uint8_t *hb = reinterpret_cast<const uint8_t *>(&h);
        rec.insert(rec.end(), hb, hb + sizeof h);
        hinted.insert(hinted.end(), rec.begin(), rec.end());
    };
    std::vector<Tuple> tuples;
    for (int i = 0; i < n; i++) {
        Tuple t;
        uint8_t key[32];
        random_key(rng, ctx, key);
        for (int j = 0; j < 32; j++)
            t.digest[j] = (uint8_t)rng();
        Sig sig = sign(ctx, key, t.digest);
        memcpy(t.r, sig.r, 32);
        memcpy(t.s, sig.s, 32);
        t.recid = sig.recid;
        if (i == 3) t.recid = 2;                     // refused: KILN_ERR_INVALID_ARG
        if (i == 5) memset(t.r, 0, 31), t.r[31] = 5; // r = 5: no x-coordinate, KILN_ERR_VERIFY
        tuples.push_back(t);
        uint8_t pub[64], rec[21] = {0};
        kiln_status st = kiln_secp256k1_recover_var(t.digest, t.r, t.s, t.recid, pub);
        rec[0] = (uint8_t)st;
        if (st == KILN_OK) {
            auto pk = pubkey_of(ctx, key);
            kiln_secp256k1_address(pk.data(), rec + 1);
        }
        want.push_back(to_hex(rec, 21));
        kiln_secp256k1_hint h;
        EXPECT_EQ(kiln_secp256k1_recover_hint_var(t.digest, t.r, t.s, t.recid, &h), st);
        add(t, h);
    }
    EXPECT_EQ(want[5].substr(0, 2), "08"); // KILN_ERR_VERIFY
    // A bad hint (one bit of z^-1) on a valid signature: KILN_ERR_INTERNAL, not a refusal.
    {
        kiln_secp256k1_hint h;
        kiln_secp256k1_recover_hint_var(tuples[0].digest, tuples[0].r, tuples[0].s, tuples[0].recid, &h);
        h.z_inv[17] ^= 4;
        add(tuples[0], h);
        uint8_t rec[21] = {0};
        rec[0] = KILN_ERR_INTERNAL;
        want.push_back(to_hex(rec, 21));
    }
    const size_t HR = 97 + 96;
    SecpRun all_h = run_secp_guest(hinted, false, "secp_recover_hinted");
    SecpRun all_p = run_secp_guest(std::vector<uint8_t>(plain.begin(), plain.begin() + 97 * n));
    ASSERT_EQ(all_h.out.size(), 21u * (n + 1));
    ASSERT_EQ(all_p.out.size(), 21u * n);
    for (int i = 0; i <= n; i++) {
        EXPECT_EQ(to_hex(all_h.out.data() + 21 * i, 21), want[i]) << i;
        if (i < n) {
            EXPECT_EQ(to_hex(all_p.out.data() + 21 * i, 21), want[i]) << i;
        }
    }
    // One recovery against the refused record (recid 2): the recovery plus the address's Keccak.
    auto rec_h = [&](int i) {
        return std::vector<uint8_t>(hinted.begin() + HR * i, hinted.begin() + HR * (i + 1));
    };
    auto rec_p = [&](int i) {
        return std::vector<uint8_t>(plain.begin() + 97 * i, plain.begin() + 97 * (i + 1));
    };
    SecpRun one_h = run_secp_guest(rec_h(0), true, "secp_recover_hinted"),
             none_h = run_secp_guest(rec_h(3), false, "secp_recover_hinted");
    SecpRun one_p = run_secp_guest(rec_p(0), true), none_p = run_secp_guest(rec_p(3));
    ASSERT_EQ(to_hex(one_h.out.data(), 21), want[0]);
    ASSERT_EQ(to_hex(one_p.out.data(), 21), want[0]);
    uint64_t ch = one_h.cycles - none_h.cycles, cp = one_p.cycles - none_p.cycles;
    uint64_t uh = one_h.mulmod + one_h.addmod + one_h.submod, up = one_p.mulmod + one_p.addmod + one_p.submod;
    std::cout << "one recovery + address, unhinted: " << cp << " cycles, " << up << " u256 calls ("
              << one_p.mulmod << " mulmod); hinted: " << ch << " cycles, " << uh << " u256 calls ("
              << one_h.mulmod << " mulmod)" << std::endl;
    // A refusal because r is no x-coordinate: the hint's proof against the unhinted square root.
    SecpRun r5_h = run_secp_guest(rec_h(5), true, "secp_recover_hinted"),
             r5_p = run_secp_guest(rec_p(5), true);
    std::cout << "r no x-coordinate, unhinted: " << r5_p.cycles - none_p.cycles << " cycles, "
              << r5_p.mulmod + r5_p.addmod + r5_p.submod
              << " u256 calls; hinted: " << r5_h.cycles - none_h.cycles << " cycles, "
              << r5_h.mulmod + r5_h.addmod + r5_h.submod << " u256 calls" << std::endl;
    EXPECT_LT(uh + 800, up);
    EXPECT_LT(ch, cp);
    RecordProperty("hinted_cycles_per_recovery", std::to_string(ch));
    RecordProperty("hinted_u256_calls_per_recovery", std::to_string(uh));
}
#endif

} // namespace
