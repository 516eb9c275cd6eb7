/* Fiat-Shamir transcript (see transcript.h). */
#include "transcript.h"

#include <string.h>

#include "poseidon2/poseidon2.h"

static void p2_duplex(kiln_proof_transcript *t) {
    /* Overwrite mode: pending inputs replace the rate's first elements. */
    for (unsigned i = 0; i < t->nin; i++) t->state[i] = t->in[i];
    t->nin = 0;
    kiln_poseidon2_permute(t->state);
    memcpy(t->outb, t->state, sizeof t->outb);
    t->nout = 8;
}

static void k_absorb_bytes(kiln_proof_transcript *t, const void *p, size_t n) {
    kiln_keccak256_update(&t->kctx, p, n);
    t->dirty = 1;
}

void kiln_proof_transcript_init(kiln_proof_transcript *t, kiln_hasher h, const char *label) {
    memset(t, 0, sizeof *t);
    t->h = h;
    size_t len = label ? strlen(label) : 0;
    if (len > 64) len = 64;
    /* Label packed 7 bytes per element so every element is canonical. */
    uint64_t lw[10] = {0};
    for (size_t i = 0; i < len; i++) lw[i / 7] |= (uint64_t)(uint8_t)label[i] << (8 * (i % 7));
    if (h == KILN_HASHER_KECCAK) {
        kiln_keccak256_init(&t->kctx);
        k_absorb_bytes(t, "kiln-transcript-keccak", 22);
    }
    uint64_t hdr = len;
    kiln_proof_transcript_absorb(t, &hdr, 1);
    kiln_proof_transcript_absorb(t, lw, (len + 6) / 7);
}

void kiln_proof_transcript_absorb(kiln_proof_transcript *t, const uint64_t *v, size_t n) {
    if (t->h == KILN_HASHER_KECCAK) {
        for (size_t i = 0; i < n; i++) {
            uint8_t b[8];
            for (int k = 0; k < 8; k++) b[k] = (uint8_t)(v[i] >> (8 * k));
            k_absorb_bytes(t, b, 8);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        t->nout = 0;
        t->in[t->nin++] = v[i];
        if (t->nin == 8) p2_duplex(t);
    }
}

void kiln_proof_transcript_absorb_ext(kiln_proof_transcript *t, const kiln_gl2 *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t w[2] = {v[i].c0, v[i].c1};
        kiln_proof_transcript_absorb(t, w, 2);
    }
}

void kiln_proof_transcript_absorb_digests(kiln_proof_transcript *t, const uint64_t *d, size_t nd) {
    kiln_proof_transcript_absorb(t, d, 4 * nd); /* Keccak absorbs the same words as 32 LE bytes */
}

uint64_t kiln_proof_transcript_squeeze(kiln_proof_transcript *t) {
    if (t->h == KILN_HASHER_KECCAK) {
        if (t->dirty) {
            kiln_keccak256_final(&t->kctx, t->digest);
            kiln_keccak256_init(&t->kctx);
            kiln_keccak256_update(&t->kctx, t->digest, 32);
            t->dirty = 0;
            t->counter = 0;
            t->nout = 0;
        }
        if (t->nout == 0) {
            uint8_t buf[40], out[32];
            memcpy(buf, t->digest, 32);
            for (int k = 0; k < 8; k++) buf[32 + k] = (uint8_t)(t->counter >> (8 * k));
            t->counter++;
            kiln_keccak256(buf, sizeof buf, out);
            /* Two elements per block: 128 bits reduced mod p each (bias below 2^-64). */
            for (int j = 0; j < 2; j++) {
                uint64_t lo = 0, hi = 0;
                for (int k = 0; k < 8; k++) {
                    lo |= (uint64_t)out[16 * j + k] << (8 * k);
                    hi |= (uint64_t)out[16 * j + 8 + k] << (8 * k);
                }
                t->outb[1 - j] = kiln_gl_reduce128(lo, kiln_gl_reduce64(hi));
            }
            t->nout = 2;
        }
        return t->outb[--t->nout];
    }
    if (t->nin > 0 || t->nout == 0) p2_duplex(t);
    return t->outb[--t->nout];
}

kiln_gl2 kiln_proof_transcript_squeeze_ext(kiln_proof_transcript *t) {
    uint64_t a = kiln_proof_transcript_squeeze(t);
    uint64_t b = kiln_proof_transcript_squeeze(t);
    return kiln_gl2_make(a, b);
}

int kiln_proof_transcript_pow_ok(const kiln_proof_transcript *t, uint64_t nonce, unsigned bits) {
    if (bits == 0) return 1;
    if (nonce >= KILN_GL_P) return 0;
    kiln_proof_transcript c = *t;
    kiln_proof_transcript_absorb(&c, &nonce, 1);
    uint64_t v = kiln_proof_transcript_squeeze(&c);
    return bits >= 64 ? v == 0 : (v & (((uint64_t)1 << bits) - 1)) == 0;
}
