/* Helpers shared by prover and verifier: domains, caps, the FRI schedule, small polynomial tools. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proof_internal.h"

uint64_t kiln_proof_shift(unsigned log_m) { return kiln_gl_pow(KILN_GL_GENERATOR, (uint64_t)1 << (32 - log_m)); }

unsigned kiln_proof_cap(const kiln_proof_config *c, unsigned log_leaves) {
    return c->cap_log < log_leaves ? c->cap_log : log_leaves;
}

kiln_status kiln_fri_plan(const kiln_proof_config *c, const unsigned *log_n, size_t nt, kiln_fri_schedule *s) {
    memset(s, 0, sizeof *s);
    if (nt == 0) return KILN_ERR_INVALID_ARG;
    unsigned lb = c->log_blowup, hi = 0, lo = 64;
    for (size_t i = 0; i < nt; i++) {
        if (log_n[i] < KILN_PROOF_MIN_LOG_ROWS || log_n[i] > KILN_PROOF_MAX_LOG_ROWS) return KILN_ERR_INVALID_ARG;
        if (log_n[i] + lb > hi) hi = log_n[i] + lb;
        if (log_n[i] + lb < lo) lo = log_n[i] + lb;
    }
    unsigned fin = c->log_final_len + lb;
    if (fin > lo) fin = lo;
    s->log_lde0 = hi;
    s->log_final = fin - lb;
    unsigned cur = hi;
    while (cur > fin) {
        unsigned target = fin;
        for (size_t i = 0; i < nt; i++) {
            unsigned L = log_n[i] + lb;
            if (L < cur && L > target) target = L;
        }
        unsigned a = cur - target < c->fri_log_arity ? cur - target : c->fri_log_arity;
        if (s->nlayers >= KILN_MAX_LAYERS) return KILN_ERR_INVALID_ARG;
        s->log_size[s->nlayers] = cur;
        s->log_arity[s->nlayers] = a;
        s->nlayers++;
        cur -= a;
    }
    s->log_size[s->nlayers] = fin;
    return KILN_OK;
}

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

size_t kiln_sort_unique(const size_t *v, size_t count, size_t *out) {
    if (!count) return 0;
    memcpy(out, v, count * sizeof *v);
    qsort(out, count, sizeof *out, cmp_size);
    size_t m = 1;
    for (size_t i = 1; i < count; i++)
        if (out[i] != out[m - 1]) out[m++] = out[i];
    return m;
}

kiln_gl2 kiln_ext_pow2k(kiln_gl2 x, unsigned k) {
    for (unsigned i = 0; i < k; i++) x = kiln_gl2_sqr(x);
    return x;
}

kiln_gl2 kiln_ext_poly_eval(const kiln_gl2 *c, size_t n, kiln_gl2 x) {
    kiln_gl2 r = kiln_gl2_make(0, 0);
    for (size_t i = n; i-- > 0;) r = kiln_gl2_add(kiln_gl2_mul(r, x), c[i]);
    return r;
}

void kiln_periodic_coeffs(const uint64_t *values, size_t period, uint64_t *coeffs) {
    unsigned lp = 0;
    while (((size_t)1 << lp) < period) lp++;
    uint64_t winv = kiln_gl_inv(kiln_gl_root_of_unity(lp)), ninv = kiln_gl_inv(period % KILN_GL_P);
    for (size_t k = 0; k < period; k++) {
        uint64_t acc = 0, wk = kiln_gl_pow(winv, k), p = 1;
        for (size_t j = 0; j < period; j++) {
            acc = kiln_gl_add(acc, kiln_gl_mul(values[j], p));
            p = kiln_gl_mul(p, wk);
        }
        coeffs[k] = kiln_gl_mul(acc, ninv);
    }
}

void kiln_proof_transcript_start(kiln_proof_transcript *tr, const kiln_proof_data *p, const kiln_proof_vk *vk,
                                 const uint64_t *pub, size_t npub) {
    kiln_proof_transcript_init(tr, p->cfg.hasher, "kiln-stark-v1");
    uint64_t hdr[12] = {p->version, p->cfg.hasher, p->cfg.log_blowup, p->cfg.num_queries, p->cfg.pow_bits,
                        p->cfg.fri_log_arity, p->cfg.log_final_len, p->cfg.cap_log, p->ntables, npub, 0, 0};
    kiln_proof_transcript_absorb(tr, hdr, 10);
    kiln_proof_transcript_absorb(tr, p->air_digest, 4);
    uint64_t mask[2] = {p->present & 0xffffffffu, p->present >> 32}; /* which tables are in the proof */
    kiln_proof_transcript_absorb(tr, mask, 2);
    for (size_t i = 0; i < p->ntables; i++) {
        uint64_t w = p->t[i].log_n;
        kiln_proof_transcript_absorb(tr, &w, 1);
    }
    for (size_t i = 0; i < vk->air->ntables; i++)
        if (vk->pre_caps[i])
            kiln_proof_transcript_absorb_digests(tr, vk->pre_caps[i],
                                                 (size_t)1 << kiln_proof_cap(&vk->cfg, vk->air->tables[i]->pre_log_n +
                                                                                           vk->cfg.log_blowup));
    kiln_proof_transcript_absorb(tr, pub, npub);
}

void kiln_proof_main_digest_squeeze(const kiln_proof_transcript *tr, uint64_t out[4]) {
    kiln_proof_transcript f = *tr; /* a fork: the proof's own transcript goes on unchanged */
    for (int k = 0; k < 4; k++)
        out[k] = kiln_proof_transcript_squeeze(&f);
}

kiln_status kiln_proof_global_challenges(kiln_hasher h, const uint64_t *digests, size_t n, kiln_gl2 out[2]) {
    if (!out || (n && !digests)) return KILN_ERR_INVALID_ARG;
    kiln_proof_transcript tr;
    kiln_proof_transcript_init(&tr, h, "kiln-global-buses-v1");
    uint64_t cnt = n;
    kiln_proof_transcript_absorb(&tr, &cnt, 1);
    kiln_proof_transcript_absorb(&tr, digests, 4 * n);
    out[0] = kiln_proof_transcript_squeeze_ext(&tr);
    out[1] = kiln_proof_transcript_squeeze_ext(&tr);
    return KILN_OK;
}

kiln_status kiln_proof_view_make(const kiln_proof_vk *vk, uint64_t present, kiln_proof_view *v, char *err,
                                 size_t errlen) {
    const kiln_air *air = vk->air;
    size_t nt = air->ntables;
    if (nt < 64 && (present >> nt)) {
        if (err && errlen) snprintf(err, errlen, "the proof names a table the AIR does not have");
        return KILN_ERR_VERIFY;
    }
    memset(v, 0, sizeof *v);
    v->air = *air;
    v->vk = *vk;
    size_t k = 0;
    for (size_t i = 0; i < nt; i++) {
        if (!((present >> i) & 1)) {
            if (!air->tables[i]->optional) {
                if (err && errlen) snprintf(err, errlen, "table %s is left out but is not optional", air->tables[i]->name);
                return KILN_ERR_VERIFY;
            }
            continue;
        }
        v->tables[k] = air->tables[i];
        v->vk.pre_caps[k] = vk->pre_caps[i];
        v->index[k++] = i;
    }
    for (size_t j = k; j < 64; j++) v->vk.pre_caps[j] = NULL;
    if (k == 0) {
        if (err && errlen) snprintf(err, errlen, "the proof has no tables");
        return KILN_ERR_VERIFY;
    }
    v->air.tables = v->tables;
    v->air.ntables = k;
    v->vk.air = &v->air;
    return KILN_OK;
}
