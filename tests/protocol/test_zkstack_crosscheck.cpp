// Random-input cross-checks of protocol/'s ZK Stack code: against an independent Python reference
// (tests/protocol/ref/zkstack_ref.py with pycryptodome's Keccak; skipped when /usr/bin/python3 or Cryptodome
// is missing), and the riscv32 build of the same code run in the VM (guest/samples/zkstack.c) against the
// host build.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#include "address.h"
#include "batch.h"
#include "fee.h"
#include "l2_block.h"
#include "l2l1_log.h"
#include "pubdata.h"
#include "state_diff.h"
#include "vm.h"
#include "zkstack_test_util.h"

namespace {

using namespace zkstest;

// ---------------------------------------------------------------- cross-checks against the Python reference
bool have_python(std::string *why) {
    if (access("/usr/bin/python3", X_OK) != 0) {
        *why = "/usr/bin/python3 is missing";
        return false;
    }
    if (system("/usr/bin/python3 -c 'from Cryptodome.Hash import keccak' >/dev/null 2>&1") != 0) {
        *why = "python module Cryptodome (pycryptodome) is missing";
        return false;
    }
    return true;
}

// Runs the reference over the requests, one answer line per request.
std::vector<std::string> run_ref(const std::vector<std::string> &reqs) {
    char in_path[] = "/tmp/kiln_zks_reqXXXXXX";
    int fd = mkstemp(in_path);
    EXPECT_GE(fd, 0);
    {
        std::ofstream f(in_path);
        for (auto &r : reqs)
            f << r << "\n";
    }
    close(fd);
    std::string cmd = std::string("/usr/bin/python3 ") + KILN_SOURCE_DIR +
                      "/tests/protocol/ref/zkstack_ref.py < " + in_path;
    FILE *p = popen(cmd.c_str(), "r");
    std::vector<std::string> out;
    if (p) {
        std::string cur;
        int c;
        while ((c = fgetc(p)) != EOF) {
            if (c == '\n') {
                out.push_back(cur);
                cur.clear();
            } else {
                cur += (char)c;
            }
        }
        EXPECT_EQ(pclose(p), 0);
    }
    unlink(in_path);
    return out;
}

std::string hx(const Bytes &b) {
    return b.empty() ? "-" : hex(b);
}

TEST(ZkStackCrossCheck, AgainstPythonReference) {
    std::string why;
    if (!have_python(&why)) GTEST_SKIP() << "Python reference unavailable: " << why;
    Rng r{20261208};
    std::vector<std::string> reqs, want;

    // Rolling hashes from zero and from keccak("").
    for (int t = 0; t < 12; t++) {
        uint8_t acc[32];
        if (t % 2)
            kiln_priority_ops_hash_init(acc);
        else
            kiln_tx_rolling_hash_init(acc);
        std::string init = hex(acc, 32);
        size_t n = r.below(40);
        Bytes items(32 * n);
        r.fill(items.data(), items.size());
        for (size_t i = 0; i < n; i++)
            kiln_rolling_hash_append(acc, &items[32 * i]);
        reqs.push_back("roll " + init + " " + hx(items));
        want.push_back(hex(acc, 32));
    }
    // Log tree roots, several sizes; every path verifies.
    const size_t ns[] = {0, 1, 2, 3, 5, 17, 64, 100, 255, 300, 300};
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        size_t n = ns[t];
        size_t size = 1;
        while (size < n)
            size <<= 1;
        if (t % 3 == 1) size *= 4;
        if (t == 10) size = KILN_L2L1_LOGS_TREE_LEAVES;
        std::vector<kiln_l2l1_log> logs(n);
        Bytes enc(88 * n);
        for (size_t i = 0; i < n; i++) {
            r.fill((uint8_t *)&logs[i], sizeof logs[i]);
            logs[i].is_service &= 1;
            kiln_l2l1_log_encode(&enc[88 * i], &logs[i]);
        }
        Bytes scratch(32 * n + 32);
        uint8_t root[32];
        ASSERT_EQ(kiln_l2l1_logs_root(root, logs.data(), n, size, scratch.data(), nullptr, 0), KILN_OK);
        reqs.push_back("tree " + std::to_string(size) + " " + hx(enc));
        want.push_back(hex(root, 32));
        if (n) {
            size_t depth = 0;
            while (((size_t)1 << depth) < size)
                depth++;
            if (depth == 0) continue;
            size_t idx = r.below(n);
            Bytes path(32 * depth);
            uint8_t root2[32], leaf[32];
            ASSERT_EQ(kiln_l2l1_logs_path(path.data(), root2, logs.data(), n, size, idx, scratch.data(),
                                          nullptr, 0),
                      KILN_OK);
            EXPECT_EQ(hex(root2, 32), hex(root, 32));
            kiln_l2l1_log_hash(leaf, &logs[idx]);
            EXPECT_EQ(kiln_l2l1_verify_path(root, leaf, idx, path.data(), depth, nullptr, 0), KILN_OK) << n;
            path[32 * r.below(depth)] ^= 1;
            EXPECT_EQ(kiln_l2l1_verify_path(root, leaf, idx, path.data(), depth, nullptr, 0),
                      KILN_ERR_VERIFY);
        }
    }
    // State-diff compression of shuffled random diffs (sorted here by heap sort, there by Python's sort), and
    // the hash of the sorted records.
    std::vector<std::vector<kiln_state_diff>> sorted_sets;
    for (int t = 0; t < 25; t++) {
        size_t n = t < 3 ? (size_t)t : r.below(200);
        std::vector<kiln_state_diff> d(n);
        Bytes recs(156 * n);
        for (size_t i = 0; i < n; i++) {
            d[i] = random_diff(r, i);
            kiln_state_diff_encode(&recs[156 * i], &d[i]);
        }
        kiln_state_diffs_sort(d.data(), n);
        size_t size = 0, len = 0;
        ASSERT_EQ(kiln_state_diffs_compressed_size(&size, d.data(), n, nullptr, 0), KILN_OK);
        Bytes out(size);
        char err[128] = "";
        ASSERT_EQ(kiln_state_diffs_compress(out.data(), size, &len, d.data(), n, err, sizeof err), KILN_OK)
            << err;
        EXPECT_EQ(kiln_state_diffs_check_compressed(out.data(), len, d.data(), n, err, sizeof err), KILN_OK)
            << err;
        reqs.push_back("compress " + hx(recs));
        want.push_back(hex(out));
        Bytes srecs(156 * n);
        for (size_t i = 0; i < n; i++)
            kiln_state_diff_encode(&srecs[156 * i], &d[i]);
        uint8_t h[32];
        kiln_state_diffs_hash(h, d.data(), n);
        reqs.push_back("sdhash " + hx(srecs));
        want.push_back(hex(h, 32));
        sorted_sets.push_back(d);
    }
    // Pubdata.
    for (int t = 0; t < 12; t++) {
        size_t nl = r.below(20), nm = r.below(5), nb = r.below(3);
        std::vector<kiln_l2l1_log> logs(nl);
        Bytes enc(88 * nl);
        for (size_t i = 0; i < nl; i++) {
            r.fill((uint8_t *)&logs[i], sizeof logs[i]);
            kiln_l2l1_log_encode(&enc[88 * i], &logs[i]);
        }
        std::vector<Bytes> msgs(nm), bcs(nb);
        std::vector<kiln_bytes_ref> mref, bref;
        std::string ms, bs;
        for (auto &m : msgs) {
            m.resize(r.below(100));
            r.fill(m.data(), m.size());
            mref.push_back({m.data(), m.size()});
            ms += (ms.empty() ? "" : ",") + (m.empty() ? std::string(".") : hex(m));
        }
        for (auto &b : bcs) {
            b.resize(32 * (1 + 2 * r.below(4)));
            r.fill(b.data(), b.size());
            bref.push_back({b.data(), b.size()});
            bs += (bs.empty() ? "" : ",") + hex(b);
        }
        auto &d = sorted_sets[(size_t)t];
        Bytes recs(156 * d.size());
        for (size_t i = 0; i < d.size(); i++)
            kiln_state_diff_encode(&recs[156 * i], &d[i]);
        kiln_pubdata_input in = {logs.data(), nl, mref.data(), nm, bref.data(), nb, d.data(), d.size()};
        size_t size = 0, len = 0;
        ASSERT_EQ(kiln_pubdata_size(&size, &in, nullptr, 0), KILN_OK);
        Bytes out(size);
        ASSERT_EQ(kiln_pubdata_build(out.data(), size, &len, &in, nullptr, 0), KILN_OK);
        kiln_pubdata_view v;
        char err[128] = "";
        ASSERT_EQ(kiln_pubdata_parse(&v, out.data(), len, err, sizeof err), KILN_OK) << err;
        EXPECT_EQ(v.n_logs, nl);
        EXPECT_EQ(v.n_messages, nm);
        EXPECT_EQ(v.n_bytecodes, nb);
        reqs.push_back("pubdata " + hx(enc) + " " + (ms.empty() ? "-" : ms) + " " + (bs.empty() ? "-" : bs) +
                       " " + hx(recs));
        want.push_back(hex(out));
    }

