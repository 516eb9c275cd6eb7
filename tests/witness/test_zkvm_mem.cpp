// The zkVM AIR's memory image (code, rodata, data, bss as a preprocessed table) and heap/stack ram table:
// honest proofs verify; a wrong rodata value, a store into rodata and a heap word placed inside the image are
// rejected; accesses the VM maps but no table holds are refused; a word and a page shared by two segments
// follow the VM (merged bytes, the page's union of flags).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "prover.h"
#include "zkvm.h"
#include "zkvm_test_util.h"
extern "C" {
#include "zkvm_internal.h"
}

namespace {

using namespace kiln_test;

class ZkvmMem : public ZkvmFixture {
  protected:
    // Builds the witness from program wp's run, proves it under key's AIR (forcing the prover through the
    // test-only path unless honest) and returns the verifier's status against key. The public program hash
    // is set to key's, so that only the proof itself can reject.
    kiln_status prove_verify(const kiln_zkvm_program *wp, Prog &key, unsigned seg, kiln_zkvm_tamper tamper,
                             bool honest, uint64_t *exit_code = nullptr) {
        ProveVerifyOpts x;
        x.exit_code = exit_code;
        x.run = wp;
        x.publish_key_hash = true;
        x.honest = honest;
        return prove_verify_with(key, seg, tamper, x);
    }
    kiln_status prove_verify(Prog &g, unsigned seg, kiln_zkvm_tamper tamper, uint64_t *exit_code = nullptr) {
        return prove_verify(g.p, g, seg, tamper, tamper == KILN_ZKVM_TAMPER_NONE, exit_code);
    }
};

void put32(std::vector<uint8_t> &b, size_t o, uint32_t v) {
    for (int i = 0; i < 4; i++)
        b[o + i] = (uint8_t)(v >> (8 * i));
}

// A hand-built ELF whose read-only segment [0x11000, +2) shares a word and a page with a writable segment
// [0x11002, +6): the VM maps that page writable (the union of the flags), so the image merges the shared word
// (bytes 11 22 | 33 44) and marks both words writable, and the heap starts right after the image.
std::vector<uint8_t> shared_page_elf() {
    const uint32_t code[] = {
        0x000115b7u, // lui  a1, 0x11
        0x0005a503u, // lw   a0, 0(a1)
        0x00a5a023u, // sw   a0, 0(a1)    (a read-only segment, on a writable page)
        0x00a5a223u, // sw   a0, 4(a1)    (the zero tail of the writable segment)
        0x0045a503u, // lw   a0, 4(a1)
        0x05d00893u, // addi a7, x0, 93
        0x00000073u, // ecall
    };
    std::vector<uint8_t> b(0x300, 0);
    b[0] = 0x7f, b[1] = 'E', b[2] = 'L', b[3] = 'F', b[4] = 1, b[5] = 1, b[6] = 1;
    b[16] = 2, b[18] = 243;                                   // ET_EXEC, EM_RISCV
    put32(b, 20, 1), put32(b, 24, 0x10000), put32(b, 28, 52); // version, entry, phoff
    b[40] = 52, b[42] = 32, b[44] = 3;                        // ehsize, phentsize, phnum
    const uint32_t ph[3][5] = {// offset, vaddr, filesz, memsz, flags (R 4, W 2, X 1)
                               {0x100, 0x10000, sizeof code, sizeof code, 5},
                               {0x200, 0x11000, 2, 2, 4},
                               {0x210, 0x11002, 2, 6, 6}};
    for (int i = 0; i < 3; i++) {
        size_t o = 52 + 32 * (size_t)i;
        put32(b, o, 1);
        put32(b, o + 4, ph[i][0]), put32(b, o + 8, ph[i][1]), put32(b, o + 12, ph[i][1]);
        put32(b, o + 16, ph[i][2]), put32(b, o + 20, ph[i][3]), put32(b, o + 24, ph[i][4]);
        put32(b, o + 28, 4);
    }
    for (size_t i = 0; i < sizeof code / 4; i++)
        put32(b, 0x100 + 4 * i, code[i]);
    b[0x200] = 0x11, b[0x201] = 0x22, b[0x210] = 0x33, b[0x211] = 0x44;
    return b;
}

TEST_F(ZkvmMem, SharedWordAndPageFollowTheVm) {
    EXPECT_STREQ(kiln_zkvm_insn_name(0x0005a503u), "lw");
    EXPECT_STREQ(kiln_zkvm_insn_name(0x00a5a223u), "sw");
    Prog g;
    load(shared_page_elf(), g);
    ASSERT_EQ(g.p->nimage, 7u + 2u);
    const zk_word *w = zk_image_find(g.p, 0x11000);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->val, 0x44332211u);
    EXPECT_EQ(w->w, 1u);
    ASSERT_NE(w = zk_image_find(g.p, 0x11004), nullptr);
    EXPECT_EQ(w->val, 0u);
    EXPECT_EQ(w->w, 1u);
    EXPECT_EQ(zk_image_find(g.p, 0x10000)->w, 0u);
    EXPECT_EQ(g.p->heap_base, 0x11008u);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 4, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 0x44332211u); // the merged word, stored and loaded back through the tail word
}

#ifdef KILN_GUEST_DIR
uint32_t rd32(const std::vector<uint8_t> &b, size_t o) {
    return (uint32_t)b[o] | (uint32_t)b[o + 1] << 8 | (uint32_t)b[o + 2] << 16 | (uint32_t)b[o + 3] << 24;
}

