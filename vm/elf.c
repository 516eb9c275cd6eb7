/* ELF32 RISC-V executable loader. Every field that matters is checked against the file length and the guest
 * address layout before anything is copied; any doubt is KILN_ERR_PARSE with a message (D11). */
#include <stdarg.h>
#include <stdlib.h>

#include "vm_internal.h"

#define EM_RISCV 243u
#define PT_LOAD 1u
#define PT_DYNAMIC 2u
#define PT_INTERP 3u
#define PT_TLS 7u
#define PF_X 1u
#define PF_W 2u
#define EF_RISCV_RVC 0x1u
#define EF_RISCV_FLOAT_ABI 0x6u
#define EF_RISCV_RVE 0x8u
#define ELF_MAX_PHNUM 64u
#define ELF_MAX_IMAGE (256u << 20)
#define ELF_MAX_CODE (16u << 20) /* predecoded: 3x this in host memory */

static uint16_t rd16(const uint8_t *p) {
    return (uint16_t)(p[0] | p[1] << 8);
}
static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static kiln_status fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static kiln_status fail(char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen) {
        int k = snprintf(err, errlen, "elf: ");
        va_list ap;
        va_start(ap, fmt);
        if (k > 0 && (size_t)k < errlen) vsnprintf(err + k, errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return KILN_ERR_PARSE;
}

static kiln_status parse(const uint8_t *b, size_t len, kiln_vm_program *p, char *err, size_t errlen) {
    if (!b || len < 52) return fail(err, errlen, "file too short for an ELF header (%zu bytes)", len);
    if (b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') return fail(err, errlen, "bad magic");
    if (b[4] != 1) return fail(err, errlen, "not a 32-bit ELF (class %u)", b[4]);
    if (b[5] != 1) return fail(err, errlen, "not little-endian (data %u)", b[5]);
    if (b[6] != 1) return fail(err, errlen, "bad ident version %u", b[6]);
    uint16_t type = rd16(b + 16), machine = rd16(b + 18);
    uint32_t version = rd32(b + 20), entry = rd32(b + 24), phoff = rd32(b + 28), flags = rd32(b + 36);
    uint16_t ehsize = rd16(b + 40), phentsize = rd16(b + 42), phnum = rd16(b + 44);
    if (type != 2)
        return fail(err, errlen, "not an executable (e_type %u; relocatable or shared objects are not run)",
                    type);
    if (machine != EM_RISCV) return fail(err, errlen, "not RISC-V (e_machine %u)", machine);
    if (version != 1) return fail(err, errlen, "bad e_version %u", version);
    if (ehsize < 52) return fail(err, errlen, "bad e_ehsize %u", ehsize);
    if (flags & EF_RISCV_RVC)
        return fail(err, errlen, "compressed instructions (RVC) are not supported: build for rv32im");
    if (flags & EF_RISCV_FLOAT_ABI)
        return fail(err, errlen, "hard-float ABI is not supported: use -mabi=ilp32");
    if (flags & EF_RISCV_RVE) return fail(err, errlen, "RV32E is not supported");
    if (phentsize != 32) return fail(err, errlen, "bad e_phentsize %u", phentsize);
    if (phnum == 0 || phnum > ELF_MAX_PHNUM) return fail(err, errlen, "bad program header count %u", phnum);
    if ((uint64_t)phoff + (uint64_t)phnum * 32 > len)
        return fail(err, errlen, "program headers past end of file");

    uint64_t total = 0;
    for (uint32_t i = 0; i < phnum; i++) {
        const uint8_t *ph = b + phoff + 32 * i;
        uint32_t ptype = rd32(ph), off = rd32(ph + 4), vaddr = rd32(ph + 8), filesz = rd32(ph + 16);
        uint32_t memsz = rd32(ph + 20), pflags = rd32(ph + 24);
        if (ptype == PT_DYNAMIC || ptype == PT_INTERP)
            return fail(err, errlen, "dynamically linked executables are not supported");
        if (ptype == PT_TLS) return fail(err, errlen, "thread-local storage is not supported");
        if (ptype != PT_LOAD) continue; /* notes, attributes, GNU_STACK: nothing to load */
        if (filesz > memsz)
            return fail(err, errlen, "segment %u: file size %u exceeds memory size %u", i, filesz, memsz);
        if ((uint64_t)off + filesz > len) return fail(err, errlen, "segment %u: data past end of file", i);
        if (memsz == 0) continue;
        if (vaddr < KILN_VM_LOAD_MIN || (uint64_t)vaddr + memsz > KILN_VM_HEAP_END)
            return fail(err, errlen,
                        "segment %u: [0x%08x, +0x%x) outside the loadable range [0x%08x, 0x%08x)", i, vaddr,
                        memsz, KILN_VM_LOAD_MIN, KILN_VM_HEAP_END);
        if ((pflags & PF_X) && (pflags & PF_W))
            return fail(err, errlen, "segment %u is writable and executable", i);
        if ((pflags & PF_X) && (vaddr & 3))
            return fail(err, errlen, "segment %u: code not 4-byte aligned", i);
        if (p->n_segs == VM_MAX_SEGMENTS)
            return fail(err, errlen, "more than %u loadable segments", VM_MAX_SEGMENTS);
        total += memsz;
        if (total > ELF_MAX_IMAGE) return fail(err, errlen, "image larger than %u bytes", ELF_MAX_IMAGE);
        for (uint32_t j = 0; j < p->n_segs; j++) {
            const vm_segment *o = &p->segs[j];
            uint64_t a0 = vaddr, a1 = (uint64_t)vaddr + memsz, b0 = o->vaddr,
                     b1 = (uint64_t)o->vaddr + o->memsz;
            if (a0 < b1 && b0 < a1) return fail(err, errlen, "segment %u overlaps another segment", i);
            /* Code is predecoded once, so a page may not be both executable and writable. */
            int x_w = ((pflags & PF_X) && (o->flags & VM_PF_W)) || ((pflags & PF_W) && (o->flags & VM_PF_X));
            if (x_w && (a0 >> VM_PAGE_SHIFT) <= ((b1 - 1) >> VM_PAGE_SHIFT) &&
                (b0 >> VM_PAGE_SHIFT) <= ((a1 - 1) >> VM_PAGE_SHIFT))
                return fail(err, errlen, "segment %u shares a page between code and writable data", i);
        }
        vm_segment *s = &p->segs[p->n_segs++];
        s->vaddr = vaddr;
        s->memsz = memsz;
        s->filesz = filesz;
        s->flags = VM_PF_R | ((pflags & PF_W) ? VM_PF_W : 0) | ((pflags & PF_X) ? VM_PF_X : 0);
        s->data = (uint8_t *)malloc(filesz ? filesz : 1);
        if (!s->data) return KILN_ERR_OUT_OF_MEMORY;
        memcpy(s->data, b + off, filesz);
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    int entry_ok = 0;
    for (uint32_t i = 0; i < p->n_segs; i++) {
        const vm_segment *s = &p->segs[i];
        if (!(s->flags & VM_PF_X)) continue;
        if (s->vaddr < lo) lo = s->vaddr;
        if ((uint64_t)s->vaddr + s->memsz > hi) hi = (uint64_t)s->vaddr + s->memsz;
        if (entry >= s->vaddr && (uint64_t)entry < (uint64_t)s->vaddr + s->filesz) entry_ok = 1;
    }
    if (hi == 0) return fail(err, errlen, "no executable segment");
    if (hi - lo > ELF_MAX_CODE)
        return fail(err, errlen, "executable range larger than %u bytes", ELF_MAX_CODE);
    if (!entry_ok)
        return fail(err, errlen, "entry point 0x%08x is not in an executable segment's code", entry);
    if (entry & 3) return fail(err, errlen, "entry point 0x%08x is not 4-byte aligned", entry);
    p->entry = entry;
    return KILN_OK;
}

kiln_status kiln_vm_program_from_elf(const uint8_t *elf, size_t len, kiln_vm_program **out, char *err,
                                     size_t errlen) {
    if (err && errlen) err[0] = 0;
    if (!out) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    kiln_vm_program *p = (kiln_vm_program *)calloc(1, sizeof *p);
    if (!p) return KILN_ERR_OUT_OF_MEMORY;
    kiln_status st = parse(elf, len, p, err, errlen);
    if (st == KILN_OK) st = kiln_vm_program_finish(p);
    if (st != KILN_OK) {
        if (st == KILN_ERR_OUT_OF_MEMORY && err && errlen) snprintf(err, errlen, "elf: out of memory");
        kiln_vm_program_free(p);
        return st;
    }
    *out = p;
    return KILN_OK;
}
