#include "batch_input.h"

#include "l1_tx.h"

static const uint8_t MAGIC[4] = {'K', 'L', 'N', 'B'};

static int take(kiln_batch_cursor *c, void *out, size_t n) {
    if (c->left < n) return 0;
    if (out) memcpy(out, c->p, n);
    c->p += n;
    c->left -= n;
    return 1;
}

static int take_u32(kiln_batch_cursor *c, uint32_t *v) {
    uint8_t b[4];
    if (!take(c, b, 4)) return 0;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 1;
}

static int take_u64(kiln_batch_cursor *c, uint64_t *v) {
    uint32_t lo, hi;
    if (!take_u32(c, &lo) || !take_u32(c, &hi)) return 0;
    *v = (uint64_t)hi << 32 | lo;
    return 1;
}

kiln_status kiln_batch_parse_header(const uint8_t *in, size_t len, kiln_batch_header *h, kiln_batch_cursor *cur,
                                    char *err, size_t errlen) {
    kiln_batch_cursor c = {in, len};
    uint8_t magic[4];
    uint32_t version;
    if (!take(&c, magic, 4) || memcmp(magic, MAGIC, 4) != 0)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: bad magic");
    if (!take_u32(&c, &version) || version != KILN_BATCH_INPUT_VERSION)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: unsupported version");
    if (!take_u64(&c, &h->chain_id) || !take_u64(&c, &h->number) || !take_u64(&c, &h->timestamp) ||
        !take(&c, h->operator_addr, 20) || !take_u64(&c, &h->fair_l2_gas_price) ||
        !take_u64(&c, &h->fair_pubdata_price) || !take(&c, h->prev_stored, 256) || !take_u32(&c, &h->n_blocks))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: truncated header");
    if (h->n_blocks == 0 || h->n_blocks > KILN_BATCH_MAX_BLOCKS)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: block count out of range");
    *cur = c;
    return KILN_OK;
}

kiln_status kiln_batch_next_block(kiln_batch_cursor *cur, kiln_batch_block *b, char *err, size_t errlen) {
    if (!take_u64(cur, &b->timestamp) || !take_u32(cur, &b->n_items))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: truncated block");
    if (b->n_items > KILN_BATCH_MAX_ITEMS)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: too many items in a block");
    return KILN_OK;
}

kiln_status kiln_batch_next_item(kiln_batch_cursor *cur, kiln_batch_item *it, char *err, size_t errlen) {
    if (!take(cur, &it->kind, 1) || !take_u32(cur, &it->len))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: truncated item");
    if (it->kind != KILN_ITEM_L2_TX && it->kind != KILN_ITEM_PRIORITY_OP)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: unknown item kind");
    if (it->len > KILN_BATCH_MAX_ITEM_BYTES)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: item too large");
    it->data = cur->p;
    if (!take(cur, NULL, it->len)) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: truncated item");
    return KILN_OK;
}

kiln_status kiln_batch_parse_end(const kiln_batch_cursor *cur, char *err, size_t errlen) {
    return cur->left ? kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "batch input: trailing bytes") : KILN_OK;
}

kiln_status kiln_priority_op_decode(const uint8_t *in, size_t len, kiln_priority_op *op, char *err,
                                    size_t errlen) {
    kiln_batch_cursor c = {in, len};
    if (!take_u64(&c, &op->id) || !take(&c, op->from, 20) || !take(&c, op->to, 20) ||
        !take_u64(&c, &op->gas_limit) || !take_u64(&c, &op->gas_per_pubdata) || !take(&c, op->max_fee_per_gas, 32) ||
        !take(&c, op->value, 32) || !take(&c, op->mint, 32) || !take(&c, op->refund_recipient, 20) ||
        !take_u32(&c, &op->data_len))
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "priority op: truncated");
    op->data = c.p;
    if (c.left != op->data_len) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "priority op: bad data length");
    return KILN_OK;
}

static void put(kiln_batch_writer *w, const void *d, size_t n) {
    if (n && w->buf && w->len + n <= w->cap) memcpy(w->buf + w->len, d, n);
    w->len += n;
}

static void put_u32(kiln_batch_writer *w, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(w, b, 4);
}

static void put_u64(kiln_batch_writer *w, uint64_t v) {
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

void kiln_batch_write_header(kiln_batch_writer *w, const kiln_batch_header *h) {
    put(w, MAGIC, 4);
    put_u32(w, KILN_BATCH_INPUT_VERSION);
    put_u64(w, h->chain_id);
    put_u64(w, h->number);
    put_u64(w, h->timestamp);
    put(w, h->operator_addr, 20);
    put_u64(w, h->fair_l2_gas_price);
    put_u64(w, h->fair_pubdata_price);
    put(w, h->prev_stored, 256);
    put_u32(w, h->n_blocks);
}

void kiln_batch_write_block(kiln_batch_writer *w, const kiln_batch_block *b) {
    put_u64(w, b->timestamp);
    put_u32(w, b->n_items);
}

void kiln_batch_write_item(kiln_batch_writer *w, uint8_t kind, const uint8_t *data, uint32_t len) {
    put(w, &kind, 1);
    put_u32(w, len);
    put(w, data, len);
}

size_t kiln_priority_op_encoded_len(const kiln_priority_op *op) {
    return KILN_PRIORITY_OP_FIXED_LEN + op->data_len;
}

void kiln_priority_op_encode(kiln_batch_writer *w, const kiln_priority_op *op) {
    put_u64(w, op->id);
    put(w, op->from, 20);
    put(w, op->to, 20);
    put_u64(w, op->gas_limit);
    put_u64(w, op->gas_per_pubdata);
    put(w, op->max_fee_per_gas, 32);
    put(w, op->value, 32);
    put(w, op->mint, 32);
    put(w, op->refund_recipient, 20);
    put_u32(w, op->data_len);
    put(w, op->data, op->data_len);
}

void kiln_priority_op_canonical_hash(const kiln_priority_op *op, uint8_t out[32]) {
    kiln_l1_tx t;
    memset(&t, 0, sizeof t);
    kiln_u256_from_u64(&t.tx_type, KILN_L1_TX_TYPE);
    kiln_l1_tx_set_address(&t.from, op->from);
    kiln_l1_tx_set_address(&t.to, op->to);
    kiln_u256_from_u64(&t.gas_limit, op->gas_limit);
    kiln_u256_from_u64(&t.gas_per_pubdata_byte_limit, op->gas_per_pubdata);
    kiln_u256_from_be(&t.max_fee_per_gas, op->max_fee_per_gas);
    kiln_u256_from_u64(&t.nonce, op->id);
    kiln_u256_from_be(&t.value, op->value);
    kiln_u256_from_be(&t.reserved[0], op->mint);
    kiln_l1_tx_set_address(&t.reserved[1], op->refund_recipient);
    t.data = op->data;
    t.data_len = op->data_len;
    /* Cannot fail: every dynamic field is within KILN_L1_TX_MAX_FIELD (data is at most a batch item). */
    kiln_l1_tx_hash(&t, out, NULL, 0);
}
