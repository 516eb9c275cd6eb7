/* ZK Stack state diffs (DESIGN D8; reference/zkstack-protocol.md §6.3, §6.4): the 156-byte circuit record and
 * its 272-byte padded form, state_diffs_hash, value compression with the node's best strategy, the compressed
 * form ("state diff compression v1") and a reader/checker of compressed blobs.
 *
 *   record (156) = address(20) ‖ key(32) ‖ derived_key(32) ‖ enum_index u64 BE ‖ initial(32) ‖ final(32)
 *   state_diffs_hash = keccak256(record_0 ‖ 116 zero bytes ‖ record_1 ‖ …) in the order given
 *   compressed = 0x01 ‖ u24 BE body_len ‖ index_size(1) ‖ body
 *   body = u16 BE num_initial ‖ num_initial × (derived_key(32) ‖ value) ‖ repeated × (enum_index ‖ value)
 *   value = metadata ‖ payload, metadata = (len << 3) | op; op 0 none (32 bytes, metadata 0x00), 1 add
 *           (final − initial), 2 sub (initial − final), 3 transform (final); all mod 2^256, len < 31 for 1–3.
 * The writer uses a 4-byte enum index (as the node does) and expects diffs sorted by (address, key). */
#ifndef KILN_PROTO_STATE_DIFF_H
#define KILN_PROTO_STATE_DIFF_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_STATE_DIFF_RECORD_SIZE 156u
#define KILN_STATE_DIFF_PADDED_SIZE 272u
#define KILN_STATE_DIFF_COMPRESSION_VERSION 1u
#define KILN_STATE_DIFF_ENUM_INDEX_SIZE 4u
#define KILN_STATE_DIFF_MAX_ENUM_INDEX_SIZE 8u
#define KILN_STATE_DIFF_HEADER_SIZE 5u
/* Longest compressed value (metadata 0x00 ‖ 32 bytes). */
#define KILN_STATE_DIFF_MAX_VALUE_SIZE 33u

enum kiln_state_diff_op {
    KILN_SD_OP_NONE = 0,
    KILN_SD_OP_ADD = 1,
    KILN_SD_OP_SUB = 2,
    KILN_SD_OP_TRANSFORM = 3
};

typedef struct kiln_state_diff {
    uint8_t address[20];
    uint8_t key[32];         /* u256 BE */
    uint8_t derived_key[32]; /* blake2s256(pad32(address) ‖ key), given by the caller */
    uint64_t enum_index;     /* 0: initial write */
    uint8_t initial[32];     /* value at batch start (0 for initial writes), u256 BE */
    uint8_t final[32];       /* value at batch end, u256 BE */
} kiln_state_diff;

void kiln_state_diff_encode(uint8_t out[156], const kiln_state_diff *d);
void kiln_state_diff_encode_padded(uint8_t out[272], const kiln_state_diff *d);
void kiln_state_diff_decode(kiln_state_diff *d, const uint8_t in[156]);
/* keccak256 of the padded records, in the order given (callers pass them sorted). */
void kiln_state_diffs_hash(uint8_t out[32], const kiln_state_diff *diffs, size_t n);

/* Order by (address, key) as big-endian numbers: <0, 0, >0. */
int kiln_state_diff_cmp(const kiln_state_diff *a, const kiln_state_diff *b);
/* In-place heap sort by (address, key); no allocation. */
void kiln_state_diffs_sort(kiln_state_diff *diffs, size_t n);

/* The node's best compression of initial → final into out (≤ 33 bytes); returns the length written. */
/* The length kiln_state_diff_compress_value would write, without writing it. */
size_t kiln_state_diff_compressed_value_len(const uint8_t initial[32], const uint8_t final_value[32]);
size_t kiln_state_diff_compress_value(uint8_t out[33], const uint8_t initial[32],
                                      const uint8_t final_value[32]);

/* Size of the compressed form of n sorted diffs (header included), or KILN_ERR_INVALID_ARG (too many initial
 * writes, body ≥ 2^24 bytes, enum index ≥ 2^32). Does not check the order. */
kiln_status kiln_state_diffs_compressed_size(size_t *out_size, const kiln_state_diff *diffs, size_t n,
                                             char *err, size_t errlen);
/* Writes the compressed form of n diffs sorted strictly by (address, key) into out (capacity cap). Values are
 * compressed against each diff's initial value. Refuses unsorted or duplicate input and enum indices ≥ 2^32
 * (KILN_ERR_INVALID_ARG) and too small a buffer (KILN_ERR_LIMIT). */
kiln_status kiln_state_diffs_compress(uint8_t *out, size_t cap, size_t *out_len, const kiln_state_diff *diffs,
                                      size_t n, char *err, size_t errlen);

/* Reading a compressed blob (outside bytes: every read is bounds-checked). */
typedef struct kiln_state_diff_reader {
    const uint8_t *data;
    size_t len; /* whole blob, header included */
    size_t pos; /* next entry */
    unsigned index_size;
    uint32_t num_initial;
    uint32_t entries_read;
} kiln_state_diff_reader;

typedef struct kiln_state_diff_entry {
    int is_initial;
    uint8_t derived_key[32]; /* initial writes */
    uint64_t enum_index;     /* repeated writes */
    uint8_t op;              /* enum kiln_state_diff_op */
    uint8_t payload_len;     /* 32 for op 0 */
    uint8_t payload[32];     /* right-aligned u256 BE: payload_len bytes at the end, zeros before */
} kiln_state_diff_entry;

/* Checks the header (version 1, body length == len − 5, index size 1…8, room for the initial count). The
 * Compressor contract bounds the index size by 8 only; a size of 0 (repeated writes without an index) is
 * refused here on purpose. */
kiln_status kiln_state_diff_reader_init(kiln_state_diff_reader *r, const uint8_t *data, size_t len, char *err,
                                        size_t errlen);
/* Next entry; *done = 1 (and KILN_OK) at the end of a well-formed blob. KILN_ERR_PARSE on a truncated entry,
 * an unknown op, or fewer entries than num_initial. */
kiln_status kiln_state_diff_reader_next(kiln_state_diff_reader *r, kiln_state_diff_entry *e, int *done,
                                        char *err, size_t errlen);
/* The final value an entry gives for a slot whose batch-start value is initial. */
void kiln_state_diff_entry_apply(uint8_t final_out[32], const kiln_state_diff_entry *e,
                                 const uint8_t initial[32]);
/* Structure only: parses the whole blob; counts may be NULL. */
kiln_status kiln_state_diffs_validate_compressed(const uint8_t *data, size_t len, uint32_t *num_initial,
                                                 uint32_t *num_repeated, char *err, size_t errlen);
/* Compressor.verifyCompressedStateDiffs: the blob encodes exactly these n sorted diffs (any valid encoding of
 * each value, any enum index size 1…8). KILN_ERR_VERIFY on a mismatch, KILN_ERR_PARSE on malformed bytes. */
kiln_status kiln_state_diffs_check_compressed(const uint8_t *data, size_t len, const kiln_state_diff *diffs,
                                              size_t n, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
