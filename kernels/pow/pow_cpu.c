/* Proof-of-work grinding on the CPU: batches of KILN_POW_BATCH nonces in order, each shared by the threads in
 * interleaved sub-blocks; the smallest valid nonce of the first batch that has one is the smallest overall. */
#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "../poseidon2/poseidon2_avx512.h"
#include "pow_hd.h"

#define POW_SUB 1024 /* nonces per sub-block */

typedef struct {
    const kiln_pow_seed *seed;
    unsigned bits, lanes;
    uint64_t base, len;
    uint64_t found; /* smallest valid offset + 1 in this batch, 0 when none yet */
} pow_job;

static void record(pow_job *j, uint64_t want) {
    uint64_t cur = __atomic_load_n(&j->found, __ATOMIC_RELAXED);
    while ((cur == 0 || want < cur) &&
           !__atomic_compare_exchange_n(&j->found, &cur, want, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

/* Poseidon2 nonces i0 .. i0+7 (offsets in the batch, all below s1) in one eight-lane permutation
 * (poseidon2_avx512.h); returns the smallest valid offset + 1, or 0 when none of the eight passes. */
static uint64_t p2_first_x8(const pow_job *j, uint64_t i0) {
    uint64_t st[KILN_P2_WIDTH][KILN_P2_LANES];
    for (unsigned k = 0; k < KILN_P2_WIDTH; k++)
        for (unsigned l = 0; l < KILN_P2_LANES; l++) st[k][l] = k == j->seed->pos ? j->base + i0 + l : j->seed->state[k];
    kiln_p2_permute_x8(st);
    for (unsigned l = 0; l < KILN_P2_LANES; l++)
        if (j->base + i0 + l < KILN_GL_P && kiln_pow_low_zero(st[7][l], j->bits)) return i0 + l + 1;
    return 0;
}

/* Lane l scans sub-blocks l, l + lanes, l + 2*lanes, ... so that all threads move through the batch from its
 * start together (a valid nonce is usually found early in a batch). A sub-block is skipped or left as soon as
 * a nonce at most its position is known; within a sub-block the first valid nonce is its smallest. */
static void pow_lanes(void *vc, size_t b, size_t e) {
    pow_job *j = (pow_job *)vc;
    /* Eight nonces per permutation where the AVX-512 permutation runs; the sanitizer build keeps the scalar
     * loop (the x8 fallback would be the same work, so nothing to gain). */
    int x8 = KILN_P2_X8_NATIVE && j->seed->hasher != KILN_HASHER_KECCAK && j->seed->pos < KILN_P2_WIDTH;
    for (size_t l = b; l < e; l++)
        for (uint64_t s0 = (uint64_t)l * POW_SUB; s0 < j->len; s0 += (uint64_t)j->lanes * POW_SUB) {
            uint64_t f = __atomic_load_n(&j->found, __ATOMIC_RELAXED);
            if (f && f <= s0 + 1) break;
            uint64_t s1 = s0 + POW_SUB < j->len ? s0 + POW_SUB : j->len;
            uint64_t i = s0;
            if (x8)
                for (; i + KILN_P2_LANES <= s1; i += KILN_P2_LANES) {
                    if ((i & 63) == 0) {
                        f = __atomic_load_n(&j->found, __ATOMIC_RELAXED);
                        if (f && f <= i + 1) break;
                    }
                    uint64_t hit = p2_first_x8(j, i);
                    if (hit) {
                        record(j, hit);
                        i = s1; /* sub-block done: its first valid nonce is its smallest */
                        break;
                    }
                }
            for (; i < s1; i++) {
                if ((i & 63) == 0) {
                    f = __atomic_load_n(&j->found, __ATOMIC_RELAXED);
                    if (f && f <= i + 1) break;
                }
                if (kiln_pow_check(j->seed->hasher, j->seed->state, j->seed->pos, j->base + i, j->bits)) {
                    record(j, i + 1);
                    break;
                }
            }
        }
}

kiln_status kiln_cpu_pow_grind(const kiln_pow_seed *seed, unsigned bits, uint64_t *nonce) {
    unsigned lanes = kiln_parallel_threads();
    for (uint64_t base = 0; base < KILN_GL_P; base += KILN_POW_BATCH) {
        uint64_t len = KILN_GL_P - base < KILN_POW_BATCH ? KILN_GL_P - base : KILN_POW_BATCH;
        pow_job j = {seed, bits, lanes, base, len, 0};
        kiln_parallel_for(lanes, 1, pow_lanes, &j);
        if (j.found) {
            *nonce = base + j.found - 1;
            return KILN_OK;
        }
    }
    return KILN_ERR_LIMIT;
}
