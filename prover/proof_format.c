/* Proof bytes: versioned, canonical, little-endian (layout in docs/proof-system.md). The reader checks every
 * count against the header and the bytes left before allocating, and every field element for canonicity. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proof_internal.h"

const char *const kiln_proof_section_names[KILN_PROOF_SECTIONS] = {"header", "commitments", "ood", "fri", "queries"};

/* ---- writer ---- */

typedef struct {
    uint8_t *b;
    size_t len, cap;
    int oom;
} wbuf;

static void w_bytes(wbuf *w, const void *p, size_t n) {
    if (w->oom) return;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n) cap *= 2;
        uint8_t *nb = (uint8_t *)realloc(w->b, cap);
        if (!nb) {
            w->oom = 1;
            return;
        }
        w->b = nb;
        w->cap = cap;
    }
    memcpy(w->b + w->len, p, n);
    w->len += n;
}

static void w_u32(wbuf *w, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    w_bytes(w, b, 4);
}

static void w_u64s(wbuf *w, const uint64_t *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint8_t b[8];
        for (int k = 0; k < 8; k++) b[k] = (uint8_t)(v[i] >> (8 * k));
        w_bytes(w, b, 8);
    }
}

static void w_ext(wbuf *w, const kiln_gl2 *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t x[2] = {v[i].c0, v[i].c1};
        w_u64s(w, x, 2);
    }
}

static void w_open(wbuf *w, const kiln_opening *o) {
    w_u32(w, (uint32_t)o->nrows);
    w_u64s(w, o->rows, o->nrows * o->width);
    w_u32(w, (uint32_t)o->nsib);
    w_u64s(w, o->sib, o->nsib * 4);
}

static size_t ncap(const kiln_proof_config *c, unsigned log_leaves) { return (size_t)1 << kiln_proof_cap(c, log_leaves); }

kiln_status kiln_proof_serialize(const kiln_proof_data *p, uint8_t **out, size_t *len) {
    wbuf w = {0};
    size_t mark = 0, sec[KILN_PROOF_SECTIONS];
    const kiln_proof_config *c = &p->cfg;
    uint64_t magic = KILN_PROOF_MAGIC;
    w_u64s(&w, &magic, 1);
    w_u32(&w, p->version);
    uint32_t cw[7] = {(uint32_t)c->hasher, c->log_blowup, c->num_queries, c->pow_bits, c->fri_log_arity,
                      c->log_final_len, c->cap_log};
    for (int i = 0; i < 7; i++) w_u32(&w, cw[i]);
    w_u64s(&w, p->air_digest, 4);
    w_u32(&w, (uint32_t)p->ntables);
    w_u64s(&w, &p->present, 1);
    for (size_t i = 0; i < p->ntables; i++) {
        const kiln_proof_tbl *t = &p->t[i];
        uint32_t v[9] = {t->log_n, t->w_main, t->w_aux,   t->w_pre,  t->w_quot,
                         t->ncons, t->max_deg, t->ninter, t->nglobal};
        for (int k = 0; k < 9; k++) w_u32(&w, v[k]);
    }
    sec[0] = w.len - mark;
    mark = w.len;
    for (size_t i = 0; i < p->ntables; i++) {
        const kiln_proof_tbl *t = &p->t[i];
        size_t nc = ncap(c, t->log_n + c->log_blowup);
        w_u64s(&w, t->cap_main, 4 * nc);
        if (t->w_aux) {
            w_u64s(&w, t->cap_aux, 4 * nc);
            w_ext(&w, t->bus_sum, t->nglobal ? 2 : 1);
        }
        w_u64s(&w, t->cap_quot, 4 * nc);
    }
    sec[1] = w.len - mark;
    mark = w.len;
    for (size_t i = 0; i < p->ntables; i++) {
        const kiln_proof_tbl *t = &p->t[i];
        w_ext(&w, t->ood_z, t->w_main + t->w_aux + t->w_pre + t->w_quot);
        w_ext(&w, t->ood_zg, t->w_main + t->w_aux + t->w_pre);
    }
    sec[2] = w.len - mark;
    mark = w.len;
    w_u32(&w, (uint32_t)p->nlayers);
    unsigned lognt[64];
    for (size_t i = 0; i < p->ntables; i++) lognt[i] = p->t[i].log_n;
    kiln_fri_schedule s;
    kiln_status st = kiln_fri_plan(c, lognt, p->ntables, &s);
    if (st != KILN_OK || s.nlayers != p->nlayers) {
        free(w.b);
        return KILN_ERR_INTERNAL;
    }
    for (size_t l = 0; l < p->nlayers; l++) w_u64s(&w, p->layer_caps[l], 4 * ncap(c, s.log_size[l] - s.log_arity[l]));
    w_u32(&w, (uint32_t)p->final_len);
    w_ext(&w, p->final_poly, p->final_len);
    w_u64s(&w, &p->nonce, 1);
    sec[3] = w.len - mark;
    mark = w.len;
    for (size_t i = 0; i < p->ntables; i++)
        for (int k = 0; k < 4; k++)
            if (p->t[i].open[k].width) w_open(&w, &p->t[i].open[k]);
    for (size_t l = 0; l < p->nlayers; l++) w_open(&w, &p->layer_open[l]);
    sec[4] = w.len - mark;
    (void)sec;
    if (w.oom) {
        free(w.b);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    *out = w.b;
    *len = w.len;
    return KILN_OK;
}

/* ---- reader ---- */

typedef struct {
    const uint8_t *b;
    size_t len, pos;
    int bad;
    int digests_canonical;
    char *err;
    size_t errlen;
} rbuf;

static void r_fail(rbuf *r, const char *fmt, ...) {
    if (r->bad) return;
    r->bad = 1;
    if (r->err && r->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err, r->errlen, fmt, ap);
        va_end(ap);
    }
}

