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

/* Little-endian proof fields at any alignment. */
static inline uint32_t ld_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t ld_le64(const uint8_t *p) {
    return (uint64_t)ld_le32(p + 4) << 32 | ld_le32(p);
}

/* Where the machine is little-endian and the proof 4-byte aligned, siblings are read as aligned 32-bit words
 * (one lw each on rv32; the VM faults on misaligned words, so the alignment is checked first) and a state's
 * u64 i is its words 2i (low) and 2i + 1. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_LOADS 1
typedef uint32_t __attribute__((may_alias)) u32_alias;
#else
#define WORD_LOADS 0
#endif

static unsigned popcount64(uint64_t v) {
    unsigned n = 0;
    for (int h = 0; h < 2; h++, v >>= 32) {
        uint32_t x = (uint32_t)v;
        x = x - ((x >> 1) & 0x55555555u);
        x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
        x = (x + (x >> 4)) & 0x0f0f0f0fu;
        n += (x * 0x01010101u) >> 24;
    }
    return n;
}

/* A path in the proof: bitmap of the empty siblings, then the others (32 bytes each, level order). */
typedef struct tree_path {
    const uint8_t *sib;
    uint64_t empty;
    size_t count; /* siblings present */
} tree_path;

/* A walk hashes from the leaf state(s) a (and b, when not NULL: a second leaf at the same index, over the
 * same siblings) through levels [from, to): afterwards a[0..4] (b[0..4]) is the node at level `to` (the root
 * at 64). *s points at the first present sibling at or above `from` and moves past those used. Each level is
 * kiln_poseidon2_hash_node written out over one state: the current digest stays in place (or moves right when
 * it is the right child), the sibling goes to the other side, the capacity to zero. 0 when a sibling is not
 * canonical (a u64 (lo, hi) is >= p exactly when hi is all ones and lo is not zero). */

/* Any alignment, any byte order. */
static void place(uint64_t *st, uint64_t bit, const uint64_t w[4]) {
    uint64_t *s = st + 4;
    if (bit) {
        st[4] = st[0], st[5] = st[1], st[6] = st[2], st[7] = st[3];
        s = st;
    }
    s[0] = w[0], s[1] = w[1], s[2] = w[2], s[3] = w[3];
    st[8] = st[9] = st[10] = st[11] = 0;
}

/* The sibling at `level` of a path whose present siblings from `level` on start at s (0: not canonical). */
static int sibling_at(uint64_t empty, int level, const uint8_t *s, uint64_t w[4]) {
    if ((empty >> level) & 1) {
        for (int i = 0; i < 4; i++)
            w[i] = kiln_tree_empty[level][i];
        return 1;
    }
    for (int i = 0; i < 4; i++, s += 8) {
        uint32_t lo = ld_le32(s), hi = ld_le32(s + 4);
        if (hi == 0xffffffffu && lo) return 0;
        w[i] = (uint64_t)hi << 32 | lo;
    }
    return 1;
}

static int walk_bytes(uint64_t *a, uint64_t *b, uint64_t index, uint64_t empty, const uint8_t **sp, int from,
                      int to) {
    const uint8_t *s = *sp;
    for (int level = from; level < to; level++) {
        uint64_t w[4];
        if (!sibling_at(empty, level, s, w)) return 0;
        if (!((empty >> level) & 1)) s += 32;
        uint64_t bit = (index >> level) & 1;
        place(a, bit, w);
        kiln_poseidon2_permute(a);
        if (b) {
            place(b, bit, w);
            kiln_poseidon2_permute(b);
        }
    }
    *sp = s;
    return 1;
}

#if WORD_LOADS
/* The guest's walk: 32-bit words throughout (index and bitmap as two u32 halves), the sibling read in place
 * from the proof or the constant table. */
static inline void place_words(u32_alias *st, uint32_t bit, const u32_alias *w) {
    u32_alias *d = st + 8;
    if (bit) {
        for (int i = 0; i < 8; i++)
            st[8 + i] = st[i];
        d = st;
    }
    for (int i = 0; i < 8; i++)
        d[i] = w[i];
    for (int i = 16; i < 24; i++)
        st[i] = 0;
}

