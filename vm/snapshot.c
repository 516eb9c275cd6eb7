/* Snapshots by page-level undo logs. Each snapshot has a fresh epoch; a page's first write after the newest
 * snapshot (page epoch below it) copies the page into that snapshot's log. Rollback puts the copies back;
 * commit hands them to the snapshot below unless it already holds an older copy. */
#include <stdlib.h>

#include "vm_internal.h"

static void free_saves(vm_snapshot *s) {
    for (size_t i = 0; i < s->n_saves; i++)
        free(s->saves[i].copy);
    free(s->saves);
    s->saves = NULL;
    s->n_saves = s->cap_saves = 0;
}

static int push_save(vm_snapshot *s, vm_page_save sv) {
    if (s->n_saves == s->cap_saves) {
        size_t nc = s->cap_saves ? s->cap_saves * 2 : 64;
        vm_page_save *ns = (vm_page_save *)realloc(s->saves, nc * sizeof *ns);
        if (!ns) return -1;
        s->saves = ns;
        s->cap_saves = nc;
    }
    s->saves[s->n_saves++] = sv;
    return 0;
}

int kiln_vm_snap_save_page(kiln_vm *vm, uint32_t index, kiln_page *p) {
    if (vm->n_snaps == 0) return 0;
    vm_page_save sv;
    sv.index = index;
    sv.prev_epoch = p ? p->epoch : 0;
    sv.copy = NULL;
    if (p) {
        sv.copy = (kiln_page *)malloc(sizeof *p);
        if (!sv.copy) return -1;
        memcpy(sv.copy, p, sizeof *p);
    }
    if (push_save(&vm->snaps[vm->n_snaps - 1], sv) != 0) {
        free(sv.copy);
        return -1;
    }
    return 0;
}

void kiln_vm_snap_free_all(kiln_vm *vm) {
    for (size_t i = 0; i < vm->n_snaps; i++)
        free_saves(&vm->snaps[i]);
    free(vm->snaps);
    vm->snaps = NULL;
    vm->n_snaps = vm->cap_snaps = 0;
}

kiln_status kiln_vm_snapshot(kiln_vm *vm) {
    if (!vm) return KILN_ERR_INVALID_ARG;
    if (vm->next_epoch == UINT32_MAX) return KILN_ERR_LIMIT;
    if (vm->n_snaps == vm->cap_snaps) {
        size_t nc = vm->cap_snaps ? vm->cap_snaps * 2 : 4;
        vm_snapshot *ns = (vm_snapshot *)realloc(vm->snaps, nc * sizeof *ns);
        if (!ns) return KILN_ERR_OUT_OF_MEMORY;
        vm->snaps = ns;
        vm->cap_snaps = nc;
    }
    vm_snapshot *s = &vm->snaps[vm->n_snaps++];
    memset(s, 0, sizeof *s);
    memcpy(s->x, vm->x, sizeof s->x);
    s->pc = vm->pc;
    s->epoch = vm->next_epoch++;
    s->cycles = vm->cycles;
    s->gas = vm->gas;
    s->input_pos = vm->input_pos;
    s->out_len = vm->out_len;
    s->advice_pos = vm->advice_pos;
    s->digest_set = vm->digest_set;
    s->stopped = vm->stopped;
    s->result = vm->result;
    vm->epoch_top = s->epoch;
    return KILN_OK;
}

kiln_status kiln_vm_rollback(kiln_vm *vm) {
    if (!vm || vm->n_snaps == 0) return KILN_ERR_INVALID_ARG;
    vm_snapshot *s = &vm->snaps[vm->n_snaps - 1];
    for (size_t i = s->n_saves; i-- > 0;) {
        vm_page_save *sv = &s->saves[i];
        free(vm->pages[sv->index]);
        if (sv->copy) {
            sv->copy->epoch = sv->prev_epoch;
            vm->pages[sv->index] = sv->copy;
            sv->copy = NULL;
        } else {
            vm->pages[sv->index] = NULL;
            vm->pages_used--;
        }
    }
    free_saves(s);
    memcpy(vm->x, s->x, sizeof s->x);
    vm->pc = s->pc;
    vm->cycles = s->cycles;
    vm->gas = s->gas;
    vm->input_pos = s->input_pos;
    vm->out_len = s->out_len;
    /* The rolled-back answers leave the record; a replayed tape is read again from the snapshot's place. */
    vm->advice_pos = s->advice_pos;
    if (!vm->advice_replay) vm->advice_len = s->advice_pos;
    vm->digest_set = s->digest_set;
    vm->stopped = s->stopped;
    vm->result = s->result;
    vm->n_snaps--;
    vm->epoch_top = vm->n_snaps ? vm->snaps[vm->n_snaps - 1].epoch : 1;
    return KILN_OK;
}

kiln_status kiln_vm_commit(kiln_vm *vm) {
    if (!vm || vm->n_snaps == 0) return KILN_ERR_INVALID_ARG;
    vm_snapshot *s = &vm->snaps[vm->n_snaps - 1];
    vm_snapshot *below = vm->n_snaps > 1 ? &vm->snaps[vm->n_snaps - 2] : NULL;
    for (size_t i = 0; i < s->n_saves; i++) {
        vm_page_save *sv = &s->saves[i];
        /* prev_epoch >= below's epoch: the page was already saved (or created) under `below`. */
        if (below && sv->prev_epoch < below->epoch) {
            if (push_save(below, *sv) != 0) return KILN_ERR_OUT_OF_MEMORY;
            sv->copy = NULL;
        }
    }
    free_saves(s);
    vm->n_snaps--;
    vm->epoch_top = vm->n_snaps ? vm->snaps[vm->n_snaps - 1].epoch : 1;
    return KILN_OK;
}

size_t kiln_vm_snapshot_depth(const kiln_vm *vm) {
    return vm ? vm->n_snaps : 0;
}
