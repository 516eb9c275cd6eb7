/* bench_keccak: Keccak-f[1600] in software, repeated; rounds from the input (u32 LE). */
#include "hash.h"
#include "kiln_guest.h"

int main(void) {
    uint32_t n = 1000;
    if (kiln_input_len() >= 4) kiln_input_read(&n, 4);
    uint64_t st[25] = {0};
    for (uint32_t r = 0; r < n; r++)
        keccak_f1600_sw(st);
    kiln_commit(st, 32);
    return 0;
}
