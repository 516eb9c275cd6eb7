// Proving and verifying an example AIR from the prover suites (one copy for all of them).
#ifndef KILN_TEST_PROVE_HELPERS_H
#define KILN_TEST_PROVE_HELPERS_H

#include <string>
#include <vector>

#include "examples/examples.h"
#include "prover.h"

// Proves ex under vk; allow_invalid takes the test-only path that lets the prover run on a bad witness.
inline kiln_status prove_example(kiln_backend *be, const kiln_proof_vk *vk, const kiln_example &ex,
                                 std::vector<uint8_t> &out, bool allow_invalid = false, std::string *err = nullptr) {
    char msg[256] = {0};
    kiln_proof_prove_opts o{};
    o.allow_invalid_witness = allow_invalid;
    o.err = msg;
    o.errlen = sizeof msg;
    uint8_t *p = nullptr;
    size_t n = 0;
    kiln_status st = kiln_proof_prove(be, vk, ex.traces, ex.ntables, ex.pub, ex.npub, &o, &p, &n);
    if (err) *err = msg;
    if (st == KILN_OK) out.assign(p, p + n);
    kiln_proof_free(p);
    return st;
}

inline kiln_status verify_example(const kiln_proof_vk *vk, const kiln_example &ex, const std::vector<uint8_t> &b,
                                  std::string *err = nullptr) {
    char msg[256] = {0};
    kiln_status st = kiln_proof_verify(vk, ex.pub, ex.npub, b.data(), b.size(), 0, msg, sizeof msg);
    if (err) *err = msg;
    return st;
}

#endif
