/* The slot cache: batch-start values come from advice on first touch and are checked against the previous
 * state root by the tree steps at the end of the batch (finalize.c), so nothing here trusts the host. */
#include "advice.h"
#include "bootloader.h"
#include "state_diff.h"
#include "state_tree.h"

#define BUCKETS 4096u

static bl_slot *slots;
static uint32_t n_slots, cap_slots;
static uint32_t buckets[BUCKETS];

typedef struct journal_entry {
    uint32_t slot; /* 1-based */
    uint16_t paid;
    uint8_t cur[32];
} journal_entry;
static journal_entry *journal;
static uint32_t n_journal, cap_journal;

static void journal_push(uint32_t slot1, const bl_slot *s) {
    if (n_journal == cap_journal) {
        journal_entry *nj = (journal_entry *)malloc(2 * cap_journal * sizeof *nj);
        memcpy(nj, journal, n_journal * sizeof *nj);
        journal = nj;
        cap_journal *= 2;
    }
    journal_entry *e = &journal[n_journal++];
    e->slot = slot1;
    e->paid = s->paid;
    memcpy(e->cur, s->cur, 32);
}

void bl_state_init(void) {
    cap_slots = 256;
    slots = (bl_slot *)malloc(cap_slots * sizeof *slots);
    cap_journal = 256;
    journal = (journal_entry *)malloc(cap_journal * sizeof *journal);
}

/* Keys are mostly keccak outputs (mapping slots) or small numbers (SystemContext): a few of their bytes and
 * the address's last ones spread them well enough, at a fraction of a full hash's cycles. */
static uint32_t bucket_of(const uint8_t addr[20], const uint8_t key[32]) {
    uint32_t h = (uint32_t)key[31] | (uint32_t)key[30] << 8 | (uint32_t)key[0] << 16 | (uint32_t)key[1] << 24;
    h ^= (uint32_t)addr[19] * 0x9e3779b1u ^ (uint32_t)addr[18] << 11;
    return (h ^ h >> 15) % BUCKETS;
}

static int is_system_context(const uint8_t addr[20]) {
    return memcmp(addr, BL_SYSTEM_CONTEXT, 20) == 0;
}

bl_slot *bl_slot_at(uint32_t index) {
    return &slots[index - 1];
}

uint32_t bl_slot_index(const uint8_t addr[20], const uint8_t key[32]) {
    return (uint32_t)(bl_slot_get(addr, key) - slots) + 1;
}

void bl_slot_write_at(uint32_t index, const uint8_t value[32]) {
    bl_slot *s = &slots[index - 1];
    if (!memcmp(s->cur, value, 32)) return;
    journal_push(index, s);
    memcpy(s->cur, value, 32);
}

bl_slot *bl_slot_get(const uint8_t addr[20], const uint8_t key[32]) {
    uint32_t b = bucket_of(addr, key);
    for (uint32_t i = buckets[b]; i; i = slots[i - 1].next)
        if (!memcmp(slots[i - 1].key, key, 32) && !memcmp(slots[i - 1].addr, addr, 20)) return &slots[i - 1];
    if (n_slots == cap_slots) {
        /* The allocator never frees: grow by doubling into a fresh block. */
        bl_slot *ns = (bl_slot *)malloc(2 * cap_slots * sizeof *ns);
        memcpy(ns, slots, n_slots * sizeof *ns);
        slots = ns;
        cap_slots *= 2;
    }
    bl_slot *s = &slots[n_slots++];
    memset(s, 0, sizeof *s);
    memcpy(s->addr, addr, 20);
    memcpy(s->key, key, 32);
    kiln_state_key(addr, key, s->tree_key);
    uint8_t req[4 + 32];
    uint32_t ans_words[9]; /* the proven advice writes whole words: a 4-aligned buffer */
    uint8_t *ans = (uint8_t *)ans_words;
    req[0] = KILN_ADVICE_SLOT, req[1] = req[2] = req[3] = 0;
    memcpy(req + 4, s->tree_key, 32);
    BL_ASSERT(bl_advice(req, sizeof req, ans, 33) == 33, "slot advice: bad answer length");
    BL_ASSERT(ans[32] <= 1, "slot advice: bad existence flag");
    memcpy(s->initial, ans, 32);
    memcpy(s->cur, ans, 32);
    s->exists = ans[32];
    s->free_pubdata = (uint8_t)is_system_context(addr);
    s->next = buckets[b];
    buckets[b] = n_slots;
    return s;
}

