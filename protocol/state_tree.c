/* The state tree's hashing and the guest's check-and-update step (state_tree.h). Every byte of a proof comes
 * from the untrusted host: lengths are checked before reading, every word that enters a hash is checked to be
 * a canonical field element, and the commitment changes only when every path checked. */
#include "state_tree.h"

#include "poseidon2/poseidon2.h"

#define P KILN_TREE_FIELD_P

void kiln_tree_digest_to_bytes(const uint64_t d[4], uint8_t out[32]) {
    for (int i = 0; i < 4; i++)
        kiln_put_be64(out + 8 * i, d[i]);
}

void kiln_tree_digest_from_bytes(const uint8_t in[32], uint64_t d[4]) {
    for (int i = 0; i < 4; i++)
        d[i] = kiln_be64(in + 8 * i);
}

void kiln_state_key(const uint8_t address[20], const uint8_t slot[32], uint8_t key[32]) {
    uint64_t in[13], d[4];
    for (int i = 0; i < 5; i++)
        in[i] = kiln_be32(address + 4 * i);
    for (int i = 0; i < 8; i++)
        in[5 + i] = kiln_be32(slot + 4 * i);
    kiln_poseidon2_hash_var(in, 13, d);
    kiln_tree_digest_to_bytes(d, key);
}

/* 1 when all four big-endian u64 words are below p. */
static int digest_canonical(const uint8_t b[32]) {
    for (int i = 0; i < 4; i++)
        if (kiln_be64(b + 8 * i) >= P) return 0;
    return 1;
}

kiln_status kiln_tree_leaf_hash(const uint8_t key[32], const uint8_t value[32], uint64_t next,
                                uint64_t out[4]) {
    uint64_t in[13];
    if (!digest_canonical(key) || next >= P) return KILN_ERR_PARSE;
    for (int i = 0; i < 4; i++)
        in[i] = kiln_be64(key + 8 * i);
    for (int i = 0; i < 8; i++)
        in[4 + i] = kiln_be32(value + 4 * i);
    in[12] = next;
    kiln_poseidon2_hash_var(in, 13, out);
    return KILN_OK;
}

static const uint8_t zero32[32];

static void max_key(uint8_t k[32]) {
    for (int i = 0; i < 4; i++)
        kiln_put_be64(k + 8 * i, P - 1);
}

void kiln_tree_genesis(kiln_tree_commitment *c) {
    uint8_t maxk[32];
    uint64_t h0[4], h1[4], cur[4], e[4] = {0, 0, 0, 0};
    max_key(maxk);
    kiln_tree_leaf_hash(zero32, zero32, 1, h0);
    kiln_tree_leaf_hash(maxk, zero32, 1, h1);
    kiln_poseidon2_hash_node(h0, h1, cur);
    /* The guards fill index 0 and 1; at level L >= 1 the sibling of node 0 is the empty subtree E(L). */
    for (int level = 1; level < KILN_TREE_DEPTH; level++) {
        kiln_poseidon2_hash_node(e, e, e);
        kiln_poseidon2_hash_node(cur, e, cur);
    }
    kiln_tree_digest_to_bytes(cur, c->root);
    c->next_free = 2;
}

/* A big-endian u64 from two big-endian u32 loads (cheaper on rv32 than a byte loop). */
static inline uint64_t load_be64(const uint8_t *p) {
    return (uint64_t)kiln_be32(p) << 32 | kiln_be32(p + 4);
}

/* Decodes a 2048-byte path into 64 digests; 0 when a word is not canonical. Each path is decoded once and
 * used for both the check and the update. */
static int decode_path(const uint8_t *path, uint64_t sib[KILN_TREE_DEPTH][4]) {
    for (int level = 0; level < KILN_TREE_DEPTH; level++, path += 32)
        for (int i = 0; i < 4; i++) {
            uint64_t v = load_be64(path + 8 * i);
            if (v >= P) return 0;
            sib[level][i] = v;
        }
    return 1;
}

