/* Configuration presets and the security calculator (formulas in docs/proof-system.md). */
#include <math.h>
#include <string.h>

#include "air_internal.h"
#include "prover.h"

#define EXT_BITS 128.0 /* log2 |F_p^2| */

static kiln_proof_config make(kiln_hasher h, unsigned lb, unsigned q, unsigned pow, unsigned ar, unsigned fin,
                              unsigned cap) {
    kiln_proof_config c;
    c.hasher = h;
    c.log_blowup = lb;
    c.num_queries = q;
    c.pow_bits = pow;
    c.fri_log_arity = ar;
    c.log_final_len = fin;
    c.cap_log = cap;
    return c;
}

kiln_status kiln_proof_config_preset(const char *name, kiln_proof_config *out) {
    if (!name || !out) return KILN_ERR_INVALID_ARG;
    if (!strcmp(name, "default")) *out = make(KILN_HASHER_POSEIDON2, 2, 41, 20, 3, 5, 4);
    else if (!strcmp(name, "fast")) *out = make(KILN_HASHER_POSEIDON2, 2, 24, 12, 3, 5, 3);
    else if (!strcmp(name, "l1")) *out = make(KILN_HASHER_KECCAK, 3, 28, 20, 3, 5, 4);
    else if (!strcmp(name, "test")) *out = make(KILN_HASHER_POSEIDON2, 2, 8, 2, 2, 2, 2);
    else if (!strcmp(name, "zkvm")) *out = make(KILN_HASHER_POSEIDON2, 1, 82, 20, 3, 5, 4);
    else return KILN_ERR_INVALID_ARG;
    return KILN_OK;
}

kiln_status kiln_proof_config_check(const kiln_proof_config *c) {
    if (!c) return KILN_ERR_INVALID_ARG;
    if (c->hasher != KILN_HASHER_POSEIDON2 && c->hasher != KILN_HASHER_KECCAK) return KILN_ERR_INVALID_ARG;
    if (c->log_blowup < 1 || c->log_blowup > 4 || c->num_queries < 1 || c->num_queries > 255 || c->pow_bits > 30 ||
        c->fri_log_arity < 1 || c->fri_log_arity > 3 || c->log_final_len > 10 || c->cap_log > 8)
        return KILN_ERR_INVALID_ARG;
    return KILN_OK;
}

void kiln_proof_security_estimate(const kiln_proof_config *c, const kiln_proof_table_shape *t, size_t nt,
                                  kiln_proof_security *out) {
    memset(out, 0, sizeof *out);
    unsigned max_log_n = 0, max_deg = 1;
    double cons = 0, fracs = 0, cols = 0;
    for (size_t i = 0; i < nt; i++) {
        if (t[i].log_n > max_log_n) max_log_n = t[i].log_n;
        if (t[i].max_degree > max_deg) max_deg = t[i].max_degree;
        cons += (double)t[i].constraints;
        fracs += (double)t[i].interactions * ldexp(1.0, (int)t[i].log_n);
        cols += (double)t[i].columns;
    }
    double N = ldexp(1.0, (int)max_log_n), lde = ldexp(N, (int)c->log_blowup), rho = ldexp(1.0, -(int)c->log_blowup);
    double k = ldexp(1.0, (int)c->fri_log_arity);
    /* Conjectured FRI query term (ethSTARK): each query gives log2(blowup) bits, grinding adds pow_bits. */
    out->query = (double)c->num_queries * c->log_blowup + c->pow_bits;
    /* Proven query term in the unique-decoding regime: alpha = (1 + rho) / 2 per query. */
    out->query_proven = (double)c->num_queries * -log2((1.0 + rho) / 2.0) + c->pow_bits;
    /* FRI commit phase: (k - 1)(|LDE| + 1) / |F|. */
    out->fri_commit = EXT_BITS - log2((k - 1.0) * (lde + 1.0));
    /* DEEP: the OOD point hits a bad point with probability (D (N + 1) + N - 1) / |F|, D the quotient degree. */
    double D = (double)(max_deg > 1 ? max_deg - 1 : 1);
    out->deep = EXT_BITS - log2(D * (N + 1.0) + N - 1.0);
    /* ALI: constraints batched with powers of one challenge. */
    out->ali = EXT_BITS - log2(cons > 1 ? cons : 1.0);
    /* LogUp: a false bus sum survives with probability about (fractions + 1) * tuple degree / |F|. */
    out->logup = fracs > 0 ? EXT_BITS - log2(2.0 * (fracs + 1.0)) : EXT_BITS;
    (void)cols;
    out->hash = 128.0; /* 4-element Poseidon2 and 256-bit Keccak digests: 128-bit collision resistance */
    double field = out->fri_commit;
    if (out->deep < field) field = out->deep;
    if (out->ali < field) field = out->ali;
    if (out->logup < field) field = out->logup;
    if (out->hash < field) field = out->hash;
    out->conjectured = out->query < field ? out->query : field;
    out->proven = out->query_proven < field ? out->query_proven : field;
}

kiln_status kiln_proof_security_for_air(const kiln_air *air, const kiln_proof_config *c, const unsigned *log_heights,
                                        kiln_proof_security *out) {
    if (!air || !c || !out || !air->finalized || air->ntables > 64) return KILN_ERR_INVALID_ARG;
    kiln_proof_table_shape sh[64];
    for (size_t i = 0; i < air->ntables; i++) {
        const kiln_air_table *t = air->tables[i];
        sh[i].log_n = t->npre ? t->pre_log_n : (log_heights ? log_heights[i] : KILN_PROOF_MAX_LOG_ROWS);
        sh[i].max_degree = t->max_deg;
        sh[i].columns = t->nmain + 2 * t->naux + t->npre;
        sh[i].constraints = t->ncons;
        sh[i].interactions = t->ninter;
    }
    kiln_proof_security_estimate(c, sh, air->ntables, out);
    return KILN_OK;
}
