/* secp_recover: secp256k1 public-key recovery through protocol/secp256k1.c (u256 precompiles).
 * Input: records of 97 bytes: digest (32) ‖ r (32) ‖ s (32) ‖ recid (1); a trailing partial record is
 * ignored. Output: per record 21 bytes: a status byte (0: recovered, else the kiln_status of the refusal)
 * followed by the signer's 20-byte Ethereum address (20 zero bytes on refusal). */
#include "kiln_guest.h"
#include "secp256k1.h"

#define SECP_RECORD 97

int main(void) {
    size_t len;
    const uint8_t *in = kiln_input_all(&len);
    for (size_t off = 0; off + SECP_RECORD <= len; off += SECP_RECORD) {
        uint8_t pub[64], out[21];
        const uint8_t *rec = in + off;
        kiln_status st = kiln_secp256k1_recover_var(rec, rec + 32, rec + 64, rec[96], pub);
        memset(out, 0, sizeof out);
        out[0] = (uint8_t)st;
        if (st == KILN_OK) kiln_secp256k1_address(pub, out + 1);
        kiln_commit(out, sizeof out);
    }
    return 0;
}
