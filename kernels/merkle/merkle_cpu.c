/* CPU backend of row hashing and tree building (rows and each layer split across threads), and of
 * gathering paths and rows. */
#include <stdatomic.h>
#include <string.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "../poseidon2/poseidon2_avx512.h"
#include "merkle_hd.h"

/* Dynamic scheduling over kiln_parallel_for: each worker takes grains of the range from a shared counter
 * until none is left. With fixed halves, a core that is busy with another process (or slower) holds everyone
 * up; grains balance the load. */
typedef struct {
    kiln_range_fn fn;
    void *ctx;
    size_t n, grain;
    atomic_size_t next;
} dyn_job;

static void dyn_worker(void *arg, size_t begin, size_t end) {
    dyn_job *d = (dyn_job *)arg;
    (void)begin;
    (void)end;
    for (;;) {
        size_t at = atomic_fetch_add_explicit(&d->next, d->grain, memory_order_relaxed);
        if (at >= d->n) return;
        d->fn(d->ctx, at, d->n - at < d->grain ? d->n : at + d->grain);
    }
}

static void dyn_for(size_t n, size_t grain, kiln_range_fn fn, void *ctx) {
    unsigned t = kiln_parallel_threads();
    if (t <= 1 || n <= grain) {
        fn(ctx, 0, n);
        return;
    }
    size_t grains = (n + grain - 1) / grain;
    dyn_job d;
    d.fn = fn;
    d.ctx = ctx;
    d.n = n;
    d.grain = grain;
    atomic_init(&d.next, 0);
    kiln_parallel_for(grains < t ? grains : t, 1, dyn_worker, &d);
}

typedef struct {
    kiln_hasher h;
    const uint64_t *base;
    size_t ncols, row_stride, col_stride;
    uint64_t *out;
} rows_job;

static void hash_rows_range(void *arg, size_t begin, size_t end) {
    const rows_job *j = (const rows_job *)arg;
    size_t r = begin;
#if KILN_P2_X8_NATIVE
    /* Poseidon2 rows eight at a time, one per AVX-512 lane. */
    if (j->h == KILN_HASHER_POSEIDON2)
        for (; r + KILN_P2_LANES <= end; r += KILN_P2_LANES)
            kiln_p2_hash_leaf_strided_x8(j->base + r * j->row_stride, j->row_stride, j->col_stride, j->ncols,
                                         j->out + 4 * r);
#endif
    /* Poseidon2 rows two at a time (the rest, or all rows without AVX-512): interleaved permutations keep
     * more of the core busy. */
    if (j->h == KILN_HASHER_POSEIDON2)
        for (; r + 1 < end; r += 2)
            kiln_p2_hash_leaf_strided_x2(j->base + r * j->row_stride, j->base + (r + 1) * j->row_stride,
                                         j->col_stride, j->ncols, j->out + 4 * r, j->out + 4 * r + 4);
    for (; r < end; r++)
        kiln_merkle_leaf_strided(j->h, j->base + r * j->row_stride, j->col_stride, j->ncols, j->out + 4 * r);
}

void kiln_cpu_hash_rows(kiln_hasher h, const uint64_t *base, size_t nrows, size_t ncols, size_t row_stride,
                        size_t col_stride, uint64_t *out) {
    rows_job j = {h, base, ncols, row_stride, col_stride, out};
    /* A grain is ~512 permutations (about a millisecond scalar, a quarter of that eight lanes at a time):
     * small next to a thread start, fine enough to balance. A multiple of 8 rows, so that only the last
     * grain can leave a tail outside the eight-lane path. */
    size_t per_row = (ncols + 7) / 8;
    size_t grain = (512 / per_row + 8) & ~(size_t)7;
    dyn_for(nrows, grain, hash_rows_range, &j);
}

typedef struct {
    kiln_hasher h;
    const uint64_t *src; /* the layer below: 2n digests */
    uint64_t *dst;       /* this layer: n digests */
} layer_job;

static void layer_range(void *arg, size_t begin, size_t end) {
    const layer_job *j = (const layer_job *)arg;
    size_t i = begin;
#if KILN_P2_X8_NATIVE
    /* Eight nodes per step, one per AVX-512 lane; layers of fewer nodes (near the cap) and the tail of a
     * range go through the x2 and scalar paths below. */
    if (j->h == KILN_HASHER_POSEIDON2)
        for (; i + KILN_P2_LANES <= end; i += KILN_P2_LANES)
            kiln_p2_hash_node_x8(j->src + 8 * i, j->dst + 4 * i);
#endif
    if (j->h == KILN_HASHER_POSEIDON2)
        for (; i + 1 < end; i += 2)
            kiln_p2_hash_node_x2(j->src + 8 * i, j->src + 8 * i + 4, j->src + 8 * i + 8, j->src + 8 * i + 12,
                                 j->dst + 4 * i, j->dst + 4 * i + 4);
    for (; i < end; i++)
        kiln_merkle_node_hd(j->h, j->src + 8 * i, j->src + 8 * i + 4, j->dst + 4 * i);
}

void kiln_cpu_merkle_build(kiln_hasher h, uint64_t *tree, size_t nleaves, unsigned cap_log) {
    size_t start = 0, len = nleaves, cap = (size_t)1 << cap_log;
    while (len > cap) {
        layer_job j = {h, tree + 4 * start, tree + 4 * (start + len)};
        /* One permutation is about two microseconds (half of one eight lanes at a time): layers below 512
         * nodes stay on one thread. */
        dyn_for(len / 2, 512, layer_range, &j);
        start += len;
        len >>= 1;
    }
}

/* Sibling digests of each leaf, layer 0 first, from the layer layout of backend.h. */
void kiln_cpu_merkle_paths(const uint64_t *tree, size_t nleaves, unsigned cap_log, const size_t *indices,
                           size_t count, uint64_t *out) {
    unsigned depth = 0;
    while (((size_t)1 << (depth + cap_log)) < nleaves) depth++;
    for (size_t i = 0; i < count; i++) {
        size_t idx = indices[i], layer_start = 0, layer_len = nleaves;
        for (unsigned d = 0; d < depth; d++) {
            memcpy(out + (i * depth + d) * 4, tree + (layer_start + (idx ^ 1)) * 4, 4 * sizeof(uint64_t));
            layer_start += layer_len;
            layer_len >>= 1;
            idx >>= 1;
        }
    }
}

void kiln_cpu_gather_rows(const uint64_t *base, size_t ncols, size_t row_stride, size_t col_stride,
                          const size_t *rows, size_t count, uint64_t *out) {
    for (size_t i = 0; i < count; i++)
        for (size_t c = 0; c < ncols; c++) out[i * ncols + c] = base[rows[i] * row_stride + c * col_stride];
}
