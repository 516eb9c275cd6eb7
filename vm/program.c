/* Program images: validated segments plus the predecoded executable range. Immutable once built, so one
 * program can back any number of VMs (contracts called many times). */
#include <stdlib.h>

#include "vm_internal.h"

void kiln_vm_program_free(kiln_vm_program *p) {
    if (!p) return;
    for (uint32_t i = 0; i < p->n_segs; i++)
        free(p->segs[i].data);
    free(p->code);
    free(p->words);
    free(p);
}

uint32_t kiln_vm_program_entry(const kiln_vm_program *p) {
    return p ? p->entry : 0;
}

/* Computes the executable range and brk from the segments, then predecodes. Segments are validated. */
kiln_status kiln_vm_program_finish(kiln_vm_program *p) {
    uint64_t lo = UINT64_MAX, hi = 0, top = 0;
    for (uint32_t i = 0; i < p->n_segs; i++) {
        const vm_segment *s = &p->segs[i];
        uint64_t end = (uint64_t)s->vaddr + s->memsz;
        if (end > top) top = end;
        if (!(s->flags & VM_PF_X)) continue;
        if (s->vaddr < lo) lo = s->vaddr;
        if (end > hi) hi = end;
    }
    if (hi == 0) return KILN_ERR_PARSE;
    p->code_base = (uint32_t)lo;
    p->code_size = (uint32_t)((hi - lo + 3) & ~3ull);
    p->brk = (uint32_t)((top + KILN_VM_PAGE_SIZE - 1) & ~(uint64_t)(KILN_VM_PAGE_SIZE - 1));
    return kiln_vm_program_predecode(p);
}

kiln_status kiln_vm_program_from_words(const uint32_t *words, size_t n, uint32_t base,
                                       kiln_vm_program **out) {
    if (!out) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    if (!words || n == 0 || (base & 3) || base < KILN_VM_LOAD_MIN || n > (16u << 20) / 4 ||
        (uint64_t)base + 4 * (uint64_t)n > KILN_VM_HEAP_END)
        return KILN_ERR_INVALID_ARG;
    kiln_vm_program *p = (kiln_vm_program *)calloc(1, sizeof *p);
    if (!p) return KILN_ERR_OUT_OF_MEMORY;
    p->n_segs = 1;
    vm_segment *s = &p->segs[0];
    s->vaddr = base;
    s->memsz = s->filesz = (uint32_t)(4 * n);
    s->flags = VM_PF_R | VM_PF_X;
    s->data = (uint8_t *)malloc(4 * n);
    if (!s->data) {
        kiln_vm_program_free(p);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 4; b++)
            s->data[4 * i + b] = (uint8_t)(words[i] >> (8 * b));
    p->entry = base;
    kiln_status st = kiln_vm_program_finish(p);
    if (st != KILN_OK) {
        kiln_vm_program_free(p);
        return st;
    }
    *out = p;
    return KILN_OK;
}
