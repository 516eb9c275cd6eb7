#include "state_diff.h"

#include "keccak/keccak.h"

void kiln_state_diff_encode(uint8_t out[156], const kiln_state_diff *d) {
    memcpy(out, d->address, 20);
    memcpy(out + 20, d->key, 32);
    memcpy(out + 52, d->derived_key, 32);
    kiln_put_be64(out + 84, d->enum_index);
    memcpy(out + 92, d->initial, 32);
    memcpy(out + 124, d->final, 32);
}

void kiln_state_diff_encode_padded(uint8_t out[272], const kiln_state_diff *d) {
    kiln_state_diff_encode(out, d);
    memset(out + KILN_STATE_DIFF_RECORD_SIZE, 0, KILN_STATE_DIFF_PADDED_SIZE - KILN_STATE_DIFF_RECORD_SIZE);
}

void kiln_state_diff_decode(kiln_state_diff *d, const uint8_t in[156]) {
    memcpy(d->address, in, 20);
    memcpy(d->key, in + 20, 32);
    memcpy(d->derived_key, in + 52, 32);
    d->enum_index = kiln_be64(in + 84);
    memcpy(d->initial, in + 92, 32);
    memcpy(d->final, in + 124, 32);
}

void kiln_state_diffs_hash(uint8_t out[32], const kiln_state_diff *diffs, size_t n) {
    kiln_keccak256_ctx c;
    uint8_t rec[KILN_STATE_DIFF_PADDED_SIZE];
    kiln_keccak256_init(&c);
    for (size_t i = 0; i < n; i++) {
        kiln_state_diff_encode_padded(rec, &diffs[i]);
        kiln_keccak256_update(&c, rec, sizeof rec);
    }
    kiln_keccak256_final(&c, out);
}

int kiln_state_diff_cmp(const kiln_state_diff *a, const kiln_state_diff *b) {
    int c = memcmp(a->address, b->address, 20);
    if (c) return c;
    return memcmp(a->key, b->key, 32);
}

static void swap_diff(kiln_state_diff *a, kiln_state_diff *b) {
    kiln_state_diff t = *a;
    *a = *b;
    *b = t;
}

static void sift_down(kiln_state_diff *d, size_t root, size_t n) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && kiln_state_diff_cmp(&d[child], &d[child + 1]) < 0) child++;
        if (kiln_state_diff_cmp(&d[root], &d[child]) >= 0) return;
        swap_diff(&d[root], &d[child]);
        root = child;
    }
}

void kiln_state_diffs_sort(kiln_state_diff *diffs, size_t n) {
    if (n < 2) return;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(diffs, i, n);
    for (size_t end = n - 1; end > 0; end--) {
        swap_diff(&diffs[0], &diffs[end]);
        sift_down(diffs, 0, end);
    }
}

/* 32-byte big-endian values as eight u32 words, most significant first: the strategies' arithmetic a word at a
 * time (this runs for every slot a transaction writes, inside the bootloader). */
static void be_words(uint32_t w[8], const uint8_t b[32]) {
    for (int i = 0; i < 8; i++)
        w[i] = kiln_be32(b + 4 * i);
}