/* The root reached from leaf digest `leaf` at `index` through siblings sib. Each level is
 * kiln_poseidon2_hash_node written out over one state (permute(left || right || 0^4), digest = state[0..4]),
 * so the current digest stays in place and only the sibling is copied in. */
static void path_root(const uint64_t leaf[4], uint64_t index, const uint64_t sib[KILN_TREE_DEPTH][4],
                      uint64_t out[4]) {
    uint64_t st[KILN_P2_WIDTH];
    for (int i = 0; i < 4; i++)
        st[i] = leaf[i];
    for (int level = 0; level < KILN_TREE_DEPTH; level++, index >>= 1) {
        uint64_t *s = st + 4;
        if (index & 1) {
            for (int i = 0; i < 4; i++)
                st[4 + i] = st[i];
            s = st;
        }
        for (int i = 0; i < 4; i++)
            s[i] = sib[level][i];
        for (int i = 8; i < KILN_P2_WIDTH; i++)
            st[i] = 0;
        kiln_poseidon2_permute(st);
    }
    for (int i = 0; i < 4; i++)
        out[i] = st[i];
}

static int digest_eq(const uint64_t a[4], const uint64_t b[4]) {
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

/* A bounds-checked cursor over the proof. */
typedef struct reader {
    const uint8_t *p;
    size_t len, pos;
} reader;

static const uint8_t *take(reader *r, size_t n) {
    if (r->len - r->pos < n) return 0;
    const uint8_t *q = r->p + r->pos;
    r->pos += n;
    return q;
}

typedef struct opened_leaf {
    const uint8_t *key, *value, *path;
    uint64_t index, next;
} opened_leaf;

/* Reads value[32], next, path (key and index read by the caller). */
static int read_leaf_tail(reader *r, opened_leaf *l) {
    const uint8_t *v = take(r, 32), *n = take(r, 8), *path = take(r, KILN_TREE_PATH_BYTES);
    if (!v || !n || !path) return 0;
    l->value = v;
    l->next = kiln_be64(n);
    l->path = path;
    return 1;
}

/* Checks that leaf l is at l->index under root; writes its leaf digest to h. */
static kiln_status check_leaf(const opened_leaf *l, const uint64_t root[4], uint64_t sib[KILN_TREE_DEPTH][4],
                              uint64_t h[4], char *err, size_t errlen, const char *what) {
    uint64_t r[4];
    if (kiln_tree_leaf_hash(l->key, l->value, l->next, h) != KILN_OK)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen,
                               "state tree proof: leaf key or next not canonical");
    if (!decode_path(l->path, sib))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: sibling not canonical");
    path_root(h, l->index, sib, r);
    if (!digest_eq(r, root)) return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, what);
    return KILN_OK;
}

static int is_zero32(const uint8_t *a) {
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++)
        acc |= a[i];
    return acc == 0;
}

