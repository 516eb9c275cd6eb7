/* bench_mulmod: u256 modular multiplication in software (secp256k1's p); rounds from the input (u32 LE).
 * With a second input word != 0 it uses the precompile instead. */
#include "kiln_guest.h"
#include "u256.h"

int main(void) {
    uint32_t n = 1000, pre = 0;
    if (kiln_input_len() >= 4) kiln_input_read(&n, 4);
    if (kiln_input_len() >= 4) kiln_input_read(&pre, 4);
    u256 p = {{0xfffffc2fu, 0xfffffffeu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
               0xffffffffu}};
    u256 x = u256_from_u32(7), y = u256_from_u32(0x12345678);
    for (uint32_t r = 0; r < n; r++) {
        if (pre)
            u256_mulmod(&x, &x, &y, &p);
        else
            u256_mulmod_sw(&x, &x, &y, &p);
    }
    uint8_t be[32];
    u256_to_be(be, &x);
    kiln_commit(be, 32);
    return 0;
}
