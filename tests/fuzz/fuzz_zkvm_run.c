/* Fuzz target: arbitrary bytes as a zkVM run proof file (witness/run.c) of zk_tiny ("test" configuration):
 * the strict parser, the chain check and every segment's verification. Every input must give a status, never
 * a crash or a leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "zkvm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static kiln_zkvm_program *prog;
static kiln_air *air;
static kiln_proof_vk *vk;
static kiln_backend *be;

static void cleanup(void) {
    kiln_proof_vk_destroy(vk);
    kiln_air_destroy(air);
    kiln_zkvm_program_free(prog);
    kiln_backend_destroy(be);
}

static void setup(void) {
    FILE *f = fopen(KILN_FUZZ_ZKVM_ELF, "rb");
    if (!f) abort();
    static uint8_t elf[1 << 16];
    size_t n = fread(elf, 1, sizeof elf, f);
    fclose(f);
    char err[256];
    kiln_proof_config c;
    if (kiln_zkvm_program_load(elf, n, &prog, err, sizeof err) != KILN_OK ||
        kiln_zkvm_air_build(prog, &air) != KILN_OK || kiln_proof_config_preset("test", &c) != KILN_OK ||
        kiln_backend_create(KILN_BACKEND_CPU, &be) != KILN_OK ||
        kiln_proof_setup(be, air, &c, &vk) != KILN_OK)
        abort();
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!vk) setup();
    char err[256];
    size_t ns = 0;
    kiln_zkvm_run_parse(data, size, &ns, NULL, NULL, NULL, err, sizeof err);
    kiln_zkvm_run_summary sum;
    kiln_zkvm_verify_run(vk, prog, data, size, 0, &sum, err, sizeof err);
    return 0;
}
