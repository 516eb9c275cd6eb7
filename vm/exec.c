/* The interpreter loop. One body, specialised twice by the compiler (plain and tracing), dispatching on the
 * predecoded instructions (exec_loop.h). Budget = min(cycle limit, gas limit / gas per instruction), counted
 * down in a register; state is synced back to the VM only at syscalls, faults and stops. */
#include <stdarg.h>

#include "vm_internal.h"

kiln_status kiln_vm_status_of(kiln_vm_stop s) {
    switch (s) {
    case KILN_VM_RUNNING:
    case KILN_VM_EXITED:
    case KILN_VM_TRACE_FULL:
        return KILN_OK;
    case KILN_VM_LIMIT_CYCLES:
    case KILN_VM_LIMIT_GAS:
    case KILN_VM_FAULT_MEMORY_CAP:
        return KILN_ERR_LIMIT;
    default:
        return KILN_ERR_FAULT;
    }
}

kiln_status kiln_vm_stop_with(kiln_vm *vm, kiln_vm_stop why, uint32_t pc, const char *fmt, ...) {
    kiln_vm_result *r = &vm->result;
    r->stop = why;
    r->pc = pc;
    r->msg[0] = 0;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->msg, sizeof r->msg, fmt, ap);
        va_end(ap);
    }
    vm->stopped = why != KILN_VM_TRACE_FULL;
    return kiln_vm_status_of(why);
}

static uint64_t budget_of(const kiln_vm *vm) {
    uint64_t b = UINT64_MAX;
    if (vm->max_cycles) b = vm->max_cycles > vm->cycles ? vm->max_cycles - vm->cycles : 0;
    if (vm->gas_limit && vm->gs.insn) {
        uint64_t g = vm->gas_limit > vm->gas ? (vm->gas_limit - vm->gas) / vm->gs.insn : 0;
        if (g < b) b = g;
    }
    return b;
}

#define PC() (base + (uint32_t)((size_t)(ip - code) << 2))
#define SYNC()                                                                                               \
    do {                                                                                                     \
        uint64_t done_ = budget - left;                                                                      \
        vm->pc = PC();                                                                                       \
        vm->cycles += done_;                                                                                 \
        vm->gas += done_ * vm->gs.insn;                                                                      \
        budget = left;                                                                                       \
    } while (0)
#define DISPATCH()                                                                                           \
    do {                                                                                                     \
        if (VM_UNLIKELY(left == 0)) goto out_of_budget;                                                      \
        in = *ip;                                                                                            \
        if (tracing) {                                                                                       \
            if (VM_UNLIKELY(t->n_rows >= t->cap_rows)) goto trace_full;                                      \
            row = &t->rows[t->n_rows];                                                                       \
            row->pc = PC();                                                                                  \
            row->insn = prog->words[ip - code];                                                              \
            row->rs1_val = x[in.rs1];                                                                        \
            row->rs2_val = x[in.rs2];                                                                        \
            row->mem_addr = row->mem_prev = row->mem_val = 0;                                                \
        }                                                                                                    \
        left--;                                                                                              \
        goto *labels[in.op];                                                                                 \
    } while (0)
/* Retire: finish the trace row, dispatch the next instruction. */
#define DONE()                                                                                               \
    do {                                                                                                     \
        if (tracing) {                                                                                       \
            row->rd_val = in.rd == 32 ? 0 : x[in.rd];                                                        \
            t->n_rows++;                                                                                     \
        }                                                                                                    \
        DISPATCH();                                                                                          \
    } while (0)
#define FAULT(kind, addr)                                                                                    \
    do {                                                                                                     \
        fkind = (kind);                                                                                      \
        faddr = (addr);                                                                                      \
        goto fault;                                                                                          \
    } while (0)
#define MEMFAULT(addr) FAULT(vm->fault_kind, addr)
#define JUMP_TO(tgt, link)                                                                                   \
    do {                                                                                                     \
        uint32_t tgt_ = (tgt), off_ = tgt_ - base;                                                           \
        if (VM_UNLIKELY(off_ & 3)) FAULT(KILN_VM_FAULT_MISALIGNED, tgt_);                                    \
        if (VM_UNLIKELY(off_ >= size)) FAULT(KILN_VM_FAULT_PC, tgt_);                                        \
        x[in.rd] = (link);                                                                                   \
        ip = code + (off_ >> 2);                                                                             \
    } while (0)
#define BRANCH(cond)                                                                                         \
    do {                                                                                                     \
        if (cond) {                                                                                          \
            uint32_t tgt_ = PC() + (uint32_t)in.imm, off_ = tgt_ - base;                                     \
            if (VM_UNLIKELY(off_ & 3)) FAULT(KILN_VM_FAULT_MISALIGNED, tgt_);                                \
            if (VM_UNLIKELY(off_ >= size)) FAULT(KILN_VM_FAULT_PC, tgt_);                                    \
            ip = code + (off_ >> 2);                                                                         \
        } else {                                                                                             \
            ip++;                                                                                            \
        }                                                                                                    \
    } while (0)
#define TRACE_MEM(a, wordp, prev)                                                                            \
    do {                                                                                                     \
        if (tracing) {                                                                                       \
            row->mem_addr = (a);                                                                             \
            row->mem_prev = (prev);                                                                          \
            row->mem_val = vm_ld32(wordp);                                                                   \
        }                                                                                                    \
    } while (0)

#define RUN_NAME run_plain
#define TRACING 0
#include "exec_loop.h"
#undef RUN_NAME
#undef TRACING
#define RUN_NAME run_traced
#define TRACING 1
#include "exec_loop.h"
#undef RUN_NAME
#undef TRACING

kiln_status kiln_vm_run(kiln_vm *vm, kiln_vm_result *res) {
    if (!vm) return KILN_ERR_INVALID_ARG;
    kiln_status st;
    if (vm->stopped) {
        st = kiln_vm_status_of(vm->result.stop);
    } else {
        vm->result.msg[0] = 0;
        vm->result.exit_code = 0;
        st = vm->trace ? run_traced(vm) : run_plain(vm);
        vm->result.cycles = vm->cycles;
        vm->result.gas = vm->gas;
    }
    if (res) *res = vm->result;
    return st;
}
