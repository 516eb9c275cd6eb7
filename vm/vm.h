/* Kiln's zkVM: an RV32IM interpreter with Kiln's syscalls and precompiles (D5). A program (a validated ELF
 * image, predecoded) is immutable and may back many VMs; a VM owns registers, sparse paged memory, its input,
 * committed output and advice tape. The ABI seen by guests is docs/vm-abi.md. */
#ifndef KILN_VM_H
#define KILN_VM_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- memory layout (docs/vm-abi.md) ---- */
#define KILN_VM_PAGE_SIZE 4096u
#define KILN_VM_LOAD_MIN 0x00001000u  /* page 0 is never mapped: null dereferences fault */
#define KILN_VM_HEAP_END 0x7fe00000u  /* ELF segments and the heap lie below this */
#define KILN_VM_STACK_TOP 0x80000000u /* sp at entry; the stack grows down from here */
#define KILN_VM_MAX_STACK 0x00100000u /* stack region size cap: [TOP - size, TOP) */

/* ---- syscall numbers (a7) ---- */
#define KILN_SYS_EXIT 93u
#define KILN_SYS_INPUT_READ 0x1000u  /* a0 = buf, a1 = len -> a0 = bytes read */
#define KILN_SYS_INPUT_LEN 0x1001u   /* -> a0 = bytes left in the input stream */
#define KILN_SYS_COMMIT 0x1002u      /* a0 = buf, a1 = len: append to the public output */
#define KILN_SYS_DEBUG 0x1003u       /* a0 = buf, a1 = len: debug print (not part of any commitment) */
#define KILN_SYS_ADVICE 0x1004u      /* a0 = out, a1 = cap, a2/a3 = request ptr/len -> a0 = answer length */
#define KILN_SYS_IO_DIGEST 0x1005u   /* a0 = 8 x u64: input hash, output hash (published by the proof) */
#define KILN_SYS_POSEIDON2 0x2000u   /* a0 = 12 x u64 state, in place */
#define KILN_SYS_KECCAKF 0x2001u     /* a0 = 25 x u64 lanes, in place */
#define KILN_SYS_U256_ADDMOD 0x2002u /* a0 = out, a1 = a, a2 = b, a3 = m (32-byte little-endian each) */
#define KILN_SYS_U256_SUBMOD 0x2003u
#define KILN_SYS_U256_MULMOD 0x2004u

/* Advice (docs/vm-abi.md, "Advice"): a request is at most KILN_VM_ADVICE_MAX_REQUEST bytes, an answer at
 * most KILN_VM_ADVICE_MAX_ANSWER. The advice tape records every answer a run consumed, in order, each as a
 * u32 little-endian length followed by that many bytes. */
#define KILN_VM_ADVICE_MAX_REQUEST 4096u
#define KILN_VM_ADVICE_MAX_ANSWER (16u << 20)

/* Why a run stopped. */
typedef enum kiln_vm_stop {
    KILN_VM_RUNNING = 0,      /* not started yet */
    KILN_VM_EXITED,           /* exit syscall; exit_code holds a0 */
    KILN_VM_FAULT_ILLEGAL,    /* illegal or unsupported instruction (ebreak included) */
    KILN_VM_FAULT_ACCESS,     /* load/store outside mapped memory or without permission */
    KILN_VM_FAULT_MISALIGNED, /* misaligned load/store address or jump target */
    KILN_VM_FAULT_PC,         /* pc left the executable region */
    KILN_VM_FAULT_SYSCALL,    /* unknown syscall or bad syscall argument */
    KILN_VM_FAULT_MEMORY_CAP, /* the memory cap would be exceeded */
    KILN_VM_LIMIT_CYCLES,     /* max_cycles reached */
    KILN_VM_LIMIT_GAS,        /* gas_limit reached */
    KILN_VM_TRACE_FULL        /* tracing: the row buffer is full; drain it and call kiln_vm_run again */
} kiln_vm_stop;

const char *kiln_vm_stop_str(kiln_vm_stop s);

