// The u256 precompile table (docs/zkvm-air.md, "u256 table"): zk_u256 runs addmod, submod and mulmod on edge
// cases (values >= m, zero operands, m = 1, m = 2^256 - 1, products past 2^256, out = a, a = b, m read from
// .rodata); its exit code folds the results and is recomputed here with a small bignum (double-and-add,
// independent of the VM's and the witness's division). The proof verifies; corrupted witnesses (a wrong
// result limb, r >= m with the quotient adjusted, a wrong quotient) are rejected.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "prover.h"
#include "vm.h"
#include "zkvm.h"
#include "zkvm_test_util.h"

namespace {

// Little-endian 32-bit words; 9 words hold the 257-bit intermediates.
using Big = std::vector<uint32_t>;

Big from_hex(const char *h) {
    Big r(9, 0);
    size_t n = strlen(h);
    for (size_t i = 0; i < n; i++) {
        char c = h[n - 1 - i];
        uint32_t v = c <= '9' ? (uint32_t)(c - '0') : (uint32_t)(c - 'a' + 10);
        r[i / 8] |= v << (4 * (i % 8));
    }
    return r;
}

int cmp(const Big &a, const Big &b) {
    for (int i = 8; i >= 0; i--)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

Big add(const Big &a, const Big &b) {
    Big r(9);
    uint64_t c = 0;
    for (int i = 0; i < 9; i++) {
        c += (uint64_t)a[i] + b[i];
        r[i] = (uint32_t)c;
        c >>= 32;
    }
    return r;
}

Big sub(const Big &a, const Big &b) { // a >= b
    Big r(9);
    int64_t br = 0;
    for (int i = 0; i < 9; i++) {
        int64_t d = (int64_t)a[i] - b[i] - br;
        br = d < 0;
        r[i] = (uint32_t)(d + (br << 32));
    }
    return r;
}

// x mod m, bit by bit from the top (r < 2m fits 9 words).
Big mod(const Big &x, const Big &m) {
    Big r(9, 0);
    for (int bit = 287; bit >= 0; bit--) {
        r = add(r, r);
        r[0] |= (x[bit / 32] >> (bit % 32)) & 1;
        if (cmp(r, m) >= 0) r = sub(r, m);
    }
    return r;
}

Big addmod(const Big &a, const Big &b, const Big &m) {
    Big s = add(mod(a, m), mod(b, m));
    return cmp(s, m) >= 0 ? sub(s, m) : s;
}

Big submod(const Big &a, const Big &b, const Big &m) {
    Big x = mod(a, m), y = mod(b, m);
    return cmp(x, y) >= 0 ? sub(x, y) : sub(add(x, m), y);
}

Big mulmod(const Big &a, const Big &b, const Big &m) {
    Big x = mod(a, m), y = mod(b, m), r(9, 0);
    for (int bit = 255; bit >= 0; bit--) {
        r = addmod(r, r, m);
        if ((x[bit / 32] >> (bit % 32)) & 1) r = addmod(r, y, m);
    }
    return r;
}

struct Case {
    int op, flags, reps;
    const char *a, *b, *m;
};
// The same table as guest/samples/zk_u256.S (op 0 addmod, 1 submod, 2 mulmod; flags 1 out = a, 2 b = a,
// 4 m in .rodata, 8 not folded).
const Case kCases[] = {
    {0, 0, 1, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe",
     "8000000000000000000000000000000000000000000000000000000000003039"},
    {0, 0, 1, "0000000000000000000000000000000000000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000005",
     "0000000000000000000000000000000000000000000000000000000000000001"},
    {1, 0, 1, "0000000000000000000000000000000000000000000000000000000000000003",
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     "00000000000000000000000000000000000000000000000000000000000f4243"},
    {1, 0, 1, "750b79840a35e888cea8684b60033cd65db233956ea88f4b4f72fd3f7d254db8",
     "000000000000000000000000000000000000000000000000000000000000004d",
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
    {1, 2, 1, "aacdabbb49c9c6072c54a01283037cadfde8ec5e3e1544596ebbec4cc598e827",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "d2aeeaf914c7d3fd9a1ac067541b8ee6f0969fe15284b2bf8e56916a518a4444"},
    {2, 0, 1, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
    {2, 0, 1, "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe",
     "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd",
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
    {2, 0, 1, "0000000000000000000000000000000000000000000000000000000000000000",
     "f09b30460cce5b3445fff12fb4d7a20d294b97d08e7981664997082c8b7e20bf",
     "fde9c7e9675be2b6da6f2974beeb65d108c25300fecf0c9277eeb71d894a472b"},
    {2, 0, 1, "d7a7836fcaf25f54c66f555c240a97759009eb69b50f9ca5376f3052c49915f5",
     "5e0466a76c3472ad2271615630ce9ba502f93eb042e9c091a7d0ba3f0605fca2",
     "0000000000000000000000000000000000000000000000000000000000000001"},
    {2, 4, 1, "7a0e0583f37151c4d7bea6cd4808ebb5723bdd10f425233bff64e5945d64f7d6",
     "4121f6bb4fd3386e8af6c3d82958f8e113b4655fe0629f22f3f763a8c9cc3e8a",
     "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"},
    {2, 1, 3, "e6fba31f1d6bd29b395698b7d6e88563b8e3469886f176c967728fccae594d41",
     "101d3e1b03d7fc1abef23d456d8c72afa9577aee91ae5d80d346ca86eee02c31",
     "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"},
    {0, 3, 2, "1d325c79b2d0b22246056f6e2a38e8f7d9d30f57edbd46270aaacd1f58e9ecc3",
     "0000000000000000000000000000000000000000000000000000000000000000",
     "06b22b1c792712eddf077f7f7bf438f986ff9d7e7e1052ae3d520672a003f50d"},
    {2, 0, 1, "31f1331691129c68da91d6a770e1dfced5eea2e33f3f2517679d98893acad028",
     "9f5141d70c0aba9d6de83b825208d651b7667357aa2466fefb327819887bc59d",
     "0000000000000000000000000000000000000000000000000000000000010001"},
    {2, 0, 1, "8000000000000000000000000000000000000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000002",
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
    {1, 1, 1, "0000000000000000000000000000000000000000000000000000000000000005",
     "0000000000000000000000000000000000000000000000000000000000000009",
     "0000000000000000000000000000000000000000000000000000000000000007"},
    {2, 8, 1, "f31c54e205bdb6d07cd6e193f9629dbf5cdf2e144bab75a8ba8693b97b648aa9",
     "8d7bf0747650c820efff2c059927ddd1ed179dadd60e6c738d9e0f0f716ab3c2",
     "0000000000000100000000000000000000000000000000000000000000000001"},
};

uint32_t expected_exit() {
    uint32_t acc = 0;
    for (const Case &c : kCases) {
        Big x = from_hex(c.a), b = from_hex(c.b), m = from_hex(c.m);
        for (int i = 0; i < c.reps; i++) {
            if (c.flags & 2) b = x;
            x = c.op == 0 ? addmod(x, b, m) : c.op == 1 ? submod(x, b, m) : mulmod(x, b, m);
            if (!(c.flags & 1)) break; // out != a: every repetition writes the same result
        }
        if (c.flags & 8) continue;
        for (int w = 0; w < 8; w++)
            acc = ((acc << 1) | (acc >> 31)) ^ x[w];
    }
    return acc;
}

using namespace kiln_test;

class ZkvmU256 : public ZkvmFixture {};

TEST(ZkvmU256Ref, BignumSelfCheck) {
    // Small values against C arithmetic, and (2^256 - 2)(2^256 - 3) = 2 mod 2^256 - 1.
    for (uint32_t a : {0u, 1u, 12345u, 4000000000u})
        for (uint32_t b : {0u, 7u, 99999u})
            for (uint32_t m : {1u, 3u, 65537u, 4294967295u}) {
                char ha[16], hb[16], hm[16];
                snprintf(ha, sizeof ha, "%x", a), snprintf(hb, sizeof hb, "%x", b),
                    snprintf(hm, sizeof hm, "%x", m);
                Big A = from_hex(ha), B = from_hex(hb), M = from_hex(hm);
                EXPECT_EQ(mulmod(A, B, M)[0], (uint32_t)((uint64_t)a * b % m));
                EXPECT_EQ(addmod(A, B, M)[0], (uint32_t)(((uint64_t)a + b) % m));
                EXPECT_EQ(submod(A, B, M)[0], (uint32_t)(((uint64_t)a % m + m - b % m) % m));
            }
    Big f(9, 0xffffffffu);
    f[8] = 0;
    Big r = mulmod(sub(f, from_hex("1")), sub(f, from_hex("2")), f);
    EXPECT_EQ(r[0], 2u);
    for (int i = 1; i < 9; i++)
        EXPECT_EQ(r[i], 0u);
}

#ifdef KILN_GUEST_DIR
TEST_F(ZkvmU256, EdgeCasesProve) {
    std::vector<uint8_t> elf = read_elf("zk_u256");
    ASSERT_FALSE(elf.empty());
    Prog g;
    load(elf, g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 12, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK);
    EXPECT_EQ(code, expected_exit());
    EXPECT_EQ(code, 0x42732639u); // the case generator's own (Python) fold, a third computation
}

TEST_F(ZkvmU256, TamperedRejected) {
    Prog g;
    load(read_elf("zk_u256"), g);
    // The memory argument balances in every case (the ram table follows the written words): a wrong result or
    // quotient breaks the u256 table's limb identities; r >= m and the split quotient limbs satisfy every
    // polynomial constraint, and only their range lookups (the LogUp buses) object.
    struct {
        kiln_zkvm_tamper mode;
        const char *why;
    } const cases[] = {{KILN_ZKVM_TAMPER_U256_RESULT, "table u256: constraints"},
                       {KILN_ZKVM_TAMPER_U256_BOUND, "buses do not balance"},
                       {KILN_ZKVM_TAMPER_U256_QUOTIENT, "table u256: constraints"},
                       {KILN_ZKVM_TAMPER_U256_LIMBS, "buses do not balance"}};
    for (const auto &c : cases) {
        EXPECT_NE(prove_verify(g, 12, c.mode), KILN_OK) << "tamper mode " << (int)c.mode;
        EXPECT_NE(last_err.find(c.why), std::string::npos) << (int)c.mode << ": " << last_err;
    }
}

TEST_F(ZkvmU256, ZeroModulusFaults) {
    // The VM faults on m = 0: there is no run to prove (and r < m would reject any claimed result).
    Prog g;
    load(read_elf("zk_u256z"), g);
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 6;
    char err[256] = "";
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_ERR_FAULT) << err;
    EXPECT_NE(std::string(err).find("modulus is zero"), std::string::npos) << err;
}

TEST_F(ZkvmU256, CompiledGuestWithThePrecompileProves) {
    // bench_mulmod (C, guest runtime) with input (12 rounds, precompile on): x = 7 y^12 mod p (secp256k1's p,
    // y = 0x12345678), committed big-endian. The public output hash must be the host's hash of the value the
    // test's bignum computes; the input hash the host's hash of the input.
    Prog g;
    load(read_elf("bench_mulmod"), g);
    input = {12, 0, 0, 0, 1, 0, 0, 0};
    Big pm = from_hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    Big x = from_hex("7"), y = from_hex("12345678");
    for (int i = 0; i < 12; i++)
        x = mulmod(x, y, pm);
    uint8_t be[32];
    for (int i = 0; i < 32; i++)
        be[i] = (uint8_t)(x[(31 - i) / 4] >> (8 * ((31 - i) % 4)));
    uint64_t ih[4], oh[4];
    kiln_zkvm_input_hash(input.data(), input.size(), ih);
    kiln_zkvm_output_hash(be, 32, oh);
    uint64_t code = 1;
    EXPECT_EQ(prove_verify(g, 12, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 0u);
    EXPECT_EQ(kiln_zkvm_check_io(last_pub.data(), ih, oh, nullptr, 0), KILN_OK);
}
#endif

} // namespace
