/* Kiln's STARK prover and verifier (D3): AIR tables of different heights in one proof, LogUp buses, coset LDE,
 * row-wise Merkle commitments with caps, quotient chunks, an out-of-domain point in the extension, DEEP with
 * independent coefficients, FRI with folding 2/4/8 and a final polynomial, grinding, batched openings.
 * Every heavy step runs through the kernel API (backend.h), on the CPU or the GPU. See docs/proof-system.md. */
#ifndef KILN_PROVER_H
#define KILN_PROVER_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "backend/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_PROOF_VERSION 2u /* 2: global buses (per-table count and sum) */
#define KILN_PROOF_MAX_LOG_ROWS 22u /* every supported size keeps the default configuration at >= 100 bits */
#define KILN_PROOF_MIN_LOG_ROWS 2u

typedef struct kiln_proof_config {
    kiln_hasher hasher;     /* Merkle trees and transcript */
    unsigned log_blowup;    /* 1..4 */
    unsigned num_queries;   /* 1..255 */
    unsigned pow_bits;      /* grinding before the queries, 0..30 */
    unsigned fri_log_arity; /* FRI folding 2, 4 or 8: 1..3 */
    unsigned log_final_len; /* the final polynomial has at most 2^log_final_len coefficients, 0..10 */
    unsigned cap_log;       /* Merkle cap of 2^cap_log digests, 0..8 */
} kiln_proof_config;

/* "default" (Poseidon2, >= 100 bits), "fast" (~60 bits, demos), "l1" (Keccak, >= 100 bits), "test" (tiny),
 * "zkvm" (Poseidon2, blowup 2 with twice the queries, >= 100 bits: about half the commitment work of "default"
 * for degree-3 AIRs, proofs about twice as large). */
kiln_status kiln_proof_config_preset(const char *name, kiln_proof_config *out);
kiln_status kiln_proof_config_check(const kiln_proof_config *c);

/* Security estimate in bits (docs/proof-system.md): every term, the conjectured level (the minimum of the
 * conjectured query term and the field terms) and the proven level (query term in the unique-decoding
 * regime). */
typedef struct kiln_proof_security {
    double query, query_proven, fri_commit, deep, ali, logup, hash;
    double conjectured, proven;
} kiln_proof_security;

/* Per-table shape for the estimate. */
typedef struct kiln_proof_table_shape {
    unsigned log_n, max_degree;
    size_t columns, constraints, interactions;
} kiln_proof_table_shape;

void kiln_proof_security_estimate(const kiln_proof_config *c, const kiln_proof_table_shape *tables, size_t ntables,
                                  kiln_proof_security *out);
/* The estimate for an AIR at given heights (log_heights[i] for table i; NULL: the largest supported). */
kiln_status kiln_proof_security_for_air(const kiln_air *air, const kiln_proof_config *c, const unsigned *log_heights,
                                        kiln_proof_security *out);

/* Verification key: the AIR, the configuration, and the commitments to the preprocessed columns. */
typedef struct kiln_proof_vk kiln_proof_vk;
/* Builds the key (commits the preprocessed columns on be). air must be finalized and outlive the key. */
kiln_status kiln_proof_setup(kiln_backend *be, const kiln_air *air, const kiln_proof_config *c, kiln_proof_vk **out);
void kiln_proof_vk_destroy(kiln_proof_vk *vk);
const kiln_proof_config *kiln_proof_vk_config(const kiln_proof_vk *vk);

/* The main trace of one table: cols[c * 2^log_n + r], canonical elements. */
typedef struct kiln_proof_trace {
    const uint64_t *cols;
    unsigned log_n;
} kiln_proof_trace;

typedef struct kiln_proof_stats {
    double t_lde, t_commit, t_aux, t_quotient, t_ood, t_deep, t_fri, t_pow, t_queries, t_total; /* seconds */
    size_t host_peak, device_peak, device_planned, proof_bytes;
    kiln_proof_security security;
} kiln_proof_stats;

/* A proof's main commitments made ahead of the proof (kiln_proof_main_commit below). */
typedef struct kiln_proof_main_commitment kiln_proof_main_commitment;

typedef struct kiln_proof_prove_opts {
    double min_bits;           /* refuse configurations whose conjectured security is lower */
    int allow_invalid_witness; /* TEST ONLY: skip the prover's own witness checks, to test the verifier */
    size_t device_budget;      /* plan against this many bytes of device memory (0: the device's total) */
    int plan_only;             /* stop after planning: stats get the shapes, security and device_planned */
    kiln_proof_stats *stats;   /* optional */
    const kiln_gl2 *global_challenges; /* 2 shared challenges ("Global buses" below); required when the AIR has
                                        * global interactions, and then used by every bus of the proof */
    kiln_gl2 *global_sum;              /* optional: receives the proof's global-bus sum */
    kiln_proof_main_commitment *main_commit; /* optional (kiln_proof_prove only): the main commitments of these
                                              * very inputs, made by kiln_proof_main_commit; the proof starts
                                              * from them instead of committing again (same bytes) and spends
                                              * them */
    char *err;                 /* optional one-line reason on failure */
    size_t errlen;
} kiln_proof_prove_opts;

/* Proves that traces[i] (one per table, in AIR order) satisfy the AIR with the public inputs. *proof gets a
 * malloc'ed byte string (free with kiln_proof_free). Deterministic: the same inputs give the same bytes. */
