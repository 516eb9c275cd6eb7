/* The state tree over RocksDB (state_tree.h). Pending steps live in a write batch with index that every read
 * goes through; the proof of each step is built from stored nodes, checked by the guest's own kiln_tree_step,
 * and only then written to the batch. */
#include "sequencer/state_tree.h"

#include <rocksdb/c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poseidon2/poseidon2.h"

enum { CF_DEFAULT, CF_LEAVES, CF_KEYS, CF_NODES, CF_META, CF_COUNT };
static const char *const cf_names[CF_COUNT] = {"default", "tree_leaves", "tree_keys", "tree_nodes",
                                               "tree_meta"};
static const char meta_key[] = "commitment";

/* Pending nodes: an open-addressing hash map (level, index) -> digest. Steps rewrite the upper nodes of every
 * path, so keeping them here rather than in the write batch makes the commit write each node once. */
typedef struct node_slot {
    uint64_t index;
    uint64_t d[4];
    uint8_t level, used;
} node_slot;

typedef struct node_map {
    node_slot *slots;
    size_t cap, count; /* cap a power of two, count <= cap / 2 */
} node_map;

static size_t node_hash(int level, uint64_t index) {
    uint64_t z = index * 0x9e3779b97f4a7c15ull ^ (uint64_t)level * 0xbf58476d1ce4e5b9ull;
    z ^= z >> 31;
    return (size_t)(z * 0x94d049bb133111ebull >> 17);
}

static node_slot *node_find(const node_map *m, int level, uint64_t index) {
    if (!m->cap) return NULL;
    for (size_t i = node_hash(level, index) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        node_slot *s = &m->slots[i];
        if (!s->used || (s->index == index && s->level == level)) return s;
    }
}

/* Makes room for `more` new entries, so the puts that follow cannot fail. */
static int node_reserve(node_map *m, size_t more) {
    if (2 * (m->count + more) <= m->cap) return 1;
    size_t cap = m->cap ? m->cap : 1024;
    while (2 * (m->count + more) > cap)
        cap *= 2;
    node_slot *old = m->slots;
    size_t old_cap = m->cap;
    m->slots = calloc(cap, sizeof *m->slots);
    if (!m->slots) {
        m->slots = old;
        return 0;
    }
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].used) *node_find(m, old[i].level, old[i].index) = old[i];
    free(old);
    return 1;
}

static void node_put(node_map *m, int level, uint64_t index, const uint64_t d[4]) {
    node_slot *s = node_find(m, level, index);
    if (!s->used) {
        s->used = 1;
        s->level = (uint8_t)level;
        s->index = index;
        m->count++;
    }
    memcpy(s->d, d, sizeof s->d);
}

static void node_clear(node_map *m) {
    if (m->cap > (1u << 20)) { /* give a big batch's memory back */
        free(m->slots);
        m->slots = NULL;
        m->cap = 0;
    } else if (m->cap) {
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    }
    m->count = 0;
}

struct kiln_state_tree {
    rocksdb_t *db;
    rocksdb_options_t *opts;
    rocksdb_readoptions_t *ro;
    rocksdb_writeoptions_t *wo;
    rocksdb_column_family_handle_t *cf[CF_COUNT];
    rocksdb_writebatch_wi_t *wb; /* pending leaves and keys */
    node_map nodes;              /* pending nodes, written to the batch at commit (one put per node) */
    kiln_tree_commitment committed, pending;
    uint64_t empty[KILN_TREE_DEPTH + 1][4]; /* empty[L]: the digest of an empty subtree of height L */
};

typedef struct leaf {
    uint8_t key[32], value[32];
    uint64_t next;
} leaf;

