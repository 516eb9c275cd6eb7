/* Fuzz target: the state tree's guest step (protocol/state_tree.h) on arbitrary bytes. Input: a commitment
 * (root 32 bytes, next_free u64 big-endian), key[32], initial[32], final[32], then the proof. The step must
 * return a status, never crash or read out of bounds; a failed step leaves the commitment unchanged, and an
 * accepted step is accepted again from the same commitment (it is deterministic). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "state_tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 136) return 0;
    kiln_tree_commitment c, c0, c2;
    memcpy(c.root, data, 32);
    c.next_free = kiln_be64(data + 32);
    c0 = c;
    const uint8_t *key = data + 40, *init = data + 72, *fin = data + 104, *proof = data + 136;
    uint64_t idx;
    int ins;
    char err[128];
    kiln_status st = kiln_tree_step(&c, key, init, fin, proof, size - 136, &idx, &ins, err, sizeof err);
    if (st != KILN_OK) {
        if (memcmp(&c.root, &c0.root, 32) != 0 || c.next_free != c0.next_free) __builtin_trap();
        return 0;
    }
    c2 = c0;
    if (kiln_tree_step(&c2, key, init, fin, proof, size - 136, &idx, &ins, err, sizeof err) != KILN_OK ||
        memcmp(c2.root, c.root, 32) != 0 || c2.next_free != c.next_free)
        __builtin_trap();
    return 0;
}
