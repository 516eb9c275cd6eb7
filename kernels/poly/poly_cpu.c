/* Polynomial evaluation at an extension point and batch inversion on the CPU, multi-threaded. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"

/* ---- evaluation: out[c] = sum_i coeffs[c*n + i] * z^i ----
 * Work is split into tiles of TILE_N coefficients by COL_BLOCK columns. A tile computes z^i for its range
 * once and reuses it for every column of the block; products go to 128-bit accumulators with a carry word
 * and are reduced once per tile. */

#define TILE_N 4096
#define COL_BLOCK 32

typedef struct {
    const uint64_t *coeffs;
    size_t n, ncols, ntiles, ncblocks;
    kiln_gl2 z;
    kiln_gl2 *out;
    pthread_mutex_t lock;
} eval_job;

typedef struct {
    unsigned __int128 lo;
    uint64_t top; /* carries out of lo */
} acc192;

static inline void acc_add(acc192 *a, uint64_t x, uint64_t y) {
    unsigned __int128 p = (unsigned __int128)x * y;
    a->lo += p;
    a->top += a->lo < p;
}

/* top * 2^128 + lo mod p, with 2^128 = -2^32 (mod p); top < 2^32 since a tile adds at most 2^12 terms. */
static inline uint64_t acc_reduce(const acc192 *a) {
    uint64_t r = kiln_gl_reduce128((uint64_t)a->lo, (uint64_t)(a->lo >> 64));
    return kiln_gl_sub(r, kiln_gl_reduce64(a->top << 32));
}

static void eval_range(void *ctx, size_t begin, size_t end) {
    eval_job *j = (eval_job *)ctx;
    uint64_t *pw = (uint64_t *)malloc(2 * TILE_N * sizeof(uint64_t)); /* z^i interleaved */
    kiln_gl2 *sum = (kiln_gl2 *)calloc(j->ncols, sizeof(kiln_gl2));
    int fallback = !pw || !sum;
    size_t cur_tile = (size_t)-1;
    for (size_t t = begin; t < end; t++) {
        size_t tile = t / j->ncblocks, cb = t % j->ncblocks;
        size_t i0 = tile * TILE_N, len = j->n - i0 < TILE_N ? j->n - i0 : TILE_N;
        size_t c0 = cb * COL_BLOCK, c1 = c0 + COL_BLOCK < j->ncols ? c0 + COL_BLOCK : j->ncols;
        if (fallback) {
            /* Out of memory for scratch: Horner per column, same result. */
            kiln_gl2 zi0 = kiln_gl2_pow(j->z, i0);
            for (size_t c = c0; c < c1; c++) {
                const uint64_t *a = j->coeffs + c * j->n + i0;
                kiln_gl2 acc = kiln_gl2_make(0, 0);
                for (size_t i = len; i-- > 0;) acc = kiln_gl2_add(kiln_gl2_mul(acc, j->z), kiln_gl2_from_base(a[i]));
                acc = kiln_gl2_mul(acc, zi0);
                pthread_mutex_lock(&j->lock);
                j->out[c] = kiln_gl2_add(j->out[c], acc);
                pthread_mutex_unlock(&j->lock);
            }
            continue;
        }
        if (tile != cur_tile) {
            /* Four interleaved chains stepping by z^4 overlap the multiplications' latency. */
            kiln_gl2 x[4];
            x[0] = kiln_gl2_pow(j->z, i0);
            for (int q = 1; q < 4; q++) x[q] = kiln_gl2_mul(x[q - 1], j->z);
            kiln_gl2 z4 = kiln_gl2_mul(kiln_gl2_sqr(j->z), kiln_gl2_sqr(j->z));
            for (size_t i = 0; i < len; i += 4)
                for (int q = 0; q < 4; q++) {
                    if (i + q < len) {
                        pw[2 * (i + q)] = x[q].c0;
                        pw[2 * (i + q) + 1] = x[q].c1;
                    }
                    x[q] = kiln_gl2_mul(x[q], z4);
                }
            cur_tile = tile;
        }
        for (size_t c = c0; c < c1; c++) {
            const uint64_t *a = j->coeffs + c * j->n + i0;
            acc192 s0 = {0, 0}, s1 = {0, 0};
            for (size_t i = 0; i < len; i++) {
                acc_add(&s0, a[i], pw[2 * i]);
                acc_add(&s1, a[i], pw[2 * i + 1]);
            }
            sum[c] = kiln_gl2_add(sum[c], kiln_gl2_make(acc_reduce(&s0), acc_reduce(&s1)));
        }
    }
    if (!fallback) {
        pthread_mutex_lock(&j->lock);
        for (size_t c = 0; c < j->ncols; c++) j->out[c] = kiln_gl2_add(j->out[c], sum[c]);
        pthread_mutex_unlock(&j->lock);
    }
    free(pw);
    free(sum);
}