typedef struct kiln_vm_result {
    kiln_vm_stop stop;
    uint32_t exit_code; /* valid when stop == KILN_VM_EXITED */
    uint32_t pc;        /* pc of the exiting or faulting instruction */
    uint64_t cycles;    /* instructions retired so far (the faulting one not counted) */
    uint64_t gas;       /* gas used so far */
    char msg[160];      /* human-readable reason, "" when exited normally */
} kiln_vm_result;

/* Gas schedule: every instruction costs `insn` gas (and one cycle); syscalls cost their base plus per-32-byte
 * word of data moved. Defaults: kiln_vm_gas_default(). */
typedef struct kiln_vm_gas_schedule {
    uint64_t insn;
    uint64_t syscall_base; /* io syscalls */
    uint64_t per_word;     /* per 32 bytes of syscall data */
    uint64_t poseidon2;
    uint64_t keccakf;
    uint64_t u256;
} kiln_vm_gas_schedule;
kiln_vm_gas_schedule kiln_vm_gas_default(void);

/* Host interface: callbacks receive ctx; any member may be NULL. */
typedef struct kiln_vm_host {
    void *ctx;
    /* Debug prints; NULL discards them. */
    void (*debug)(void *ctx, const char *text, size_t len);
    /* Answers an advice request (req_len <= KILN_VM_ADVICE_MAX_REQUEST bytes): writes at most cap bytes to
     * out and sets *out_len to the answer's length; an answer longer than cap (the guest's capacity, bounded
     * by KILN_VM_ADVICE_MAX_ANSWER) faults the guest. NULL: no advice (the syscall faults) unless a tape is
     * replayed (kiln_vm_set_advice_tape). */
    kiln_status (*advice)(void *ctx, const uint8_t *req, uint32_t req_len, uint8_t *out, uint32_t cap,
                          uint32_t *out_len);
} kiln_vm_host;

typedef struct kiln_vm_config {
    uint64_t max_cycles;             /* 0: no limit */
    uint64_t gas_limit;              /* 0: no limit */
    uint64_t memory_cap;             /* bytes of guest memory the VM may hold; 0: 256 MiB */
    uint32_t stack_size;             /* 0: KILN_VM_MAX_STACK */
    const kiln_vm_gas_schedule *gas; /* NULL: defaults */
    kiln_vm_host host;
} kiln_vm_config;
void kiln_vm_config_init(kiln_vm_config *cfg);

/* ---- programs ---- */

typedef struct kiln_vm_program kiln_vm_program;

/* Parses and validates an ELF32 RISC-V executable (every field checked; a malformed or hostile file is
 * KILN_ERR_PARSE with a message in err, never a crash). The bytes are copied. */
kiln_status kiln_vm_program_from_elf(const uint8_t *elf, size_t len, kiln_vm_program **out, char *err,
                                     size_t errlen);
/* A program from raw code words at `base` (tests and tools): one read-only executable segment, entry = base.
 */
kiln_status kiln_vm_program_from_words(const uint32_t *words, size_t n, uint32_t base, kiln_vm_program **out);
void kiln_vm_program_free(kiln_vm_program *p);
uint32_t kiln_vm_program_entry(const kiln_vm_program *p);

/* ---- tracing ---- */

/* One row per retired instruction. rd_val is the value written to rd (0 when rd is x0 or nothing is
 * written). For loads and stores mem_addr is the byte address, mem_prev / mem_val the aligned 32-bit word at
 * mem_addr & ~3 before and after the access (equal for loads); zero otherwise. The instruction word gives the
 * opcode, registers, immediate and access size. An ecall row is followed by a syscall record. */
typedef struct kiln_vm_trace_row {
    uint32_t pc, insn;
    uint32_t rs1_val, rs2_val, rd_val;
    uint32_t mem_addr, mem_prev, mem_val;
} kiln_vm_trace_row;

/* One per ecall: its row, number, arguments, results, and the guest memory words it touched
 * (mem[mem_first .. mem_first + mem_count) in trace->mem, in access order). */
typedef struct kiln_vm_trace_syscall {
    uint64_t row;
    uint32_t num;
    uint32_t args[7]; /* a0..a6 at the call */
    uint32_t ret[2];  /* a0, a1 after */
    uint32_t mem_first, mem_count;
} kiln_vm_trace_syscall;