static void sub_words(uint32_t r[8], const uint32_t a[8], const uint32_t b[8]) { /* mod 2^256 */
    uint32_t borrow = 0;
    for (int i = 7; i >= 0; i--) {
        uint64_t d = (uint64_t)a[i] - b[i] - borrow;
        r[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
}

static unsigned word_byte_len(const uint32_t v[8]) {
    for (int i = 0; i < 8; i++)
        if (v[i]) {
            uint32_t x = v[i];
            unsigned b = x >> 24 ? 4 : x >> 16 ? 3 : x >> 8 ? 2 : 1;
            return (unsigned)(7 - i) * 4 + b;
        }
    return 0;
}

/* r = a ± b mod 2^256 over big-endian bytes (the decompressor's, off the hot path). */
static void sub256(uint8_t r[32], const uint8_t a[32], const uint8_t b[32]) {
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = (int)a[i] - b[i] - borrow;
        borrow = d < 0;
        r[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
}

static void add256(uint8_t r[32], const uint8_t a[32], const uint8_t b[32]) {
    unsigned carry = 0;
    for (int i = 31; i >= 0; i--) {
        unsigned s = (unsigned)a[i] + b[i] + carry;
        r[i] = (uint8_t)s;
        carry = s >> 8;
    }
}

/* The node's choice: the shortest of add (final - initial), sub (initial - final) and transform (final) whose
 * operand is under 31 bytes, first of equals in that order; -1 for no compression. */
static int best_strategy(const uint8_t initial[32], const uint8_t final_value[32], uint32_t cand[3][8],
                         unsigned *len) {
    uint32_t a[8], b[8];
    be_words(a, initial);
    be_words(b, final_value);
    sub_words(cand[0], b, a); /* add: initial + v = final */
    sub_words(cand[1], a, b); /* sub: initial − v = final */
    memcpy(cand[2], b, sizeof b); /* transform */
    int best = -1;
    unsigned best_len = 32;
    for (int k = 0; k < 3; k++) {
        unsigned l = word_byte_len(cand[k]);
        if (l < 31 && (best < 0 || l < best_len)) {
            best = k;
            best_len = l;
        }
    }
    *len = best_len;
    return best;
}

size_t kiln_state_diff_compressed_value_len(const uint8_t initial[32], const uint8_t final_value[32]) {
    uint32_t cand[3][8];
    unsigned len;
    return best_strategy(initial, final_value, cand, &len) < 0 ? 33 : 1 + len;
}

size_t kiln_state_diff_compress_value(uint8_t out[33], const uint8_t initial[32],
                                      const uint8_t final_value[32]) {
    uint32_t cand[3][8];
    unsigned best_len;
    int best = best_strategy(initial, final_value, cand, &best_len);
    if (best < 0) {
        out[0] = 0;
        memcpy(out + 1, final_value, 32);
        return 33;
    }
    out[0] = (uint8_t)((best_len << 3) | (unsigned)(best + 1));
    for (unsigned i = 0; i < best_len; i++) { /* the operand's low best_len bytes, big-endian */
        unsigned byte = best_len - 1 - i;   /* from the least significant */
        out[1 + i] = (uint8_t)(cand[best][7 - byte / 4] >> (8 * (byte % 4)));
    }
    return 1 + best_len;
}

static size_t value_size(const kiln_state_diff *d) {
    return kiln_state_diff_compressed_value_len(d->initial, d->final);
}

kiln_status kiln_state_diffs_compressed_size(size_t *out_size, const kiln_state_diff *diffs, size_t n,
                                             char *err, size_t errlen) {
    size_t body = 2, num_initial = 0;
    for (size_t i = 0; i < n; i++) {
        if (diffs[i].enum_index == 0) {
            num_initial++;
            body += 32;
        } else {
            if (diffs[i].enum_index > 0xffffffffu)
                return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen,
                                       "state diffs: enumeration index does not fit 4 bytes");
            body += KILN_STATE_DIFF_ENUM_INDEX_SIZE;
        }
        body += value_size(&diffs[i]);
        if (body >= (1u << 24))
            return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen,
                                   "state diffs: compressed body exceeds 2^24 bytes");
    }
    if (num_initial > 0xffffu)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen,
                               "state diffs: more than 65535 initial writes");
    *out_size = KILN_STATE_DIFF_HEADER_SIZE + body;
    return KILN_OK;
}

kiln_status kiln_state_diffs_compress(uint8_t *out, size_t cap, size_t *out_len, const kiln_state_diff *diffs,
                                      size_t n, char *err, size_t errlen) {
    for (size_t i = 1; i < n; i++)
        if (kiln_state_diff_cmp(&diffs[i - 1], &diffs[i]) >= 0)
            return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen,
                                   "state diffs: not sorted by (address, key) or duplicate slot");
    size_t total;
    kiln_status st = kiln_state_diffs_compressed_size(&total, diffs, n, err, errlen);
    if (st != KILN_OK) return st;
    if (!out || cap < total)
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "state diffs: output buffer too small");
    size_t body = total - KILN_STATE_DIFF_HEADER_SIZE;
    out[0] = KILN_STATE_DIFF_COMPRESSION_VERSION;
    out[1] = (uint8_t)(body >> 16);
    out[2] = (uint8_t)(body >> 8);
    out[3] = (uint8_t)body;
    out[4] = KILN_STATE_DIFF_ENUM_INDEX_SIZE;
    size_t pos = 7;
    uint32_t num_initial = 0;
    for (size_t i = 0; i < n; i++) {
        if (diffs[i].enum_index != 0) continue;
        num_initial++;
        memcpy(out + pos, diffs[i].derived_key, 32);
        pos += 32;
        pos += kiln_state_diff_compress_value(out + pos, diffs[i].initial, diffs[i].final);
    }
    out[5] = (uint8_t)(num_initial >> 8);
    out[6] = (uint8_t)num_initial;
    for (size_t i = 0; i < n; i++) {
        if (diffs[i].enum_index == 0) continue;
        kiln_put_be32(out + pos, (uint32_t)diffs[i].enum_index);
        pos += 4;
        pos += kiln_state_diff_compress_value(out + pos, diffs[i].initial, diffs[i].final);
    }
    if (pos != total) return kiln_proto_fail(KILN_ERR_INTERNAL, err, errlen, "state diffs: size mismatch");
    *out_len = total;
    return KILN_OK;
}

kiln_status kiln_state_diff_reader_init(kiln_state_diff_reader *r, const uint8_t *data, size_t len, char *err,
                                        size_t errlen) {
    if (!data || len < KILN_STATE_DIFF_HEADER_SIZE + 2)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen,
                               "compressed state diffs: shorter than the header");
    if (data[0] != KILN_STATE_DIFF_COMPRESSION_VERSION)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "compressed state diffs: unknown version");
    size_t body = ((size_t)data[1] << 16) | ((size_t)data[2] << 8) | data[3];
    if (body != len - KILN_STATE_DIFF_HEADER_SIZE)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "compressed state diffs: body length mismatch");
    if (data[4] == 0 || data[4] > KILN_STATE_DIFF_MAX_ENUM_INDEX_SIZE)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen,
                               "compressed state diffs: bad enumeration index size");
    r->data = data;
    r->len = len;
    r->index_size = data[4];
    r->num_initial = ((uint32_t)data[5] << 8) | data[6];
    r->pos = 7;
    r->entries_read = 0;
    return KILN_OK;
}

