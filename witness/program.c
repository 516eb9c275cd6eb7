/* Programs for the zkVM AIR: ELF validation (through the VM), executable words, decoding of the supported
 * subset, image and input hashes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poseidon2/poseidon2.h"
#include "vm.h"
#include "zkvm_internal.h"

static uint32_t rd32(const uint8_t *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static uint16_t rd16(const uint8_t *b) {
    return (uint16_t)(b[0] | b[1] << 8);
}

const char *kiln_zkvm_insn_name(uint32_t insn) {
    uint32_t op = insn & 0x7f, f3 = (insn >> 12) & 7, f7 = insn >> 25;
    switch (op) {
    case 0x33:
        if (f7 == 1) {
            static const char *const m[8] = {"mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
            return m[f3];
        }
        if (f7 == 0) {
            static const char *const r[8] = {"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"};
            return r[f3];
        }
        if (f7 == 0x20 && f3 == 0) return "sub";
        if (f7 == 0x20 && f3 == 5) return "sra";
        return "unknown";
    case 0x13: {
        static const char *const i[8] = {"addi", "slli", "slti", "sltiu", "xori", "srli", "ori", "andi"};
        if (f3 == 5 && f7 == 0x20) return "srai";
        return i[f3];
    }
    case 0x37:
        return "lui";
    case 0x17:
        return "auipc";
    case 0x6f:
        return "jal";
    case 0x67:
        return f3 == 0 ? "jalr" : "unknown";
    case 0x63: {
        static const char *const b[8] = {"beq", "bne", "unknown", "unknown", "blt", "bge", "bltu", "bgeu"};
        return b[f3];
    }
    case 0x03: {
        static const char *const l[8] = {"lb", "lh", "lw", "unknown", "lbu", "lhu", "unknown", "unknown"};
        return l[f3];
    }
    case 0x23: {
        static const char *const s[8] = {"sb",      "sh",      "sw",      "unknown",
                                         "unknown", "unknown", "unknown", "unknown"};
        return s[f3];
    }
    case 0x0f:
        return f3 == 1 ? "fence.i" : "fence";
    case 0x73:
        if (insn == 0x73) return "ecall";
        if (insn == 0x00100073) return "ebreak";
        return "csr";
    default:
        return "unknown";
    }
}

static int32_t sext(uint32_t v, unsigned bits) {
    return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

zk_decoded zk_decode(uint32_t pc, uint32_t insn) {
    zk_decoded d;
    memset(&d, 0, sizeof d);
    d.op = ZK_OP_INVALID;
    uint32_t op = insn & 0x7f, rd = (insn >> 7) & 31, f3 = (insn >> 12) & 7, rs1 = (insn >> 15) & 31,
             rs2 = (insn >> 20) & 31, f7 = insn >> 25;
    uint32_t imm = 0;
    switch (op) {
    case 0x33:
        if (f3 == 0 && f7 == 0)
            d.op = ZK_OP_ADD;
        else if (f3 == 0 && f7 == 0x20)
            d.op = ZK_OP_SUB;
        else if (f3 == 2 && f7 == 0)
            d.op = ZK_OP_SLT;
        else if (f3 == 3 && f7 == 0)
            d.op = ZK_OP_SLTU;
        else if (f3 == 7 && f7 == 0)
            d.op = ZK_OP_AND;
        else if (f3 == 6 && f7 == 0)
            d.op = ZK_OP_OR;
        else if (f3 == 4 && f7 == 0)
            d.op = ZK_OP_XOR;
        else if (f3 == 1 && f7 == 0)
            d.op = ZK_OP_SLL;
        else if (f3 == 5 && f7 == 0)
            d.op = ZK_OP_SRL;
        else if (f3 == 5 && f7 == 0x20)
            d.op = ZK_OP_SRA;
        else if (f7 == 1) /* M extension, in funct3 order */
            d.op = ZK_OP_MUL + (int)f3;
        else
            return d;
        d.rd = rd, d.rs1 = rs1, d.rs2 = rs2;
        break;
    case 0x13:
        if (f3 == 0)
            d.op = ZK_OP_ADDI;
        else if (f3 == 2)
            d.op = ZK_OP_SLTI;
        else if (f3 == 3)
            d.op = ZK_OP_SLTIU;
        else if (f3 == 7)
            d.op = ZK_OP_ANDI;
        else if (f3 == 6)
            d.op = ZK_OP_ORI;
        else if (f3 == 4)
            d.op = ZK_OP_XORI;
        else if (f3 == 1 && f7 == 0)
            d.op = ZK_OP_SLLI;
        else if (f3 == 5 && f7 == 0)
            d.op = ZK_OP_SRLI;
        else if (f3 == 5 && f7 == 0x20)
            d.op = ZK_OP_SRAI;
        else
            return d;
        d.rd = rd, d.rs1 = rs1;
        imm = (uint32_t)sext(insn >> 20, 12);
        break;
    case 0x37:
        d.op = ZK_OP_LUI, d.rd = rd, imm = insn & 0xfffff000u;
        break;
    case 0x17:
        d.op = ZK_OP_AUIPC, d.rd = rd, imm = insn & 0xfffff000u;
        break;
    case 0x6f: {
        uint32_t j = ((insn >> 31) & 1) << 20 | ((insn >> 21) & 0x3ff) << 1 | ((insn >> 20) & 1) << 11 |
                     ((insn >> 12) & 0xff) << 12;
        imm = (uint32_t)sext(j, 21);
        d.op = ZK_OP_JAL, d.rd = rd, d.target = pc + imm;
        break;
    }
    case 0x67:
        if (f3 != 0) return d;
        d.op = ZK_OP_JALR, d.rd = rd, d.rs1 = rs1, imm = (uint32_t)sext(insn >> 20, 12);
        break;
    case 0x63: {
        static const int ops[8] = {ZK_OP_BEQ, ZK_OP_BNE, -1,         -1,
                                   ZK_OP_BLT, ZK_OP_BGE, ZK_OP_BLTU, ZK_OP_BGEU};
        if (ops[f3] < 0) return d;
        uint32_t b = ((insn >> 31) & 1) << 12 | ((insn >> 7) & 1) << 11 | ((insn >> 25) & 0x3f) << 5 |
                     ((insn >> 8) & 0xf) << 1;
        d.op = ops[f3], d.rs1 = rs1, d.rs2 = rs2, d.target = pc + (uint32_t)sext(b, 13);
        break;
    }
    case 0x03: {
        static const int ops[8] = {ZK_OP_LB, ZK_OP_LH, ZK_OP_LW, -1, ZK_OP_LBU, ZK_OP_LHU, -1, -1};
        if (ops[f3] < 0) return d;
        d.op = ops[f3], d.rd = rd, d.rs1 = rs1, imm = (uint32_t)sext(insn >> 20, 12);
        break;
    }
    case 0x23: {
        static const int ops[8] = {ZK_OP_SB, ZK_OP_SH, ZK_OP_SW, -1, -1, -1, -1, -1};
        if (ops[f3] < 0) return d;
        d.op = ops[f3], d.rs1 = rs1, d.rs2 = rs2, imm = (uint32_t)sext((f7 << 5) | rd, 12);
        break;
    }
    case 0x0f: /* fence (the VM refuses fence.i): no access, no write */
        if (f3 != 0) return d;
        d.op = ZK_OP_FENCE;
        break;
    case 0x73:
        if (insn != 0x73) return d;
        d.op = ZK_OP_EXIT, d.rs1 = 10, d.rs2 = 17, d.rd = 10; /* a1 is read in the memory slot; wr = 0 */
        break;
    default:
        return d;
    }
    d.imm = imm;
    int writes = d.op == ZK_OP_ADD || d.op == ZK_OP_SUB || d.op == ZK_OP_ADDI || d.op == ZK_OP_LUI ||
                 d.op == ZK_OP_AUIPC || d.op == ZK_OP_JAL || d.op == ZK_OP_JALR || d.op == ZK_OP_LW ||
                 d.op == ZK_OP_SLT || d.op == ZK_OP_SLTU || d.op == ZK_OP_SLTI || d.op == ZK_OP_SLTIU ||
                 (d.op >= ZK_OP_AND && d.op <= ZK_OP_LHU) || (d.op >= ZK_OP_MUL && d.op <= ZK_OP_REMU);
    d.wr = writes && d.rd != 0;
    return d;
}

