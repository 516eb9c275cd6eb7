/* RLP: strict decoding and a small encoder (rlp.h). */
#include "rlp.h"

kiln_status kiln_rlp_decode_prefix(const uint8_t *buf, size_t len, kiln_rlp_item *item, size_t *consumed,
                                   char *err, size_t errlen) {
    if (len == 0) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: unexpected end of input");
    uint8_t b = buf[0];
    size_t hdr, plen;
    int is_list = b >= 0xc0;
    uint8_t base = is_list ? 0xc0 : 0x80;
    if (b < 0x80) {
        item->enc = buf;
        item->enc_len = 1;
        item->payload = buf;
        item->len = 1;
        item->is_list = 0;
        *consumed = 1;
        return KILN_OK;
    }
    if (b <= base + 55) {
        hdr = 1;
        plen = (size_t)(b - base);
        if (!is_list && plen == 1) {
            if (len < 2) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: item runs past the end");
            if (buf[1] < 0x80)
                return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: single byte below 0x80 wrapped");
        }
    } else {
        size_t lenlen = (size_t)(b - base - 55);
        if (lenlen > 4) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: length over 2^32 bytes");
        if (len < 1 + lenlen)
            return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: length runs past the end");
        if (buf[1] == 0)
            return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: length has a leading zero byte");
        plen = 0;
        for (size_t i = 0; i < lenlen; i++)
            plen = (plen << 8) | buf[1 + i];
        if (plen < 56)
            return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: long form for a short length");
        hdr = 1 + lenlen;
    }
    if (plen > len - hdr) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: item runs past the end");
    item->enc = buf;
    item->enc_len = hdr + plen;
    item->payload = buf + hdr;
    item->len = plen;
    item->is_list = is_list;
    *consumed = hdr + plen;
    return KILN_OK;
}

kiln_status kiln_rlp_decode(const uint8_t *buf, size_t len, kiln_rlp_item *item, char *err, size_t errlen) {
    size_t used;
    kiln_status st = kiln_rlp_decode_prefix(buf, len, item, &used, err, errlen);
    if (st != KILN_OK) return st;
    if (used != len)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: trailing bytes after the item");
    return KILN_OK;
}

kiln_status kiln_rlp_iter_init(kiln_rlp_iter *it, const kiln_rlp_item *list, char *err, size_t errlen) {
    if (!list->is_list) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: expected a list");
    it->p = list->payload;
    it->left = list->len;
    return KILN_OK;
}

int kiln_rlp_iter_done(const kiln_rlp_iter *it) {
    return it->left == 0;
}

kiln_status kiln_rlp_iter_next(kiln_rlp_iter *it, kiln_rlp_item *item, char *err, size_t errlen) {
    if (it->left == 0) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: too few list items");
    size_t used;
    kiln_status st = kiln_rlp_decode_prefix(it->p, it->left, item, &used, err, errlen);
    if (st != KILN_OK) return st;
    it->p += used;
    it->left -= used;
    return KILN_OK;
}

kiln_status kiln_rlp_list_count(const kiln_rlp_item *list, size_t *count, char *err, size_t errlen) {
    kiln_rlp_iter it;
    kiln_rlp_item x;
    kiln_status st = kiln_rlp_iter_init(&it, list, err, errlen);
    size_t n = 0;
    while (st == KILN_OK && !kiln_rlp_iter_done(&it)) {
        st = kiln_rlp_iter_next(&it, &x, err, errlen);
        n++;
    }
    if (st == KILN_OK) *count = n;
    return st;
}

static kiln_status check_int(const kiln_rlp_item *item, size_t max, char *err, size_t errlen) {
    if (item->is_list) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: integer is a list");
    if (item->len > max) return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: integer too large");
    if (item->len > 0 && item->payload[0] == 0)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: integer has a leading zero byte");
    return KILN_OK;
}

kiln_status kiln_rlp_get_u64(const kiln_rlp_item *item, uint64_t *v, char *err, size_t errlen) {
    kiln_status st = check_int(item, 8, err, errlen);
    if (st != KILN_OK) return st;
    uint64_t x = 0;
    for (size_t i = 0; i < item->len; i++)
        x = (x << 8) | item->payload[i];
    *v = x;
    return KILN_OK;
}