// The same ELF with every read-only data segment (PT_LOAD, flags R) made writable (R | W).
std::vector<uint8_t> rodata_writable(std::vector<uint8_t> b) {
    uint32_t phoff = rd32(b, 28);
    unsigned phentsize = b[42] | b[43] << 8, phnum = b[44] | b[45] << 8;
    int patched = 0;
    for (unsigned i = 0; i < phnum; i++) {
        size_t ph = phoff + (size_t)i * phentsize;
        if (rd32(b, ph) == 1 && rd32(b, ph + 24) == 4) {
            b[ph + 24] = 6;
            patched++;
        }
    }
    EXPECT_EQ(patched, 1);
    return b;
}

// The image as the VM maps it (addresses from readelf of the guests, built with guest/link.ld: code at
// 0x10000, .rodata and .data + .bss each on the next page; values are the guests' own constants).
TEST_F(ZkvmMem, ImageWordsAndHeapBase) {
    Prog g;
    load(read_elf("zk_mem"), g);
    const zk_word *w = zk_image_find(g.p, 0x11000); // tbl[0], read-only
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->val, 0x11223344u);
    EXPECT_EQ(w->w, 0u);
    ASSERT_NE(w = zk_image_find(g.p, 0x11004), nullptr);
    EXPECT_EQ(w->val, 0x8899aabbu);
    ASSERT_NE(w = zk_image_find(g.p, 0x1200c), nullptr); // arr[3], writable
    EXPECT_EQ(w->val, 40u);
    EXPECT_EQ(w->w, 1u);
    ASSERT_NE(w = zk_image_find(g.p, 0x1202c), nullptr); // the last bss word: zero, writable
    EXPECT_EQ(w->val, 0u);
    EXPECT_EQ(w->w, 1u);
    ASSERT_NE(w = zk_image_find(g.p, 0x10000), nullptr); // code: read-only
    EXPECT_EQ(w->w, 0u);
    EXPECT_EQ(zk_image_find(g.p, 0x1100c), nullptr); // past .rodata: page padding, no word
    EXPECT_EQ(zk_image_find(g.p, 0x12030), nullptr);
    EXPECT_EQ(g.p->nimage, 0x1a0u / 4 + 3 + 0x30 / 4); // code, .rodata, .data + .bss
    EXPECT_EQ(g.p->heap_base, 0x12030u); // _end: the last page is writable
    Prog pad;
    load(read_elf("zk_pad"), pad);
    EXPECT_EQ(pad.p->heap_base, 0x12000u); // the last page (.rodata) is read-only: brk
}

TEST_F(ZkvmMem, MemProofVerifies) {
    Prog g;
    load(read_elf("zk_mem"), g);
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(g, 7, KILN_ZKVM_TAMPER_NONE, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 124u); // 44 + 7 + 33 + 33 + 7, every check against hand-computed constants passed
    EXPECT_EQ(prove_verify(g, 8, KILN_ZKVM_TAMPER_NONE), KILN_OK) << last_err;
}

TEST_F(ZkvmMem, TamperedMemWitnessesAreRejected) {
    Prog g;
    load(read_elf("zk_mem"), g);
    // A wrong value loaded from .rodata; a bss word re-homed to the ram table below the heap base; the .data
    // word of the first sw claiming w = 0 on its chain (its image row says w = 1); an extra ram word in the
    // hole between the heap end and the stack. The verifier's message names what failed: the bus, or only
    // the ram table's address constraints where every tuple balances.
    const struct {
        kiln_zkvm_tamper m;
        const char *why;
    } cases[] = {{KILN_ZKVM_TAMPER_RODATA, "LogUp"},
                 {KILN_ZKVM_TAMPER_OVERLAP, "table ram"},
                 {KILN_ZKVM_TAMPER_ROSTORE, "LogUp"},
                 {KILN_ZKVM_TAMPER_HOLE, "table ram"}};
    for (const auto &c : cases) {
        EXPECT_EQ(prove_verify(g, 7, c.m), KILN_ERR_VERIFY) << "tamper " << (int)c.m;
        EXPECT_NE(last_err.find(c.why), std::string::npos) << "tamper " << (int)c.m << ": " << last_err;
    }
}

TEST_F(ZkvmMem, StoreIntoRodataIsRejected) {
    std::vector<uint8_t> elf = read_elf("zk_rostore");
    Prog g, rw;
    load(elf, g);
    load(rodata_writable(elf), rw);
    // The VM faults on the store, so there is no honest witness.
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 5;
    char err[256] = "";
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_ERR_FAULT);
    EXPECT_NE(strstr(err, "fault"), nullptr) << err;
    // With .rodata writable the run exits with 5 + 9 and proves under that program's key...
    uint64_t code = 0;
    EXPECT_EQ(prove_verify(rw.p, rw, 5, KILN_ZKVM_TAMPER_NONE, true, &code), KILN_OK) << last_err;
    EXPECT_EQ(code, 14u);
    // ...but not under the real program's key, which differs only in the image's w column (and the hash,
    // which prove_verify replaces): the store's w = 1 chain was never started.
    EXPECT_EQ(prove_verify(rw.p, g, 5, KILN_ZKVM_TAMPER_NONE, false), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("LogUp"), std::string::npos) << last_err;
    // Claiming w = 0 on the word's whole chain balances the bus; the store's w = 1 constraint rejects it.
    EXPECT_EQ(prove_verify(rw.p, g, 5, KILN_ZKVM_TAMPER_ROSTORE, false), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("table cpu"), std::string::npos) << last_err;
}

TEST_F(ZkvmMem, PagePaddingAccessIsRefused) {
    Prog g;
    load(read_elf("zk_pad"), g);
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 5;
    char err[256] = "";
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_ERR_UNSUPPORTED);
    EXPECT_NE(strstr(err, "0x00011100"), nullptr) << err;
    EXPECT_NE(strstr(err, "'lw'"), nullptr) << err;
}
#endif

} // namespace
