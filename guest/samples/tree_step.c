/* tree_step: runs protocol/'s state-tree step in the VM (tests and cycle counts). Input: a mode byte (0: run
 * the steps; 1: only walk the input and commit zero records, the baseline that cycle counts subtract), the
 * commitment (root 32 bytes, next_free u64 big-endian), then steps of key[32] initial[32] final[32] proof_len
 * (u32 big-endian) proof. Output: the final commitment (40 bytes) and, per step, its enumeration index (u64
 * big-endian) and inserted flag (1 byte). Exit 0, or 2 for malformed input, or 10 + the kiln_status of the
 * first step that failed. Each proof is copied to a 16-aligned buffer first (in both modes, so the copy
 * cancels in cycle counts), as the bootloader's advice buffer is: the step reads siblings as aligned words. */
#include "kiln_guest.h"
#include "state_tree.h"

int main(void) {
    size_t n;
    uint8_t *in = kiln_input_all(&n);
    kiln_tree_commitment c;
    if (n < 41) return 2;
    int baseline = in[0] == 1;
    memcpy(c.root, in + 1, 32);
    c.next_free = kiln_be64(in + 33);
    uint8_t rec[9];
    size_t pos = 41;
    uint8_t out[40];
    uint8_t *proof = (uint8_t *)malloc(KILN_TREE_PROOF_MAX);
    while (pos < n) {
        if (n - pos < 100) return 2;
        const uint8_t *key = in + pos, *init = in + pos + 32, *fin = in + pos + 64;
        uint32_t len = kiln_be32(in + pos + 96);
        pos += 100;
        if (n - pos < len || len > KILN_TREE_PROOF_MAX) return 2;
        memcpy(proof, in + pos, len);
        uint64_t idx = 0;
        int ins = 0;
        kiln_status st =
            baseline ? KILN_OK : kiln_tree_step(&c, key, init, fin, proof, len, &idx, &ins, 0, 0);
        if (st != KILN_OK) return 10 + (int)st;
        pos += len;
        kiln_put_be64(rec, idx);
        rec[8] = (uint8_t)ins;
        kiln_commit(rec, 9);
    }
    memcpy(out, c.root, 32);
    kiln_put_be64(out + 32, c.next_free);
    kiln_commit(out, 40);
    return 0;
}
