/* The verifier: uses the verification key, the public inputs and the proof bytes only; host code only. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proof_internal.h"

/* Extension value of an aux column from the OOD values of its two base columns: u + X v, X^2 = 7. */
static kiln_gl2 ext_col(kiln_gl2 u, kiln_gl2 v) {
    return kiln_gl2_make(kiln_gl_add(u.c0, kiln_gl_mul7(v.c1)), kiln_gl_add(u.c1, v.c0));
}

int kiln_proof_ood_ok(const kiln_air_table *t, const kiln_proof_tbl *pt, kiln_gl2 z, kiln_gl2 lambda,
                      const kiln_gl2 *chal, const uint64_t *pub) {
    size_t n = (size_t)1 << pt->log_n, nm = t->nmain, na = t->naux, np = t->npre, k = pt->w_quot / 2;
    kiln_gl2 *buf = (kiln_gl2 *)malloc((2 * na + t->nperiodic + t->nnodes + 1) * sizeof(kiln_gl2));
    uint64_t *coef = (uint64_t *)malloc(1024 * 8);
    if (!buf || !coef) {
        free(buf);
        free(coef);
        return 0;
    }
    kiln_gl2 *aux_c = buf, *aux_n = buf + na, *per = aux_n + na, *vals = per + t->nperiodic;
    for (size_t c = 0; c < na; c++) {
        aux_c[c] = ext_col(pt->ood_z[nm + 2 * c], pt->ood_z[nm + 2 * c + 1]);
        aux_n[c] = ext_col(pt->ood_zg[nm + 2 * c], pt->ood_zg[nm + 2 * c + 1]);
    }
    for (size_t j = 0; j < t->nperiodic; j++) {
        size_t P = t->periodic[j].period;
        kiln_periodic_coeffs(t->periodic[j].values, P, coef);
        kiln_gl2 y = kiln_gl2_pow(z, n / P), acc = kiln_gl2_make(0, 0);
        for (size_t q = P; q-- > 0;) acc = kiln_gl2_add(kiln_gl2_mul(acc, y), kiln_gl2_from_base(coef[q]));
        per[j] = acc;
    }
    kiln_air_point p;
    p.main_cur = pt->ood_z;
    p.main_next = pt->ood_zg;
    p.aux_cur = aux_c;
    p.aux_next = aux_n;
    p.pre_cur = pt->ood_z + nm + 2 * na;
    p.pre_next = pt->ood_zg + nm + 2 * na;
    p.periodic = per;
    p.pub = pub;
    p.challenges = chal;
    p.bus_sum = pt->bus_sum;
    kiln_air_eval_nodes(t, &p, vals);
    kiln_gl2 acc[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}}, lp = kiln_gl2_make(1, 0);
    for (size_t c = 0; c < t->ncons; c++) {
        acc[t->cons[c].dom] = kiln_gl2_add(acc[t->cons[c].dom], kiln_gl2_mul(lp, vals[t->cons[c].e]));
        lp = kiln_gl2_mul(lp, lambda);
    }
    uint64_t glast = kiln_gl_pow(kiln_gl_root_of_unity(pt->log_n), n - 1);
    kiln_gl2 zn = kiln_gl2_pow(z, n), one = kiln_gl2_make(1, 0), gl = kiln_gl2_from_base(glast);
    kiln_gl2 zinv = kiln_gl2_inv(kiln_gl2_sub(zn, one));
    kiln_gl2 zl = kiln_gl2_sub(z, gl);
    kiln_gl2 lhs = kiln_gl2_mul(acc[0], kiln_gl2_mul(zl, zinv));
    lhs = kiln_gl2_add(lhs, kiln_gl2_mul(acc[1], kiln_gl2_inv(kiln_gl2_sub(z, one))));
    lhs = kiln_gl2_add(lhs, kiln_gl2_mul(acc[2], kiln_gl2_inv(zl)));
    lhs = kiln_gl2_add(lhs, kiln_gl2_mul(acc[3], zinv));
    const kiln_gl2 *qz = pt->ood_z + nm + 2 * na + np;
    kiln_gl2 rhs = kiln_gl2_make(0, 0), zpow = one;
    for (size_t j = 0; j < k; j++) {
        rhs = kiln_gl2_add(rhs, kiln_gl2_mul(zpow, ext_col(qz[j], qz[k + j])));
        zpow = kiln_gl2_mul(zpow, zn);
    }
    free(buf);
    free(coef);
    return kiln_gl2_eq(lhs, rhs);
}

