// Batch proofs (witness/batch_proof.h) against dishonest provers. The honest prove/verify round trip is the
// batch_cli.prove_verify test; here: a witness whose advice was altered is refused before proving, and when a
// prover bypasses that check (the test-only path: the zkVM prover run directly on the altered advice), the
// proof it gets says the bootloader refused the batch, and the batch verifier rejects it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "batch_proof.h"
#include "bootloader_image.h"
#include "eth_tx_builder.h"
#include "test_bytes.h"
#include "sequencer/batch_run.h"

namespace {

using ethtx::hex;

struct Fixture {
    kiln_vm_program *prog = nullptr;
    kiln_batch_run run;
    kt::TempDir tmp;
    std::string dir = tmp.path;
    Fixture() {
        char err[512];
        memset(&run, 0, sizeof run);
        if (kiln_vm_program_from_elf(kiln_bootloader_elf, kiln_bootloader_elf_len, &prog, err, sizeof err) != KILN_OK)
            return;
        ethtx::Key a = ethtx::make_key(1), b = ethtx::make_key(2);
        ethtx::Tx tx;
        tx.chain_id = 270;
        memcpy(tx.to, b.addr, 20);
        ethtx::set_value(tx, 77);
        ethtx::Bytes raw = ethtx::sign(tx, a);
        std::string json = "{\"chain_id\": 270, \"genesis\": {\"balances\": {\"" + hex(a.addr, 20) +
                           "\": \"0xde0b6b3a7640000\"}}, \"blocks\": [{\"timestamp\": 5, \"txs\": [\"" +
                           hex(raw.data(), raw.size()) + "\"]}]}";
        if (kiln_batch_run_json(prog, (dir + "/s").c_str(), json.data(), json.size(), &run, err, sizeof err) != KILN_OK)
            ADD_FAILURE() << err;
    }
    ~Fixture() {
        kiln_batch_run_free(&run);
        kiln_vm_program_free(prog);
    }
    std::vector<uint8_t> tampered_tape() const { // a byte of the last tree step's proof
        std::vector<uint8_t> t(run.res.tape, run.res.tape + run.res.tape_len);
        t[t.size() - 100] ^= 0x04;
        return t;
    }
};

TEST(BatchProof, AlteredAdviceIsRefusedBeforeProving) {
    Fixture f;
    ASSERT_NE(f.prog, nullptr);
    std::vector<uint8_t> tape = f.tampered_tape();
    uint8_t *w = nullptr, *proof = nullptr;
    size_t wl = 0, pl = 0;
    ASSERT_EQ(kiln_batch_witness_encode(f.run.input, f.run.input_len, tape.data(), tape.size(), &w, &wl), KILN_OK);
    kiln_backend *be = nullptr;
    ASSERT_EQ(kiln_backend_create(KILN_BACKEND_CPU, &be), KILN_OK);
    char err[512] = "";
    EXPECT_EQ(kiln_batch_proof_prove(be, kiln_bootloader_elf, kiln_bootloader_elf_len, w, wl, nullptr, &proof, &pl,
                                     err, sizeof err),
              KILN_ERR_FAULT);
    EXPECT_NE(std::string(err).find("does not accept"), std::string::npos) << err;
    EXPECT_EQ(proof, nullptr);
    free(w);
    kiln_backend_destroy(be);
}

// Label batchproof: one real proof (about a minute on two cores).
TEST(BatchProofSlow, AProofOfARefusedBatchDoesNotVerify) {
    Fixture f;
    ASSERT_NE(f.prog, nullptr);
    std::vector<uint8_t> tape = f.tampered_tape();
    kiln_backend *be = nullptr;
    ASSERT_EQ(kiln_backend_create(KILN_BACKEND_CPU, &be), KILN_OK);
    kiln_proof_config cfg;
    ASSERT_EQ(kiln_proof_config_preset("zkvm", &cfg), KILN_OK);
    char err[512] = "";
    kiln_zkvm_program *p = nullptr;
    kiln_air *air = nullptr;
    kiln_proof_vk *vk = nullptr;
    ASSERT_EQ(kiln_zkvm_program_load(kiln_bootloader_elf, kiln_bootloader_elf_len, &p, err, sizeof err), KILN_OK);
    ASSERT_EQ(kiln_zkvm_air_build(p, &air), KILN_OK);
    ASSERT_EQ(kiln_proof_setup(be, air, &cfg, &vk), KILN_OK);
    kiln_zkvm_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.witness.segment_log = 20;
    ro.witness.input = f.run.input;
    ro.witness.input_len = f.run.input_len;
    ro.witness.advice = tape.data();
    ro.witness.advice_len = tape.size();
    uint8_t *run = nullptr;
    size_t run_len = 0;
    ASSERT_EQ(kiln_zkvm_prove_run(be, vk, p, &ro, &run, &run_len, err, sizeof err), KILN_OK) << err;
    // Package it with the honest public output, as a cheating prover would.
    std::vector<uint8_t> file = {'K', 'L', 'N', 'B', 'P', 'R', 'F', '1', 0, 0, 0, 0};
    file[8] = (uint8_t)KILN_BOOTLOADER_OUTPUT_LEN, file[9] = (uint8_t)(KILN_BOOTLOADER_OUTPUT_LEN >> 8);
    file.insert(file.end(), f.run.res.output, f.run.res.output + KILN_BOOTLOADER_OUTPUT_LEN);
    file.insert(file.end(), run, run + run_len);
    const uint8_t *out = nullptr;
    size_t olen = 0;
    uint64_t pub[KILN_ZKVM_NPUB];
    EXPECT_EQ(kiln_batch_proof_verify(kiln_bootloader_elf, kiln_bootloader_elf_len, file.data(), file.size(), 100.0,
                                      &out, &olen, pub, err, sizeof err),
              KILN_ERR_VERIFY);
    EXPECT_NE(std::string(err).find("refused"), std::string::npos) << err;
    free(run);
    kiln_proof_vk_destroy(vk);
    kiln_air_destroy(air);
    kiln_zkvm_program_free(p);
    kiln_backend_destroy(be);
}

} // namespace
