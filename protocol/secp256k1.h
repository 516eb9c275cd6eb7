/* secp256k1 public-key recovery (ECDSA as Ethereum uses it), in plain C over protocol/uint256.h's modular
 * operations: the bootloader recovers every L2 transaction's sender inside the guest (through the u256
 * precompiles), and the host runs the same code. Variable-time: it handles public data only. */
#ifndef KILN_PROTO_SECP256K1_H
#define KILN_PROTO_SECP256K1_H

#include "proto_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Recovers the public key (64 bytes: x ‖ y, big-endian) that signed the 32-byte digest with (r, s, recid).
 * recid is 0 or 1 (the parity of R's y; 2 and 3, for r >= n, are refused). r and s must be in [1, n - 1];
 * high s is accepted here (transaction rules refuse it, ecrecover does not). KILN_ERR_VERIFY when no key
 * exists (r is no curve x-coordinate, or the result is the point at infinity). */
kiln_status kiln_secp256k1_recover_var(const uint8_t digest[32], const uint8_t r[32], const uint8_t s[32], int recid,
                                       uint8_t pubkey[64]);

/* One signature for kiln_secp256k1_recover_batch_var. */
typedef struct kiln_secp256k1_sig {
    uint8_t digest[32], r[32], s[32];
    int recid;
} kiln_secp256k1_sig;

/* kiln_secp256k1_recover_var for n signatures: status[i] as that function returns it, pubkey[i] written when
 * it is KILN_OK. The signatures of each group of up to KILN_SECP256K1_BATCH share one scalar and one field
 * inversion (Montgomery's trick): about 560 fewer modular operations per further signature. */
#define KILN_SECP256K1_BATCH 16
void kiln_secp256k1_recover_batch_var(const kiln_secp256k1_sig *sigs, size_t n, uint8_t (*pubkey)[64],
                                      kiln_status *status);

/* The Ethereum address of a public key: the last 20 bytes of keccak256(x ‖ y). */
void kiln_secp256k1_address(const uint8_t pubkey[64], uint8_t addr[20]);

/* 1 when s <= n / 2 (EIP-2's low-s rule). */
int kiln_secp256k1_s_is_low(const uint8_t s[32]);

#ifdef __cplusplus
}
#endif
#endif
