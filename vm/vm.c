/* VM lifetime, configuration, accessors, and the call tree's shared world (storage journal, events,
 * messages). */
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
    g.storage_read = 200;
    g.storage_write = 500;
    g.far_call = 1000;
    g.event = 100;
    return g;
}

void kiln_vm_config_init(kiln_vm_config *cfg) {
    if (!cfg) return;
    memset(cfg, 0, sizeof *cfg);
}

static kiln_status vm_alloc(const kiln_vm_program *prog, const kiln_vm_config *cfg, vm_world *world,
                            kiln_vm **out) {
    kiln_vm *vm = (kiln_vm *)calloc(1, sizeof *vm);
    if (!vm) return KILN_ERR_OUT_OF_MEMORY;
    vm->world = world;
    if (cfg)
        vm->cfg = *cfg;
    else
        kiln_vm_config_init(&vm->cfg);
    vm->prog = prog;
    vm->gs = vm->cfg.gas ? *vm->cfg.gas : kiln_vm_gas_default();
    vm->cfg.gas = NULL;
    uint32_t stack = vm->cfg.stack_size ? vm->cfg.stack_size : KILN_VM_MAX_STACK;
    if (stack > KILN_VM_MAX_STACK) {
        free(vm);
        return KILN_ERR_INVALID_ARG;
    }
    stack = (stack + KILN_VM_PAGE_SIZE - 1) & ~(KILN_VM_PAGE_SIZE - 1);
    vm->stack_hi = KILN_VM_STACK_TOP;
    vm->stack_lo = KILN_VM_STACK_TOP - stack;
    vm->heap_lo = prog->brk;
    vm->heap_hi = KILN_VM_HEAP_END;
    vm->max_cycles = vm->cfg.max_cycles;
    vm->gas_limit = vm->cfg.gas_limit;
    vm->epoch_top = 1;
    vm->next_epoch = 2;
    vm->pc = prog->entry;
    vm->x[2] = KILN_VM_STACK_TOP;
    memcpy(vm->self, vm->cfg.self_address, 20);
    memcpy(vm->caller, vm->cfg.caller_address, 20);
    kiln_status st = kiln_vm_mem_init(vm);
    if (st != KILN_OK) {
        kiln_vm_mem_free(vm);
        free(vm);
        return st;
    }
    *out = vm;
    return KILN_OK;
}

kiln_status kiln_vm_create(const kiln_vm_program *prog, const kiln_vm_config *cfg, kiln_vm **out) {
    if (!out) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    if (!prog) return KILN_ERR_INVALID_ARG;
    vm_world *w = (vm_world *)calloc(1, sizeof *w);
    if (!w) return KILN_ERR_OUT_OF_MEMORY;
    if (cfg) w->host = cfg->host;
    w->page_cap = (cfg && cfg->memory_cap ? cfg->memory_cap : VM_DEFAULT_MEMORY_CAP) / KILN_VM_PAGE_SIZE;
    kiln_vm *vm = NULL;
    kiln_status st = vm_alloc(prog, cfg, w, &vm);
    if (st != KILN_OK) {
        free(w);
        return st;
    }
    vm->owns_world = 1;
    *out = vm;
    return KILN_OK;
}

kiln_status kiln_vm_create_child(const kiln_vm_program *prog, kiln_vm *parent, kiln_vm **out) {
    kiln_vm_config cfg = parent->cfg;
    cfg.gas = &parent->gs;
    return vm_alloc(prog, &cfg, parent->world, out);
}

static void world_free(vm_world *w) {
    if (!w) return;
    for (size_t i = 0; i < w->n_events; i++)
        free(w->events[i].data);
    for (size_t i = 0; i < w->n_msgs; i++)
        free(w->msgs[i].data);
    free(w->events);
    free(w->msgs);
    free(w->journal);
    free(w->advice);
    free(w);
}

void kiln_vm_free(kiln_vm *vm) {
    if (!vm) return;
    kiln_vm_snap_free_all(vm);
    kiln_vm_mem_free(vm);
    if (vm->owns_world) world_free(vm->world);
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
    vm_world *w = vm->world;
    free(w->advice);
    w->advice = c;
    w->advice_len = w->advice_cap = len;
    w->advice_pos = 0;
    w->advice_replay = 1;
    return KILN_OK;
}

void kiln_vm_advice_tape(const kiln_vm *vm, const uint8_t **tape, size_t *len) {
    if (tape) *tape = vm ? vm->world->advice : NULL;
    if (len) *len = vm ? vm->world->advice_pos : 0;
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

void kiln_vm_events(const kiln_vm *vm, const kiln_vm_event **events, size_t *n) {
    if (events) *events = vm ? vm->world->events : NULL;
    if (n) *n = vm ? vm->world->n_events : 0;
}

void kiln_vm_messages(const kiln_vm *vm, const kiln_vm_message **msgs, size_t *n) {
    if (msgs) *msgs = vm ? vm->world->msgs : NULL;
    if (n) *n = vm ? vm->world->n_msgs : 0;
}

int kiln_vm_world_journal(vm_world *w, const uint8_t addr[20], const uint8_t key[32],
                          const uint8_t prev[32]) {
    if (w->n_journal == w->cap_journal) {
        size_t nc = w->cap_journal ? w->cap_journal * 2 : 64;
        vm_journal_entry *nj = (vm_journal_entry *)realloc(w->journal, nc * sizeof *nj);
        if (!nj) return -1;
        w->journal = nj;
        w->cap_journal = nc;
    }
    vm_journal_entry *e = &w->journal[w->n_journal++];
    memcpy(e->addr, addr, 20);
    memcpy(e->key, key, 32);
    memcpy(e->prev, prev, 32);
    return 0;
}

void kiln_vm_world_revert(vm_world *w, size_t n_journal, size_t n_events, size_t n_msgs) {
    /* Newest first, so the oldest saved value of a slot wins. */
    while (w->n_journal > n_journal) {
        vm_journal_entry *e = &w->journal[--w->n_journal];
        if (w->host.storage_write) (void)w->host.storage_write(w->host.ctx, e->addr, e->key, e->prev);
    }
    while (w->n_events > n_events)
        free(w->events[--w->n_events].data);
    while (w->n_msgs > n_msgs)
        free(w->msgs[--w->n_msgs].data);
}