zk_prow zk_prog_row(uint32_t pc, const zk_decoded *d) {
    zk_prow r = {-1, d->imm, d->target, 0};
    int op = d->op;
    switch (op) {
    case ZK_OP_ADD: r.flag = ZF_ADD; break;
    case ZK_OP_SUB: r.flag = ZF_ADD, r.target = 1; break;
    case ZK_OP_ADDI:
    case ZK_OP_FENCE: r.flag = ZF_ADD, r.fi = 1; break; /* fence decodes with rd = rs1 = 0, imm = 0 */
    case ZK_OP_LUI: r.flag = ZF_LUI; break;
    case ZK_OP_AUIPC: r.flag = ZF_LUI, r.imm = pc + d->imm; break; /* rd = pc + imm: fixed by the program */
    case ZK_OP_JAL: r.flag = ZF_JAL; break;
    case ZK_OP_JALR: r.flag = ZF_JALR, r.fi = 1; break;
    case ZK_OP_BEQ:
    case ZK_OP_BNE: r.flag = ZF_BEQ, r.imm = op == ZK_OP_BNE; break; /* the target is precomputed */
    case ZK_OP_BLT:
    case ZK_OP_BGE: r.flag = ZF_BLT, r.imm = op == ZK_OP_BGE; break;
    case ZK_OP_BLTU:
    case ZK_OP_BGEU: r.flag = ZF_BLTU, r.imm = op == ZK_OP_BGEU; break;
    case ZK_OP_LW: r.flag = ZF_LW, r.fi = 1; break;
    case ZK_OP_SW: r.flag = ZF_SW, r.fi = 1; break;
    case ZK_OP_SLT:
    case ZK_OP_SLTU: r.flag = ZF_SLT, r.target = op == ZK_OP_SLTU; break;
    case ZK_OP_SLTI:
    case ZK_OP_SLTIU: r.flag = ZF_SLT, r.target = op == ZK_OP_SLTIU, r.fi = 1; break;
    case ZK_OP_AND: r.flag = ZF_AND; break;
    case ZK_OP_ANDI: r.flag = ZF_AND, r.fi = 1; break;
    case ZK_OP_OR:
    case ZK_OP_XOR: r.flag = ZF_ORX, r.target = op == ZK_OP_XOR; break;
    case ZK_OP_ORI:
    case ZK_OP_XORI: r.flag = ZF_ORX, r.target = op == ZK_OP_XORI, r.fi = 1; break;
    case ZK_OP_SLL: r.flag = ZF_SLL; break;
    case ZK_OP_SRL: r.flag = ZF_SRL; break;
    case ZK_OP_SRA: r.flag = ZF_SRA; break;
    case ZK_OP_SLLI: r.flag = ZF_SLL, r.fi = 1; break;
    case ZK_OP_SRLI: r.flag = ZF_SRL, r.fi = 1; break;
    case ZK_OP_SRAI: r.flag = ZF_SRA, r.fi = 1; break;
    case ZK_OP_LB:
    case ZK_OP_LBU: r.flag = ZF_LB, r.target = op == ZK_OP_LB, r.fi = 1; break;
    case ZK_OP_LH:
    case ZK_OP_LHU: r.flag = ZF_LH, r.target = op == ZK_OP_LH, r.fi = 1; break;
    case ZK_OP_SB: r.flag = ZF_SB, r.fi = 1; break;
    case ZK_OP_SH: r.flag = ZF_SH, r.fi = 1; break;
    case ZK_OP_EXIT: r.flag = ZF_EXIT; break;
    default:
        if (op >= ZK_OP_MUL && op <= ZK_OP_REMU) r.flag = ZF_M, r.imm = (uint32_t)(op - ZK_OP_MUL + 1);
        break;
    }
    return r;
}

