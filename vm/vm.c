/* VM lifetime, configuration and accessors. */
#include <stdlib.h>

#include "vm_internal.h"

#define VM_DEFAULT_MEMORY_CAP (256ull << 20)

const char *kiln_vm_stop_str(kiln_vm_stop s) {
    switch (s) {
    case KILN_VM_RUNNING:
        return "running";
    case KILN_VM_EXITED:
        return "exited";
    case KILN_VM_FAULT_ILLEGAL:
        return "illegal instruction";
    case KILN_VM_FAULT_ACCESS:
        return "access fault";
    case KILN_VM_FAULT_MISALIGNED:
        return "misaligned address";
    case KILN_VM_FAULT_PC:
        return "pc outside code";
    case KILN_VM_FAULT_SYSCALL:
        return "bad syscall";
    case KILN_VM_FAULT_MEMORY_CAP:
        return "memory cap";
    case KILN_VM_LIMIT_CYCLES:
        return "cycle limit";
    case KILN_VM_LIMIT_GAS:
        return "gas limit";
    case KILN_VM_TRACE_FULL:
        return "trace buffer full";
    }
    return "unknown";
}

kiln_vm_gas_schedule kiln_vm_gas_default(void) {
    kiln_vm_gas_schedule g;
    g.insn = 1;
    g.syscall_base = 10;
    g.per_word = 4;
    g.poseidon2 = 60;
    g.keccakf = 120;
    g.u256 = 40;
    return g;
}

void kiln_vm_config_init(kiln_vm_config *cfg) {
    if (!cfg) return;
    memset(cfg, 0, sizeof *cfg);
}

kiln_status kiln_vm_create(const kiln_vm_program *prog, const kiln_vm_config *cfg, kiln_vm **out) {
    if (!out) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    if (!prog) return KILN_ERR_INVALID_ARG;
    kiln_vm_config defaults;
    if (!cfg) {
        kiln_vm_config_init(&defaults);
        cfg = &defaults;
    }
    uint32_t stack = cfg->stack_size ? cfg->stack_size : KILN_VM_MAX_STACK;
    if (stack > KILN_VM_MAX_STACK) return KILN_ERR_INVALID_ARG;
    kiln_vm *vm = (kiln_vm *)calloc(1, sizeof *vm);
    if (!vm) return KILN_ERR_OUT_OF_MEMORY;
    vm->prog = prog;
    vm->host = cfg->host;
    vm->gs = cfg->gas ? *cfg->gas : kiln_vm_gas_default();
    vm->page_cap = (cfg->memory_cap ? cfg->memory_cap : VM_DEFAULT_MEMORY_CAP) / KILN_VM_PAGE_SIZE;
    stack = (stack + KILN_VM_PAGE_SIZE - 1) & ~(KILN_VM_PAGE_SIZE - 1);
    vm->stack_hi = KILN_VM_STACK_TOP;
    vm->stack_lo = KILN_VM_STACK_TOP - stack;
    vm->heap_lo = prog->brk;
    vm->heap_hi = KILN_VM_HEAP_END;
    vm->max_cycles = cfg->max_cycles;
    vm->gas_limit = cfg->gas_limit;
    vm->epoch_top = 1;
    vm->next_epoch = 2;
    vm->pc = prog->entry;
    vm->x[2] = KILN_VM_STACK_TOP;
    kiln_status st = kiln_vm_mem_init(vm);
    if (st != KILN_OK) {
        kiln_vm_mem_free(vm);
        free(vm);
        return st;
    }
    *out = vm;
    return KILN_OK;
}

void kiln_vm_free(kiln_vm *vm) {
    if (!vm) return;
    kiln_vm_snap_free_all(vm);
    kiln_vm_mem_free(vm);
    free(vm->advice);
    free(vm->input);
    free(vm->out);
    free(vm);
}

