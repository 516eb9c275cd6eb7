/* Accounts as the ZK Stack keeps them: the base token's balance in L2BaseToken's mapping and the nonce in
 * NonceHolder's (raw nonce = deployment nonce · 2^128 + transaction nonce), both keyed keccak(pad32(addr) ‖ 0). */
#include "address.h"
#include "bootloader.h"

void bl_balance(const uint8_t addr[20], kiln_u256 *v) {
    uint8_t key[32], val[32];
    kiln_eth_balance_key(key, addr);
    bl_slot_read(BL_BASE_TOKEN, key, val);
    kiln_u256_from_be(v, val);
}

void bl_set_balance(const uint8_t addr[20], const kiln_u256 *v) {
    uint8_t key[32], val[32];
    kiln_eth_balance_key(key, addr);
    kiln_u256_to_be(val, v);
    bl_slot_write(BL_BASE_TOKEN, key, val);
}

int bl_sub_balance(const uint8_t addr[20], const kiln_u256 *v) {
    kiln_u256 b;
    bl_balance(addr, &b);
    if (kiln_u256_sub(&b, &b, v)) return 0;
    bl_set_balance(addr, &b);
    return 1;
}

void bl_add_balance(const uint8_t addr[20], const kiln_u256 *v) {
    kiln_u256 b;
    bl_balance(addr, &b);
    BL_ASSERT(!kiln_u256_add(&b, &b, v), "balance overflow");
    bl_set_balance(addr, &b);
}

uint64_t bl_nonce(const uint8_t addr[20]) {
    uint8_t key[32], val[32];
    kiln_nonce_holder_key(key, addr);
    bl_slot_read(BL_NONCE_HOLDER, key, val);
    /* the transaction nonce is the low 128 bits; Kiln's stay below 2^64 (transactions carry a u64 nonce) */
    for (int i = 16; i < 24; i++)
        BL_ASSERT(val[i] == 0, "nonce above 2^64");
    return kiln_be64(val + 24);
}

void bl_set_nonce(const uint8_t addr[20], uint64_t nonce) {
    uint8_t key[32], val[32];
    kiln_nonce_holder_key(key, addr);
    bl_slot_read(BL_NONCE_HOLDER, key, val);
    memset(val + 16, 0, 8);
    kiln_put_be64(val + 24, nonce);
    bl_slot_write(BL_NONCE_HOLDER, key, val);
}
