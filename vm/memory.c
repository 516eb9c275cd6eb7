/* Guest memory: a flat table of 2^20 lazily allocated 4 KiB pages. Segment pages are mapped at creation; heap
 * and stack pages appear on first write (reads of untouched ones see zeros); anything else faults. */
#include <stdlib.h>

#include "vm_internal.h"

const uint8_t kiln_vm_zero_page[KILN_VM_PAGE_SIZE];

static int in_lazy_region(const kiln_vm *vm, uint32_t a) {
    return (a >= vm->heap_lo && a < vm->heap_hi) ||
           (a >= vm->stack_lo && a - vm->stack_lo < vm->stack_hi - vm->stack_lo);
}

const uint8_t *kiln_vm_mem_rptr_slow(kiln_vm *vm, uint32_t a) {
    if (in_lazy_region(vm, a)) return kiln_vm_zero_page + (a & (KILN_VM_PAGE_SIZE - 1));
    vm->fault_kind = KILN_VM_FAULT_ACCESS;
    return NULL;
}

static kiln_page *alloc_page(kiln_vm *vm, uint32_t flags) {
    if (vm->pages_used >= vm->page_cap) {
        vm->fault_kind = KILN_VM_FAULT_MEMORY_CAP;
        return NULL;
    }
    kiln_page *p = (kiln_page *)calloc(1, sizeof *p);
    if (!p) {
        vm->fault_kind = KILN_VM_FAULT_MEMORY_CAP;
        return NULL;
    }
    p->flags = flags;
    vm->pages_used++;
    return p;
}

/* Remembers an allocated page index so freeing the VM does not scan the whole table. */
static int note_page(kiln_vm *vm, uint32_t idx) {
    if (vm->n_page_list == vm->cap_page_list) {
        size_t nc = vm->cap_page_list ? vm->cap_page_list * 2 : 256;
        uint32_t *nl = (uint32_t *)realloc(vm->page_list, nc * sizeof *nl);
        if (!nl) return -1;
        vm->page_list = nl;
        vm->cap_page_list = nc;
    }
    vm->page_list[vm->n_page_list++] = idx;
    return 0;
}

uint8_t *kiln_vm_mem_wptr_slow(kiln_vm *vm, uint32_t a) {
    uint32_t idx = a >> VM_PAGE_SHIFT;
    kiln_page *p = vm->pages[idx];
    if (p) {
        if (!(p->flags & VM_PF_W)) {
            vm->fault_kind = KILN_VM_FAULT_ACCESS;
            return NULL;
        }
        /* First write since the newest snapshot: keep the old contents. */
        if (kiln_vm_snap_save_page(vm, idx, p) != 0) {
            vm->fault_kind = KILN_VM_FAULT_MEMORY_CAP;
            return NULL;
        }
        p->epoch = vm->epoch_top;
        return p->data + (a & (KILN_VM_PAGE_SIZE - 1));
    }
    if (!in_lazy_region(vm, a)) {
        vm->fault_kind = KILN_VM_FAULT_ACCESS;
        return NULL;
    }
    p = alloc_page(vm, VM_PF_R | VM_PF_W);
    if (!p) return NULL;
    if (note_page(vm, idx) != 0 || kiln_vm_snap_save_page(vm, idx, NULL) != 0) {
        free(p);
        vm->pages_used--;
        vm->fault_kind = KILN_VM_FAULT_MEMORY_CAP;
        return NULL;
    }
    p->epoch = vm->epoch_top;
    vm->pages[idx] = p;
    return p->data + (a & (KILN_VM_PAGE_SIZE - 1));
}

