/* Proofs of whole runs: one proof per segment, chained through the global memory bus (docs/zkvm-air.md,
 * "Segments"). Proving takes two passes over the segments: the main digests (which fix the shared global
 * challenges), then the proofs; the segments that fit the cache keep their witness and main commitment from
 * the first pass to the second. The run proof file is parsed strictly and checked as a chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/goldilocks.h"
#include "zkvm_internal.h"

#define ERR(...) (err && errlen ? (void)snprintf(err, errlen, __VA_ARGS__) : (void)0)

static const uint8_t RUN_MAGIC[8] = {'K', 'I', 'L', 'N', 'Z', 'K', 'V', 'P'};

static void put32(uint8_t *b, uint32_t v) {
    for (int k = 0; k < 4; k++)
        b[k] = (uint8_t)(v >> (8 * k));
}
static void put64(uint8_t *b, uint64_t v) {
    for (int k = 0; k < 8; k++)
        b[k] = (uint8_t)(v >> (8 * k));
}
static uint32_t get32(const uint8_t *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static uint64_t get64(const uint8_t *b) {
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = v << 8 | b[k];
    return v;
}

/* The shared challenges of a set of proofs from their main digests (n x 4 words). */
static kiln_status challenges(const kiln_proof_vk *vk, const uint64_t *digests, size_t n, kiln_gl2 chal[2]) {
    return kiln_proof_global_challenges(kiln_proof_vk_config(vk)->hasher, digests, n, chal);
}

kiln_status kiln_zkvm_prove_segment(kiln_backend *be, const kiln_proof_vk *vk, const kiln_zkvm_witness *w,
                                    const kiln_proof_prove_opts *opts, uint8_t **proof, size_t *proof_len) {
    if (!be || !vk || !w || !proof || !proof_len) return KILN_ERR_INVALID_ARG;
    kiln_proof_prove_opts po;
    if (opts)
        po = *opts;
    else
        memset(&po, 0, sizeof po);
    uint64_t d[4] = {0, 0, 0, 0};
    kiln_gl2 chal[2];
    kiln_proof_main_commitment *h = NULL; /* committed once: for the digest, then the proof */
    kiln_status st =
        po.plan_only ? kiln_proof_main_digest(be, vk, w->traces, KILN_ZKVM_NTABLES, w->pub, KILN_ZKVM_NPUB, &po, d)
                     : kiln_proof_main_commit(be, vk, w->traces, KILN_ZKVM_NTABLES, w->pub, KILN_ZKVM_NPUB, &po,
                                              &h, d);
    if (st == KILN_OK) st = challenges(vk, d, 1, chal);
    if (st == KILN_OK) {
        po.global_challenges = chal;
        po.main_commit = h;
        st = kiln_proof_prove(be, vk, w->traces, KILN_ZKVM_NTABLES, w->pub, KILN_ZKVM_NPUB, &po, proof,
                              proof_len);
    }
    kiln_proof_main_commitment_free(h);
    return st;
}

kiln_status kiln_zkvm_verify_segment(const kiln_proof_vk *vk, const uint64_t *pub, const uint8_t *proof,
                                     size_t proof_len, double min_bits, char *err, size_t errlen) {
    if (!vk || !pub || !proof) return KILN_ERR_INVALID_ARG;
    uint64_t d[4];
    kiln_gl2 chal[2], sum;
    kiln_status st = kiln_proof_main_digest_of(vk, pub, KILN_ZKVM_NPUB, proof, proof_len, d, err, errlen);
    if (st == KILN_OK) st = challenges(vk, d, 1, chal);
    if (st == KILN_OK)
        st = kiln_proof_verify_global(vk, pub, KILN_ZKVM_NPUB, proof, proof_len, min_bits, chal, &sum, err,
                                      errlen);
    if (st == KILN_OK && !kiln_gl2_is_zero(sum)) {
        ERR("the segment's global memory bus does not balance on its own (not a one-segment run)");
        st = KILN_ERR_VERIFY;
    }
    return st;
}

/* A segment kept from pass 1 to pass 2: its main commitment and, when it fits too, its witness. */
typedef struct {
    kiln_zkvm_witness w;
    int has_w;
    kiln_proof_main_commitment *h;
} seg_cache;

