/* Polynomial evaluation at an extension point and batch inversion on the CPU, multi-threaded. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "../field/goldilocks_x8.h"

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

#define INV_BLOCK_EXT 1024 /* inv_block_ext is the scalar path (non-native builds) */

__attribute__((unused)) static void inv_block_ext(uint64_t *v, size_t len, kiln_gl2 *pre) {
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

#if KILN_V_NATIVE
/* Native builds: sixteen chains in the lanes of two pairs of zmm registers (element i of the block in chain
 * i mod 16: eight consecutive elements form a lane group, groups alternate between the two pairs), c0 and c1
 * de-interleaved into separate registers. The same inverses as inv_block_ext: Montgomery's trick gives the
 * exact inverse whatever the chains, and zeros are skipped (left zero) the same way. */
#define XV_GROUPS (INV_BLOCK_EXT / KILN_V_LANES)

typedef struct {
    kiln_v c0, c1;
} xv;

static inline xv xv_mul(xv a, xv b) {
    xv r;
    r.c0 = kiln_v_add(kiln_v_mul(a.c0, b.c0), kiln_v_mul7(kiln_v_mul(a.c1, b.c1)));
    r.c1 = kiln_v_add(kiln_v_mul(a.c0, b.c1), kiln_v_mul(a.c1, b.c0));
    return r;
}

/* Lane group g of the block (elements 8g .. 8g+7, the last group masked to the block's end: lanes past it load
 * as zero, which the sweeps skip). */
static inline xv xv_load(const uint64_t *v, size_t g, size_t len) {
    const __m512i ev = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), od = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    size_t left = len - 8 * g; /* elements of this group inside the block, >= 1 */
    __mmask8 m0 = left >= 4 ? 0xFF : (__mmask8)((1u << (2 * left)) - 1);
    __mmask8 m1 = left >= 8 ? 0xFF : left <= 4 ? 0 : (__mmask8)((1u << (2 * (left - 4))) - 1);
    __m512i a = _mm512_maskz_loadu_epi64(m0, v + 16 * g), b = _mm512_maskz_loadu_epi64(m1, v + 16 * g + 8);
    xv r;
    r.c0 = _mm512_permutex2var_epi64(a, ev, b);
    r.c1 = _mm512_permutex2var_epi64(a, od, b);
    return r;
}

static inline void xv_store(uint64_t *v, size_t g, size_t len, xv x) {
    const __m512i lo = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11), hi = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
    size_t left = len - 8 * g;
    __mmask8 m0 = left >= 4 ? 0xFF : (__mmask8)((1u << (2 * left)) - 1);
    __mmask8 m1 = left >= 8 ? 0xFF : left <= 4 ? 0 : (__mmask8)((1u << (2 * (left - 4))) - 1);
    _mm512_mask_storeu_epi64(v + 16 * g, m0, _mm512_permutex2var_epi64(x.c0, lo, x.c1));
    _mm512_mask_storeu_epi64(v + 16 * g + 8, m1, _mm512_permutex2var_epi64(x.c0, hi, x.c1));
}

static inline __mmask8 xv_nonzero(xv x) { return _mm512_test_epi64_mask(_mm512_or_si512(x.c0, x.c1), _mm512_or_si512(x.c0, x.c1)); }

static void inv_block_ext_x8(uint64_t *v, size_t len, xv *pre) {
    size_t ng = (len + 7) / 8;
    xv acc[2];
    acc[0].c0 = acc[1].c0 = kiln_v_set1(1);
    acc[0].c1 = acc[1].c1 = kiln_v_zero();
    for (size_t g = 0; g < ng; g++) {
        xv x = xv_load(v, g, len), *a = &acc[g & 1];
        pre[g] = *a;
        __mmask8 nz = xv_nonzero(x);
        xv p = xv_mul(*a, x);
        a->c0 = _mm512_mask_mov_epi64(a->c0, nz, p.c0);
        a->c1 = _mm512_mask_mov_epi64(a->c1, nz, p.c1);
    }
    /* The sixteen chain products (never zero) inverted together by Montgomery's trick, one field inversion. */
    uint64_t t0[16], t1[16];
    kiln_v_store(t0, acc[0].c0);
    kiln_v_store(t0 + 8, acc[1].c0);
    kiln_v_store(t1, acc[0].c1);
    kiln_v_store(t1 + 8, acc[1].c1);
    kiln_gl2 pp[16], run = kiln_gl2_make(1, 0);
    for (int k = 0; k < 16; k++) {
        pp[k] = run;
        run = kiln_gl2_mul(run, kiln_gl2_make(t0[k], t1[k]));
    }
    kiln_gl2 inv = kiln_gl2_inv(run);
    for (int k = 16; k-- > 0;) {
        kiln_gl2 x = kiln_gl2_make(t0[k], t1[k]), r = kiln_gl2_mul(inv, pp[k]);
        inv = kiln_gl2_mul(inv, x);
        t0[k] = r.c0;
        t1[k] = r.c1;
    }
    acc[0].c0 = kiln_v_load(t0);
    acc[1].c0 = kiln_v_load(t0 + 8);
    acc[0].c1 = kiln_v_load(t1);
    acc[1].c1 = kiln_v_load(t1 + 8);
    for (size_t g = ng; g-- > 0;) {
        xv x = xv_load(v, g, len), *a = &acc[g & 1];
        __mmask8 nz = xv_nonzero(x);
        xv r = xv_mul(*a, pre[g]), p = xv_mul(*a, x);
        a->c0 = _mm512_mask_mov_epi64(a->c0, nz, p.c0);
        a->c1 = _mm512_mask_mov_epi64(a->c1, nz, p.c1);
        r.c0 = _mm512_maskz_mov_epi64(nz, r.c0);
        r.c1 = _mm512_maskz_mov_epi64(nz, r.c1);
        xv_store(v, g, len, r);
    }
}

static void inv_range_ext(void *ctx, size_t begin, size_t end) {
    uint64_t *v = (uint64_t *)ctx;
    xv pre[XV_GROUPS];
    for (size_t b = begin; b < end; b += INV_BLOCK_EXT)
        inv_block_ext_x8(v + 2 * b, end - b < INV_BLOCK_EXT ? end - b : INV_BLOCK_EXT, pre);
}
#else
static void inv_range_ext(void *ctx, size_t begin, size_t end) {
    uint64_t *v = (uint64_t *)ctx;
    kiln_gl2 pre[INV_BLOCK_EXT];
    for (size_t b = begin; b < end; b += INV_BLOCK_EXT)
        inv_block_ext(v + 2 * b, end - b < INV_BLOCK_EXT ? end - b : INV_BLOCK_EXT, pre);
}
#endif

void kiln_cpu_batch_inverse_ext(uint64_t *v, size_t n) {
    kiln_parallel_for(n, 4 * INV_BLOCK_EXT, inv_range_ext, v);
}
