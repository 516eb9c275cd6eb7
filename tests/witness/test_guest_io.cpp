// The guest runtime's I/O commitment (docs/vm-abi.md): before exit it passes the Poseidon2 hashes of the
// whole input and of the committed output, computed in the guest through the precompile, to io_digest. They
// must equal the host's native hashes (kernels/poseidon2 through kiln_zkvm_input_hash) of the bytes the VM
// saw.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "vm.h"
#include "zkvm.h"
#include "zkvm_test_util.h"

namespace {

using namespace kiln_test;

#ifdef KILN_GUEST_DIR
// Runs a guest on input; returns its exit code, the digest block it passed to io_digest and the committed
// output.
void run_guest(const char *name, const std::vector<uint8_t> &input, uint32_t *exit_code, uint64_t digest[8],
               std::vector<uint8_t> *output) {
    std::vector<uint8_t> elf = read_elf(name);
    ASSERT_FALSE(elf.empty()) << name;
    char err[256] = "";
    kiln_vm_program *p = nullptr;
    ASSERT_EQ(kiln_vm_program_from_elf(elf.data(), elf.size(), &p, err, sizeof err), KILN_OK) << err;
    kiln_vm *vm = nullptr;
    ASSERT_EQ(kiln_vm_create(p, nullptr, &vm), KILN_OK);
    ASSERT_EQ(kiln_vm_set_input(vm, input.data(), input.size()), KILN_OK);
    kiln_vm_result r;
    ASSERT_EQ(kiln_vm_run(vm, &r), KILN_OK);
    ASSERT_EQ(r.stop, KILN_VM_EXITED);
    *exit_code = r.exit_code;
    ASSERT_EQ(kiln_vm_io_digest(vm, digest), 1);
    const uint8_t *out;
    size_t olen;
    kiln_vm_output(vm, &out, &olen);
    output->assign(out, out + olen);
    kiln_vm_free(vm);
    kiln_vm_program_free(p);
}

TEST(GuestIo, HelloDigestsMatchHostHashes) {
    uint32_t code;
    uint64_t d[8];
    std::vector<uint8_t> out;
    run_guest("hello", {}, &code, d, &out);
    EXPECT_EQ(code, 0u);
    ASSERT_EQ(std::string(out.begin(), out.end()), "hello");
    uint64_t in_h[4], out_h[4];
    kiln_zkvm_input_hash(nullptr, 0, in_h);
    kiln_zkvm_input_hash(out.data(), out.size(), out_h);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(d[i], in_h[i]) << i;
        EXPECT_EQ(d[4 + i], out_h[i]) << i;
    }
}

TEST(GuestIo, FactorialInputAndOutputDigests) {
    // Input 20 (u32 LE) plus trailing bytes the guest never reads: the input hash still covers all of them.
    std::vector<uint8_t> in = {20, 0, 0, 0, 0xde, 0xad, 0xbe};
    uint32_t code;
    uint64_t d[8];
    std::vector<uint8_t> out;
    run_guest("factorial", in, &code, d, &out);
    EXPECT_EQ(code, 0u);
    ASSERT_EQ(out.size(), 32u);
    uint64_t f20 = 2432902008176640000ull; // 20!, big-endian in the last 8 bytes
    for (int i = 0; i < 8; i++)
        EXPECT_EQ(out[24 + i], (uint8_t)(f20 >> (8 * (7 - i))));
    uint64_t in_h[4], out_h[4], short_h[4];
    kiln_zkvm_input_hash(in.data(), in.size(), in_h);
    kiln_zkvm_input_hash(out.data(), out.size(), out_h);
    kiln_zkvm_input_hash(in.data(), 4, short_h);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(d[i], in_h[i]) << i;
        EXPECT_EQ(d[4 + i], out_h[i]) << i;
    }
    EXPECT_NE(memcmp(d, short_h, 32), 0); // the unread tail is part of the hash
}

TEST(GuestIo, LongInputSpansSeveralSpongeBlocks) {
    // 301 bytes: 77 elements with the length, ten rate-8 blocks; odd tail length exercises the zero padding.
    std::vector<uint8_t> in(301);
    for (size_t i = 0; i < in.size(); i++)
        in[i] = (uint8_t)(i * 7 + 3);
    in[0] = 5, in[1] = in[2] = in[3] = 0; // factorial reads n = 5 from the first word
    uint32_t code;
    uint64_t d[8];
    std::vector<uint8_t> out;
    run_guest("factorial", in, &code, d, &out);
    EXPECT_EQ(code, 0u);
    uint64_t in_h[4];
    kiln_zkvm_input_hash(in.data(), in.size(), in_h);
    EXPECT_EQ(memcmp(d, in_h, 32), 0);
}
#endif

} // namespace
