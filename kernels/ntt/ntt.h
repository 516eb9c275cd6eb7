/* NTT helpers shared by the CPU and CUDA backends, tests and benchmarks: bit reversal, the bit-reversal
 * permutation and the inverse of a power of two. The transforms themselves are kiln_ntt / kiln_lde in
 * backend/backend.h. */
#ifndef KILN_NTT_H
#define KILN_NTT_H

#include <stddef.h>
#include <stdint.h>

#include "../common/hd.h"
#include "../field/goldilocks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The low `bits` bits of x in reverse order (bits <= 64; 0 bits gives 0). */
KILN_HD uint64_t kiln_ntt_bitrev(uint64_t x, unsigned bits) {
    if (bits == 0) return 0;
#ifdef __CUDA_ARCH__
    return __brevll(x) >> (64 - bits);
#else
    x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
    x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
    x = ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
    x = __builtin_bswap64(x);
    return x >> (64 - bits);
#endif
}

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
