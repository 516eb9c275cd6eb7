/* secp256k1's fixed-base tables (generated into secp256k1_gtable.c by scripts/gen_secp256k1_gtable.py):
 * kiln_secp256k1_gtable[t][i] = (2i + 1) * 2^(128 t) * G in affine coordinates {x, y}. */
#ifndef KILN_PROTO_SECP256K1_GTABLE_H
#define KILN_PROTO_SECP256K1_GTABLE_H

#include "uint256.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_SECP256K1_GTABLE_W 8 /* the width of the NAF that indexes it */
#define KILN_SECP256K1_GTABLE_SIZE (1 << (KILN_SECP256K1_GTABLE_W - 2))

extern const kiln_u256 kiln_secp256k1_gtable[2][KILN_SECP256K1_GTABLE_SIZE][2];

#ifdef __cplusplus
}
#endif
#endif
