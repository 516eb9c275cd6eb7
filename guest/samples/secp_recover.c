/* secp_recover: secp256k1 public-key recovery through protocol/secp256k1.c (u256 precompiles), in batches of
 * KILN_SECP256K1_BATCH records (kiln_secp256k1_recover_batch_var).
 * Input: records of 97 bytes: digest (32) ‖ r (32) ‖ s (32) ‖ recid (1); a trailing partial record is
 * ignored. Output: per record 21 bytes: a status byte (0: recovered, else the kiln_status of the refusal)
 * followed by the signer's 20-byte Ethereum address (20 zero bytes on refusal). */
#include "kiln_guest.h"
#include "secp256k1.h"

#define SECP_RECORD 97

int main(void) {
    size_t len;
    const uint8_t *in = kiln_input_all(&len);
    size_t count = len / SECP_RECORD;
    for (size_t first = 0; first < count; first += KILN_SECP256K1_BATCH) {
        kiln_secp256k1_sig sigs[KILN_SECP256K1_BATCH];
        uint8_t pub[KILN_SECP256K1_BATCH][64];
        kiln_status st[KILN_SECP256K1_BATCH];
        size_t n = count - first < KILN_SECP256K1_BATCH ? count - first : KILN_SECP256K1_BATCH;
        for (size_t i = 0; i < n; i++) {
            const uint8_t *rec = in + (first + i) * SECP_RECORD;
            memcpy(sigs[i].digest, rec, 32);
            memcpy(sigs[i].r, rec + 32, 32);
            memcpy(sigs[i].s, rec + 64, 32);
            sigs[i].recid = rec[96];
        }
        kiln_secp256k1_recover_batch_var(sigs, n, pub, st);
        for (size_t i = 0; i < n; i++) {
            uint8_t out[21];
            memset(out, 0, sizeof out);
            out[0] = (uint8_t)st[i];
            if (st[i] == KILN_OK) kiln_secp256k1_address(pub[i], out + 1);
            kiln_commit(out, sizeof out);
        }
    }
    return 0;
}
