/* secp_recover_hinted: secp256k1 public-key recovery with the host's hints
 * (kiln_secp256k1_recover_hinted_var), one record at a time. The hints come with the input here (a bootloader
 * would take them as advice). Input: records of 193 bytes: digest (32) ‖ r (32) ‖ s (32) ‖ recid (1) ‖ hint
 * (96: y ‖ r_inv ‖ z_inv, as kiln_secp256k1_hint lays them out); a trailing partial record is ignored.
 * Output: per record 21 bytes as secp_recover writes them: a status byte (0: recovered, else the kiln_status,
 * KILN_ERR_INTERNAL for a hint that does not check) and the signer's 20-byte Ethereum address (zero unless
 * recovered). */
#include "kiln_guest.h"
#include "secp256k1.h"

#define SECP_HINTED_RECORD (97 + 96)

int main(void) {
    size_t len;
    const uint8_t *in = kiln_input_all(&len);
    size_t count = len / SECP_HINTED_RECORD;
    for (size_t i = 0; i < count; i++) {
        const uint8_t *rec = in + i * SECP_HINTED_RECORD;
        kiln_secp256k1_hint hint;
        uint8_t pub[64], out[21];
        memcpy(&hint, rec + 97, sizeof hint);
        kiln_status st = kiln_secp256k1_recover_hinted_var(rec, rec + 32, rec + 64, rec[96], &hint, pub);
        memset(out, 0, sizeof out);
        out[0] = (uint8_t)st;
        if (st == KILN_OK) kiln_secp256k1_address(pub, out + 1);
        kiln_commit(out, sizeof out);
    }
    return 0;
}
