#include "sequencer/batch_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const uint8_t KILN_DEFAULT_OPERATOR[20] = {0xfe, 0xe0};

static kiln_status fail(char *err, size_t errlen, const char *fmt, const char *what) {
    if (err && errlen) snprintf(err, errlen, fmt, what);
    return KILN_ERR_PARSE;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static const char *strip0x(const char *s) {
    return (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? s + 2 : s;
}

int kiln_hex_to_fixed(const char *s, uint8_t *out, size_t n) {
    s = strip0x(s);
    if (strlen(s) != 2 * n) return 0;
    for (size_t i = 0; i < n; i++) {
        int h = hexval(s[2 * i]), l = hexval(s[2 * i + 1]);
        if (h < 0 || l < 0) return 0;
        out[i] = (uint8_t)(h << 4 | l);
    }
    return 1;
}

int kiln_hex_to_bytes(const char *s, uint8_t **out, size_t *len) {
    s = strip0x(s);
    size_t n = strlen(s);
    if (n % 2) return 0;
    uint8_t *b = (uint8_t *)malloc(n / 2 ? n / 2 : 1);
    if (!b || !kiln_hex_to_fixed(s, b, n / 2)) {
        free(b);
        return 0;
    }
    *out = b;
    *len = n / 2;
    return 1;
}

int kiln_quantity_to_be32(const char *s, uint8_t out[32]) {
    memset(out, 0, 32);
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        size_t n = strlen(s);
        if (n == 0 || n > 64) return 0;
        for (size_t i = 0; i < n; i++) {
            int v = hexval(s[n - 1 - i]);
            if (v < 0) return 0;
            out[31 - i / 2] |= (uint8_t)(v << (4 * (i % 2)));
        }
        return 1;
    }
    if (!*s) return 0;
    for (; *s; s++) { /* decimal: out = out * 10 + digit, with overflow detection */
        if (*s < '0' || *s > '9') return 0;
        unsigned carry = (unsigned)(*s - '0');
        for (int i = 31; i >= 0; i--) {
            unsigned v = out[i] * 10u + carry;
            out[i] = (uint8_t)v;
            carry = v >> 8;
        }
        if (carry) return 0;
    }
    return 1;
}

static int get_u64(json_t *v, uint64_t *out) {
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return 1;
    }
    uint8_t b[32];
    if (!json_is_string(v) || !kiln_quantity_to_be32(json_string_value(v), b)) return 0;
    for (int i = 0; i < 24; i++)
        if (b[i]) return 0;
    *out = 0;
    for (int i = 24; i < 32; i++)
        *out = *out << 8 | b[i];
    return 1;
}

static int get_quantity(json_t *v, uint8_t out[32]) {
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        memset(out, 0, 32);
        uint64_t x = (uint64_t)json_integer_value(v);
        for (int i = 31; i >= 24; i--, x >>= 8)
            out[i] = (uint8_t)x;
        return 1;
    }
    return json_is_string(v) && kiln_quantity_to_be32(json_string_value(v), out);
}

static int get_addr(json_t *v, uint8_t out[20]) {
    return json_is_string(v) && kiln_hex_to_fixed(json_string_value(v), out, 20);
}

void kiln_batch_json_free(kiln_batch_json *b) {
    for (size_t i = 0; i < b->n_blocks; i++) {
        for (size_t j = 0; j < b->blocks[i].n_txs; j++)
            free(b->blocks[i].txs[j].raw);
        free(b->blocks[i].txs);
    }
    free(b->blocks);
    free(b->genesis);
    free(b->deposits);
    memset(b, 0, sizeof *b);
}