    // Blob linear hashes at the blob boundaries, and L1Messenger's chained logs hash.
    for (size_t len : {(size_t)0, (size_t)1, (size_t)KILN_BLOB_SIZE_BYTES, (size_t)KILN_BLOB_SIZE_BYTES + 1,
                       (size_t)300000, (size_t)KILN_BLOB_SIZE_BYTES * KILN_MAX_BLOBS}) {
        Bytes pd(len);
        r.fill(pd.data(), len);
        uint8_t hs[6][32];
        ASSERT_EQ(kiln_pubdata_blob_linear_hashes(hs, pd.data(), len, nullptr, 0), KILN_OK);
        reqs.push_back("blobs " + hx(pd));
        want.push_back(hex(&hs[0][0], sizeof hs));
    }
    for (int t = 0; t < 4; t++) {
        size_t n = r.below(30);
        uint8_t acc[32] = {0};
        Bytes enc(88 * n);
        for (size_t i = 0; i < n; i++) {
            kiln_l2l1_log log;
            r.fill((uint8_t *)&log, sizeof log);
            kiln_l2l1_log_encode(&enc[88 * i], &log);
            kiln_l2l1_chained_logs_append(acc, &log);
        }
        reqs.push_back("chainlogs " + hx(enc));
        want.push_back(hex(acc, 32));
    }

