/* The prover (protocol in docs/proof-system.md). Heavy steps go through the kernel API; the host keeps the
 * transcript, the small per-query work and the LogUp running sums. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/parallel.h"
#include "compile.h"
#include "proof_internal.h"

typedef struct {
    unsigned log_n, log_m;
    size_t n, M;
    uint64_t shift;
    size_t w[4]; /* main, aux (base columns), pre, quot (base columns) */
    size_t k;    /* quotient chunks */
    unsigned log_q; /* the quotient is evaluated on the first 2^log_q rows of the bit-reversed LDE: the
                     * sub-coset shift*<w_Q>, Q = n * 2^ceil(log2 k) (at least 2n) */
    kiln_buf *coef[4], *lde[4], *tree[4];
    uint64_t *pre_host;
} tstate;

typedef struct {
    kiln_backend *be;
    const kiln_proof_vk *vk;
    const kiln_air *air;
    const kiln_proof_config *c;
    const kiln_proof_prove_opts *o;
    kiln_proof_data p;
    tstate *ts;
    kiln_buf *layer[KILN_MAX_LAYERS + 1], *ltree[KILN_MAX_LAYERS];
    kiln_proof_transcript tr;
} pctx;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static kiln_status perr(const pctx *x, kiln_status st, const char *fmt, ...) {
    if (x->o && x->o->err && x->o->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->o->err, x->o->errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

#define TRYK(call, what)                                                                                       \
    do {                                                                                                       \
        kiln_status st_ = (call);                                                                              \
        if (st_ != KILN_OK) return perr(x, st_, "%s: %s (%s)", what, kiln_status_str(st_), kiln_backend_error(x->be)); \
    } while (0)

static kiln_status alloc_words(pctx *x, size_t words, kiln_buf **b) {
    TRYK(kiln_buf_alloc(x->be, words * 8, b), "allocating a buffer");
    return KILN_OK;
}

static kiln_matrix mat_of(const tstate *t, int k) { return kiln_matrix_cols(t->lde[k], 0, t->M, t->w[k]); }

static kiln_status commit(pctx *x, tstate *t, int k, uint64_t **cap_out) {
    unsigned cl = kiln_proof_cap(x->c, t->log_m);
    *cap_out = (uint64_t *)malloc(((size_t)4 << cl) * 8);
    if (!*cap_out) return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    TRYK(alloc_words(x, kiln_merkle_tree_digests(t->M, cl) * 4, &t->tree[k]), "commit");
    kiln_matrix m = mat_of(t, k);
    TRYK(kiln_merkle_commit(x->be, x->c->hasher, &m, cl, t->tree[k], *cap_out), "Merkle commitment");
    return KILN_OK;
}

/* Upload host columns (n rows), interpolate, extend onto the coset, commit. */
static kiln_status lde_commit(pctx *x, tstate *t, int k, const uint64_t *host, uint64_t **cap, double *t_lde,
                              double *t_com) {
    double t0 = now();
    TRYK(alloc_words(x, t->n * t->w[k], &t->coef[k]), "LDE");
    TRYK(alloc_words(x, t->M * t->w[k], &t->lde[k]), "LDE");
    TRYK(kiln_buf_write(t->coef[k], 0, host, t->n * t->w[k] * 8), "upload");
    TRYK(kiln_lde(x->be, t->coef[k], 0, t->lde[k], 0, t->w[k], t->log_n, x->c->log_blowup, t->shift,
                  KILN_ORDER_BITREV), "LDE");
    kiln_backend_sync(x->be);
    double t1 = now();
    kiln_status st = commit(x, t, k, cap);
    kiln_backend_sync(x->be);
    *t_lde += t1 - t0;
    *t_com += now() - t1;
    return st;
}

/* ---- LogUp auxiliary trace (host) ---- */

/* Base-field value of node i at row r (mult and tuple expressions read current main/pre rows only). */
static void eval_rows_base(const kiln_air_table *t, const uint8_t *need, size_t upto, const uint64_t *mainc,
                           const uint64_t *prec, size_t n, size_t r, const uint64_t *pub, uint64_t *v) {
    for (size_t i = 0; i <= upto; i++) {
        if (!need[i]) continue;
        const kiln_air_node *d = &t->nodes[i];
        uint64_t o = 0;
        switch (d->op) {
        case KILN_N_CONST: o = d->v; break;
        case KILN_N_MAIN: o = mainc[d->a * n + r]; break;
        case KILN_N_PRE: o = prec[d->a * n + r]; break;
        case KILN_N_PERIODIC: o = t->periodic[d->a].values[r % t->periodic[d->a].period]; break;
        case KILN_N_PUBLIC: o = pub[d->a]; break;
        case KILN_N_ADD: o = kiln_gl_add(v[d->a], v[d->b]); break;
        case KILN_N_SUB: o = kiln_gl_sub(v[d->a], v[d->b]); break;
        case KILN_N_MUL: o = kiln_gl_mul(v[d->a], v[d->b]); break;
        case KILN_N_NEG: o = kiln_gl_neg(v[d->a]); break;
        default: break;
        }
        v[i] = o;
    }
}

typedef struct {
    const kiln_air_table *t;
    const uint8_t *need;
    size_t upto;
    const uint64_t *mainc, *prec, *pub;
    size_t n;
    kiln_gl2 alpha, beta;
    uint64_t *den;  /* n * ninter interleaved ext: denominators */
    uint64_t *mult; /* n * ninter */
    int fail;
} aux_ctx;

static void aux_rows(void *vc, size_t b, size_t e) {
    aux_ctx *c = (aux_ctx *)vc;
    const kiln_air_table *t = c->t;
    uint64_t *v = (uint64_t *)malloc((c->upto + 1) * 8);
    if (!v) {
        __atomic_store_n(&c->fail, 1, __ATOMIC_RELAXED);
        return;
    }
    for (size_t r = b; r < e; r++) {
        eval_rows_base(t, c->need, c->upto, c->mainc, c->prec, c->n, r, c->pub, v);
        for (size_t j = 0; j < t->ninter; j++) {
            const kiln_air_interaction *it = &t->inter[j];
            kiln_gl2 fp = kiln_gl2_from_base(kiln_gl_from_u64(it->bus)), bp = c->beta;
            for (size_t k = 0; k < it->nvals; k++) {
                fp = kiln_gl2_add(fp, kiln_gl2_mul_base(bp, v[it->vals[k]]));
                bp = kiln_gl2_mul(bp, c->beta);
            }
            kiln_gl2 d = kiln_gl2_sub(c->alpha, fp);
            c->den[2 * (r * t->ninter + j)] = d.c0;
            c->den[2 * (r * t->ninter + j) + 1] = d.c1;
            c->mult[r * t->ninter + j] = v[it->mult];
        }
    }
    free(v);
}

static kiln_status build_aux(pctx *x, size_t ti, const uint64_t *mainc, const uint64_t *pub, const kiln_gl2 *chal,
                             uint64_t **aux_out, kiln_gl2 *sum_out) {
    const kiln_air_table *t = x->air->tables[ti];
    tstate *s = &x->ts[ti];
    size_t n = s->n, ni = t->ninter;
    uint8_t *need = (uint8_t *)calloc(t->nnodes, 1);
    uint64_t *den = (uint64_t *)malloc(n * ni * 16), *mult = (uint64_t *)malloc(n * ni * 8);
    uint64_t *aux = (uint64_t *)calloc(n * s->w[1], 8);
    kiln_buf *db = NULL;
    kiln_status st = KILN_OK;
    if (!need || !den || !mult || !aux) {
        st = perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory building the LogUp columns");
        goto out;
    }
    size_t upto = 0;
    for (size_t j = 0; j < ni; j++) {
        need[t->inter[j].mult] = 1;
        for (size_t k = 0; k < t->inter[j].nvals; k++) need[t->inter[j].vals[k]] = 1;
    }
    for (size_t i = t->nnodes; i-- > 0;) {
        if (!need[i]) continue;
        if (i > upto) upto = i;
        const kiln_air_node *d = &t->nodes[i];
        if (d->op >= KILN_N_ADD) {
            need[d->a] = 1;
            if (d->op != KILN_N_NEG) need[d->b] = 1;
        }
    }
    aux_ctx ac = {t, need, upto, mainc, s->pre_host, pub, n, chal[0], chal[1], den, mult, 0};
    kiln_parallel_for(n, 256, aux_rows, &ac);
    if (ac.fail) {
        st = perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory building the LogUp columns");
        goto out;
    }
    for (size_t i = 0; i < n * ni; i++)
        if (!den[2 * i] && !den[2 * i + 1]) {
            st = perr(x, KILN_ERR_INTERNAL, "a LogUp denominator vanished (negligible-probability event)");
            goto out;
        }
    /* Invert every denominator with one kernel call. */
    st = alloc_words(x, n * ni * 2, &db);
    if (st != KILN_OK) goto out;
    if ((st = kiln_buf_write(db, 0, den, n * ni * 16)) != KILN_OK ||
        (st = kiln_batch_inverse_ext(x->be, db, 0, n * ni)) != KILN_OK || (st = kiln_buf_read(db, 0, den, n * ni * 16)) != KILN_OK) {
        st = perr(x, st, "LogUp inversion: %s", kiln_backend_error(x->be));
        goto out;
    }
    {
        size_t nh = t->nhelpers, acc_col = nh;
        kiln_gl2 acc = kiln_gl2_make(0, 0);
        for (size_t r = 0; r < n; r++) {
            kiln_gl2 rowsum = kiln_gl2_make(0, 0);
            for (size_t h = 0; h < nh; h++) {
                kiln_gl2 hv = kiln_gl2_make(0, 0);
                for (size_t j = t->helpers[h].first; j < t->helpers[h].first + t->helpers[h].count; j++) {
                    kiln_gl2 inv = kiln_gl2_make(den[2 * (r * ni + j)], den[2 * (r * ni + j) + 1]);
                    hv = kiln_gl2_add(hv, kiln_gl2_mul_base(inv, mult[r * ni + j]));
                }
                aux[(2 * h) * n + r] = hv.c0;
                aux[(2 * h + 1) * n + r] = hv.c1;
                rowsum = kiln_gl2_add(rowsum, hv);
            }
            acc = kiln_gl2_add(acc, rowsum);
            aux[(2 * acc_col) * n + r] = acc.c0;
            aux[(2 * acc_col + 1) * n + r] = acc.c1;
        }
        *sum_out = acc;
    }
out:
    kiln_buf_free(db);
    free(need);
    free(den);
    free(mult);
    if (st != KILN_OK) {
        free(aux);
        aux = NULL;
    }
    *aux_out = aux;
    return st;
}

/* ---- quotient ---- */

static kiln_status quotient(pctx *x, size_t ti, kiln_gl2 lambda, const kiln_gl2 *chal, const uint64_t *pub) {
    const kiln_air_table *t = x->air->tables[ti];
    tstate *s = &x->ts[ti];
    kiln_prog prog;
    kiln_status st = kiln_prog_compile(t, lambda, chal, pub, x->p.t[ti].bus_sum, &prog);
    if (st != KILN_OK) return perr(x, st, "%s: compiling the constraints failed", t->name);
    /* Periodic columns over the coset shift^(n/P) * <w_(P*Bq)>, Bq = Q / n. */
    size_t B = (size_t)1 << (s->log_q - s->log_n), Q = (size_t)1 << s->log_q, words = 0;
    for (size_t j = 0; j < t->nperiodic; j++) words += t->periodic[j].period * B;
    uint64_t *per = (uint64_t *)malloc((words ? words : 1) * 8), *coef = (uint64_t *)malloc(1024 * 8);
    uint32_t *poff = (uint32_t *)malloc((t->nperiodic + 1) * 4), *plog = (uint32_t *)malloc((t->nperiodic + 1) * 4);
    if (!per || !coef || !poff || !plog) {
        st = perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
        goto out;
    }
    words = 0;
    for (size_t j = 0; j < t->nperiodic; j++) {
        size_t P = t->periodic[j].period, L = P * B;
        unsigned lg = 0;
        while (((size_t)1 << lg) < L) lg++;
        kiln_periodic_coeffs(t->periodic[j].values, P, coef);
        uint64_t sh = kiln_gl_pow(s->shift, s->n / P), w = kiln_gl_root_of_unity(lg), pt = sh;
        for (size_t e = 0; e < L; e++) {
            uint64_t acc = 0;
            for (size_t q = P; q-- > 0;) acc = kiln_gl_add(kiln_gl_mul(acc, pt), coef[q]);
            per[words + e] = acc;
            pt = kiln_gl_mul(pt, w);
        }
        poff[j] = (uint32_t)words;
        plog[j] = lg;
        words += L;
    }
    {
        /* Views of the first Q rows (column-major, so the column stride stays M). */
        kiln_matrix mm = mat_of(s, 0), ma = mat_of(s, 1), mp = mat_of(s, 2);
        mm.nrows = ma.nrows = mp.nrows = Q;
        kiln_expr_quotient_args a;
        memset(&a, 0, sizeof a);
        a.code = prog.code;
        a.ninstr = prog.ninstr;
        a.nregs = prog.nregs;
        a.consts = prog.consts;
        a.nconsts = prog.nconsts;
        a.periodic = per;
        a.periodic_words = words;
        a.periodic_off = poff;
        a.periodic_log = plog;
        a.nperiodic = t->nperiodic;
        a.main = &mm;
        a.aux = s->w[1] ? &ma : NULL;
        a.pre = s->w[2] ? &mp : NULL;
        a.log_n = s->log_n;
        a.log_blowup = s->log_q - s->log_n;
        a.shift = s->shift;
        if ((st = alloc_words(x, 2 * Q, &s->coef[3])) != KILN_OK) goto out;
        if ((st = kiln_expr_quotient(x->be, &a, s->coef[3], 0)) != KILN_OK) {
            st = perr(x, st, "%s: quotient evaluation: %s", t->name, kiln_backend_error(x->be));
            goto out;
        }
    }
    /* Interpolate over the coset, keep k chunks of n coefficients per component, extend them. */
    if ((st = kiln_ntt(x->be, s->coef[3], 0, 2, s->log_q, 1, s->shift, KILN_ORDER_BITREV, KILN_ORDER_NATURAL)) != KILN_OK ||
        (st = alloc_words(x, s->M * s->w[3], &s->lde[3])) != KILN_OK) {
        st = perr(x, st, "%s: quotient interpolation: %s", t->name, kiln_backend_error(x->be));
        goto out;
    }
    for (size_t c = 0; c < 2 && st == KILN_OK; c++)
        st = kiln_lde_from_coeffs(x->be, s->coef[3], c * Q, s->lde[3], c * s->k * s->M, s->k, s->log_n,
                                  x->c->log_blowup, s->shift, KILN_ORDER_BITREV);
    if (st != KILN_OK) st = perr(x, st, "%s: quotient LDE: %s", t->name, kiln_backend_error(x->be));
out:
    kiln_prog_free(&prog);
    free(per);
    free(coef);
    free(poff);
    free(plog);
    return st;
}

/* ---- DEEP ---- */

typedef struct {
    kiln_gl2 *cz, *czg; /* per table: all columns */
} deep_coefs;

static kiln_status deep_into(pctx *x, size_t ti, const deep_coefs *dc, kiln_gl2 z, kiln_gl2 scale, kiln_buf *out) {
    tstate *s = &x->ts[ti];
    const kiln_proof_tbl *pt = &x->p.t[ti];
    size_t wt = s->w[0] + s->w[1] + s->w[2] + s->w[3], ws = wt - s->w[3];
    kiln_gl2 *cz = (kiln_gl2 *)malloc(wt * sizeof *cz), *czg = (kiln_gl2 *)malloc(wt * sizeof *czg);
    if (!cz || !czg) {
        free(cz);
        free(czg);
        return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    }
    kiln_gl2 sz = kiln_gl2_make(0, 0), szg = kiln_gl2_make(0, 0);
    for (size_t c = 0; c < wt; c++) {
        cz[c] = kiln_gl2_mul(dc->cz[c], scale);
        czg[c] = c < ws ? kiln_gl2_mul(dc->czg[c], scale) : kiln_gl2_make(0, 0);
        sz = kiln_gl2_add(sz, kiln_gl2_mul(cz[c], pt->ood_z[c]));
        if (c < ws) szg = kiln_gl2_add(szg, kiln_gl2_mul(czg[c], pt->ood_zg[c]));
    }
    kiln_matrix mats[4];
    size_t nm = 0;
    for (int k = 0; k < 4; k++)
        if (s->w[k]) mats[nm++] = mat_of(s, k);
    kiln_deep_args a;
    a.mats = mats;
    a.nmats = nm;
    a.coef_z = cz;
    a.coef_zg = czg;
    a.z = z;
    a.zg = kiln_gl2_mul_base(z, kiln_gl_root_of_unity(s->log_n));
    a.sum_z = sz;
    a.sum_zg = szg;
    a.log_m = s->log_m;
    a.shift = s->shift;
    a.accumulate = 1;
    kiln_status st = kiln_deep_accumulate(x->be, &a, out, 0);
    free(cz);
    free(czg);
    if (st != KILN_OK) return perr(x, st, "DEEP: %s", kiln_backend_error(x->be));
    return KILN_OK;
}

/* ---- grinding ---- */

typedef struct {
    const kiln_proof_transcript *tr;
    unsigned bits;
    uint64_t base;
    uint64_t found; /* smallest found offset + 1, 0 when none */
} pow_ctx;

static void pow_range(void *vc, size_t b, size_t e) {
    pow_ctx *c = (pow_ctx *)vc;
    for (size_t i = b; i < e; i++) {
        uint64_t f = __atomic_load_n(&c->found, __ATOMIC_RELAXED);
        if (f && f <= i + 1) return;
        if (kiln_proof_transcript_pow_ok(c->tr, c->base + i, c->bits)) {
            uint64_t want = i + 1, cur = __atomic_load_n(&c->found, __ATOMIC_RELAXED);
            while ((cur == 0 || want < cur) &&
                   !__atomic_compare_exchange_n(&c->found, &cur, want, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            }
            return;
        }
    }
}

/* The smallest nonce that works, so the proof is deterministic whatever the thread count. */
static uint64_t grind(const kiln_proof_transcript *tr, unsigned bits) {
    if (!bits) return 0;
    size_t chunk = (size_t)1 << (bits + 2 < 24 ? bits + 2 : 24);
    for (uint64_t base = 0;; base += chunk) {
        pow_ctx c = {tr, bits, base, 0};
        kiln_parallel_for(chunk, 1024, pow_range, &c);
        if (c.found) return base + c.found - 1;
    }
}

/* ---- openings ---- */

static kiln_status open_tree(pctx *x, const kiln_matrix *m, kiln_buf *tree, unsigned log_leaves, const size_t *idx,
                             size_t count, kiln_opening *o) {
    unsigned cl = kiln_proof_cap(x->c, log_leaves), depth = log_leaves - cl;
    o->nrows = count;
    o->width = m->ncols;
    o->rows = (uint64_t *)malloc(count * m->ncols * 8);
    uint64_t *paths = (uint64_t *)malloc((count * depth + 1) * 32);
    if (!o->rows || !paths) {
        free(paths);
        return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    }
    kiln_status st = kiln_gather_rows(x->be, m, idx, count, o->rows);
    if (st == KILN_OK) st = kiln_merkle_paths(x->be, tree, (size_t)1 << log_leaves, cl, idx, count, paths);
    if (st == KILN_OK) st = kiln_batch_siblings(idx, count, depth, paths, &o->sib, &o->nsib);
    free(paths);
    if (st != KILN_OK) return perr(x, st, "openings: %s", kiln_backend_error(x->be));
    return KILN_OK;
}

/* ---- memory plan ---- */

static size_t plan_device(const pctx *x, const kiln_fri_schedule *fs) {
    size_t total = 0;
    for (size_t i = 0; i < x->air->ntables; i++) {
        const tstate *s = &x->ts[i];
        size_t cols = s->w[0] + s->w[1] + s->w[2];
        unsigned cl = kiln_proof_cap(x->c, s->log_m);
        total += s->n * cols * 8 + s->M * (cols + s->w[3]) * 8; /* coefficients + LDEs */
        total += ((size_t)2 << s->log_q) * 8;                    /* quotient evaluations / coefficients */
        total += (s->w[1] ? 4 : 3) * kiln_merkle_tree_digests(s->M, cl) * 32;
    }
    total += (size_t)256 << 20; /* quotient evaluator register scratch on the GPU (kernels/air/expr_cuda.cu) */
    for (size_t l = 0; l <= fs->nlayers; l++) {
        size_t Ml = (size_t)1 << fs->log_size[l];
        total += Ml * 16;
        if (l < fs->nlayers) total += kiln_merkle_tree_digests(Ml >> fs->log_arity[l], 0) * 32;
    }
    return total;
}

/* ---- the prover ---- */

static void pctx_free(pctx *x) {
    if (x->ts)
        for (size_t i = 0; i < x->air->ntables; i++) {
            for (int k = 0; k < 4; k++) {
                kiln_buf_free(x->ts[i].coef[k]);
                kiln_buf_free(x->ts[i].lde[k]);
                kiln_buf_free(x->ts[i].tree[k]);
            }
            free(x->ts[i].pre_host);
        }
    free(x->ts);
    for (size_t l = 0; l <= KILN_MAX_LAYERS; l++) kiln_buf_free(x->layer[l]);
    for (size_t l = 0; l < KILN_MAX_LAYERS; l++) kiln_buf_free(x->ltree[l]);
    kiln_proof_data_free(&x->p);
}

static kiln_status prove_inner(pctx *x, const kiln_proof_trace *traces, const uint64_t *pub, size_t npub,
                               uint8_t **proof, size_t *proof_len) {
    const kiln_air *air = x->air;
    const kiln_proof_config *c = x->c;
    kiln_proof_stats st_local, *stats = x->o && x->o->stats ? x->o->stats : &st_local;
    memset(stats, 0, sizeof *stats);
    double t_start = now(), t0;
    size_t nt = air->ntables, B = (size_t)1 << c->log_blowup;
    int strict = !(x->o && x->o->allow_invalid_witness);

    /* Shapes and checks. */
    x->ts = (tstate *)calloc(nt, sizeof *x->ts);
    x->p.t = (kiln_proof_tbl *)calloc(nt, sizeof *x->p.t);
    if (!x->ts || !x->p.t) return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    x->p.version = KILN_PROOF_VERSION;
    x->p.cfg = *c;
    memcpy(x->p.air_digest, air->digest, 32);
    x->p.ntables = nt;
    unsigned lognt[64];
    kiln_proof_table_shape shapes[64];
    for (size_t i = 0; i < nt; i++) {
        const kiln_air_table *t = air->tables[i];
        tstate *s = &x->ts[i];
        if (!traces[i].cols) return perr(x, KILN_ERR_INVALID_ARG, "%s: no trace", t->name);
        s->log_n = traces[i].log_n;
        if (s->log_n < KILN_PROOF_MIN_LOG_ROWS || s->log_n > KILN_PROOF_MAX_LOG_ROWS)
            return perr(x, KILN_ERR_INVALID_ARG, "%s: 2^%u rows outside 2^%u..2^%u", t->name, s->log_n,
                        KILN_PROOF_MIN_LOG_ROWS, KILN_PROOF_MAX_LOG_ROWS);
        if (t->npre && s->log_n != t->pre_log_n)
            return perr(x, KILN_ERR_INVALID_ARG, "%s: has 2^%u rows, its preprocessed columns 2^%u", t->name,
                        s->log_n, t->pre_log_n);
        for (size_t j = 0; j < t->nperiodic; j++)
            if (t->periodic[j].period > ((size_t)1 << s->log_n))
                return perr(x, KILN_ERR_INVALID_ARG, "%s: 2^%u rows, shorter than a periodic column's period %zu",
                            t->name, s->log_n, t->periodic[j].period);
        s->log_m = s->log_n + c->log_blowup;
        s->n = (size_t)1 << s->log_n;
        s->M = s->n * B;
        s->shift = kiln_proof_shift(s->log_m);
        s->k = t->max_deg > 2 ? t->max_deg - 1 : 1;
        {
            unsigned lk = 1;
            while (((size_t)1 << lk) < s->k) lk++;
            s->log_q = s->log_n + lk;
        }
        s->w[0] = t->nmain;
        s->w[1] = 2 * t->naux;
        s->w[2] = t->npre;
        s->w[3] = 2 * s->k;
        for (size_t r = 0; r < s->n * t->nmain; r++)
            if (traces[i].cols[r] >= KILN_GL_P)
                return perr(x, KILN_ERR_INVALID_ARG, "%s: non-canonical trace element at column %zu row %zu", t->name,
                            r / s->n, r % s->n);
        kiln_proof_tbl *pt = &x->p.t[i];
        pt->log_n = s->log_n;
        pt->w_main = (uint32_t)s->w[0];
        pt->w_aux = (uint32_t)s->w[1];
        pt->w_pre = (uint32_t)s->w[2];
        pt->w_quot = (uint32_t)s->w[3];
        pt->ncons = (uint32_t)t->ncons;
        pt->max_deg = t->max_deg;
        pt->ninter = (uint32_t)t->ninter;
        lognt[i] = s->log_n;
        shapes[i].log_n = s->log_n;
        shapes[i].max_degree = t->max_deg;
        shapes[i].columns = s->w[0] + s->w[1] + s->w[2];
        shapes[i].constraints = t->ncons;
        shapes[i].interactions = t->ninter;
    }
    kiln_proof_security_estimate(c, shapes, nt, &stats->security);
    double min_bits = x->o ? x->o->min_bits : 0;
    if (stats->security.conjectured < min_bits)
        return perr(x, KILN_ERR_SECURITY, "configuration gives %.1f conjectured bits, below the floor of %.1f",
                    stats->security.conjectured, min_bits);
    kiln_fri_schedule fs;
    if (kiln_fri_plan(c, lognt, nt, &fs) != KILN_OK) return perr(x, KILN_ERR_INVALID_ARG, "no FRI schedule");
    stats->device_planned = plan_device(x, &fs);
    if (kiln_backend_kind_of(x->be) == KILN_BACKEND_CUDA) {
        kiln_mem_stats ms;
        kiln_backend_mem_stats(x->be, &ms);
        size_t budget = x->o && x->o->device_budget ? x->o->device_budget : ms.device_total;
        if (budget && stats->device_planned > budget)
            return perr(x, KILN_ERR_LIMIT, "the proof needs about %.2f GiB of device memory, the budget is %.2f GiB",
                        stats->device_planned / 1073741824.0, budget / 1073741824.0);
    }
    kiln_backend_reset_peak(x->be);

    kiln_proof_transcript_start(&x->tr, &x->p, x->vk, pub, npub);

    /* Round 1: main and preprocessed traces. */
    for (size_t i = 0; i < nt; i++) {
        tstate *s = &x->ts[i];
        kiln_status st = lde_commit(x, s, 0, traces[i].cols, &x->p.t[i].cap_main, &stats->t_lde, &stats->t_commit);
        if (st != KILN_OK) return st;
        if (s->w[2]) {
            const kiln_air_table *t = air->tables[i];
            uint64_t cap[4 << 8];
            t0 = now();
            TRYK(kiln_proof_commit_pre(x->be, t, c, &s->pre_host, &s->coef[2], &s->lde[2], &s->tree[2], cap),
                 "preprocessed commitment");
            stats->t_commit += now() - t0;
            if (memcmp(cap, x->vk->pre_caps[i], ((size_t)32) << kiln_proof_cap(c, s->log_m)))
                return perr(x, KILN_ERR_INTERNAL, "%s: preprocessed commitment differs from the key", t->name);
        }
    }
    for (size_t i = 0; i < nt; i++)
        kiln_proof_transcript_absorb_digests(&x->tr, x->p.t[i].cap_main, (size_t)1 << kiln_proof_cap(c, x->ts[i].log_m));

    /* Round 2: LogUp. */
    int has_bus = 0;
    for (size_t i = 0; i < nt; i++) has_bus |= air->tables[i]->ninter > 0;
    kiln_gl2 chal[2] = {kiln_gl2_make(0, 0), kiln_gl2_make(0, 0)};
    if (has_bus) {
        chal[0] = kiln_proof_transcript_squeeze_ext(&x->tr);
        chal[1] = kiln_proof_transcript_squeeze_ext(&x->tr);
        kiln_gl2 total = kiln_gl2_make(0, 0);
        for (size_t i = 0; i < nt; i++) {
            tstate *s = &x->ts[i];
            if (!s->w[1]) continue;
            uint64_t *aux = NULL;
            t0 = now();
            kiln_status st = build_aux(x, i, traces[i].cols, pub, chal, &aux, &x->p.t[i].bus_sum);
            stats->t_aux += now() - t0;
            if (st != KILN_OK) return st;
            st = lde_commit(x, s, 1, aux, &x->p.t[i].cap_aux, &stats->t_lde, &stats->t_commit);
            free(aux);
            if (st != KILN_OK) return st;
            total = kiln_gl2_add(total, x->p.t[i].bus_sum);
        }
        if (strict && !kiln_gl2_is_zero(total))
            return perr(x, KILN_ERR_INVALID_ARG, "the LogUp buses do not balance: the witness is invalid");
        for (size_t i = 0; i < nt; i++) {
            if (!x->ts[i].w[1]) continue;
            kiln_proof_transcript_absorb_digests(&x->tr, x->p.t[i].cap_aux, (size_t)1 << kiln_proof_cap(c, x->ts[i].log_m));
            kiln_proof_transcript_absorb_ext(&x->tr, &x->p.t[i].bus_sum, 1);
        }
    }

    /* Round 3: quotient. */
    kiln_gl2 lambda = kiln_proof_transcript_squeeze_ext(&x->tr);
    for (size_t i = 0; i < nt; i++) {
        t0 = now();
        kiln_status st = quotient(x, i, lambda, chal, pub);
        kiln_backend_sync(x->be);
        stats->t_quotient += now() - t0;
        if (st != KILN_OK) return st;
        t0 = now();
        st = commit(x, &x->ts[i], 3, &x->p.t[i].cap_quot);
        kiln_backend_sync(x->be);
        stats->t_commit += now() - t0;
        if (st != KILN_OK) return st;
    }
    for (size_t i = 0; i < nt; i++)
        kiln_proof_transcript_absorb_digests(&x->tr, x->p.t[i].cap_quot, (size_t)1 << kiln_proof_cap(c, x->ts[i].log_m));

    /* Round 4: out-of-domain point. z outside the base field is outside every trace domain and coset. */
    kiln_gl2 z = kiln_proof_transcript_squeeze_ext(&x->tr);
    if (z.c1 == 0) return perr(x, KILN_ERR_INTERNAL, "OOD point in the base field (negligible-probability event)");
    t0 = now();
    for (size_t i = 0; i < nt; i++) {
        tstate *s = &x->ts[i];
        kiln_proof_tbl *pt = &x->p.t[i];
        size_t wt = s->w[0] + s->w[1] + s->w[2] + s->w[3], ws = wt - s->w[3];
        pt->ood_z = (kiln_gl2 *)malloc(wt * sizeof(kiln_gl2));
        pt->ood_zg = (kiln_gl2 *)malloc(ws * sizeof(kiln_gl2));
        if (!pt->ood_z || !pt->ood_zg) return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
        kiln_gl2 zg = kiln_gl2_mul_base(z, kiln_gl_root_of_unity(s->log_n));
        size_t off = 0;
        for (int k = 0; k < 3; k++) {
            if (s->w[k]) {
                TRYK(kiln_poly_eval_ext(x->be, s->coef[k], 0, s->n, s->w[k], z, pt->ood_z + off), "OOD evaluation");
                TRYK(kiln_poly_eval_ext(x->be, s->coef[k], 0, s->n, s->w[k], zg, pt->ood_zg + off), "OOD evaluation");
            }
            off += s->w[k];
        }
        for (size_t cc = 0; cc < 2; cc++)
            TRYK(kiln_poly_eval_ext(x->be, s->coef[3], cc * ((size_t)1 << s->log_q), s->n, s->k, z, pt->ood_z + off + cc * s->k),
                 "OOD evaluation");
    }
    for (size_t i = 0; i < nt; i++) {
        tstate *s = &x->ts[i];
        size_t wt = s->w[0] + s->w[1] + s->w[2] + s->w[3];
        kiln_proof_transcript_absorb_ext(&x->tr, x->p.t[i].ood_z, wt);
        kiln_proof_transcript_absorb_ext(&x->tr, x->p.t[i].ood_zg, wt - s->w[3]);
    }
    if (strict)
        for (size_t i = 0; i < nt; i++)
            if (!kiln_proof_ood_ok(air->tables[i], &x->p.t[i], z, lambda, chal, pub))
                return perr(x, KILN_ERR_INVALID_ARG, "%s: the witness does not satisfy the constraints",
                            air->tables[i]->name);
    stats->t_ood += now() - t0;

    /* Round 5: DEEP coefficients, then FRI with tables folded in at their own sizes. */
    deep_coefs *dc = (deep_coefs *)calloc(nt, sizeof *dc);
    if (!dc) return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    kiln_status st = KILN_OK;
    for (size_t i = 0; i < nt && st == KILN_OK; i++) {
        tstate *s = &x->ts[i];
        size_t wt = s->w[0] + s->w[1] + s->w[2] + s->w[3], ws = wt - s->w[3];
        dc[i].cz = (kiln_gl2 *)malloc(wt * sizeof(kiln_gl2));
        dc[i].czg = (kiln_gl2 *)malloc(wt * sizeof(kiln_gl2));
        if (!dc[i].cz || !dc[i].czg) {
            st = perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
            break;
        }
        for (size_t k = 0; k < wt; k++) dc[i].cz[k] = kiln_proof_transcript_squeeze_ext(&x->tr);
        for (size_t k = 0; k < ws; k++) dc[i].czg[k] = kiln_proof_transcript_squeeze_ext(&x->tr);
    }
    size_t M0 = (size_t)1 << fs.log_lde0;
    if (st == KILN_OK) st = alloc_words(x, 2 * M0, &x->layer[0]);
    if (st == KILN_OK) st = kiln_buf_zero(x->layer[0], 0, M0 * 16);
    t0 = now();
    for (size_t i = 0; i < nt && st == KILN_OK; i++)
        if (x->ts[i].log_m == fs.log_lde0) st = deep_into(x, i, &dc[i], z, kiln_gl2_make(1, 0), x->layer[0]);
    kiln_backend_sync(x->be);
    stats->t_deep += now() - t0;
    t0 = now();
    x->p.nlayers = fs.nlayers;
    for (size_t l = 0; l < fs.nlayers && st == KILN_OK; l++) {
        unsigned la = fs.log_arity[l], lleaves = fs.log_size[l] - la, cl = kiln_proof_cap(c, lleaves);
        size_t leaves = (size_t)1 << lleaves, Mn = (size_t)1 << fs.log_size[l + 1];
        kiln_matrix m;
        m.buf = x->layer[l];
        m.off = 0;
        m.nrows = leaves;
        m.ncols = (size_t)2 << la;
        m.row_stride = m.ncols;
        m.col_stride = 1;
        x->p.layer_caps[l] = (uint64_t *)malloc(((size_t)4 << cl) * 8);
        if (!x->p.layer_caps[l]) {
            st = perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
            break;
        }
        if ((st = alloc_words(x, kiln_merkle_tree_digests(leaves, cl) * 4, &x->ltree[l])) != KILN_OK) break;
        if ((st = kiln_merkle_commit(x->be, c->hasher, &m, cl, x->ltree[l], x->p.layer_caps[l])) != KILN_OK) {
            st = perr(x, st, "FRI commitment: %s", kiln_backend_error(x->be));
            break;
        }
        kiln_proof_transcript_absorb_digests(&x->tr, x->p.layer_caps[l], (size_t)1 << cl);
        kiln_gl2 beta = kiln_proof_transcript_squeeze_ext(&x->tr);
        if ((st = alloc_words(x, 2 * Mn, &x->layer[l + 1])) != KILN_OK) break;
        if ((st = kiln_fri_fold(x->be, x->layer[l], 0, x->layer[l + 1], 0, fs.log_size[l], la,
                                kiln_proof_shift(fs.log_size[l]), beta)) != KILN_OK) {
            st = perr(x, st, "FRI fold: %s", kiln_backend_error(x->be));
            break;
        }
        kiln_gl2 scale = kiln_ext_pow2k(beta, la);
        double td = now();
        for (size_t i = 0; i < nt && st == KILN_OK; i++)
            if (x->ts[i].log_m == fs.log_size[l + 1]) st = deep_into(x, i, &dc[i], z, scale, x->layer[l + 1]);
        stats->t_deep += now() - td;
    }
    for (size_t i = 0; i < nt; i++) {
        free(dc[i].cz);
        free(dc[i].czg);
    }
    free(dc);
    if (st != KILN_OK) return st;
    /* Final layer: interpolate on the host (it is small) and send the low coefficients. */
    {
        unsigned lf = fs.log_size[fs.nlayers];
        size_t Mf = (size_t)1 << lf, L = (size_t)1 << fs.log_final;
        uint64_t *v = (uint64_t *)malloc(Mf * 16);
        kiln_gl2 *nat = (kiln_gl2 *)malloc(Mf * sizeof(kiln_gl2));
        x->p.final_poly = (kiln_gl2 *)malloc(L * sizeof(kiln_gl2));
        if (!v || !nat || !x->p.final_poly) {
            free(v);
            free(nat);
            return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
        }
        st = kiln_buf_read(x->layer[fs.nlayers], 0, v, Mf * 16);
        for (size_t i = 0; i < Mf; i++) nat[kiln_bitrev(i, lf)] = kiln_gl2_make(v[2 * i], v[2 * i + 1]);
        /* c_j = (1/Mf) sum_k f(s w^k) (s w^k)^-j */
        uint64_t sinv = kiln_gl_inv(kiln_proof_shift(lf)), winv = kiln_gl_inv(kiln_gl_root_of_unity(lf));
        uint64_t minv = kiln_gl_inv((uint64_t)Mf);
        int high = 0;
        for (size_t j = 0; j < Mf; j++) {
            kiln_gl2 acc = kiln_gl2_make(0, 0);
            uint64_t step = kiln_gl_mul(kiln_gl_pow(sinv, j), 1), wj = kiln_gl_pow(winv, j), pw = step;
            for (size_t k = 0; k < Mf; k++) {
                acc = kiln_gl2_add(acc, kiln_gl2_mul_base(nat[k], pw));
                pw = kiln_gl_mul(pw, wj);
            }
            acc = kiln_gl2_mul_base(acc, minv);
            if (j < L) x->p.final_poly[j] = acc;
            else if (!kiln_gl2_is_zero(acc)) high = 1;
        }
        free(v);
        free(nat);
        x->p.final_len = L;
        if (st != KILN_OK) return perr(x, st, "reading the final FRI layer");
        if (high && strict)
            return perr(x, KILN_ERR_INVALID_ARG, "the DEEP polynomial is not of low degree: the witness is invalid");
        kiln_proof_transcript_absorb_ext(&x->tr, x->p.final_poly, L);
    }
    kiln_backend_sync(x->be);
    stats->t_fri += now() - t0;

    /* Round 6: grinding, query positions. */
    t0 = now();
    x->p.nonce = grind(&x->tr, c->pow_bits);
    kiln_proof_transcript_absorb(&x->tr, &x->p.nonce, 1);
    (void)kiln_proof_transcript_squeeze(&x->tr);
    stats->t_pow += now() - t0;
    t0 = now();
    size_t q = c->num_queries;
    size_t *pos = (size_t *)malloc(q * sizeof *pos), *tmp = (size_t *)malloc(q * sizeof *tmp),
           *uq = (size_t *)malloc(q * sizeof *uq);
    if (!pos || !tmp || !uq) {
        free(pos);
        free(tmp);
        free(uq);
        return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    }
    for (size_t i = 0; i < q; i++) pos[i] = (size_t)(kiln_proof_transcript_squeeze(&x->tr) & (M0 - 1));
    for (size_t i = 0; i < nt && st == KILN_OK; i++) {
        tstate *s = &x->ts[i];
        for (size_t j = 0; j < q; j++) tmp[j] = pos[j] >> (fs.log_lde0 - s->log_m);
        size_t nu = kiln_sort_unique(tmp, q, uq);
        for (int k = 0; k < 4 && st == KILN_OK; k++) {
            if (!s->w[k]) continue;
            kiln_matrix m = mat_of(s, k);
            st = open_tree(x, &m, s->tree[k], s->log_m, uq, nu, &x->p.t[i].open[k]);
        }
    }
    for (size_t l = 0; l < fs.nlayers && st == KILN_OK; l++) {
        unsigned la = fs.log_arity[l];
        for (size_t j = 0; j < q; j++) tmp[j] = (pos[j] >> (fs.log_lde0 - fs.log_size[l])) >> la;
        size_t nu = kiln_sort_unique(tmp, q, uq);
        kiln_matrix m;
        m.buf = x->layer[l];
        m.off = 0;
        m.nrows = (size_t)1 << (fs.log_size[l] - la);
        m.ncols = (size_t)2 << la;
        m.row_stride = m.ncols;
        m.col_stride = 1;
        st = open_tree(x, &m, x->ltree[l], fs.log_size[l] - la, uq, nu, &x->p.layer_open[l]);
    }
    free(pos);
    free(tmp);
    free(uq);
    if (st != KILN_OK) return st;
    stats->t_queries += now() - t0;

    st = kiln_proof_serialize(&x->p, proof, proof_len);
    if (st != KILN_OK) return perr(x, st, "serializing the proof");
    kiln_mem_stats ms;
    kiln_backend_mem_stats(x->be, &ms);
    stats->host_peak = ms.host_peak;
    stats->device_peak = ms.device_peak;
    stats->proof_bytes = *proof_len;
    stats->t_total = now() - t_start;
    return KILN_OK;
}

kiln_status kiln_proof_prove(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                             size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                             uint8_t **proof, size_t *proof_len) {
    if (!be || !vk || !traces || !proof || !proof_len || (npub && !pub)) return KILN_ERR_INVALID_ARG;
    *proof = NULL;
    *proof_len = 0;
    pctx x;
    memset(&x, 0, sizeof x);
    x.be = be;
    x.vk = vk;
    x.air = vk->air;
    x.c = &vk->cfg;
    x.o = opts;
    if (ntraces != x.air->ntables) return perr(&x, KILN_ERR_INVALID_ARG, "%zu traces for %zu tables", ntraces, x.air->ntables);
    if (npub != x.air->npub) return perr(&x, KILN_ERR_INVALID_ARG, "%zu public inputs, the AIR has %zu", npub, x.air->npub);
    for (size_t i = 0; i < npub; i++)
        if (pub[i] >= KILN_GL_P) return perr(&x, KILN_ERR_INVALID_ARG, "public input %zu is not canonical", i);
    kiln_status st = prove_inner(&x, traces, pub, npub, proof, proof_len);
    pctx_free(&x);
    return st;
}

void kiln_proof_free(uint8_t *proof) { free(proof); }
