/* NTT helpers shared by the CPU and CUDA backends, tests and benchmarks: bit reversal, the bit-reversal
 * permutation and the inverse of a power of two. The transforms themselves are kiln_ntt / kiln_lde in
 * backend/backend.h. */
#ifndef KILN_NTT_H
#define KILN_NTT_H

#include <stddef.h>
#include <stdint.h>

#include "../common/hd.h"
#include "../common/bits.h"
#include "../field/goldilocks.h"

#ifdef __cplusplus
extern "C" {
#endif


/* 1/2^log_n in the field (log_n <= 32): 2^log_n divides p - 1, so the inverse is p - (p - 1) / 2^log_n. */
KILN_HD uint64_t kiln_ntt_inv_pow2(unsigned log_n) {
    return KILN_GL_P - ((KILN_GL_P - 1) >> log_n);
}

/* In-place bit-reversal permutation of n = 2^log_n host elements (single-threaded). */
void kiln_ntt_bitrev_permute(uint64_t *v, unsigned log_n);

#ifdef __cplusplus
}
#endif
#endif
