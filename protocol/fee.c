#include "fee.h"

static uint64_t ceil_div64(uint64_t a, uint64_t d) {
    return a / d + (a % d != 0);
}

void kiln_fee_bootloader_params(uint64_t fair_l2_gas_price, uint64_t fair_pubdata_price, uint64_t *base_fee,
                                uint64_t *gas_per_pubdata) {
    uint64_t min_for_pubdata = ceil_div64(fair_pubdata_price, KILN_MAX_L2_GAS_PER_PUBDATA);
    uint64_t bf = fair_l2_gas_price > min_for_pubdata ? fair_l2_gas_price : min_for_pubdata;
    *base_fee = bf;
    *gas_per_pubdata = (fair_pubdata_price == 0 || bf == 0) ? 0 : ceil_div64(fair_pubdata_price, bf);
}


/* floor(x × num / den), saturating at 2^64 − 1. */
static uint64_t mul_div_sat(uint64_t x, uint64_t num, uint64_t den) {
    kiln_u256 t;
    kiln_u256_from_u64(&t, x);
    kiln_u256_mul_u64(&t, &t, num);
    kiln_u256_divmod_u64(&t, NULL, &t, den);
    return kiln_u256_to_u64_saturating(&t);
}

static uint64_t add_sat(uint64_t a, uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

kiln_status kiln_fee_model_v2(kiln_batch_fee_input *out, const kiln_fee_model_config_v2 *cfg,
                              const kiln_fee_model_prices *prices, int clip, char *err, size_t errlen) {
    if (!cfg->max_gas_per_batch || !cfg->max_pubdata_per_batch || !prices->base_token_ratio_den)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "fee model: zero divisor in the config");
    uint64_t num = prices->base_token_ratio_num, den = prices->base_token_ratio_den;
    uint64_t min_l2 = mul_div_sat(cfg->minimal_l2_gas_price, num, den);
    uint64_t l1_gas = mul_div_sat(prices->l1_gas_price, num, den);
    uint64_t l1_pub = mul_div_sat(prices->l1_pubdata_price, num, den);
    l1_gas = mul_div_sat(l1_gas, prices->l1_gas_price_scale_ppm, KILN_FEE_PPM);
    l1_pub = mul_div_sat(l1_pub, prices->l1_pubdata_price_scale_ppm, KILN_FEE_PPM);

    kiln_u256 overhead, per;
    kiln_u256_from_u64(&overhead, l1_gas);
    kiln_u256_mul_u64(&overhead, &overhead, cfg->batch_overhead_l1_gas); /* < 2^128: no overflow */

    kiln_u256_ceil_div_u64(&per, &overhead, cfg->max_gas_per_batch);
    uint64_t gas_overhead =
        mul_div_sat(kiln_u256_to_u64_saturating(&per), cfg->compute_overhead_part_ppm, KILN_FEE_PPM);
    kiln_u256_ceil_div_u64(&per, &overhead, cfg->max_pubdata_per_batch);
    uint64_t pub_overhead =
        mul_div_sat(kiln_u256_to_u64_saturating(&per), cfg->pubdata_overhead_part_ppm, KILN_FEE_PPM);

    out->l1_gas_price = l1_gas;
    out->fair_l2_gas_price = add_sat(min_l2, gas_overhead);
    out->fair_pubdata_price = add_sat(l1_pub, pub_overhead);
    if (clip) {
        if (out->fair_l2_gas_price > KILN_FEE_MAX_L2_GAS_PRICE)
            out->fair_l2_gas_price = KILN_FEE_MAX_L2_GAS_PRICE;
        if (out->fair_pubdata_price > KILN_FEE_MAX_PUBDATA_PRICE)
            out->fair_pubdata_price = KILN_FEE_MAX_PUBDATA_PRICE;
    }
    return KILN_OK;
}

