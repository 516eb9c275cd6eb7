/* ZK Stack fee formulas in exact integer arithmetic (DESIGN D8; reference/zkstack-protocol.md §7): the
 * bootloader's base fee and gas per pubdata, the server's V2 fee model, the L1 Mailbox's l2GasPrice for
 * L1→L2 transactions, and the per-transaction batch overhead.
 *
 * Fractions. The node's config holds f64 factors (compute/pubdata overhead parts, L1 price scale factors);
 * here each is an integer in parts per million (1.0 = 1 000 000, 0.5 = 500 000, 1.5 = 1 500 000) and every
 * product is floor(x × ppm / 10^6) computed exactly in 256 bits. This equals the node's `(x as f64 * f) as
 * u64` whenever x × f is exactly representable (all published vectors); for huge x the f64 form may round.
 * Where the node would panic on u64 overflow (as_u64, +) the result saturates at 2^64 − 1. The base-token
 * conversion is floor(price × num / den), saturating, applied to l1_gas_price, l1_pubdata_price and
 * minimal_l2_gas_price. */
#ifndef KILN_PROTO_FEE_H
#define KILN_PROTO_FEE_H

#include "proto_base.h"
#include "uint256.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_FEE_PPM 1000000u
#define KILN_MAX_L2_GAS_PER_PUBDATA 50000u             /* bootloader's MAX_GAS_PER_PUBDATA_BYTE */
#define KILN_FEE_MAX_L2_GAS_PRICE 10000000000000ull    /* 10^13 wei: the server's clip */
#define KILN_FEE_MAX_PUBDATA_PRICE 1000000000000000ull /* 10^15 wei: the server's clip */
#define KILN_TX_SLOT_OVERHEAD_GAS 10000u
#define KILN_MEMORY_OVERHEAD_GAS 10u
#define KILN_REQUIRED_L1_TO_L2_GAS_PER_PUBDATA 800u
#define KILN_L1_GAS_PER_PUBDATA_BYTE 17u

/* base_fee = max(fair_l2, ceil(fair_pubdata / 50000)); gas_per_pubdata = ceil(fair_pubdata / base_fee), 0
 * when fair_pubdata is 0 (then base_fee = fair_l2, and both are 0 when both prices are 0). */
void kiln_fee_bootloader_params(uint64_t fair_l2_gas_price, uint64_t fair_pubdata_price, uint64_t *base_fee,
                                uint64_t *gas_per_pubdata);

typedef struct kiln_fee_model_config_v2 {
    uint64_t minimal_l2_gas_price;
    uint64_t compute_overhead_part_ppm;
    uint64_t pubdata_overhead_part_ppm;
    uint64_t batch_overhead_l1_gas;
    uint64_t max_gas_per_batch;     /* > 0 */
    uint64_t max_pubdata_per_batch; /* > 0 */
} kiln_fee_model_config_v2;

typedef struct kiln_fee_model_prices {
    uint64_t l1_gas_price;               /* wei */
    uint64_t l1_pubdata_price;           /* wei per byte */
    uint64_t l1_gas_price_scale_ppm;     /* 1 000 000 = ×1 */
    uint64_t l1_pubdata_price_scale_ppm; /* 1 000 000 = ×1 */
    uint64_t base_token_ratio_num;       /* base-token units per wei = num / den; 1/1 for ETH */
    uint64_t base_token_ratio_den;
} kiln_fee_model_prices;

typedef struct kiln_batch_fee_input {
    uint64_t l1_gas_price; /* converted and scaled */
    uint64_t fair_l2_gas_price;
    uint64_t fair_pubdata_price;
} kiln_batch_fee_input;

/* V2: overhead = l1_gas × batch_overhead_l1_gas;
 *   fair_l2      = minimal_l2 + floor(ceil(overhead / max_gas_per_batch) × compute_part)
 *   fair_pubdata = l1_pubdata + floor(ceil(overhead / max_pubdata_per_batch) × pubdata_part)
 * with the prices converted to the base token and scaled first; clip != 0 applies min(…, 10^13) and
 * min(…, 10^15). KILN_ERR_INVALID_ARG on a zero divisor. */
