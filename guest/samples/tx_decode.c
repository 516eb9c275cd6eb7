/* tx_decode: L2 transaction decoding and sender recovery through protocol/tx.c, as the bootloader runs them.
 * Input: records u32 big-endian length ‖ raw transaction; a trailing partial record is ignored. Output: per
 * record 86 bytes: decode status, sender status (0xff when decoding failed), sender (20), tx hash (32),
 * signing hash (32); zeros where a step did not run or failed. */
#include "kiln_guest.h"
#include "tx.h"

int main(void) {
    size_t len;
    const uint8_t *in = kiln_input_all(&len);
    size_t off = 0;
    while (off + 4 <= len) {
        uint32_t n = kiln_be32(in + off);
        off += 4;
        if (n > len - off) break;
        uint8_t out[86];
        kiln_tx tx;
        char err[64];
        memset(out, 0, sizeof out);
        kiln_status st = kiln_tx_decode(in + off, n, &tx, err, sizeof err);
        out[0] = (uint8_t)st;
        out[1] = 0xff;
        if (st == KILN_OK) {
            out[1] = (uint8_t)kiln_tx_sender(&tx, out + 2, err, sizeof err);
            memcpy(out + 22, tx.hash, 32);
            memcpy(out + 54, tx.signing_hash, 32);
        }
        kiln_commit(out, sizeof out);
        off += n;
    }
    return 0;
}