kiln_status kiln_l1_to_l2_gas_price(kiln_u256 *out, const kiln_l1_fee_params *p,
                                    const kiln_u256 *tx_gas_price, uint64_t gas_per_pubdata,
                                    uint64_t base_token_num, uint64_t base_token_den, char *err,
                                    size_t errlen) {
    if (!base_token_den || !p->max_pubdata_per_batch || !p->max_l2_gas_per_batch || !gas_per_pubdata)
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "l1 gas price: zero divisor");
    kiln_u256 conv, pubdata, overhead, full, q, l2, min_l2;
    if (kiln_u256_mul_u64(&conv, tx_gas_price, base_token_num))
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "l1 gas price: overflow");
    kiln_u256_divmod_u64(&conv, NULL, &conv, base_token_den);
    if (p->validium)
        memset(&pubdata, 0, sizeof pubdata);
    else if (kiln_u256_mul_u64(&pubdata, &conv, KILN_L1_GAS_PER_PUBDATA_BYTE))
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "l1 gas price: overflow");
    if (kiln_u256_mul_u64(&overhead, &conv, p->batch_overhead_l1_gas))
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "l1 gas price: overflow");
    kiln_u256_divmod_u64(&q, NULL, &overhead, p->max_pubdata_per_batch);
    if (kiln_u256_add(&full, &pubdata, &q))
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "l1 gas price: overflow");
    kiln_u256_divmod_u64(&q, NULL, &overhead, p->max_l2_gas_per_batch);
    kiln_u256_from_u64(&min_l2, p->minimal_l2_gas_price);
    if (kiln_u256_add(&l2, &min_l2, &q))
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "l1 gas price: overflow");
    kiln_u256_ceil_div_u64(&q, &full, gas_per_pubdata);
    *out = kiln_u256_cmp(&l2, &q) >= 0 ? l2 : q;
    return KILN_OK;
}

kiln_status kiln_l1_to_l2_base_cost(kiln_u256 *out, const kiln_u256 *l2_gas_price, uint64_t l2_gas_limit,
                                    char *err, size_t errlen) {
    if (kiln_u256_mul_u64(out, l2_gas_price, l2_gas_limit))
        return kiln_proto_fail(KILN_ERR_LIMIT, err, errlen, "l1 base cost: overflow");
    return KILN_OK;
}

uint64_t kiln_fee_tx_overhead(uint64_t encoded_len) {
    uint64_t mem = encoded_len > UINT64_MAX / KILN_MEMORY_OVERHEAD_GAS
                       ? UINT64_MAX
                       : encoded_len * KILN_MEMORY_OVERHEAD_GAS;
    return mem > KILN_TX_SLOT_OVERHEAD_GAS ? mem : KILN_TX_SLOT_OVERHEAD_GAS;
}

uint64_t kiln_l1_tx_minimal_gas(uint64_t encoding_len, uint64_t n_factory_deps, uint64_t gas_per_pubdata) {
    uint64_t compute = KILN_L1_TX_INTRINSIC_L2_GAS +
                       ceil_div64(encoding_len * KILN_L1_TX_DELTA_544_ENCODING_BYTES, 544) +
                       n_factory_deps * KILN_L1_TX_DELTA_FACTORY_DEPS_L2_GAS;
    if (compute < KILN_L1_TX_MIN_L2_GAS_BASE) compute = KILN_L1_TX_MIN_L2_GAS_BASE;
    uint64_t pubdata = gas_per_pubdata * (KILN_L1_TX_INTRINSIC_PUBDATA +
                                          n_factory_deps * KILN_L1_TX_DELTA_FACTORY_DEPS_PUBDATA);
    return compute + pubdata;
}

kiln_status kiln_l1_tx_check_gas(uint64_t *body_gas, uint64_t gas_limit, uint64_t encoding_len,
                                 uint64_t n_factory_deps, uint64_t gas_per_pubdata, uint64_t max_gas_limit,
                                 uint64_t max_pubdata, char *err, size_t errlen) {
    const uint64_t lim = 1ull << 40;
    if (encoding_len >= lim || n_factory_deps >= lim || gas_per_pubdata >= (1ull << 20))
        return kiln_proto_fail(KILN_ERR_INVALID_ARG, err, errlen, "l1 tx: input out of range");
    if (gas_per_pubdata == 0)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "l1 tx: zero gas per pubdata");
    uint64_t overhead = kiln_fee_tx_overhead(encoding_len);
    if (gas_limit < overhead)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "l1 tx: gas limit below the overhead");
    uint64_t body = gas_limit - overhead;
    if (body_gas) *body_gas = body;
    if (body > max_gas_limit)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "l1 tx: body gas above the maximum");
    if (body / gas_per_pubdata > max_pubdata)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "l1 tx: pubdata above the maximum");
    if (kiln_l1_tx_minimal_gas(encoding_len, n_factory_deps, gas_per_pubdata) > body)
        return kiln_proto_fail(KILN_ERR_VERIFY, err, errlen, "l1 tx: body gas below the minimum");
    return KILN_OK;
}
