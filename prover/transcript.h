/* Fiat-Shamir transcript: a Poseidon2 duplex sponge over Goldilocks (default) or a Keccak-256 hash chain (for
 * proofs that EVM contracts check). Both absorb field elements and digests and squeeze field elements,
 * extension elements and query indices; a transcript is a plain value, so it can be copied to fork it. */
#ifndef KILN_PROOF_TRANSCRIPT_H
#define KILN_PROOF_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "field/goldilocks_ext2.h"
#include "keccak/keccak.h"
#include "merkle/merkle.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_proof_transcript {
    kiln_hasher h;
    /* Poseidon2: state, pending inputs, unread outputs. */
    uint64_t state[12], in[8], outb[8];
    unsigned nin, nout;
    /* Keccak: running absorb context seeded with the last digest; squeeze counter. */
    kiln_keccak256_ctx kctx;
    uint8_t digest[32];
    uint64_t counter;
    int dirty;
} kiln_proof_transcript;

/* Starts a transcript with a domain-separation label (ASCII, at most 64 bytes). */
void kiln_proof_transcript_init(kiln_proof_transcript *t, kiln_hasher h, const char *label);
/* Absorbs canonical field elements. */
void kiln_proof_transcript_absorb(kiln_proof_transcript *t, const uint64_t *v, size_t n);
void kiln_proof_transcript_absorb_ext(kiln_proof_transcript *t, const kiln_gl2 *v, size_t n);
/* Absorbs Merkle digests (4 words each): field elements for Poseidon2, 32 bytes for Keccak. */
void kiln_proof_transcript_absorb_digests(kiln_proof_transcript *t, const uint64_t *d, size_t ndigests);
uint64_t kiln_proof_transcript_squeeze(kiln_proof_transcript *t);
kiln_gl2 kiln_proof_transcript_squeeze_ext(kiln_proof_transcript *t);
/* Proof of work: 1 when absorbing nonce into a copy of t and squeezing gives an element whose low `bits`
 * bits are zero. */
int kiln_proof_transcript_pow_ok(const kiln_proof_transcript *t, uint64_t nonce, unsigned bits);

#ifdef __cplusplus
}
#endif
#endif