static int walk_words(uint64_t *a, uint64_t *b, uint64_t index, uint64_t empty_bits, const uint8_t **sp,
                      int from, int to) {
    const u32_alias *s = (const u32_alias *)(const void *)*sp;
    u32_alias *aw = (u32_alias *)(void *)a, *bw = (u32_alias *)(void *)b;
    const uint32_t idx_half[2] = {(uint32_t)index, (uint32_t)(index >> 32)};
    const uint32_t empty_half[2] = {(uint32_t)empty_bits, (uint32_t)(empty_bits >> 32)};
    for (int h = 0; h < 2; h++) {
        int lo = from - 32 * h, hi = to - 32 * h;
        if (lo < 0) lo = 0;
        if (hi > 32) hi = 32;
        if (lo >= hi) continue;
        uint32_t idx = idx_half[h] >> lo, empty = empty_half[h] >> lo;
        const u32_alias *e = (const u32_alias *)(const void *)kiln_tree_empty[32 * h + lo];
        for (int j = lo; j < hi; j++, idx >>= 1, empty >>= 1, e += 8) {
            const u32_alias *w = e;
            if (!(empty & 1)) {
                w = s;
                s += 8;
                if ((w[1] == 0xffffffffu && w[0]) || (w[3] == 0xffffffffu && w[2]) ||
                    (w[5] == 0xffffffffu && w[4]) || (w[7] == 0xffffffffu && w[6]))
                    return 0;
            }
            place_words(aw, idx & 1, w);
            kiln_poseidon2_permute(a);
            if (b) {
                place_words(bw, idx & 1, w);
                kiln_poseidon2_permute(b);
            }
        }
    }
    *sp = (const uint8_t *)(const void *)s;
    return 1;
}
#endif

static int walk(uint64_t *a, uint64_t *b, uint64_t index, uint64_t empty, const uint8_t **sp, int from,
                int to) {
#if WORD_LOADS
    if (((uintptr_t)*sp & 3) == 0) return walk_words(a, b, index, empty, sp, from, to);
#endif
    return walk_bytes(a, b, index, empty, sp, from, to);
}

/* The whole path: 0 when a sibling is not canonical. */
static int walk_all(uint64_t *a, uint64_t *b, uint64_t index, const tree_path *path) {
    const uint8_t *s = path->sib;
    return walk(a, b, index, path->empty, &s, 0, KILN_TREE_DEPTH);
}

/* The number of bits of x (0 for 0). */
static int bit_length(uint64_t x) {
    uint32_t v = (uint32_t)(x >> 32);
    int n = 32;
    if (!v) v = (uint32_t)x, n = 0;
    for (int k = 16; k; k >>= 1)
        if (v >> k) n += k, v >>= k;
    return n + (int)v;
}

/* Level m = bit_length(i ^ j) is where the paths of leaves i != j meet (their nodes at m are one); below it,
 * at level m - 1, each path's node is the other's sibling. Another path may share the first path's work
 * above m - 1 when both bitmaps agree above m (an honest host's always do): then the second path need only
 * be hashed up to level m - 1, its node there must be the first path's sibling at m - 1, its sibling there
 * the first path's node, and its present siblings above m the first path's, byte for byte. That proves the
 * same as hashing it up to the root (both chains then hash the same pairs). */
static int shares_top(const tree_path *x, const tree_path *y, int m) {
    return m >= 1 && (m == KILN_TREE_DEPTH || (x->empty >> m) == (y->empty >> m));
}

/* st := the state after hashing leaf (key, value, next) (kiln_tree_leaf_hash: hash_var of 13 elements, a 1,
 * zeros to 16; two permutations); its digest is st[0..4]. */
