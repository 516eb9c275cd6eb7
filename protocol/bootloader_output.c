#include "bootloader_output.h"

static void word_u64(uint8_t w[32], uint64_t v) {
    memset(w, 0, 32);
    kiln_put_be64(w + 24, v);
}

static int word_to_u64(const uint8_t w[32], uint64_t *v) {
    for (int i = 0; i < 24; i++)
        if (w[i]) return 0;
    *v = kiln_be64(w + 24);
    return 1;
}

void kiln_bootloader_output_encode(const kiln_bootloader_output *o, uint8_t out[KILN_BOOTLOADER_OUTPUT_LEN]) {
    kiln_stored_batch_info_encode(out, &o->stored);
    memcpy(out + 256, o->prev_stored_hash, 32);
    memcpy(out + 288, o->pubdata_hash, 32);
    word_u64(out + 320, o->chain_id);
    word_u64(out + 352, o->last_block_number);
    memcpy(out + 384, o->last_block_hash, 32);
}

kiln_status kiln_bootloader_output_decode(const uint8_t *in, size_t len, kiln_bootloader_output *o) {
    if (len != KILN_BOOTLOADER_OUTPUT_LEN || kiln_stored_batch_info_decode(&o->stored, in) != KILN_OK ||
        !word_to_u64(in + 320, &o->chain_id) || !word_to_u64(in + 352, &o->last_block_number))
        return KILN_ERR_PARSE;
    memcpy(o->prev_stored_hash, in + 256, 32);
    memcpy(o->pubdata_hash, in + 288, 32);
    memcpy(o->last_block_hash, in + 384, 32);
    return KILN_OK;
}