static kiln_status parse(json_t *root, kiln_batch_json *b, char *err, size_t errlen) {
    if (!json_is_object(root)) return fail(err, errlen, "%s", "BATCH.json: the top level must be an object");
    if (!get_u64(json_object_get(root, "chain_id"), &b->chain_id) || b->chain_id == 0)
        return fail(err, errlen, "%s", "BATCH.json: chain_id must be a positive integer");
    memcpy(b->operator_addr, KILN_DEFAULT_OPERATOR, 20);
    json_t *v;
    if ((v = json_object_get(root, "operator")) && !get_addr(v, b->operator_addr))
        return fail(err, errlen, "%s", "BATCH.json: operator must be a 20-byte hex address");
    b->fair_l2_gas_price = KILN_DEFAULT_FAIR_L2_GAS_PRICE;
    b->fair_pubdata_price = KILN_DEFAULT_FAIR_PUBDATA_PRICE;
    if ((v = json_object_get(root, "fair_l2_gas_price")) && !get_u64(v, &b->fair_l2_gas_price))
        return fail(err, errlen, "%s", "BATCH.json: fair_l2_gas_price must be a u64");
    if ((v = json_object_get(root, "fair_pubdata_price")) && !get_u64(v, &b->fair_pubdata_price))
        return fail(err, errlen, "%s", "BATCH.json: fair_pubdata_price must be a u64");
    if (b->fair_l2_gas_price == 0) return fail(err, errlen, "%s", "BATCH.json: fair_l2_gas_price must be positive");

    json_t *gen = json_object_get(root, "genesis"), *bal = gen ? json_object_get(gen, "balances") : NULL;
    if (gen && (!json_is_object(gen) || (bal && !json_is_object(bal))))
        return fail(err, errlen, "%s", "BATCH.json: genesis.balances must be an object");
    if (bal && json_object_size(bal)) {
        b->genesis = (kiln_json_balance *)calloc(json_object_size(bal), sizeof *b->genesis);
        if (!b->genesis) return KILN_ERR_OUT_OF_MEMORY;
        const char *k;
        json_t *a;
        json_object_foreach(bal, k, a) {
            kiln_json_balance *g = &b->genesis[b->n_genesis++];
            if (!kiln_hex_to_fixed(k, g->addr, 20)) return fail(err, errlen, "BATCH.json: bad genesis address %s", k);
            if (!get_quantity(a, g->amount)) return fail(err, errlen, "BATCH.json: bad genesis balance for %s", k);
        }
    }

    json_t *blocks = json_object_get(root, "blocks");
    if (!json_is_array(blocks) || json_array_size(blocks) == 0)
        return fail(err, errlen, "%s", "BATCH.json: blocks must be a non-empty array");
    if (json_array_size(blocks) > 4000) return fail(err, errlen, "%s", "BATCH.json: too many blocks");
    b->blocks = (kiln_json_block *)calloc(json_array_size(blocks), sizeof *b->blocks);
    if (!b->blocks) return KILN_ERR_OUT_OF_MEMORY;
    size_t i;
    json_t *blk;
    json_array_foreach(blocks, i, blk) {
        kiln_json_block *o = &b->blocks[b->n_blocks++];
        json_t *txs = json_object_get(blk, "txs");
        if (!json_is_object(blk) || !get_u64(json_object_get(blk, "timestamp"), &o->timestamp) || o->timestamp == 0)
            return fail(err, errlen, "%s", "BATCH.json: each block needs a positive timestamp");
        if (txs && !json_is_array(txs)) return fail(err, errlen, "%s", "BATCH.json: block txs must be an array");
        size_t n = txs ? json_array_size(txs) : 0;
        if (n > 60000) return fail(err, errlen, "%s", "BATCH.json: too many transactions in a block");
        o->txs = (kiln_json_tx *)calloc(n ? n : 1, sizeof *o->txs);
        if (!o->txs) return KILN_ERR_OUT_OF_MEMORY;
        size_t j;
        json_t *t;
        json_array_foreach(txs, j, t) {
            kiln_json_tx *tx = &o->txs[o->n_txs];
            if (!json_is_string(t) || !kiln_hex_to_bytes(json_string_value(t), &tx->raw, &tx->len))
                return fail(err, errlen, "%s", "BATCH.json: a transaction must be a hex string");
            o->n_txs++;
        }
    }

    json_t *ops = json_object_get(root, "priority_ops");
    if (ops && !json_is_array(ops)) return fail(err, errlen, "%s", "BATCH.json: priority_ops must be an array");
    if (ops && json_array_size(ops)) {
        b->deposits = (kiln_json_deposit *)calloc(json_array_size(ops), sizeof *b->deposits);
        if (!b->deposits) return KILN_ERR_OUT_OF_MEMORY;
        json_t *op;
        json_array_foreach(ops, i, op) {
            kiln_json_deposit *d = &b->deposits[b->n_deposits++];
            json_t *type = json_object_get(op, "type");
            if (!json_is_string(type) || strcmp(json_string_value(type), "deposit") != 0)
                return fail(err, errlen, "%s", "BATCH.json: priority_ops entries must have \"type\": \"deposit\"");
            if (!get_addr(json_object_get(op, "to"), d->to))
                return fail(err, errlen, "%s", "BATCH.json: a deposit needs a 20-byte \"to\" address");
            if (!get_quantity(json_object_get(op, "amount"), d->amount))
                return fail(err, errlen, "%s", "BATCH.json: a deposit needs an \"amount\"");
            memcpy(d->from, d->to, 20);
            if ((v = json_object_get(op, "from")) && !get_addr(v, d->from))
                return fail(err, errlen, "%s", "BATCH.json: a deposit's \"from\" must be a 20-byte address");
        }
    }
    return KILN_OK;
}

kiln_status kiln_batch_json_parse(const char *text, size_t len, kiln_batch_json *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (err && errlen) snprintf(err, errlen, "BATCH.json: line %d: %s", je.line, je.text);
        return KILN_ERR_PARSE;
    }
    kiln_status st = parse(root, out, err, errlen);
    json_decref(root);
    if (st != KILN_OK) kiln_batch_json_free(out);
    return st;
}
