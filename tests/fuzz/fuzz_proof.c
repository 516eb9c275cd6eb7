/* Fuzz target: arbitrary bytes through the proof deserializer, the inspector and the verifier of the
 * Fibonacci AIR (2^6 rows, "test" configuration). Every input must give a status, never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>

#include "examples/examples.h"
#include "prover.h"

static kiln_example ex;
static kiln_proof_vk *vk;
static kiln_backend *be;

static void cleanup(void) {
    kiln_proof_vk_destroy(vk);
    kiln_backend_destroy(be);
    kiln_example_free(&ex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!vk) {
        kiln_proof_config c;
        if (kiln_example_build("fib", 6, 1, &ex) != KILN_OK || kiln_proof_config_preset("test", &c) != KILN_OK ||
            kiln_backend_create(KILN_BACKEND_CPU, &be) != KILN_OK || kiln_proof_setup(be, ex.air, &c, &vk) != KILN_OK)
            abort();
        atexit(cleanup);
    }
    char err[256];
    kiln_proof_info info;
    kiln_proof_inspect(data, size, &info, err, sizeof err);
    kiln_proof_verify(vk, ex.pub, ex.npub, data, size, 0, err, sizeof err);
    return 0;
}
