/* ping and pong (pong.c is this file built with -DPONG) far-call each other. Calldata: u32 n (LE). Each
 * frame adds 1 to the other's answer until n reaches 0, records n in storage slot 0 and commits the count.
 * n == 0xdead makes pong write storage, emit an event and then revert (exit 1). */
#include "kiln_guest.h"

#ifdef PONG
static const uint8_t OTHER[20] = {[19] = 0x01}; /* ping's address */
#else
static const uint8_t OTHER[20] = {[19] = 0x02}; /* pong's address */
#endif

static uint32_t get_u32(const uint8_t *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static void put_u32(uint8_t *b, uint32_t v) {
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

int main(void) {
    uint8_t in[4] = {0};
    if (kiln_input_read(in, 4) != 4) kiln_panic("calldata must be a u32", 2);
    uint32_t n = get_u32(in);
    uint8_t key[32] = {0}, val[32] = {0};
    put_u32(val, n);
#ifdef PONG
    if (n == 0xdead) {
        kiln_storage_write(key, val);
        uint8_t topic[1][32] = {{0xee}};
        kiln_event(topic, 1, "bye", 3);
        kiln_commit("reverted", 8);
        return 1;
    }
#endif
    kiln_storage_write(key, val);
    uint32_t count = 0;
    if (n > 0 && n != 0xdead) {
        uint8_t cd[4], ret[4];
        put_u32(cd, n - 1);
        size_t rl = 0;
        uint32_t st = kiln_far_call(OTHER, cd, 4, ret, 4, &rl, 0);
        if (st != KILN_CALL_OK || rl != 4) kiln_panic("far call failed", 3);
        count = get_u32(ret) + 1;
    }
#ifndef PONG
    if (n == 0xdead) {
        /* Call pong with the revert request: its storage write and event must vanish. */
        uint8_t ret[16];
        size_t rl = 0;
        uint32_t st = kiln_far_call(OTHER, in, 4, ret, sizeof ret, &rl, 0);
        uint8_t out[8];
        put_u32(out, st);
        put_u32(out + 4, (uint32_t)rl);
        kiln_commit(out, 8);
        return 0;
    }
#endif
    uint8_t out[4];
    put_u32(out, count);
    kiln_commit(out, 4);
    uint8_t self[20];
    kiln_context(self, 0);
    kiln_l2l1_message(self, 20);
    return 0;
}