kiln_status kiln_vm_set_input(kiln_vm *vm, const uint8_t *data, size_t len) {
    if (!vm || (!data && len)) return KILN_ERR_INVALID_ARG;
    uint8_t *c = (uint8_t *)malloc(len ? len : 1);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    if (len) memcpy(c, data, len);
    free(vm->input);
    vm->input = c;
    vm->input_len = len;
    vm->input_pos = 0;
    return KILN_OK;
}

kiln_status kiln_vm_set_advice_tape(kiln_vm *vm, const uint8_t *tape, size_t len) {
    if (!vm || (!tape && len)) return KILN_ERR_INVALID_ARG;
    for (size_t pos = 0; pos < len;) { /* a sequence of u32-length-prefixed answers */
        if (len - pos < 4) return KILN_ERR_PARSE;
        uint32_t n = (uint32_t)tape[pos] | (uint32_t)tape[pos + 1] << 8 | (uint32_t)tape[pos + 2] << 16 |
                     (uint32_t)tape[pos + 3] << 24;
        if (n > KILN_VM_ADVICE_MAX_ANSWER || n > len - pos - 4) return KILN_ERR_PARSE;
        pos += 4 + (size_t)n;
    }
    uint8_t *c = (uint8_t *)malloc(len ? len : 1);
    if (!c) return KILN_ERR_OUT_OF_MEMORY;
    if (len) memcpy(c, tape, len);
    free(vm->advice);
    vm->advice = c;
    vm->advice_len = vm->advice_cap = len;
    vm->advice_pos = 0;
    vm->advice_replay = 1;
    return KILN_OK;
}

void kiln_vm_advice_tape(const kiln_vm *vm, const uint8_t **tape, size_t *len) {
    if (tape) *tape = vm ? vm->advice : NULL;
    if (len) *len = vm ? vm->advice_pos : 0;
}

int kiln_vm_io_digest(const kiln_vm *vm, uint64_t digest[8]) {
    for (int i = 0; i < 8; i++)
        digest[i] = vm && vm->digest_set ? vm->digest[i] : 0;
    return vm ? vm->digest_set : 0;
}

void kiln_vm_set_trace(kiln_vm *vm, kiln_vm_trace *trace) {
    if (vm) vm->trace = trace;
}

uint32_t kiln_vm_reg(const kiln_vm *vm, unsigned r) {
    return vm && r < 32 ? vm->x[r] : 0;
}
void kiln_vm_set_reg(kiln_vm *vm, unsigned r, uint32_t v) {
    if (vm && r > 0 && r < 32) vm->x[r] = v;
}
uint32_t kiln_vm_pc(const kiln_vm *vm) {
    return vm ? vm->pc : 0;
}

kiln_status kiln_vm_read_mem(kiln_vm *vm, uint32_t addr, void *out, size_t len) {
    if (!vm || (!out && len) || len > UINT32_MAX) return KILN_ERR_INVALID_ARG;
    kiln_vm_trace *t = vm->trace;
    vm->trace = NULL; /* host accesses are not guest cycles */
    int r = kiln_vm_copy_in(vm, addr, out, (uint32_t)len);
    vm->trace = t;
    return r ? KILN_ERR_FAULT : KILN_OK;
}

kiln_status kiln_vm_write_mem(kiln_vm *vm, uint32_t addr, const void *data, size_t len) {
    if (!vm || (!data && len) || len > UINT32_MAX) return KILN_ERR_INVALID_ARG;
    kiln_vm_trace *t = vm->trace;
    vm->trace = NULL;
    int r = kiln_vm_copy_out(vm, addr, data, (uint32_t)len);
    vm->trace = t;
    return r ? KILN_ERR_FAULT : KILN_OK;
}

void kiln_vm_output(const kiln_vm *vm, const uint8_t **data, size_t *len) {
    if (data) *data = vm ? vm->out : NULL;
    if (len) *len = vm ? vm->out_len : 0;
}
