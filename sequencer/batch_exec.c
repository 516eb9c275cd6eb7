#include "sequencer/batch_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/advice.h"
#include "protocol/secp256k1.h"

typedef struct exec_ctx {
    kiln_state_tree *tree;
    kiln_batch_exec_result *res;
    size_t cap_receipts, cap_pubdata;
    char err[160];
} exec_ctx;

static kiln_status ctx_fail(exec_ctx *c, kiln_status st, const char *msg) {
    snprintf(c->err, sizeof c->err, "%s", msg);
    return st;
}

static kiln_status on_receipt(exec_ctx *c, const uint8_t *p, uint32_t n) {
    kiln_receipt r;
    if (kiln_receipt_decode(p, n, &r) != KILN_OK) return ctx_fail(c, KILN_ERR_PARSE, "bad receipt hook");
    kiln_batch_exec_result *res = c->res;
    if (res->n_receipts == c->cap_receipts) {
        size_t nc = c->cap_receipts ? 2 * c->cap_receipts : 64;
        kiln_receipt *nr = (kiln_receipt *)realloc(res->receipts, nc * sizeof *nr);
        if (!nr) return KILN_ERR_OUT_OF_MEMORY;
        res->receipts = nr, c->cap_receipts = nc;
    }
    res->receipts[res->n_receipts++] = r;
    return KILN_OK;
}

static kiln_status on_pubdata(exec_ctx *c, const uint8_t *p, uint32_t n) {
    if (n < 4) return ctx_fail(c, KILN_ERR_PARSE, "bad pubdata hook");
    uint32_t off = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    kiln_batch_exec_result *res = c->res;
    if (off != res->pubdata_len) return ctx_fail(c, KILN_ERR_PARSE, "pubdata hook out of order");
    if (res->pubdata_len + n - 4 > c->cap_pubdata) {
        size_t nc = c->cap_pubdata ? 2 * c->cap_pubdata : 4096;
        while (nc < res->pubdata_len + n - 4)
            nc *= 2;
        uint8_t *np = (uint8_t *)realloc(res->pubdata, nc);
        if (!np) return KILN_ERR_OUT_OF_MEMORY;
        res->pubdata = np, c->cap_pubdata = nc;
    }
    if (n > 4) memcpy(res->pubdata + res->pubdata_len, p + 4, n - 4);
    res->pubdata_len += n - 4;
    return KILN_OK;
}

/* The advice callback: requests are protocol/advice.h's. */
static kiln_status answer(void *ctx, const uint8_t *req, uint32_t req_len, uint8_t *out, uint32_t cap,
                          uint32_t *out_len) {
    exec_ctx *c = (exec_ctx *)ctx;
    c->res->advice_requests++;
    *out_len = 0;
    if (req_len < 4) return ctx_fail(c, KILN_ERR_PARSE, "advice request without a kind");
    uint32_t kind = (uint32_t)req[0] | (uint32_t)req[1] << 8 | (uint32_t)req[2] << 16 | (uint32_t)req[3] << 24;
    const uint8_t *p = req + 4;
    uint32_t n = req_len - 4;
    switch (kind) {
    case KILN_ADVICE_SLOT: {
        if (n != 32 || cap < 33) return ctx_fail(c, KILN_ERR_PARSE, "bad slot request");
        int exists = 0;
        uint64_t index = 0;
        kiln_status st = kiln_state_tree_get(c->tree, p, out, &exists, &index, c->err, sizeof c->err);
        if (st != KILN_OK) return st;
        out[32] = (uint8_t)(exists != 0);
        *out_len = 33;
        return KILN_OK;
    }
    case KILN_ADVICE_TREE_STEP: {
        if (n != 64) return ctx_fail(c, KILN_ERR_PARSE, "bad tree-step request");
        size_t len = 0;
        kiln_status st = kiln_state_tree_step_proof(c->tree, p, p + 32, out, cap, &len, c->err, sizeof c->err);
        *out_len = (uint32_t)len;
        return st;
    }
    case KILN_ADVICE_SECP_HINT: {
        if (n != 97 || cap < sizeof(kiln_secp256k1_hint)) return ctx_fail(c, KILN_ERR_PARSE, "bad recovery-hint request");
        kiln_secp256k1_hint h;
        /* Whatever the signature's verdict, the hint is what the guest's check expects for it. */
        kiln_secp256k1_recover_hint_var(p, p + 32, p + 64, p[96], &h);
        memcpy(out, &h, sizeof h);
        *out_len = sizeof h;
        return KILN_OK;
    }
    case KILN_ADVICE_HOOK_RECEIPT:
        return on_receipt(c, p, n);
    case KILN_ADVICE_HOOK_PUBDATA:
        return on_pubdata(c, p, n);
    }
    return ctx_fail(c, KILN_ERR_PARSE, "unknown advice request");
}