static int code_cmp(const void *a, const void *b) {
    uint32_t x = ((const zk_code *)a)->pc, y = ((const zk_code *)b)->pc;
    return x < y ? -1 : x > y;
}

static void set_err(char *err, size_t errlen, const char *msg) {
    if (err && errlen) snprintf(err, errlen, "%s", msg);
}

kiln_status kiln_zkvm_program_load(const uint8_t *elf, size_t len, kiln_zkvm_program **out, char *err,
                                   size_t errlen) {
    if (!out || (!elf && len)) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    kiln_vm_program *vp = NULL;
    kiln_status st = kiln_vm_program_from_elf(elf, len, &vp, err, errlen);
    if (st != KILN_OK) return st;
    /* The VM validated every header and range, so these reads stay inside the file. */
    kiln_zkvm_program *p = (kiln_zkvm_program *)calloc(1, sizeof *p);
    if (!p) {
        kiln_vm_program_free(vp);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    p->vm = vp;
    p->entry = kiln_vm_program_entry(vp);
    uint32_t phoff = rd32(elf + 28);
    unsigned phentsize = rd16(elf + 42), phnum = rd16(elf + 44);
    /* Image hash input: entry, then per PT_LOAD: vaddr, memsz, flags, filesz, the bytes as words. */
    size_t hcap = 8, hn = 0;
    uint64_t *h = (uint64_t *)malloc(hcap * 8);
    if (!h) goto oom;
    h[hn++] = p->entry;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = elf + phoff + (size_t)i * phentsize;
        if (rd32(ph) != 1) continue; /* PT_LOAD */
        uint32_t off = rd32(ph + 4), vaddr = rd32(ph + 8), filesz = rd32(ph + 16), memsz = rd32(ph + 20),
                 flags = rd32(ph + 24);
        size_t words = ((size_t)filesz + 3) / 4;
        if (hn + 4 + words > hcap) {
            while (hn + 4 + words > hcap)
                hcap *= 2;
            uint64_t *nh = (uint64_t *)realloc(h, hcap * 8);
            if (!nh) goto oom;
            h = nh;
        }
        h[hn++] = vaddr, h[hn++] = memsz, h[hn++] = flags, h[hn++] = filesz;
        for (size_t w = 0; w < words; w++) {
            uint8_t b[4] = {0, 0, 0, 0};
            for (size_t k = 0; k < 4 && 4 * w + k < filesz; k++)
                b[k] = elf[off + 4 * w + k];
            h[hn++] = rd32(b);
        }
        if (flags & 1) { /* executable: decode each word */
            size_t n = filesz / 4;
            zk_code *nc = (zk_code *)realloc(p->code, (p->ncode + n + 1) * sizeof *nc);
            if (!nc) goto oom;
            p->code = nc;
            for (size_t w = 0; w < n; w++) {
                zk_code *c = &p->code[p->ncode++];
                c->pc = vaddr + (uint32_t)(4 * w);
                c->insn = rd32(elf + off + 4 * w);
                c->d = zk_decode(c->pc, c->insn);
                c->pr = zk_prog_row(c->pc, &c->d);
            }
        }
    }
    kiln_poseidon2_hash_var(h, hn, p->hash);
    free(h);
    qsort(p->code, p->ncode, sizeof *p->code, code_cmp);
    if (p->ncode == 0) {
        set_err(err, errlen, "the ELF has no executable words");
        kiln_zkvm_program_free(p);
        return KILN_ERR_PARSE;
    }
    if (p->ncode > ((size_t)1 << KILN_ZKVM_MAX_SEGMENT_LOG)) {
        set_err(err, errlen, "the program has more than 2^22 code words");
        kiln_zkvm_program_free(p);
        return KILN_ERR_UNSUPPORTED;
    }
    p->code_log = 2;
    while (((size_t)1 << p->code_log) < p->ncode)
        p->code_log++;
    if ((st = zk_image_build(p, elf, err, errlen)) != KILN_OK) {
        kiln_zkvm_program_free(p);
        return st;
    }
    *out = p;
    return KILN_OK;
oom:
    free(h);
    kiln_zkvm_program_free(p);
    return KILN_ERR_OUT_OF_MEMORY;
}

