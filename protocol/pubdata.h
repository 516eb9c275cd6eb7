/* The pubdata the ZK Stack's L1Messenger publishes before Gateway (protocol v23; DESIGN D8,
 * reference/zkstack-protocol.md §6.2), i.e. totalL2ToL1Pubdata:
 *   u32 BE n_logs ‖ n_logs × 88-byte user L2→L1 logs
 *   u32 BE n_messages ‖ n_messages × (u32 BE len ‖ bytes)
 *   u32 BE n_bytecodes ‖ n_bytecodes × (u32 BE len ‖ bytes)
 *   compressed state diffs (state_diff.h: 0x01 ‖ u24 body_len ‖ index_size ‖ body)
 * The builder writes into a caller buffer; the parser takes outside bytes (bounds-checked, never reads out of
 * range) and returns views into them. */
#ifndef KILN_PROTO_PUBDATA_H
#define KILN_PROTO_PUBDATA_H

#include "l2l1_log.h"
#include "proto_base.h"
#include "state_diff.h"

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many user logs (the logs tree's leaf count). */
#define KILN_PUBDATA_MAX_LOGS KILN_L2L1_LOGS_TREE_LEAVES

typedef struct kiln_bytes_ref {
    const uint8_t *data;
    size_t len; /* < 2^32 */
} kiln_bytes_ref;

typedef struct kiln_pubdata_input {
    const kiln_l2l1_log *logs;
    size_t n_logs;
    const kiln_bytes_ref *messages; /* long L2→L1 messages (L1Messenger.sendToL1 preimages) */
    size_t n_messages;
    const kiln_bytes_ref *bytecodes; /* published uncompressed bytecodes */
    size_t n_bytecodes;
    const kiln_state_diff *diffs; /* sorted by (address, key) */
    size_t n_diffs;
} kiln_pubdata_input;

/* Exact size of the pubdata for in. */
kiln_status kiln_pubdata_size(size_t *out_size, const kiln_pubdata_input *in, char *err, size_t errlen);
/* Writes the pubdata into out (capacity cap); KILN_ERR_LIMIT when it does not fit. */
kiln_status kiln_pubdata_build(uint8_t *out, size_t cap, size_t *out_len, const kiln_pubdata_input *in,
                               char *err, size_t errlen);

/* A parsed pubdata blob: pointers into the caller's bytes. */
typedef struct kiln_pubdata_view {
    uint32_t n_logs;
    const uint8_t *logs; /* n_logs × 88 bytes */
    uint32_t n_messages;
    const uint8_t *messages; /* the (u32 len ‖ bytes) items */
    size_t messages_len;
    uint32_t n_bytecodes;
    const uint8_t *bytecodes;
    size_t bytecodes_len;
    const uint8_t *state_diffs; /* the compressed state diffs, header included */
    size_t state_diffs_len;
    uint32_t n_initial_writes;
    uint32_t n_repeated_writes;
} kiln_pubdata_view;

/* Parses and validates the whole structure (counts, lengths, the compressed state diffs' entries; nothing may
 * follow them). KILN_ERR_PARSE on malformed bytes. */
kiln_status kiln_pubdata_parse(kiln_pubdata_view *v, const uint8_t *data, size_t len, char *err,
                               size_t errlen);
/* Iterates a (u32 len ‖ bytes) section of a parsed view: item i from *pos, which advances. The section must
 * come from kiln_pubdata_parse (already validated); returns 0 at its end, 1 otherwise. */
int kiln_pubdata_next_item(const uint8_t *section, size_t section_len, size_t *pos, kiln_bytes_ref *item);

/* Blobs (PubdataChunkPublisher, v23): the pubdata is cut into 126 976-byte blobs (4096 × 31), at most 6. Blob
 * i that holds pubdata bytes has linear hash keccak256(its 126 976 bytes, zero-padded); the others are 0.
 * These are the values of system logs BLOB_ONE…BLOB_SIX (sender 0x8011) and the commitment's blob linear
 * hashes. KILN_ERR_INVALID_ARG when len > 6 × 126 976. */
#define KILN_BLOB_SIZE_BYTES 126976u
#define KILN_MAX_BLOBS 6u
kiln_status kiln_pubdata_blob_linear_hashes(uint8_t out[6][32], const uint8_t *pubdata, size_t len, char *err,
                                            size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