static void debug_print(void *ctx, const char *text, size_t len) {
    (void)ctx;
    fprintf(stderr, "bootloader: %.*s", (int)len, text);
}

void kiln_batch_exec_result_free(kiln_batch_exec_result *res) {
    free(res->receipts);
    free(res->pubdata);
    free(res->tape);
    memset(res, 0, sizeof *res);
}

kiln_status kiln_batch_execute(const kiln_vm_program *bootloader, kiln_state_tree *tree, const uint8_t *input,
                               size_t input_len, uint64_t max_cycles, kiln_batch_exec_result *res, char *err,
                               size_t errlen) {
    memset(res, 0, sizeof *res);
    exec_ctx c = {tree, res, 0, 0, ""};
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    cfg.max_cycles = max_cycles ? max_cycles : (1ull << 32);
    cfg.memory_cap = 1ull << 30;
    cfg.host.ctx = &c;
    cfg.host.advice = answer;
    cfg.host.debug = debug_print;
    kiln_vm *vm = NULL;
    kiln_status st = kiln_vm_create(bootloader, &cfg, &vm);
    if (st == KILN_OK) st = kiln_vm_set_input(vm, input, input_len);
    if (st != KILN_OK) {
        kiln_vm_free(vm);
        snprintf(err, errlen, "cannot start the bootloader: %s", kiln_status_str(st));
        return st;
    }
    kiln_vm_run(vm, &res->vm);
    if (res->vm.stop != KILN_VM_EXITED || res->vm.exit_code != 0) {
        if (c.err[0])
            snprintf(err, errlen, "bootloader stopped (%s): %s; host: %s", kiln_vm_stop_str(res->vm.stop), res->vm.msg,
                     c.err);
        else if (res->vm.stop == KILN_VM_EXITED)
            snprintf(err, errlen, "bootloader refused the batch (exit code %u)", res->vm.exit_code);
        else
            snprintf(err, errlen, "bootloader stopped (%s): %s", kiln_vm_stop_str(res->vm.stop), res->vm.msg);
        st = res->vm.stop == KILN_VM_LIMIT_CYCLES || res->vm.stop == KILN_VM_FAULT_MEMORY_CAP ? KILN_ERR_LIMIT
                                                                                              : KILN_ERR_FAULT;
    } else {
        const uint8_t *o;
        size_t olen;
        kiln_vm_output(vm, &o, &olen);
        if (olen != KILN_BOOTLOADER_OUTPUT_LEN || kiln_bootloader_output_decode(o, olen, &res->out) != KILN_OK) {
            snprintf(err, errlen, "bootloader committed a malformed public output (%zu bytes)", olen);
            st = KILN_ERR_INTERNAL;
        } else {
            memcpy(res->output, o, olen);
            const uint8_t *tape;
            size_t tlen;
            kiln_vm_advice_tape(vm, &tape, &tlen);
            res->tape = (uint8_t *)malloc(tlen ? tlen : 1);
            if (!res->tape) {
                st = KILN_ERR_OUT_OF_MEMORY;
            } else {
                if (tlen) memcpy(res->tape, tape, tlen);
                res->tape_len = tlen;
            }
        }
    }
    kiln_vm_free(vm);
    if (st != KILN_OK) kiln_state_tree_rollback(tree);
    return st;
}
