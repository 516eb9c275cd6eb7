#include "address.h"

#include "keccak/keccak.h"

static const uint8_t ALIAS_OFFSET[20] = {0x11, 0x11, 0, 0, 0, 0, 0, 0, 0,    0,
                                         0,    0,    0, 0, 0, 0, 0, 0, 0x11, 0x11};

void kiln_system_address(uint8_t out[20], uint32_t short_addr) {
    memset(out, 0, 16);
    kiln_put_be32(out + 16, short_addr);
}

void kiln_mapping_slot_key(uint8_t out[32], const uint8_t addr[20], uint64_t slot) {
    uint8_t b[64];
    memset(b, 0, sizeof b);
    memcpy(b + 12, addr, 20);
    kiln_put_be64(b + 56, slot);
    kiln_keccak256(b, sizeof b, out);
}

void kiln_eth_balance_key(uint8_t out[32], const uint8_t addr[20]) {
    kiln_mapping_slot_key(out, addr, 0);
}

void kiln_nonce_holder_key(uint8_t out[32], const uint8_t addr[20]) {
    kiln_mapping_slot_key(out, addr, 0);
}

static void hash_to_address(uint8_t out[20], const uint8_t *pre, size_t len) {
    uint8_t h[32];
    kiln_keccak256(pre, len, h);
    memcpy(out, h + 12, 20);
}

void kiln_zk_create_address(uint8_t out[20], const uint8_t sender[20], uint64_t deploy_nonce) {
    static const char tag[] = "zksyncCreate";
    uint8_t b[96];
    memset(b, 0, sizeof b);
    kiln_keccak256(tag, sizeof tag - 1, b);
    memcpy(b + 44, sender, 20);
    kiln_put_be64(b + 88, deploy_nonce);
    hash_to_address(out, b, sizeof b);
}

void kiln_zk_create2_address(uint8_t out[20], const uint8_t sender[20], const uint8_t salt[32],
                             const uint8_t bytecode_hash[32], const uint8_t constructor_input_hash[32]) {
    static const char tag[] = "zksyncCreate2";
    uint8_t b[160];
    memset(b, 0, sizeof b);
    kiln_keccak256(tag, sizeof tag - 1, b);
    memcpy(b + 44, sender, 20);
    memcpy(b + 64, salt, 32);
    memcpy(b + 96, bytecode_hash, 32);
    memcpy(b + 128, constructor_input_hash, 32);
    hash_to_address(out, b, sizeof b);
}

/* RLP of a u64: 0 → 0x80, < 0x80 → itself, else 0x80+len ‖ BE bytes. Returns the length written (≤ 9). */
static size_t rlp_u64(uint8_t *out, uint64_t v) {
    if (v == 0) {
        out[0] = 0x80;
        return 1;
    }
    if (v < 0x80) {
        out[0] = (uint8_t)v;
        return 1;
    }
    uint8_t be[8];
    kiln_put_be64(be, v);
    size_t skip = 0;
    while (be[skip] == 0)
        skip++;
    out[0] = (uint8_t)(0x80 + (8 - skip));
    memcpy(out + 1, be + skip, 8 - skip);
    return 1 + 8 - skip;
}

void kiln_evm_create_address(uint8_t out[20], const uint8_t sender[20], uint64_t nonce) {
    uint8_t b[1 + 21 + 9];
    b[1] = 0x80 + 20;
    memcpy(b + 2, sender, 20);
    size_t n = rlp_u64(b + 22, nonce);
    b[0] = (uint8_t)(0xc0 + 21 + n); /* payload ≤ 30 bytes: short list */
    hash_to_address(out, b, 22 + n);
}

void kiln_evm_create2_address(uint8_t out[20], const uint8_t sender[20], const uint8_t salt[32],
                              const uint8_t init_code_hash[32]) {
    uint8_t b[85];
    b[0] = 0xff;
    memcpy(b + 1, sender, 20);
    memcpy(b + 21, salt, 32);
    memcpy(b + 53, init_code_hash, 32);
    hash_to_address(out, b, sizeof b);
}

void kiln_l1_to_l2_alias(uint8_t out[20], const uint8_t l1[20]) {
    unsigned carry = 0;
    for (int i = 19; i >= 0; i--) {
        unsigned s = (unsigned)l1[i] + ALIAS_OFFSET[i] + carry;
        out[i] = (uint8_t)s;
        carry = s >> 8;
    }
}

void kiln_l2_to_l1_unalias(uint8_t out[20], const uint8_t l2[20]) {
    int borrow = 0;
    for (int i = 19; i >= 0; i--) {
        int d = (int)l2[i] - ALIAS_OFFSET[i] - borrow;
        borrow = d < 0;
        out[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
}
