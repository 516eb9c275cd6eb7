/* Ethereum ABI helpers for guests: 32-byte words, addresses, dynamic bytes, selectors. Decoders check every
 * offset and length against the buffer (calldata is untrusted) and return -1 on malformed input. */
#ifndef KILN_GUEST_ABI_H
#define KILN_GUEST_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "u256.h"

/* First 4 bytes of keccak256(signature), e.g. "transfer(address,uint256)". */
uint32_t abi_selector(const char *signature);
void abi_put_selector(uint8_t out[4], uint32_t sel);
uint32_t abi_get_selector(const uint8_t *data, size_t len); /* 0 if len < 4 */

void abi_encode_u256(uint8_t out[32], const u256 *v);
void abi_encode_u32(uint8_t out[32], uint32_t v);
void abi_encode_address(uint8_t out[32], const uint8_t addr[20]);
/* Encodes `bytes` tail: length word, data, zero padding to 32. Returns bytes written (32 + pad32(len)). */
size_t abi_encode_bytes(uint8_t *out, const uint8_t *data, size_t len);

/* Head word i of an argument block (data, len). */
int abi_decode_u256(const uint8_t *data, size_t len, size_t i, u256 *out);
int abi_decode_u32(const uint8_t *data, size_t len, size_t i, uint32_t *out); /* -1 if it does not fit */
int abi_decode_address(const uint8_t *data, size_t len, size_t i, uint8_t out[20]);
/* Dynamic bytes whose offset is head word i: points *out into data. */
int abi_decode_bytes(const uint8_t *data, size_t len, size_t i, const uint8_t **out, size_t *out_len);

#endif
