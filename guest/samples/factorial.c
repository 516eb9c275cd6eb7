/* factorial: n! as a u256 (n from the input as a little-endian u32, default 57; 57! is the largest that
 * fits), committed as 32 big-endian bytes; also prints it in decimal. Panics (exit 101) on overflow. */
#include "kiln_guest.h"
#include "u256.h"

int main(void) {
    uint32_t n = 57;
    if (kiln_input_len() >= 4) {
        uint8_t b[4];
        kiln_input_read(b, 4);
        n = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    }
    u256 acc = u256_from_u32(1);
    for (uint32_t i = 2; i <= n; i++)
        if (u256_mul_u32(&acc, &acc, i) != 0) kiln_panic("factorial overflows 256 bits", 101);
    uint8_t be[32];
    u256_to_be(be, &acc);
    kiln_commit(be, 32);
    /* Decimal, for people. */
    char dec[80];
    int k = 80;
    u256 t = acc;
    do {
        dec[--k] = (char)('0' + u256_divmod_u32(&t, &t, 10));
    } while (!u256_is_zero(&t));
    kiln_debug(dec + k, (size_t)(80 - k));
    kiln_print("\n");
    return 0;
}
