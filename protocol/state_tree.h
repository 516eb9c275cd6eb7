/* The state tree (DESIGN D7; docs/formats.md, "State tree"): one definition for the host and the bootloader.
 * A Poseidon2 binary Merkle tree of depth 64 over leaves (key, value, next): keys are Poseidon2 digests of
 * (address, slot), leaves are appended in the order of first write (leaf index = enumeration index), `next`
 * links the leaves in key order between two guard leaves (key 0 at index 0, the largest key at index 1).
 * The commitment is (root, next_free).
 *
 * kiln_tree_step is the guest's check-and-update: it checks one slot's initial value against the commitment
 * with a proof from the untrusted host and applies the slot's final value, needing no memory beyond the
 * proof. Proof bytes (format v2; all integers little-endian, every field at a 4-byte offset): a path is a u64
 * bitmap (bit L set: the sibling at level L, the leaf level 0, is the empty subtree kiln_tree_empty[L]) then
 * the other siblings in level order, each 4 u64 (32 bytes); a leaf is key (4 u64), value (8 u32: the value's
 * big-endian u32 words) and next (u64), 72 bytes.
 *   member (tag u32 1): tag, index u64, next u64, path
 *   absent (tag u32 2): tag, predecessor index u64, predecessor leaf, path, successor leaf, path (its index
 *   is the predecessor's next), and when the step inserts (final value nonzero) the path of slot next_free
 *   in the tree after the predecessor's next was set to next_free.
 * In a guest the proof should be 4-byte aligned (siblings are then read with word loads); any alignment
 * checks the same. */
#ifndef KILN_PROTO_STATE_TREE_H
#define KILN_PROTO_STATE_TREE_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_TREE_DEPTH 64
#define KILN_TREE_PROOF_MEMBER 1u
#define KILN_TREE_PROOF_ABSENT 2u
#define KILN_TREE_LEAF_BYTES 72
/* The largest path (no empty sibling) and proofs made of such paths. */
#define KILN_TREE_PATH_MAX (8 + KILN_TREE_DEPTH * 32)
#define KILN_TREE_PROOF_MEMBER_MAX (4 + 16 + KILN_TREE_PATH_MAX)
#define KILN_TREE_PROOF_ABSENT_MAX (4 + 8 + 2 * (KILN_TREE_LEAF_BYTES + KILN_TREE_PATH_MAX))
#define KILN_TREE_PROOF_INSERT_MAX (KILN_TREE_PROOF_ABSENT_MAX + KILN_TREE_PATH_MAX)
#define KILN_TREE_PROOF_MAX KILN_TREE_PROOF_INSERT_MAX
/* Goldilocks p; a key's four big-endian u64 words are each below it (the largest key is four words p - 1). */
#define KILN_TREE_FIELD_P 0xFFFFFFFF00000001ull

typedef struct kiln_tree_commitment {
    uint8_t root[32];   /* the root digest as 4 big-endian u64 */
    uint64_t next_free; /* the next leaf index to fill; 2 at genesis */
} kiln_tree_commitment;

/* E[L], the digest of an empty subtree of height L (E[0] = the empty leaf, the zero digest; E[L] =
 * kiln_poseidon2_hash_node(E[L-1], E[L-1])): a constant table, checked against Poseidon2 by the tests. */
extern const uint64_t kiln_tree_empty[KILN_TREE_DEPTH][4];

/* The tree key of a storage slot: Poseidon2 hash_var of the address as 5 big-endian u32 words then the slot
 * as 8 big-endian u32 words; the digest written as 4 big-endian u64. */
void kiln_state_key(const uint8_t address[20], const uint8_t slot[32], uint8_t key[32]);

/* Leaf hash: Poseidon2 hash_var of the key as 4 big-endian u64, the value as 8 big-endian u32 and next.
 * KILN_ERR_PARSE when a key word or next is not below p (not a leaf of any tree). */
kiln_status kiln_tree_leaf_hash(const uint8_t key[32], const uint8_t value[32], uint64_t next,
                                uint64_t out[4]);

/* The genesis commitment: the two guard leaves, next_free = 2. */
void kiln_tree_genesis(kiln_tree_commitment *c);

/* One slot's check-and-update (see the file comment for the proof). On success *c holds the new commitment,
 * *enum_index the key's leaf index (0 when the key stays absent) and *inserted 1 when the step appended it.
 * initial == final is a read-only check. KILN_ERR_VERIFY when the proof does not prove the claim,
 * KILN_ERR_PARSE when it is malformed, KILN_ERR_INVALID_ARG for a key that is not a tree key (a word not
 * below p, or a guard's key). On failure *c is unchanged. */
kiln_status kiln_tree_step(kiln_tree_commitment *c, const uint8_t key[32], const uint8_t initial[32],
                           const uint8_t final_[32], const uint8_t *proof, size_t proof_len,
                           uint64_t *enum_index, int *inserted, char *err, size_t errlen);

/* Checks that key holds value (all-zero value: absent or zero) under c: a read-only step. *enum_index as in
 * kiln_tree_step (0 for an absent key); it may be NULL. */
kiln_status kiln_tree_verify_read(const kiln_tree_commitment *c, const uint8_t key[32],
                                  const uint8_t value[32], const uint8_t *proof, size_t proof_len,
                                  uint64_t *enum_index, char *err, size_t errlen);

/* Digest <-> 32 bytes (4 big-endian u64). */
void kiln_tree_digest_to_bytes(const uint64_t d[4], uint8_t out[32]);
void kiln_tree_digest_from_bytes(const uint8_t in[32], uint64_t d[4]);

#ifdef __cplusplus
}
#endif
#endif
