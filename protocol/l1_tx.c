/* L1→L2 priority transactions: ABI encoding, canonical hash, address alias (l1_tx.h). */
#include "l1_tx.h"

#include "keccak/keccak.h"

/* Where encoded bytes go: a buffer (with a capacity) or a Keccak context. */
typedef struct sink {
    uint8_t *buf;
    size_t cap;
    size_t len;
    kiln_keccak256_ctx *hash;
} sink;

static void emit(sink *k, const void *p, size_t n) {
    if (k->hash) {
        kiln_keccak256_update(k->hash, p, n);
    } else if (n) {
        memcpy(k->buf + k->len, p, n);
    }
    k->len += n;
}

static void emit_zeros(sink *k, size_t n) {
    static const uint8_t z[32] = {0};
    while (n) {
        size_t c = n < 32 ? n : 32;
        emit(k, z, c);
        n -= c;
    }
}

static void emit_word_size(sink *k, size_t v) {
    uint8_t w[32];
    memset(w, 0, 24);
    kiln_put_be64(w + 24, (uint64_t)v);
    emit(k, w, 32);
}

static void emit_u256(sink *k, const kiln_u256 *v) {
    uint8_t w[32];
    kiln_u256_to_be(w, v);
    emit(k, w, 32);
}

static size_t pad32(size_t n) {
    return (n + 31) & ~(size_t)31;
}

static void emit_bytes_tail(sink *k, const uint8_t *p, size_t n) {
    emit_word_size(k, n);
    emit(k, p, n);
    emit_zeros(k, pad32(n) - n);
}

void kiln_l1_tx_set_address(kiln_u256 *field, const uint8_t addr[20]) {
    uint8_t w[32];
    memset(w, 0, 12);
    memcpy(w + 12, addr, 20);
    kiln_u256_from_be(field, w);
}

#define HEAD_WORDS 19u

/* Tail sizes of the five dynamic fields, in order. */
static kiln_status tails(const kiln_l1_tx *tx, size_t t[5], char *err, size_t errlen) {
    if (tx->data_len > KILN_L1_TX_MAX_FIELD || tx->signature_len > KILN_L1_TX_MAX_FIELD ||
        tx->factory_dep_count > KILN_L1_TX_MAX_FIELD || tx->paymaster_input_len > KILN_L1_TX_MAX_FIELD ||
        tx->reserved_dynamic_len > KILN_L1_TX_MAX_FIELD)
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "l1 tx: a dynamic field is over 2^24 bytes");
    t[0] = 32 + pad32(tx->data_len);
    t[1] = 32 + pad32(tx->signature_len);
    t[2] = 32 + 32 * tx->factory_dep_count;
    t[3] = 32 + pad32(tx->paymaster_input_len);
    t[4] = 32 + pad32(tx->reserved_dynamic_len);
    return KILN_OK;
}

kiln_status kiln_l1_tx_abi_len(const kiln_l1_tx *tx, size_t *len, char *err, size_t errlen) {
    size_t t[5] = {0};
    kiln_status st = tails(tx, t, err, errlen);
    if (st != KILN_OK) return st;
    *len = 32 + 32 * HEAD_WORDS + t[0] + t[1] + t[2] + t[3] + t[4];
    return KILN_OK;
}

static void encode(const kiln_l1_tx *tx, const size_t t[5], sink *k) {
    emit_word_size(k, 32); /* the tuple is dynamic: abi.encode starts with its offset */
    const kiln_u256 *stat[10] = {&tx->tx_type,
                                 &tx->from,
                                 &tx->to,
                                 &tx->gas_limit,
                                 &tx->gas_per_pubdata_byte_limit,
                                 &tx->max_fee_per_gas,
                                 &tx->max_priority_fee_per_gas,
                                 &tx->paymaster,
                                 &tx->nonce,
                                 &tx->value};
    for (int i = 0; i < 10; i++)
        emit_u256(k, stat[i]);
    for (int i = 0; i < 4; i++)
        emit_u256(k, &tx->reserved[i]);
    size_t off = 32 * HEAD_WORDS;
    for (int i = 0; i < 5; i++) {
        emit_word_size(k, off);
        off += t[i];
    }
    emit_bytes_tail(k, tx->data, tx->data_len);
    emit_bytes_tail(k, tx->signature, tx->signature_len);
    emit_word_size(k, tx->factory_dep_count);
    for (size_t i = 0; i < tx->factory_dep_count; i++)
        emit(k, tx->factory_deps[i], 32);
    emit_bytes_tail(k, tx->paymaster_input, tx->paymaster_input_len);
    emit_bytes_tail(k, tx->reserved_dynamic, tx->reserved_dynamic_len);
}

kiln_status kiln_l1_tx_abi_encode(const kiln_l1_tx *tx, uint8_t *out, size_t cap, size_t *len, char *err,
                                  size_t errlen) {
    size_t t[5] = {0}, need;
    kiln_status st = tails(tx, t, err, errlen);
    if (st != KILN_OK) return st;
    need = 32 + 32 * HEAD_WORDS + t[0] + t[1] + t[2] + t[3] + t[4];
    *len = need;
    if (need > cap)
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "l1 tx: ABI encoding does not fit the buffer");
    sink k = {out, cap, 0, NULL};
    encode(tx, t, &k);
    return KILN_OK;
}

kiln_status kiln_l1_tx_hash(const kiln_l1_tx *tx, uint8_t out[32], char *err, size_t errlen) {
    size_t t[5] = {0};
    kiln_status st = tails(tx, t, err, errlen);
    if (st != KILN_OK) return st;
    kiln_keccak256_ctx c;
    kiln_keccak256_init(&c);
    sink k = {NULL, 0, 0, &c};
    encode(tx, t, &k);
    kiln_keccak256_final(&c, out);
    return KILN_OK;
}
