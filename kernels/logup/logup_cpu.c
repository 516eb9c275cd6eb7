/* LogUp auxiliary columns on the CPU, multi-threaded: the denominator program over blocks of rows (eight-lane
 * AVX-512 field operations in native builds, goldilocks_x8.h), and the group sums
 * with a three-pass parallel prefix sum (chunk totals, a scan of the totals, chunk-local running sums). Field
 * addition is exact, so the sums do not depend on the split. */
#include <stdlib.h>
#include <string.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "../field/goldilocks_x8.h"
#include "logup_hd.h"

typedef struct {
    const kiln_logup_prog *p;
    uint64_t *den, *mult;
    size_t zeros;
    int fail;
} den_job;

/* Rows in blocks of LBLK: each instruction runs over the block's rows (register i of row r at
 * regs[i * LBLK + r]) in lane groups of KILN_V_LANES (goldilocks_x8.h: eight rows per AVX-512 operation in
 * native builds), the same values as kiln_logup_row row by row. Rows past the range's end repeat its first
 * row and are not written out. */
#define LBLK 32
#define LANES for (size_t l = 0; l < LBLK; l += KILN_V_LANES)

static void den_range(void *vc, size_t b, size_t e) {
    den_job *j = (den_job *)vc;
    const kiln_logup_prog *p = j->p;
    uint64_t *regs = (uint64_t *)malloc((p->ninstr ? p->ninstr : 1) * LBLK * sizeof(uint64_t));
    if (!regs) {
        __atomic_store_n(&j->fail, 1, __ATOMIC_RELAXED);
        return;
    }
    size_t zeros = 0;
    uint64_t f0[LBLK], f1[LBLK];
    for (size_t r0 = b; r0 < e; r0 += LBLK) {
        size_t cnt = e - r0 < LBLK ? e - r0 : LBLK;
        for (size_t i = 0; i < p->ninstr; i++) {
            kiln_logup_instr in = p->code[i];
            uint64_t *d = regs + i * LBLK;
            const uint64_t *x = regs + (size_t)in.a * LBLK, *y = regs + (size_t)in.b * LBLK;
            switch (in.op) {
            case KILN_LOGUP_CONST:
                for (size_t l = 0; l < LBLK; l++) d[l] = p->consts[in.a];
                break;
            case KILN_LOGUP_MAIN:
            case KILN_LOGUP_PRE: {
                const kiln_raw_mat *m = in.op == KILN_LOGUP_MAIN ? &p->main : &p->pre;
                const uint64_t *col = m->p + in.a * m->col_stride;
                if (cnt == LBLK && m->row_stride == 1) {
                    for (size_t k = 0; k < LBLK; k += 8) __builtin_prefetch(col + r0 + LBLK + k); /* next block */
                    memcpy(d, col + r0, LBLK * sizeof(uint64_t));
                } else
                    for (size_t l = 0; l < LBLK; l++) d[l] = col[(l < cnt ? r0 + l : r0) * m->row_stride];
                break;
            }
            case KILN_LOGUP_PERIODIC: {
                const uint64_t *t = p->periodic + p->periodic_off[in.a];
                size_t len = p->periodic_len[in.a], at = r0 % len;
                for (size_t l = 0; l < LBLK; l++) {
                    d[l] = t[l < cnt ? at : r0 % len];
                    if (++at == len) at = 0;
                }
                break;
            }
            case KILN_LOGUP_ADD:
                LANES kiln_v_store(d + l, kiln_v_add(kiln_v_load(x + l), kiln_v_load(y + l)));
                break;
            case KILN_LOGUP_SUB:
                LANES kiln_v_store(d + l, kiln_v_sub(kiln_v_load(x + l), kiln_v_load(y + l)));
                break;
            case KILN_LOGUP_MUL:
                LANES kiln_v_store(d + l, kiln_v_mul(kiln_v_load(x + l), kiln_v_load(y + l)));
                break;
            case KILN_LOGUP_NEG:
                LANES kiln_v_store(d + l, kiln_v_neg(kiln_v_load(x + l)));
                break;
            default:
                memset(d, 0, LBLK * sizeof(uint64_t));
                break;
            }
        }
        for (size_t t = 0; t < p->nterms; t++) {
            kiln_logup_term term = p->terms[t];
            /* d = alpha - (bus + sum_k beta^(k+1) v_k) = (alpha - bus) - sum_k beta^(k+1) v_k */
            kiln_v s0 = kiln_v_set1(kiln_gl_sub(p->alpha.c0, term.bus)), s1 = kiln_v_set1(p->alpha.c1);
            LANES {
                kiln_v_store(f0 + l, s0);
                kiln_v_store(f1 + l, s1);
            }
            kiln_gl2 bp = p->beta;
            for (uint32_t k = 0; k < term.nvals; k++) {
                const uint64_t *v = regs + (size_t)p->vals[term.val_first + k] * LBLK;
                kiln_v b0 = kiln_v_set1(bp.c0), b1 = kiln_v_set1(bp.c1);
                LANES {
                    kiln_v x = kiln_v_load(v + l);
                    kiln_v_store(f0 + l, kiln_v_sub(kiln_v_load(f0 + l), kiln_v_mul(b0, x)));
                    kiln_v_store(f1 + l, kiln_v_sub(kiln_v_load(f1 + l), kiln_v_mul(b1, x)));
                }
                bp = kiln_gl2_mul(bp, p->beta);
            }
            size_t at = t * p->n + r0;
            uint64_t *den = j->den + 2 * at;
            for (size_t l = 0; l < cnt; l++) {
                den[2 * l] = f0[l];
                den[2 * l + 1] = f1[l];
                zeros += (f0[l] | f1[l]) == 0;
            }
            memcpy(j->mult + at, regs + (size_t)term.mult * LBLK, cnt * sizeof(uint64_t));
        }
    }
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
    size_t r = b;
#if KILN_V_NATIVE
    /* Eight rows at a time: the interleaved 1/d values de-interleaved into c0 and c1 lanes, the same sums as
     * kiln_logup_row_groups (exact field operations, canonical results). */
    const __m512i ev = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), od = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    size_t n = j->n;
    for (; r + KILN_V_LANES <= e; r += KILN_V_LANES) {
        kiln_v s0 = kiln_v_zero(), s1 = kiln_v_zero();
        for (size_t g = 0; g < j->ngroups; g++) {
            kiln_v h0 = kiln_v_zero(), h1 = kiln_v_zero();
            for (size_t t = j->gfirst[g]; t < (size_t)j->gfirst[g] + j->gcount[g]; t++) {
                const uint64_t *iv = j->inv + 2 * (t * n + r);
                kiln_v lo = kiln_v_load(iv), hi = kiln_v_load(iv + 8), m = kiln_v_load(j->mult + t * n + r);
                h0 = kiln_v_add(h0, kiln_v_mul(_mm512_permutex2var_epi64(lo, ev, hi), m));
                h1 = kiln_v_add(h1, kiln_v_mul(_mm512_permutex2var_epi64(lo, od, hi), m));
            }
            kiln_v_store(j->out + (2 * g) * n + r, h0);
            kiln_v_store(j->out + (2 * g + 1) * n + r, h1);
            s0 = kiln_v_add(s0, h0);
            s1 = kiln_v_add(s1, h1);
        }
        kiln_v_store(j->out + (2 * j->ngroups) * n + r, s0);
        kiln_v_store(j->out + (2 * j->ngroups + 1) * n + r, s1);
    }
#endif
    for (; r < e; r++) kiln_logup_row_groups(j->inv, j->mult, j->n, j->gfirst, j->gcount, j->ngroups, r, j->out);
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
