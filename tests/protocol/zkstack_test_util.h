// Shared helpers of the ZK Stack tests (test_zkstack.cpp, test_zkstack_crosscheck.cpp): hex, the 1.5.0
// commitment fixture's state diffs and log, a seeded generator and random state diffs.
#ifndef KILN_TEST_ZKSTACK_UTIL_H
#define KILN_TEST_ZKSTACK_UTIL_H

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "keccak/keccak.h"
#include "l2l1_log.h"
#include "state_diff.h"
#include "test_bytes.h"

namespace zkstest {

using Bytes = std::vector<uint8_t>;

inline Bytes H(const std::string &s) {
    return kt::from_hex(s);
}
inline std::string hex(const uint8_t *p, size_t n) {
    return kt::to_hex(p, n);
}
inline std::string hex(const Bytes &b) {
    return kt::to_hex(b);
}

// Lower-case hex without 0x, for comparisons with mixed-case published values.
inline std::string lc(std::string s) {
    if (s.rfind("0x", 0) == 0) s = s.substr(2);
    for (auto &c : s)
        c = (char)tolower((unsigned char)c);
    return s;
}

inline void put32(uint8_t out[32], const std::string &h) {
    Bytes b = H(h);
    memset(out, 0, 32);
    memcpy(out + 32 - b.size(), b.data(), b.size());
}
inline void put20(uint8_t out[20], const std::string &h) {
    Bytes b = H(h);
    memset(out, 0, 20);
    memcpy(out + 20 - b.size(), b.data(), b.size());
}
// A diff compared through its encoding (the struct has padding).
inline std::string diff_hex(const kiln_state_diff &d) {
    uint8_t rec[156];
    kiln_state_diff_encode(rec, &d);
    return hex(rec, sizeof rec);
}
inline Bytes k256(const Bytes &b) {
    Bytes o(32);
    kiln_keccak256(b.data(), b.size(), o.data());
    return o;
}

inline kiln_l2l1_log fixture_log() { // the tx-status log of the commitment fixtures
    kiln_l2l1_log log{};
    log.is_service = 1;
    put20(log.sender, "8001");
    put32(log.key, "7814f203b8e02f6a676b8f7faefcf732d8b4368bab25239ea4525010aa85d5ee");
    put32(log.value, "01");
    return log;
}

// The post_boojum_1_5_0_test.json state diffs, in the given order.
inline std::vector<kiln_state_diff> fixture_diffs() {
    const char *rows[][6] = {
        {"800a", "01", "71e91721f9918576d760f02f03cac47c6f4003316031848e3c1d99e6e83a4743", "49",
         "018776f28c303800", "708da482cab20760"},
        {"800a", "294a00337abeee2b3cd948ffeed92231e2a3acc2eb11210400e0aa9557f23e26",
         "2d5a6962cccee5d4adb48a36bbbf443a531721484381125937f3001ac5ff875b", "50", "f5559e28fd66c0",
         "f5a19b324caf80"},
        {"800a", "eaa2b2fbf0b42c559059e5e9510edc15755f1c1883f0e41d5ba5f9aea4ac201a",
         "8d617ec05acbbf5fe24529a64b2385a96aad43f09be1ada92c704031dcc1481b", "0", "00", "6f05e193353286a0"},
        {"800b", "07", "123bafc586f77764488cd24c6a77546e5a0fe8bdfb4fa203cfaffc36cce4dd5b", "53",
         "0100000000000000000000000065c22e3e", "0200000000000000000000000065c22f80"},
        {"800b", "09", "8e7dd06ac5b73b473be6bc5a51030f4c7437657cb7b29bf376c564b8d1675a5e", "54",
         "0200000000000000000000000065c22e3f", "0400000000000000000000000065c22f81"},
        {"800b", "0d", "ebddefdda48eb2aa7f66ecf7940a280e9ef3fb2e95db0995538440a62af79861", "0", "00",
         "ebbe609cd3ccd11f273eb94374d6d3a2f7856c5f1039dc4877c6a334188ac7c1"},
        {"800b", "0e", "4640d73845364ec691f6defb606a3a72fda5d7ad33d17d04995a8e252c4a06d8", "0", "00",
         "708e7fcf68ebab6c87322686cac4bcdb5f2bd4c71f337b18d147fd9a6c44ad13"},
        {"800b", "010c", "79093588d0e847efa73a10ce20e4799fb1e46642d65617c7e5213fa04989d92d", "57",
         "0200000000000000000000000065c22e3f", "0400000000000000000000000065c22f81"},
        {"800b", "ad67d757c34507f157cacfa2e3153e9f260a2244f30428821be7be64587ac55f",
         "0cc24ab42fbec5317d9b1a2ca47ca9b93b9ec36d798efd7cdaa739241630cb46", "0", "00",
         "55618db5ff24aee4d236921b6f4272101161137115a3b4c4a65f8677b124c01c"},
    };
    std::vector<kiln_state_diff> v;
    for (auto &r : rows) {
        kiln_state_diff d{};
        put20(d.address, r[0]);
        put32(d.key, r[1]);
        put32(d.derived_key, r[2]);
        d.enum_index = strtoull(r[3], nullptr, 10);
        put32(d.initial, r[4]);
        put32(d.final, r[5]);
        v.push_back(d);
    }
    return v;
}

inline const char *const FIXTURE_COMPRESSED =
    "010001480400048d617ec05acbbf5fe24529a64b2385a96aad43f09be1ada92c704031dcc14"
    "81b416f05e193353286a0ebddefdda48eb2"
    "aa7f66ecf7940a280e9ef3fb2e95db0995538440a62af7986100ebbe609cd3ccd11f273eb94"
    "374d6d3a2f7856c5f1039dc4877c6a33418"
    "8ac7c14640d73845364ec691f6defb606a3a72fda5d7ad33d17d04995a8e252c4a06d800708"
    "e7fcf68ebab6c87322686cac4bcdb5f2bd4"
    "c71f337b18d147fd9a6c44ad130cc24ab42fbec5317d9b1a2ca47ca9b93b9ec36d798efd7cd"
    "aa739241630cb460055618db5ff24aee4d2"
    "36921b6f4272101161137115a3b4c4a65f8677b124c01c00000031416f062d903e81cf60000"
    "00032314bfd094f48c00000003589010000"
    "000000000000000000000000014200000036890200000000000000000000000000000142000"
    "0003989020000000000000000000000000000"
    "0142";

// splitmix64, seeded per test.
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
    void fill(uint8_t *p, size_t n) {
        for (size_t i = 0; i < n; i++)
            p[i] = (uint8_t)next();
    }
};

