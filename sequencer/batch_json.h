/* BATCH.json, the input of `kiln batch run` (docs/formats.md, "BATCH.json"): a chain id, the genesis balances
 * (used when the state directory is new), L2 blocks with raw signed transactions, and priority operations
 * (deposits) as L1 would queue them. Parsing checks every field and never aborts on bad input. */
#ifndef KILN_SEQ_BATCH_JSON_H
#define KILN_SEQ_BATCH_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_json_balance {
    uint8_t addr[20];
    uint8_t amount[32]; /* big-endian */
} kiln_json_balance;

typedef struct kiln_json_tx {
    uint8_t *raw;
    size_t len;
} kiln_json_tx;

typedef struct kiln_json_block {
    uint64_t timestamp;
    kiln_json_tx *txs;
    size_t n_txs;
} kiln_json_block;

typedef struct kiln_json_deposit {
    uint8_t from[20]; /* the L1 sender (aliased if a contract); defaults to `to` */
    uint8_t to[20];
    uint8_t amount[32];
} kiln_json_deposit;

typedef struct kiln_batch_json {
    uint64_t chain_id;
    uint8_t operator_addr[20];
    uint64_t fair_l2_gas_price, fair_pubdata_price;
    kiln_json_balance *genesis;
    size_t n_genesis;
    kiln_json_block *blocks;
    size_t n_blocks;
    kiln_json_deposit *deposits;
    size_t n_deposits;
} kiln_batch_json;

#define KILN_DEFAULT_FAIR_L2_GAS_PRICE 100000000ull  /* 0.1 gwei */
#define KILN_DEFAULT_FAIR_PUBDATA_PRICE 1000000000ull /* 1 gwei per byte */
extern const uint8_t KILN_DEFAULT_OPERATOR[20];

kiln_status kiln_batch_json_parse(const char *text, size_t len, kiln_batch_json *out, char *err, size_t errlen);
void kiln_batch_json_free(kiln_batch_json *b);

/* Hex helpers shared by the batch tools: "0x"-prefixed (or bare) hex of exactly n bytes / of any even length. */
int kiln_hex_to_fixed(const char *s, uint8_t *out, size_t n);
int kiln_hex_to_bytes(const char *s, uint8_t **out, size_t *len);
/* A quantity "0x…" (up to 32 bytes) or a decimal string/number, into 32 big-endian bytes. */
int kiln_quantity_to_be32(const char *s, uint8_t out[32]);

#ifdef __cplusplus
}
#endif
#endif
