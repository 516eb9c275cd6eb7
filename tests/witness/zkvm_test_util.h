// Scaffolding shared by the zkVM witness tests (test_zkvm*.cpp, test_guest_io.cpp): reading guest ELFs,
// a program with its AIR and key, a fixture with the witness tests' proof configuration, and a one-segment
// prove-and-verify helper that forces tampered witnesses through the prover's test-only path.
#ifndef KILN_TESTS_WITNESS_ZKVM_TEST_UTIL_H
#define KILN_TESTS_WITNESS_ZKVM_TEST_UTIL_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "prover.h"
#include "vm.h"
#include "zkvm.h"

namespace kiln_test {

// The whole file at path; empty when it cannot be opened (*opened, if given, says which).
inline std::vector<uint8_t> read_file(const std::string &path, bool *opened = nullptr) {
    std::vector<uint8_t> b;
    FILE *f = fopen(path.c_str(), "rb");
    if (opened) *opened = f != nullptr;
    if (!f) return b;
    uint8_t buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        b.insert(b.end(), buf, buf + n);
    fclose(f);
    return b;
}

#ifdef KILN_GUEST_DIR
// A built guest by name (KILN_GUEST_DIR/<name>.elf); empty when it is missing.
inline std::vector<uint8_t> read_elf(const char *name) {
    return read_file(std::string(KILN_GUEST_DIR) + "/" + name + ".elf");
}
#endif

// An untraced VM run on an input: exit code, cycles and committed output (the independent reference).
struct VmRun {
    uint32_t code = 0;
    uint64_t cycles = 0;
    std::vector<uint8_t> out;
};
inline VmRun vm_run(const std::vector<uint8_t> &elf, const std::vector<uint8_t> &in = {}) {
    VmRun r;
    kiln_vm_program *vp = nullptr;
    char err[256] = "";
    EXPECT_EQ(kiln_vm_program_from_elf(elf.data(), elf.size(), &vp, err, sizeof err), KILN_OK) << err;
    kiln_vm *vm = nullptr;
    EXPECT_EQ(kiln_vm_create(vp, nullptr, &vm), KILN_OK);
    EXPECT_EQ(kiln_vm_set_input(vm, in.data(), in.size()), KILN_OK);
    kiln_vm_result res;
    EXPECT_EQ(kiln_vm_run(vm, &res), KILN_OK);
    EXPECT_EQ(res.stop, KILN_VM_EXITED) << res.msg;
    r.code = res.exit_code;
    r.cycles = res.cycles;
    const uint8_t *o = nullptr;
    size_t ol = 0;
    kiln_vm_output(vm, &o, &ol);
    r.out.assign(o, o + ol);
    kiln_vm_free(vm);
    kiln_vm_program_free(vp);
    return r;
}

// A loaded program, its AIR and its proving/verifying key.
struct Prog {
    kiln_zkvm_program *p = nullptr;
    kiln_air *air = nullptr;
    kiln_proof_vk *vk = nullptr;
    Prog() = default;
    Prog(const Prog &) = delete;
    Prog &operator=(const Prog &) = delete;
    ~Prog() {
        kiln_proof_vk_destroy(vk);
        kiln_air_destroy(air);
        kiln_zkvm_program_free(p);
    }
};

// Options of ZkvmFixture::prove_verify_with beyond the program, segment size and tamper mode.
struct ProveVerifyOpts {
    uint64_t *exit_code = nullptr;           // receives the exit code of an accepted-by-the-prover witness
    const Prog *verify_with = nullptr;       // check public values and verify with this program's key (not g's)
    bool check_public = true;                // false: skip kiln_zkvm_check_public, only the proof is verified
    const kiln_zkvm_program *run = nullptr;  // build the witness from this program's run (not g's)
    bool publish_key_hash = false;           // publish g's program hash, so that only the proof can reject (the
                                             // public-value check is then expected to pass)
    int honest = -1;                         // 1: the prover's strict path, 0: its test-only path; -1: strict
                                             // exactly when the witness is not tampered
};

// The witness tests' backend and proof configuration, program loading and one-segment prove-and-verify.
class ZkvmFixture : public ::testing::Test {
  protected:
    kiln_backend *be = nullptr;
    kiln_proof_config cfg{};
    std::string last_err;           // the error of the last prove_verify (the prover's when it refused)
    std::vector<uint8_t> input;     // the input stream of the next prove_verify
    std::vector<uint64_t> last_pub; // the public values of the last prove_verify
    void SetUp() override {
        ASSERT_EQ(kiln_backend_create(KILN_BACKEND_CPU, &be), KILN_OK);
        // Small and quick: the "test" preset with Keccak trees and blowup 2 (the AIR's degree is 3).
        // Soundness of the checks does not depend on the query count: every corruption the tests make breaks
        // the bus balance or a constraint identity (out of domain), which the verifier checks exactly.
        ASSERT_EQ(kiln_proof_config_preset("test", &cfg), KILN_OK);
        cfg.hasher = KILN_HASHER_KECCAK;
        cfg.log_blowup = 1;
    }
    void TearDown() override { kiln_backend_destroy(be); }