/* ---- verification ---- */

typedef struct {
    char *err;
    size_t errlen;
} vctx;

static kiln_status vfail(vctx *v, kiln_status st, const char *fmt, ...) {
    if (v->err && v->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v->err, v->errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* Index of key in the ascending array a (n), or -1. */
static long find(const size_t *a, size_t n, size_t key) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (a[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && a[lo] == key ? (long)lo : -1;
}

static uint64_t domain_point(unsigned log_m, size_t pos) {
    return kiln_gl_mul(kiln_proof_shift(log_m), kiln_gl_pow(kiln_gl_root_of_unity(log_m), kiln_bitrev(pos, log_m)));
}

/* Per-table verifier state for the query phase. */
typedef struct {
    size_t nu;
    size_t *uq; /* unique opened rows */
    kiln_gl2 *cz, *czg;
    kiln_gl2 sum_z, sum_zg; /* sum_c cz_c ood_z_c, sum_c czg_c ood_zg_c */
    size_t wt, ws;
} vtab;

static kiln_status check_open(vctx *v, kiln_hasher h, const kiln_opening *o, const size_t *idx, size_t nu,
                              unsigned log_leaves, unsigned cap_log, const uint64_t *cap, const char *what) {
    if (o->nrows != nu) return vfail(v, KILN_ERR_VERIFY, "%s: %zu opened rows, expected %zu", what, o->nrows, nu);
    uint64_t *leaves = (uint64_t *)malloc(nu * 32);
    if (!leaves) return vfail(v, KILN_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < nu; i++) kiln_merkle_hash_leaf(h, o->rows + i * o->width, o->width, leaves + 4 * i);
    int ok = kiln_batch_verify(h, idx, nu, leaves, log_leaves, cap_log, o->sib, o->nsib, cap);
    free(leaves);
    return ok ? KILN_OK : vfail(v, KILN_ERR_VERIFY, "%s: Merkle openings do not match the commitment", what);
}

/* DEEP value of table i at its LDE position pos (scaled by s). */
static kiln_gl2 deep_at(const kiln_proof_tbl *pt, const vtab *vt, const kiln_proof_config *c, size_t pos, long row,
                        kiln_gl2 z, kiln_gl2 zg) {
    if (row < 0) row = 0; /* cannot happen: the opened rows are exactly the queried ones (checked) */
    unsigned log_m = pt->log_n + c->log_blowup;
    uint64_t x = domain_point(log_m, pos);
    kiln_gl2 s1 = kiln_gl2_neg(vt->sum_z), s2 = kiln_gl2_neg(vt->sum_zg);
    size_t ci = 0;
    for (int k = 0; k < 4; k++) {
        const kiln_opening *o = &pt->open[k];
        if (!o->width) continue;
        const uint64_t *r = o->rows + (size_t)row * o->width;
        for (size_t j = 0; j < o->width; j++, ci++) {
            s1 = kiln_gl2_add(s1, kiln_gl2_mul_base(vt->cz[ci], r[j]));
            if (ci < vt->ws) s2 = kiln_gl2_add(s2, kiln_gl2_mul_base(vt->czg[ci], r[j]));
        }
    }
    kiln_gl2 xe = kiln_gl2_from_base(x);
    return kiln_gl2_add(kiln_gl2_mul(s1, kiln_gl2_inv(kiln_gl2_sub(xe, z))),
                        kiln_gl2_mul(s2, kiln_gl2_inv(kiln_gl2_sub(xe, zg))));
}

/* Verifies p. With global challenges gch (2), every bus uses them and *gsum gets the global-bus sum; with
 * main_digest, stops after the main commitments with the digest there (kiln_proof_main_digest_of). */
static kiln_status verify_data(vctx *v, const kiln_proof_vk *vk, const uint64_t *pub, size_t npub,
                               const kiln_proof_data *p, double min_bits, const kiln_gl2 *gch, kiln_gl2 *gsum,
                               uint64_t *main_digest) {
    const kiln_air *air = vk->air;
    const kiln_proof_config *c = &vk->cfg;
    size_t nt = air->ntables;
    /* Header against the key. */
    if (p->cfg.hasher != c->hasher || p->cfg.log_blowup != c->log_blowup || p->cfg.num_queries != c->num_queries ||
        p->cfg.pow_bits != c->pow_bits || p->cfg.fri_log_arity != c->fri_log_arity ||
        p->cfg.log_final_len != c->log_final_len || p->cfg.cap_log != c->cap_log)
        return vfail(v, KILN_ERR_VERIFY, "the proof's configuration differs from the key's");
    if (memcmp(p->air_digest, air->digest, 32)) return vfail(v, KILN_ERR_VERIFY, "the proof is for another AIR");
    if (p->ntables != nt) return vfail(v, KILN_ERR_VERIFY, "the proof has %zu tables, the AIR %zu", p->ntables, nt);
    if (npub != air->npub) return vfail(v, KILN_ERR_VERIFY, "%zu public inputs, the AIR has %zu", npub, air->npub);
    for (size_t i = 0; i < npub; i++)
        if (pub[i] >= KILN_GL_P) return vfail(v, KILN_ERR_VERIFY, "public input %zu is not canonical", i);
    unsigned lognt[64];
    kiln_proof_table_shape shapes[64];
    for (size_t i = 0; i < nt; i++) {
        const kiln_air_table *t = air->tables[i];
        const kiln_proof_tbl *pt = &p->t[i];
        unsigned k = t->max_deg > 2 ? t->max_deg - 1 : 1;
        if (pt->w_main != t->nmain || pt->w_aux != 2 * t->naux || pt->w_pre != t->npre || pt->w_quot != 2 * k ||
            pt->ncons != t->ncons || pt->max_deg != t->max_deg || pt->ninter != t->ninter ||
            pt->nglobal != t->nglobal)
            return vfail(v, KILN_ERR_VERIFY, "table %s: the proof's shape differs from the AIR", t->name);
        for (size_t j = 0; j < t->nperiodic; j++)
            if (t->periodic[j].period > ((size_t)1 << pt->log_n))
                return vfail(v, KILN_ERR_VERIFY, "table %s: fewer rows than a periodic column's period", t->name);
        if (t->npre && pt->log_n != t->pre_log_n)
            return vfail(v, KILN_ERR_VERIFY, "table %s: wrong height for its preprocessed columns", t->name);
        lognt[i] = pt->log_n;
        shapes[i].log_n = pt->log_n;
        shapes[i].max_degree = t->max_deg;
        shapes[i].columns = pt->w_main + pt->w_aux + pt->w_pre;
        shapes[i].constraints = t->ncons;
        shapes[i].interactions = t->ninter;
    }
    kiln_proof_security sec;
    kiln_proof_security_estimate(c, shapes, nt, &sec);
    if (sec.conjectured < min_bits)
        return vfail(v, KILN_ERR_SECURITY, "the proof gives %.1f conjectured bits, below the floor of %.1f",
                     sec.conjectured, min_bits);
    kiln_fri_schedule fs;
    if (kiln_fri_plan(c, lognt, nt, &fs) != KILN_OK || fs.nlayers != p->nlayers)
        return vfail(v, KILN_ERR_VERIFY, "FRI schedule mismatch");

    /* Transcript replay. */
    kiln_proof_transcript tr;
    kiln_proof_transcript_start(&tr, p, vk, pub, npub);
    for (size_t i = 0; i < nt; i++)
        kiln_proof_transcript_absorb_digests(&tr, p->t[i].cap_main, (size_t)1 << kiln_proof_cap(c, lognt[i] + c->log_blowup));
    if (main_digest) {
        kiln_proof_main_digest_squeeze(&tr, main_digest);
        return KILN_OK;
    }
    int has_bus = 0, has_global = 0;
    for (size_t i = 0; i < nt; i++) {
        has_bus |= air->tables[i]->ninter > 0;
        has_global |= air->tables[i]->nglobal > 0;
    }
    if (has_global && !gch)
        return vfail(v, KILN_ERR_VERIFY, "the AIR has global buses: verifying needs the global challenges");
    kiln_gl2 chal[2] = {kiln_gl2_make(0, 0), kiln_gl2_make(0, 0)}, gtotal = kiln_gl2_make(0, 0);
    if (gch) kiln_proof_transcript_absorb_ext(&tr, gch, 2);
    if (has_bus) {
        chal[0] = gch ? gch[0] : kiln_proof_transcript_squeeze_ext(&tr);
        chal[1] = gch ? gch[1] : kiln_proof_transcript_squeeze_ext(&tr);
        kiln_gl2 total = kiln_gl2_make(0, 0);
        for (size_t i = 0; i < nt; i++) {
            if (!p->t[i].w_aux) continue;
            kiln_proof_transcript_absorb_digests(&tr, p->t[i].cap_aux, (size_t)1 << kiln_proof_cap(c, lognt[i] + c->log_blowup));
            kiln_proof_transcript_absorb_ext(&tr, p->t[i].bus_sum, p->t[i].nglobal ? 2 : 1);
            total = kiln_gl2_add(total, p->t[i].bus_sum[0]);
            if (p->t[i].nglobal) gtotal = kiln_gl2_add(gtotal, p->t[i].bus_sum[1]);
        }
        if (!kiln_gl2_is_zero(total)) return vfail(v, KILN_ERR_VERIFY, "the LogUp buses do not balance");
    }
    kiln_gl2 lambda = kiln_proof_transcript_squeeze_ext(&tr);
    for (size_t i = 0; i < nt; i++)
        kiln_proof_transcript_absorb_digests(&tr, p->t[i].cap_quot, (size_t)1 << kiln_proof_cap(c, lognt[i] + c->log_blowup));
    kiln_gl2 z = kiln_proof_transcript_squeeze_ext(&tr);
    if (z.c1 == 0) return vfail(v, KILN_ERR_VERIFY, "OOD point in the base field");
    for (size_t i = 0; i < nt; i++) {
        const kiln_proof_tbl *pt = &p->t[i];
        size_t wt = (size_t)pt->w_main + pt->w_aux + pt->w_pre + pt->w_quot;
        kiln_proof_transcript_absorb_ext(&tr, pt->ood_z, wt);
        kiln_proof_transcript_absorb_ext(&tr, pt->ood_zg, wt - pt->w_quot);
    }
    for (size_t i = 0; i < nt; i++)
        if (!kiln_proof_ood_ok(air->tables[i], &p->t[i], z, lambda, chal, pub))
            return vfail(v, KILN_ERR_VERIFY, "table %s: constraints do not match the quotient at the OOD point",
                         air->tables[i]->name);

    kiln_status st = KILN_OK;
    vtab *vt = (vtab *)calloc(nt, sizeof *vt);
    size_t q = c->num_queries;
    size_t *pos = (size_t *)malloc(q * sizeof *pos), *tmp = (size_t *)malloc(q * sizeof *tmp);
    size_t *luq[KILN_MAX_LAYERS] = {0};
    size_t lnu[KILN_MAX_LAYERS] = {0};
    kiln_gl2 betas[KILN_MAX_LAYERS];
    if (!vt || !pos || !tmp) {
        st = vfail(v, KILN_ERR_OUT_OF_MEMORY, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nt; i++) {
        const kiln_proof_tbl *pt = &p->t[i];
        vt[i].wt = (size_t)pt->w_main + pt->w_aux + pt->w_pre + pt->w_quot;
        vt[i].ws = vt[i].wt - pt->w_quot;
        vt[i].cz = (kiln_gl2 *)malloc(vt[i].wt * sizeof(kiln_gl2));
        vt[i].czg = (kiln_gl2 *)malloc(vt[i].wt * sizeof(kiln_gl2));
        vt[i].uq = (size_t *)malloc(q * sizeof(size_t));
        if (!vt[i].cz || !vt[i].czg || !vt[i].uq) {
            st = vfail(v, KILN_ERR_OUT_OF_MEMORY, "out of memory");
            goto out;
        }
        for (size_t k = 0; k < vt[i].wt; k++) vt[i].cz[k] = kiln_proof_transcript_squeeze_ext(&tr);
        for (size_t k = 0; k < vt[i].ws; k++) vt[i].czg[k] = kiln_proof_transcript_squeeze_ext(&tr);
        vt[i].sum_z = vt[i].sum_zg = kiln_gl2_make(0, 0);
        for (size_t k = 0; k < vt[i].wt; k++) vt[i].sum_z = kiln_gl2_add(vt[i].sum_z, kiln_gl2_mul(vt[i].cz[k], pt->ood_z[k]));
        for (size_t k = 0; k < vt[i].ws; k++)
            vt[i].sum_zg = kiln_gl2_add(vt[i].sum_zg, kiln_gl2_mul(vt[i].czg[k], pt->ood_zg[k]));
    }
    for (size_t l = 0; l < fs.nlayers; l++) {
        unsigned ll = fs.log_size[l] - fs.log_arity[l];
        kiln_proof_transcript_absorb_digests(&tr, p->layer_caps[l], (size_t)1 << kiln_proof_cap(c, ll));
        betas[l] = kiln_proof_transcript_squeeze_ext(&tr);
    }
    kiln_proof_transcript_absorb_ext(&tr, p->final_poly, p->final_len);
    if (!kiln_proof_transcript_pow_ok(&tr, p->nonce, c->pow_bits)) {
        st = vfail(v, KILN_ERR_VERIFY, "proof of work does not check");
        goto out;
    }
    kiln_proof_transcript_absorb(&tr, &p->nonce, 1);
    (void)kiln_proof_transcript_squeeze(&tr);
    size_t M0 = (size_t)1 << fs.log_lde0;
    for (size_t i = 0; i < q; i++) pos[i] = (size_t)(kiln_proof_transcript_squeeze(&tr) & (M0 - 1));

    /* Merkle openings. */
    static const char *names[4] = {"main trace", "aux trace", "preprocessed columns", "quotient"};
    for (size_t i = 0; i < nt && st == KILN_OK; i++) {
        const kiln_proof_tbl *pt = &p->t[i];
        unsigned lm = pt->log_n + c->log_blowup, cl = kiln_proof_cap(c, lm);
        for (size_t j = 0; j < q; j++) tmp[j] = pos[j] >> (fs.log_lde0 - lm);
        vt[i].nu = kiln_sort_unique(tmp, q, vt[i].uq);
        const uint64_t *caps[4] = {pt->cap_main, pt->cap_aux, vk->pre_caps[i], pt->cap_quot};
        for (int k = 0; k < 4 && st == KILN_OK; k++) {
            if (!pt->open[k].width) continue;
            if (!caps[k]) {
                st = vfail(v, KILN_ERR_VERIFY, "missing commitment");
                break;
            }
            st = check_open(v, c->hasher, &pt->open[k], vt[i].uq, vt[i].nu, lm, cl, caps[k], names[k]);
        }
    }
    for (size_t l = 0; l < fs.nlayers && st == KILN_OK; l++) {
        unsigned la = fs.log_arity[l], ll = fs.log_size[l] - la;
        luq[l] = (size_t *)malloc(q * sizeof(size_t));
        if (!luq[l]) {
            st = vfail(v, KILN_ERR_OUT_OF_MEMORY, "out of memory");
            break;
        }
        for (size_t j = 0; j < q; j++) tmp[j] = (pos[j] >> (fs.log_lde0 - fs.log_size[l])) >> la;
        lnu[l] = kiln_sort_unique(tmp, q, luq[l]);
        st = check_open(v, c->hasher, &p->layer_open[l], luq[l], lnu[l], ll, kiln_proof_cap(c, ll), p->layer_caps[l],
                        "FRI layer");
    }
    if (st != KILN_OK) goto out;

    /* Per query: DEEP values, the folding chain, the final polynomial. */
    for (size_t qi = 0; qi < q; qi++) {
        kiln_gl2 cur = kiln_gl2_make(0, 0);
        for (size_t i = 0; i < nt; i++) {
            unsigned lm = p->t[i].log_n + c->log_blowup;
            if (lm != fs.log_lde0) continue;
            kiln_gl2 zg = kiln_gl2_mul_base(z, kiln_gl_root_of_unity(p->t[i].log_n));
            cur = kiln_gl2_add(cur, deep_at(&p->t[i], &vt[i], c, pos[qi], find(vt[i].uq, vt[i].nu, pos[qi]), z, zg));
        }
        for (size_t l = 0; l < fs.nlayers; l++) {
            unsigned la = fs.log_arity[l], lsz = fs.log_size[l];
            size_t a = (size_t)1 << la, pl = pos[qi] >> (fs.log_lde0 - lsz), leaf = pl >> la;
            long r = find(luq[l], lnu[l], leaf);
            if (r < 0) {
                st = vfail(v, KILN_ERR_INTERNAL, "FRI opening missing");
                goto out;
            }
            const uint64_t *row = p->layer_open[l].rows + (size_t)r * p->layer_open[l].width;
            size_t slot = pl & (a - 1);
            if (row[2 * slot] != cur.c0 || row[2 * slot + 1] != cur.c1) {
                st = vfail(v, KILN_ERR_VERIFY, "FRI layer %zu is inconsistent at query %zu", l, qi);
                goto out;
            }
            /* f_j(y) = (1/a) sum_k f(x_k) x_k^-j; folded = sum_j beta^j f_j(y). */
            kiln_gl2 folded = kiln_gl2_make(0, 0), bp = kiln_gl2_make(1, 0);
            /* Leaf point k is x_0 * w_a^bitrev(k), x_0 = s * w_M^bitrev(leaf): one inversion per leaf. */
            uint64_t ainv = kiln_gl_inv((uint64_t)a), xinv[8], xp[8];
            uint64_t x0inv = kiln_gl_inv(kiln_gl_mul(kiln_proof_shift(lsz),
                                                     kiln_gl_pow(kiln_gl_root_of_unity(lsz), kiln_bitrev(leaf, lsz - la))));
            uint64_t wainv = kiln_gl_inv(kiln_gl_root_of_unity(la));
            for (size_t k2 = 0; k2 < a; k2++) {
                xinv[k2] = kiln_gl_mul(x0inv, kiln_gl_pow(wainv, kiln_bitrev(k2, la)));
                xp[k2] = 1;
            }
            for (size_t j = 0; j < a; j++) {
                kiln_gl2 fj = kiln_gl2_make(0, 0);
                for (size_t k2 = 0; k2 < a; k2++) {
                    fj = kiln_gl2_add(fj, kiln_gl2_mul_base(kiln_gl2_make(row[2 * k2], row[2 * k2 + 1]), xp[k2]));
                    xp[k2] = kiln_gl_mul(xp[k2], xinv[k2]);
                }
                folded = kiln_gl2_add(folded, kiln_gl2_mul(bp, kiln_gl2_mul_base(fj, ainv)));
                bp = kiln_gl2_mul(bp, betas[l]);
            }
            cur = folded;
            unsigned lnext = fs.log_size[l + 1];
            kiln_gl2 scale = kiln_ext_pow2k(betas[l], la);
            for (size_t i = 0; i < nt; i++) {
                unsigned lm = p->t[i].log_n + c->log_blowup;
                if (lm != lnext) continue;
                size_t pt_pos = pos[qi] >> (fs.log_lde0 - lm);
                kiln_gl2 zg = kiln_gl2_mul_base(z, kiln_gl_root_of_unity(p->t[i].log_n));
                kiln_gl2 d = deep_at(&p->t[i], &vt[i], c, pt_pos, find(vt[i].uq, vt[i].nu, pt_pos), z, zg);
                cur = kiln_gl2_add(cur, kiln_gl2_mul(scale, d));
            }
        }
        unsigned lf = fs.log_size[fs.nlayers];
        size_t pf = pos[qi] >> (fs.log_lde0 - lf);
        kiln_gl2 fx = kiln_ext_poly_eval(p->final_poly, p->final_len, kiln_gl2_from_base(domain_point(lf, pf)));
        if (!kiln_gl2_eq(fx, cur)) {
            st = vfail(v, KILN_ERR_VERIFY, "the final FRI polynomial does not match at query %zu", qi);
            goto out;
        }
    }
out:
    for (size_t i = 0; vt && i < nt; i++) {
        free(vt[i].cz);
        free(vt[i].czg);
        free(vt[i].uq);
    }
    free(vt);
    free(pos);
    free(tmp);
    for (size_t l = 0; l < KILN_MAX_LAYERS; l++) free(luq[l]);
    if (st == KILN_OK && gsum) *gsum = gtotal;
    return st;
}

static kiln_status verify_bytes(const kiln_proof_vk *vk, const uint64_t *pub, size_t npub, const uint8_t *proof,
                                size_t proof_len, double min_bits, const kiln_gl2 *gch, kiln_gl2 *gsum,
                                uint64_t *main_digest, char *err, size_t errlen) {
    vctx v = {err, errlen};
    if (err && errlen) err[0] = 0;
    if (!vk || (npub && !pub)) return vfail(&v, KILN_ERR_INVALID_ARG, "no key or public inputs");
    kiln_proof_data p;
    kiln_status st = kiln_proof_deserialize(proof, proof_len, &p, err, errlen);
    if (st != KILN_OK) return st;
    /* The proof's tables: the AIR's, less the optional ones it leaves out. */
    kiln_proof_view *view = (kiln_proof_view *)malloc(sizeof *view);
    if (!view) st = vfail(&v, KILN_ERR_OUT_OF_MEMORY, "out of memory");
    else st = kiln_proof_view_make(vk, p.present, view, err, errlen);
    if (st == KILN_OK) st = verify_data(&v, &view->vk, pub, npub, &p, min_bits, gch, gsum, main_digest);
    free(view);
    kiln_proof_data_free(&p);
    return st;
}

kiln_status kiln_proof_verify(const kiln_proof_vk *vk, const uint64_t *pub, size_t npub, const uint8_t *proof,
                              size_t proof_len, double min_bits, char *err, size_t errlen) {
    return verify_bytes(vk, pub, npub, proof, proof_len, min_bits, NULL, NULL, NULL, err, errlen);
}

kiln_status kiln_proof_verify_global(const kiln_proof_vk *vk, const uint64_t *pub, size_t npub, const uint8_t *proof,
                                     size_t proof_len, double min_bits, const kiln_gl2 *global_challenges,
                                     kiln_gl2 *global_sum, char *err, size_t errlen) {
    if (!global_challenges) {
        if (err && errlen) snprintf(err, errlen, "no global challenges");
        return KILN_ERR_INVALID_ARG;
    }
    return verify_bytes(vk, pub, npub, proof, proof_len, min_bits, global_challenges, global_sum, NULL, err, errlen);
}

kiln_status kiln_proof_main_digest_of(const kiln_proof_vk *vk, const uint64_t *pub, size_t npub, const uint8_t *proof,
                                      size_t proof_len, uint64_t out[4], char *err, size_t errlen) {
    if (!out) return KILN_ERR_INVALID_ARG;
    return verify_bytes(vk, pub, npub, proof, proof_len, 0, NULL, NULL, out, err, errlen);
}
