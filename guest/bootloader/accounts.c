/* Accounts as the ZK Stack keeps them: the base token's balance in L2BaseToken's mapping and the nonce in
 * NonceHolder's (raw nonce = deployment nonce · 2^128 + transaction nonce), both keyed keccak(pad32(addr) ‖ 0).
 * An address's two slots are found once per batch and remembered (their keccak keys cost more than the rest of
 * a balance update). */
#include "address.h"
#include "bootloader.h"

#define ACCOUNT_BUCKETS 1024u

typedef struct account {
    uint8_t addr[20];
    uint32_t balance, nonce; /* slot indices, 0 until first used */
    uint32_t next;           /* 1-based chain */
} account;

static account *accounts;
static uint32_t n_accounts, cap_accounts;
static uint32_t account_buckets[ACCOUNT_BUCKETS];

static account *account_of(const uint8_t addr[20]) {
    uint32_t b = ((uint32_t)addr[19] | (uint32_t)addr[18] << 8 | (uint32_t)addr[0] << 16) % ACCOUNT_BUCKETS;
    for (uint32_t i = account_buckets[b]; i; i = accounts[i - 1].next)
        if (!memcmp(accounts[i - 1].addr, addr, 20)) return &accounts[i - 1];
    if (n_accounts == cap_accounts) {
        uint32_t nc = cap_accounts ? 2 * cap_accounts : 128;
        account *na = (account *)malloc(nc * sizeof *na);
        memcpy(na, accounts, n_accounts * sizeof *na);
        accounts = na, cap_accounts = nc;
    }
    account *a = &accounts[n_accounts++];
    memcpy(a->addr, addr, 20);
    a->balance = a->nonce = 0;
    a->next = account_buckets[b];
    account_buckets[b] = n_accounts;
    return a;
}

static uint32_t balance_slot(const uint8_t addr[20]) {
    account *a = account_of(addr);
    if (!a->balance) {
        uint8_t key[32];
        kiln_eth_balance_key(key, addr);
        a->balance = bl_slot_index(BL_BASE_TOKEN, key);
    }
    return a->balance;
}

static uint32_t nonce_slot(const uint8_t addr[20]) {
    account *a = account_of(addr);
    if (!a->nonce) {
        uint8_t key[32];
        kiln_nonce_holder_key(key, addr);
        a->nonce = bl_slot_index(BL_NONCE_HOLDER, key);
    }
    return a->nonce;
}

void bl_balance(const uint8_t addr[20], kiln_u256 *v) {
    kiln_u256_from_be(v, bl_slot_at(balance_slot(addr))->cur);
}

void bl_set_balance(const uint8_t addr[20], const kiln_u256 *v) {
    uint8_t val[32];
    kiln_u256_to_be(val, v);
    bl_slot_write_at(balance_slot(addr), val);
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
    const uint8_t *val = bl_slot_at(nonce_slot(addr))->cur;
    /* the transaction nonce is the low 128 bits; Kiln's stay below 2^64 (transactions carry a u64 nonce) */
    for (int i = 16; i < 24; i++)
        BL_ASSERT(val[i] == 0, "nonce above 2^64");
    return kiln_be64(val + 24);
}

void bl_set_nonce(const uint8_t addr[20], uint64_t nonce) {
    uint32_t idx = nonce_slot(addr);
    uint8_t val[32];
    memcpy(val, bl_slot_at(idx)->cur, 32);
    memset(val + 16, 0, 8);
    kiln_put_be64(val + 24, nonce);
    bl_slot_write_at(idx, val);
}