kiln_status kiln_fee_model_v2(kiln_batch_fee_input *out, const kiln_fee_model_config_v2 *cfg,
                              const kiln_fee_model_prices *prices, int clip, char *err, size_t errlen);

/* The L1 Mailbox's FeeParams (pre-Gateway). */
typedef struct kiln_l1_fee_params {
    int validium; /* PubdataPricingMode: 0 rollup, 1 validium */
    uint32_t batch_overhead_l1_gas;
    uint32_t max_pubdata_per_batch;
    uint32_t max_l2_gas_per_batch;
    uint32_t priority_tx_max_pubdata;
    uint64_t minimal_l2_gas_price;
} kiln_l1_fee_params;

/* Mailbox._deriveL2GasPrice: conv = tx_gas_price × num / den; pubdata = rollup ? 17 × conv : 0;
 * overhead = batch_overhead_l1_gas × conv; full = pubdata + overhead / max_pubdata_per_batch;
 * l2GasPrice = max(minimal + overhead / max_l2_gas_per_batch, ceil(full / gas_per_pubdata)).
 * KILN_ERR_INVALID_ARG on a zero divisor. */
kiln_status kiln_l1_to_l2_gas_price(kiln_u256 *out, const kiln_l1_fee_params *p,
                                    const kiln_u256 *tx_gas_price, uint64_t gas_per_pubdata,
                                    uint64_t base_token_num, uint64_t base_token_den, char *err,
                                    size_t errlen);
/* l2TransactionBaseCost = l2_gas_price × l2_gas_limit; KILN_ERR_LIMIT if it exceeds 2^256 − 1. */
kiln_status kiln_l1_to_l2_base_cost(kiln_u256 *out, const kiln_u256 *l2_gas_price, uint64_t l2_gas_limit,
                                    char *err, size_t errlen);

/* The batch overhead a transaction may be charged: max(10000, 10 × encoded_len), saturating. */
uint64_t kiln_fee_tx_overhead(uint64_t encoded_len);

/* L1→L2 (priority) transaction limits as L1's TransactionValidator checks them (v23; §5.1, §7.4):
 *   body_gas = gas_limit − kiln_fee_tx_overhead(encoding_len)                       (must not underflow)
 *   minimal  = max(167157 + ceil(encoding_len · 1656 / 544) + n_deps · 2473, 173484)
 *              + gas_per_pubdata · (88 + n_deps · 64)
 *   require body_gas ≤ max_gas_limit, body_gas / gas_per_pubdata ≤ max_pubdata, minimal ≤ body_gas.
 * encoding_len is the length of abi.encode(L2CanonicalTransaction). */
#define KILN_L1_TX_INTRINSIC_L2_GAS 167157u
#define KILN_L1_TX_INTRINSIC_PUBDATA 88u
#define KILN_L1_TX_MIN_L2_GAS_BASE 173484u
#define KILN_L1_TX_DELTA_544_ENCODING_BYTES 1656u
#define KILN_L1_TX_DELTA_FACTORY_DEPS_L2_GAS 2473u
#define KILN_L1_TX_DELTA_FACTORY_DEPS_PUBDATA 64u
#define KILN_PRIORITY_TX_MAX_GAS_LIMIT 72000000u
#define KILN_PRIORITY_TX_MAX_PUBDATA 99000u
uint64_t kiln_l1_tx_minimal_gas(uint64_t encoding_len, uint64_t n_factory_deps, uint64_t gas_per_pubdata);
/* KILN_ERR_VERIFY (with the reason) when a limit fails; *body_gas (may be NULL) gets the body gas. Inputs
 * beyond 2^40 are refused as KILN_ERR_INVALID_ARG (L1 cannot carry them). */
kiln_status kiln_l1_tx_check_gas(uint64_t *body_gas, uint64_t gas_limit, uint64_t encoding_len,
                                 uint64_t n_factory_deps, uint64_t gas_per_pubdata, uint64_t max_gas_limit,
                                 uint64_t max_pubdata, char *err, size_t errlen);


#ifdef __cplusplus
}
#endif
#endif
