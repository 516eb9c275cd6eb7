/* Trace buffers: rows preallocated (the hot path only bounds-checks and fills), syscall and memory records
 * grown on demand (they are rare and variable-sized). */
#include <stdlib.h>

#include "vm_internal.h"

kiln_status kiln_vm_trace_create(uint64_t cap_rows, kiln_vm_trace **out) {
    if (!out) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    if (cap_rows == 0 || cap_rows > (SIZE_MAX / sizeof(kiln_vm_trace_row))) return KILN_ERR_INVALID_ARG;
    kiln_vm_trace *t = (kiln_vm_trace *)calloc(1, sizeof *t);
    if (!t) return KILN_ERR_OUT_OF_MEMORY;
    t->rows = (kiln_vm_trace_row *)malloc((size_t)cap_rows * sizeof *t->rows);
    if (!t->rows) {
        free(t);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    t->cap_rows = cap_rows;
    *out = t;
    return KILN_OK;
}

void kiln_vm_trace_clear(kiln_vm_trace *t) {
    if (t) t->n_rows = t->n_syscalls = t->n_mem = 0;
}

void kiln_vm_trace_free(kiln_vm_trace *t) {
    if (!t) return;
    free(t->rows);
    free(t->syscalls);
    free(t->mem);
    free(t);
}

int kiln_vm_trace_syscall_begin(kiln_vm_trace *t, uint64_t row, uint32_t num, const uint32_t *args) {
    if (t->n_syscalls == t->cap_syscalls) {
        uint64_t nc = t->cap_syscalls ? t->cap_syscalls * 2 : 256;
        kiln_vm_trace_syscall *ns = (kiln_vm_trace_syscall *)realloc(t->syscalls, (size_t)nc * sizeof *ns);
        if (!ns) return -1;
        t->syscalls = ns;
        t->cap_syscalls = nc;
    }
    kiln_vm_trace_syscall *s = &t->syscalls[t->n_syscalls++];
    memset(s, 0, sizeof *s);
    s->row = row;
    s->num = num;
    memcpy(s->args, args, sizeof s->args);
    s->mem_first = (uint32_t)t->n_mem;
    return 0;
}

int kiln_vm_trace_add_mem(kiln_vm_trace *t, uint32_t addr, uint32_t prev, uint32_t val) {
    if (t->n_mem == t->cap_mem) {
        uint64_t nc = t->cap_mem ? t->cap_mem * 2 : 1024;
        kiln_vm_trace_mem *nm = (kiln_vm_trace_mem *)realloc(t->mem, (size_t)nc * sizeof *nm);
        if (!nm) return -1;
        t->mem = nm;
        t->cap_mem = nc;
    }
    kiln_vm_trace_mem *m = &t->mem[t->n_mem++];
    m->addr = addr;
    m->prev = prev;
    m->val = val;
    return 0;
}
