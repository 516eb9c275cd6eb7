/* The interpreter loop body, included twice by exec.c (RUN_NAME/TRACING: plain and tracing variants) so each
 * is compiled with its own threaded dispatch (computed goto: one indirect branch per handler). */
static kiln_status RUN_NAME(kiln_vm *vm) {
    const int tracing = TRACING;
    static const void *const labels[OP_COUNT] = {
#define L(op) [op] = &&L_##op
        L(OP_ILLEGAL), L(OP_PC_OUT), L(OP_LUI),  L(OP_AUIPC), L(OP_JAL),  L(OP_JALR),  L(OP_BEQ),
        L(OP_BNE),     L(OP_BLT),    L(OP_BGE),  L(OP_BLTU),  L(OP_BGEU), L(OP_LB),    L(OP_LH),
        L(OP_LW),      L(OP_LBU),    L(OP_LHU),  L(OP_SB),    L(OP_SH),   L(OP_SW),    L(OP_ADDI),
        L(OP_SLTI),    L(OP_SLTIU),  L(OP_XORI), L(OP_ORI),   L(OP_ANDI), L(OP_SLLI),  L(OP_SRLI),
        L(OP_SRAI),    L(OP_ADD),    L(OP_SUB),  L(OP_SLL),   L(OP_SLT),  L(OP_SLTU),  L(OP_XOR),
        L(OP_SRL),     L(OP_SRA),    L(OP_OR),   L(OP_AND),   L(OP_MUL),  L(OP_MULH),  L(OP_MULHSU),
        L(OP_MULHU),   L(OP_DIV),    L(OP_DIVU), L(OP_REM),   L(OP_REMU), L(OP_FENCE), L(OP_ECALL),
        L(OP_EBREAK),
#undef L
    };
    const kiln_vm_program *prog = vm->prog;
    const kiln_insn *const code = prog->code;
    const uint32_t base = prog->code_base, size = prog->code_size;
    uint32_t *const x = vm->x;
    kiln_vm_trace *const t = vm->trace;
    const kiln_insn *ip = code + ((vm->pc - base) >> 2);
    uint64_t budget, left;
    kiln_vm_stop fkind = KILN_VM_RUNNING;
    uint32_t faddr = 0;
    kiln_vm_trace_row *row = NULL;
    kiln_insn in;

restart:
    budget = left = budget_of(vm);
    DISPATCH();
    {
    L_OP_LUI:
        x[in.rd] = (uint32_t)in.imm;
        ip++;
        DONE();
    L_OP_AUIPC:
        x[in.rd] = PC() + (uint32_t)in.imm;
        ip++;
        DONE();
    L_OP_JAL : {
        uint32_t pc = PC();
        JUMP_TO(pc + (uint32_t)in.imm, pc + 4);
        DONE();
    }
    L_OP_JALR : {
        uint32_t pc = PC();
        JUMP_TO((x[in.rs1] + (uint32_t)in.imm) & ~1u, pc + 4);
        DONE();
    }
    L_OP_BEQ:
        BRANCH(x[in.rs1] == x[in.rs2]);
        DONE();
    L_OP_BNE:
        BRANCH(x[in.rs1] != x[in.rs2]);
        DONE();
    L_OP_BLT:
        BRANCH((int32_t)x[in.rs1] < (int32_t)x[in.rs2]);
        DONE();
    L_OP_BGE:
        BRANCH((int32_t)x[in.rs1] >= (int32_t)x[in.rs2]);
        DONE();
    L_OP_BLTU:
        BRANCH(x[in.rs1] < x[in.rs2]);
        DONE();
    L_OP_BGEU:
        BRANCH(x[in.rs1] >= x[in.rs2]);
        DONE();
    L_OP_LB:
    L_OP_LBU : {
        uint32_t a = x[in.rs1] + (uint32_t)in.imm;
        const uint8_t *p = vm_rptr(vm, a);
        if (VM_UNLIKELY(!p)) MEMFAULT(a);
        uint8_t v = *p;
        TRACE_MEM(a, p - (a & 3), vm_ld32(p - (a & 3)));
        x[in.rd] = in.op == OP_LB ? (uint32_t)(int32_t)(int8_t)v : v;
        ip++;
        DONE();
    }
    L_OP_LH:
    L_OP_LHU : {
        uint32_t a = x[in.rs1] + (uint32_t)in.imm;
        if (VM_UNLIKELY(a & 1)) FAULT(KILN_VM_FAULT_MISALIGNED, a);
        const uint8_t *p = vm_rptr(vm, a);
        if (VM_UNLIKELY(!p)) MEMFAULT(a);
        uint16_t v;
        memcpy(&v, p, 2);
        TRACE_MEM(a, p - (a & 3), vm_ld32(p - (a & 3)));
        x[in.rd] = in.op == OP_LH ? (uint32_t)(int32_t)(int16_t)v : v;
        ip++;
        DONE();
    }
    L_OP_LW : {
        uint32_t a = x[in.rs1] + (uint32_t)in.imm;
        if (VM_UNLIKELY(a & 3)) FAULT(KILN_VM_FAULT_MISALIGNED, a);
        const uint8_t *p = vm_rptr(vm, a);
        if (VM_UNLIKELY(!p)) MEMFAULT(a);
        uint32_t v = vm_ld32(p);
        TRACE_MEM(a, p, v);
        x[in.rd] = v;
        ip++;
        DONE();
    }
    L_OP_SB : {
        uint32_t a = x[in.rs1] + (uint32_t)in.imm;
        uint8_t *p = vm_wptr(vm, a);
        if (VM_UNLIKELY(!p)) MEMFAULT(a);
        uint32_t prev = tracing ? vm_ld32(p - (a & 3)) : 0;
        *p = (uint8_t)x[in.rs2];
        TRACE_MEM(a, p - (a & 3), prev);
        ip++;
        DONE();
    }
    L_OP_SH : {
        uint32_t a = x[in.rs1] + (uint32_t)in.imm;
        if (VM_UNLIKELY(a & 1)) FAULT(KILN_VM_FAULT_MISALIGNED, a);
        uint8_t *p = vm_wptr(vm, a);
        if (VM_UNLIKELY(!p)) MEMFAULT(a);
        uint32_t prev = tracing ? vm_ld32(p - (a & 3)) : 0;
        uint16_t v = (uint16_t)x[in.rs2];
        memcpy(p, &v, 2);
        TRACE_MEM(a, p - (a & 3), prev);
        ip++;
        DONE();
    }
    L_OP_SW : {
        uint32_t a = x[in.rs1] + (uint32_t)in.imm;
        if (VM_UNLIKELY(a & 3)) FAULT(KILN_VM_FAULT_MISALIGNED, a);
        uint8_t *p = vm_wptr(vm, a);
        if (VM_UNLIKELY(!p)) MEMFAULT(a);
        uint32_t prev = tracing ? vm_ld32(p) : 0;
        vm_st32(p, x[in.rs2]);
        TRACE_MEM(a, p, prev);
        ip++;
        DONE();
    }
    L_OP_ADDI:
        x[in.rd] = x[in.rs1] + (uint32_t)in.imm;
        ip++;
        DONE();
    L_OP_SLTI:
        x[in.rd] = (int32_t)x[in.rs1] < in.imm;
        ip++;
        DONE();
    L_OP_SLTIU:
        x[in.rd] = x[in.rs1] < (uint32_t)in.imm;
        ip++;
        DONE();
    L_OP_XORI:
        x[in.rd] = x[in.rs1] ^ (uint32_t)in.imm;
        ip++;
        DONE();
    L_OP_ORI:
        x[in.rd] = x[in.rs1] | (uint32_t)in.imm;
        ip++;
        DONE();
    L_OP_ANDI:
        x[in.rd] = x[in.rs1] & (uint32_t)in.imm;
        ip++;
        DONE();
    L_OP_SLLI:
        x[in.rd] = x[in.rs1] << in.imm;
        ip++;
        DONE();
    L_OP_SRLI:
        x[in.rd] = x[in.rs1] >> in.imm;
        ip++;
        DONE();
    L_OP_SRAI:
        x[in.rd] = (uint32_t)((int32_t)x[in.rs1] >> in.imm);
        ip++;
        DONE();
    L_OP_ADD:
        x[in.rd] = x[in.rs1] + x[in.rs2];
        ip++;
        DONE();
    L_OP_SUB:
        x[in.rd] = x[in.rs1] - x[in.rs2];
        ip++;
        DONE();
    L_OP_SLL:
        x[in.rd] = x[in.rs1] << (x[in.rs2] & 31);
        ip++;
        DONE();
    L_OP_SLT:
        x[in.rd] = (int32_t)x[in.rs1] < (int32_t)x[in.rs2];
        ip++;
        DONE();
    L_OP_SLTU:
        x[in.rd] = x[in.rs1] < x[in.rs2];
        ip++;
        DONE();
    L_OP_XOR:
        x[in.rd] = x[in.rs1] ^ x[in.rs2];
        ip++;
        DONE();
    L_OP_SRL:
        x[in.rd] = x[in.rs1] >> (x[in.rs2] & 31);
        ip++;
        DONE();
    L_OP_SRA:
        x[in.rd] = (uint32_t)((int32_t)x[in.rs1] >> (x[in.rs2] & 31));
        ip++;
        DONE();
    L_OP_OR:
        x[in.rd] = x[in.rs1] | x[in.rs2];
        ip++;
        DONE();
    L_OP_AND:
        x[in.rd] = x[in.rs1] & x[in.rs2];
        ip++;
        DONE();
    L_OP_MUL:
        x[in.rd] = x[in.rs1] * x[in.rs2];
        ip++;
        DONE();
    L_OP_MULH:
        x[in.rd] = (uint32_t)((uint64_t)((int64_t)(int32_t)x[in.rs1] * (int64_t)(int32_t)x[in.rs2]) >> 32);
        ip++;
        DONE();
    L_OP_MULHSU:
        x[in.rd] = (uint32_t)((uint64_t)((int64_t)(int32_t)x[in.rs1] * (int64_t)(uint64_t)x[in.rs2]) >> 32);
        ip++;
        DONE();
    L_OP_MULHU:
        x[in.rd] = (uint32_t)(((uint64_t)x[in.rs1] * x[in.rs2]) >> 32);
        ip++;
        DONE();
    L_OP_DIV : {
        int32_t a = (int32_t)x[in.rs1], b = (int32_t)x[in.rs2];
        x[in.rd] = b == 0 ? 0xffffffffu : (a == INT32_MIN && b == -1) ? (uint32_t)a : (uint32_t)(a / b);
        ip++;
        DONE();
    }
    L_OP_DIVU : {
        uint32_t a = x[in.rs1], b = x[in.rs2];
        x[in.rd] = b == 0 ? 0xffffffffu : a / b;
        ip++;
        DONE();
    }
    L_OP_REM : {
        int32_t a = (int32_t)x[in.rs1], b = (int32_t)x[in.rs2];
        x[in.rd] = b == 0 ? (uint32_t)a : (a == INT32_MIN && b == -1) ? 0u : (uint32_t)(a % b);
        ip++;
        DONE();
    }
    L_OP_REMU : {
        uint32_t a = x[in.rs1], b = x[in.rs2];
        x[in.rd] = b == 0 ? a : a % b;
        ip++;
        DONE();
    }
    L_OP_FENCE:
        ip++;
        DONE();
    L_OP_ECALL : {
        SYNC();
        /* The ecall row is committed first (its syscall record names it as the last row); the ecall counts
         * as retired, and a faulting syscall takes both back. */
        uint64_t ecall_row = 0;
        if (tracing) {
            row->rd_val = 0;
            ecall_row = t->n_rows++;
        }
        int stop = kiln_vm_syscall(vm);
        if (stop) {
            if (vm->result.stop != KILN_VM_EXITED) {
                if (tracing) t->n_rows = ecall_row;
                vm->cycles--;
                vm->gas -= vm->gs.insn <= vm->gas ? vm->gs.insn : vm->gas;
                vm->result.cycles = vm->cycles;
                vm->result.gas = vm->gas;
                return kiln_vm_status_of(vm->result.stop);
            }
            vm->result.cycles = vm->cycles;
            vm->result.gas = vm->gas;
            return KILN_OK;
        }
        ip++;
        goto restart;
    }
    L_OP_EBREAK:
        FAULT(KILN_VM_FAULT_ILLEGAL, 0);
    L_OP_PC_OUT:
        FAULT(KILN_VM_FAULT_PC, PC());
    L_OP_ILLEGAL:
        FAULT(KILN_VM_FAULT_ILLEGAL, 0);
    }

out_of_budget:
    SYNC();
    if (vm->max_cycles && vm->cycles >= vm->max_cycles)
        return kiln_vm_stop_with(vm, KILN_VM_LIMIT_CYCLES, vm->pc, "cycle limit %llu reached",
                                 (unsigned long long)vm->max_cycles);
    return kiln_vm_stop_with(vm, KILN_VM_LIMIT_GAS, vm->pc, "gas limit %llu reached",
                             (unsigned long long)vm->gas_limit);

trace_full:
    SYNC();
    return kiln_vm_stop_with(vm, KILN_VM_TRACE_FULL, vm->pc, "trace buffer full (%llu rows)",
                             (unsigned long long)t->cap_rows);

fault:
    left++; /* the faulting instruction did not retire */
    SYNC();
    {
        uint32_t pc = vm->pc;
        uint32_t word = (pc - base) < size ? prog->words[(pc - base) >> 2] : 0;
        switch (fkind) {
        case KILN_VM_FAULT_ILLEGAL:
            if (ip->op == OP_EBREAK) return kiln_vm_stop_with(vm, fkind, pc, "ebreak at pc 0x%08x", pc);
            return kiln_vm_stop_with(vm, fkind, pc, "illegal instruction 0x%08x at pc 0x%08x", word, pc);
        case KILN_VM_FAULT_PC:
            return kiln_vm_stop_with(vm, fkind, pc, "jump to 0x%08x outside the code at pc 0x%08x", faddr,
                                     pc);
        case KILN_VM_FAULT_MISALIGNED:
            if (ip->op == OP_JAL || ip->op == OP_JALR || (ip->op >= OP_BEQ && ip->op <= OP_BGEU))
                return kiln_vm_stop_with(vm, fkind, pc, "misaligned jump target 0x%08x at pc 0x%08x", faddr,
                                         pc);
            return kiln_vm_stop_with(vm, fkind, pc, "misaligned access to 0x%08x at pc 0x%08x", faddr, pc);
        case KILN_VM_FAULT_MEMORY_CAP:
            return kiln_vm_stop_with(vm, fkind, pc, "memory cap reached writing 0x%08x at pc 0x%08x", faddr,
                                     pc);
        default: {
            int store = ip->op == OP_SB || ip->op == OP_SH || ip->op == OP_SW;
            return kiln_vm_stop_with(vm, KILN_VM_FAULT_ACCESS, pc, "%s fault at 0x%08x (pc 0x%08x)",
                                     store ? "store" : "load", faddr, pc);
        }
        }
    }
}
