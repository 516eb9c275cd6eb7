/* RLP (Ethereum's Recursive Length Prefix): a strict decoder over a byte span and a small encoder into a
 * caller buffer. The decoder accepts canonical encodings only (what Ethereum clients require of
 * transactions): a single byte below 0x80 is never wrapped, lengths use the short form below 56 bytes and
 * have no leading zero bytes, every item lies within its parent, and a whole input is exactly one item with
 * nothing after it. */
#ifndef KILN_PROTO_RLP_H
#define KILN_PROTO_RLP_H

#include "proto_base.h"
#include "uint256.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One decoded item: its payload (string bytes, or a list's concatenated items) and its whole encoding. */
typedef struct kiln_rlp_item {
    const uint8_t *enc;     /* first byte of the item's encoding (its prefix) */
    size_t enc_len;         /* prefix + payload */
    const uint8_t *payload; /* string bytes or the list's items */
    size_t len;             /* payload length */
    int is_list;
} kiln_rlp_item;

/* Decodes the item at the start of buf[0..len) and sets *consumed to its encoded length (bytes may follow).
 */
kiln_status kiln_rlp_decode_prefix(const uint8_t *buf, size_t len, kiln_rlp_item *item, size_t *consumed,
                                   char *err, size_t errlen);
/* Decodes buf as exactly one item: trailing bytes are an error. */
kiln_status kiln_rlp_decode(const uint8_t *buf, size_t len, kiln_rlp_item *item, char *err, size_t errlen);

/* Iterates over a list's items. */
typedef struct kiln_rlp_iter {
    const uint8_t *p;
    size_t left;
} kiln_rlp_iter;

/* KILN_ERR_PARSE when list is not a list. */
kiln_status kiln_rlp_iter_init(kiln_rlp_iter *it, const kiln_rlp_item *list, char *err, size_t errlen);
/* 1 when no items are left. */
int kiln_rlp_iter_done(const kiln_rlp_iter *it);
/* The next item (KILN_ERR_PARSE when none is left or it is malformed). */
kiln_status kiln_rlp_iter_next(kiln_rlp_iter *it, kiln_rlp_item *item, char *err, size_t errlen);
/* Counts a list's items, checking that each is well formed (not their contents). */
kiln_status kiln_rlp_list_count(const kiln_rlp_item *list, size_t *count, char *err, size_t errlen);

/* Integers, Ethereum's rules: a string (not a list) of big-endian bytes with no leading zero byte (zero is
 * the empty string), at most 8 (u64) or 32 (u256) bytes. */
kiln_status kiln_rlp_get_u64(const kiln_rlp_item *item, uint64_t *v, char *err, size_t errlen);
kiln_status kiln_rlp_get_u256(const kiln_rlp_item *item, kiln_u256 *v, char *err, size_t errlen);
/* The same integer rules, written as 32 big-endian bytes. */
kiln_status kiln_rlp_get_u256_be(const kiln_rlp_item *item, uint8_t out[32], char *err, size_t errlen);
/* A string of exactly n bytes (addresses, hashes). */
kiln_status kiln_rlp_get_fixed(const kiln_rlp_item *item, uint8_t *out, size_t n, char *err, size_t errlen);

/* Encoder: appends to buf[0..cap). Once an append does not fit, the encoder stays in overflow and later
 * appends write nothing; len keeps counting the bytes the encoding needs. kiln_rlp_enc_finish reports the
 * overflow. */
typedef struct kiln_rlp_enc {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int overflow;
} kiln_rlp_enc;

void kiln_rlp_enc_init(kiln_rlp_enc *e, uint8_t *buf, size_t cap);
void kiln_rlp_enc_raw(kiln_rlp_enc *e, const uint8_t *p, size_t n);   /* bytes as they are */
void kiln_rlp_enc_bytes(kiln_rlp_enc *e, const uint8_t *p, size_t n); /* a string item */
void kiln_rlp_enc_u64(kiln_rlp_enc *e, uint64_t v);                   /* a minimal integer */
void kiln_rlp_enc_u256(kiln_rlp_enc *e, const kiln_u256 *v);          /* a minimal integer */
void kiln_rlp_enc_list_header(kiln_rlp_enc *e, size_t payload_len);   /* then append the payload */
kiln_status kiln_rlp_enc_finish(const kiln_rlp_enc *e, size_t *len, char *err, size_t errlen);

/* Writes the header of a string (is_list 0) or list (1) with the given payload length into out (at most 9
 * bytes) and returns its length. */
size_t kiln_rlp_header(uint8_t out[9], size_t payload_len, int is_list);

#ifdef __cplusplus
}
#endif
#endif
