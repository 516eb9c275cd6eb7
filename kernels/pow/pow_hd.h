/* The value of one proof-of-work nonce (pow.h) as a KILN_HD function: one implementation for the CPU and CUDA
 * device code. */
#ifndef KILN_POW_HD_H
#define KILN_POW_HD_H

#include <stdint.h>

#include "../field/goldilocks.h"
#include "../keccak/keccak_hd.h"
#include "../poseidon2/poseidon2_hd.h"
#include "pow.h"

#ifdef __CUDA_ARCH__
#define KILN_POW_UNROLL _Pragma("unroll")
#else
#define KILN_POW_UNROLL
#endif

/* Every state index below is a compile-time constant once the loops are unrolled (positions are compared, not
 * used as indices), so on the GPU the states stay in registers. */
KILN_HD uint64_t kiln_pow_value_p2(const uint64_t *state12, unsigned pos, uint64_t nonce) {
    uint64_t s[12];
    KILN_POW_UNROLL
    for (unsigned i = 0; i < 12; i++) s[i] = i == pos ? nonce : state12[i];
    kiln_p2_permute(s);
    return s[7];
}

/* nblocks: 1, or 2 when the nonce reaches the block's end (kiln_pow_keccak_blocks); a compile-time constant in
 * the GPU kernel so that the state stays in registers. */
KILN_HD unsigned kiln_pow_keccak_blocks(unsigned pos) { return pos + 8 >= 8 * KILN_KECCAK_RATE_WORDS ? 2 : 1; }

KILN_HD uint64_t kiln_pow_value_keccak_n(const uint64_t *state25, unsigned pos, uint64_t nonce, unsigned nblocks) {
    /* The nonce's 8 bytes go to byte pos..pos+7: lane L gets lo, lane L+1 hi (when pos is not lane-aligned).
     * A block holds 17 lanes; bytes past it go to the next block after a permutation. */
    const unsigned R = KILN_KECCAK_RATE_WORDS;
    unsigned L = pos >> 3, sh = pos & 7, end = pos + 8;
    uint64_t lo = nonce << (8 * sh), hi = sh ? nonce >> (64 - 8 * sh) : 0;
    uint64_t s[25];
    KILN_POW_UNROLL
    for (unsigned i = 0; i < 25; i++) {
        uint64_t v = state25[i];
        if (i == L) v ^= lo;
        if (i == L + 1 && i < R) v ^= hi;
        s[i] = v;
    }
    unsigned p = end; /* where the padding starts */
    if (nblocks == 2) {
        kiln_keccak_f1600_hd(s);
        s[0] ^= hi; /* zero unless the nonce straddles the block's end */
        p = end - 8 * R;
    }
    /* Padding byte 0x01 at byte p: written per lane from p - 8i, not as s[p >> 3], which nvcc would turn into a
     * dynamically indexed store and move the state to local memory. */
    KILN_POW_UNROLL
    for (unsigned i = 0; i < R; i++) s[i] ^= p - 8 * i < 8 ? (uint64_t)1 << (8 * (p - 8 * i)) : 0;
    s[R - 1] ^= 0x8000000000000000ULL;
    kiln_keccak_f1600_hd(s);
    uint64_t in[5] = {s[0], s[1], s[2], s[3], 0}, o[4];
    kiln_keccak256_words_strided(in, 1, 5, o);
    return kiln_gl_reduce128(o[0], kiln_gl_reduce64(o[1]));
}

KILN_HD uint64_t kiln_pow_value_keccak(const uint64_t *state25, unsigned pos, uint64_t nonce) {
    return kiln_pow_value_keccak_n(state25, pos, nonce, kiln_pow_keccak_blocks(pos));
}

KILN_HD int kiln_pow_low_zero(uint64_t v, unsigned bits) {
    return bits >= 64 ? v == 0 : (v & (((uint64_t)1 << bits) - 1)) == 0;
}

/* 1 when nonce passes: its value has `bits` (0..64) low zero bits; nonces >= p never pass. */
KILN_HD int kiln_pow_check(kiln_hasher h, const uint64_t *state, unsigned pos, uint64_t nonce, unsigned bits) {
    if (nonce >= KILN_GL_P) return 0;
    uint64_t v = h == KILN_HASHER_KECCAK ? kiln_pow_value_keccak(state, pos, nonce) : kiln_pow_value_p2(state, pos, nonce);
    return kiln_pow_low_zero(v, bits);
}

#endif
