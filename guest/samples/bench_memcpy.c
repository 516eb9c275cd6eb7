/* bench_memcpy: copies a 64 KiB buffer back and forth; rounds from the input (u32 LE). */
#include "kiln_guest.h"

int main(void) {
    uint32_t n = 64;
    if (kiln_input_len() >= 4) kiln_input_read(&n, 4);
    uint8_t *a = (uint8_t *)malloc(65536), *b = (uint8_t *)malloc(65536);
    for (uint32_t i = 0; i < 65536; i++)
        a[i] = (uint8_t)i;
    for (uint32_t r = 0; r < n; r++) {
        memcpy(b, a, 65536);
        b[r & 0xffff] ^= 1;
        memcpy(a, b, 65536);
    }
    kiln_commit(a, 32);
    return 0;
}
