/* Keccak-f[1600] as a KILN_HD function (one implementation for host and CUDA device code), fully unrolled
 * with the lanes in locals, plus Keccak-256 of a sequence of 64-bit words (each word = 8 little-endian
 * bytes), the form Merkle leaves and nodes use. */
#ifndef KILN_KECCAK_HD_H
#define KILN_KECCAK_HD_H

#include <stddef.h>
#include <stdint.h>

#include "../common/hd.h"

#define KILN_ROTL64(x, n) (((x) << (n)) | ((x) >> (64 - (n))))
#define KILN_KECCAK_RATE_WORDS 17 /* 136-byte rate of Keccak-256 */

/* One round of Keccak-f[1600] from lanes S##0..S##24 (lane x + 5y) into D##0..D##24, row by row of the output
 * so that few values are live at once: theta (c, d), then for each output row its five rho-pi lanes
 * b[X] = rot(S[x, y] ^ d[x], r[x, y]) with (X, Y) = (y, 2x + 3y), chi, and iota on lane 0. */
#define KILN_KECCAK_ROUND(S, D, rc)                                                                          \
    do {                                                                                                     \
        c0 = S##0 ^ S##5 ^ S##10 ^ S##15 ^ S##20;                                                            \
        c1 = S##1 ^ S##6 ^ S##11 ^ S##16 ^ S##21;                                                            \
        c2 = S##2 ^ S##7 ^ S##12 ^ S##17 ^ S##22;                                                            \
        c3 = S##3 ^ S##8 ^ S##13 ^ S##18 ^ S##23;                                                            \
        c4 = S##4 ^ S##9 ^ S##14 ^ S##19 ^ S##24;                                                            \
        d0 = c4 ^ KILN_ROTL64(c1, 1);                                                                        \
        d1 = c0 ^ KILN_ROTL64(c2, 1);                                                                        \
        d2 = c1 ^ KILN_ROTL64(c3, 1);                                                                        \
        d3 = c2 ^ KILN_ROTL64(c4, 1);                                                                        \
        d4 = c3 ^ KILN_ROTL64(c0, 1);                                                                        \
        b0 = (S##0 ^ d0);                                                                                    \
        b1 = KILN_ROTL64((S##6 ^ d1), 44);                                                                   \
        b2 = KILN_ROTL64((S##12 ^ d2), 43);                                                                  \
        b3 = KILN_ROTL64((S##18 ^ d3), 21);                                                                  \
        b4 = KILN_ROTL64((S##24 ^ d4), 14);                                                                  \
        D##0 = b0 ^ (~b1 & b2);                                                                              \
        D##1 = b1 ^ (~b2 & b3);                                                                              \
        D##2 = b2 ^ (~b3 & b4);                                                                              \
        D##3 = b3 ^ (~b4 & b0);                                                                              \
        D##4 = b4 ^ (~b0 & b1);                                                                              \
        b0 = KILN_ROTL64((S##3 ^ d3), 28);                                                                   \
        b1 = KILN_ROTL64((S##9 ^ d4), 20);                                                                   \
        b2 = KILN_ROTL64((S##10 ^ d0), 3);                                                                   \
        b3 = KILN_ROTL64((S##16 ^ d1), 45);                                                                  \
        b4 = KILN_ROTL64((S##22 ^ d2), 61);                                                                  \
        D##5 = b0 ^ (~b1 & b2);                                                                              \
        D##6 = b1 ^ (~b2 & b3);                                                                              \
        D##7 = b2 ^ (~b3 & b4);                                                                              \
        D##8 = b3 ^ (~b4 & b0);                                                                              \
        D##9 = b4 ^ (~b0 & b1);                                                                              \
        b0 = KILN_ROTL64((S##1 ^ d1), 1);                                                                    \
        b1 = KILN_ROTL64((S##7 ^ d2), 6);                                                                    \
        b2 = KILN_ROTL64((S##13 ^ d3), 25);                                                                  \
        b3 = KILN_ROTL64((S##19 ^ d4), 8);                                                                   \
        b4 = KILN_ROTL64((S##20 ^ d0), 18);                                                                  \
        D##10 = b0 ^ (~b1 & b2);                                                                             \
        D##11 = b1 ^ (~b2 & b3);                                                                             \
        D##12 = b2 ^ (~b3 & b4);                                                                             \
        D##13 = b3 ^ (~b4 & b0);                                                                             \
        D##14 = b4 ^ (~b0 & b1);                                                                             \
        b0 = KILN_ROTL64((S##4 ^ d4), 27);                                                                   \
        b1 = KILN_ROTL64((S##5 ^ d0), 36);                                                                   \
        b2 = KILN_ROTL64((S##11 ^ d1), 10);                                                                  \
        b3 = KILN_ROTL64((S##17 ^ d2), 15);                                                                  \
        b4 = KILN_ROTL64((S##23 ^ d3), 56);                                                                  \
        D##15 = b0 ^ (~b1 & b2);                                                                             \
        D##16 = b1 ^ (~b2 & b3);                                                                             \
        D##17 = b2 ^ (~b3 & b4);                                                                             \
        D##18 = b3 ^ (~b4 & b0);                                                                             \
        D##19 = b4 ^ (~b0 & b1);                                                                             \
        b0 = KILN_ROTL64((S##2 ^ d2), 62);                                                                   \
        b1 = KILN_ROTL64((S##8 ^ d3), 55);                                                                   \
        b2 = KILN_ROTL64((S##14 ^ d4), 39);                                                                  \
        b3 = KILN_ROTL64((S##15 ^ d0), 41);                                                                  \
        b4 = KILN_ROTL64((S##21 ^ d1), 2);                                                                   \
        D##20 = b0 ^ (~b1 & b2);                                                                             \
        D##21 = b1 ^ (~b2 & b3);                                                                             \
        D##22 = b2 ^ (~b3 & b4);                                                                             \
        D##23 = b3 ^ (~b4 & b0);                                                                             \
        D##24 = b4 ^ (~b0 & b1);                                                                             \
        D##0 ^= (rc);                                                                                        \
    } while (0)

KILN_HD void kiln_keccak_f1600_hd(uint64_t *s) {
    uint64_t a0 = s[0], a1 = s[1], a2 = s[2], a3 = s[3], a4 = s[4], a5 = s[5], a6 = s[6], a7 = s[7],
             a8 = s[8], a9 = s[9], a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14],
             a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19], a20 = s[20], a21 = s[21],
             a22 = s[22], a23 = s[23], a24 = s[24];
    uint64_t e0, e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13, e14, e15, e16, e17, e18, e19, e20,
        e21, e22, e23, e24;
    uint64_t c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;
    /* Rounds alternate between the lane sets a and e. */
    KILN_KECCAK_ROUND(a, e, 0x0000000000000001ULL);
    KILN_KECCAK_ROUND(e, a, 0x0000000000008082ULL);
    KILN_KECCAK_ROUND(a, e, 0x800000000000808AULL);
    KILN_KECCAK_ROUND(e, a, 0x8000000080008000ULL);
    KILN_KECCAK_ROUND(a, e, 0x000000000000808BULL);
    KILN_KECCAK_ROUND(e, a, 0x0000000080000001ULL);
    KILN_KECCAK_ROUND(a, e, 0x8000000080008081ULL);
    KILN_KECCAK_ROUND(e, a, 0x8000000000008009ULL);
    KILN_KECCAK_ROUND(a, e, 0x000000000000008AULL);
    KILN_KECCAK_ROUND(e, a, 0x0000000000000088ULL);
    KILN_KECCAK_ROUND(a, e, 0x0000000080008009ULL);
    KILN_KECCAK_ROUND(e, a, 0x000000008000000AULL);
    KILN_KECCAK_ROUND(a, e, 0x000000008000808BULL);
    KILN_KECCAK_ROUND(e, a, 0x800000000000008BULL);
    KILN_KECCAK_ROUND(a, e, 0x8000000000008089ULL);
    KILN_KECCAK_ROUND(e, a, 0x8000000000008003ULL);
    KILN_KECCAK_ROUND(a, e, 0x8000000000008002ULL);
    KILN_KECCAK_ROUND(e, a, 0x8000000000000080ULL);
    KILN_KECCAK_ROUND(a, e, 0x000000000000800AULL);
    KILN_KECCAK_ROUND(e, a, 0x800000008000000AULL);
    KILN_KECCAK_ROUND(a, e, 0x8000000080008081ULL);
    KILN_KECCAK_ROUND(e, a, 0x8000000000008080ULL);
    KILN_KECCAK_ROUND(a, e, 0x0000000080000001ULL);
    KILN_KECCAK_ROUND(e, a, 0x8000000080008008ULL);
    s[0] = a0, s[1] = a1, s[2] = a2, s[3] = a3, s[4] = a4, s[5] = a5, s[6] = a6, s[7] = a7, s[8] = a8,
    s[9] = a9;
    s[10] = a10, s[11] = a11, s[12] = a12, s[13] = a13, s[14] = a14, s[15] = a15, s[16] = a16, s[17] = a17;
    s[18] = a18, s[19] = a19, s[20] = a20, s[21] = a21, s[22] = a22, s[23] = a23, s[24] = a24;
}

/* Keccak-256 (padding 0x01 ... 0x80) of the 8n bytes formed by n words at in[0], in[stride], ... each as 8
 * little-endian bytes; the digest's 32 bytes as 4 little-endian words. A word is a whole lane, so no byte
 * shuffling is needed on either side. The padded last block goes through the same loop as the others so the
 * unrolled permutation appears once in the code (on a GPU two copies would crowd the instruction cache). */
KILN_HD void kiln_keccak256_words_strided(const uint64_t *in, size_t stride, size_t n, uint64_t *out) {
    uint64_t s[25];
#ifdef __CUDA_ARCH__
#pragma unroll
#endif
    for (int i = 0; i < 25; i++)
        s[i] = 0;
    size_t nblocks = n / KILN_KECCAK_RATE_WORDS + 1;
    for (size_t b = 0, at = 0; b < nblocks; b++, at += KILN_KECCAK_RATE_WORDS) {
#ifdef __CUDA_ARCH__
#pragma unroll
#endif
        for (int j = 0; j < KILN_KECCAK_RATE_WORDS; j++) {
            size_t k = at + (size_t)j;
            if (k < n)
                s[j] ^= in[k * stride];
            else if (k == n)
                s[j] ^= 0x01;
        }
        if (b + 1 == nblocks) s[KILN_KECCAK_RATE_WORDS - 1] ^= 0x8000000000000000ULL;
        kiln_keccak_f1600_hd(s);
    }
    out[0] = s[0];
    out[1] = s[1];
    out[2] = s[2];
    out[3] = s[3];
}

/* keccak256(l || r) of two digests (64 bytes: one block). */
KILN_HD void kiln_keccak256_node(const uint64_t *l, const uint64_t *r, uint64_t *out) {
    uint64_t s[25] = {
        l[0], l[1], l[2], l[3], r[0], r[1], r[2], r[3], 0x01, 0, 0, 0, 0, 0, 0, 0, 0x8000000000000000ULL,
        0,    0,    0,    0,    0,    0,    0,    0};
    kiln_keccak_f1600_hd(s);
    out[0] = s[0];
    out[1] = s[1];
    out[2] = s[2];
    out[3] = s[3];
}

#endif