    void load(const std::vector<uint8_t> &elf, Prog &g) {
        char err[256] = "";
        ASSERT_FALSE(elf.empty());
        ASSERT_EQ(kiln_zkvm_program_load(elf.data(), elf.size(), &g.p, err, sizeof err), KILN_OK) << err;
        ASSERT_EQ(kiln_zkvm_air_build(g.p, &g.air), KILN_OK);
        ASSERT_EQ(kiln_proof_setup(be, g.air, &cfg, &g.vk), KILN_OK);
    }
#ifdef KILN_GUEST_DIR
    void load(const char *guest, Prog &g) { load(read_elf(guest), g); }
#endif

    // Builds the witness of one segment (segment_log seg, tamper, the fixture's input), proves it under g's key
    // (forcing the prover through the test-only path when invalid), checks the public values and verifies the
    // proof, and returns the verifier's status (KILN_ERR_VERIFY when the prover refused even on the test-only
    // path). Keeps the public values in last_pub and the error in last_err.
    kiln_status prove_verify_with(Prog &g, unsigned seg, kiln_zkvm_tamper tamper, const ProveVerifyOpts &x) {
        const bool honest = x.honest < 0 ? tamper == KILN_ZKVM_TAMPER_NONE : x.honest != 0;
        kiln_zkvm_witness w;
        kiln_zkvm_witness_opts o{};
        o.segment_log = seg;
        o.tamper = tamper;
        o.input = input.data();
        o.input_len = input.size();
        char err[256] = "";
        kiln_status st = kiln_zkvm_witness_build(x.run ? x.run : g.p, &o, &w, err, sizeof err);
        EXPECT_EQ(st, KILN_OK) << err;
        if (st != KILN_OK) return st;
        if (x.publish_key_hash) kiln_zkvm_program_hash(g.p, &w.pub[KILN_ZKVM_PUB_PROGRAM_HASH]);
        last_pub.assign(w.pub, w.pub + KILN_ZKVM_NPUB);
        kiln_proof_prove_opts po{};
        po.allow_invalid_witness = !honest;
        po.err = err;
        po.errlen = sizeof err;
        uint8_t *proof = nullptr;
        size_t plen = 0;
        st = kiln_zkvm_prove_segment(be, g.vk, &w, &po, &proof, &plen);
        if (honest) {
            EXPECT_EQ(st, KILN_OK) << err;
        }
        if (st != KILN_OK) {
            last_err = err;
            kiln_zkvm_witness_free(&w);
            return KILN_ERR_VERIFY; // the prover refused even on the test-only path: rejected
        }
        if (x.exit_code) *x.exit_code = w.pub[KILN_ZKVM_PUB_EXIT_CODE];
        const Prog &v = x.verify_with ? *x.verify_with : g;
        st = x.check_public ? kiln_zkvm_check_public(v.p, w.pub, KILN_ZKVM_NPUB, err, sizeof err) : KILN_OK;
        if (x.publish_key_hash) {
            EXPECT_EQ(st, KILN_OK) << err;
        }
        if (st == KILN_OK) st = kiln_zkvm_verify_segment(v.vk, w.pub, proof, plen, 0, err, sizeof err);
        last_err = err;
        kiln_proof_free(proof);
        kiln_zkvm_witness_free(&w);
        return st;
    }
    kiln_status prove_verify(Prog &g, unsigned seg, kiln_zkvm_tamper tamper, uint64_t *exit_code = nullptr,
                             const Prog *verify_with = nullptr, bool check_public = true) {
        ProveVerifyOpts x;
        x.exit_code = exit_code;
        x.verify_with = verify_with;
        x.check_public = check_public;
        return prove_verify_with(g, seg, tamper, x);
    }
};

} // namespace kiln_test

#endif