kiln_status kiln_rlp_get_u256_be(const kiln_rlp_item *item, uint8_t out[32], char *err, size_t errlen) {
    kiln_status st = check_int(item, 32, err, errlen);
    if (st != KILN_OK) return st;
    memset(out, 0, 32 - item->len);
    memcpy(out + 32 - item->len, item->payload, item->len);
    return KILN_OK;
}

kiln_status kiln_rlp_get_u256(const kiln_rlp_item *item, kiln_u256 *v, char *err, size_t errlen) {
    uint8_t be[32];
    kiln_status st = kiln_rlp_get_u256_be(item, be, err, errlen);
    if (st == KILN_OK) kiln_u256_from_be(v, be);
    return st;
}

kiln_status kiln_rlp_get_fixed(const kiln_rlp_item *item, uint8_t *out, size_t n, char *err, size_t errlen) {
    if (item->is_list)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: expected a string, got a list");
    if (item->len != n)
        return kiln_proto_fail(KILN_ERR_PARSE, err, errlen, "rlp: string has the wrong length");
    memcpy(out, item->payload, n);
    return KILN_OK;
}

size_t kiln_rlp_header(uint8_t out[9], size_t payload_len, int is_list) {
    uint8_t base = is_list ? 0xc0 : 0x80;
    if (payload_len < 56) {
        out[0] = (uint8_t)(base + payload_len);
        return 1;
    }
    uint8_t be[8];
    kiln_put_be64(be, (uint64_t)payload_len);
    unsigned skip = 0;
    while (be[skip] == 0)
        skip++; /* payload_len >= 56: some byte is non-zero */
    unsigned n = 8 - skip;
    out[0] = (uint8_t)(base + 55 + n);
    memcpy(out + 1, be + skip, n);
    return 1 + (size_t)n;
}

void kiln_rlp_enc_init(kiln_rlp_enc *e, uint8_t *buf, size_t cap) {
    e->buf = buf;
    e->cap = cap;
    e->len = 0;
    e->overflow = 0;
}

void kiln_rlp_enc_raw(kiln_rlp_enc *e, const uint8_t *p, size_t n) {
    if (!e->overflow && n <= e->cap - e->len) {
        if (n) memcpy(e->buf + e->len, p, n);
    } else {
        e->overflow = 1;
    }
    e->len += n;
}

void kiln_rlp_enc_bytes(kiln_rlp_enc *e, const uint8_t *p, size_t n) {
    if (n == 1 && p[0] < 0x80) {
        kiln_rlp_enc_raw(e, p, 1);
        return;
    }
    uint8_t h[9];
    kiln_rlp_enc_raw(e, h, kiln_rlp_header(h, n, 0));
    kiln_rlp_enc_raw(e, p, n);
}

void kiln_rlp_enc_u64(kiln_rlp_enc *e, uint64_t v) {
    uint8_t b[8];
    kiln_put_be64(b, v);
    size_t i = 0;
    while (i < 8 && b[i] == 0)
        i++;
    kiln_rlp_enc_bytes(e, b + i, 8 - i);
}

void kiln_rlp_enc_u256(kiln_rlp_enc *e, const kiln_u256 *v) {
    uint8_t b[32];
    kiln_u256_to_be(b, v);
    size_t i = 0;
    while (i < 32 && b[i] == 0)
        i++;
    kiln_rlp_enc_bytes(e, b + i, 32 - i);
}

void kiln_rlp_enc_list_header(kiln_rlp_enc *e, size_t payload_len) {
    uint8_t h[9];
    kiln_rlp_enc_raw(e, h, kiln_rlp_header(h, payload_len, 1));
}

kiln_status kiln_rlp_enc_finish(const kiln_rlp_enc *e, size_t *len, char *err, size_t errlen) {
    if (len) *len = e->len;
    if (e->overflow)
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "rlp: encoding does not fit the buffer");
    return KILN_OK;
}
