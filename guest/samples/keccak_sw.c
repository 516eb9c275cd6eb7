/* keccak_sw: Keccak-256 of the input with the permutation in software (no precompile): cross-checks the
 * interpreter on a 64-bit-heavy workload. */
#include "hash.h"
#include "kiln_guest.h"

int main(void) {
    size_t len;
    uint8_t *in = kiln_input_all(&len);
    uint64_t st[25] = {0};
    size_t pos = 0;
    for (;;) {
        size_t take = len - pos >= 136 ? 136 : len - pos;
        for (size_t i = 0; i < take; i++)
            st[i / 8] ^= (uint64_t)in[pos + i] << (8 * (i % 8));
        pos += take;
        if (take < 136) {
            st[take / 8] ^= (uint64_t)0x01 << (8 * (take % 8));
            st[135 / 8] ^= (uint64_t)0x80 << (8 * (135 % 8));
            keccak_f1600_sw(st);
            break;
        }
        keccak_f1600_sw(st);
    }
    uint8_t h[32];
    for (int i = 0; i < 32; i++)
        h[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
    kiln_commit(h, 32);
    return 0;
}
