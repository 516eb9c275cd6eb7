/* The system contracts a call can reach, natively (DESIGN.md D6): L2BaseToken's withdraw (burn and a message
 * to L1 for the bridge to finalize) and L1Messenger's sendToL1. Any other kernel-space address (below 2^16)
 * has no code: a call to it reverts, as in the ZK Stack. */
#include "bootloader.h"
#include "l2l1_log.h"

#define SEL_WITHDRAW 0x51cff8d9u  /* withdraw(address) */
#define SEL_SEND_TO_L1 0x62f84b24u /* sendToL1(bytes) */

static int is_kernel_space(const uint8_t a[20]) {
    for (int i = 0; i < 18; i++)
        if (a[i]) return 0;
    return 1;
}

/* A 32-byte ABI word holding a u32 (the high 28 bytes zero). */
static int abi_u32(const uint8_t *w, uint32_t *v) {
    for (int i = 0; i < 28; i++)
        if (w[i]) return 0;
    *v = kiln_be32(w + 28);
    return 1;
}

static int withdraw(const uint8_t from[20], const kiln_u256 *value, const uint8_t *data, uint32_t len,
                    uint64_t *pubdata) {
    if (len != 36) return 0;
    for (int i = 4; i < 16; i++)
        if (data[i]) return 0; /* the address word's padding */
    if (!bl_sub_balance(from, value)) return 0;
    uint8_t msg[KILN_BASE_TOKEN_WITHDRAWAL_MESSAGE_SIZE], amount[32];
    kiln_u256_to_be(amount, value);
    kiln_base_token_withdrawal_message(msg, data + 16, amount);
    bl_emit_message(BL_BASE_TOKEN, msg, sizeof msg);
    *pubdata += KILN_L2L1_LOG_SIZE + 4 + sizeof msg;
    return 1;
}

static int send_to_l1(const uint8_t from[20], const kiln_u256 *value, const uint8_t *data, uint32_t len,
                      uint64_t *pubdata) {
    uint32_t off, n;
    if (!kiln_u256_is_zero(value) || len < 4 + 64 || !abi_u32(data + 4, &off) || off != 32 ||
        !abi_u32(data + 36, &n) || n > len - 68 || n > (64u << 10))
        return 0;
    bl_emit_message(from, data + 68, n);
    *pubdata += KILN_L2L1_LOG_SIZE + 4 + n;
    return 1;
}

int bl_system_call(const uint8_t from[20], const uint8_t to[20], const kiln_u256 *value, const uint8_t *data,
                   uint32_t len, int *ok, uint64_t *extra_pubdata) {
    if (!is_kernel_space(to)) return 0;
    uint32_t sel = len >= 4 ? kiln_be32(data) : 0;
    if (!memcmp(to, BL_BASE_TOKEN, 20) && sel == SEL_WITHDRAW)
        *ok = withdraw(from, value, data, len, extra_pubdata);
    else if (!memcmp(to, BL_L1_MESSENGER, 20) && sel == SEL_SEND_TO_L1)
        *ok = send_to_l1(from, value, data, len, extra_pubdata);
    else
        *ok = 0;
    return 1;
}