    std::vector<std::string> got = run_ref(reqs);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); i++)
        EXPECT_EQ(got[i], want[i]) << "request " << i << ": " << reqs[i].substr(0, 80);
}

// ---------------------------------------------------------------- the guest build of protocol/ in the VM
#ifndef KILN_GUEST_DIR
#define KILN_GUEST_DIR ""
#endif

void app32(Bytes &b, uint32_t v) {
    for (int i = 0; i < 4; i++)
        b.push_back((uint8_t)(v >> (8 * i)));
}
void app64(Bytes &b, uint64_t v) {
    app32(b, (uint32_t)v);
    app32(b, (uint32_t)(v >> 32));
}
void app(Bytes &b, const uint8_t *p, size_t n) {
    b.insert(b.end(), p, p + n);
}

// The host build's answer to guest/samples/zkstack.c's input, computed the same way.
Bytes host_zkstack(std::vector<kiln_state_diff> diffs, const std::vector<kiln_l2l1_log> &logs,
                   uint32_t tree_leaves, uint64_t fair_l2, uint64_t fair_pub, uint64_t l1_gas) {
    Bytes o;
    size_t nd = diffs.size(), nl = logs.size();
    kiln_state_diffs_sort(diffs.data(), nd);
    Bytes comp(16 + 70 * nd);
    size_t clen = 0;
    app32(o,
          (uint32_t)kiln_state_diffs_compress(comp.data(), comp.size(), &clen, diffs.data(), nd, nullptr, 0));
    app32(o, (uint32_t)clen);
    app(o, comp.data(), clen);
    uint8_t h[32];
    kiln_state_diffs_hash(h, diffs.data(), nd);
    app(o, h, 32);
    Bytes scratch(32 * nl + 32);
    uint8_t root[32] = {0};
    app32(o, (uint32_t)kiln_l2l1_logs_root(root, logs.data(), nl, tree_leaves, scratch.data(), nullptr, 0));
    app(o, root, 32);
    kiln_pubdata_input pin = {logs.data(), nl, nullptr, 0, nullptr, 0, diffs.data(), nd};
    size_t psize = 0, plen = 0;
    kiln_pubdata_size(&psize, &pin, nullptr, 0);
    Bytes pd(psize + 1);
    app32(o, (uint32_t)kiln_pubdata_build(pd.data(), psize, &plen, &pin, nullptr, 0));
    app32(o, (uint32_t)plen);
    app(o, pd.data(), plen);
    uint8_t blobs[6][32];
    kiln_pubdata_blob_linear_hashes(blobs, pd.data(), plen, nullptr, 0);
    app(o, &blobs[0][0], sizeof blobs);
    uint64_t base_fee, gpp;
    kiln_fee_bootloader_params(fair_l2, fair_pub, &base_fee, &gpp);
    app64(o, base_fee);
    app64(o, gpp);
    kiln_fee_model_config_v2 cfg = {100000000, 500000, 1000000, 800000, 200000000, 120000};
    kiln_fee_model_prices pr = {l1_gas, fair_pub, 1500000, 1000000, 3, 2};
    kiln_batch_fee_input fi;
    kiln_fee_model_v2(&fi, &cfg, &pr, 1, nullptr, 0);
    app64(o, fi.l1_gas_price);
    app64(o, fi.fair_l2_gas_price);
    app64(o, fi.fair_pubdata_price);
    kiln_l1_fee_params lp = {0, 1000000, 120000, 80000000, 99000, 250000000};
    kiln_u256 gp, out;
    kiln_u256_from_u64(&gp, l1_gas);
    kiln_l1_to_l2_gas_price(&out, &lp, &gp, 800, 3, 2, nullptr, 0);
    uint8_t be[32];
    kiln_u256_to_be(be, &out);
    app(o, be, 32);
    kiln_batch_commitment_input ci;
    memset(&ci, 0, sizeof ci);
    ci.index_repeated_storage_changes = fair_l2;
    memcpy(ci.new_state_root, root, 32);
    kiln_system_logs_hash(ci.system_logs_hash, logs.data(), nl);
    kiln_state_diffs_hash(ci.state_diffs_hash, diffs.data(), nd);
    memcpy(ci.blob_linear_hashes, blobs, sizeof blobs);
    kiln_batch_commitment_parts parts;
    kiln_batch_commitment(&parts, &ci);
    app(o, parts.commitment, 32);
    kiln_batch_public_input(h, root, parts.commitment);
    app(o, h, 32);
    kiln_stored_batch_info sbi;
    memset(&sbi, 0, sizeof sbi);
    sbi.batch_number = fair_pub;
    sbi.timestamp = l1_gas;
    memcpy(sbi.commitment, parts.commitment, 32);
    kiln_stored_batch_info_hash(h, &sbi);
    app(o, h, 32);
    kiln_l2_block_hash(h, fair_l2, l1_gas, root, parts.commitment);
    app(o, h, 32);
    uint8_t a[20], sender[20];
    memset(sender, 0x5a, 20);
    kiln_evm_create_address(a, sender, fair_pub);
    app(o, a, 20);
    kiln_zk_create_address(a, sender, fair_l2);
    app(o, a, 20);
    kiln_l1_to_l2_alias(a, sender);
    app(o, a, 20);
    return o;
}