void kiln_zkvm_program_free(kiln_zkvm_program *p) {
    if (!p) return;
    kiln_vm_program_free(p->vm);
    free(p->code);
    free(p->image);
    free(p);
}

uint32_t kiln_zkvm_program_entry(const kiln_zkvm_program *p) {
    return p->entry;
}
void kiln_zkvm_program_hash(const kiln_zkvm_program *p, uint64_t out[4]) {
    memcpy(out, p->hash, 32);
}

/* The byte-string hash shared by the input and output hashes. */
static void bytes_hash(const uint8_t *data, size_t len, uint64_t out[4]) {
    size_t n = 1 + (len + 3) / 4;
    uint64_t *h = (uint64_t *)calloc(n, 8);
    if (!h) { /* fall back to hashing the length alone (only reached on allocation failure) */
        uint64_t l = len;
        kiln_poseidon2_hash_var(&l, 1, out);
        return;
    }
    h[0] = len;
    for (size_t i = 0; i < len; i++)
        h[1 + i / 4] |= (uint64_t)data[i] << (8 * (i % 4));
    kiln_poseidon2_hash_var(h, n, out);
    free(h);
}

void kiln_zkvm_input_hash(const uint8_t *data, size_t len, uint64_t out[4]) {
    bytes_hash(data, len, out);
}

void kiln_zkvm_output_hash(const uint8_t *data, size_t len, uint64_t out[4]) {
    bytes_hash(data, len, out);
}

const zk_code *zk_find(const kiln_zkvm_program *p, uint32_t pc) {
    size_t lo = 0, hi = p->ncode;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->code[mid].pc < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->ncode && p->code[lo].pc == pc ? &p->code[lo] : NULL;
}