void bl_slot_read(const uint8_t addr[20], const uint8_t key[32], uint8_t value[32]) {
    memcpy(value, bl_slot_get(addr, key)->cur, 32);
}


void bl_slot_write(const uint8_t addr[20], const uint8_t key[32], const uint8_t value[32]) {
    bl_slot_write_at(bl_slot_index(addr, key), value);
}

uint32_t bl_checkpoint(void) {
    return n_journal;
}

void bl_rollback(uint32_t cp) {
    while (n_journal > cp) {
        journal_entry *e = &journal[--n_journal];
        bl_slot *s = &slots[e->slot - 1];
        memcpy(s->cur, e->cur, 32);
        s->paid = e->paid;
    }
}

/* What publishing the slot's net change costs: nothing when it is back at its batch-start value, else the key
 * (32 bytes for a first write, a 4-byte enumeration index otherwise) and the compressed value. */
static uint16_t slot_cost(const bl_slot *s) {
    if (s->free_pubdata || !memcmp(s->initial, s->cur, 32)) return 0;
    size_t vlen = kiln_state_diff_compressed_value_len(s->initial, s->cur);
    return (uint16_t)((s->exists ? 4 : 32) + vlen);
}

int64_t bl_charge_pubdata(uint32_t cp) {
    static uint32_t epoch;
    int64_t delta = 0;
    epoch++;
    for (uint32_t i = cp, end = n_journal; i < end; i++) {
        bl_slot *s = &slots[journal[i].slot - 1];
        if (s->epoch == epoch) continue; /* a slot written several times is priced once */
        s->epoch = epoch;
        uint16_t c = slot_cost(s);
        if (c != s->paid) {
            journal_push(journal[i].slot, s); /* so a later rollback restores the charge too */
            delta += (int64_t)c - (int64_t)s->paid;
            s->paid = c;
        }
    }
    return delta;
}

/* (address, key) order: the order of the ZK Stack's state diffs and of the new leaves' enumeration. */
static int slot_less(const bl_slot *a, const bl_slot *b) {
    int c = memcmp(a->addr, b->addr, 20);
    return c ? c < 0 : memcmp(a->key, b->key, 32) < 0;
}

bl_slot **bl_slots_sorted(uint32_t *n) {
    bl_slot **v = (bl_slot **)malloc((n_slots ? n_slots : 1) * sizeof *v);
    for (uint32_t i = 0; i < n_slots; i++)
        v[i] = &slots[i];
    /* heap sort: no recursion, n log n */
    for (uint32_t start = n_slots / 2; start-- > 0;)
        for (uint32_t r = start;;) {
            uint32_t c = 2 * r + 1;
            if (c >= n_slots) break;
            if (c + 1 < n_slots && slot_less(v[c], v[c + 1])) c++;
            if (!slot_less(v[r], v[c])) break;
            bl_slot *t = v[r];
            v[r] = v[c], v[c] = t, r = c;
        }
    for (uint32_t end = n_slots; end-- > 1;) {
        bl_slot *t = v[0];
        v[0] = v[end], v[end] = t;
        for (uint32_t r = 0;;) {
            uint32_t c = 2 * r + 1;
            if (c >= end) break;
            if (c + 1 < end && slot_less(v[c], v[c + 1])) c++;
            if (!slot_less(v[r], v[c])) break;
            bl_slot *t2 = v[r];
            v[r] = v[c], v[c] = t2, r = c;
        }
    }
    *n = n_slots;
    return v;
}
