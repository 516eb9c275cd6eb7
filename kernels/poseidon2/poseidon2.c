/* STUB: to be replaced by the Poseidon2 implementation. */
#include "poseidon2.h"
void kiln_poseidon2_permute(uint64_t state[KILN_P2_WIDTH]) { (void)state; }
void kiln_poseidon2_hash_leaf(const uint64_t *in, size_t n, uint64_t out[KILN_P2_DIGEST]) { (void)in; (void)n; (void)out; }
void kiln_poseidon2_hash_node(const uint64_t l[KILN_P2_DIGEST], const uint64_t r[KILN_P2_DIGEST], uint64_t out[KILN_P2_DIGEST]) { (void)l; (void)r; (void)out; }
void kiln_poseidon2_hash_var(const uint64_t *in, size_t n, uint64_t out[KILN_P2_DIGEST]) { (void)in; (void)n; (void)out; }