static void leaf_state(uint64_t st[KILN_P2_WIDTH], const uint64_t key[4], const uint32_t value[8],
                       uint64_t next) {
    st[0] = key[0], st[1] = key[1], st[2] = key[2], st[3] = key[3];
    st[4] = value[0], st[5] = value[1], st[6] = value[2], st[7] = value[3];
    st[8] = st[9] = st[10] = st[11] = 0;
    kiln_poseidon2_permute(st);
    st[0] = value[4], st[1] = value[5], st[2] = value[6], st[3] = value[7];
    st[4] = next, st[5] = 1, st[6] = st[7] = 0;
    kiln_poseidon2_permute(st);
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

/* A path: the bitmap, then 32 bytes per sibling it does not mark empty. */
static int take_path(reader *r, tree_path *path) {
    const uint8_t *b = take(r, 8);
    if (!b) return 0;
    path->empty = ld_le64(b);
    path->count = (size_t)(KILN_TREE_DEPTH - popcount64(path->empty));
    path->sib = take(r, 32 * path->count);
    return path->sib != 0;
}

/* A leaf of the proof (72 bytes) and its path. */
typedef struct opened_leaf {
    uint64_t key[4], index, next;
    uint32_t value[8];
    tree_path path;
} opened_leaf;

static int take_leaf(reader *r, opened_leaf *l) {
    const uint8_t *b = take(r, KILN_TREE_LEAF_BYTES);
    if (!b || !take_path(r, &l->path)) return 0;
    for (int i = 0; i < 4; i++)
        l->key[i] = ld_le64(b + 8 * i);
    for (int i = 0; i < 8; i++)
        l->value[i] = ld_le32(b + 32 + 4 * i);
    l->next = ld_le64(b + 64);
    return 1;
}

static int words_canonical(const uint64_t k[4]) {
    return k[0] < P && k[1] < P && k[2] < P && k[3] < P;
}

/* -1, 0, 1 as key a (four words, most significant first) is below, equal to or above b. */
static int key_cmp(const uint64_t a[4], const uint64_t b[4]) {
    for (int i = 0; i < 4; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

static void value_words(const uint8_t v[32], uint32_t w[8]) {
    for (int i = 0; i < 8; i++)
        w[i] = kiln_be32(v + 4 * i);
}

static int is_zero32(const uint8_t *a) {
    uint8_t acc = 0;
    for (int i = 0; i < 32; i++)
        acc |= a[i];
    return acc == 0;
}

#define FAIL(st, msg) kiln_proto_fail(st, err, errlen, "state tree proof: " msg)

kiln_status kiln_tree_step(kiln_tree_commitment *c, const uint8_t key[32], const uint8_t initial[32],
                           const uint8_t final_[32], const uint8_t *proof, size_t proof_len,
                           uint64_t *enum_index, int *inserted, char *err, size_t errlen) {
    uint64_t root[4], kw[4], sa[KILN_P2_WIDTH], sb[KILN_P2_WIDTH];
    uint32_t vw[8];
    if (!c || !key || !initial || !final_ || (!proof && proof_len) || !enum_index || !inserted)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree step: null argument");
    *enum_index = 0;
    *inserted = 0;
    for (int i = 0; i < 4; i++)
        kw[i] = load_be64(key + 8 * i);
    if (!words_canonical(kw) || (kw[0] | kw[1] | kw[2] | kw[3]) == 0 ||
        (kw[0] == P - 1 && kw[1] == P - 1 && kw[2] == P - 1 && kw[3] == P - 1))
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree step: not a tree key");
    if (c->next_free < 2 || c->next_free >= P - 1)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "state tree step: next_free out of range");
    kiln_tree_digest_from_bytes(c->root, root);

    reader r = {proof, proof_len, 0};
    const uint8_t *tagp = take(&r, 4);
    if (!tagp) return FAIL(KILN_ERR_PARSE, "truncated tag");
    uint32_t tag = ld_le32(tagp);
    int changes = memcmp(initial, final_, 32) != 0;

    if (tag == KILN_TREE_PROOF_MEMBER) {
        const uint8_t *idx = take(&r, 8), *n = take(&r, 8);
        tree_path path;
        if (!idx || !n || !take_path(&r, &path)) return FAIL(KILN_ERR_PARSE, "member proof truncated");
        if (r.pos != r.len) return FAIL(KILN_ERR_PARSE, "trailing bytes");
        uint64_t index = ld_le64(idx), next = ld_le64(n);
        if (index < 2 || index >= c->next_free || next >= c->next_free)
            return FAIL(KILN_ERR_VERIFY, "leaf index or next out of range");
        /* The old leaf and, for a write, the new one walk the path together. */
        value_words(initial, vw);
        leaf_state(sa, kw, vw, next);
        if (changes) {
            value_words(final_, vw);
            leaf_state(sb, kw, vw, next);
        }
        if (!walk_all(sa, changes ? sb : 0, index, &path))
            return FAIL(KILN_ERR_PARSE, "sibling not canonical");
        if (!digest_eq(sa, root)) return FAIL(KILN_ERR_VERIFY, "membership path does not reach the root");
        if (changes) kiln_tree_digest_to_bytes(sb, c->root);
        *enum_index = index;
        return KILN_OK;
    }
    if (tag != KILN_TREE_PROOF_ABSENT) return FAIL(KILN_ERR_PARSE, "unknown tag");
    if (!is_zero32(initial)) return FAIL(KILN_ERR_VERIFY, "absence proof for a nonzero initial value");

    opened_leaf pred, succ;
    tree_path slot_path;
    const uint8_t *pidx = take(&r, 8);
    if (!pidx || !take_leaf(&r, &pred)) return FAIL(KILN_ERR_PARSE, "predecessor truncated");
    if (!take_leaf(&r, &succ)) return FAIL(KILN_ERR_PARSE, "successor truncated");
    int insert = !is_zero32(final_);
    if (insert && !take_path(&r, &slot_path)) return FAIL(KILN_ERR_PARSE, "free-slot path truncated");
    if (r.pos != r.len) return FAIL(KILN_ERR_PARSE, "trailing bytes");
    pred.index = ld_le64(pidx);
    succ.index = pred.next;
    if (pred.index >= c->next_free || pred.next >= c->next_free || succ.next >= c->next_free)
        return FAIL(KILN_ERR_VERIFY, "leaf index or next out of range");
    if (key_cmp(pred.key, kw) >= 0 || key_cmp(kw, succ.key) >= 0)
        return FAIL(KILN_ERR_VERIFY, "neighbours do not enclose the key");
    if (!words_canonical(pred.key) || !words_canonical(succ.key))
        return FAIL(KILN_ERR_PARSE, "leaf key not canonical");

    /* The successor's path and the free slot's share the predecessor's above where they meet it
     * (shares_top); where the bitmaps allow, they are hashed only up to there. */
    uint64_t slot = c->next_free, mid_root[4] = {0, 0, 0, 0};
    int ms = bit_length(pred.index ^ succ.index), mi = insert ? bit_length(pred.index ^ slot) : 0;
    int succ_short = shares_top(&pred.path, &succ.path, ms);
    int slot_short = insert && shares_top(&pred.path, &slot_path, mi);
    /* At level ms - 1 (mi - 1): the predecessor's node (its linked node) and its sibling. */
    uint64_t node_s[4] = {0}, sib_s[4] = {0}, node_i[4] = {0}, sib_i[4] = {0};
    int cut_s = succ_short ? ms - 1 : -1, cut_i = slot_short ? mi - 1 : -1;

    /* The predecessor as it is and, for an insert, linked to slot next_free (the middle root; with
     * slot_short only up to level mi - 1, where the slot's path takes over). */
    leaf_state(sa, pred.key, pred.value, pred.next);
    if (insert) leaf_state(sb, pred.key, pred.value, slot);
    uint64_t *pb = insert ? sb : 0;
    const uint8_t *ps = pred.path.sib;
    for (int level = 0; level < KILN_TREE_DEPTH;) {
        int next = KILN_TREE_DEPTH;
        if (cut_s >= level && cut_s < next) next = cut_s;
        if (cut_i >= level && cut_i < next) next = cut_i;
        if (!walk(sa, pb, pred.index, pred.path.empty, &ps, level, next))
            return FAIL(KILN_ERR_PARSE, "sibling not canonical");
        level = next;
        if (level == cut_s) {
            for (int i = 0; i < 4; i++)
                node_s[i] = sa[i];
            if (!sibling_at(pred.path.empty, level, ps, sib_s))
                return FAIL(KILN_ERR_PARSE, "sibling not canonical");
            cut_s = -1;
        }
        if (level == cut_i) {
            for (int i = 0; i < 4; i++)
                node_i[i] = sb[i];
            if (!sibling_at(pred.path.empty, level, ps, sib_i))
                return FAIL(KILN_ERR_PARSE, "sibling not canonical");
            cut_i = -1;
            pb = 0;
        }
    }
    if (!digest_eq(sa, root)) return FAIL(KILN_ERR_VERIFY, "predecessor path does not reach the root");
    if (pb)
        for (int i = 0; i < 4; i++)
            mid_root[i] = sb[i];
    const uint8_t *pred_end = pred.path.sib + 32 * pred.path.count;

    leaf_state(sa, succ.key, succ.value, succ.next);
    if (succ_short) {
        const uint8_t *ss = succ.path.sib;
        uint64_t w[4];
        if (!walk(sa, 0, succ.index, succ.path.empty, &ss, 0, ms - 1) ||
            !sibling_at(succ.path.empty, ms - 1, ss, w))
            return FAIL(KILN_ERR_PARSE, "sibling not canonical");
        if (!((succ.path.empty >> (ms - 1)) & 1)) ss += 32;
        size_t k = (size_t)(succ.path.sib + 32 * succ.path.count - ss);
        if (!digest_eq(sa, sib_s) || !digest_eq(w, node_s) || memcmp(ss, pred_end - k, k) != 0)
            return FAIL(KILN_ERR_VERIFY, "successor path does not reach the root");
    } else {
        if (!walk_all(sa, 0, succ.index, &succ.path)) return FAIL(KILN_ERR_PARSE, "sibling not canonical");
        if (!digest_eq(sa, root)) return FAIL(KILN_ERR_VERIFY, "successor path does not reach the root");
    }
    if (!insert) return KILN_OK; /* absent and stays absent */

    /* Insert: under the middle root slot next_free is empty (the zero leaf), then it takes (key, final, the
     * predecessor's old next). */
    for (int i = 0; i < 4; i++)
        sa[i] = 0;
    value_words(final_, vw);
    leaf_state(sb, kw, vw, pred.next);
    if (slot_short) {
        const uint8_t *fs = slot_path.sib, *above;
        uint64_t w[4];
        if (!walk(sa, sb, slot, slot_path.empty, &fs, 0, mi - 1) ||
            !sibling_at(slot_path.empty, mi - 1, fs, w))
            return FAIL(KILN_ERR_PARSE, "sibling not canonical");
        above = fs + ((slot_path.empty >> (mi - 1)) & 1 ? 0 : 32);
        size_t k = (size_t)(slot_path.sib + 32 * slot_path.count - above);
        if (!digest_eq(sa, sib_i) || !digest_eq(w, node_i) || memcmp(above, pred_end - k, k) != 0)
            return FAIL(KILN_ERR_VERIFY, "slot next_free is not empty");
        if (!walk(sb, 0, slot, slot_path.empty, &fs, mi - 1, KILN_TREE_DEPTH))
            return FAIL(KILN_ERR_PARSE, "sibling not canonical");
    } else {
        if (!walk_all(sa, sb, slot, &slot_path)) return FAIL(KILN_ERR_PARSE, "sibling not canonical");
        if (!digest_eq(sa, mid_root)) return FAIL(KILN_ERR_VERIFY, "slot next_free is not empty");
    }
    kiln_tree_digest_to_bytes(sb, c->root);
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
