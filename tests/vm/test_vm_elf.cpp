/* The ELF loader: a valid minimal image runs; each malformed or hostile variant is a parse error with a
 * message, never a crash (every truncation too). */
#include "vm_asm.h"

using namespace rv;

namespace {
void put16(std::vector<uint8_t> &b, size_t o, uint32_t v) {
    b[o] = (uint8_t)v;
    b[o + 1] = (uint8_t)(v >> 8);
}
void put32(std::vector<uint8_t> &b, size_t o, uint32_t v) {
    for (int i = 0; i < 4; i++)
        b[o + i] = (uint8_t)(v >> (8 * i));
}

struct Seg {
    uint32_t type, off, vaddr, filesz, memsz, flags;
};

/* ELF32 header (52 bytes), program headers at 52, then a code blob at 0x400 and a data blob at 0x500. */
std::vector<uint8_t> make_elf(const std::vector<Seg> &segs, uint32_t entry, uint32_t flags = 0) {
    std::vector<uint8_t> b(0x600, 0);
    b[0] = 0x7f, b[1] = 'E', b[2] = 'L', b[3] = 'F', b[4] = 1, b[5] = 1, b[6] = 1;
    put16(b, 16, 2);   /* ET_EXEC */
    put16(b, 18, 243); /* EM_RISCV */
    put32(b, 20, 1);
    put32(b, 24, entry);
    put32(b, 28, 52);
    put32(b, 36, flags);
    put16(b, 40, 52);
    put16(b, 42, 32);
    put16(b, 44, (uint32_t)segs.size());
    for (size_t i = 0; i < segs.size(); i++) {
        size_t o = 52 + 32 * i;
        put32(b, o, segs[i].type);
        put32(b, o + 4, segs[i].off);
        put32(b, o + 8, segs[i].vaddr);
        put32(b, o + 12, segs[i].vaddr);
        put32(b, o + 16, segs[i].filesz);
        put32(b, o + 20, segs[i].memsz);
        put32(b, o + 24, segs[i].flags);
        put32(b, o + 28, 0x1000);
    }
    /* Code: lw a0, 0(data) ; exit(a0). Data word at 0x20000 = 7. */
    const uint32_t code[] = {lui(t0, 0x20), lw(a0, t0, 0), addi(a7, x0, 93), ecall()};
    for (int i = 0; i < 4; i++)
        put32(b, 0x400 + 4 * i, code[i]);
    put32(b, 0x500, 7);
    return b;
}

const Seg kCode = {1, 0x400, 0x10000, 16, 16, 5 /* R X */};
const Seg kData = {1, 0x500, 0x20000, 4, 0x2000, 6 /* R W */};

kiln_status load(const std::vector<uint8_t> &b, std::string *msg = nullptr) {
    kiln_vm_program *p = nullptr;
    char err[256];
    kiln_status st = kiln_vm_program_from_elf(b.data(), b.size(), &p, err, sizeof err);
    if (msg) *msg = err;
    if (st == KILN_OK) {
        EXPECT_NE(p, nullptr);
    } else {
        EXPECT_EQ(p, nullptr);
        EXPECT_NE(err[0], 0) << "a rejected ELF must say why";
    }
    kiln_vm_program_free(p);
    return st;
}
} // namespace