Bytes run_zkstack_guest(const Bytes &input) {
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    cfg.max_cycles = 2000000000ull;
    kt::GuestRun r = kt::run_guest("zkstack", input, &cfg);
    EXPECT_EQ(r.st, KILN_OK) << r.err;
    EXPECT_EQ(r.res.stop, KILN_VM_EXITED) << r.res.msg;
    EXPECT_EQ(r.res.exit_code, 0u);
    return r.out;
}

TEST(ZkStackGuest, SameBytesAsTheHost) {
    if (!KILN_GUEST_DIR[0]) GTEST_SKIP() << "guests not built (no clang/ld.lld for riscv32)";
    Rng r{77};
    for (int t = 0; t < 4; t++) {
        std::vector<kiln_state_diff> diffs;
        std::vector<kiln_l2l1_log> logs;
        uint32_t tree_leaves = KILN_L2L1_LOGS_TREE_LEAVES;
        uint64_t fair_l2 = r.next() >> (t * 8), fair_pub = r.next() >> (t * 16),
                 l1_gas = r.next() >> (t * 12);
        if (t == 0) { // the 1.5.0 fixture: its compressed bytes are known
            diffs = fixture_diffs();
            std::reverse(diffs.begin(), diffs.end());
            logs.push_back(fixture_log());
            fair_l2 = 130000000000000ull;
            fair_pub = 15300000000000000ull;
        } else {
            size_t nd = r.below(120), nl = r.below(40);
            for (size_t i = 0; i < nd; i++)
                diffs.push_back(random_diff(r, i));
            logs.resize(nl);
            for (auto &l : logs)
                r.fill((uint8_t *)&l, sizeof l);
            if (t == 3) tree_leaves = 64;
        }
        Bytes in;
        app32(in, (uint32_t)diffs.size());
        for (auto &d : diffs) {
            uint8_t rec[156];
            kiln_state_diff_encode(rec, &d);
            app(in, rec, 156);
        }
        app32(in, (uint32_t)logs.size());
        for (auto &l : logs) {
            uint8_t e[88];
            kiln_l2l1_log_encode(e, &l);
            app(in, e, 88);
        }
        app32(in, tree_leaves);
        app64(in, fair_l2);
        app64(in, fair_pub);
        app64(in, l1_gas);
        Bytes want = host_zkstack(diffs, logs, tree_leaves, fair_l2, fair_pub, l1_gas);
        Bytes got = run_zkstack_guest(in);
        EXPECT_EQ(hex(got), hex(want)) << "case " << t;
        if (t == 0) {
            ASSERT_GE(got.size(), 8 + 333u);
            EXPECT_EQ(hex(got.data() + 8, 333), FIXTURE_COMPRESSED);
        }
    }
}

} // namespace
