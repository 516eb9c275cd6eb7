/* A chain's state on disk for `kiln batch run`: the state tree (RocksDB, sequencer/state_tree.h) and the
 * last batch's StoredBatchInfo (what L1 stores, and what the next batch's input starts from). A new
 * directory starts at genesis: the given balances written into the tree, then batch 0's StoredBatchInfo
 * (number 0, the genesis root and next free index, keccak("") as the priority hash, zeros elsewhere). */
#ifndef KILN_SEQ_CHAIN_STATE_H
#define KILN_SEQ_CHAIN_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/batch.h"
#include "sequencer/state_tree.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_genesis_balance {
    uint8_t addr[20];
    uint8_t amount[32]; /* big-endian */
} kiln_genesis_balance;

typedef struct kiln_chain_state {
    kiln_state_tree *tree;
    char *dir;
    kiln_stored_batch_info last; /* the last sealed batch */
    uint8_t last_encoded[256];
    uint64_t next_priority_id; /* priority operations sealed so far: the next one's queue id */
    int created; /* this open made the genesis */
} kiln_chain_state;

kiln_status kiln_chain_state_open(const char *dir, const kiln_genesis_balance *genesis, size_t n_genesis,
                                  kiln_chain_state *cs, char *err, size_t errlen);
/* Records a new sealed batch (with n_priority_ops priority operations): writes its StoredBatchInfo and the
 * priority queue position durably, then commits the tree's pending changes. Opening checks that the two agree
 * (the same root and next free index). */
kiln_status kiln_chain_state_seal(kiln_chain_state *cs, const kiln_stored_batch_info *info, uint64_t n_priority_ops,
                                  char *err, size_t errlen);
void kiln_chain_state_close(kiln_chain_state *cs);

/* The balance and nonce of an account in the committed state. */
kiln_status kiln_chain_state_account(kiln_chain_state *cs, const uint8_t addr[20], uint8_t balance[32],
                                     uint64_t *nonce, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