kiln_status kiln_zkvm_prove_run(kiln_backend *be, const kiln_proof_vk *vk, const kiln_zkvm_program *p,
                                const kiln_zkvm_run_opts *opts, uint8_t **bytes, size_t *len, char *err,
                                size_t errlen) {
    if (!be || !vk || !p || !opts || !bytes || !len) return KILN_ERR_INVALID_ARG;
    *bytes = NULL;
    *len = 0;
    kiln_zkvm_witness_opts wo = opts->witness;
    kiln_zkvm_witness w;
    memset(&w, 0, sizeof w);
    kiln_proof_prove_opts po;
    memset(&po, 0, sizeof po);
    po.min_bits = opts->min_bits;
    po.err = err;
    po.errlen = errlen;
    uint64_t *digests = NULL, (*pubs)[KILN_ZKVM_NPUB] = NULL;
    uint8_t **proofs = NULL;
    size_t *plens = NULL, nseg = 0, cached = 0;
    seg_cache *cache = NULL;
    kiln_gl2 chal[2], total = kiln_gl2_make(0, 0);
    kiln_status st = KILN_OK;
    if (opts->info)
        opts->info->cached_segments = opts->info->shrunk_segments = opts->info->rebuilt_segments =
            opts->info->cache_bytes = 0;
    /* Pass 1: each segment's main digest. A segment whose witness and main commitment fit in what is left of
     * opts->cache_bytes keeps both for pass 2 (the commitment without its LDEs if need be, or its Merkle trees
     * alone, the witness then built again: a VM replay and the NTTs, but no hashing); the others are built
     * again there. */
    for (size_t s = 1; nseg == 0 || s <= nseg; s++) {
        wo.segment = (unsigned)s;
        wo.tamper = s == opts->tamper_segment ? opts->witness.tamper : KILN_ZKVM_TAMPER_NONE;
        po.allow_invalid_witness = s == opts->tamper_segment && wo.tamper != KILN_ZKVM_TAMPER_NONE;
        if ((st = kiln_zkvm_witness_build(p, &wo, &w, err, errlen)) != KILN_OK) goto done;
        if (!digests) {
            nseg = w.nsegments;
            if (nseg > KILN_ZKVM_MAX_SEGMENTS) {
                ERR("the run has %zu segments of 2^%u rows; at most %u are proven (raise --segment-log)",
                    nseg, wo.segment_log, KILN_ZKVM_MAX_SEGMENTS);
                st = KILN_ERR_UNSUPPORTED;
                goto done;
            }
            digests = (uint64_t *)calloc(4 * nseg, 8);
            pubs = (uint64_t(*)[KILN_ZKVM_NPUB])calloc(nseg, sizeof *pubs);
            proofs = (uint8_t **)calloc(nseg, sizeof *proofs);
            plens = (size_t *)calloc(nseg, sizeof *plens);
            cache = (seg_cache *)calloc(nseg, sizeof *cache);
            if (!digests || !pubs || !proofs || !plens || !cache) {
                st = KILN_ERR_OUT_OF_MEMORY;
                goto done;
            }
            if (opts->info) opts->info->cycles = w.cycles;
        }
        memcpy(pubs[s - 1], w.pub, sizeof w.pub);
        if (opts->cache_bytes) {
            kiln_proof_main_commitment *h = NULL;
            st = kiln_proof_main_commit(be, vk, w.traces, KILN_ZKVM_NTABLES, w.pub, KILN_ZKVM_NPUB, &po, &h,
                                        digests + 4 * (s - 1));
            size_t bytes = h ? w.main_cells * 8 + kiln_proof_main_commitment_bytes(h) : 0;
            int shrunk = 0, keep_w = 1;
            if (st == KILN_OK && bytes > opts->cache_bytes - cached) {
                /* Too large with the LDEs: keep the trees only (pass 2 redoes the NTTs, not the hashing). */
                kiln_proof_main_commitment_shrink(h);
                bytes = w.main_cells * 8 + kiln_proof_main_commitment_bytes(h);
                shrunk = 1;
            }
            if (st == KILN_OK && bytes > opts->cache_bytes - cached) {
                bytes = kiln_proof_main_commitment_bytes(h); /* the trees alone; the witness is rebuilt */
                keep_w = 0;
            }
            if (st == KILN_OK && bytes <= opts->cache_bytes - cached) {
                if (keep_w) {
                    cache[s - 1].w = w;
                    cache[s - 1].has_w = 1;
                    memset(&w, 0, sizeof w);
                }
                cache[s - 1].h = h;
                cached += bytes;
                if (opts->info) {
                    opts->info->cached_segments++;
                    opts->info->shrunk_segments += (size_t)shrunk;
                    opts->info->rebuilt_segments += (size_t)!keep_w;
                }
            } else
                kiln_proof_main_commitment_free(h);
        } else
            st = kiln_proof_main_digest(be, vk, w.traces, KILN_ZKVM_NTABLES, w.pub, KILN_ZKVM_NPUB, &po,
                                        digests + 4 * (s - 1));
        kiln_zkvm_witness_free(&w);
        if (st != KILN_OK) goto done;
    }
    if (opts->info) opts->info->cache_bytes = cached;
    if ((st = challenges(vk, digests, nseg, chal)) != KILN_OK) goto done;
    /* Pass 2: the proofs, with the shared challenges. */
    po.global_challenges = chal;
    for (size_t s = 1; s <= nseg; s++) {
        wo.segment = (unsigned)s;
        wo.tamper = s == opts->tamper_segment ? opts->witness.tamper : KILN_ZKVM_TAMPER_NONE;
        po.allow_invalid_witness = s == opts->tamper_segment && wo.tamper != KILN_ZKVM_TAMPER_NONE;
        if (cache[s - 1].has_w) { /* kept from pass 1 */
            w = cache[s - 1].w;
            memset(&cache[s - 1].w, 0, sizeof w);
            cache[s - 1].has_w = 0;
        } else if ((st = kiln_zkvm_witness_build(p, &wo, &w, err, errlen)) != KILN_OK)
            goto done;
        kiln_gl2 sum;
        kiln_proof_stats stats;
        po.global_sum = &sum;
        po.stats = &stats;
        po.main_commit = cache[s - 1].h;
        st = kiln_proof_prove(be, vk, w.traces, KILN_ZKVM_NTABLES, w.pub, KILN_ZKVM_NPUB, &po, &proofs[s - 1],
                              &plens[s - 1]);
        po.main_commit = NULL;
        kiln_proof_main_commitment_free(cache[s - 1].h);
        cache[s - 1].h = NULL;
        kiln_zkvm_witness_free(&w);
        if (st != KILN_OK) goto done;
        total = kiln_gl2_add(total, sum);
        if (opts->info) {
            opts->info->seconds += stats.t_total;
            opts->info->security = stats.security.conjectured;
        }
    }
    if (!kiln_gl2_is_zero(total) && !opts->tamper_segment) {
        ERR("internal: the segments' global memory sums do not cancel");
        st = KILN_ERR_INTERNAL;
        goto done;
    }
    /* The file: magic, version, S, then per segment the public values and the length-prefixed proof. */
    size_t tot = 16;
    for (size_t s = 0; s < nseg; s++)
        tot += 8 * KILN_ZKVM_NPUB + 8 + plens[s];
    uint8_t *b = (uint8_t *)malloc(tot);
    if (!b) {
        st = KILN_ERR_OUT_OF_MEMORY;
        goto done;
    }
    memcpy(b, RUN_MAGIC, 8);
    put32(b + 8, KILN_ZKVM_RUN_VERSION);
    put32(b + 12, (uint32_t)nseg);
    size_t o = 16;
    for (size_t s = 0; s < nseg; s++) {
        for (size_t i = 0; i < KILN_ZKVM_NPUB; i++, o += 8)
            put64(b + o, pubs[s][i]);
        put64(b + o, plens[s]);
        o += 8;
        memcpy(b + o, proofs[s], plens[s]);
        o += plens[s];
    }
    *bytes = b;
    *len = tot;
    if (opts->info) opts->info->nsegments = nseg;
done:
    kiln_zkvm_witness_free(&w);
    for (size_t s = 0; cache && s < nseg; s++) {
        kiln_proof_main_commitment_free(cache[s].h);
        kiln_zkvm_witness_free(&cache[s].w);
    }
    free(cache);
    for (size_t s = 0; proofs && s < nseg; s++)
        kiln_proof_free(proofs[s]);
    free(proofs);
    free(plens);
    free(pubs);
    free(digests);
    return st;
}

