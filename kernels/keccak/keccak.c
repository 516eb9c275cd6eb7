/* STUB: to be replaced by the Keccak implementation. */
#include "keccak.h"
void kiln_keccak_f1600(uint64_t state[25]) { (void)state; }
void kiln_keccak256_init(kiln_keccak256_ctx *ctx) { (void)ctx; }
void kiln_keccak256_update(kiln_keccak256_ctx *ctx, const void *data, size_t len) { (void)ctx; (void)data; (void)len; }
void kiln_keccak256_final(kiln_keccak256_ctx *ctx, uint8_t out[32]) { (void)ctx; (void)out; }
void kiln_keccak256(const void *data, size_t len, uint8_t out[32]) { (void)data; (void)len; (void)out; }
