/* Fuzz target: the pubdata parser (protocol/pubdata.h) and the compressed state-diff reader and checker
 * (protocol/state_diff.h) over outside bytes. Whatever parses must also walk cleanly: every log decodes,
 * every message and bytecode item stays inside its section, every state-diff entry applies, and rebuilding
 * the pubdata from a parse whose diffs use the node's encoding gives the same bytes back. */
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

#define MAX_DIFFS 64
static kiln_state_diff g_diffs[MAX_DIFFS];
static uint8_t g_blob[16 + 70 * MAX_DIFFS];

/* Walks a compressed blob; when it is well formed (and small), rebuilds the diffs it describes (initial value
 * = a pattern, final = what the entry gives) and requires the checker to accept the blob for them, and the
 * writer's own encoding of them to check too. */
/* Returns the number of rebuilt diffs (g_diffs; g_blob holds the writer's encoding, g_blob_len bytes), or -1.
 */
static size_t g_blob_len;
static int walk_diffs(const uint8_t *d, size_t len) {
    kiln_state_diff_reader r;
    char err[128];
    if (kiln_state_diff_reader_init(&r, d, len, err, sizeof err) != KILN_OK) return -1;
    kiln_state_diff_entry e;
    int done = 0, usable = 1;
    size_t n = 0;
    while (!done) {
        if (kiln_state_diff_reader_next(&r, &e, &done, err, sizeof err) != KILN_OK) return -1;
        if (done) break;
        if (n == MAX_DIFFS || (!e.is_initial && (e.enum_index == 0 || e.enum_index > 0xffffffffu))) {
            usable = 0;
            continue;
        }
        kiln_state_diff *x = &g_diffs[n];
        memset(x, 0, sizeof *x);
        x->address[18] = (uint8_t)(n >> 8);
        x->address[19] = (uint8_t)n;
        if (e.is_initial)
            memcpy(x->derived_key, e.derived_key, 32);
        else
            x->enum_index = e.enum_index;
        memset(x->initial, (int)(n * 37u + 1u), 32);
        kiln_state_diff_entry_apply(x->final, &e, x->initial);
        n++;
    }
    if (!usable) return -1;
    if (kiln_state_diffs_check_compressed(d, len, g_diffs, n, err, sizeof err) != KILN_OK) __builtin_trap();
    size_t out_len = 0;
    if (kiln_state_diffs_compress(g_blob, sizeof g_blob, &out_len, g_diffs, n, err, sizeof err) != KILN_OK)
        __builtin_trap();
    if (kiln_state_diffs_check_compressed(g_blob, out_len, g_diffs, n, err, sizeof err) != KILN_OK)
        __builtin_trap();
    g_blob_len = out_len;
    return (int)n;
}

#define MAX_LOGS 64
#define MAX_ITEMS 64
static kiln_l2l1_log g_logs[MAX_LOGS];
static kiln_bytes_ref g_msgs[MAX_ITEMS], g_bcs[MAX_ITEMS];
static uint8_t g_rebuilt[1 << 16];

static int collect(const uint8_t *sec, size_t len, kiln_bytes_ref *out) {
    size_t pos = 0;
    int n = 0;
    kiln_bytes_ref it;
    while (kiln_pubdata_next_item(sec, len, &pos, &it)) {
        if (n == MAX_ITEMS) return -1;
        out[n++] = it;
    }
    return n;
}

/* When the parsed diffs are in the writer's own encoding, the builder must give back the input bytes. */
static void rebuild(const kiln_pubdata_view *v, const uint8_t *data, size_t size) {
    if (v->n_logs > MAX_LOGS || size > sizeof g_rebuilt) return;
    int nd = walk_diffs(v->state_diffs, v->state_diffs_len);
    if (nd < 0 || g_blob_len != v->state_diffs_len || memcmp(g_blob, v->state_diffs, g_blob_len) != 0) return;
    int nm = collect(v->messages, v->messages_len, g_msgs),
        nb = collect(v->bytecodes, v->bytecodes_len, g_bcs);
    if (nm < 0 || nb < 0) return;
    for (uint32_t i = 0; i < v->n_logs; i++)
        kiln_l2l1_log_decode(&g_logs[i], v->logs + (size_t)i * KILN_L2L1_LOG_SIZE);
    kiln_pubdata_input in = {g_logs, v->n_logs, g_msgs, (size_t)nm, g_bcs, (size_t)nb, g_diffs, (size_t)nd};
    size_t len = 0;
    char err[128];
    if (kiln_pubdata_build(g_rebuilt, sizeof g_rebuilt, &len, &in, err, sizeof err) != KILN_OK)
        __builtin_trap();
    if (len != size || memcmp(g_rebuilt, data, size) != 0) __builtin_trap();
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
        rebuild(&v, data, size);
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