kiln_status kiln_state_diff_reader_next(kiln_state_diff_reader *r, kiln_state_diff_entry *e, int *done,
                                        char *err, size_t errlen) {
    *done = 0;
    int initial = r->entries_read < r->num_initial;
    if (r->pos == r->len) {
        if (initial)
            return kiln_proto_fail(KILN_ERR_PARSE, err, errlen,
                                   "compressed state diffs: missing initial writes");
        *done = 1;
        return KILN_OK;
    }
    size_t rem = r->len - r->pos;
    const uint8_t *p = r->data + r->pos;
    size_t klen = initial ? 32 : r->index_size;
    if (rem < klen + 1)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "compressed state diffs: truncated entry");
    memset(e, 0, sizeof *e);
    e->is_initial = initial;
    if (initial) {
        memcpy(e->derived_key, p, 32);
    } else {
        uint64_t idx = 0;
        for (size_t i = 0; i < klen; i++)
            idx = (idx << 8) | p[i];
        e->enum_index = idx;
    }
    uint8_t meta = p[klen];
    unsigned op = meta & 7u;
    unsigned vlen = meta >> 3;
    if (op > KILN_SD_OP_TRANSFORM)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "compressed state diffs: unknown operation");
    if (op == KILN_SD_OP_NONE) vlen = 32;
    if (rem - klen - 1 < vlen)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "compressed state diffs: truncated value");
    e->op = (uint8_t)op;
    e->payload_len = (uint8_t)vlen;
    memcpy(e->payload + 32 - vlen, p + klen + 1, vlen);
    r->pos += klen + 1 + vlen;
    r->entries_read++;
    return KILN_OK;
}

void kiln_state_diff_entry_apply(uint8_t final_out[32], const kiln_state_diff_entry *e,
                                 const uint8_t initial[32]) {
    switch (e->op) {
    case KILN_SD_OP_ADD:
        add256(final_out, initial, e->payload);
        break;
    case KILN_SD_OP_SUB:
        sub256(final_out, initial, e->payload);
        break;
    default:
        memcpy(final_out, e->payload, 32);
        break;
    }
}

kiln_status kiln_state_diffs_validate_compressed(const uint8_t *data, size_t len, uint32_t *num_initial,
                                                 uint32_t *num_repeated, char *err, size_t errlen) {
    kiln_state_diff_reader r;
    kiln_status st = kiln_state_diff_reader_init(&r, data, len, err, errlen);
    if (st != KILN_OK) return st;
    kiln_state_diff_entry e;
    int done = 0;
    while (!done) {
        st = kiln_state_diff_reader_next(&r, &e, &done, err, errlen);
        if (st != KILN_OK) return st;
    }
    if (num_initial) *num_initial = r.num_initial;
    if (num_repeated) *num_repeated = r.entries_read - r.num_initial;
    return KILN_OK;
}

static kiln_status check_entry(const kiln_state_diff_entry *e, const kiln_state_diff *d, char *err,
                               size_t errlen) {
    if (e->is_initial) {
        if (memcmp(e->derived_key, d->derived_key, 32) != 0)
            return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen,
                                   "compressed state diffs: derived key mismatch");
    } else if (e->enum_index != d->enum_index) {
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen,
                               "compressed state diffs: enumeration index mismatch");
    }
    uint8_t f[32];
    kiln_state_diff_entry_apply(f, e, d->initial);
    if (memcmp(f, d->final, 32) != 0)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "compressed state diffs: value mismatch");
    return KILN_OK;
}

kiln_status kiln_state_diffs_check_compressed(const uint8_t *data, size_t len, const kiln_state_diff *diffs,
                                              size_t n, char *err, size_t errlen) {
    kiln_state_diff_reader r;
    kiln_status st = kiln_state_diff_reader_init(&r, data, len, err, errlen);
    if (st != KILN_OK) return st;
    kiln_state_diff_entry e;
    int done = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            int initial = diffs[i].enum_index == 0;
            if (initial != (pass == 0)) continue;
            st = kiln_state_diff_reader_next(&r, &e, &done, err, errlen);
            if (st != KILN_OK) return st;
            if (done)
                return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen,
                                       "compressed state diffs: too few entries");
            if (e.is_initial != initial)
                return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen,
                                       "compressed state diffs: initial write count mismatch");
            st = check_entry(&e, &diffs[i], err, errlen);
            if (st != KILN_OK) return st;
        }
    }
    st = kiln_state_diff_reader_next(&r, &e, &done, err, errlen);
    if (st != KILN_OK) return st;
    if (!done) return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "compressed state diffs: extra entries");
    return KILN_OK;
}
