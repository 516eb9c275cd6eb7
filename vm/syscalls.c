/* The syscall table (docs/vm-abi.md): number in a7, arguments in a0..a6, results in a0/a1. A bad pointer,
 * length or value is a guest fault with a message; nothing the guest passes can hurt the host. */
#include <stdlib.h>

#include "keccak/keccak.h"
#include "poseidon2/poseidon2.h"
#include "vm_internal.h"

#define SYS_MAX_IO (16u << 20)     /* bytes per input/commit call */
#define SYS_MAX_OUTPUT (64u << 20) /* committed output per VM */
#define SYS_MAX_SMALL (64u << 10)  /* debug print */
#define GOLDILOCKS_P 0xffffffff00000001ull

enum { A0 = 10, A1, A2, A3, A4, A5, A6, A7 };

static int sys_fault(kiln_vm *vm, const char *name, const char *why) {
    kiln_vm_stop_with(vm, KILN_VM_FAULT_SYSCALL, vm->pc, "syscall %s: %s (pc 0x%08x)", name, why, vm->pc);
    return 1;
}

static int mem_fault(kiln_vm *vm, const char *name, uint32_t addr, uint32_t len) {
    kiln_vm_stop k =
        vm->fault_kind == KILN_VM_FAULT_MEMORY_CAP ? KILN_VM_FAULT_MEMORY_CAP : KILN_VM_FAULT_ACCESS;
    kiln_vm_stop_with(vm, k, vm->pc, "syscall %s: bad buffer 0x%08x (%u bytes) at pc 0x%08x", name, addr, len,
                      vm->pc);
    return 1;
}

/* Charges syscall gas; stops the VM when the limit is crossed. */
static int charge(kiln_vm *vm, uint64_t g) {
    vm->gas += g;
    if (vm->gas_limit && vm->gas > vm->gas_limit) {
        vm->gas = vm->gas_limit;
        kiln_vm_stop_with(vm, KILN_VM_LIMIT_GAS, vm->pc, "gas limit %llu reached in a syscall",
                          (unsigned long long)vm->gas_limit);
        return 1;
    }
    return 0;
}

static uint64_t words32(uint64_t len) {
    return (len + 31) / 32;
}

static int grow(void **buf, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    void *nb = realloc(*buf, nc * elem);
    if (!nb) return -1;
    *buf = nb;
    *cap = nc;
    return 0;
}

static int sys_input_read(kiln_vm *vm) {
    uint32_t buf = vm->x[A0], len = vm->x[A1];
    size_t left = vm->input_len - vm->input_pos;
    uint32_t n = len < left ? len : (uint32_t)left;
    if (n > SYS_MAX_IO) n = SYS_MAX_IO;
    if (charge(vm, vm->gs.syscall_base + vm->gs.per_word * words32(n))) return 1;
    if (n && kiln_vm_copy_out(vm, buf, vm->input + vm->input_pos, n) != 0)
        return mem_fault(vm, "input_read", buf, n);
    vm->input_pos += n;
    vm->x[A0] = n;
    return 0;
}

static int sys_commit(kiln_vm *vm) {
    uint32_t buf = vm->x[A0], len = vm->x[A1];
    if (len > SYS_MAX_IO || vm->out_len + len > SYS_MAX_OUTPUT)
        return sys_fault(vm, "commit", "output limit exceeded");
    if (charge(vm, vm->gs.syscall_base + vm->gs.per_word * words32(len))) return 1;
    if (len == 0) return 0;
    if (grow((void **)&vm->out, &vm->out_cap, vm->out_len + len, 1) != 0)
        return sys_fault(vm, "commit", "host out of memory");
    if (kiln_vm_copy_in(vm, buf, vm->out + vm->out_len, len) != 0) return mem_fault(vm, "commit", buf, len);
    vm->out_len += len;
    return 0;
}

static int sys_debug(kiln_vm *vm) {
    uint32_t buf = vm->x[A0], len = vm->x[A1];
    if (len > SYS_MAX_SMALL) return sys_fault(vm, "debug", "message longer than 64 KiB");
    if (charge(vm, vm->gs.syscall_base + vm->gs.per_word * words32(len))) return 1;
    char *tmp = (char *)malloc(len ? len : 1);
    if (!tmp) return sys_fault(vm, "debug", "host out of memory");
    if (kiln_vm_copy_in(vm, buf, tmp, len) != 0) {
        free(tmp);
        return mem_fault(vm, "debug", buf, len);
    }
    if (vm->host.debug) vm->host.debug(vm->host.ctx, tmp, len);
    free(tmp);
    return 0;
}

