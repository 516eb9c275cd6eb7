/* Internals shared by the VM's files; not a public header. */
#ifndef KILN_VM_INTERNAL_H
#define KILN_VM_INTERNAL_H

#include <stdio.h>
#include <string.h>

#include "vm.h"

#define VM_LIKELY(x) __builtin_expect(!!(x), 1)
#define VM_UNLIKELY(x) __builtin_expect(!!(x), 0)

#define VM_PAGE_SHIFT 12u
#define VM_NPAGES (1u << 20)
#define VM_PF_R 1u
#define VM_PF_W 2u
#define VM_PF_X 4u

/* Decoded operations. rd == 32 means "no register written" (x0 or none): writes land in a sink register. */
enum {
    OP_ILLEGAL = 0,
    OP_PC_OUT,
    OP_LUI,
    OP_AUIPC,
    OP_JAL,
    OP_JALR,
    OP_BEQ,
    OP_BNE,
    OP_BLT,
    OP_BGE,
    OP_BLTU,
    OP_BGEU,
    OP_LB,
    OP_LH,
    OP_LW,
    OP_LBU,
    OP_LHU,
    OP_SB,
    OP_SH,
    OP_SW,
    OP_ADDI,
    OP_SLTI,
    OP_SLTIU,
    OP_XORI,
    OP_ORI,
    OP_ANDI,
    OP_SLLI,
    OP_SRLI,
    OP_SRAI,
    OP_ADD,
    OP_SUB,
    OP_SLL,
    OP_SLT,
    OP_SLTU,
    OP_XOR,
    OP_SRL,
    OP_SRA,
    OP_OR,
    OP_AND,
    OP_MUL,
    OP_MULH,
    OP_MULHSU,
    OP_MULHU,
    OP_DIV,
    OP_DIVU,
    OP_REM,
    OP_REMU,
    OP_FENCE,
    OP_ECALL,
    OP_EBREAK,
    OP_COUNT
};

typedef struct kiln_insn {
    uint8_t op, rd, rs1, rs2;
    int32_t imm;
} kiln_insn;

/* Decodes one instruction word; unknown or reserved encodings give OP_ILLEGAL. */
kiln_insn kiln_vm_decode(uint32_t word);

typedef struct vm_segment {
    uint32_t vaddr, memsz, filesz, flags; /* flags: VM_PF_* */
    uint8_t *data;                        /* filesz bytes */
} vm_segment;

#define VM_MAX_SEGMENTS 16u

struct kiln_vm_program {
    uint32_t entry;
    uint32_t code_base, code_size; /* executable range, bytes (multiple of 4) */
    kiln_insn *code;               /* code_size / 4 + 1 entries; the last is OP_PC_OUT */
    uint32_t *words;               /* raw instruction words, for traces */
    uint32_t n_segs;
    vm_segment segs[VM_MAX_SEGMENTS];
    uint32_t brk; /* page-aligned end of the highest segment: the heap starts here */
};

/* Builds code/words for the executable range from the segments (sets code_base/code_size first). */
kiln_status kiln_vm_program_predecode(kiln_vm_program *p);
/* Executable range, brk and predecode, once the segments are in place and validated. */
kiln_status kiln_vm_program_finish(kiln_vm_program *p);

typedef struct kiln_page {
    uint32_t epoch; /* 0 for read-only pages; writes need epoch >= vm->epoch_top (else save first) */
    uint32_t flags;
    uint8_t data[KILN_VM_PAGE_SIZE];
} kiln_page;

typedef struct vm_page_save {
    uint32_t index, prev_epoch;
    kiln_page *copy; /* NULL: the page did not exist */
} vm_page_save;

typedef struct vm_snapshot {
    uint32_t x[32], pc, epoch;
    uint64_t cycles, gas;
    size_t input_pos, out_len, advice_pos;
    int stopped, digest_set;
    kiln_vm_result result;
    vm_page_save *saves;
    size_t n_saves, cap_saves;
} vm_snapshot;

