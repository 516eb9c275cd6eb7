/* Bit tricks shared by host and device code. */
#ifndef KILN_BITS_H
#define KILN_BITS_H

#include <stdint.h>

#include "hd.h"

/* The low `bits` bits of x in reverse order (bits <= 64; 0 bits gives 0): the index map between natural and
 * bit-reversed evaluation orders. */
KILN_HD uint64_t kiln_bitrev(uint64_t x, unsigned bits) {
    if (bits == 0) return 0;
#ifdef __CUDA_ARCH__
    return __brevll(x) >> (64 - bits);
#else
    x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
    x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
    x = ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return __builtin_bswap64(x) >> (64 - bits);
#endif
}

#endif
