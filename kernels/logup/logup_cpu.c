/* LogUp auxiliary columns on the CPU, multi-threaded: the denominator program row by row, and the group sums
 * with a three-pass parallel prefix sum (chunk totals, a scan of the totals, chunk-local running sums). Field
 * addition is exact, so the sums do not depend on the split. */
#include <stdlib.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "logup_hd.h"

typedef struct {
    const kiln_logup_prog *p;
    uint64_t *den, *mult;
    size_t zeros;
    int fail;
} den_job;

static void den_range(void *vc, size_t b, size_t e) {
    den_job *j = (den_job *)vc;
    uint64_t *regs = (uint64_t *)malloc((j->p->ninstr ? j->p->ninstr : 1) * sizeof(uint64_t));
    if (!regs) {
        __atomic_store_n(&j->fail, 1, __ATOMIC_RELAXED);
        return;
    }
    size_t zeros = 0;
    for (size_t r = b; r < e; r++) zeros += kiln_logup_row(j->p, r, regs, 1, j->den, j->mult);
    free(regs);
    if (zeros) __atomic_fetch_add(&j->zeros, zeros, __ATOMIC_RELAXED);
}

kiln_status kiln_cpu_logup_denominators(const kiln_logup_prog *p, uint64_t *den, uint64_t *mult, size_t *nzero) {
    den_job j = {p, den, mult, 0, 0};
    kiln_parallel_for(p->n, 256, den_range, &j);
    if (j.fail) return KILN_ERR_OUT_OF_MEMORY;
    *nzero = j.zeros;
    return KILN_OK;
}

#define SCAN_CHUNK 4096

typedef struct {
    const uint64_t *inv, *mult;
    size_t n;
    const uint32_t *gfirst, *gcount;
    size_t ngroups;
    uint64_t *out;
    uint64_t *acc0, *acc1; /* the running-sum columns */
    kiln_gl2 *chunk;       /* per chunk: its total, then its offset */
} sum_job;

static void groups_range(void *vc, size_t b, size_t e) {
    sum_job *j = (sum_job *)vc;
    for (size_t r = b; r < e; r++) kiln_logup_row_groups(j->inv, j->mult, j->n, j->gfirst, j->gcount, j->ngroups, r, j->out);
}

static void chunk_total(void *vc, size_t b, size_t e) {
    sum_job *j = (sum_job *)vc;
    for (size_t c = b; c < e; c++) {
        size_t r0 = c * SCAN_CHUNK, r1 = r0 + SCAN_CHUNK < j->n ? r0 + SCAN_CHUNK : j->n;
        kiln_gl2 s = kiln_gl2_make(0, 0);
        for (size_t r = r0; r < r1; r++) s = kiln_gl2_add(s, kiln_gl2_make(j->acc0[r], j->acc1[r]));
        j->chunk[c] = s;
    }
}

static void chunk_scan(void *vc, size_t b, size_t e) {
    sum_job *j = (sum_job *)vc;
    for (size_t c = b; c < e; c++) {
        size_t r0 = c * SCAN_CHUNK, r1 = r0 + SCAN_CHUNK < j->n ? r0 + SCAN_CHUNK : j->n;
        kiln_gl2 s = j->chunk[c];
        for (size_t r = r0; r < r1; r++) {
            s = kiln_gl2_add(s, kiln_gl2_make(j->acc0[r], j->acc1[r]));
            j->acc0[r] = s.c0;
            j->acc1[r] = s.c1;
        }
    }
}

kiln_status kiln_cpu_logup_sum(const uint64_t *inv, const uint64_t *mult, size_t n, const uint32_t *gfirst,
                               const uint32_t *gcount, size_t ngroups, uint64_t *out, kiln_gl2 *total) {
    size_t nchunks = (n + SCAN_CHUNK - 1) / SCAN_CHUNK;
    kiln_gl2 *chunk = (kiln_gl2 *)malloc((nchunks ? nchunks : 1) * sizeof(kiln_gl2));
    if (!chunk) return KILN_ERR_OUT_OF_MEMORY;
    sum_job j = {inv, mult, n, gfirst, gcount, ngroups, out, out + 2 * ngroups * n, out + (2 * ngroups + 1) * n, chunk};
    kiln_parallel_for(n, 256, groups_range, &j);
    kiln_parallel_for(nchunks, 1, chunk_total, &j);
    kiln_gl2 s = kiln_gl2_make(0, 0);
    for (size_t c = 0; c < nchunks; c++) {
        kiln_gl2 t = chunk[c];
        chunk[c] = s; /* exclusive prefix: the chunk's offset */
        s = kiln_gl2_add(s, t);
    }
    kiln_parallel_for(nchunks, 1, chunk_scan, &j);
    free(chunk);
    *total = s;
    return KILN_OK;
}