/* The chain check on the public values alone (docs/zkvm-air.md, "Segments"). */
static kiln_status check_chain(const kiln_zkvm_program *p, uint64_t (*pub)[KILN_ZKVM_NPUB], size_t n,
                               char *err, size_t errlen) {
    size_t digests = 0;
    for (size_t s = 1; s <= n; s++) {
        const uint64_t *v = pub[s - 1];
        if (v[KILN_ZKVM_PUB_DIGEST] > 1 || (v[KILN_ZKVM_PUB_DIGEST] && ++digests > 1)) {
            ERR("segment %zu of %zu publishes a second io_digest (or a flag other than 0 or 1)", s, n);
            return KILN_ERR_VERIFY;
        }
        if (!v[KILN_ZKVM_PUB_DIGEST])
            for (uint32_t i = KILN_ZKVM_PUB_INPUT_HASH; i < KILN_ZKVM_PUB_OUTPUT_HASH + 4; i++)
                if (v[i]) {
                    ERR("segment %zu of %zu has I/O hashes without an io_digest call", s, n);
                    return KILN_ERR_VERIFY;
                }
    }
    for (size_t s = 1; s <= n; s++) {
        const uint64_t *v = pub[s - 1];
        if (v[KILN_ZKVM_PUB_SEGMENT] != s) {
            ERR("segment %zu of %zu claims index %llu (segments dropped, duplicated or reordered)", s, n,
                (unsigned long long)v[KILN_ZKVM_PUB_SEGMENT]);
            return KILN_ERR_VERIFY;
        }
        if (v[KILN_ZKVM_PUB_FIRST] != (s == 1) || v[KILN_ZKVM_PUB_LAST] != (s == n)) {
            ERR("segment %zu of %zu has wrong first/last flags (%llu, %llu)", s, n,
                (unsigned long long)v[KILN_ZKVM_PUB_FIRST], (unsigned long long)v[KILN_ZKVM_PUB_LAST]);
            return KILN_ERR_VERIFY;
        }
        if (memcmp(&v[KILN_ZKVM_PUB_PROGRAM_HASH], p->hash, 32)) {
            ERR("segment %zu is for another program (program hash differs)", s);
            return KILN_ERR_VERIFY;
        }
        uint64_t want = s == 1 ? p->entry : pub[s - 2][KILN_ZKVM_PUB_NEXT_PC];
        if (v[KILN_ZKVM_PUB_START_PC] != want) {
            ERR("segment %zu starts at pc 0x%llx, expected 0x%llx (%s)", s,
                (unsigned long long)v[KILN_ZKVM_PUB_START_PC], (unsigned long long)want,
                s == 1 ? "the program's entry" : "the previous segment's next pc");
            return KILN_ERR_VERIFY;
        }
        if (s < n) { /* no exit: end pc and exit code are zero */
            for (uint32_t i = KILN_ZKVM_PUB_END_PC; i < KILN_ZKVM_PUB_PROGRAM_HASH; i++)
                if (v[i]) {
                    ERR("segment %zu of %zu is not the last but has an end pc or exit code", s, n);
                    return KILN_ERR_VERIFY;
                }
        } else if (v[KILN_ZKVM_PUB_NEXT_PC] != v[KILN_ZKVM_PUB_END_PC]) {
            ERR("the last segment's next pc differs from its end pc");
            return KILN_ERR_VERIFY;
        }
    }
    return KILN_OK;
}

