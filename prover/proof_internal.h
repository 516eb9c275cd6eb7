/* Internal pieces shared by the prover, the verifier and the proof format (not a public header). */
#ifndef KILN_PROOF_INTERNAL_H
#define KILN_PROOF_INTERNAL_H

#include "air_internal.h"
#include "prover.h"
#include "transcript.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_PROOF_MAGIC 0x4B52545350494B4BULL /* "KKIPSTRK" as LE bytes: arbitrary, fixed */
#define KILN_MAX_LAYERS 40

/* A batched Merkle opening: rows of the opened leaves (ascending unique indices) and the sibling digests
 * not recomputable from them, layer by layer (see merkle_batch.c). */
typedef struct kiln_opening {
    size_t nrows, width;
    uint64_t *rows;
    size_t nsib;
    uint64_t *sib;
} kiln_opening;

typedef struct kiln_proof_tbl {
    uint32_t log_n, w_main, w_aux, w_pre, w_quot, ncons, max_deg, ninter, nglobal;
    uint64_t *cap_main, *cap_aux, *cap_quot;
    kiln_gl2 bus_sum[2]; /* local buses, global buses (kiln_air_interact_global) */
    kiln_gl2 *ood_z;  /* w_main + w_aux + w_pre + w_quot */
    kiln_gl2 *ood_zg; /* w_main + w_aux + w_pre */
    kiln_opening open[4]; /* main, aux, pre, quot */
} kiln_proof_tbl;

typedef struct kiln_proof_data {
    uint32_t version;
    kiln_proof_config cfg;
    uint64_t air_digest[4];
    uint64_t present; /* bit i: the AIR's table i is in the proof (optional tables may be absent) */
    size_t ntables;   /* tables in the proof: the present ones, in AIR order */
    kiln_proof_tbl *t;
    size_t nlayers;
    uint64_t *layer_caps[KILN_MAX_LAYERS];
    kiln_opening layer_open[KILN_MAX_LAYERS];
    size_t final_len;
    kiln_gl2 *final_poly;
    uint64_t nonce;
    size_t section_bytes[KILN_PROOF_SECTIONS];
} kiln_proof_data;

/* FRI schedule derived from the config and the table heights. */
typedef struct kiln_fri_schedule {
    unsigned log_lde0;                   /* largest LDE */
    size_t nlayers;                      /* committed layers (folds) */
    unsigned log_size[KILN_MAX_LAYERS + 1]; /* log size of layer l; log_size[nlayers] is the final layer */
    unsigned log_arity[KILN_MAX_LAYERS];
    unsigned log_final;                  /* log2 of the final polynomial's length */
} kiln_fri_schedule;

struct kiln_proof_vk {
    const kiln_air *air;
    kiln_proof_config cfg;
    uint64_t *pre_caps[64]; /* per table with preprocessed columns */
};

/* Coset shift of an LDE of size 2^log_m: 7^(2^(32 - log_m)), so folding maps shifts onto shifts. */
uint64_t kiln_proof_shift(unsigned log_m);
unsigned kiln_proof_cap(const kiln_proof_config *c, unsigned log_leaves);
kiln_status kiln_fri_plan(const kiln_proof_config *c, const unsigned *log_n, size_t ntables, kiln_fri_schedule *s);

/* A view of an AIR and its key restricted to the tables in `present` (optional tables left out): the prover
 * and verifier run on it unchanged. Fails (KILN_ERR_VERIFY, message) when a left-out table is not optional or
 * a bit names no table. */
typedef struct kiln_proof_view {
    kiln_air air;
    kiln_air_table *tables[64];
    kiln_proof_vk vk;
    size_t index[64]; /* view table j = AIR table index[j] */
} kiln_proof_view;
kiln_status kiln_proof_view_make(const kiln_proof_vk *vk, uint64_t present, kiln_proof_view *v, char *err,
                                 size_t errlen);

/* Transcript start shared by prover and verifier. */
void kiln_proof_transcript_start(kiln_proof_transcript *tr, const kiln_proof_data *p, const kiln_proof_vk *vk,
                                 const uint64_t *pub, size_t npub);

/* The main digest (prover.h, "Global buses"): 4 elements squeezed from a copy of the transcript right after
 * the main commitments. */
void kiln_proof_main_digest_squeeze(const kiln_proof_transcript *tr, uint64_t out[4]);

/* Batched openings (merkle_batch.c). idx: ascending unique leaf indices. */
kiln_status kiln_batch_siblings(const size_t *idx, size_t count, unsigned depth, const uint64_t *paths,
                                uint64_t **sib, size_t *nsib);
/* 1 when leaves (count digests) at idx hash up to the cap with the siblings (all of them used). */
int kiln_batch_verify(kiln_hasher h, const size_t *idx, size_t count, const uint64_t *leaves, unsigned log_leaves,
                      unsigned cap_log, const uint64_t *sib, size_t nsib, const uint64_t *cap);

/* Sorted unique copy of v (count) into out; returns the unique count. */
size_t kiln_sort_unique(const size_t *v, size_t count, size_t *out);

/* Proof bytes. */
kiln_status kiln_proof_serialize(const kiln_proof_data *p, uint8_t **out, size_t *len);
kiln_status kiln_proof_deserialize(const uint8_t *b, size_t len, kiln_proof_data *p, char *err, size_t errlen);
void kiln_proof_data_free(kiln_proof_data *p);

/* Small helpers. */
kiln_gl2 kiln_ext_pow2k(kiln_gl2 x, unsigned k); /* x^(2^k) */
/* Evaluation of an extension polynomial (coefficients c[0..n)) at an extension point. */
kiln_gl2 kiln_ext_poly_eval(const kiln_gl2 *c, size_t n, kiln_gl2 x);
/* Periodic column: coefficients of the polynomial through values over <w_period> (naive inverse DFT). */
void kiln_periodic_coeffs(const uint64_t *values, size_t period, uint64_t *coeffs);

/* 1 when the table's constraints, combined with lambda and divided by their zerofiers, equal the quotient
 * chunks at z (all from the proof's OOD values). */
int kiln_proof_ood_ok(const kiln_air_table *t, const kiln_proof_tbl *pt, kiln_gl2 z, kiln_gl2 lambda,
                      const kiln_gl2 *chal, const uint64_t *pub);
/* Commits preprocessed columns: LDE and tree on be; returns buffers the caller frees (any may be NULL). */
kiln_status kiln_proof_commit_pre(kiln_backend *be, const kiln_air_table *t, const kiln_proof_config *c,
                                  uint64_t **host_cols, kiln_buf **coef, kiln_buf **lde, kiln_buf **tree,
                                  uint64_t *cap);

#ifdef __cplusplus
}
#endif
#endif
