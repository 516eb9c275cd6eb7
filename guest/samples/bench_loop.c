/* bench_loop: an arithmetic loop (add, xor, shifts, mul, branches); iterations from the input (u32 LE). */
#include "kiln_guest.h"

int main(void) {
    uint32_t n = 1000000;
    if (kiln_input_len() >= 4) kiln_input_read(&n, 4);
    uint32_t a = 1, b = 0x9e3779b9u, c = 0;
    for (uint32_t i = 0; i < n; i++) {
        a = a * 1664525u + 1013904223u;
        b ^= a >> 7;
        c += (b << 3) ^ i;
        __asm__ volatile("" : "+r"(c)); /* keep the loop */
    }
    kiln_commit(&c, 4);
    return 0;
}