kiln_status kiln_proof_prove(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                             size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                             uint8_t **proof, size_t *proof_len);
void kiln_proof_free(uint8_t *proof);

/* Verifies a proof with the key and the public inputs only. KILN_OK, KILN_ERR_PARSE (malformed bytes),
 * KILN_ERR_VERIFY (well-formed but wrong) or KILN_ERR_SECURITY (below min_bits); err gets one line. */
kiln_status kiln_proof_verify(const kiln_proof_vk *vk, const uint64_t *pub, size_t npub, const uint8_t *proof,
                              size_t proof_len, double min_bits, char *err, size_t errlen);

/* ---- Global buses: one bus balanced across several proofs (the segments of a run) ----
 * LogUp is sound when its challenges are drawn after everything on the bus is committed. For a bus spread over
 * several proofs (kiln_air_interact_global), the challenges therefore come from all the proofs' main
 * commitments:
 *   1. kiln_proof_main_digest for each proof: commits its main traces (the same commitment the proof will
 *      carry) and returns a digest of the transcript up to there (configuration, AIR, sizes, preprocessed
 *      commitments, public inputs, main commitments); kiln_proof_main_commit does the same and keeps the
 *      commitment for step 3, which then does not commit again;
 *   2. kiln_proof_global_challenges over the digests of all the proofs, in order;
 *   3. kiln_proof_prove with opts.global_challenges; opts.global_sum gets the proof's global-bus sum.
 * The verifier recomputes each digest from the proof bytes (kiln_proof_main_digest_of), the challenges, checks
 * each proof with kiln_proof_verify_global (which also checks its local buses) and then that the global sums
 * of all the proofs, plus any terms the caller knows itself, add up to zero. */
kiln_status kiln_proof_main_digest(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                                   size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                                   uint64_t out[4]);
/* Round 1 of kiln_proof_prove on its own: commits the main traces (LDEs and Merkle trees, on be) and returns a
 * handle that owns them, plus the main digest (as kiln_proof_main_digest). kiln_proof_prove with
 * opts.main_commit = *out and the same be, vk, traces (same values) and public inputs then skips the
 * commitment and gives the same bytes as without it. A handle serves one proof: kiln_proof_prove spends it
 * (releases its buffers) once its checks pass; a handle from another backend, key, public inputs or trace set,
 * or one already spent, is refused with KILN_ERR_INVALID_ARG and a message (the traces are compared by a
 * fingerprint of their values: misuse checks, not security). opts: min_bits, device_budget, err, stats (round
 * 1's times and the shapes); plan_only is refused. Free with kiln_proof_main_commitment_free (also after the
 * proof). */
kiln_status kiln_proof_main_commit(kiln_backend *be, const kiln_proof_vk *vk, const kiln_proof_trace *traces,
                                   size_t ntraces, const uint64_t *pub, size_t npub, const kiln_proof_prove_opts *opts,
                                   kiln_proof_main_commitment **out, uint64_t digest[4]);
void kiln_proof_main_commitment_free(kiln_proof_main_commitment *h);
/* Bytes the handle holds (backend buffers and host copies; 0 once spent). */
size_t kiln_proof_main_commitment_bytes(const kiln_proof_main_commitment *h);
/* Releases the LDEs and coefficients of the main traces and of the preprocessed columns, keeping their Merkle
 * trees (4 words per LDE row and table) and the preprocessed columns' values: the proof then extends them
 * again (NTTs, no hashing), with the same bytes. */
void kiln_proof_main_commitment_shrink(kiln_proof_main_commitment *h);
kiln_status kiln_proof_main_digest_of(const kiln_proof_vk *vk, const uint64_t *pub, size_t npub, const uint8_t *proof,
                                      size_t proof_len, uint64_t out[4], char *err, size_t errlen);
/* digests: n x 4 words. h: the transcript hash (the configuration's hasher). */
kiln_status kiln_proof_global_challenges(kiln_hasher h, const uint64_t *digests, size_t n, kiln_gl2 out[2]);
/* kiln_proof_verify for proofs made with global challenges; *global_sum (optional) gets the proof's global-bus
 * sum. kiln_proof_verify refuses AIRs with global interactions. */
kiln_status kiln_proof_verify_global(const kiln_proof_vk *vk, const uint64_t *pub, size_t npub, const uint8_t *proof,
                                     size_t proof_len, double min_bits, const kiln_gl2 *global_challenges,
                                     kiln_gl2 *global_sum, char *err, size_t errlen);

/* What a proof's bytes say about themselves (no key needed). */
#define KILN_PROOF_SECTIONS 5
typedef struct kiln_proof_info {
    uint32_t version;
    kiln_proof_config config;
    uint64_t air_digest[4];
    size_t ntables;
    kiln_proof_table_shape tables[64];
    size_t section_bytes[KILN_PROOF_SECTIONS]; /* header, commitments, ood, fri, queries */
    size_t total_bytes;
    kiln_proof_security security;
} kiln_proof_info;
extern const char *const kiln_proof_section_names[KILN_PROOF_SECTIONS];
kiln_status kiln_proof_inspect(const uint8_t *proof, size_t proof_len, kiln_proof_info *out, char *err,
                               size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