kiln_status kiln_vm_mem_init(kiln_vm *vm) {
    const kiln_vm_program *prog = vm->prog;
    vm->pages = (kiln_page **)calloc(VM_NPAGES, sizeof(kiln_page *));
    if (!vm->pages) return KILN_ERR_OUT_OF_MEMORY;
    for (uint32_t s = 0; s < prog->n_segs; s++) {
        const vm_segment *seg = &prog->segs[s];
        if (seg->memsz == 0) continue;
        uint32_t first = seg->vaddr >> VM_PAGE_SHIFT;
        uint32_t last = (uint32_t)(((uint64_t)seg->vaddr + seg->memsz - 1) >> VM_PAGE_SHIFT);
        for (uint32_t i = first; i <= last; i++) {
            kiln_page *p = vm->pages[i];
            if (!p) {
                p = alloc_page(vm, 0);
                if (!p) return KILN_ERR_LIMIT;
                vm->pages[i] = p;
                if (note_page(vm, i) != 0) return KILN_ERR_OUT_OF_MEMORY;
            }
            /* Pages shared by segments get the union; the loader rejects pages both writable and executable.
             */
            p->flags |= seg->flags | VM_PF_R;
            p->epoch = (p->flags & VM_PF_W) ? 1u : 0u;
        }
        /* Copy the file bytes page by page. */
        uint32_t done = 0;
        while (done < seg->filesz) {
            uint32_t a = seg->vaddr + done;
            uint32_t off = a & (KILN_VM_PAGE_SIZE - 1);
            uint32_t n = KILN_VM_PAGE_SIZE - off;
            if (n > seg->filesz - done) n = seg->filesz - done;
            memcpy(vm->pages[a >> VM_PAGE_SHIFT]->data + off, seg->data + done, n);
            done += n;
        }
    }
    return KILN_OK;
}

void kiln_vm_mem_free(kiln_vm *vm) {
    if (!vm->pages) return;
    /* An index may be listed twice (freed by a rollback, then allocated again): clear as we go. */
    for (size_t i = 0; i < vm->n_page_list; i++) {
        free(vm->pages[vm->page_list[i]]);
        vm->pages[vm->page_list[i]] = NULL;
    }
    free(vm->page_list);
    vm->page_list = NULL;
    vm->pages_used = 0;
    vm->n_page_list = vm->cap_page_list = 0;
    free(vm->pages);
    vm->pages = NULL;
}

static int range_ok(kiln_vm *vm, uint32_t addr, uint32_t len) {
    if ((uint64_t)addr + len > 0x100000000ull) {
        vm->fault_kind = KILN_VM_FAULT_ACCESS;
        return 0;
    }
    return 1;
}

static void trace_words(kiln_vm *vm, uint32_t addr, uint32_t len, const uint32_t *prev) {
    uint64_t end = ((uint64_t)addr + len + 3) & ~3ull;
    size_t k = 0;
    for (uint64_t w = addr & ~3u; w < end; w += 4, k++) {
        const uint8_t *r = vm_rptr(vm, (uint32_t)w);
        uint32_t v = r ? vm_ld32(r) : 0;
        kiln_vm_trace_add_mem(vm->trace, (uint32_t)w, prev ? prev[k] : v, v);
    }
}

int kiln_vm_copy_in(kiln_vm *vm, uint32_t addr, void *dst, uint32_t len) {
    if (!range_ok(vm, addr, len)) return -1;
    uint8_t *d = (uint8_t *)dst;
    uint32_t done = 0;
    while (done < len) {
        uint32_t a = addr + done;
        const uint8_t *p = vm_rptr(vm, a);
        if (!p) return -1;
        uint32_t n = KILN_VM_PAGE_SIZE - (a & (KILN_VM_PAGE_SIZE - 1));
        if (n > len - done) n = len - done;
        memcpy(d + done, p, n);
        done += n;
    }
    if (vm->trace && len) trace_words(vm, addr, len, NULL);
    return 0;
}

int kiln_vm_copy_out(kiln_vm *vm, uint32_t addr, const void *src, uint32_t len) {
    if (!range_ok(vm, addr, len)) return -1;
    uint32_t *prev = NULL;
    if (vm->trace && len) {
        /* Words before the write, for the memory argument. */
        uint32_t nw = (uint32_t)((((uint64_t)addr + len + 3) & ~3ull) - (addr & ~3u)) / 4;
        prev = (uint32_t *)malloc((size_t)nw * 4);
        if (!prev) {
            vm->fault_kind = KILN_VM_FAULT_MEMORY_CAP;
            return -1;
        }
        for (uint32_t k = 0; k < nw; k++) {
            const uint8_t *r = vm_rptr(vm, (addr & ~3u) + 4 * k);
            prev[k] = r ? vm_ld32(r) : 0;
        }
    }
    const uint8_t *s = (const uint8_t *)src;
    uint32_t done = 0;
    while (done < len) {
        uint32_t a = addr + done;
        uint8_t *p = vm_wptr(vm, a);
        if (!p) {
            free(prev);
            return -1;
        }
        uint32_t n = KILN_VM_PAGE_SIZE - (a & (KILN_VM_PAGE_SIZE - 1));
        if (n > len - done) n = len - done;
        memcpy(p, s + done, n);
        done += n;
    }
    if (prev) {
        trace_words(vm, addr, len, prev);
        free(prev);
    }
    return 0;
}
