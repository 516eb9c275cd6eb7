/* Fuzz target: L2 transaction decoding, limits, intrinsic gas and sender recovery on arbitrary bytes, and the
 * strict RLP decoder over the same bytes (none may crash or read out of bounds). */
#include <stddef.h>
#include <stdint.h>

#include "rlp.h"
#include "tx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const kiln_rlp_item *item, int depth) {
    kiln_rlp_iter it;
    kiln_rlp_item x;
    uint64_t v;
    kiln_u256 u;
    if (depth > 8 || !item->is_list) {
        kiln_rlp_get_u64(item, &v, NULL, 0);
        kiln_rlp_get_u256(item, &u, NULL, 0);
        return;
    }
    if (kiln_rlp_iter_init(&it, item, NULL, 0) != KILN_OK) return;
    while (!kiln_rlp_iter_done(&it) && kiln_rlp_iter_next(&it, &x, NULL, 0) == KILN_OK)
        walk(&x, depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[128];
    kiln_tx tx;
    kiln_rlp_item item;
    if (kiln_rlp_decode(data, size, &item, err, sizeof err) == KILN_OK) walk(&item, 0);
    if (kiln_tx_decode(data, size, &tx, err, sizeof err) != KILN_OK) return 0;
    (void)kiln_tx_intrinsic_gas(&tx);
    (void)kiln_tx_check_limits(&tx, 1, err, sizeof err);
    if (tx.hashes_pending) {
        static const uint8_t deps[KILN_TX_MAX_FACTORY_DEPS][32];
        kiln_tx_eip712_set_dep_hashes(&tx, deps, tx.factory_dep_count, err, sizeof err);
    }
    uint8_t from[20];
    (void)kiln_tx_sender(&tx, from, err, sizeof err);
    return 0;
}