typedef struct kiln_vm_trace_mem {
    uint32_t addr;      /* word-aligned */
    uint32_t prev, val; /* equal for reads */
} kiln_vm_trace_mem;

typedef struct kiln_vm_trace {
    kiln_vm_trace_row *rows;
    uint64_t n_rows, cap_rows; /* preallocated; a full buffer pauses the run */
    kiln_vm_trace_syscall *syscalls;
    uint64_t n_syscalls, cap_syscalls; /* grows as needed */
    kiln_vm_trace_mem *mem;
    uint64_t n_mem, cap_mem; /* grows as needed */
} kiln_vm_trace;

kiln_status kiln_vm_trace_create(uint64_t cap_rows, kiln_vm_trace **out);
void kiln_vm_trace_clear(kiln_vm_trace *t);
void kiln_vm_trace_free(kiln_vm_trace *t);

/* ---- VMs ---- */

typedef struct kiln_vm kiln_vm;

/* A VM at the program's entry: segments mapped, sp = KILN_VM_STACK_TOP, other registers zero. The program
 * must outlive the VM. cfg may be NULL (defaults). */
kiln_status kiln_vm_create(const kiln_vm_program *prog, const kiln_vm_config *cfg, kiln_vm **out);
void kiln_vm_free(kiln_vm *vm);

/* The input stream (copied). */
kiln_status kiln_vm_set_input(kiln_vm *vm, const uint8_t *data, size_t len);
/* Replay mode for advice: the answers come from this tape (copied; the format of kiln_vm_advice_tape) in
 * order, the requests are ignored and the host's advice callback is not called; a request past the tape's
 * end faults the guest. Call before running. KILN_ERR_PARSE when the tape is not a sequence of
 * length-prefixed answers. */
kiln_status kiln_vm_set_advice_tape(kiln_vm *vm, const uint8_t *tape, size_t len);
/* The advice consumed so far (recorded from the host's answers, or the replayed prefix of the tape): valid
 * until the VM runs again or is freed. Snapshot rollbacks rewind it. */
void kiln_vm_advice_tape(const kiln_vm *vm, const uint8_t **tape, size_t *len);
/* The 8 elements the guest passed to io_digest (input hash, output hash); returns 0 (and zeros) when it has
 * not called it. */
int kiln_vm_io_digest(const kiln_vm *vm, uint64_t digest[8]);
/* Attaches (or with NULL detaches) a trace buffer; the VM does not own it. */
void kiln_vm_set_trace(kiln_vm *vm, kiln_vm_trace *trace);

/* Runs until exit, fault, limit or a full trace buffer. Returns KILN_OK when the guest exited (any code) or
 * paused on a full trace, KILN_ERR_FAULT on a guest fault, KILN_ERR_LIMIT on the cycle/gas limit or memory
 * cap; res says which, where and why. A stopped VM stays stopped (run returns the same result again). */
kiln_status kiln_vm_run(kiln_vm *vm, kiln_vm_result *res);

/* Registers and memory, for hosts and tests. */
uint32_t kiln_vm_reg(const kiln_vm *vm, unsigned r);
void kiln_vm_set_reg(kiln_vm *vm, unsigned r, uint32_t v);
uint32_t kiln_vm_pc(const kiln_vm *vm);
kiln_status kiln_vm_read_mem(kiln_vm *vm, uint32_t addr, void *out, size_t len);
kiln_status kiln_vm_write_mem(kiln_vm *vm, uint32_t addr, const void *data, size_t len);

/* Committed public output. */
void kiln_vm_output(const kiln_vm *vm, const uint8_t **data, size_t *len);

/* Snapshots: take pushes one (nesting allowed), rollback restores the newest and pops it, commit pops it
 * keeping the changes. Covered: registers, pc, memory, input position, advice tape (position, and the
 * recorded answers), the io_digest call, output, cycles, gas and the stop state. */
kiln_status kiln_vm_snapshot(kiln_vm *vm);
kiln_status kiln_vm_rollback(kiln_vm *vm);
kiln_status kiln_vm_commit(kiln_vm *vm);
size_t kiln_vm_snapshot_depth(const kiln_vm *vm);

#ifdef __cplusplus
}
#endif
#endif
