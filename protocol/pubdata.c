#include "pubdata.h"

#include "keccak/keccak.h"

static kiln_status items_size(size_t *acc, const kiln_bytes_ref *items, size_t n, char *err, size_t errlen) {
    if (n > 0xffffffffu) return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: too many items");
    if (n && !items) return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: missing items");
    size_t s = 4;
    for (size_t i = 0; i < n; i++) {
        if (items[i].len > 0xffffffffu || (items[i].len && !items[i].data))
            return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: bad item");
        if (items[i].len > (size_t)-1 - s - 4 - *acc)
            return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: size overflow");
        s += 4 + items[i].len;
    }
    *acc += s;
    return KILN_OK;
}

kiln_status kiln_pubdata_size(size_t *out_size, const kiln_pubdata_input *in, char *err, size_t errlen) {
    if (in->n_logs > KILN_PUBDATA_MAX_LOGS)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: more than 16384 user logs");
    if (in->n_logs && !in->logs)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: missing logs");
    if (in->n_diffs && !in->diffs)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: missing diffs");
    size_t s = 4 + KILN_L2L1_LOG_SIZE * in->n_logs;
    kiln_status st = items_size(&s, in->messages, in->n_messages, err, errlen);
    if (st != KILN_OK) return st;
    st = items_size(&s, in->bytecodes, in->n_bytecodes, err, errlen);
    if (st != KILN_OK) return st;
    size_t sd;
    st = kiln_state_diffs_compressed_size(&sd, in->diffs, in->n_diffs, err, errlen);
    if (st != KILN_OK) return st;
    if (sd > (size_t)-1 - s)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: size overflow");
    *out_size = s + sd;
    return KILN_OK;
}

static size_t put_items(uint8_t *out, const kiln_bytes_ref *items, size_t n) {
    size_t pos = 4;
    kiln_put_be32(out, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        kiln_put_be32(out + pos, (uint32_t)items[i].len);
        if (items[i].len) memcpy(out + pos + 4, items[i].data, items[i].len);
        pos += 4 + items[i].len;
    }
    return pos;
}

kiln_status kiln_pubdata_build(uint8_t *out, size_t cap, size_t *out_len, const kiln_pubdata_input *in,
                               char *err, size_t errlen) {
    size_t total;
    kiln_status st = kiln_pubdata_size(&total, in, err, errlen);
    if (st != KILN_OK) return st;
    if (!out || cap < total)
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "pubdata: output buffer too small");
    size_t pos = 4;
    kiln_put_be32(out, (uint32_t)in->n_logs);
    for (size_t i = 0; i < in->n_logs; i++, pos += KILN_L2L1_LOG_SIZE)
        kiln_l2l1_log_encode(out + pos, &in->logs[i]);
    pos += put_items(out + pos, in->messages, in->n_messages);
    pos += put_items(out + pos, in->bytecodes, in->n_bytecodes);
    size_t sd_len;
    st = kiln_state_diffs_compress(out + pos, cap - pos, &sd_len, in->diffs, in->n_diffs, err, errlen);
    if (st != KILN_OK) return st;
    pos += sd_len;
    if (pos != total) return kiln_proto_fail(KILN_ERR_INTERNAL, err, errlen, "pubdata: size mismatch");
    *out_len = total;
    return KILN_OK;
}

/* Validates a u32 count ‖ (u32 len ‖ bytes)… section starting at *pos. */
static kiln_status parse_items(const uint8_t *data, size_t len, size_t *pos, uint32_t *count,
                               const uint8_t **start, size_t *section_len, char *err, size_t errlen) {
    if (len - *pos < 4) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "pubdata: truncated item count");
    uint32_t n = kiln_be32(data + *pos);
    size_t p = *pos + 4;
    for (uint32_t i = 0; i < n; i++) {
        if (len - p < 4)
            return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "pubdata: truncated item length");
        uint32_t l = kiln_be32(data + p);
        p += 4;
        if (len - p < l)
            return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "pubdata: item runs past the end");
        p += l;
    }
    *count = n;
    *start = data + *pos + 4;
    *section_len = p - *pos - 4;
    *pos = p;
    return KILN_OK;
}

kiln_status kiln_pubdata_parse(kiln_pubdata_view *v, const uint8_t *data, size_t len, char *err,
                               size_t errlen) {
    memset(v, 0, sizeof *v);
    if (!data || len < 4) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "pubdata: truncated log count");
    uint32_t n_logs = kiln_be32(data);
    if (n_logs > KILN_PUBDATA_MAX_LOGS)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "pubdata: more than 16384 user logs");
    size_t pos = 4;
    if ((len - pos) / KILN_L2L1_LOG_SIZE < n_logs)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "pubdata: truncated logs");
    v->n_logs = n_logs;
    v->logs = data + pos;
    pos += (size_t)n_logs * KILN_L2L1_LOG_SIZE;
    kiln_status st =
        parse_items(data, len, &pos, &v->n_messages, &v->messages, &v->messages_len, err, errlen);
    if (st != KILN_OK) return st;
    st = parse_items(data, len, &pos, &v->n_bytecodes, &v->bytecodes, &v->bytecodes_len, err, errlen);
    if (st != KILN_OK) return st;
    v->state_diffs = data + pos;
    v->state_diffs_len = len - pos;
    /* The compressed diffs' header carries their length, so trailing bytes show up as a length mismatch. */
    return kiln_state_diffs_validate_compressed(v->state_diffs, v->state_diffs_len, &v->n_initial_writes,
                                                &v->n_repeated_writes, err, errlen);
}

int kiln_pubdata_next_item(const uint8_t *section, size_t section_len, size_t *pos, kiln_bytes_ref *item) {
    if (*pos + 4 > section_len) return 0;
    uint32_t l = kiln_be32(section + *pos);
    if (l > section_len - *pos - 4) return 0;
    item->data = section + *pos + 4;
    item->len = l;
    *pos += 4 + (size_t)l;
    return 1;
}

kiln_status kiln_pubdata_blob_linear_hashes(uint8_t out[6][32], const uint8_t *pubdata, size_t len, char *err,
                                            size_t errlen) {
    if (len > (size_t)KILN_BLOB_SIZE_BYTES * KILN_MAX_BLOBS)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: longer than 6 blobs");
    if (len && !pubdata) return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "pubdata: missing bytes");
    static const uint8_t zeros[256] = {0};
    for (size_t i = 0; i < KILN_MAX_BLOBS; i++) {
        size_t start = i * KILN_BLOB_SIZE_BYTES;
        if (start >= len) {
            memset(out[i], 0, 32);
            continue;
        }
        size_t n = len - start < KILN_BLOB_SIZE_BYTES ? len - start : KILN_BLOB_SIZE_BYTES;
        kiln_keccak256_ctx c;
        kiln_keccak256_init(&c);
        kiln_keccak256_update(&c, pubdata + start, n);
        for (size_t pad = KILN_BLOB_SIZE_BYTES - n; pad;) {
            size_t k = pad < sizeof zeros ? pad : sizeof zeros;
            kiln_keccak256_update(&c, zeros, k);
            pad -= k;
        }
        kiln_keccak256_final(&c, out[i]);
    }
    return KILN_OK;
}
