/* L2 transaction envelopes: decoding, hashes, sender recovery, intrinsic gas and limits (tx.h). */
#include "tx.h"

#include "keccak/keccak.h"
#include "rlp.h"
#include "secp256k1.h"

#define FAIL(st, msg) kiln_proto_fail((st), err, errlen, (msg))
#define TRY(x)                                                                                               \
    do {                                                                                                     \
        kiln_status st_ = (x);                                                                               \
        if (st_ != KILN_OK) return st_;                                                                      \
    } while (0)

/* The secp256k1 group order n, big-endian. */
static const uint8_t SECP_N[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                   0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

/* Splits a list into exactly n items (too few or too many is an error). */
static kiln_status take_items(const kiln_rlp_item *list, kiln_rlp_item *items, size_t n, char *err,
                              size_t errlen) {
    kiln_rlp_iter it;
    TRY(kiln_rlp_iter_init(&it, list, err, errlen));
    for (size_t i = 0; i < n; i++) {
        if (kiln_rlp_iter_done(&it)) return FAIL(KILN_ERR_PARSE, "tx: too few fields");
        TRY(kiln_rlp_iter_next(&it, &items[i], err, errlen));
    }
    if (!kiln_rlp_iter_done(&it)) return FAIL(KILN_ERR_PARSE, "tx: too many fields");
    return KILN_OK;
}

static kiln_status get_string(const kiln_rlp_item *item, const uint8_t **p, size_t *len, char *err,
                              size_t errlen) {
    if (item->is_list) return FAIL(KILN_ERR_PARSE, "tx: expected bytes, got a list");
    *p = item->payload;
    *len = item->len;
    return KILN_OK;
}

/* An optional address: empty (none) or exactly 20 bytes. */
static kiln_status get_opt_address(const kiln_rlp_item *item, int *present, uint8_t out[20], char *err,
                                   size_t errlen) {
    if (item->is_list) return FAIL(KILN_ERR_PARSE, "tx: address is a list");
    if (item->len == 0) {
        *present = 0;
        memset(out, 0, 20);
        return KILN_OK;
    }
    if (item->len != 20) return FAIL(KILN_ERR_PARSE, "tx: address is not 20 bytes");
    *present = 1;
    memcpy(out, item->payload, 20);
    return KILN_OK;
}

/* [[address, [key, ...]], ...]: counts addresses and keys. */
static kiln_status parse_access_list(const kiln_rlp_item *al, kiln_tx *tx, char *err, size_t errlen) {
    kiln_rlp_iter it, kit;
    kiln_rlp_item entry, parts[2], key;
    uint8_t tmp[32];
    if (!al->is_list) return FAIL(KILN_ERR_PARSE, "tx: access list is not a list");
    tx->access_list = al->enc;
    tx->access_list_len = al->enc_len;
    tx->access_list_addresses = 0;
    tx->access_list_keys = 0;
    TRY(kiln_rlp_iter_init(&it, al, err, errlen));
    while (!kiln_rlp_iter_done(&it)) {
        TRY(kiln_rlp_iter_next(&it, &entry, err, errlen));
        if (!entry.is_list) return FAIL(KILN_ERR_PARSE, "tx: access list entry is not a list");
        TRY(take_items(&entry, parts, 2, err, errlen));
        if (parts[0].is_list || parts[0].len != 20)
            return FAIL(KILN_ERR_PARSE, "tx: access list address is not 20 bytes");
        if (!parts[1].is_list) return FAIL(KILN_ERR_PARSE, "tx: access list keys are not a list");
        tx->access_list_addresses++;
        TRY(kiln_rlp_iter_init(&kit, &parts[1], err, errlen));
        while (!kiln_rlp_iter_done(&kit)) {
            TRY(kiln_rlp_iter_next(&kit, &key, err, errlen));
            if (key.is_list || key.len != 32) return FAIL(KILN_ERR_PARSE, "tx: storage key is not 32 bytes");
            (void)tmp;
            tx->access_list_keys++;
        }
    }
    return KILN_OK;
}

/* keccak256(prefix ‖ rlp_list(span ‖ extra)) where span is the items first..last (contiguous in the input).
 */
static void hash_list(int type_byte, const kiln_rlp_item *first, const kiln_rlp_item *last,
                      const uint8_t *extra, size_t extra_len, uint8_t out[32]) {
    kiln_keccak256_ctx c;
    uint8_t h[9];
    size_t span = (size_t)(last->enc + last->enc_len - first->enc);
    kiln_keccak256_init(&c);
    if (type_byte >= 0) {
        uint8_t t = (uint8_t)type_byte;
        kiln_keccak256_update(&c, &t, 1);
    }
    kiln_keccak256_update(&c, h, kiln_rlp_header(h, span + extra_len, 1));
    kiln_keccak256_update(&c, first->enc, span);
    if (extra_len) kiln_keccak256_update(&c, extra, extra_len);
    kiln_keccak256_final(&c, out);
}

static kiln_status decode_legacy(const kiln_rlp_item *list, kiln_tx *tx, char *err, size_t errlen) {
    kiln_rlp_item f[9];
    TRY(take_items(list, f, 9, err, errlen));
    TRY(kiln_rlp_get_u64(&f[0], &tx->nonce, err, errlen));
    TRY(kiln_rlp_get_u256(&f[1], &tx->max_fee_per_gas, err, errlen));
    tx->max_priority_fee_per_gas = tx->max_fee_per_gas;
    TRY(kiln_rlp_get_u64(&f[2], &tx->gas_limit, err, errlen));
    TRY(get_opt_address(&f[3], &tx->has_to, tx->to, err, errlen));
    TRY(kiln_rlp_get_u256(&f[4], &tx->value, err, errlen));
    TRY(get_string(&f[5], &tx->data, &tx->data_len, err, errlen));
    TRY(kiln_rlp_get_u64(&f[6], &tx->v, err, errlen));
    TRY(kiln_rlp_get_u256_be(&f[7], tx->r, err, errlen));
    TRY(kiln_rlp_get_u256_be(&f[8], tx->s, err, errlen));
    if (tx->v == 27 || tx->v == 28) {
        tx->has_chain_id = 0;
        tx->y_parity = (int)(tx->v - 27);
        hash_list(-1, &f[0], &f[5], NULL, 0, tx->signing_hash);
    } else if (tx->v >= 35) {
        tx->has_chain_id = 1;
        tx->chain_id = (tx->v - 35) / 2;
        tx->y_parity = (int)((tx->v - 35) & 1);
        uint8_t extra[11];
        kiln_rlp_enc e;
        kiln_rlp_enc_init(&e, extra, sizeof extra);
        kiln_rlp_enc_u64(&e, tx->chain_id);
        kiln_rlp_enc_u64(&e, 0);
        kiln_rlp_enc_u64(&e, 0);
        hash_list(-1, &f[0], &f[5], extra, e.len, tx->signing_hash);
    } else {
        return FAIL(KILN_ERR_PARSE, "tx: legacy v is neither 27/28 nor 35 + 2 chainId + parity");
    }
    return KILN_OK;
}

/* 0x01 and 0x02. */
static kiln_status decode_typed(const kiln_rlp_item *list, kiln_tx *tx, char *err, size_t errlen) {
    kiln_rlp_item f[12];
    size_t n = tx->type == KILN_TX_EIP1559 ? 12 : 11;
    size_t i = 0;
    TRY(take_items(list, f, n, err, errlen));
    tx->has_chain_id = 1;
    TRY(kiln_rlp_get_u64(&f[i++], &tx->chain_id, err, errlen));
    TRY(kiln_rlp_get_u64(&f[i++], &tx->nonce, err, errlen));
    if (tx->type == KILN_TX_EIP1559) {
        TRY(kiln_rlp_get_u256(&f[i++], &tx->max_priority_fee_per_gas, err, errlen));
        TRY(kiln_rlp_get_u256(&f[i++], &tx->max_fee_per_gas, err, errlen));
    } else {
        TRY(kiln_rlp_get_u256(&f[i++], &tx->max_fee_per_gas, err, errlen));
        tx->max_priority_fee_per_gas = tx->max_fee_per_gas;
    }
    TRY(kiln_rlp_get_u64(&f[i++], &tx->gas_limit, err, errlen));
    TRY(get_opt_address(&f[i++], &tx->has_to, tx->to, err, errlen));
    TRY(kiln_rlp_get_u256(&f[i++], &tx->value, err, errlen));
    TRY(get_string(&f[i++], &tx->data, &tx->data_len, err, errlen));
    TRY(parse_access_list(&f[i++], tx, err, errlen));
    TRY(kiln_rlp_get_u64(&f[i++], &tx->v, err, errlen));
    if (tx->v > 1) return FAIL(KILN_ERR_PARSE, "tx: y parity is not 0 or 1");
    tx->y_parity = (int)tx->v;
    TRY(kiln_rlp_get_u256_be(&f[i++], tx->r, err, errlen));
    TRY(kiln_rlp_get_u256_be(&f[i++], tx->s, err, errlen));
    hash_list(tx->type, &f[0], &f[n - 4], NULL, 0, tx->signing_hash);
    return KILN_OK;
}

static const char EIP712_DOMAIN_TYPE[] = "EIP712Domain(string name,string version,uint256 chainId)";
static const char EIP712_TX_TYPE[] =
    "Transaction(uint256 txType,uint256 from,uint256 to,uint256 gasLimit,uint256 gasPerPubdataByteLimit,"
    "uint256 maxFeePerGas,uint256 maxPriorityFeePerGas,uint256 paymaster,uint256 nonce,uint256 value,bytes "
    "data,"
    "bytes32[] factoryDeps,bytes paymasterInput)";

void kiln_tx_eip712_domain_separator(uint64_t chain_id, uint8_t out[32]) {
    uint8_t w[128];
    memset(w, 0, sizeof w);
    kiln_keccak256(EIP712_DOMAIN_TYPE, sizeof EIP712_DOMAIN_TYPE - 1, w);
    kiln_keccak256("zkSync", 6, w + 32);
    kiln_keccak256("2", 1, w + 64);
    kiln_put_be64(w + 120, chain_id);
    kiln_keccak256(w, sizeof w, out);
}

static void put_word_u256(uint8_t *w, const kiln_u256 *v) {
    kiln_u256_to_be(w, v);
}
static void put_word_u64(uint8_t *w, uint64_t v) {
    memset(w, 0, 24);
    kiln_put_be64(w + 24, v);
}
static void put_word_addr(uint8_t *w, const uint8_t a[20]) {
    memset(w, 0, 12);
    memcpy(w + 12, a, 20);
}

static void eip712_hashes(kiln_tx *tx, const uint8_t (*dep_hashes)[32], uint32_t count) {
    uint8_t w[14 * 32], zero[20];
    memset(zero, 0, sizeof zero);
    kiln_keccak256(EIP712_TX_TYPE, sizeof EIP712_TX_TYPE - 1, w);
    put_word_u64(w + 32, KILN_TX_EIP712);
    put_word_addr(w + 64, tx->from);
    put_word_addr(w + 96, tx->has_to ? tx->to : zero);
    put_word_u64(w + 128, tx->gas_limit);
    put_word_u256(w + 160, &tx->gas_per_pubdata);
    put_word_u256(w + 192, &tx->max_fee_per_gas);
    put_word_u256(w + 224, &tx->max_priority_fee_per_gas);
    put_word_addr(w + 256, tx->has_paymaster ? tx->paymaster : zero);
    put_word_u64(w + 288, tx->nonce);
    put_word_u256(w + 320, &tx->value);
    kiln_keccak256(tx->data, tx->data_len, w + 352);
    kiln_keccak256(dep_hashes, (size_t)count * 32, w + 384);
    kiln_keccak256(tx->paymaster_input, tx->paymaster_input_len, w + 416);
    uint8_t msg[66], sigh[32];
    msg[0] = 0x19;
    msg[1] = 0x01;
    kiln_tx_eip712_domain_separator(tx->chain_id, msg + 2);
    kiln_keccak256(w, sizeof w, msg + 34);
    kiln_keccak256(msg, sizeof msg, tx->signing_hash);
    if (tx->custom_signature_len)
        kiln_keccak256(tx->custom_signature, tx->custom_signature_len, sigh);
    else
        kiln_keccak256(tx->signature65, 65, sigh);
    uint8_t both[64];
    memcpy(both, tx->signing_hash, 32);
    memcpy(both + 32, sigh, 32);
    kiln_keccak256(both, 64, tx->hash);
    tx->hashes_pending = 0;
}

kiln_status kiln_tx_eip712_set_dep_hashes(kiln_tx *tx, const uint8_t (*dep_hashes)[32], uint32_t count,
                                          char *err, size_t errlen) {
    if (tx->type != KILN_TX_EIP712) return FAIL(KILN_ERR_INVALID_ARG, "tx: not an EIP-712 transaction");
    if (count != tx->factory_dep_count)
        return FAIL(KILN_ERR_INVALID_ARG, "tx: factory dep hash count differs");
    eip712_hashes(tx, dep_hashes, count);
    return KILN_OK;
}

static kiln_status decode_eip712(const kiln_rlp_item *list, kiln_tx *tx, char *err, size_t errlen) {
    kiln_rlp_item f[16], x;
    kiln_rlp_iter it;
    TRY(take_items(list, f, 16, err, errlen));
    TRY(kiln_rlp_get_u64(&f[0], &tx->nonce, err, errlen));
    TRY(kiln_rlp_get_u256(&f[1], &tx->max_priority_fee_per_gas, err, errlen));
    TRY(kiln_rlp_get_u256(&f[2], &tx->max_fee_per_gas, err, errlen));
    TRY(kiln_rlp_get_u64(&f[3], &tx->gas_limit, err, errlen));
    TRY(get_opt_address(&f[4], &tx->has_to, tx->to, err, errlen));
    TRY(kiln_rlp_get_u256(&f[5], &tx->value, err, errlen));
    TRY(get_string(&f[6], &tx->data, &tx->data_len, err, errlen));
    TRY(kiln_rlp_get_u64(&f[7], &tx->v, err, errlen));
    TRY(kiln_rlp_get_u256_be(&f[8], tx->r, err, errlen));
    TRY(kiln_rlp_get_u256_be(&f[9], tx->s, err, errlen));
    tx->has_chain_id = 1;
    TRY(kiln_rlp_get_u64(&f[10], &tx->chain_id, err, errlen));
    TRY(kiln_rlp_get_fixed(&f[11], tx->from, 20, err, errlen));
    TRY(kiln_rlp_get_u256(&f[12], &tx->gas_per_pubdata, err, errlen));
    /* Factory deps: a list of raw bytecodes. */
    if (!f[13].is_list) return FAIL(KILN_ERR_PARSE, "tx: factory deps are not a list");
    tx->factory_deps = f[13].enc;
    tx->factory_deps_len = f[13].enc_len;
    tx->factory_dep_count = 0;
    TRY(kiln_rlp_iter_init(&it, &f[13], err, errlen));
    while (!kiln_rlp_iter_done(&it)) {
        TRY(kiln_rlp_iter_next(&it, &x, err, errlen));
        if (x.is_list) return FAIL(KILN_ERR_PARSE, "tx: a factory dep is a list");
        if (++tx->factory_dep_count > KILN_TX_MAX_FACTORY_DEPS)
            return FAIL(KILN_ERR_LIMIT, "tx: more than 64 factory deps");
    }
    /* Custom signature: bytes, empty when absent. */
    TRY(get_string(&f[14], &tx->custom_signature, &tx->custom_signature_len, err, errlen));
    if (tx->custom_signature_len > KILN_TX_MAX_CUSTOM_SIGNATURE)
        return FAIL(KILN_ERR_LIMIT, "tx: custom signature over 4096 bytes");
    if (tx->custom_signature_len == 0) tx->custom_signature = NULL;
    /* Paymaster params: [] or [paymaster, input]. */
    if (!f[15].is_list) return FAIL(KILN_ERR_PARSE, "tx: paymaster params are not a list");
    tx->has_paymaster = 0;
    tx->paymaster_input = NULL;
    tx->paymaster_input_len = 0;
    if (f[15].len) {
        kiln_rlp_item pp[2];
        TRY(take_items(&f[15], pp, 2, err, errlen));
        TRY(kiln_rlp_get_fixed(&pp[0], tx->paymaster, 20, err, errlen));
        TRY(get_string(&pp[1], &tx->paymaster_input, &tx->paymaster_input_len, err, errlen));
        tx->has_paymaster = 1;
    }
    /* The signature: v as 0/1 or 27/28 unless a custom signature replaces it. */
    if (tx->v == 0 || tx->v == 1)
        tx->y_parity = (int)tx->v;
    else if (tx->v == 27 || tx->v == 28)
        tx->y_parity = (int)(tx->v - 27);
    else if (tx->custom_signature_len == 0)
        return FAIL(KILN_ERR_PARSE, "tx: EIP-712 v is not 0, 1, 27 or 28");
    else
        tx->y_parity = -1;
    memcpy(tx->signature65, tx->r, 32);
    memcpy(tx->signature65 + 32, tx->s, 32);
    tx->signature65[64] = (uint8_t)(27 + (tx->y_parity < 0 ? 0 : tx->y_parity));
    if (tx->factory_dep_count == 0)
        eip712_hashes(tx, NULL, 0);
    else
        tx->hashes_pending = 1;
    return KILN_OK;
}

kiln_status kiln_tx_decode(const uint8_t *raw, size_t len, kiln_tx *tx, char *err, size_t errlen) {
    kiln_rlp_item list;
    memset(tx, 0, sizeof *tx);
    if (len > KILN_TX_MAX_RAW) return FAIL(KILN_ERR_LIMIT, "tx: raw transaction over 128 KiB");
    if (len == 0) return FAIL(KILN_ERR_PARSE, "tx: empty input");
    uint8_t t = raw[0];
    if (t >= 0xc0) {
        tx->type = KILN_TX_LEGACY;
        TRY(kiln_rlp_decode(raw, len, &list, err, errlen));
        TRY(decode_legacy(&list, tx, err, errlen));
    } else if (t == KILN_TX_EIP2930 || t == KILN_TX_EIP1559 || t == KILN_TX_EIP712) {
        tx->type = t;
        TRY(kiln_rlp_decode(raw + 1, len - 1, &list, err, errlen));
        if (!list.is_list) return FAIL(KILN_ERR_PARSE, "tx: typed payload is not a list");
        if (t == KILN_TX_EIP712)
            TRY(decode_eip712(&list, tx, err, errlen));
        else
            TRY(decode_typed(&list, tx, err, errlen));
    } else if (t < 0x80) {
        return FAIL(KILN_ERR_UNSUPPORTED, "tx: unsupported transaction type");
    } else {
        return FAIL(KILN_ERR_PARSE, "tx: neither a list nor a typed envelope");
    }
    if (tx->type != KILN_TX_EIP712) kiln_keccak256(raw, len, tx->hash);
    return KILN_OK;
}

static int is_zero32(const uint8_t *a) {
    uint8_t x = 0;
    for (int i = 0; i < 32; i++)
        x |= a[i];
    return x == 0;
}

kiln_status kiln_tx_signature_check(const kiln_tx *tx, char *err, size_t errlen) {
    if (tx->type == KILN_TX_EIP712 && tx->custom_signature_len)
        return FAIL(KILN_ERR_UNSUPPORTED, "tx: custom signature: the account validates it");
    if (tx->hashes_pending) return FAIL(KILN_ERR_INVALID_ARG, "tx: factory dep hashes not set");
    if (tx->y_parity != 0 && tx->y_parity != 1) return FAIL(KILN_ERR_VERIFY, "tx: bad signature v");
    if (is_zero32(tx->r) || memcmp(tx->r, SECP_N, 32) >= 0)
        return FAIL(KILN_ERR_VERIFY, "tx: signature r out of range");
    if (is_zero32(tx->s) || memcmp(tx->s, SECP_N, 32) >= 0)
        return FAIL(KILN_ERR_VERIFY, "tx: signature s out of range");
    if (!kiln_secp256k1_s_is_low(tx->s)) return FAIL(KILN_ERR_VERIFY, "tx: signature s is high (EIP-2)");
    return KILN_OK;
}

/* The sender, recovered plainly (hint NULL) or with a checked hint. */
static kiln_status sender(const kiln_tx *tx, const kiln_secp256k1_hint *hint, uint8_t from[20], char *err,
                          size_t errlen) {
    kiln_status st = kiln_tx_signature_check(tx, err, errlen);
    if (st != KILN_OK) return st;
    uint8_t pub[64], addr[20];
    st = hint ? kiln_secp256k1_recover_hinted_var(tx->signing_hash, tx->r, tx->s, tx->y_parity, hint, pub)
              : kiln_secp256k1_recover_var(tx->signing_hash, tx->r, tx->s, tx->y_parity, pub);
    if (st == KILN_ERR_INTERNAL) return FAIL(KILN_ERR_INTERNAL, "tx: the recovery hint does not check");
    if (st != KILN_OK) return FAIL(KILN_ERR_VERIFY, "tx: no public key recovers from the signature");
    kiln_secp256k1_address(pub, addr);
    if (tx->type == KILN_TX_EIP712 && memcmp(addr, tx->from, 20) != 0)
        return FAIL(KILN_ERR_VERIFY, "tx: signature does not recover to the from address");
    memcpy(from, addr, 20);
    return KILN_OK;
}

kiln_status kiln_tx_sender(const kiln_tx *tx, uint8_t from[20], char *err, size_t errlen) {
    return sender(tx, NULL, from, err, errlen);
}

kiln_status kiln_tx_sender_hinted(const kiln_tx *tx, const kiln_secp256k1_hint *hint, uint8_t from[20], char *err,
                                  size_t errlen) {
    return sender(tx, hint, from, err, errlen);
}

uint64_t kiln_tx_intrinsic_gas(const kiln_tx *tx) {
    uint64_t g = 21000;
    for (size_t i = 0; i < tx->data_len; i++)
        g += tx->data[i] ? 16 : 4;
    if (!tx->has_to) g += 32000 + 2 * (((uint64_t)tx->data_len + 31) / 32);
    g += 2400 * (uint64_t)tx->access_list_addresses + 1900 * (uint64_t)tx->access_list_keys;
    return g;
}

kiln_status kiln_tx_check_limits(const kiln_tx *tx, uint64_t chain_id, char *err, size_t errlen) {
    if (tx->has_chain_id && tx->chain_id != chain_id) return FAIL(KILN_ERR_VERIFY, "tx: wrong chain id");
    if (tx->nonce == UINT64_MAX) return FAIL(KILN_ERR_VERIFY, "tx: nonce is 2^64 - 1 (EIP-2681)");
    if (kiln_u256_cmp(&tx->max_priority_fee_per_gas, &tx->max_fee_per_gas) > 0)
        return FAIL(KILN_ERR_VERIFY, "tx: max priority fee above max fee");
    kiln_u256 product;
    if (kiln_u256_mul_u64(&product, &tx->max_fee_per_gas, tx->gas_limit))
        return FAIL(KILN_ERR_VERIFY, "tx: gas limit * max fee overflows 256 bits");
    if (!tx->has_to && tx->data_len > KILN_TX_MAX_INITCODE)
        return FAIL(KILN_ERR_VERIFY, "tx: initcode over 49152 bytes (EIP-3860)");
    if (tx->gas_limit < kiln_tx_intrinsic_gas(tx))
        return FAIL(KILN_ERR_VERIFY, "tx: gas limit below intrinsic gas");
    return KILN_OK;
}