kiln_status kiln_zkvm_verify_run(const kiln_proof_vk *vk, const kiln_zkvm_program *p, const uint8_t *bytes,
                                 size_t len, double min_bits, kiln_zkvm_run_summary *out, char *err,
                                 size_t errlen) {
    if (!vk || !p || (!bytes && len)) return KILN_ERR_INVALID_ARG;
    size_t n;
    kiln_status st = kiln_zkvm_run_parse(bytes, len, &n, NULL, NULL, NULL, err, errlen);
    if (st != KILN_OK) return st;
    uint64_t(*pub)[KILN_ZKVM_NPUB] = (uint64_t(*)[KILN_ZKVM_NPUB])calloc(n, sizeof *pub);
    const uint8_t **proof = (const uint8_t **)calloc(n, sizeof *proof);
    size_t *plen = (size_t *)calloc(n, sizeof *plen);
    uint64_t *d = (uint64_t *)calloc(4 * n, 8);
    kiln_gl2 chal[2], total = kiln_gl2_make(0, 0);
    if (!pub || !proof || !plen || !d) {
        st = KILN_ERR_OUT_OF_MEMORY;
        goto done;
    }
    if ((st = kiln_zkvm_run_parse(bytes, len, &n, pub, proof, plen, err, errlen)) != KILN_OK) goto done;
    if ((st = check_chain(p, pub, n, err, errlen)) != KILN_OK) goto done;
    char e2[256] = "";
    for (size_t s = 0; s < n; s++)
        if ((st = kiln_proof_main_digest_of(vk, pub[s], KILN_ZKVM_NPUB, proof[s], plen[s], d + 4 * s, e2,
                                            sizeof e2)) != KILN_OK) {
            ERR("segment %zu: %s", s + 1, e2);
            goto done;
        }
    if ((st = challenges(vk, d, n, chal)) != KILN_OK) goto done;
    for (size_t s = 0; s < n; s++) {
        kiln_gl2 sum;
        if ((st = kiln_proof_verify_global(vk, pub[s], KILN_ZKVM_NPUB, proof[s], plen[s], min_bits, chal,
                                           &sum, e2, sizeof e2)) != KILN_OK) {
            ERR("segment %zu of %zu: %s", s + 1, n, e2);
            goto done;
        }
        total = kiln_gl2_add(total, sum);
    }
    if (!kiln_gl2_is_zero(total)) {
        ERR("the segments' memory does not chain (the global memory bus of the %zu segments does not "
            "balance)",
            n);
        st = KILN_ERR_VERIFY;
        goto done;
    }
    /* The whole run's claim (the last segment's values, the first one's start pc, the I/O hashes and flag of
     * the segment holding the io_digest call): entry, program, canonical hashes, 32-bit exit code and end pc.
     */
    {
        uint64_t sum_pub[KILN_ZKVM_NPUB];
        memcpy(sum_pub, pub[n - 1], sizeof sum_pub);
        sum_pub[KILN_ZKVM_PUB_START_PC] = pub[0][KILN_ZKVM_PUB_START_PC];
        for (size_t s = 0; s < n; s++)
            if (pub[s][KILN_ZKVM_PUB_DIGEST]) {
                memcpy(&sum_pub[KILN_ZKVM_PUB_INPUT_HASH], &pub[s][KILN_ZKVM_PUB_INPUT_HASH], 64);
                sum_pub[KILN_ZKVM_PUB_DIGEST] = 1;
            }
        st = kiln_zkvm_check_public(p, sum_pub, KILN_ZKVM_NPUB, err, errlen);
        if (out) {
            memset(out, 0, sizeof *out);
            out->nsegments = n;
            memcpy(out->pub, sum_pub, sizeof out->pub);
        }
    }
done:
    free(pub);
    free(proof);
    free(plen);
    free(d);
    return st;
}