void kiln_cpu_poly_eval_ext(const uint64_t *coeffs, size_t n, size_t ncols, kiln_gl2 z, kiln_gl2 *out) {
    for (size_t c = 0; c < ncols; c++) out[c] = kiln_gl2_make(0, 0);
    if (n == 0 || ncols == 0) return;
    eval_job j;
    j.coeffs = coeffs;
    j.n = n;
    j.ncols = ncols;
    j.ntiles = (n + TILE_N - 1) / TILE_N;
    j.ncblocks = (ncols + COL_BLOCK - 1) / COL_BLOCK;
    j.z = z;
    j.out = out;
    pthread_mutex_init(&j.lock, NULL);
    kiln_parallel_for(j.ntiles * j.ncblocks, 1, eval_range, &j);
    pthread_mutex_destroy(&j.lock);
}

/* ---- batch inversion (Montgomery's trick) ----
 * Each thread's range is cut into blocks: prefix products (zeros skipped) in a few interleaved chains, one
 * inversion per chain, then a backward sweep. */

#define INV_BLOCK 2048
#define INV_CHAINS 4 /* independent product chains per block, to overlap multiplication latency */

static void inv_block_base(uint64_t *v, size_t len, uint64_t *pre) {
    uint64_t acc[INV_CHAINS] = {1, 1, 1, 1};
    for (size_t i = 0; i < len; i++) {
        pre[i] = acc[i % INV_CHAINS];
        if (v[i]) acc[i % INV_CHAINS] = kiln_gl_mul(acc[i % INV_CHAINS], v[i]);
    }
    /* Each chain's product of nonzero elements is never zero. */
    for (unsigned c = 0; c < INV_CHAINS; c++) acc[c] = kiln_gl_inv(acc[c]);
    for (size_t i = len; i-- > 0;) {
        if (!v[i]) continue;
        uint64_t x = v[i];
        v[i] = kiln_gl_mul(acc[i % INV_CHAINS], pre[i]);
        acc[i % INV_CHAINS] = kiln_gl_mul(acc[i % INV_CHAINS], x);
    }
}

static void inv_range_base(void *ctx, size_t begin, size_t end) {
    uint64_t *v = (uint64_t *)ctx;
    uint64_t pre[INV_BLOCK];
    for (size_t b = begin; b < end; b += INV_BLOCK)
        inv_block_base(v + b, end - b < INV_BLOCK ? end - b : INV_BLOCK, pre);
}

void kiln_cpu_batch_inverse(uint64_t *v, size_t n) { kiln_parallel_for(n, 4 * INV_BLOCK, inv_range_base, v); }

#define INV_BLOCK_EXT 1024

static void inv_block_ext(uint64_t *v, size_t len, kiln_gl2 *pre) {
    kiln_gl2 acc[INV_CHAINS];
    for (unsigned c = 0; c < INV_CHAINS; c++) acc[c] = kiln_gl2_make(1, 0);
    for (size_t i = 0; i < len; i++) {
        kiln_gl2 x = kiln_gl2_make(v[2 * i], v[2 * i + 1]);
        pre[i] = acc[i % INV_CHAINS];
        if (!kiln_gl2_is_zero(x)) acc[i % INV_CHAINS] = kiln_gl2_mul(acc[i % INV_CHAINS], x);
    }
    for (unsigned c = 0; c < INV_CHAINS; c++) acc[c] = kiln_gl2_inv(acc[c]);
    for (size_t i = len; i-- > 0;) {
        kiln_gl2 x = kiln_gl2_make(v[2 * i], v[2 * i + 1]);
        if (kiln_gl2_is_zero(x)) continue;
        kiln_gl2 r = kiln_gl2_mul(acc[i % INV_CHAINS], pre[i]);
        v[2 * i] = r.c0;
        v[2 * i + 1] = r.c1;
        acc[i % INV_CHAINS] = kiln_gl2_mul(acc[i % INV_CHAINS], x);
    }
}

static void inv_range_ext(void *ctx, size_t begin, size_t end) {
    uint64_t *v = (uint64_t *)ctx;
    kiln_gl2 pre[INV_BLOCK_EXT];
    for (size_t b = begin; b < end; b += INV_BLOCK_EXT)
        inv_block_ext(v + 2 * b, end - b < INV_BLOCK_EXT ? end - b : INV_BLOCK_EXT, pre);
}

void kiln_cpu_batch_inverse_ext(uint64_t *v, size_t n) {
    kiln_parallel_for(n, 4 * INV_BLOCK_EXT, inv_range_ext, v);
}
