// clang-format off
/* The host side of the state tree (DESIGN D7; protocol/state_tree.h holds the definition and the guest's step;
 * docs/formats.md, "State tree", the byte layouts). The tree lives in a RocksDB directory, in column families
 *   tree_leaves  index (8 B big-endian) -> key[32] value[32] next (8 B big-endian)
 *   tree_keys    key[32] -> index (8 B big-endian)        (RocksDB's bytewise order = the tree's key order)
 *   tree_nodes   level (1 B) index (8 B big-endian) -> digest (32 B), levels 0 (leaf digests) to 63;
 *                a missing node is the empty subtree of its level
 *   tree_meta    "commitment" -> root[32] next_free (8 B big-endian)
 * Steps go to a pending state (leaves and keys in a RocksDB write batch with index that reads go through, nodes
 * in a map) that kiln_state_tree_commit writes in one atomic, synced write, each changed node once, or
 * kiln_state_tree_rollback drops. Reads and proofs see the pending state. Nothing read from disk is trusted:
 * malformed records give KILN_ERR_PARSE, and every proof the host emits is checked by kiln_tree_step against the
 * commitment before the step is applied (KILN_ERR_VERIFY when the stored nodes do not match the root).
 * Not thread-safe: one caller at a time. */
// clang-format on
#ifndef KILN_SEQUENCER_STATE_TREE_H
#define KILN_SEQUENCER_STATE_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "protocol/state_tree.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_state_tree kiln_state_tree;

/* Opens (creating at genesis when empty) the tree in directory dir. */
kiln_status kiln_state_tree_open(const char *dir, kiln_state_tree **out, char *err, size_t errlen);
/* Closes the tree, dropping any pending steps. NULL is fine. */
void kiln_state_tree_close(kiln_state_tree *t);

/* The key's value in the pending state: *exists 1 with its leaf *index, or 0 with an all-zero value. */
kiln_status kiln_state_tree_get(kiln_state_tree *t, const uint8_t key[32], uint8_t value[32], int *exists,
                                uint64_t *index, char *err, size_t errlen);

/* The pending commitment (what kiln_tree_step sees next) and the last committed one. */
void kiln_state_tree_commitment(const kiln_state_tree *t, kiln_tree_commitment *c);
void kiln_state_tree_committed(const kiln_state_tree *t, kiln_tree_commitment *c);

/* A read proof of key in the pending state: the key's value goes to value (zero when absent) and the proof
 * (at most KILN_TREE_PROOF_ABSENT_MAX bytes) checks with kiln_tree_verify_read. KILN_ERR_LIMIT when the proof
 * is longer than cap. */
kiln_status kiln_state_tree_prove_read(kiln_state_tree *t, const uint8_t key[32], uint8_t value[32],
                                       uint8_t *proof, size_t cap, size_t *len, char *err, size_t errlen);

/* Emits the proof kiln_tree_step expects for writing final_ to key in the pending state (cap >=
 * KILN_TREE_PROOF_MAX always suffices), checks it with kiln_tree_step, then applies the step to the pending
 * state. The step's initial value is the key's pending value (kiln_state_tree_get before the call). On
 * failure the pending state is unchanged. */
kiln_status kiln_state_tree_step_proof(kiln_state_tree *t, const uint8_t key[32], const uint8_t final_[32],
                                       uint8_t *proof, size_t cap, size_t *len, char *err, size_t errlen);

/* Writes the pending steps and the new commitment in one atomic, synced RocksDB write. */
kiln_status kiln_state_tree_commit(kiln_state_tree *t, char *err, size_t errlen);
/* Drops the pending steps. */
void kiln_state_tree_rollback(kiln_state_tree *t);

#ifdef __cplusplus
}
#endif
#endif
