/* The bootloader's advice requests (D13): what the guest asks its host for through the advice syscall, and
 * the hooks by which it tells the host what happened (a hook's answer is empty). A request is a u32 kind
 * (little-endian) and its payload. In proving mode requests are ignored and answers replayed from the
 * recorded tape: nothing here is trusted by the guest, which checks every answer itself (values against the
 * state root by tree steps at the end of the batch). */
#ifndef KILN_PROTO_ADVICE_H
#define KILN_PROTO_ADVICE_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    /* key[32] -> value[32]: the slot's value at the start of the batch (zero when absent). */
    KILN_ADVICE_SLOT = 1,
    /* key[32] ‖ final[32] -> the tree-step proof (protocol/state_tree.h) for the tree as it stands after the
     * previous steps; the host then applies the step to its pending tree. */
    KILN_ADVICE_TREE_STEP = 2,
    /* Hook: kiln_receipt_record (protocol/receipt.h). */
    KILN_ADVICE_HOOK_RECEIPT = 3,
    /* Hook: u32 offset ‖ pubdata bytes [offset, offset + n): the batch's pubdata, in order. */
    KILN_ADVICE_HOOK_PUBDATA = 4,
    /* digest[32] ‖ r[32] ‖ s[32] ‖ recid (1 byte) -> kiln_secp256k1_hint (96 bytes): the values a signature's
     * recovery would compute (R's y, r^-1, Z^-1), checked by kiln_tx_sender_hinted. */
    KILN_ADVICE_SECP_HINT = 5,
};

#define KILN_ADVICE_MAX_REQUEST 4096u   /* the VM's cap on a request */
#define KILN_ADVICE_MAX_PROOF (32u << 10) /* the largest tree-step proof a guest accepts */

#ifdef __cplusplus
}
#endif
#endif
