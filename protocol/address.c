#include "address.h"

#include "rlp.h"

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

void kiln_evm_create_address(uint8_t out[20], const uint8_t sender[20], uint64_t nonce) {
    /* keccak(rlp([sender, nonce])): the payload is at most 21 + 9 bytes, a short list */
    uint8_t payload[30], b[31];
    kiln_rlp_enc p, e;
    kiln_rlp_enc_init(&p, payload, sizeof payload);
    kiln_rlp_enc_bytes(&p, sender, 20);
    kiln_rlp_enc_u64(&p, nonce);
    kiln_rlp_enc_init(&e, b, sizeof b);
    kiln_rlp_enc_list_header(&e, p.len);
    kiln_rlp_enc_raw(&e, payload, p.len);
    hash_to_address(out, b, e.len);
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