static size_t r_left(const rbuf *r) { return r->len - r->pos; }

static uint32_t r_u32(rbuf *r, const char *what) {
    if (r->bad) return 0;
    if (r_left(r) < 4) {
        r_fail(r, "proof truncated at %s (offset %zu)", what, r->pos);
        return 0;
    }
    const uint8_t *p = r->b + r->pos;
    r->pos += 4;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t r_word(rbuf *r) {
    const uint8_t *p = r->b + r->pos;
    uint64_t v = 0;
    for (int k = 0; k < 8; k++) v |= (uint64_t)p[k] << (8 * k);
    r->pos += 8;
    return v;
}

/* n words; canonical: reject values >= p. Returns malloc'ed memory (NULL on failure or n == 0). */
static uint64_t *r_words(rbuf *r, size_t n, int canonical, const char *what) {
    if (r->bad || n == 0) return NULL;
    if (n > r_left(r) / 8) {
        r_fail(r, "proof truncated in %s (offset %zu)", what, r->pos);
        return NULL;
    }
    uint64_t *v = (uint64_t *)malloc(n * 8);
    if (!v) {
        r_fail(r, "out of memory reading %s", what);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        size_t at = r->pos;
        v[i] = r_word(r);
        if (canonical && v[i] >= KILN_GL_P) {
            r_fail(r, "non-canonical field element in %s (offset %zu)", what, at);
            free(v);
            return NULL;
        }
    }
    return v;
}

static kiln_gl2 *r_ext(rbuf *r, size_t n, const char *what) {
    return (kiln_gl2 *)r_words(r, 2 * n, 1, what);
}

static void r_open(rbuf *r, kiln_opening *o, size_t width, size_t max_rows, unsigned depth, const char *what) {
    o->width = width;
    o->nrows = r_u32(r, what);
    if (r->bad) return;
    if (o->nrows == 0 || o->nrows > max_rows) {
        r_fail(r, "%s: %zu opened rows (expected 1..%zu)", what, o->nrows, max_rows);
        return;
    }
    o->rows = r_words(r, o->nrows * width, 1, what);
    o->nsib = r_u32(r, what);
    if (r->bad) return;
    if (o->nsib > o->nrows * depth) {
        r_fail(r, "%s: %zu siblings for %zu rows of depth %u", what, o->nsib, o->nrows, depth);
        return;
    }
    o->sib = r_words(r, o->nsib * 4, r->digests_canonical, what);
}

void kiln_proof_data_free(kiln_proof_data *p) {
    if (!p) return;
    for (size_t i = 0; p->t && i < p->ntables; i++) {
        kiln_proof_tbl *t = &p->t[i];
        free(t->cap_main);
        free(t->cap_aux);
        free(t->cap_quot);
        free(t->ood_z);
        free(t->ood_zg);
        for (int k = 0; k < 4; k++) {
            free(t->open[k].rows);
            free(t->open[k].sib);
        }
    }
    free(p->t);
    for (size_t l = 0; l < KILN_MAX_LAYERS; l++) {
        free(p->layer_caps[l]);
        free(p->layer_open[l].rows);
        free(p->layer_open[l].sib);
    }
    free(p->final_poly);
    memset(p, 0, sizeof *p);
}

kiln_status kiln_proof_deserialize(const uint8_t *b, size_t len, kiln_proof_data *p, char *err, size_t errlen) {
    memset(p, 0, sizeof *p);
    rbuf r = {b, len, 0, 0, 1, err, errlen};
    if (!b) {
        r_fail(&r, "no proof bytes");
        return KILN_ERR_PARSE;
    }
    size_t mark = 0;
    if (len < 8) {
        r_fail(&r, "proof truncated: %zu bytes", len);
        return KILN_ERR_PARSE;
    }
    if (r_word(&r) != KILN_PROOF_MAGIC) {
        r_fail(&r, "not a Kiln proof (bad magic)");
        return KILN_ERR_PARSE;
    }
    p->version = r_u32(&r, "version");
    if (!r.bad && p->version != KILN_PROOF_VERSION) r_fail(&r, "unsupported proof version %u", p->version);
    uint32_t cw[7];
    for (int i = 0; i < 7; i++) cw[i] = r_u32(&r, "config");
    if (r.bad) goto fail;
    p->cfg.hasher = (kiln_hasher)cw[0];
    p->cfg.log_blowup = cw[1];
    p->cfg.num_queries = cw[2];
    p->cfg.pow_bits = cw[3];
    p->cfg.fri_log_arity = cw[4];
    p->cfg.log_final_len = cw[5];
    p->cfg.cap_log = cw[6];
    if (cw[0] > 1 || kiln_proof_config_check(&p->cfg) != KILN_OK) {
        r_fail(&r, "invalid configuration in the proof header");
        goto fail;
    }
    r.digests_canonical = p->cfg.hasher == KILN_HASHER_POSEIDON2;
    const kiln_proof_config *c = &p->cfg;
    {
        uint64_t *d = r_words(&r, 4, 1, "AIR digest");
        if (d) memcpy(p->air_digest, d, 32);
        free(d);
    }
    p->ntables = r_u32(&r, "table count");
    {
        uint64_t *m = r_words(&r, 1, 0, "present tables");
        if (m) p->present = *m;
        free(m);
    }
    if (r.bad) goto fail;
    if (p->ntables == 0 || p->ntables > 64 || (size_t)__builtin_popcountll(p->present) != p->ntables) {
        r_fail(&r, "bad table count %zu (present tables 0x%llx)", p->ntables, (unsigned long long)p->present);
        goto fail;
    }
    p->t = (kiln_proof_tbl *)calloc(p->ntables, sizeof *p->t);
    if (!p->t) {
        r_fail(&r, "out of memory");
        goto fail;
    }
    unsigned lognt[64];
    for (size_t i = 0; i < p->ntables; i++) {
        kiln_proof_tbl *t = &p->t[i];
        uint32_t v[9];
        for (int k = 0; k < 9; k++) v[k] = r_u32(&r, "table header");
        if (r.bad) goto fail;
        t->log_n = v[0];
        t->w_main = v[1];
        t->w_aux = v[2];
        t->w_pre = v[3];
        t->w_quot = v[4];
        t->ncons = v[5];
        t->max_deg = v[6];
        t->ninter = v[7];
        t->nglobal = v[8];
        if (t->log_n < KILN_PROOF_MIN_LOG_ROWS || t->log_n > KILN_PROOF_MAX_LOG_ROWS || t->w_main == 0 ||
            t->w_main > 4096 || t->w_aux > 8192 || (t->w_aux & 1) || t->w_pre > 256 || t->w_quot < 2 ||
            t->w_quot > 32 || (t->w_quot & 1) || t->ncons == 0 || t->ncons > 1000000 || t->max_deg == 0 ||
            t->max_deg > 64 || t->ninter > 4096 || t->nglobal > t->ninter || (t->nglobal && !t->w_aux)) {
            r_fail(&r, "table %zu: bad shape in the header", i);
            goto fail;
        }
        lognt[i] = t->log_n;
    }
    kiln_fri_schedule s;
    if (kiln_fri_plan(c, lognt, p->ntables, &s) != KILN_OK) {
        r_fail(&r, "no FRI schedule for these sizes");
        goto fail;
    }
    p->section_bytes[0] = r.pos - mark;
    mark = r.pos;
    for (size_t i = 0; i < p->ntables && !r.bad; i++) {
        kiln_proof_tbl *t = &p->t[i];
        size_t nc = ncap(c, t->log_n + c->log_blowup);
        t->cap_main = r_words(&r, 4 * nc, r.digests_canonical, "main commitment");
        if (t->w_aux) {
            t->cap_aux = r_words(&r, 4 * nc, r.digests_canonical, "aux commitment");
            size_t nb = t->nglobal ? 2 : 1;
            kiln_gl2 *bs = r_ext(&r, nb, "bus sum");
            if (bs) memcpy(t->bus_sum, bs, nb * sizeof *bs);
            free(bs);
        }
        t->cap_quot = r_words(&r, 4 * nc, r.digests_canonical, "quotient commitment");
    }
    p->section_bytes[1] = r.pos - mark;
    mark = r.pos;
    for (size_t i = 0; i < p->ntables && !r.bad; i++) {
        kiln_proof_tbl *t = &p->t[i];
        t->ood_z = r_ext(&r, (size_t)t->w_main + t->w_aux + t->w_pre + t->w_quot, "OOD values");
        t->ood_zg = r_ext(&r, (size_t)t->w_main + t->w_aux + t->w_pre, "OOD values");
    }
    p->section_bytes[2] = r.pos - mark;
    mark = r.pos;
    p->nlayers = r_u32(&r, "FRI layer count");
    if (r.bad) goto fail;
    if (p->nlayers != s.nlayers) {
        r_fail(&r, "%zu FRI layers, expected %zu", p->nlayers, s.nlayers);
        goto fail;
    }
    for (size_t l = 0; l < p->nlayers; l++)
        p->layer_caps[l] = r_words(&r, 4 * ncap(c, s.log_size[l] - s.log_arity[l]), r.digests_canonical, "FRI commitment");
    p->final_len = r_u32(&r, "final polynomial length");
    if (r.bad) goto fail;
    if (p->final_len != ((size_t)1 << s.log_final)) {
        r_fail(&r, "final polynomial has %zu coefficients, expected %zu", p->final_len, (size_t)1 << s.log_final);
        goto fail;
    }
    p->final_poly = r_ext(&r, p->final_len, "final polynomial");
    {
        uint64_t *nn = r_words(&r, 1, 1, "nonce");
        if (nn) p->nonce = *nn;
        free(nn);
    }
    p->section_bytes[3] = r.pos - mark;
    mark = r.pos;
    for (size_t i = 0; i < p->ntables && !r.bad; i++) {
        kiln_proof_tbl *t = &p->t[i];
        unsigned ll = t->log_n + c->log_blowup, depth = ll - kiln_proof_cap(c, ll);
        size_t w[4] = {t->w_main, t->w_aux, t->w_pre, t->w_quot};
        static const char *names[4] = {"main openings", "aux openings", "preprocessed openings", "quotient openings"};
        for (int k = 0; k < 4 && !r.bad; k++)
            if (w[k]) r_open(&r, &t->open[k], w[k], c->num_queries, depth, names[k]);
    }
    for (size_t l = 0; l < p->nlayers && !r.bad; l++) {
        unsigned ll = s.log_size[l] - s.log_arity[l];
        r_open(&r, &p->layer_open[l], (size_t)2 << s.log_arity[l], c->num_queries, ll - kiln_proof_cap(c, ll),
               "FRI openings");
    }
    p->section_bytes[4] = r.pos - mark;
    if (!r.bad && r.pos != len) r_fail(&r, "%zu trailing bytes after the proof", len - r.pos);
    if (r.bad) goto fail;
    return KILN_OK;
fail:
    kiln_proof_data_free(p);
    return KILN_ERR_PARSE;
}

kiln_status kiln_proof_inspect(const uint8_t *proof, size_t len, kiln_proof_info *out, char *err, size_t errlen) {
    if (!out) return KILN_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    kiln_proof_data p;
    kiln_status st = kiln_proof_deserialize(proof, len, &p, err, errlen);
    if (st != KILN_OK) return st;
    out->version = p.version;
    out->config = p.cfg;
    memcpy(out->air_digest, p.air_digest, 32);
    out->ntables = p.ntables;
    for (size_t i = 0; i < p.ntables; i++) {
        out->tables[i].log_n = p.t[i].log_n;
        out->tables[i].max_degree = p.t[i].max_deg;
        out->tables[i].columns = (size_t)p.t[i].w_main + p.t[i].w_aux + p.t[i].w_pre;
        out->tables[i].constraints = p.t[i].ncons;
        out->tables[i].interactions = p.t[i].ninter;
    }
    memcpy(out->section_bytes, p.section_bytes, sizeof out->section_bytes);
    out->total_bytes = len;
    kiln_proof_security_estimate(&p.cfg, out->tables, out->ntables, &out->security);
    kiln_proof_data_free(&p);
    return KILN_OK;
}
