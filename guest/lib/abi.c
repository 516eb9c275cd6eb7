#include "abi.h"

#include "hash.h"
#include "kiln_guest.h"

uint32_t abi_selector(const char *signature) {
    uint8_t h[32];
    keccak256(signature, strlen(signature), h);
    return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

void abi_put_selector(uint8_t out[4], uint32_t sel) {
    for (int i = 0; i < 4; i++)
        out[i] = (uint8_t)(sel >> (24 - 8 * i));
}

uint32_t abi_get_selector(const uint8_t *data, size_t len) {
    if (len < 4) return 0;
    return (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
}

void abi_encode_u256(uint8_t out[32], const u256 *v) {
    u256_to_be(out, v);
}

void abi_encode_u32(uint8_t out[32], uint32_t v) {
    u256 t = u256_from_u32(v);
    u256_to_be(out, &t);
}

void abi_encode_address(uint8_t out[32], const uint8_t addr[20]) {
    memset(out, 0, 12);
    memcpy(out + 12, addr, 20);
}

size_t abi_encode_bytes(uint8_t *out, const uint8_t *data, size_t len) {
    size_t padded = (len + 31) / 32 * 32;
    abi_encode_u32(out, (uint32_t)len);
    memcpy(out + 32, data, len);
    memset(out + 32 + len, 0, padded - len);
    return 32 + padded;
}

static const uint8_t *word(const uint8_t *data, size_t len, size_t i) {
    if (i > len / 32 || (i + 1) * 32 > len) return 0;
    return data + 32 * i;
}

int abi_decode_u256(const uint8_t *data, size_t len, size_t i, u256 *out) {
    const uint8_t *w = word(data, len, i);
    if (!w) return -1;
    u256_from_be(out, w);
    return 0;
}

int abi_decode_u32(const uint8_t *data, size_t len, size_t i, uint32_t *out) {
    u256 v;
    if (abi_decode_u256(data, len, i, &v) != 0) return -1;
    for (int k = 1; k < 8; k++)
        if (v.w[k]) return -1;
    *out = v.w[0];
    return 0;
}

int abi_decode_address(const uint8_t *data, size_t len, size_t i, uint8_t out[20]) {
    const uint8_t *w = word(data, len, i);
    if (!w) return -1;
    for (int k = 0; k < 12; k++)
        if (w[k]) return -1;
    memcpy(out, w + 12, 20);
    return 0;
}

int abi_decode_bytes(const uint8_t *data, size_t len, size_t i, const uint8_t **out, size_t *out_len) {
    uint32_t off, n;
    if (abi_decode_u32(data, len, i, &off) != 0 || off % 32 || off > len || len - off < 32) return -1;
    if (abi_decode_u32(data + off, len - off, 0, &n) != 0 || n > len - off - 32) return -1;
    *out = data + off + 32;
    *out_len = n;
    return 0;
}