TEST(VmElf, MinimalImageRuns) {
    auto b = make_elf({kCode, kData}, 0x10000);
    kiln_vm_program *p = nullptr;
    char err[256];
    ASSERT_EQ(kiln_vm_program_from_elf(b.data(), b.size(), &p, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(kiln_vm_program_entry(p), 0x10000u);
    kiln_vm *vm = nullptr;
    ASSERT_EQ(kiln_vm_create(p, nullptr, &vm), KILN_OK);
    kiln_vm_result r;
    EXPECT_EQ(kiln_vm_run(vm, &r), KILN_OK) << r.msg;
    EXPECT_EQ(r.stop, KILN_VM_EXITED);
    EXPECT_EQ(r.exit_code, 7u);
    /* bss beyond the file bytes reads zero and is writable */
    uint32_t z = 1;
    EXPECT_EQ(kiln_vm_read_mem(vm, 0x21000, &z, 4), KILN_OK);
    EXPECT_EQ(z, 0u);
    kiln_vm_free(vm);
    kiln_vm_program_free(p);
}

TEST(VmElf, HeaderFieldsAreChecked) {
    auto good = make_elf({kCode, kData}, 0x10000);
    ASSERT_EQ(load(good), KILN_OK);
    struct Case {
        const char *what;
        size_t off;
        int size;
        uint32_t val;
    } cases[] = {
        {"magic", 1, 1, 'X'},
        {"class 64", 4, 1, 2},
        {"big endian", 5, 1, 2},
        {"ident version", 6, 1, 0},
        {"relocatable", 16, 2, 1},
        {"shared object", 16, 2, 3},
        {"x86-64", 18, 2, 62},
        {"e_version", 20, 4, 0},
        {"phoff past end", 28, 4, 0x5fff},
        {"phoff overflow", 28, 4, 0xfffffff0},
        {"ehsize", 40, 2, 10},
        {"phentsize", 42, 2, 56},
        {"no phdrs", 44, 2, 0},
        {"too many phdrs", 44, 2, 0xffff},
        {"RVC", 36, 4, 1},
        {"hard float", 36, 4, 4},
        {"RVE", 36, 4, 8},
    };
    for (const auto &c : cases) {
        auto b = good;
        if (c.size == 1)
            b[c.off] = (uint8_t)c.val;
        else if (c.size == 2)
            put16(b, c.off, c.val);
        else
            put32(b, c.off, c.val);
        std::string msg;
        EXPECT_EQ(load(b, &msg), KILN_ERR_PARSE) << c.what;
    }
}

TEST(VmElf, SegmentsAreChecked) {
    struct Case {
        const char *what;
        std::vector<Seg> segs;
        uint32_t entry;
    } cases[] = {
        {"filesz > memsz", {{1, 0x400, 0x10000, 32, 16, 5}, kData}, 0x10000},
        {"data past end of file", {{1, 0x400, 0x10000, 0x1000, 0x1000, 5}, kData}, 0x10000},
        {"offset overflow", {{1, 0xfffffff0, 0x10000, 16, 16, 5}, kData}, 0x10000},
        {"below load minimum", {{1, 0x400, 0x0, 16, 16, 5}, kData}, 0x0},
        {"address overflow", {kCode, {1, 0x500, 0xfffff000, 4, 0x2000, 6}}, 0x10000},
        {"into the stack", {kCode, {1, 0x500, 0x7ff00000, 4, 0x1000, 6}}, 0x10000},
        {"writable code", {{1, 0x400, 0x10000, 16, 16, 7}, kData}, 0x10000},
        {"code and data share a page", {kCode, {1, 0x500, 0x10800, 4, 4, 6}}, 0x10000},
        {"overlapping segments", {kCode, kData, {1, 0x500, 0x20ffc, 4, 8, 4}}, 0x10000},
        {"misaligned code", {{1, 0x400, 0x10002, 16, 16, 5}, kData}, 0x10002},
        {"no executable segment", {{1, 0x400, 0x10000, 16, 16, 4}, kData}, 0x10000},
        {"entry outside code", {kCode, kData}, 0x20000},
        {"entry in code bss", {{1, 0x400, 0x10000, 16, 64, 5}, kData}, 0x10020},
        {"misaligned entry", {kCode, kData}, 0x10002},
        {"dynamic", {kCode, kData, {2, 0, 0, 0, 0, 4}}, 0x10000},
        {"interp", {kCode, kData, {3, 0, 0, 0, 0, 4}}, 0x10000},
        {"tls", {kCode, kData, {7, 0, 0, 0, 0, 4}}, 0x10000},
        {"huge memsz", {kCode, {1, 0x500, 0x20000, 4, 0x7f000000, 6}}, 0x10000},
    };
    for (const auto &c : cases) {
        std::string msg;
        EXPECT_EQ(load(make_elf(c.segs, c.entry), &msg), KILN_ERR_PARSE) << c.what;
    }
    /* Too many loadable segments. */
    std::vector<Seg> many = {kCode};
    for (uint32_t i = 0; i < 17; i++)
        many.push_back({1, 0x500, 0x30000 + 0x1000 * i, 4, 4, 6});
    auto b = make_elf(many, 0x10000);
    EXPECT_EQ(load(b), KILN_ERR_PARSE);
    /* Ignored header types (notes, GNU_STACK) and empty segments are fine. */
    EXPECT_EQ(
        load(make_elf({kCode, kData, {4, 0, 0, 0, 0, 4}, {0x6474e551, 0, 0, 0, 0, 6}, {1, 0, 0, 0, 0, 6}},
                      0x10000)),
        KILN_OK);
}

TEST(VmElf, EveryTruncationIsAnError) {
    auto good = make_elf({kCode, kData}, 0x10000);
    for (size_t n = 0; n < 0x504; n++) {
        std::vector<uint8_t> b(good.begin(), good.begin() + (long)n);
        kiln_vm_program *p = nullptr;
        char err[128];
        EXPECT_EQ(kiln_vm_program_from_elf(b.empty() ? nullptr : b.data(), n, &p, err, sizeof err),
                  KILN_ERR_PARSE)
            << n;
        EXPECT_EQ(p, nullptr);
    }
}

TEST(VmElf, SmallErrorBuffersAreSafe) {
    auto b = make_elf({kCode, kData}, 0x10002);
    kiln_vm_program *p = nullptr;
    char err[4];
    EXPECT_EQ(kiln_vm_program_from_elf(b.data(), b.size(), &p, err, sizeof err), KILN_ERR_PARSE);
    EXPECT_EQ(strlen(err), 3u);
    EXPECT_EQ(kiln_vm_program_from_elf(b.data(), b.size(), &p, nullptr, 0), KILN_ERR_PARSE);
}
