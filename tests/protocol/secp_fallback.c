/* Test-only stand-in for protocol/secp256k1.c (protocol/secp256k1.h over libsecp256k1), linked into the tx
 * tests only while the protocol/ implementation is absent from the tree (tests/protocol/CMakeLists.txt). */
#include <string.h>

/* secp256k1_recovery.h brings libsecp256k1's own secp256k1.h (a quoted include from its folder); the quoted
 * "secp256k1.h" below is protocol/'s. */
#include <secp256k1_recovery.h>

#include "keccak/keccak.h"
#include "secp256k1.h"

kiln_status kiln_secp256k1_recover_var(const uint8_t digest[32], const uint8_t r[32], const uint8_t s[32],
                                       int recid, uint8_t pubkey[64]) {
    static secp256k1_context *ctx;
    if (!ctx) ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    uint8_t rs[64], out[65];
    size_t outlen = sizeof out;
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pk;
    if (recid != 0 && recid != 1) return KILN_ERR_INVALID_ARG;
    memcpy(rs, r, 32);
    memcpy(rs + 32, s, 32);
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, rs, recid)) return KILN_ERR_VERIFY;
    if (!secp256k1_ecdsa_recover(ctx, &pk, &sig, digest)) return KILN_ERR_VERIFY;
    secp256k1_ec_pubkey_serialize(ctx, out, &outlen, &pk, SECP256K1_EC_UNCOMPRESSED);
    memcpy(pubkey, out + 1, 64);
    return KILN_OK;
}

void kiln_secp256k1_address(const uint8_t pubkey[64], uint8_t addr[20]) {
    uint8_t h[32];
    kiln_keccak256(pubkey, 64, h);
    memcpy(addr, h + 12, 20);
}

int kiln_secp256k1_s_is_low(const uint8_t s[32]) {
    static const uint8_t half_n[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                                       0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};
    return memcmp(s, half_n, 32) <= 0;
}
