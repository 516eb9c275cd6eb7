/* The bootloader: Kiln's state transition function as one fixed guest program (DESIGN.md D6). The sequencer
 * runs it in the VM to execute a batch, the witness generator reruns it on the recorded input and advice, and
 * the prover proves that run. Its parts: the slot cache (state.c), accounts and system contracts
 * (accounts.c, system_contracts.c), transactions (l2_tx.c, priority_op.c), blocks and the batch (main.c),
 * and the batch's end (finalize.c: tree steps, pubdata, logs, public output). docs/bootloader.md says why. */
#ifndef KILN_BOOTLOADER_H
#define KILN_BOOTLOADER_H

#include "advice.h"
#include "batch.h"
#include "batch_input.h"
#include "keccak/keccak.h"
#include "kiln_guest.h"
#include "l2l1_log.h"
#include "pubdata.h"
#include "receipt.h"
#include "uint256.h"

/* ---- the slot cache (state.c): every storage slot the batch touches, its batch-start value (advice, checked
 * at the end by tree steps) and its current value, with a journal for transaction rollback ---- */
typedef struct bl_slot {
    uint8_t addr[20];
    uint8_t key[32];
    uint8_t tree_key[32];
    uint8_t initial[32];
    uint8_t cur[32];
    uint8_t exists;       /* the host says the key is in the tree (checked by the tree step) */
    uint8_t free_pubdata; /* system slots whose changes cost no pubdata (SystemContext) */
    uint16_t paid;        /* pubdata bytes charged for this slot so far in the batch */
    uint32_t epoch;       /* the last bl_charge_pubdata call that looked at it */
    uint32_t next;        /* bucket chain, 1-based (0: end) */
} bl_slot;

void bl_state_init(void);
bl_slot *bl_slot_get(const uint8_t addr[20], const uint8_t key[32]);
/* Slots by their 1-based index (stable while pointers are not: the cache grows by copying). */
uint32_t bl_slot_index(const uint8_t addr[20], const uint8_t key[32]);
bl_slot *bl_slot_at(uint32_t index);
void bl_slot_write_at(uint32_t index, const uint8_t value[32]);
void bl_slot_read(const uint8_t addr[20], const uint8_t key[32], uint8_t value[32]);
void bl_slot_write(const uint8_t addr[20], const uint8_t key[32], const uint8_t value[32]);
/* Journal checkpoints: rollback undoes every write (and pubdata charge) since the checkpoint. */
uint32_t bl_checkpoint(void);
void bl_rollback(uint32_t cp);
/* Pubdata bytes the writes since cp add to the batch (ZK Stack rule, zkstack-protocol.md §6.5), charged to
 * the slots so that the next call counts only new changes. */
int64_t bl_charge_pubdata(uint32_t cp);
/* Every slot, in (address, key) order, for the batch's end. */
bl_slot **bl_slots_sorted(uint32_t *n);

/* ---- accounts (accounts.c): balances in L2BaseToken (0x800a) and nonces in NonceHolder (0x8003), both at
 * keccak(pad32(address) ‖ 0) as in the ZK Stack ---- */
void bl_balance(const uint8_t addr[20], kiln_u256 *v);
void bl_set_balance(const uint8_t addr[20], const kiln_u256 *v);
int bl_sub_balance(const uint8_t addr[20], const kiln_u256 *v); /* 0 when the balance is too low (unchanged) */
void bl_add_balance(const uint8_t addr[20], const kiln_u256 *v);  /* panics on overflow (cannot happen) */
uint64_t bl_nonce(const uint8_t addr[20]);
void bl_set_nonce(const uint8_t addr[20], uint64_t nonce);

/* ---- the batch (main.c) ---- */
typedef struct bl_batch {
    kiln_batch_header h;
    kiln_stored_batch_info prev; /* the previous batch, decoded from h.prev_stored */
    kiln_u256 base_fee;
    uint64_t base_fee_u64, gas_per_pubdata;
    uint32_t tx_index;         /* every item processed, rejected ones included (receipts) */
    uint32_t tx_in_batch;      /* included transactions (L2→L1 logs' tx number) */
    uint8_t block_rolling[32]; /* the open L2 block's tx rolling hash */
    uint8_t priority_rolling[32];
    uint32_t n_l1_txs;
    kiln_u256 fees; /* collected for the operator, paid at the end */
    /* L2→L1 logs and long messages */
    kiln_l2l1_log *logs;
    uint32_t n_logs, cap_logs;
    kiln_bytes_ref *msgs;
    uint32_t n_msgs, cap_msgs;
    /* the last sealed L2 block */
    uint64_t block_number, block_timestamp;
    uint8_t block_hash[32];
} bl_batch;

extern bl_batch bl;

/* Records an L2→L1 log / long message of the current transaction (cost counted by the caller). */
void bl_emit_log(const kiln_l2l1_log *log);
void bl_emit_message(const uint8_t sender[20], const uint8_t *msg, uint32_t len);
uint32_t bl_logs_checkpoint(void); /* logs and messages made since it are dropped by bl_logs_rollback */
void bl_logs_rollback(uint32_t cp);

void bl_receipt(const uint8_t hash[32], kiln_tx_status status, kiln_tx_reason reason, uint64_t gas_used);

/* ---- transactions ---- */
void bl_process_l2_tx(const uint8_t *raw, uint32_t len);
void bl_process_priority_op(const uint8_t *data, uint32_t len);

/* System contracts reached by a call (system_contracts.c). Returns 1 when `to` is one it handles (with *ok
 * the call's outcome and *extra_pubdata what it publishes), 0 when `to` is an ordinary account. */
int bl_system_call(const uint8_t from[20], const uint8_t to[20], const kiln_u256 *value, const uint8_t *data,
                   uint32_t len, int *ok, uint64_t *extra_pubdata);

/* ---- the end of the batch (finalize.c): tree steps, pubdata, logs root, commitment, public output ---- */
void bl_finalize(void);

/* Advice (docs/vm-abi.md): a request and its answer; panics when the answer does not fit. */
uint32_t bl_advice(const void *req, uint32_t req_len, void *out, uint32_t cap);

/* System contract addresses as 20-byte values (set up by main). */
extern uint8_t BL_BOOTLOADER[20], BL_NONCE_HOLDER[20], BL_L1_MESSENGER[20], BL_BASE_TOKEN[20], BL_SYSTEM_CONTEXT[20];

#define BL_ASSERT(c, msg) ((c) ? (void)0 : kiln_panic(msg, 110))

#endif
