// Writes a BATCH.json for the `kiln batch` command-line tests: a genesis, one L2 block with a transfer of each
// type (legacy without and with EIP-155, EIP-2930, EIP-1559, the ZK Stack's 0x71), a withdrawal to L1 through L2BaseToken,
// and a deposit, signed here with libsecp256k1 (tests/common/eth_tx_builder.h). usage: make_batch_json [CHAIN]
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "eth_tx_builder.h"

static void hex(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        std::printf("%02x", p[i]);
}

int main(int argc, char **argv) {
    uint64_t chain = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 270;
    ethtx::Key a = ethtx::make_key(1), b = ethtx::make_key(2), d = ethtx::make_key(3);
    std::printf("{\"chain_id\": %llu,\n \"genesis\": {\"balances\": {\"0x", (unsigned long long)chain);
    hex(a.addr, 20);
    std::printf("\": \"0xde0b6b3a7640000\"}},\n \"blocks\": [{\"timestamp\": 1000, \"txs\": [");
    for (int i = 0; i < 6; i++) {
        ethtx::Tx t;
        t.type = i == 0 ? 0 : i == 4 ? 0x71 : i - 1; // legacy pre-155, legacy 155, 2930, 1559, 0x71, withdrawal
        t.eip155 = i != 0;
        t.chain_id = chain;
        t.nonce = (uint64_t)i;
        t.gas_limit = 80000;
        t.max_fee = 1000000000;
        std::memcpy(t.to, b.addr, 20);
        ethtx::set_value(t, 1000 + (uint64_t)i);
        if (i == 4) t.priority_fee = 0;
        if (i == 5) { // withdraw(address) to L2BaseToken (0x800a)
            t.type = 2;
            std::memset(t.to, 0, 20);
            t.to[18] = 0x80, t.to[19] = 0x0a;
            ethtx::set_value(t, 500000);
            t.data = {0x51, 0xcf, 0xf8, 0xd9};
            t.data.resize(36, 0);
            std::memset(t.data.data() + 16, 0xab, 20);
        }
        ethtx::Bytes raw = ethtx::sign(t, a);
        std::printf("%s\"0x", i ? ", " : "");
        hex(raw.data(), raw.size());
        std::printf("\"");
    }
    std::printf("]}],\n \"priority_ops\": [{\"type\": \"deposit\", \"to\": \"0x");
    hex(d.addr, 20);
    std::printf("\", \"amount\": \"0x2386f26fc10000\"}]}\n");
    return 0;
}
