/* zkstack: runs protocol/'s ZK Stack formats inside the VM, so tests can compare the guest build with the
 * host build on the same input (tests/protocol/test_zkstack.cpp). input:  u32 n_diffs ‖ n_diffs × 156-byte
 * records (any order) ‖ u32 n_logs ‖ n_logs × 88-byte logs ‖ u32 tree_leaves ‖ u64 fair_l2 ‖ u64 fair_pubdata
 * ‖ u64 l1_gas_price (all little-endian) output: u32 status ‖ u32 len ‖ compressed diffs ‖ state_diffs_hash ‖
 * u32 status ‖ logs root ‖ u32 status ‖ u32 len ‖ pubdata ‖ 6 blob linear hashes ‖ u64 base_fee ‖ u64
 * gas_per_pubdata ‖ 3 × u64 V2 fee input ‖ l1→l2 gas price (u256 BE) ‖ commitment ‖ public input ‖
 * StoredBatchInfo hash ‖ l2 block hash ‖ EVM CREATE ‖ ZK CREATE ‖ alias */
#include "address.h"
#include "batch.h"
#include "fee.h"
#include "kiln_guest.h"
#include "l2_block.h"
#include "pubdata.h"
#include "state_diff.h"

static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) {
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}
static void commit32(uint32_t v) {
    kiln_commit(&v, 4);
}
static void commit64(uint64_t v) {
    kiln_commit(&v, 8);
}

int main(void) {
    size_t len;
    uint8_t *in = kiln_input_all(&len);
    size_t pos = 0;
    uint32_t nd = rd32(in);
    pos += 4;
    kiln_state_diff *diffs = malloc(sizeof(kiln_state_diff) * (nd ? nd : 1));
    for (uint32_t i = 0; i < nd; i++, pos += 156)
        kiln_state_diff_decode(&diffs[i], in + pos);
    uint32_t nl = rd32(in + pos);
    pos += 4;
    kiln_l2l1_log *logs = malloc(sizeof(kiln_l2l1_log) * (nl ? nl : 1));
    for (uint32_t i = 0; i < nl; i++, pos += 88)
        kiln_l2l1_log_decode(&logs[i], in + pos);
    uint32_t tree_leaves = rd32(in + pos);
    uint64_t fair_l2 = rd64(in + pos + 4), fair_pub = rd64(in + pos + 12), l1_gas = rd64(in + pos + 20);
    char err[96];

    kiln_state_diffs_sort(diffs, nd);
    size_t cap = 16 + 70 * (size_t)nd, clen = 0;
    uint8_t *comp = malloc(cap);
    commit32((uint32_t)kiln_state_diffs_compress(comp, cap, &clen, diffs, nd, err, sizeof err));
    commit32((uint32_t)clen);
    kiln_commit(comp, clen);
    uint8_t h[32];
    kiln_state_diffs_hash(h, diffs, nd);
    kiln_commit(h, 32);

    uint8_t *scratch = malloc(32 * (size_t)(nl ? nl : 1));
    uint8_t root[32] = {0};
    commit32((uint32_t)kiln_l2l1_logs_root(root, logs, nl, tree_leaves, scratch, err, sizeof err));
    kiln_commit(root, 32);

    kiln_pubdata_input pin = {logs, nl, NULL, 0, NULL, 0, diffs, nd};
    size_t psize = 0, plen = 0;
    kiln_pubdata_size(&psize, &pin, err, sizeof err);
    uint8_t *pd = malloc(psize + 1);
    commit32((uint32_t)kiln_pubdata_build(pd, psize, &plen, &pin, err, sizeof err));
    commit32((uint32_t)plen);
    kiln_commit(pd, plen);
    uint8_t blobs[6][32];
    kiln_pubdata_blob_linear_hashes(blobs, pd, plen, err, sizeof err);
    kiln_commit(blobs, sizeof blobs);

    uint64_t base_fee, gpp;
    kiln_fee_bootloader_params(fair_l2, fair_pub, &base_fee, &gpp);
    commit64(base_fee);
    commit64(gpp);
    kiln_fee_model_config_v2 cfg = {100000000, 500000, 1000000, 800000, 200000000, 120000};
    kiln_fee_model_prices pr = {l1_gas, fair_pub, 1500000, 1000000, 3, 2};
    kiln_batch_fee_input fi;
    kiln_fee_model_v2(&fi, &cfg, &pr, 1, err, sizeof err);
    commit64(fi.l1_gas_price);
    commit64(fi.fair_l2_gas_price);
    commit64(fi.fair_pubdata_price);
    kiln_l1_fee_params lp = {0, 1000000, 120000, 80000000, 99000, 250000000};
    kiln_u256 gp, out;
    kiln_u256_from_u64(&gp, l1_gas);
    kiln_l1_to_l2_gas_price(&out, &lp, &gp, 800, 3, 2, err, sizeof err);
    uint8_t be[32];
    kiln_u256_to_be(be, &out);
    kiln_commit(be, 32);

    kiln_batch_commitment_input ci;
    memset(&ci, 0, sizeof ci);
    ci.index_repeated_storage_changes = fair_l2;
    memcpy(ci.new_state_root, root, 32);
    kiln_system_logs_hash(ci.system_logs_hash, logs, nl);
    kiln_state_diffs_hash(ci.state_diffs_hash, diffs, nd);
    memcpy(ci.blob_linear_hashes, blobs, sizeof blobs);
    kiln_batch_commitment_parts parts;
    kiln_batch_commitment(&parts, &ci);
    kiln_commit(parts.commitment, 32);
    kiln_batch_public_input(h, root, parts.commitment);
    kiln_commit(h, 32);
    kiln_stored_batch_info sbi;
    memset(&sbi, 0, sizeof sbi);
    sbi.batch_number = fair_pub;
    sbi.timestamp = l1_gas;
    memcpy(sbi.commitment, parts.commitment, 32);
    kiln_stored_batch_info_hash(h, &sbi);
    kiln_commit(h, 32);
    kiln_l2_block_hash(h, fair_l2, l1_gas, root, parts.commitment);
    kiln_commit(h, 32);
    uint8_t a[20], sender[20];
    memset(sender, 0x5a, 20);
    kiln_evm_create_address(a, sender, fair_pub);
    kiln_commit(a, 20);
    kiln_zk_create_address(a, sender, fair_l2);
    kiln_commit(a, 20);
    kiln_l1_to_l2_alias(a, sender);
    kiln_commit(a, 20);
    return 0;
}
