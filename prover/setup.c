/* Verification keys: the configuration, the AIR and the commitments to its preprocessed columns. */
#include <stdlib.h>
#include <string.h>

#include "proof_internal.h"

kiln_status kiln_proof_commit_pre(kiln_backend *be, const kiln_air_table *t, const kiln_proof_config *c,
                                  uint64_t **host_cols, kiln_buf **coef, kiln_buf **lde, kiln_buf **tree,
                                  uint64_t *cap) {
    *host_cols = NULL;
    *coef = *lde = *tree = NULL;
    size_t n = (size_t)1 << t->pre_log_n, M = n << c->log_blowup;
    unsigned log_m = t->pre_log_n + c->log_blowup, cl = kiln_proof_cap(c, log_m);
    uint64_t *h = (uint64_t *)calloc(n * t->npre, 8);
    if (!h) return KILN_ERR_OUT_OF_MEMORY;
    t->pre_fill(t->pre_ctx, h, t->npre, t->pre_log_n);
    for (size_t i = 0; i < n * t->npre; i++) h[i] = kiln_gl_from_u64(h[i]);
    kiln_status st = kiln_buf_alloc(be, n * t->npre * 8, coef);
    if (st == KILN_OK) st = kiln_buf_alloc(be, M * t->npre * 8, lde);
    if (st == KILN_OK) st = kiln_buf_alloc(be, kiln_merkle_tree_digests(M, cl) * 32, tree);
    if (st == KILN_OK) st = kiln_buf_write(*coef, 0, h, n * t->npre * 8);
    if (st == KILN_OK)
        st = kiln_lde(be, *coef, 0, *lde, 0, t->npre, t->pre_log_n, c->log_blowup, kiln_proof_shift(log_m),
                      KILN_ORDER_BITREV);
    if (st == KILN_OK) {
        kiln_matrix m = kiln_matrix_cols(*lde, 0, M, t->npre);
        st = kiln_merkle_commit(be, c->hasher, &m, cl, *tree, cap);
    }
    if (st != KILN_OK) {
        free(h);
        kiln_buf_free(*coef);
        kiln_buf_free(*lde);
        kiln_buf_free(*tree);
        *coef = *lde = *tree = NULL;
        return st;
    }
    *host_cols = h;
    return KILN_OK;
}

kiln_status kiln_proof_setup(kiln_backend *be, const kiln_air *air, const kiln_proof_config *c, kiln_proof_vk **out) {
    if (!be || !air || !c || !out) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    if (!air->finalized) return KILN_ERR_INVALID_ARG;
    if (kiln_proof_config_check(c) != KILN_OK) return KILN_ERR_INVALID_ARG;
    for (size_t i = 0; i < air->ntables; i++) {
        const kiln_air_table *t = air->tables[i];
        /* Quotient chunks (degree - 1) must fit the blowup. */
        if (t->max_deg > ((1u << c->log_blowup) + 1)) return KILN_ERR_UNSUPPORTED;
        if (t->npre && (t->pre_log_n < KILN_PROOF_MIN_LOG_ROWS || t->pre_log_n > KILN_PROOF_MAX_LOG_ROWS))
            return KILN_ERR_UNSUPPORTED;
    }
    kiln_proof_vk *vk = (kiln_proof_vk *)calloc(1, sizeof *vk);
    if (!vk) return KILN_ERR_OUT_OF_MEMORY;
    vk->air = air;
    vk->cfg = *c;
    for (size_t i = 0; i < air->ntables; i++) {
        const kiln_air_table *t = air->tables[i];
        if (!t->npre) continue;
        unsigned cl = kiln_proof_cap(c, t->pre_log_n + c->log_blowup);
        vk->pre_caps[i] = (uint64_t *)malloc(((size_t)4 << cl) * 8);
        if (!vk->pre_caps[i]) {
            kiln_proof_vk_destroy(vk);
            return KILN_ERR_OUT_OF_MEMORY;
        }
        uint64_t *h;
        kiln_buf *a, *b, *d;
        kiln_status st = kiln_proof_commit_pre(be, t, c, &h, &a, &b, &d, vk->pre_caps[i]);
        free(h);
        kiln_buf_free(a);
        kiln_buf_free(b);
        kiln_buf_free(d);
        if (st != KILN_OK) {
            kiln_proof_vk_destroy(vk);
            return st;
        }
    }
    *out = vk;
    return KILN_OK;
}

void kiln_proof_vk_destroy(kiln_proof_vk *vk) {
    if (!vk) return;
    for (size_t i = 0; i < 64; i++) free(vk->pre_caps[i]);
    free(vk);
}

const kiln_proof_config *kiln_proof_vk_config(const kiln_proof_vk *vk) { return &vk->cfg; }