static uint32_t le32(const uint8_t *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* advice: a0 = out, a1 = capacity, a2 = request, a3 = request length -> a0 = answer length. The answer comes
 * from the host's callback (and is recorded on the tape) or, in replay mode, from the tape; the request is
 * read (so a bad request buffer faults in both modes) but ignored when replaying. */
static int sys_advice(kiln_vm *vm) {
    uint32_t out = vm->x[A0], cap = vm->x[A1], rp = vm->x[A2], rlen = vm->x[A3];
    if (rlen > KILN_VM_ADVICE_MAX_REQUEST) return sys_fault(vm, "advice", "request longer than 4 KiB");
    if (!vm->advice_replay && !vm->host.advice)
        return sys_fault(vm, "advice", "this host provides no advice (no callback and no tape)");
    uint8_t req[KILN_VM_ADVICE_MAX_REQUEST];
    kiln_vm_trace *t = vm->trace;
    vm->trace = NULL; /* the request is not part of the proven run (docs/zkvm-air.md) */
    int bad = rlen && kiln_vm_copy_in(vm, rp, req, rlen) != 0;
    vm->trace = t;
    if (bad) return mem_fault(vm, "advice", rp, rlen);
    uint32_t n = 0;
    size_t at = vm->advice_pos + 4; /* where the answer's bytes lie on the tape */
    if (vm->advice_replay) {
        if (vm->advice_len - vm->advice_pos < 4)
            return sys_fault(vm, "advice", "replay past the end of the advice tape");
        n = le32(vm->advice + vm->advice_pos); /* kiln_vm_set_advice_tape checked the framing */
    } else {
        uint32_t room = cap < KILN_VM_ADVICE_MAX_ANSWER ? cap : KILN_VM_ADVICE_MAX_ANSWER;
        if (grow((void **)&vm->advice, &vm->advice_cap, at + room, 1) != 0)
            return sys_fault(vm, "advice", "host out of memory");
        if (vm->host.advice(vm->host.ctx, req, rlen, vm->advice + at, room, &n) != KILN_OK)
            return sys_fault(vm, "advice", "the host failed to answer");
    }
    if (n > cap || n > KILN_VM_ADVICE_MAX_ANSWER) {
        kiln_vm_stop_with(vm, KILN_VM_FAULT_SYSCALL, vm->pc,
                          "syscall advice: answer of %u bytes exceeds the capacity of %u bytes (pc 0x%08x)",
                          n, cap, vm->pc);
        return 1;
    }
    if (charge(vm, vm->gs.syscall_base + vm->gs.per_word * words32((uint64_t)rlen + n))) return 1;
    if (n && kiln_vm_copy_out(vm, out, vm->advice + at, n) != 0) return mem_fault(vm, "advice", out, n);
    if (!vm->advice_replay) {
        for (int i = 0; i < 4; i++)
            vm->advice[vm->advice_pos + (size_t)i] = (uint8_t)(n >> (8 * i));
        vm->advice_len = at + n;
    }
    vm->advice_pos = at + n;
    vm->x[A0] = n;
    return 0;
}

/* io_digest: a0 = 16 words (input hash, output hash as 8 x u64 LE), read and kept for the host; the zkVM
 * AIR publishes them. Once per run. */
static int sys_io_digest(kiln_vm *vm) {
    uint32_t p = vm->x[A0];
    if (p & 3) return sys_fault(vm, "io_digest", "digest pointer not 4-byte aligned");
    if (vm->digest_set) return sys_fault(vm, "io_digest", "called more than once");
    if (charge(vm, vm->gs.syscall_base)) return 1;
    uint8_t raw[64];
    if (kiln_vm_copy_in(vm, p, raw, sizeof raw) != 0) return mem_fault(vm, "io_digest", p, 64);
    for (int i = 0; i < 8; i++)
        vm->digest[i] = le32(raw + 8 * i) | (uint64_t)le32(raw + 8 * i + 4) << 32;
    vm->digest_set = 1;
    return 0;
}

static int sys_poseidon2(kiln_vm *vm) {
    uint32_t p = vm->x[A0];
    if (p & 3) return sys_fault(vm, "poseidon2", "state pointer not 4-byte aligned");
    if (charge(vm, vm->gs.poseidon2)) return 1;
    uint8_t raw[96];
    uint64_t st[12];
    if (kiln_vm_copy_in(vm, p, raw, sizeof raw) != 0) return mem_fault(vm, "poseidon2", p, 96);
    for (int i = 0; i < 12; i++) {
        uint64_t v = 0;
        for (int b = 7; b >= 0; b--)
            v = v << 8 | raw[8 * i + b];
        if (v >= GOLDILOCKS_P)
            return sys_fault(vm, "poseidon2", "state element not a canonical Goldilocks element");
        st[i] = v;
    }
    kiln_poseidon2_permute(st);
    for (int i = 0; i < 12; i++)
        for (int b = 0; b < 8; b++)
            raw[8 * i + b] = (uint8_t)(st[i] >> (8 * b));
    if (kiln_vm_copy_out(vm, p, raw, sizeof raw) != 0) return mem_fault(vm, "poseidon2", p, 96);
    return 0;
}

static int sys_keccakf(kiln_vm *vm) {
    uint32_t p = vm->x[A0];
    if (p & 3) return sys_fault(vm, "keccakf", "state pointer not 4-byte aligned");
    if (charge(vm, vm->gs.keccakf)) return 1;
    uint8_t raw[200];
    uint64_t st[25];
    if (kiln_vm_copy_in(vm, p, raw, sizeof raw) != 0) return mem_fault(vm, "keccakf", p, 200);
    for (int i = 0; i < 25; i++) {
        uint64_t v = 0;
        for (int b = 7; b >= 0; b--)
            v = v << 8 | raw[8 * i + b];
        st[i] = v;
    }
    kiln_keccak_f1600(st);
    for (int i = 0; i < 25; i++)
        for (int b = 0; b < 8; b++)
            raw[8 * i + b] = (uint8_t)(st[i] >> (8 * b));
    if (kiln_vm_copy_out(vm, p, raw, sizeof raw) != 0) return mem_fault(vm, "keccakf", p, 200);
    return 0;
}

static void le_words(const uint8_t b[32], uint32_t w[8]) {
    for (int i = 0; i < 8; i++)
        w[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
               (uint32_t)b[4 * i + 3] << 24;
}

static int sys_u256(kiln_vm *vm, uint32_t num) {
    static const char *names[3] = {"u256_addmod", "u256_submod", "u256_mulmod"};
    const char *name = names[num - KILN_SYS_U256_ADDMOD];
    uint32_t out = vm->x[A0], ptr[3] = {vm->x[A1], vm->x[A2], vm->x[A3]};
    if ((out | ptr[0] | ptr[1] | ptr[2]) & 3) return sys_fault(vm, name, "pointer not 4-byte aligned");
    if (charge(vm, vm->gs.u256)) return 1;
    uint8_t raw[3][32];
    uint32_t w[3][8], r[8];
    for (int i = 0; i < 3; i++) {
        if (kiln_vm_copy_in(vm, ptr[i], raw[i], 32) != 0) return mem_fault(vm, name, ptr[i], 32);
        le_words(raw[i], w[i]);
    }
    uint32_t any = 0;
    for (int i = 0; i < 8; i++)
        any |= w[2][i];
    if (!any) return sys_fault(vm, name, "modulus is zero");
    if (num == KILN_SYS_U256_ADDMOD)
        kiln_vm_u256_addmod(r, w[0], w[1], w[2]);
    else if (num == KILN_SYS_U256_SUBMOD)
        kiln_vm_u256_submod(r, w[0], w[1], w[2]);
    else
        kiln_vm_u256_mulmod(r, w[0], w[1], w[2]);
    uint8_t ob[32];
    for (int i = 0; i < 32; i++)
        ob[i] = (uint8_t)(r[i / 4] >> (8 * (i % 4)));
    if (kiln_vm_copy_out(vm, out, ob, 32) != 0) return mem_fault(vm, name, out, 32);
    return 0;
}

int kiln_vm_syscall(kiln_vm *vm) {
    uint32_t num = vm->x[A7];
    kiln_vm_trace *t = vm->trace;
    uint64_t rec = 0;
    uint64_t mem0 = 0;
    if (t) {
        /* The ecall row is already committed: it is the last row. */
        if (kiln_vm_trace_syscall_begin(t, t->n_rows - 1, num, &vm->x[A0]) != 0)
            return sys_fault(vm, "trace", "host out of memory for the syscall trace");
        rec = t->n_syscalls - 1;
        mem0 = t->n_mem;
    }
    int stop;
    switch (num) {
    case KILN_SYS_EXIT:
        vm->result.exit_code = vm->x[A0];
        kiln_vm_stop_with(vm, KILN_VM_EXITED, vm->pc, NULL);
        stop = 1;
        break;
    case KILN_SYS_INPUT_READ:
        stop = sys_input_read(vm);
        break;
    case KILN_SYS_INPUT_LEN:
        stop = charge(vm, vm->gs.syscall_base);
        if (!stop) vm->x[A0] = (uint32_t)(vm->input_len - vm->input_pos);
        break;
    case KILN_SYS_COMMIT:
        stop = sys_commit(vm);
        break;
    case KILN_SYS_DEBUG:
        stop = sys_debug(vm);
        break;
    case KILN_SYS_ADVICE:
        stop = sys_advice(vm);
        break;
    case KILN_SYS_IO_DIGEST:
        stop = sys_io_digest(vm);
        break;
    case KILN_SYS_POSEIDON2:
        stop = sys_poseidon2(vm);
        break;
    case KILN_SYS_KECCAKF:
        stop = sys_keccakf(vm);
        break;
    case KILN_SYS_U256_ADDMOD:
    case KILN_SYS_U256_SUBMOD:
    case KILN_SYS_U256_MULMOD:
        stop = sys_u256(vm, num);
        break;
    default:
        kiln_vm_stop_with(vm, KILN_VM_FAULT_SYSCALL, vm->pc, "unknown syscall %u (a7) at pc 0x%08x", num,
                          vm->pc);
        stop = 1;
    }
    if (t) {
        if (stop && vm->result.stop != KILN_VM_EXITED) {
            /* The ecall did not retire: drop its records. */
            t->n_syscalls = rec;
            t->n_mem = mem0;
        } else {
            kiln_vm_trace_syscall *s = &t->syscalls[rec];
            s->ret[0] = vm->x[A0];
            s->ret[1] = vm->x[A1];
            s->mem_count = (uint32_t)(t->n_mem - s->mem_first);
        }
    }
    return stop;
}