struct kiln_vm {
    uint32_t x[33]; /* x[32] is the sink for writes to x0 */
    uint32_t pc;
    kiln_page **pages;
    const kiln_vm_program *prog;
    uint32_t epoch_top, next_epoch;
    uint32_t heap_lo, heap_hi, stack_lo, stack_hi;
    uint64_t pages_used, page_cap; /* the memory cap, in pages */
    uint32_t *page_list;           /* indexes of allocated pages (may repeat) */
    size_t n_page_list, cap_page_list;
    uint64_t cycles, gas, max_cycles, gas_limit;
    kiln_vm_gas_schedule gs;
    int stopped;
    kiln_vm_result result;
    kiln_vm_stop fault_kind; /* set by the memory slow paths */
    uint8_t *input;
    size_t input_len, input_pos;
    uint8_t *out;
    size_t out_len, out_cap;
    int digest_set; /* io_digest was called (once allowed) */
    uint64_t digest[8];
    kiln_vm_host host;
    uint8_t *advice; /* the tape: recorded answers, or the one being replayed */
    size_t advice_len, advice_cap, advice_pos;
    int advice_replay;
    kiln_vm_trace *trace;
    vm_snapshot *snaps;
    size_t n_snaps, cap_snaps;
};

/* ---- memory (memory.c) ---- */
extern const uint8_t kiln_vm_zero_page[KILN_VM_PAGE_SIZE];
const uint8_t *kiln_vm_mem_rptr_slow(kiln_vm *vm, uint32_t a);
uint8_t *kiln_vm_mem_wptr_slow(kiln_vm *vm, uint32_t a);
kiln_status kiln_vm_mem_init(kiln_vm *vm);
void kiln_vm_mem_free(kiln_vm *vm);

/* Pointer to byte a for reading, or NULL (vm->fault_kind set). Valid up to the end of its page. */
static inline const uint8_t *vm_rptr(kiln_vm *vm, uint32_t a) {
    kiln_page *p = vm->pages[a >> VM_PAGE_SHIFT];
    if (VM_LIKELY(p != NULL)) return p->data + (a & (KILN_VM_PAGE_SIZE - 1));
    return kiln_vm_mem_rptr_slow(vm, a);
}
/* Pointer to byte a for writing (snapshot saves and lazy pages handled), or NULL (vm->fault_kind set). */
static inline uint8_t *vm_wptr(kiln_vm *vm, uint32_t a) {
    kiln_page *p = vm->pages[a >> VM_PAGE_SHIFT];
    if (VM_LIKELY(p != NULL && p->epoch >= vm->epoch_top)) return p->data + (a & (KILN_VM_PAGE_SIZE - 1));
    return kiln_vm_mem_wptr_slow(vm, a);
}
static inline uint32_t vm_ld32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static inline void vm_st32(uint8_t *p, uint32_t v) {
    memcpy(p, &v, 4);
}

/* Byte-range copies between guest and host memory (no alignment needed). Return 0, or -1 with fault_kind. */
int kiln_vm_copy_in(kiln_vm *vm, uint32_t addr, void *dst, uint32_t len);
int kiln_vm_copy_out(kiln_vm *vm, uint32_t addr, const void *src, uint32_t len);

/* ---- execution (exec.c, syscalls.c) ---- */
/* Sets the stop state and message; returns the status kiln_vm_run reports for it. */
kiln_status kiln_vm_stop_with(kiln_vm *vm, kiln_vm_stop why, uint32_t pc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
kiln_status kiln_vm_status_of(kiln_vm_stop s);
/* Handles the ecall at vm->pc (cycles/gas already synced). Returns 0 to continue, 1 if the VM stopped. */
int kiln_vm_syscall(kiln_vm *vm);

/* ---- precompiles (precompiles.c) ---- */
/* out = (a op b) mod m over 256-bit little-endian 32-bit limbs; m != 0. out may alias a, b. */
void kiln_vm_u256_addmod(uint32_t out[8], const uint32_t a[8], const uint32_t b[8], const uint32_t m[8]);
void kiln_vm_u256_submod(uint32_t out[8], const uint32_t a[8], const uint32_t b[8], const uint32_t m[8]);
void kiln_vm_u256_mulmod(uint32_t out[8], const uint32_t a[8], const uint32_t b[8], const uint32_t m[8]);

/* ---- snapshots (snapshot.c) ---- */
int kiln_vm_snap_save_page(kiln_vm *vm, uint32_t index, kiln_page *p);
void kiln_vm_snap_free_all(kiln_vm *vm);

/* ---- trace (trace.c) ---- */
int kiln_vm_trace_syscall_begin(kiln_vm_trace *t, uint64_t row, uint32_t num, const uint32_t *args);
int kiln_vm_trace_add_mem(kiln_vm_trace *t, uint32_t addr, uint32_t prev, uint32_t val);

#endif
