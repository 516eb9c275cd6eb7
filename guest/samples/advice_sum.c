/* advice_sum: the advice syscall. Input: u32 n (at most 1024), then the Poseidon2 hash (hash_var, 4 x u64 LE)
 * of n u32 words. The words themselves come from the host as advice, in chunks: a request is "W" followed by
 * the u32 index of the first word and the u32 count (at most 100), the answer the words (LE). The guest also
 * asks once for zero words and once for "T" (the answer: the low 3 bytes of the words' sum, a partial word).
 * It checks the words against the hash (and the tail against the sum) and commits the sum (u32 LE) and n.
 * Exit 0; a wrong answer panics (exit 106), a bad input 107. */
#include "hash.h"
#include "kiln_guest.h"

#define MAX_WORDS 1024u
#define CHUNK 100u

static uint32_t words[MAX_WORDS];

static void put32(uint8_t *b, uint32_t v) {
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

int main(void) {
    uint32_t n = 0;
    uint64_t want[4];
    if (kiln_input_read(&n, 4) != 4 || n > MAX_WORDS || kiln_input_read(want, 32) != 32)
        kiln_panic("bad input", 107);
    uint8_t req[9] = {'W'};
    for (uint32_t at = 0; at < n;) {
        uint32_t k = n - at < CHUNK ? n - at : CHUNK;
        put32(req + 1, at);
        put32(req + 5, k);
        kiln_advice_exact(req, sizeof req, &words[at], 4 * k);
        at += k;
    }
    put32(req + 1, n);
    put32(req + 5, 0);
    kiln_advice_exact(req, sizeof req, &words[0], 0); /* an empty answer writes nothing */
    uint64_t el[MAX_WORDS], got[4];
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        el[i] = words[i];
        sum += words[i];
    }
    poseidon2_hash(el, n, got);
    for (int i = 0; i < 4; i++)
        if (got[i] != want[i]) kiln_panic("advice does not match the input's hash", 106);
    uint32_t tail = 0xffffffffu;
    if (kiln_advice("T", 1, &tail, 4) != 3 || tail != ((sum & 0xffffffu) | 0xff000000u))
        kiln_panic("wrong tail advice", 106);
    uint8_t out[8];
    put32(out, sum);
    put32(out + 4, n);
    kiln_commit(out, 8);
    return 0;
}
