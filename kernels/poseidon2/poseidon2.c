/* Host entry points of Poseidon2; the permutation itself is poseidon2_hd.h, shared with the CUDA kernels. */
#include "poseidon2.h"

#include "poseidon2_hd.h"

const uint64_t kiln_poseidon2_rc[KILN_P2_ROUNDS][KILN_P2_WIDTH] = KILN_P2_RC_INIT;

void kiln_poseidon2_permute(uint64_t state[KILN_P2_WIDTH]) {
    kiln_p2_permute(state);
}

void kiln_poseidon2_hash_leaf(const uint64_t *in, size_t n, uint64_t out[KILN_P2_DIGEST]) {
    kiln_p2_hash_leaf_strided(in, 1, n, out);
}

void kiln_poseidon2_hash_node(const uint64_t left[KILN_P2_DIGEST], const uint64_t right[KILN_P2_DIGEST],
                              uint64_t out[KILN_P2_DIGEST]) {
    kiln_p2_hash_node(left, right, out);
}

void kiln_poseidon2_hash_var(const uint64_t *in, size_t n, uint64_t out[KILN_P2_DIGEST]) {
    uint64_t s[KILN_P2_WIDTH] = {0};
    /* n elements, then a 1, then zeros up to a multiple of the rate: always at least one chunk. */
    for (size_t c = 0; c <= n; c += KILN_P2_RATE) {
        for (size_t j = 0; j < KILN_P2_RATE; j++)
            s[j] = c + j < n ? in[c + j] : (c + j == n ? 1 : 0);
        kiln_p2_permute(s);
    }
    for (int i = 0; i < KILN_P2_DIGEST; i++)
        out[i] = s[i];
}