kiln_status kiln_zkvm_run_parse(const uint8_t *bytes, size_t len, size_t *nsegments,
                                uint64_t (*pub)[KILN_ZKVM_NPUB], const uint8_t **proof, size_t *proof_len,
                                char *err, size_t errlen) {
    if ((!bytes && len) || !nsegments) return KILN_ERR_INVALID_ARG;
    if (len < 16 || memcmp(bytes, RUN_MAGIC, 8)) {
        ERR("not a zkVM run proof (no KILNZKVP header)");
        return KILN_ERR_PARSE;
    }
    uint32_t ver = get32(bytes + 8), n = get32(bytes + 12);
    if (ver != KILN_ZKVM_RUN_VERSION) {
        ERR("unsupported zkVM proof file version %u (expected %u)", ver, KILN_ZKVM_RUN_VERSION);
        return KILN_ERR_PARSE;
    }
    if (n == 0 || n > KILN_ZKVM_MAX_SEGMENTS) {
        ERR("the proof file claims %u segments (1..%u)", n, KILN_ZKVM_MAX_SEGMENTS);
        return KILN_ERR_PARSE;
    }
    size_t o = 16;
    for (uint32_t s = 0; s < n; s++) {
        if (len - o < 8 * (size_t)KILN_ZKVM_NPUB + 8) {
            ERR("segment %u of %u is truncated", s + 1, n);
            return KILN_ERR_PARSE;
        }
        for (size_t i = 0; i < KILN_ZKVM_NPUB; i++, o += 8) {
            uint64_t v = get64(bytes + o);
            if (v >= KILN_GL_P) {
                ERR("segment %u: public value %zu is not a canonical field element", s + 1, i);
                return KILN_ERR_PARSE;
            }
            if (pub) pub[s][i] = v;
        }
        uint64_t pl = get64(bytes + o);
        o += 8;
        if (pl == 0 || pl > len - o) {
            ERR("segment %u: proof length %llu does not fit the %zu bytes left", s + 1,
                (unsigned long long)pl, len - o);
            return KILN_ERR_PARSE;
        }
        if (proof) proof[s] = bytes + o;
        if (proof_len) proof_len[s] = (size_t)pl;
        o += (size_t)pl;
    }
    if (o != len) {
        ERR("%zu trailing bytes after the last segment", len - o);
        return KILN_ERR_PARSE;
    }
    *nsegments = n;
    return KILN_OK;
}