inline kiln_state_diff random_diff(Rng &r, size_t i) {
    kiln_state_diff d{};
    static const char *pool[4] = {"800a", "800b", "de03a0b5963f75f1c8485b355ff6d30f3093bde7", "01"};
    put20(d.address, pool[r.below(4)]);
    r.fill(d.key, 32);
    d.key[0] = (uint8_t)(i >> 8); // unique (address, key) pairs
    d.key[1] = (uint8_t)i;
    if (r.below(3) == 0) memset(d.key, 0, 30); // small keys too
    r.fill(d.derived_key, 32);
    bool initial = r.below(3) == 0;
    d.enum_index = initial ? 0 : 1 + r.below(r.below(2) ? 1000 : 0xffffffffull);
    auto rnd_val = [&](uint8_t v[32]) {
        memset(v, 0, 32);
        unsigned n = (unsigned)r.below(33);
        r.fill(v + 32 - n, n);
    };
    if (!initial) rnd_val(d.initial);
    switch (r.below(5)) {
    case 0:   // small add
    case 1: { // small sub
        memcpy(d.final, d.initial, 32);
        unsigned carry = (unsigned)r.below(1u << 16) + 1;
        bool add = r.below(2);
        for (int j = 31; j >= 0 && carry; j--) {
            int x = add ? d.final[j] + (int)(carry & 0xff) : d.final[j] - (int)(carry & 0xff);
            carry >>= 8;
            if (x > 255) carry += 1, x -= 256;
            if (x < 0) carry += 1, x += 256;
            d.final[j] = (uint8_t)x;
        }
        break;
    }
    case 2:
        memset(d.final, 0, 32);
        break;
    default:
        rnd_val(d.final);
    }
    return d;
}

} // namespace zkstest

#endif