static kiln_status fail(kiln_status st, char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

static kiln_status db_fail(char *dberr, char *err, size_t errlen, const char *what) {
    kiln_status st = fail(KILN_ERR_IO, err, errlen, "state tree db: %s: %s", what, dberr ? dberr : "?");
    rocksdb_free(dberr);
    return st;
}

static void max_key(uint8_t k[32]) {
    for (int i = 0; i < 4; i++)
        kiln_put_be64(k + 8 * i, KILN_TREE_FIELD_P - 1);
}

static void node_key(uint8_t k[9], int level, uint64_t index) {
    k[0] = (uint8_t)level;
    kiln_put_be64(k + 1, index);
}

/* Reads a pending-or-stored value of cf into buf (exactly want bytes); *found 0 when missing. */
static kiln_status get_exact(kiln_state_tree *t, int cf, const uint8_t *k, size_t klen, uint8_t *buf,
                             size_t want, int *found, char *err, size_t errlen) {
    char *dberr = NULL;
    size_t vlen = 0;
    char *v = rocksdb_writebatch_wi_get_from_batch_and_db_cf(t->wb, t->db, t->ro, t->cf[cf], (const char *)k,
                                                             klen, &vlen, &dberr);
    if (dberr) return db_fail(dberr, err, errlen, "read");
    *found = v != NULL;
    if (!v) return KILN_OK;
    if (vlen != want) {
        rocksdb_free(v);
        return fail(KILN_ERR_PARSE, err, errlen, "state tree db: corrupt record in %s (length %zu, want %zu)",
                    cf_names[cf], vlen, want);
    }
    memcpy(buf, v, want);
    rocksdb_free(v);
    return KILN_OK;
}

static kiln_status get_node(kiln_state_tree *t, int level, uint64_t index, uint64_t out[4], char *err,
                            size_t errlen) {
    uint8_t k[9], v[32];
    int found = 0;
    /* Leaves fill indexes 0.. next_free - 1, so a node right of the last one is empty: no lookup. */
    if (index > (t->pending.next_free - 1) >> level) {
        memcpy(out, t->empty[level], sizeof t->empty[level]);
        return KILN_OK;
    }
    const node_slot *ns = node_find(&t->nodes, level, index);
    if (ns && ns->used) {
        memcpy(out, ns->d, sizeof ns->d);
        return KILN_OK;
    }
    node_key(k, level, index);
    kiln_status st = get_exact(t, CF_NODES, k, 9, v, 32, &found, err, errlen);
    if (st != KILN_OK) return st;
    if (!found) {
        memcpy(out, t->empty[level], sizeof t->empty[level]);
        return KILN_OK;
    }
    kiln_tree_digest_from_bytes(v, out);
    for (int i = 0; i < 4; i++)
        if (out[i] >= KILN_TREE_FIELD_P)
            return fail(KILN_ERR_PARSE, err, errlen, "state tree db: node (%d, %llu) not canonical", level,
                        (unsigned long long)index);
    return KILN_OK;
}

static kiln_status get_leaf(kiln_state_tree *t, uint64_t index, leaf *l, char *err, size_t errlen) {
    uint8_t k[8], v[72];
    int found = 0;
    kiln_put_be64(k, index);
    kiln_status st = get_exact(t, CF_LEAVES, k, 8, v, 72, &found, err, errlen);
    if (st != KILN_OK) return st;
    if (!found)
        return fail(KILN_ERR_PARSE, err, errlen, "state tree db: leaf %llu missing",
                    (unsigned long long)index);
    memcpy(l->key, v, 32);
    memcpy(l->value, v + 32, 32);
    l->next = kiln_be64(v + 64);
    if (l->next >= t->pending.next_free)
        return fail(KILN_ERR_PARSE, err, errlen, "state tree db: leaf %llu links past next_free",
                    (unsigned long long)index);
    return KILN_OK;
}

static void put_leaf(kiln_state_tree *t, uint64_t index, const leaf *l) {
    uint8_t k[8], v[72];
    kiln_put_be64(k, index);
    memcpy(v, l->key, 32);
    memcpy(v + 32, l->value, 32);
    kiln_put_be64(v + 64, l->next);
    rocksdb_writebatch_wi_put_cf(t->wb, t->cf[CF_LEAVES], (const char *)k, 8, (const char *)v, 72);
}

static void put_key(kiln_state_tree *t, const uint8_t key[32], uint64_t index) {
    uint8_t v[8];
    kiln_put_be64(v, index);
    rocksdb_writebatch_wi_put_cf(t->wb, t->cf[CF_KEYS], (const char *)key, 32, (const char *)v, 8);
}

/* Finds key's leaf index in the pending state. */
static kiln_status find_key(kiln_state_tree *t, const uint8_t key[32], int *found, uint64_t *index, char *err,
                            size_t errlen) {
    uint8_t v[8];
    kiln_status st = get_exact(t, CF_KEYS, key, 32, v, 8, found, err, errlen);
    if (st != KILN_OK || !*found) return st;
    *index = kiln_be64(v);
    if (*index >= t->pending.next_free)
        return fail(KILN_ERR_PARSE, err, errlen, "state tree db: key index past next_free");
    return KILN_OK;
}

/* The largest key below key (key absent) and its index, in the pending state. */
static kiln_status find_pred(kiln_state_tree *t, const uint8_t key[32], uint64_t *index, char *err,
                             size_t errlen) {
    rocksdb_iterator_t *base = rocksdb_create_iterator_cf(t->db, t->ro, t->cf[CF_KEYS]);
    rocksdb_iterator_t *it = rocksdb_writebatch_wi_create_iterator_with_base_cf(t->wb, base, t->cf[CF_KEYS]);
    kiln_status st = KILN_OK;
    rocksdb_iter_seek_for_prev(it, (const char *)key, 32);
    if (!rocksdb_iter_valid(it)) {
        char *dberr = NULL;
        rocksdb_iter_get_error(it, &dberr);
        st = dberr ? db_fail(dberr, err, errlen, "key scan")
                   : fail(KILN_ERR_PARSE, err, errlen, "state tree db: no key below (guard leaf 0 missing)");
    } else {
        size_t klen, vlen;
        const char *k = rocksdb_iter_key(it, &klen), *v = rocksdb_iter_value(it, &vlen);
        if (klen != 32 || vlen != 8 || memcmp(k, key, 32) >= 0)
            st = fail(KILN_ERR_PARSE, err, errlen, "state tree db: corrupt key record");
        else {
            *index = kiln_be64((const uint8_t *)v);
            if (*index >= t->pending.next_free)
                st = fail(KILN_ERR_PARSE, err, errlen, "state tree db: key index past next_free");
        }
    }
    rocksdb_iter_destroy(it);
    return st;
}

/* The 64 siblings of leaf index (leaf level first). */
static kiln_status read_path(kiln_state_tree *t, uint64_t index, uint64_t sib[][4], char *err,
                             size_t errlen) {
    for (int level = 0; level < KILN_TREE_DEPTH; level++) {
        kiln_status st = get_node(t, level, (index >> level) ^ 1, sib[level], err, errlen);
        if (st != KILN_OK) return st;
    }
    return KILN_OK;
}

/* Proof fields (docs/formats.md, "State tree", v2): little-endian. */
static uint8_t *put_le32(uint8_t *q, uint32_t v) {
    for (int i = 0; i < 4; i++, v >>= 8)
        q[i] = (uint8_t)v;
    return q + 4;
}
static uint8_t *put_le64(uint8_t *q, uint64_t v) {
    q = put_le32(q, (uint32_t)v);
    return put_le32(q, (uint32_t)(v >> 32));
}

/* A path in proof form: the bitmap of the siblings that are their level's empty subtree, then the others. */
static uint8_t *emit_path(const kiln_state_tree *t, uint8_t *q, const uint64_t sib[][4]) {
    uint64_t bitmap = 0;
    uint8_t *b = q;
    q += 8;
    for (int level = 0; level < KILN_TREE_DEPTH; level++) {
        if (memcmp(sib[level], t->empty[level], 32) == 0) {
            bitmap |= 1ull << level;
            continue;
        }
        for (int i = 0; i < 4; i++)
            q = put_le64(q, sib[level][i]);
    }
    put_le64(b, bitmap);
    return q;
}

/* A leaf in proof form: the key's 4 and the value's 8 big-endian words (the leaf hash's inputs), next. */
static uint8_t *emit_leaf(uint8_t *q, const leaf *l) {
    for (int i = 0; i < 4; i++)
        q = put_le64(q, kiln_be64(l->key + 8 * i));
    for (int i = 0; i < 8; i++)
        q = put_le32(q, kiln_be32(l->value + 4 * i));
    return put_le64(q, l->next);
}

/* The nodes on leaf index's path from leaf digest h through siblings sib: nodes[L] for L = 0..64. */
static void path_nodes(const uint64_t h[4], uint64_t index, const uint64_t sib[][4], uint64_t nodes[][4]) {
    memcpy(nodes[0], h, 32);
    for (int level = 0; level < KILN_TREE_DEPTH; level++) {
        if ((index >> level) & 1)
            kiln_poseidon2_hash_node(sib[level], nodes[level], nodes[level + 1]);
        else
            kiln_poseidon2_hash_node(nodes[level], sib[level], nodes[level + 1]);
    }
}

static void put_path(kiln_state_tree *t, uint64_t index, uint64_t nodes[][4]) {
    for (int level = 0; level < KILN_TREE_DEPTH; level++)
        node_put(&t->nodes, level, index >> level, nodes[level]);
}

static int key_ok(const uint8_t key[32]) {
    uint8_t z[32] = {0}, m[32];
    max_key(m);
    for (int i = 0; i < 4; i++)
        if (kiln_be64(key + 8 * i) >= KILN_TREE_FIELD_P) return 0;
    return memcmp(key, z, 32) != 0 && memcmp(key, m, 32) != 0;
}

/* Builds the step's proof for writing final_ (NULL: a read of the current value) into proof; with apply,
 * checks it and applies it to the pending batch. */
static kiln_status build_step(kiln_state_tree *t, const uint8_t key[32], const uint8_t *final_, int apply,
                              uint8_t *value_out, uint8_t *proof, size_t cap, size_t *len, char *err,
                              size_t errlen) {
    static const uint8_t zero[32];
    uint64_t index = 0;
    int found = 0;
    kiln_status st;
    if (!t || !key || !proof || !len)
        return fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree: null argument");
    *len = 0;
    if (!key_ok(key)) return fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree: not a tree key");
    if ((st = find_key(t, key, &found, &index, err, errlen)) != KILN_OK) return st;

    uint8_t initial[32];
    _Alignas(16) uint8_t buf[KILN_TREE_PROOF_MAX];
    uint8_t *q = buf;
    uint64_t sib_a[KILN_TREE_DEPTH][4];  /* the member's or the predecessor's path */
    uint64_t sib_b[KILN_TREE_DEPTH][4];  /* the successor's path, then an insert's free-slot path */
    uint64_t up[KILN_TREE_DEPTH + 1][4]; /* an insert's predecessor path after it links to next_free */
    leaf l, p, s;
    uint64_t pidx = 0;
    if (found) {
        if ((st = get_leaf(t, index, &l, err, errlen)) != KILN_OK) return st;
        if (memcmp(l.key, key, 32) != 0)
            return fail(KILN_ERR_PARSE, err, errlen, "state tree db: key index points at another leaf");
        memcpy(initial, l.value, 32);
        q = put_le32(q, KILN_TREE_PROOF_MEMBER);
        q = put_le64(q, index);
        q = put_le64(q, l.next);
        if ((st = read_path(t, index, sib_a, err, errlen)) != KILN_OK) return st;
        q = emit_path(t, q, sib_a);
    } else {
        memset(initial, 0, 32);
        int insert = final_ && memcmp(final_, zero, 32) != 0;
        if ((st = find_pred(t, key, &pidx, err, errlen)) != KILN_OK ||
            (st = get_leaf(t, pidx, &p, err, errlen)) || (st = get_leaf(t, p.next, &s, err, errlen)))
            return st;
        if (memcmp(p.key, key, 32) >= 0 || memcmp(key, s.key, 32) >= 0)
            return fail(KILN_ERR_PARSE, err, errlen, "state tree db: key order and leaf links disagree");
        q = put_le32(q, KILN_TREE_PROOF_ABSENT);
        q = put_le64(q, pidx);
        q = emit_leaf(q, &p);
        if ((st = read_path(t, pidx, sib_a, err, errlen)) != KILN_OK) return st;
        q = emit_path(t, q, sib_a);
        q = emit_leaf(q, &s);
        if ((st = read_path(t, p.next, sib_b, err, errlen)) != KILN_OK) return st;
        q = emit_path(t, q, sib_b);
        if (insert) {
            /* The free slot's path in the tree after the predecessor links to it: where the slot's sibling is
             * on the predecessor's path, it is the predecessor's updated node. */
            uint64_t slot = t->pending.next_free, h[4];
            if (kiln_tree_leaf_hash(p.key, p.value, slot, h) != KILN_OK)
                return fail(KILN_ERR_PARSE, err, errlen, "state tree db: predecessor leaf not canonical");
            path_nodes(h, pidx, sib_a, up);
            for (int level = 0; level < KILN_TREE_DEPTH; level++) {
                uint64_t sidx = (slot >> level) ^ 1;
                if ((pidx >> level) == sidx)
                    memcpy(sib_b[level], up[level], 32);
                else if ((st = get_node(t, level, sidx, sib_b[level], err, errlen)) != KILN_OK)
                    return st;
            }
            q = emit_path(t, q, sib_b);
        }
    }
    size_t n = (size_t)(q - buf);
    if (cap < n) return fail(KILN_ERR_LIMIT, err, errlen, "state tree: proof buffer too small");
    memcpy(proof, buf, n);
    if (value_out) memcpy(value_out, initial, 32);
    *len = n;
    if (!final_) final_ = initial;

    /* The guest's check: stored nodes that do not match the root fail here, before anything is written. */
    kiln_tree_commitment c = t->pending;
    uint64_t eidx;
    int inserted;
    char serr[128];
    st = kiln_tree_step(&c, key, initial, final_, buf, n, &eidx, &inserted, serr, sizeof serr);
    if (st != KILN_OK)
        return fail(KILN_ERR_VERIFY, err, errlen, "state tree db: stored tree does not match its root (%s)",
                    serr);
    if (!apply || (memcmp(c.root, t->pending.root, 32) == 0 && c.next_free == t->pending.next_free))
        return KILN_OK;

    uint64_t h[4], nodes[KILN_TREE_DEPTH + 1][4], root[4];
    if (!node_reserve(&t->nodes, 2 * KILN_TREE_DEPTH))
        return fail(KILN_ERR_OUT_OF_MEMORY, err, errlen, "state tree: out of memory");
    if (found) {
        memcpy(l.value, final_, 32);
        kiln_tree_leaf_hash(l.key, l.value, l.next, h);
        path_nodes(h, index, sib_a, nodes);
        put_leaf(t, index, &l);
        put_path(t, index, nodes);
    } else {
        /* Predecessor first, then the new leaf over the free slot's path. */
        uint64_t slot = t->pending.next_free, old_next = p.next;
        p.next = slot;
        put_leaf(t, pidx, &p);
        put_path(t, pidx, up); /* computed for the free slot's path above */
        memcpy(l.key, key, 32);
        memcpy(l.value, final_, 32);
        l.next = old_next;
        kiln_tree_leaf_hash(l.key, l.value, l.next, h);
        path_nodes(h, slot, sib_b, nodes);
        put_leaf(t, slot, &l);
        put_key(t, key, slot);
        put_path(t, slot, nodes);
    }
    kiln_tree_digest_from_bytes(c.root, root);
    if (memcmp(root, nodes[KILN_TREE_DEPTH], 32) != 0)
        return fail(KILN_ERR_INTERNAL, err, errlen, "state tree: host and guest roots differ");
    t->pending = c;
    return KILN_OK;
}

kiln_status kiln_state_tree_step_proof(kiln_state_tree *t, const uint8_t key[32], const uint8_t final_[32],
                                       uint8_t *proof, size_t cap, size_t *len, char *err, size_t errlen) {
    if (!final_) return fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree: null argument");
    return build_step(t, key, final_, 1, NULL, proof, cap, len, err, errlen);
}

kiln_status kiln_state_tree_prove_read(kiln_state_tree *t, const uint8_t key[32], uint8_t value[32],
                                       uint8_t *proof, size_t cap, size_t *len, char *err, size_t errlen) {
    return build_step(t, key, NULL, 0, value, proof, cap, len, err, errlen);
}

kiln_status kiln_state_tree_get(kiln_state_tree *t, const uint8_t key[32], uint8_t value[32], int *exists,
                                uint64_t *index, char *err, size_t errlen) {
    uint64_t idx = 0;
    int found = 0;
    leaf l;
    if (!t || !key || !value || !exists || !index)
        return fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree: null argument");
    kiln_status st = find_key(t, key, &found, &idx, err, errlen);
    if (st != KILN_OK) return st;
    memset(value, 0, 32);
    *exists = 0;
    *index = 0;
    if (!found) return KILN_OK;
    if ((st = get_leaf(t, idx, &l, err, errlen)) != KILN_OK) return st;
    if (memcmp(l.key, key, 32) != 0)
        return fail(KILN_ERR_PARSE, err, errlen, "state tree db: key index points at another leaf");
    memcpy(value, l.value, 32);
    *exists = 1;
    *index = idx;
    return KILN_OK;
}

void kiln_state_tree_commitment(const kiln_state_tree *t, kiln_tree_commitment *c) {
    *c = t->pending;
}
void kiln_state_tree_committed(const kiln_state_tree *t, kiln_tree_commitment *c) {
    *c = t->committed;
}

kiln_status kiln_state_tree_commit(kiln_state_tree *t, char *err, size_t errlen) {
    uint8_t v[40];
    char *dberr = NULL;
    if (!t) return fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree: null argument");
    memcpy(v, t->pending.root, 32);
    kiln_put_be64(v + 32, t->pending.next_free);
    for (size_t i = 0; i < t->nodes.cap; i++) {
        const node_slot *ns = &t->nodes.slots[i];
        uint8_t k[9], d[32];
        if (!ns->used) continue;
        node_key(k, ns->level, ns->index);
        kiln_tree_digest_to_bytes(ns->d, d);
        rocksdb_writebatch_wi_put_cf(t->wb, t->cf[CF_NODES], (const char *)k, 9, (const char *)d, 32);
    }
    rocksdb_writebatch_wi_put_cf(t->wb, t->cf[CF_META], meta_key, sizeof meta_key - 1, (const char *)v, 40);
    rocksdb_write_writebatch_wi(t->db, t->wo, t->wb, &dberr);
    if (dberr) return db_fail(dberr, err, errlen, "commit");
    rocksdb_writebatch_wi_clear(t->wb);
    node_clear(&t->nodes);
    t->committed = t->pending;
    return KILN_OK;
}

void kiln_state_tree_rollback(kiln_state_tree *t) {
    if (!t) return;
    rocksdb_writebatch_wi_clear(t->wb);
    node_clear(&t->nodes);
    t->pending = t->committed;
}

void kiln_state_tree_close(kiln_state_tree *t) {
    if (!t) return;
    if (t->wb) rocksdb_writebatch_wi_destroy(t->wb);
    free(t->nodes.slots);
    for (int i = 0; i < CF_COUNT; i++)
        if (t->cf[i]) rocksdb_column_family_handle_destroy(t->cf[i]);
    if (t->db) rocksdb_close(t->db);
    if (t->ro) rocksdb_readoptions_destroy(t->ro);
    if (t->wo) rocksdb_writeoptions_destroy(t->wo);
    if (t->opts) rocksdb_options_destroy(t->opts);
    free(t);
}

/* Writes the two guard leaves of an empty database and commits them. */
static kiln_status create_genesis(kiln_state_tree *t, char *err, size_t errlen) {
    leaf g[2];
    uint64_t h[4], sib[KILN_TREE_DEPTH][4], nodes[KILN_TREE_DEPTH + 1][4];
    kiln_tree_commitment want;
    memset(g, 0, sizeof g);
    max_key(g[1].key);
    g[0].next = g[1].next = 1;
    t->pending.next_free = 2;
    if (!node_reserve(&t->nodes, 2 * KILN_TREE_DEPTH))
        return fail(KILN_ERR_OUT_OF_MEMORY, err, errlen, "state tree: out of memory");
    for (int i = 0; i < 2; i++) {
        kiln_tree_leaf_hash(g[i].key, g[i].value, g[i].next, h);
        kiln_status st = read_path(t, (uint64_t)i, sib, err, errlen);
        if (st != KILN_OK) return st;
        path_nodes(h, (uint64_t)i, sib, nodes);
        put_leaf(t, (uint64_t)i, &g[i]);
        put_key(t, g[i].key, (uint64_t)i);
        put_path(t, (uint64_t)i, nodes);
    }
    kiln_tree_genesis(&want);
    kiln_tree_digest_to_bytes(nodes[KILN_TREE_DEPTH], t->pending.root);
    if (memcmp(want.root, t->pending.root, 32) != 0)
        return fail(KILN_ERR_INTERNAL, err, errlen, "state tree: genesis roots differ");
    return kiln_state_tree_commit(t, err, errlen);
}

/* Sanity checks of a stored tree: the commitment's root is the hash of the two top nodes, the guards are in
 * place, and next_free is the first free leaf. */
static kiln_status check_stored(kiln_state_tree *t, char *err, size_t errlen) {
    uint64_t a[4], b[4], r[4], stored[4];
    leaf l;
    uint8_t k[8], v[72], m[32];
    int found = 0;
    kiln_status st;
    if ((st = get_node(t, KILN_TREE_DEPTH - 1, 0, a, err, errlen)) != KILN_OK ||
        (st = get_node(t, KILN_TREE_DEPTH - 1, 1, b, err, errlen)) != KILN_OK)
        return st;
    kiln_poseidon2_hash_node(a, b, r);
    kiln_tree_digest_from_bytes(t->committed.root, stored);
    if (memcmp(r, stored, 32) != 0)
        return fail(KILN_ERR_VERIFY, err, errlen, "state tree db: top nodes do not hash to the stored root");
    max_key(m);
    if ((st = get_leaf(t, 0, &l, err, errlen)) != KILN_OK) return st;
    for (int i = 0; i < 32; i++)
        if (l.key[i]) return fail(KILN_ERR_PARSE, err, errlen, "state tree db: guard leaf 0 corrupt");
    if ((st = get_leaf(t, 1, &l, err, errlen)) != KILN_OK) return st;
    if (memcmp(l.key, m, 32) != 0 || l.next != 1)
        return fail(KILN_ERR_PARSE, err, errlen, "state tree db: guard leaf 1 corrupt");
    kiln_put_be64(k, t->committed.next_free - 1);
    if ((st = get_exact(t, CF_LEAVES, k, 8, v, 72, &found, err, errlen)) != KILN_OK) return st;
    if (!found) return fail(KILN_ERR_PARSE, err, errlen, "state tree db: leaf next_free - 1 missing");
    kiln_put_be64(k, t->committed.next_free);
    if ((st = get_exact(t, CF_LEAVES, k, 8, v, 72, &found, err, errlen)) != KILN_OK) return st;
    if (found) return fail(KILN_ERR_PARSE, err, errlen, "state tree db: a leaf at next_free");
    return KILN_OK;
}

kiln_status kiln_state_tree_open(const char *dir, kiln_state_tree **out, char *err, size_t errlen) {
    char *dberr = NULL;
    if (!dir || !out) return fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree: null argument");
    *out = NULL;
    kiln_state_tree *t = calloc(1, sizeof *t);
    if (!t) return fail(KILN_ERR_OUT_OF_MEMORY, err, errlen, "state tree: out of memory");
    for (int level = 0; level < KILN_TREE_DEPTH; level++)
        kiln_poseidon2_hash_node(t->empty[level], t->empty[level], t->empty[level + 1]);
    t->opts = rocksdb_options_create();
    /* Bloom filters: inserts look up absent keys, and absent nodes are common. */
    rocksdb_block_based_table_options_t *bbt = rocksdb_block_based_options_create();
    rocksdb_block_based_options_set_filter_policy(bbt, rocksdb_filterpolicy_create_bloom(10));
    rocksdb_options_set_block_based_table_factory(t->opts, bbt);
    rocksdb_block_based_options_destroy(bbt);
    rocksdb_options_set_create_if_missing(t->opts, 1);
    rocksdb_options_set_create_missing_column_families(t->opts, 1);
    t->ro = rocksdb_readoptions_create();
    t->wo = rocksdb_writeoptions_create();
    rocksdb_writeoptions_set_sync(t->wo, 1);
    const rocksdb_options_t *cf_opts[CF_COUNT];
    for (int i = 0; i < CF_COUNT; i++)
        cf_opts[i] = t->opts;
    t->db = rocksdb_open_column_families(t->opts, dir, CF_COUNT, cf_names, cf_opts, t->cf, &dberr);
    if (dberr) {
        memset(t->cf, 0, sizeof t->cf);
        t->db = NULL;
        kiln_status st = db_fail(dberr, err, errlen, "open");
        kiln_state_tree_close(t);
        return st;
    }
    t->wb = rocksdb_writebatch_wi_create(0, 1);

    size_t vlen = 0;
    char *v = rocksdb_get_cf(t->db, t->ro, t->cf[CF_META], meta_key, sizeof meta_key - 1, &vlen, &dberr);
    kiln_status st = KILN_OK;
    if (dberr) {
        st = db_fail(dberr, err, errlen, "read commitment");
    } else if (!v) {
        /* A fresh database: no leaves may exist without a commitment. */
        rocksdb_iterator_t *it = rocksdb_create_iterator_cf(t->db, t->ro, t->cf[CF_LEAVES]);
        rocksdb_iter_seek_to_first(it);
        int any = rocksdb_iter_valid(it);
        rocksdb_iter_destroy(it);
        st = any ? fail(KILN_ERR_PARSE, err, errlen, "state tree db: leaves without a commitment")
                 : create_genesis(t, err, errlen);
    } else {
        if (vlen != 40) {
            st = fail(KILN_ERR_PARSE, err, errlen, "state tree db: corrupt commitment record");
        } else {
            memcpy(t->committed.root, v, 32);
            t->committed.next_free = kiln_be64((const uint8_t *)v + 32);
            t->pending = t->committed;
            if (t->committed.next_free < 2 || t->committed.next_free >= KILN_TREE_FIELD_P - 1)
                st = fail(KILN_ERR_PARSE, err, errlen, "state tree db: next_free out of range");
            else
                st = check_stored(t, err, errlen);
        }
        rocksdb_free(v);
    }
    if (st != KILN_OK) {
        kiln_state_tree_close(t);
        return st;
    }
    *out = t;
    return KILN_OK;
}
