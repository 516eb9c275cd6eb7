/* The prover (protocol in docs/proof-system.md). Heavy steps go through the kernel API; the host keeps the
 * transcript and the small per-query work. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    kiln_buf *trace; /* the main trace's values, kept from round 1 for the LogUp columns (tables with buses) */
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
    uint64_t *main_digest; /* kiln_proof_main_digest: stop after round 1 with the main digest here */
    uint64_t present;      /* the AIR's tables in the proof (optional ones may be left out) */
    kiln_fri_schedule fs;  /* from the table heights (round 1) */
    int planned;           /* opts.plan_only: stopped after the plan */
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

/* Interpolate the columns in t->coef[k] (n rows, already filled), extend them onto the coset, commit. */
static kiln_status lde_commit_buf(pctx *x, tstate *t, int k, uint64_t **cap, double *t_lde, double *t_com) {
    double t0 = now();
    TRYK(alloc_words(x, t->M * t->w[k], &t->lde[k]), "LDE");
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

/* Upload host columns (n rows), keep a copy of them on the backend when keep is set, then lde_commit_buf. */
static kiln_status lde_commit(pctx *x, tstate *t, int k, const uint64_t *host, kiln_buf **keep, uint64_t **cap,
                              double *t_lde, double *t_com) {
    double t0 = now();
    TRYK(alloc_words(x, t->n * t->w[k], &t->coef[k]), "LDE");
    TRYK(kiln_buf_write(t->coef[k], 0, host, t->n * t->w[k] * 8), "upload");
    if (keep) {
        TRYK(alloc_words(x, t->n * t->w[k], keep), "keeping the trace");
        TRYK(kiln_buf_copy(*keep, 0, t->coef[k], 0, t->n * t->w[k] * 8), "keeping the trace");
    }
    *t_lde += now() - t0;
    return lde_commit_buf(x, t, k, cap, t_lde, t_com);
}

/* ---- LogUp auxiliary trace (kernels/logup) ---- */

/* Compiles the nodes the table's interactions read (multiplicities and tuple values: current main and
 * preprocessed rows, periodic columns, public inputs, constants) into a LogUp denominator program: one register
 * per needed node, in the nodes' topological order. */
typedef struct {
    kiln_logup_instr *code;
    uint64_t *consts;
    kiln_logup_term *terms;
    uint32_t *vals, *poff, *plen;
    uint64_t *per;
    size_t ninstr, nconsts, nvals, pwords;
} aux_prog;

static void aux_prog_free(aux_prog *g) {
    free(g->code);
    free(g->consts);
    free(g->terms);
    free(g->vals);
    free(g->poff);
    free(g->plen);
    free(g->per);
}

static int aux_prog_build(const kiln_air_table *t, const uint64_t *pub, aux_prog *g) {
    memset(g, 0, sizeof *g);
    size_t ni = t->ninter, nv = 0, pw = 0;
    for (size_t j = 0; j < ni; j++) nv += t->inter[j].nvals;
    for (size_t j = 0; j < t->nperiodic; j++) pw += t->periodic[j].period;
    uint8_t *need = (uint8_t *)calloc(t->nnodes ? t->nnodes : 1, 1);
    uint32_t *reg = (uint32_t *)malloc((t->nnodes ? t->nnodes : 1) * 4);
    g->code = (kiln_logup_instr *)malloc((t->nnodes ? t->nnodes : 1) * sizeof *g->code);
    g->consts = (uint64_t *)malloc((t->nnodes ? t->nnodes : 1) * 8);
    g->terms = (kiln_logup_term *)malloc((ni ? ni : 1) * sizeof *g->terms);
    g->vals = (uint32_t *)malloc((nv ? nv : 1) * 4);
    g->poff = (uint32_t *)malloc((t->nperiodic ? t->nperiodic : 1) * 4);
    g->plen = (uint32_t *)malloc((t->nperiodic ? t->nperiodic : 1) * 4);
    g->per = (uint64_t *)malloc((pw ? pw : 1) * 8);
    if (!need || !reg || !g->code || !g->consts || !g->terms || !g->vals || !g->poff || !g->plen || !g->per) {
        free(need);
        free(reg);
        aux_prog_free(g);
        return 0;
    }
    for (size_t j = 0; j < ni; j++) {
        need[t->inter[j].mult] = 1;
        for (size_t k = 0; k < t->inter[j].nvals; k++) need[t->inter[j].vals[k]] = 1;
    }
    for (size_t i = t->nnodes; i-- > 0;) {
        if (!need[i]) continue;
        const kiln_air_node *d = &t->nodes[i];
        if (d->op >= KILN_N_ADD) {
            need[d->a] = 1;
            if (d->op != KILN_N_NEG) need[d->b] = 1;
        }
    }
    for (size_t i = 0; i < t->nnodes; i++) {
        if (!need[i]) continue;
        const kiln_air_node *d = &t->nodes[i];
        kiln_logup_instr in = {KILN_LOGUP_CONST, 0, 0};
        uint64_t cv = 0; /* nodes of other kinds read as zero here */
        switch (d->op) {
        case KILN_N_CONST: cv = d->v; break;
        case KILN_N_PUBLIC: cv = pub[d->a]; break;
        case KILN_N_MAIN: in.op = KILN_LOGUP_MAIN, in.a = d->a; break;
        case KILN_N_PRE: in.op = KILN_LOGUP_PRE, in.a = d->a; break;
        case KILN_N_PERIODIC: in.op = KILN_LOGUP_PERIODIC, in.a = d->a; break;
        case KILN_N_ADD: in.op = KILN_LOGUP_ADD, in.a = reg[d->a], in.b = reg[d->b]; break;
        case KILN_N_SUB: in.op = KILN_LOGUP_SUB, in.a = reg[d->a], in.b = reg[d->b]; break;
        case KILN_N_MUL: in.op = KILN_LOGUP_MUL, in.a = reg[d->a], in.b = reg[d->b]; break;
        case KILN_N_NEG: in.op = KILN_LOGUP_NEG, in.a = reg[d->a]; break;
        default: break;
        }
        if (in.op == KILN_LOGUP_CONST) {
            in.a = (uint32_t)g->nconsts;
            g->consts[g->nconsts++] = cv;
        }
        reg[i] = (uint32_t)g->ninstr;
        g->code[g->ninstr++] = in;
    }
    for (size_t j = 0; j < ni; j++) {
        const kiln_air_interaction *it = &t->inter[j];
        g->terms[j].bus = it->bus;
        g->terms[j].mult = reg[it->mult];
        g->terms[j].val_first = (uint32_t)g->nvals;
        g->terms[j].nvals = (uint32_t)it->nvals;
        for (size_t k = 0; k < it->nvals; k++) g->vals[g->nvals++] = reg[it->vals[k]];
    }
    for (size_t j = 0; j < t->nperiodic; j++) {
        g->poff[j] = (uint32_t)g->pwords;
        g->plen[j] = (uint32_t)t->periodic[j].period;
        memcpy(g->per + g->pwords, t->periodic[j].values, t->periodic[j].period * 8);
        g->pwords += t->periodic[j].period;
    }
    free(need);
    free(reg);
    return 1;
}

/* Builds the table's auxiliary columns (helper sums and the running sum, 2 * naux base columns of n rows) into
 * s->coef[1]: denominators, their inversion and the sums all run as kernels over s->trace (the main trace kept
 * on the backend in round 1) and the preprocessed columns. */
static kiln_status build_aux(pctx *x, size_t ti, const uint64_t *pub, const kiln_gl2 *chal, kiln_gl2 *sum_out) {
    const kiln_air_table *t = x->air->tables[ti];
    tstate *s = &x->ts[ti];
    size_t n = s->n, ni = t->ninter, nh = t->nhelpers;
    kiln_buf *den = NULL, *mult = NULL, *pre = NULL;
    uint32_t *gfirst = (uint32_t *)malloc((nh ? nh : 1) * 4), *gcount = (uint32_t *)malloc((nh ? nh : 1) * 4);
    aux_prog g;
    if (!aux_prog_build(t, pub, &g) || !gfirst || !gcount) {
        free(gfirst);
        free(gcount);
        return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory building the LogUp columns");
    }
    kiln_status st = KILN_OK;
    if (s->w[1] != 2 * t->naux) {
        st = perr(x, KILN_ERR_INTERNAL, "%s: %zu auxiliary columns for %zu helpers", t->name, s->w[1], nh);
        goto out;
    }
    for (size_t h = 0; h < nh; h++) {
        gfirst[h] = (uint32_t)t->helpers[h].first;
        gcount[h] = (uint32_t)t->helpers[h].count;
    }
    kiln_matrix mm = kiln_matrix_cols(s->trace, 0, n, s->w[0]), mp;
    if (s->w[2]) {
        if ((st = alloc_words(x, n * s->w[2], &pre)) != KILN_OK) goto out;
        if ((st = kiln_buf_write(pre, 0, s->pre_host, n * s->w[2] * 8)) != KILN_OK) {
            st = perr(x, st, "uploading the preprocessed columns: %s", kiln_backend_error(x->be));
            goto out;
        }
        mp = kiln_matrix_cols(pre, 0, n, s->w[2]);
    }
    if ((st = alloc_words(x, 2 * n * (ni ? ni : 1), &den)) != KILN_OK ||
        (st = alloc_words(x, n * (ni ? ni : 1), &mult)) != KILN_OK ||
        (st = alloc_words(x, n * s->w[1], &s->coef[1])) != KILN_OK)
        goto out;
    {
        kiln_logup_den_args a;
        memset(&a, 0, sizeof a);
        a.code = g.code;
        a.ninstr = g.ninstr;
        a.consts = g.consts;
        a.nconsts = g.nconsts;
        a.periodic = g.per;
        a.periodic_words = g.pwords;
        a.periodic_off = g.poff;
        a.periodic_len = g.plen;
        a.nperiodic = t->nperiodic;
        a.terms = g.terms;
        a.nterms = ni;
        a.vals = g.vals;
        a.nvals = g.nvals;
        a.main = &mm;
        a.pre = s->w[2] ? &mp : NULL;
        a.n = n;
        a.alpha = chal[0];
        a.beta = chal[1];
        size_t nzero = 0;
        if ((st = kiln_logup_denominators(x->be, &a, den, 0, mult, 0, &nzero)) != KILN_OK) {
            st = perr(x, st, "LogUp denominators: %s", kiln_backend_error(x->be));
            goto out;
        }
        if (nzero) {
            st = perr(x, KILN_ERR_INTERNAL, "a LogUp denominator vanished (negligible-probability event)");
            goto out;
        }
    }
    if ((st = kiln_batch_inverse_ext(x->be, den, 0, n * ni)) != KILN_OK) {
        st = perr(x, st, "LogUp inversion: %s", kiln_backend_error(x->be));
        goto out;
    }
    /* Local interactions' helpers and running sum first, then (if any) the global ones' (air_internal.h). */
    sum_out[0] = sum_out[1] = kiln_gl2_make(0, 0);
    for (int g = 0; g < (t->nglobal ? 2 : 1) && st == KILN_OK; g++) {
        size_t h0 = g ? t->nhelpers_local : 0, h1 = g ? nh : t->nhelpers_local;
        kiln_logup_sum_args a;
        memset(&a, 0, sizeof a);
        a.inv = den;
        a.mult = mult;
        a.n = n;
        a.nterms = ni;
        a.group_first = gfirst + h0;
        a.group_count = gcount + h0;
        a.ngroups = h1 - h0;
        size_t off = g ? n * 2 * (t->nhelpers_local + 1) : 0;
        if ((st = kiln_logup_sum(x->be, &a, s->coef[1], off, &sum_out[g])) != KILN_OK)
            st = perr(x, st, "LogUp sums: %s", kiln_backend_error(x->be));
    }
out:
    kiln_buf_free(den);
    kiln_buf_free(mult);
    kiln_buf_free(pre);
    kiln_buf_free(s->trace);
    s->trace = NULL;
    free(gfirst);
    free(gcount);
    aux_prog_free(&g);
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

/* The smallest nonce that works (kiln_proof_transcript_pow_ok), found by the backend: the transcript's state as
 * a seed for kernels/pow. */
static kiln_status grind(pctx *x, unsigned bits, uint64_t *nonce) {
    const kiln_proof_transcript *tr = &x->tr;
    kiln_pow_seed seed;
    memset(&seed, 0, sizeof seed);
    seed.hasher = tr->h;
    if (tr->h == KILN_HASHER_KECCAK) {
        memcpy(seed.state, tr->kctx.state, sizeof tr->kctx.state);
        seed.pos = (unsigned)tr->kctx.absorbed;
    } else {
        /* Absorbing the nonce overwrites the rate with the pending inputs and the nonce, then permutes. */
        memcpy(seed.state, tr->state, sizeof tr->state);
        for (unsigned i = 0; i < tr->nin; i++) seed.state[i] = tr->in[i];
        seed.pos = tr->nin;
    }
    TRYK(kiln_pow_grind(x->be, &seed, bits, nonce), "grinding");
    return KILN_OK;
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
        /* LogUp (round 2): the kept main trace, the preprocessed columns, denominators and multiplicities. */
        if (s->w[1]) total += s->n * (s->w[0] + s->w[2] + 3 * x->air->tables[i]->ninter) * 8;
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

static void ts_free(tstate *ts, size_t n);

static void pctx_free(pctx *x) {
    ts_free(x->ts, x->ts ? x->air->ntables : 0);
    x->ts = NULL;
    for (size_t l = 0; l <= KILN_MAX_LAYERS; l++) kiln_buf_free(x->layer[l]);
    for (size_t l = 0; l < KILN_MAX_LAYERS; l++) kiln_buf_free(x->ltree[l]);
    kiln_proof_data_free(&x->p);
}

/* Shapes, checks and round 1 (main and preprocessed commitments, main caps absorbed). Stops after the plan
 * with x->planned set when opts.plan_only asks. */
static kiln_status prove_round1(pctx *x, const kiln_proof_trace *traces, const uint64_t *pub, size_t npub,
                                kiln_proof_stats *stats) {
    const kiln_air *air = x->air;
    const kiln_proof_config *c = x->c;
    double t0;
    size_t nt = air->ntables, B = (size_t)1 << c->log_blowup;

    /* Shapes and checks. */
    x->ts = (tstate *)calloc(nt, sizeof *x->ts);
    x->p.t = (kiln_proof_tbl *)calloc(nt, sizeof *x->p.t);
    if (!x->ts || !x->p.t) return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    x->p.version = KILN_PROOF_VERSION;
    x->p.present = x->present;
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
        pt->nglobal = (uint32_t)t->nglobal;
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
    if (kiln_fri_plan(c, lognt, nt, &x->fs) != KILN_OK) return perr(x, KILN_ERR_INVALID_ARG, "no FRI schedule");
    stats->device_planned = plan_device(x, &x->fs);
    if (x->o && x->o->plan_only) {
        x->planned = 1;
        return KILN_OK;
    }
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
        kiln_status st = lde_commit(x, s, 0, traces[i].cols, s->w[1] ? &s->trace : NULL, &x->p.t[i].cap_main,
                                    &stats->t_lde, &stats->t_commit);
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

    return KILN_OK;
}

/* Rounds 2 to 6 and the proof bytes, after prove_round1 (or a kiln_proof_main_commitment holding its state). */
static kiln_status prove_rest(pctx *x, const uint64_t *pub, kiln_proof_stats *stats, double t_start, uint8_t **proof,
                              size_t *proof_len) {
    const kiln_air *air = x->air;
    const kiln_proof_config *c = x->c;
    const kiln_fri_schedule fs = x->fs;
    double t0;
    size_t nt = air->ntables;
    int strict = !(x->o && x->o->allow_invalid_witness);

    /* Round 2: LogUp. With global challenges (prover.h, "Global buses") every bus uses them, so that the
     * global buses' sums of several proofs can be added up. */
    int has_bus = 0, has_global = 0;
    for (size_t i = 0; i < nt; i++) {
        has_bus |= air->tables[i]->ninter > 0;
        has_global |= air->tables[i]->nglobal > 0;
    }
    const kiln_gl2 *gch = x->o ? x->o->global_challenges : NULL;
    if (has_global && !gch)
        return perr(x, KILN_ERR_INVALID_ARG, "the AIR has global buses: the proof needs the global challenges");
    kiln_gl2 chal[2] = {kiln_gl2_make(0, 0), kiln_gl2_make(0, 0)}, gtotal = kiln_gl2_make(0, 0);
    if (gch) kiln_proof_transcript_absorb_ext(&x->tr, gch, 2);
    if (has_bus) {
        chal[0] = gch ? gch[0] : kiln_proof_transcript_squeeze_ext(&x->tr);
        chal[1] = gch ? gch[1] : kiln_proof_transcript_squeeze_ext(&x->tr);
        kiln_gl2 total = kiln_gl2_make(0, 0);
        for (size_t i = 0; i < nt; i++) {
            tstate *s = &x->ts[i];
            if (!s->w[1]) continue;
            t0 = now();
            kiln_status st = build_aux(x, i, pub, chal, x->p.t[i].bus_sum);
            kiln_backend_sync(x->be);
            stats->t_aux += now() - t0;
            if (st != KILN_OK) return st;
            st = lde_commit_buf(x, s, 1, &x->p.t[i].cap_aux, &stats->t_lde, &stats->t_commit);
            if (st != KILN_OK) return st;
            total = kiln_gl2_add(total, x->p.t[i].bus_sum[0]);
            gtotal = kiln_gl2_add(gtotal, x->p.t[i].bus_sum[1]);
        }
        if (strict && !kiln_gl2_is_zero(total))
            return perr(x, KILN_ERR_INVALID_ARG, "the LogUp buses do not balance: the witness is invalid");
        for (size_t i = 0; i < nt; i++) {
            if (!x->ts[i].w[1]) continue;
            kiln_proof_transcript_absorb_digests(&x->tr, x->p.t[i].cap_aux, (size_t)1 << kiln_proof_cap(c, x->ts[i].log_m));
            kiln_proof_transcript_absorb_ext(&x->tr, x->p.t[i].bus_sum, x->p.t[i].nglobal ? 2 : 1);
        }
    }
    if (x->o && x->o->global_sum) *x->o->global_sum = gtotal;

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
    /* Final layer: interpolate (an inverse NTT over its coset, as two base columns c0 and c1) and send the low
     * coefficients; the coefficients above them must vanish. The layer is small: it makes one trip through
     * host memory to be split into the two columns. */
    {
        unsigned lf = fs.log_size[fs.nlayers];
        size_t Mf = (size_t)1 << lf, L = (size_t)1 << fs.log_final;
        uint64_t *v = (uint64_t *)malloc(Mf * 16), *w = (uint64_t *)malloc(Mf * 16);
        kiln_buf *fb = NULL;
        x->p.final_poly = (kiln_gl2 *)malloc(L * sizeof(kiln_gl2));
        if (!v || !w || !x->p.final_poly) {
            free(v);
            free(w);
            return perr(x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
        }
        st = kiln_buf_read(x->layer[fs.nlayers], 0, v, Mf * 16);
        for (size_t i = 0; i < Mf; i++) {
            w[i] = v[2 * i];
            w[Mf + i] = v[2 * i + 1];
        }
        if (st == KILN_OK) st = kiln_buf_alloc(x->be, Mf * 16, &fb);
        if (st == KILN_OK) st = kiln_buf_write(fb, 0, w, Mf * 16);
        if (st == KILN_OK)
            st = kiln_ntt(x->be, fb, 0, 2, lf, 1, kiln_proof_shift(lf), KILN_ORDER_BITREV, KILN_ORDER_NATURAL);
        if (st == KILN_OK) st = kiln_buf_read(fb, 0, w, Mf * 16);
        kiln_buf_free(fb);
        int high = 0;
        for (size_t j = 0; st == KILN_OK && j < Mf; j++) {
            kiln_gl2 cj = kiln_gl2_make(w[j], w[Mf + j]);
            if (j < L) x->p.final_poly[j] = cj;
            else if (!kiln_gl2_is_zero(cj)) high = 1;
        }
        free(v);
        free(w);
        x->p.final_len = L;
        if (st != KILN_OK) return perr(x, st, "interpolating the final FRI layer: %s", kiln_backend_error(x->be));
        if (high && strict)
            return perr(x, KILN_ERR_INVALID_ARG, "the DEEP polynomial is not of low degree: the witness is invalid");
        kiln_proof_transcript_absorb_ext(&x->tr, x->p.final_poly, L);
    }
    kiln_backend_sync(x->be);
    stats->t_fri += now() - t0;

    /* Round 6: grinding, query positions. */
    t0 = now();
    if ((st = grind(x, c->pow_bits, &x->p.nonce)) != KILN_OK) return st;
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

static kiln_status prove_inner(pctx *x, const kiln_proof_trace *traces, const uint64_t *pub, size_t npub,
                               uint8_t **proof, size_t *proof_len) {
    kiln_proof_stats st_local, *stats = x->o && x->o->stats ? x->o->stats : &st_local;
    memset(stats, 0, sizeof *stats);
    double t_start = now();
    kiln_status st = prove_round1(x, traces, pub, npub, stats);
    if (st != KILN_OK || x->planned) return st;
    if (x->main_digest) { /* kiln_proof_main_digest: what the verifier can recompute from the proof */
        kiln_proof_main_digest_squeeze(&x->tr, x->main_digest);
        return KILN_OK;
    }
    return prove_rest(x, pub, stats, t_start, proof, proof_len);
}

/* The context of a proof of traces on the view of the AIR with the tables that have a trace (an optional table
 * without one, cols NULL, is left out and the proof records which tables it has). *viewp and *keptp (the
 * traces in view order) are the caller's to free, also on failure. */
static kiln_status ctx_start(pctx *x, kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                             size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                             kiln_proof_view **viewp, kiln_proof_trace **keptp) {
    memset(x, 0, sizeof *x);
    *viewp = NULL;
    *keptp = NULL;
    x->be = be;
    x->vk = vk;
    x->air = vk->air;
    x->c = &vk->cfg;
    x->o = opts;
    if (ntraces != x->air->ntables) return perr(x, KILN_ERR_INVALID_ARG, "%zu traces for %zu tables", ntraces, x->air->ntables);
    if (npub != x->air->npub) return perr(x, KILN_ERR_INVALID_ARG, "%zu public inputs, the AIR has %zu", npub, x->air->npub);
    for (size_t i = 0; i < npub; i++)
        if (pub[i] >= KILN_GL_P) return perr(x, KILN_ERR_INVALID_ARG, "public input %zu is not canonical", i);
    uint64_t present = 0;
    for (size_t i = 0; i < ntraces; i++)
        if (traces[i].cols) present |= (uint64_t)1 << i;
    kiln_proof_view *view = (kiln_proof_view *)malloc(sizeof *view);
    kiln_proof_trace *kept = (kiln_proof_trace *)malloc((ntraces ? ntraces : 1) * sizeof *kept);
    *viewp = view;
    *keptp = kept;
    char verr[128] = "";
    kiln_status st = !view || !kept ? KILN_ERR_OUT_OF_MEMORY : kiln_proof_view_make(vk, present, view, verr, sizeof verr);
    if (st != KILN_OK)
        return st == KILN_ERR_OUT_OF_MEMORY ? perr(x, st, "out of host memory")
                                            : perr(x, KILN_ERR_INVALID_ARG, "no trace for a table: %s", verr);
    for (size_t j = 0; j < view->air.ntables; j++) kept[j] = traces[view->index[j]];
    x->vk = &view->vk;
    x->air = &view->air;
    x->present = present;
    return KILN_OK;
}

static kiln_status prove_run(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                             size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                             uint64_t *main_digest, uint8_t **proof, size_t *proof_len) {
    pctx x;
    kiln_proof_view *view;
    kiln_proof_trace *kept;
    kiln_status st = ctx_start(&x, be, vk, traces, ntraces, pub, npub, opts, &view, &kept);
    x.main_digest = main_digest;
    if (st == KILN_OK) st = prove_inner(&x, kept, pub, npub, proof, proof_len);
    pctx_free(&x);
    free(view);
    free(kept);
    return st;
}

/* ---- main commitments made ahead of the proof (prover.h, kiln_proof_main_commit) ---- */

struct kiln_proof_main_commitment {
    kiln_backend *be;
    const kiln_proof_vk *vk; /* the caller's key */
    kiln_proof_view *view;   /* the AIR's view with the present tables (the state below refers to it) */
    size_t ntraces, npub;
    uint64_t *pub;
    uint64_t present;
    unsigned log_n[64];
    uint64_t fp[64]; /* per AIR table: a fingerprint of the trace's values (not cryptographic: misuse checks) */
    /* Round 1's state, moved into the proof that uses it. */
    tstate *ts;
    kiln_proof_data p;
    kiln_proof_transcript tr;
    kiln_fri_schedule fs;
    kiln_proof_stats stats; /* shapes, security, plan, round 1's times */
    double seconds;         /* round 1's wall time */
    int spent;
};

static uint64_t trace_fingerprint(const uint64_t *v, size_t n) {
    uint64_t h[4] = {0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL, 0x27D4EB2F165667C5ULL};
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++) {
            uint64_t a = (h[k] ^ v[i + k]) * 0xFF51AFD7ED558CCDULL;
            h[k] = a ^ (a >> 29);
        }
    for (; i < n; i++) h[0] = ((h[0] ^ v[i]) * 0xC4CEB9FE1A85EC53ULL) ^ (h[0] >> 31);
    uint64_t r = (uint64_t)n;
    for (int k = 0; k < 4; k++) r = ((r ^ h[k]) * 0x9E3779B97F4A7C15ULL) ^ (r >> 27);
    return r;
}

static void ts_free(tstate *ts, size_t n) {
    for (size_t i = 0; ts && i < n; i++) {
        for (int k = 0; k < 4; k++) {
            kiln_buf_free(ts[i].coef[k]);
            kiln_buf_free(ts[i].lde[k]);
            kiln_buf_free(ts[i].tree[k]);
        }
        kiln_buf_free(ts[i].trace);
        free(ts[i].pre_host);
    }
    free(ts);
}

void kiln_proof_main_commitment_free(kiln_proof_main_commitment *h) {
    if (!h) return;
    if (h->view) ts_free(h->ts, h->view->air.ntables);
    kiln_proof_data_free(&h->p);
    free(h->view);
    free(h->pub);
    free(h);
}

kiln_status kiln_proof_main_commit(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                                   size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                                   kiln_proof_main_commitment **out, uint64_t digest[4]) {
    if (!be || !vk || !traces || !out || !digest || (npub && !pub)) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    if (ntraces > 64) return KILN_ERR_INVALID_ARG;
    pctx x;
    kiln_proof_view *view;
    kiln_proof_trace *kept;
    kiln_status st = ctx_start(&x, be, vk, traces, ntraces, pub, npub, opts, &view, &kept);
    kiln_proof_main_commitment *h = NULL;
    if (st == KILN_OK && opts && opts->plan_only)
        st = perr(&x, KILN_ERR_INVALID_ARG, "plan_only makes no main commitment");
    if (st == KILN_OK) {
        h = (kiln_proof_main_commitment *)calloc(1, sizeof *h);
        if (h) h->pub = (uint64_t *)malloc((npub ? npub : 1) * 8);
        if (!h || !h->pub) st = perr(&x, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    }
    if (st == KILN_OK) {
        double t0 = now();
        st = prove_round1(&x, kept, pub, npub, &h->stats);
        h->seconds = now() - t0;
    }
    if (st == KILN_OK) {
        kiln_proof_main_digest_squeeze(&x.tr, digest);
        h->be = be;
        h->vk = vk;
        h->ntraces = ntraces;
        h->npub = npub;
        if (npub) memcpy(h->pub, pub, npub * 8);
        h->present = x.present;
        for (size_t i = 0; i < ntraces; i++)
            if (traces[i].cols) {
                h->log_n[i] = traces[i].log_n;
                h->fp[i] = trace_fingerprint(traces[i].cols, ((size_t)1 << traces[i].log_n) * vk->air->tables[i]->nmain);
            }
        /* The copy of the main trace that round 2 reads comes back from the caller's traces at the proof
         * (prove_committed): the handle does not hold it. */
        for (size_t i = 0; i < view->air.ntables; i++) {
            kiln_buf_free(x.ts[i].trace);
            x.ts[i].trace = NULL;
        }
        h->view = view;
        view = NULL;
        h->ts = x.ts;
        x.ts = NULL;
        h->p = x.p;
        memset(&x.p, 0, sizeof x.p);
        h->tr = x.tr;
        h->fs = x.fs;
        if (opts && opts->stats) *opts->stats = h->stats;
        *out = h;
        h = NULL;
    }
    pctx_free(&x);
    kiln_proof_main_commitment_free(h);
    free(view);
    free(kept);
    return st;
}

size_t kiln_proof_main_commitment_bytes(const kiln_proof_main_commitment *h) {
    if (!h || !h->view || h->spent) return 0;
    size_t b = sizeof *h + sizeof *h->view + h->npub * 8;
    for (size_t i = 0; h->ts && i < h->view->air.ntables; i++) {
        const tstate *s = &h->ts[i];
        for (int k = 0; k < 4; k++) {
            if (s->coef[k]) b += kiln_buf_bytes(s->coef[k]);
            if (s->lde[k]) b += kiln_buf_bytes(s->lde[k]);
            if (s->tree[k]) b += kiln_buf_bytes(s->tree[k]);
        }
        if (s->trace) b += kiln_buf_bytes(s->trace);
        if (s->pre_host) b += s->n * s->w[2] * 8;
        b += sizeof *s + ((size_t)32 << kiln_proof_cap(&h->vk->cfg, s->log_m));
    }
    return b;
}

void kiln_proof_main_commitment_shrink(kiln_proof_main_commitment *h) {
    for (size_t i = 0; h && h->ts && h->view && i < h->view->air.ntables; i++)
        for (int k = 0; k <= 2; k += 2) { /* main and preprocessed: the host keeps their values */
            kiln_buf_free(h->ts[i].coef[k]);
            kiln_buf_free(h->ts[i].lde[k]);
            h->ts[i].coef[k] = h->ts[i].lde[k] = NULL;
        }
}

/* kiln_proof_prove with opts.main_commit: checks that the commitment is of these inputs, then proves from it. */
static kiln_status prove_committed(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                                   size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                                   uint8_t **proof, size_t *proof_len) {
    kiln_proof_main_commitment *h = opts->main_commit;
    pctx x;
    memset(&x, 0, sizeof x);
    x.be = be;
    x.o = opts;
    if (h->spent || !h->view)
        return perr(&x, KILN_ERR_INVALID_ARG, "main commitment: already used by a proof (one proof per commitment)");
    if (h->be != be) return perr(&x, KILN_ERR_INVALID_ARG, "main commitment: made on another backend");
    if (h->vk != vk) return perr(&x, KILN_ERR_INVALID_ARG, "main commitment: made with another key");
    if (h->ntraces != ntraces || h->npub != npub)
        return perr(&x, KILN_ERR_INVALID_ARG, "main commitment: made for %zu traces and %zu public inputs, given %zu and %zu",
                    h->ntraces, h->npub, ntraces, npub);
    if (npub && memcmp(h->pub, pub, npub * 8))
        return perr(&x, KILN_ERR_INVALID_ARG, "main commitment: made with other public inputs");
    for (size_t i = 0; i < ntraces; i++) {
        int has = traces[i].cols != NULL;
        if (has != (int)(h->present >> i & 1) || (has && traces[i].log_n != h->log_n[i]))
            return perr(&x, KILN_ERR_INVALID_ARG, "main commitment: %s: made for another trace shape",
                        vk->air->tables[i]->name);
        if (has && trace_fingerprint(traces[i].cols, ((size_t)1 << traces[i].log_n) * vk->air->tables[i]->nmain) != h->fp[i])
            return perr(&x, KILN_ERR_INVALID_ARG, "main commitment: %s: made for another trace",
                        vk->air->tables[i]->name);
    }
    kiln_proof_stats st_local, *stats = opts->stats ? opts->stats : &st_local;
    *stats = h->stats;
    if (stats->security.conjectured < opts->min_bits)
        return perr(&x, KILN_ERR_SECURITY, "configuration gives %.1f conjectured bits, below the floor of %.1f",
                    stats->security.conjectured, opts->min_bits);
    if (opts->plan_only) return KILN_OK;
    /* Move round 1's state into the proof: the commitment is spent from here on. */
    x.vk = &h->view->vk;
    x.air = &h->view->air;
    x.c = &vk->cfg;
    x.present = h->present;
    x.ts = h->ts;
    x.p = h->p;
    x.tr = h->tr;
    x.fs = h->fs;
    h->ts = NULL;
    memset(&h->p, 0, sizeof h->p);
    h->spent = 1;
    double t0 = now();
    kiln_backend_reset_peak(be);
    kiln_status st = KILN_OK;
    for (size_t j = 0; j < x.air->ntables && st == KILN_OK; j++) {
        tstate *s = &x.ts[j];
        const uint64_t *cols = traces[h->view->index[j]].cols;
        size_t words = s->n * s->w[0];
        if (s->w[1]) {
            st = alloc_words(&x, words, &s->trace);
            if (st == KILN_OK && (st = kiln_buf_write(s->trace, 0, cols, words * 8)) != KILN_OK)
                st = perr(&x, st, "upload: %s", kiln_backend_error(be));
        }
        for (int k = 0; k <= 2 && st == KILN_OK; k += 2) { /* shrunk: the same LDEs again (the trees are kept) */
            const uint64_t *host = k ? s->pre_host : cols;
            if (!s->w[k] || s->lde[k]) continue;
            if ((st = alloc_words(&x, s->n * s->w[k], &s->coef[k])) == KILN_OK &&
                (st = alloc_words(&x, s->M * s->w[k], &s->lde[k])) == KILN_OK &&
                ((st = kiln_buf_write(s->coef[k], 0, host, s->n * s->w[k] * 8)) != KILN_OK ||
                 (st = kiln_lde(be, s->coef[k], 0, s->lde[k], 0, s->w[k], s->log_n, vk->cfg.log_blowup, s->shift,
                                KILN_ORDER_BITREV)) != KILN_OK))
                st = perr(&x, st, "LDE: %s", kiln_backend_error(be));
        }
    }
    kiln_backend_sync(be);
    stats->t_lde += now() - t0;
    if (st == KILN_OK) st = prove_rest(&x, h->pub, stats, t0 - h->seconds, proof, proof_len);
    pctx_free(&x);
    return st;
}

kiln_status kiln_proof_prove(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                             size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                             uint8_t **proof, size_t *proof_len) {
    if (!be || !vk || !traces || !proof || !proof_len || (npub && !pub)) return KILN_ERR_INVALID_ARG;
    *proof = NULL;
    *proof_len = 0;
    if (opts && opts->main_commit) return prove_committed(be, vk, traces, ntraces, pub, npub, opts, proof, proof_len);
    return prove_run(be, vk, traces, ntraces, pub, npub, opts, NULL, proof, proof_len);
}

kiln_status kiln_proof_main_digest(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                                   size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                                   uint64_t out[4]) {
    if (!be || !vk || !traces || !out || (npub && !pub)) return KILN_ERR_INVALID_ARG;
    uint8_t *proof = NULL;
    size_t len = 0;
    kiln_status st = prove_run(be, vk, traces, ntraces, pub, npub, opts, out, &proof, &len);
    kiln_proof_free(proof);
    return st;
}

void kiln_proof_free(uint8_t *proof) { free(proof); }
