/* abi_check: exercises the guest library. Commits: selector of transfer(address,uint256) (4 bytes) | the ABI
 * encoding of transfer(0x00..00ab, 1000) (68 bytes) | a byte of decoder self-checks (1 = all passed) |
 * poseidon2_hash(1, 2, 3) (4 x u64 LE). */
#include "abi.h"
#include "hash.h"
#include "kiln_guest.h"

int main(void) {
    uint32_t sel = abi_selector("transfer(address,uint256)");
    uint8_t out[4 + 68 + 1 + 32];
    abi_put_selector(out, sel);
    uint8_t *call = out + 4;
    uint8_t to[20] = {0};
    to[19] = 0xab;
    abi_put_selector(call, sel);
    abi_encode_address(call + 4, to);
    abi_encode_u32(call + 36, 1000);

    int ok = abi_get_selector(call, 68) == sel;
    uint8_t back[20];
    uint32_t amount = 0;
    ok &= abi_decode_address(call + 4, 64, 0, back) == 0 && memcmp(back, to, 20) == 0;
    ok &= abi_decode_u32(call + 4, 64, 1, &amount) == 0 && amount == 1000;
    ok &= abi_decode_u32(call + 4, 64, 2, &amount) == -1; /* past the end */
    ok &= abi_decode_u32(call + 4, 63, 1, &amount) == -1; /* truncated */
    /* Dynamic bytes: head offset 0x20, then length 3 and "abc"; then a hostile length. */
    uint8_t dyn[96];
    abi_encode_u32(dyn, 32);
    abi_encode_bytes(dyn + 32, (const uint8_t *)"abc", 3);
    const uint8_t *bp = 0;
    size_t bl = 0;
    ok &= abi_decode_bytes(dyn, 96, 0, &bp, &bl) == 0 && bl == 3 && memcmp(bp, "abc", 3) == 0;
    abi_encode_u32(dyn + 32, 1000);
    ok &= abi_decode_bytes(dyn, 96, 0, &bp, &bl) == -1;
    abi_encode_u32(dyn, 0xffffffe0u);
    ok &= abi_decode_bytes(dyn, 96, 0, &bp, &bl) == -1;
    out[72] = (uint8_t)ok;

    const uint64_t in[3] = {1, 2, 3};
    uint64_t d[4];
    poseidon2_hash(in, 3, d);
    memcpy(out + 73, d, 32);
    kiln_commit(out, sizeof out);
    return 0;
}