kiln_status kiln_tree_step(kiln_tree_commitment *c, const uint8_t key[32], const uint8_t initial[32],
                           const uint8_t final_[32], const uint8_t *proof, size_t proof_len,
                           uint64_t *enum_index, int *inserted, char *err, size_t errlen) {
    uint64_t root[4], h[4], new_root[4], sib_a[KILN_TREE_DEPTH][4], sib_b[KILN_TREE_DEPTH][4];
    uint8_t maxk[32];
    kiln_status st;
    if (!c || !key || !initial || !final_ || (!proof && proof_len) || !enum_index || !inserted)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree step: null argument");
    *enum_index = 0;
    *inserted = 0;
    max_key(maxk);
    if (!digest_canonical(key) || is_zero32(key) || memcmp(key, maxk, 32) == 0)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree step: not a tree key");
    if (c->next_free < 2 || c->next_free >= P - 1)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree step: next_free out of range");
    kiln_tree_digest_from_bytes(c->root, root);

    reader r = {proof, proof_len, 0};
    const uint8_t *tag = take(&r, 1);
    if (!tag) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: empty");
    int changes = memcmp(initial, final_, 32) != 0;

    if (*tag == KILN_TREE_PROOF_MEMBER) {
        opened_leaf l;
        const uint8_t *idx = take(&r, 8);
        l.key = key;
        l.value = initial;
        const uint8_t *n = take(&r, 8), *path = take(&r, KILN_TREE_PATH_BYTES);
        if (!idx || !n || !path)
            return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: member proof truncated");
        if (r.pos != r.len)
            return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: trailing bytes");
        l.index = kiln_be64(idx);
        l.next = kiln_be64(n);
        l.path = path;
        if (l.index < 2 || l.index >= c->next_free || l.next >= c->next_free)
            return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen,
                                   "state tree proof: leaf index or next out of range");
        st = check_leaf(&l, root, sib_a, h, err, errlen,
                        "state tree proof: membership path does not reach the root");
        if (st != KILN_OK) return st;
        if (changes) {
            kiln_tree_leaf_hash(key, final_, l.next, h);
            path_root(h, l.index, sib_a, new_root);
            kiln_tree_digest_to_bytes(new_root, c->root);
        }
        *enum_index = l.index;
        return KILN_OK;
    }
    if (*tag != KILN_TREE_PROOF_ABSENT)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: unknown tag");
    if (!is_zero32(initial))
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen,
                               "state tree proof: absence proof for a nonzero initial value");

    opened_leaf pred, succ;
    const uint8_t *pidx = take(&r, 8);
    pred.key = take(&r, 32);
    if (!pidx || !pred.key || !read_leaf_tail(&r, &pred))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: predecessor truncated");
    pred.index = kiln_be64(pidx);
    succ.key = take(&r, 32);
    if (!succ.key || !read_leaf_tail(&r, &succ))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: successor truncated");
    succ.index = pred.next;
    int insert = !is_zero32(final_);
    const uint8_t *slot_path = 0;
    if (insert && !(slot_path = take(&r, KILN_TREE_PATH_BYTES)))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: free-slot path truncated");
    if (r.pos != r.len)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: trailing bytes");
    if (pred.index >= c->next_free || pred.next >= c->next_free || succ.next >= c->next_free)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen,
                               "state tree proof: leaf index or next out of range");
    if (memcmp(pred.key, key, 32) >= 0 || memcmp(key, succ.key, 32) >= 0)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen,
                               "state tree proof: neighbours do not enclose the key");
    st = check_leaf(&pred, root, sib_a, h, err, errlen,
                    "state tree proof: predecessor path does not reach the root");
    if (st != KILN_OK) return st;
    st = check_leaf(&succ, root, sib_b, h, err, errlen,
                    "state tree proof: successor path does not reach the root");
    if (st != KILN_OK) return st;
    if (!insert) return KILN_OK; /* absent and stays absent */

    /* Insert: the predecessor links to next_free, then the empty slot next_free takes (key, final, old next).
     */
    uint64_t slot = c->next_free, zero[4] = {0, 0, 0, 0}, mid_root[4], r2[4];
    kiln_tree_leaf_hash(pred.key, pred.value, slot, h);
    path_root(h, pred.index, sib_a, mid_root);
    if (!decode_path(slot_path, sib_b))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "state tree proof: sibling not canonical");
    path_root(zero, slot, sib_b, r2);
    if (!digest_eq(r2, mid_root))
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "state tree proof: slot next_free is not empty");
    kiln_tree_leaf_hash(key, final_, pred.next, h);
    path_root(h, slot, sib_b, new_root);
    kiln_tree_digest_to_bytes(new_root, c->root);
    c->next_free = slot + 1;
    *enum_index = slot;
    *inserted = 1;
    return KILN_OK;
}

kiln_status kiln_tree_verify_read(const kiln_tree_commitment *c, const uint8_t key[32],
                                  const uint8_t value[32], const uint8_t *proof, size_t proof_len,
                                  uint64_t *enum_index, char *err, size_t errlen) {
    kiln_tree_commitment copy;
    uint64_t idx;
    int ins;
    if (!c) return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree read: null commitment");
    copy = *c;
    kiln_status st = kiln_tree_step(&copy, key, value, value, proof, proof_len, &idx, &ins, err, errlen);
    if (st == KILN_OK && enum_index) *enum_index = idx;
    return st;
}
