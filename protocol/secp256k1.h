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

/* Hints for kiln_secp256k1_recover_hinted_var (DESIGN.md D13: the host supplies them through the advice
 * channel, the guest checks each with one or two modular operations instead of computing it). For every
 * (digest, r, s, recid) exactly one hint is accepted, the one kiln_secp256k1_recover_hint_var writes; every
 * field is a big-endian number, and a field the recovery does not reach is zero.
 *   y:     when c = r^3 + 7 is a square, R's y: the root of c of parity recid (< p). When it is none, the
 *          even root of -c (< p), which proves it (p = 3 mod 4: exactly one of c and -c is a square).
 *   r_inv: 1 / r mod n (< n), when R exists.
 *   z_inv: 1 / Z mod p (< p) for Q = (X, Y, Z) in Jacobian coordinates as the recovery computes it, when Q is
 *          not the point at infinity (which the recovery sees from Q itself, never from the hint).
 * A signature refused for its range (recid, r or s) takes the all-zero hint. */
typedef struct kiln_secp256k1_hint {
    uint8_t y[32];
    uint8_t r_inv[32];
    uint8_t z_inv[32];
} kiln_secp256k1_hint;

/* Host side (usable anywhere): writes the one hint that (digest, r, s, recid) accepts and returns what
 * kiln_secp256k1_recover_var returns for them (KILN_OK, or its refusal: KILN_ERR_INVALID_ARG or
 * KILN_ERR_VERIFY). Costs about what kiln_secp256k1_recover_var does (plus a second square root when r is no
 * x-coordinate). */
kiln_status kiln_secp256k1_recover_hint_var(const uint8_t digest[32], const uint8_t r[32],
                                            const uint8_t s[32], int recid, kiln_secp256k1_hint *hint);

/* The guest's recovery: kiln_secp256k1_recover_var with the square root and both inversions replaced by the
 * checks of hint (about 830 fewer modular operations). With the hint that kiln_secp256k1_recover_hint_var
 * writes it returns exactly what kiln_secp256k1_recover_var returns (KILN_OK with the same key, or the same
 * refusal, KILN_ERR_INVALID_ARG or KILN_ERR_VERIFY, each proven by the hint and the computation). With any
 * other hint it returns KILN_ERR_INTERNAL, and never another key or another verdict: KILN_ERR_INTERNAL says
 * nothing about the signature, only that the hint's supplier lied or erred, so a bootloader must fail the
 * batch on it (as on any bad advice) rather than reject the transaction. pubkey is written on KILN_OK. */
kiln_status kiln_secp256k1_recover_hinted_var(const uint8_t digest[32], const uint8_t r[32],
                                              const uint8_t s[32], int recid, const kiln_secp256k1_hint *hint,
                                              uint8_t pubkey[64]);

/* The Ethereum address of a public key: the last 20 bytes of keccak256(x ‖ y). */
void kiln_secp256k1_address(const uint8_t pubkey[64], uint8_t addr[20]);

/* 1 when s <= n / 2 (EIP-2's low-s rule). */
int kiln_secp256k1_s_is_low(const uint8_t s[32]);

#ifdef __cplusplus
}
#endif
#endif
