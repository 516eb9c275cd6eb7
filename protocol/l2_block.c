#include "l2_block.h"

#include "keccak/keccak.h"

const uint8_t KILN_EMPTY_STRING_KECCAK[32] = {
    0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
    0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};

void kiln_l2_block_hash(uint8_t out[32], uint64_t number, uint64_t timestamp, const uint8_t prev_hash[32],
                        const uint8_t txs_rolling_hash[32]) {
    uint8_t buf[128];
    memset(buf, 0, 64);
    kiln_put_be64(buf + 24, number);
    kiln_put_be64(buf + 56, timestamp);
    memcpy(buf + 64, prev_hash, 32);
    memcpy(buf + 96, txs_rolling_hash, 32);
    kiln_keccak256(buf, sizeof buf, out);
}

void kiln_l2_block_legacy_hash(uint8_t out[32], uint32_t number) {
    uint8_t buf[4];
    kiln_put_be32(buf, number);
    kiln_keccak256(buf, sizeof buf, out);
}

void kiln_rolling_hash_append(uint8_t acc[32], const uint8_t item[32]) {
    uint8_t buf[64];
    memcpy(buf, acc, 32);
    memcpy(buf + 32, item, 32);
    kiln_keccak256(buf, sizeof buf, acc);
}

void kiln_tx_rolling_hash_init(uint8_t acc[32]) {
    memset(acc, 0, 32);
}

void kiln_priority_ops_hash_init(uint8_t acc[32]) {
    memcpy(acc, KILN_EMPTY_STRING_KECCAK, 32);
}
