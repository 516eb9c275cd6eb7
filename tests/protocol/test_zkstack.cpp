// The ZK Stack's formats and hashes in protocol/ (DESIGN D8) against the published vectors of
// reference/zkstack-vectors.md §1–§4, §6, §8 (sources cited per test), plus hand-built edge cases. The
// random-input cross-checks (Python reference, guest build in the VM) are in test_zkstack_crosscheck.cpp.
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
#include "keccak/keccak.h"
#include "l2_block.h"
#include "l2l1_log.h"
#include "pubdata.h"
#include "state_diff.h"
#include "zkstack_test_util.h"

namespace {

using namespace zkstest;

// ---------------------------------------------------------------- §1 L2 block hash, tx rolling hash
TEST(ZkStackL2Block, BlockHash) { // ERA:core/lib/types/src/block.rs:356 test_l2_block_hash
    uint8_t prev[32], roll[32], out[32];
    put32(prev, "9b14f83c434b860168ed4081f7b2a65f432f68bfea86ddf3351c02bc855dd721");
    put32(roll, "67506e289f13aee79b8de3bfd99f460f46135028b85eee9da760a17a4453fb64");
    kiln_l2_block_hash(out, 1, 12, prev, roll);
    EXPECT_EQ(hex(out, 32), "c4e184fa9dde8d81aa085f3d1831b00be0a2f4e40218ff1b3456684e7eeccdfe");
}

TEST(ZkStackL2Block, LegacyHash) { // ERA:core/lib/types/src/block.rs:344 test_legacy_l2_block_hashes
    uint8_t out[32];
    kiln_l2_block_legacy_hash(out, 11470850);
    EXPECT_EQ(hex(out, 32), "6a13b75b5982035ebb28999fbf6f54e7d7fad9e290d5c5f99e7c7d75d42b6099");
    kiln_l2_block_legacy_hash(out, 0); // [derived] keccak(00000000)
    EXPECT_EQ(hex(out, 32), "e8e77626586f73b955364c7b4bbf0bb7f7685ebd40e852b164633a4acbd3244c");
}

TEST(ZkStackL2Block, TxRollingHash) { // vectors §1 [derived] table
    uint8_t acc[32], tx[32];
    kiln_tx_rolling_hash_init(acc);
    EXPECT_EQ(hex(acc, 32), std::string(64, '0'));
    put32(tx, "8efdc7ce5f5a75ab945976c3e2b0c2a45e9f8e15ff940d05625ac5545cd9f870");
    kiln_rolling_hash_append(acc, tx);
    EXPECT_EQ(hex(acc, 32), "622e054ed60ff38f30beb63fb22522601ce516d961bd9825de897f4c76e5dcfc");
    put32(tx, "c0ba55587423e1ef281b06a9d684b481365897f37a6ad611d7619b1b7e0bc908");
    kiln_rolling_hash_append(acc, tx);
    EXPECT_EQ(hex(acc, 32), "5689c90ca8d99f91cf030bf0d2d551277c409e47185e503762822170c691fb94");
}

// ---------------------------------------------------------------- §2 priority-operation rolling hash
TEST(ZkStackL2Block, PriorityOpsHash) { // post_boojum_1_5_0_test.json system log key 5
    uint8_t acc[32], tx[32];
    EXPECT_EQ(hex(KILN_EMPTY_STRING_KECCAK, 32), hex(k256(Bytes())));
    kiln_priority_ops_hash_init(acc);
    EXPECT_EQ(hex(acc, 32), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    put32(tx, "7814f203b8e02f6a676b8f7faefcf732d8b4368bab25239ea4525010aa85d5ee");
    kiln_rolling_hash_append(acc, tx);
    EXPECT_EQ(hex(acc, 32), "155c82febe94e07df0065c153e8ed403b5351fd64d657c8dffbfbee8ec3d2ba3");
    // The bootloader emits it with sender 0x8001 under v23 key 5 (CHAINED_PRIORITY_TXN_HASH_KEY).
    kiln_l2l1_log log;
    ASSERT_EQ(kiln_system_log_v23(&log, KILN_SYSLOG_CHAINED_PRIORITY_TXN_HASH, acc, 0, nullptr, 0), KILN_OK);
    uint8_t enc[88];
    kiln_l2l1_log_encode(enc, &log);
    EXPECT_EQ(hex(enc, 88), "00010000"
                            "0000000000000000000000000000000000008001" +
                                std::string(62, '0') + "05" +
                                "155c82febe94e07df0065c153e8ed403b5351fd64d657c8dffbfbee8ec3d2ba3");
}

// ---------------------------------------------------------------- §3 L2→L1 logs and their tree
TEST(ZkStackLogs, Encoding) { // ERA:core/lib/types/src/l2_to_l1_log.rs:159 l2_to_l1_log_to_bytes
    kiln_l2l1_log log{};
    log.tx_number_in_block = 6;
    put20(log.sender, "8008");
    put32(log.key, "0b");
    put32(log.value, "13");
    uint8_t enc[88];
    kiln_l2l1_log_encode(enc, &log);
    EXPECT_EQ(hex(enc, 88), "00000006"
                            "0000000000000000000000000000000000008008"
                            "000000000000000000000000000000000000000000000000000000000000000b"
                            "0000000000000000000000000000000000000000000000000000000000000013");
    kiln_l2l1_log back;
    kiln_l2l1_log_decode(&back, enc);
    EXPECT_EQ(0, memcmp(&back, &log, sizeof log));
}

TEST(ZkStackLogs, EmptyHashes) {
    uint8_t h[32];
    EXPECT_EQ(hex(KILN_L2L1_EMPTY_LEAF_HASH, 32), hex(k256(Bytes(88, 0))));
    kiln_l2l1_empty_subtree_hash(h, 0);
    EXPECT_EQ(hex(h, 32), "72abee45b59e344af8a6e520241c4744aff26ed411f4c4b00f8af09adada43ba");
    // Empty 16384-leaf tree root (zkstack-protocol.md §5.4, computed there).
    EXPECT_EQ(kiln_l2l1_logs_root(h, nullptr, 0, KILN_L2L1_LOGS_TREE_LEAVES, nullptr, nullptr, 0), KILN_OK);
    EXPECT_EQ(hex(h, 32), "375a5bf909cb02143e3695ca658e0641e739aa590f0004dba93572c44cdb9d2d");
}

// mini_merkle_tree snapshots (ERA:core/lib/mini_merkle_tree/src/tests.rs:57, :79, :102).
TEST(ZkStackLogs, MiniMerkleTreeSnapshots) {
    auto leaves = [](int n) {
        Bytes hs(32 * (size_t)n);
        for (int i = 1; i <= n; i++) {
            Bytes leaf(88, (uint8_t)i);
            kiln_keccak256(leaf.data(), 88, &hs[32 * (size_t)(i - 1)]);
        }
        return hs;
    };
    uint8_t root[32];
    Bytes one = leaves(1);
    ASSERT_EQ(kiln_merkle_root_from_leaves(root, one.data(), 1, 32, nullptr, 0), KILN_OK);
    EXPECT_EQ(hex(root, 32), "45e2793110bf02d81fc72bc11ed257c79251816f4187fa95f2e4d7cded1efad9");
    // Its path: the empty-subtree hashes for depths 0–4 (published abbreviated as first 4 ‖ last 2 bytes).
    one = leaves(1);
    uint8_t path[5 * 32];
    ASSERT_EQ(kiln_merkle_path_from_leaves(path, root, one.data(), 1, 32, 0, nullptr, 0), KILN_OK);
    const char *want[5][2] = {{"72abee45", "43ba"},
                              {"c3d03eeb", "c8d0"},
                              {"e3697c7f", "a111"},
                              {"199cc581", "51fa"},
                              {"e4733f28", "db89"}};
    for (int d = 0; d < 5; d++) {
        std::string h = hex(path + 32 * d, 32);
        EXPECT_EQ(h.substr(0, 8), want[d][0]) << d;
        EXPECT_EQ(h.substr(60), want[d][1]) << d;
        uint8_t e[32];
        kiln_l2l1_empty_subtree_hash(e, (unsigned)d);
        EXPECT_EQ(hex(e, 32), h);
    }
    Bytes full = leaves(32);
    ASSERT_EQ(kiln_merkle_root_from_leaves(root, full.data(), 32, 32, nullptr, 0), KILN_OK);
    EXPECT_EQ(hex(root, 32), "29694afc5d76ad6ee48e9382b1cf724c503c5742aa905700e290845c56d1b488");
    Bytes part = leaves(50);
    ASSERT_EQ(kiln_merkle_root_from_leaves(root, part.data(), 50, 64, nullptr, 0), KILN_OK);
    EXPECT_EQ(hex(root, 32), "2da23c4270b612710106f3e02e9db9fa42663751869f48d952fa7a0eaaa92475");
}

TEST(ZkStackLogs, FixtureRootsPerTreeSize) { // ERA commitment fixtures, l2_l1_logs_merkle_root
    kiln_l2l1_log log = fixture_log();
    struct {
        size_t size;
        const char *root;
    } cases[] = {{512, "bdd28e4f6c5083d9aeba4e4564d7e25b7fe31a0d87616d4abd1c10395b90b846"},
                 {2048, "e52d57bd64cabf6c588b30365512da2bf10912c106e7a06483b236d05ac4037e"},
                 {4096, "0b6e1ad4643cc2bee06b5e173184ec822d80826e5720f5715172898350433299"},
                 {16384, "30ba728b1aac22b122de4f32589dd2711da264412cb90e35bf7b1f735dd357ff"}};
    for (auto &c : cases) {
        uint8_t root[32], scratch[32];
        ASSERT_EQ(kiln_l2l1_logs_root(root, &log, 1, c.size, scratch, nullptr, 0), KILN_OK);
        EXPECT_EQ(hex(root, 32), c.root) << c.size;
    }
    // The path of that log proves inclusion as L1's Mailbox checks it.
    uint8_t path[14 * 32], root[32], scratch[32], leaf[32];
    ASSERT_EQ(kiln_l2l1_logs_path(path, root, &log, 1, 16384, 0, scratch, nullptr, 0), KILN_OK);
    EXPECT_EQ(hex(root, 32), cases[3].root);
    kiln_l2l1_log_hash(leaf, &log);
    EXPECT_EQ(kiln_l2l1_verify_path(root, leaf, 0, path, 14, nullptr, 0), KILN_OK);
    EXPECT_EQ(kiln_l2l1_verify_path(root, leaf, 1, path, 14, nullptr, 0), KILN_ERR_VERIFY);
    EXPECT_EQ(kiln_l2l1_verify_path(root, KILN_L2L1_EMPTY_LEAF_HASH, 1, path, 14, nullptr, 0),
              KILN_ERR_VERIFY);
    char err[96];
    EXPECT_EQ(kiln_l2l1_verify_path(root, leaf, 1u << 14, path, 14, err, sizeof err), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_l2l1_verify_path(root, leaf, 0, path, 0, err, sizeof err), KILN_ERR_INVALID_ARG);
    EXPECT_NE(std::string(err), "");
}

TEST(ZkStackLogs, GatewayRoot) { // post_gateway_test.json
    uint8_t local[32], agg[32], out[32];
    put32(local, "d4790efa9052ea67dcb473de870e3522e2fc340374e6293ad4646fde312c8c76");
    put32(agg, "0924928c1377a6cf24c39c2d46f8eb9df23e811b26dc3527e548396fd4e173b1");
    kiln_l2l1_gateway_root(out, local, agg);
    EXPECT_EQ(hex(out, 32), "38eaeef3afe69b6f6b2fa22c92da8137f1e405a1e1861b7de7cfa30c7d7462dd");
}

TEST(ZkStackLogs, MessageLeaf) { // ZKE:tests/unit/utils.test.ts:7 getHashedL2ToL1Msg
    uint8_t sender[20], recv[20], amount[32];
    put20(sender, "36615Cf349d7F6344891B1e7CA7C72883F5dc049");
    Bytes msg = H("6c0960f936615cf349d7f6344891b1e7ca7c72883f5dc049000000000000000000000000000000000000000000"
                  "00000000000001a13b8600");
    // The message is L2BaseToken's withdrawal message to the same address.
    put20(recv, "36615Cf349d7F6344891B1e7CA7C72883F5dc049");
    put32(amount, "01a13b8600");
    uint8_t w[56];
    kiln_base_token_withdrawal_message(w, recv, amount);
    EXPECT_EQ(hex(w, 56), hex(msg));
    kiln_l2l1_log log;
    kiln_l2l1_message_log(&log, 0, sender, msg.data(), msg.size());
    uint8_t h[32];
    kiln_l2l1_log_hash(h, &log);
    EXPECT_EQ(hex(h, 32), "521bd25904766c83fe868d6a29cbffa011afd8a1754f6c9a52b053b693e42f18");
}

TEST(ZkStackLogs, BadTreeSizes) {
    uint8_t root[32], scratch[64];
    kiln_l2l1_log logs[2] = {fixture_log(), fixture_log()};
    char err[96];
    EXPECT_EQ(kiln_l2l1_logs_root(root, logs, 2, 1, scratch, err, sizeof err), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_l2l1_logs_root(root, logs, 2, 3, scratch, err, sizeof err), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_l2l1_logs_root(root, logs, 2, 0, scratch, err, sizeof err), KILN_ERR_INVALID_ARG);
    uint8_t path[32];
    EXPECT_EQ(kiln_l2l1_logs_path(path, root, logs, 2, 2, 2, scratch, err, sizeof err), KILN_ERR_INVALID_ARG);
}

// ---------------------------------------------------------------- §4 state diffs
TEST(ZkStackStateDiff, CompressValue) { // ERA:core/lib/types/src/storage/writes/compression.rs tests
    struct {
        const char *initial, *final, *out;
    } cases[] = {
        {"0f39ad8a" /*255438218*/, "0f39af2e" /*255438638*/, "1101a4"},
        {"22997235" /*580481589*/, "0dadd524" /*229496100*/, "2214eb9d11"},
        {"22997235", "0539", "130539"},
        {"22997235", "00", "03"},
        {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "01", "0902"},
        {"00", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0a01"},
    };
    for (auto &c : cases) {
        uint8_t a[32], b[32], out[33];
        put32(a, c.initial);
        put32(b, c.final);
        size_t n = kiln_state_diff_compress_value(out, a, b);
        EXPECT_EQ(hex(out, n), c.out) << c.initial << " -> " << c.final;
    }
}

TEST(ZkStackStateDiff, RecordEncoding) { // ERA:core/lib/types/src/storage/writes/mod.rs:537 test_encoding
    kiln_state_diff d{};
    put20(d.address, "09610c49cfe4a0509dbe319886eb0cfc01f2cfd1");
    put32(d.key, "01");
    memset(d.derived_key, 1, 32);
    put32(d.final, "40");
    uint8_t rec[272];
    kiln_state_diff_encode_padded(rec, &d);
    std::string want = "09610c49cfe4a0509dbe319886eb0cfc01f2cfd1" + std::string(62, '0') + "01" +
                       std::string("0101010101010101010101010101010101010101010101010101010101010101") +
                       std::string(16, '0') + std::string(64, '0') + std::string(62, '0') + "40";
    EXPECT_EQ(hex(rec, 156), want);
    EXPECT_EQ(hex(rec + 156, 116), std::string(232, '0'));
    kiln_state_diff back;
    kiln_state_diff_decode(&back, rec);
    EXPECT_EQ(diff_hex(back), diff_hex(d));
}

TEST(ZkStackStateDiff, FixtureHashAndCompression) { // post_boojum_1_5_0_test.json
    auto diffs = fixture_diffs();
    uint8_t h[32];
    kiln_state_diffs_hash(h, diffs.data(), diffs.size());
    EXPECT_EQ(hex(h, 32), "b18f72a4a5b4b8ce1b7e41095fb1332a211a140376bcc2607910875d236708e0");
    size_t size = 0;
    ASSERT_EQ(kiln_state_diffs_compressed_size(&size, diffs.data(), diffs.size(), nullptr, 0), KILN_OK);
    EXPECT_EQ(size, 333u);
    Bytes out(size);
    size_t len = 0;
    char err[128] = "";
    ASSERT_EQ(
        kiln_state_diffs_compress(out.data(), out.size(), &len, diffs.data(), diffs.size(), err, sizeof err),
        KILN_OK)
        << err;
    out.resize(len);
    EXPECT_EQ(hex(out), FIXTURE_COMPRESSED);
    EXPECT_EQ(kiln_state_diffs_check_compressed(out.data(), out.size(), diffs.data(), diffs.size(), err,
                                                sizeof err),
              KILN_OK)
        << err;
    uint32_t ni = 0, nr = 0;
    ASSERT_EQ(kiln_state_diffs_validate_compressed(out.data(), out.size(), &ni, &nr, err, sizeof err),
              KILN_OK);
    EXPECT_EQ(ni, 4u);
    EXPECT_EQ(nr, 5u);
    // The 0x800a key 294a… is the ETH balance key of 0xde03…bde7 (vectors §8, cross-check).
    uint8_t addr[20], key[32];
    put20(addr, "de03a0b5963f75f1c8485b355ff6d30f3093bde7");
    kiln_eth_balance_key(key, addr);
    EXPECT_EQ(hex(key, 32), hex(diffs[1].key, 32));

    // Sorting a shuffled copy restores the fixture's order.
    auto shuffled = diffs;
    std::reverse(shuffled.begin(), shuffled.end());
    std::swap(shuffled[1], shuffled[5]);
    EXPECT_EQ(
        kiln_state_diffs_compress(out.data(), 333, &len, shuffled.data(), shuffled.size(), err, sizeof err),
        KILN_ERR_INVALID_ARG);
    kiln_state_diffs_sort(shuffled.data(), shuffled.size());
    for (size_t i = 0; i < diffs.size(); i++)
        EXPECT_EQ(diff_hex(shuffled[i]), diff_hex(diffs[i])) << i;
}

TEST(ZkStackStateDiff, RefusesBadInput) {
    auto diffs = fixture_diffs();
    Bytes out(400);
    size_t len;
    char err[128];
    auto dup = diffs;
    dup[1] = dup[0];
    EXPECT_EQ(
        kiln_state_diffs_compress(out.data(), out.size(), &len, dup.data(), dup.size(), err, sizeof err),
        KILN_ERR_INVALID_ARG);
    EXPECT_NE(std::string(err).find("sorted"), std::string::npos);
    EXPECT_EQ(kiln_state_diffs_compress(out.data(), 332, &len, diffs.data(), diffs.size(), err, sizeof err),
              KILN_ERR_LIMIT);
    auto big = diffs;
    big[0].enum_index = 1ull << 32;
    EXPECT_EQ(
        kiln_state_diffs_compress(out.data(), out.size(), &len, big.data(), big.size(), err, sizeof err),
        KILN_ERR_INVALID_ARG);
}

TEST(ZkStackStateDiff, CheckerRejectsMismatches) {
    auto diffs = fixture_diffs();
    Bytes blob = H(FIXTURE_COMPRESSED);
    char err[128];
    // Another valid encoding (8-byte enum indices, every value uncompressed) is accepted, as on-chain.
    Bytes alt;
    {
        Bytes body = {0x00, 0x04};
        for (int pass = 0; pass < 2; pass++)
            for (auto &d : diffs) {
                if ((d.enum_index == 0) != (pass == 0)) continue;
                if (pass == 0)
                    body.insert(body.end(), d.derived_key, d.derived_key + 32);
                else
                    for (int i = 7; i >= 0; i--)
                        body.push_back((uint8_t)(d.enum_index >> (8 * i)));
                body.push_back(0x00);
                body.insert(body.end(), d.final, d.final + 32);
            }
        alt = {0x01, (uint8_t)(body.size() >> 16), (uint8_t)(body.size() >> 8), (uint8_t)body.size(), 0x08};
        alt.insert(alt.end(), body.begin(), body.end());
    }
    EXPECT_EQ(kiln_state_diffs_check_compressed(alt.data(), alt.size(), diffs.data(), diffs.size(), err,
                                                sizeof err),
              KILN_OK)
        << err;
    // A changed value byte, derived key, enum index or a dropped diff fails.
    Bytes b = blob;
    b[7 + 32 + 1] ^= 1; // first initial value's payload
    EXPECT_EQ(
        kiln_state_diffs_check_compressed(b.data(), b.size(), diffs.data(), diffs.size(), err, sizeof err),
        KILN_ERR_VERIFY);
    b = blob;
    b[7] ^= 1; // first derived key
    EXPECT_EQ(
        kiln_state_diffs_check_compressed(b.data(), b.size(), diffs.data(), diffs.size(), err, sizeof err),
        KILN_ERR_VERIFY);
    auto fewer = diffs;
    fewer.pop_back();
    EXPECT_NE(kiln_state_diffs_check_compressed(blob.data(), blob.size(), fewer.data(), fewer.size(), err,
                                                sizeof err),
              KILN_OK);
    // Every strict prefix and an extra byte fail to parse.
    for (size_t n = 0; n < blob.size(); n++)
        EXPECT_EQ(kiln_state_diffs_validate_compressed(blob.data(), n, nullptr, nullptr, err, sizeof err),
                  KILN_ERR_PARSE)
            << n;
    b = blob;
    b.push_back(0);
    EXPECT_EQ(kiln_state_diffs_validate_compressed(b.data(), b.size(), nullptr, nullptr, err, sizeof err),
              KILN_ERR_PARSE);
    b = blob;
    b[0] = 2;
    EXPECT_EQ(kiln_state_diffs_validate_compressed(b.data(), b.size(), nullptr, nullptr, err, sizeof err),
              KILN_ERR_PARSE);
}

TEST(ZkStackStateDiff, CheckerAcceptsHandBuiltBlob) {
    // Two diffs: an initial write 0 → 1 (add, 1 byte) and a repeated write (enum 7) 5 → 0 (transform, 0
    // bytes).
    kiln_state_diff d[2];
    memset(d, 0, sizeof d);
    d[0].address[19] = 1;
    d[0].final[31] = 1;
    d[1].address[19] = 2;
    d[1].enum_index = 7;
    d[1].initial[31] = 5;
    Bytes blob = H("01000029"
                   "04"
                   "0001" +
                   std::string(64, '0') +
                   "0901"
                   "00000007"
                   "03");
    char err[128] = "";
    EXPECT_EQ(kiln_state_diffs_check_compressed(blob.data(), blob.size(), d, 2, err, sizeof err), KILN_OK)
        << err;
    Bytes out(64);
    size_t len = 0;
    ASSERT_EQ(kiln_state_diffs_compress(out.data(), out.size(), &len, d, 2, err, sizeof err), KILN_OK) << err;
    out.resize(len);
    EXPECT_EQ(hex(out), hex(blob));
    // Sub by 5 is also a valid encoding of the repeated write; add by 2 gives the wrong value; a header whose
    // length disagrees with the body does not parse.
    Bytes sub = H("0100002a"
                  "04"
                  "0001" +
                  std::string(64, '0') +
                  "0901"
                  "00000007"
                  "0a05");
    EXPECT_EQ(kiln_state_diffs_check_compressed(sub.data(), sub.size(), d, 2, err, sizeof err), KILN_OK)
        << err;
    Bytes wrong = H("01000029"
                    "04"
                    "0001" +
                    std::string(64, '0') +
                    "0902"
                    "00000007"
                    "03");
    EXPECT_EQ(kiln_state_diffs_check_compressed(wrong.data(), wrong.size(), d, 2, err, sizeof err),
              KILN_ERR_VERIFY);
    Bytes badlen = blob;
    badlen[3]++;
    EXPECT_EQ(kiln_state_diffs_check_compressed(badlen.data(), badlen.size(), d, 2, err, sizeof err),
              KILN_ERR_PARSE);
    Bytes badop = H("01000029"
                    "04"
                    "0001" +
                    std::string(64, '0') +
                    "0c01"
                    "00000007"
                    "03");
    EXPECT_EQ(kiln_state_diffs_check_compressed(badop.data(), badop.size(), d, 2, err, sizeof err),
              KILN_ERR_PARSE);
}

// ---------------------------------------------------------------- §6 batch commitment, StoredBatchInfo,
// public input
void fixture_150_input(kiln_batch_commitment_input *in) { // ERA commitment fixtures shared inputs, 1.5.0
    memset(in, 0, sizeof *in);
    in->index_repeated_storage_changes = 89;
    put32(in->new_state_root, "e47f013d1ecd4ce53b6872f6b762670b393815e7ddacdf2b0886af9c7f3a555b");
    put32(in->bootloader_hash, "010007ed0e328b940e241f7666a6303b7ffd4e3fd7e8c154d6e7556befe6cd6d");
    put32(in->default_aa_hash, "0100055b7a8be90522251be8be1a186464d056462973502ac8a0437c85e4d2a9");
    memcpy(in->evm_emulator_hash, in->default_aa_hash, 32);
    put32(in->system_logs_hash, "602dacc0a26e3347f0679924c4ae151ff5200e7dd80902fe0fc11c806c4d3ffb");
    put32(in->state_diffs_hash, "b18f72a4a5b4b8ce1b7e41095fb1332a211a140376bcc2607910875d236708e0");
    put32(in->bootloader_heap_hash, "f031b4491c37f20516c4ebf428f4765156409f67089e64772f4106fd2d9f3351");
    put32(in->events_queue_hash, "6193a5098eb140796387bdf40700a3855eeb010474b5478f30bf917172c67883");
    for (int i = 1; i <= 6; i++) { // blob slots 1–6 (index 0–5): commitment i, linear hash i+2
        kiln_u256_be_from_u64(in->blob_commitments[i - 1], (uint64_t)i);
        kiln_u256_be_from_u64(in->blob_linear_hashes[i - 1], (uint64_t)i + 2);
    }
}

TEST(ZkStackBatch, Commitment150Fixtures) { // post_boojum_1_5_0_test.json, …_with_evm.json
    kiln_batch_commitment_input in;
    fixture_150_input(&in);
    kiln_batch_commitment_parts p;
    kiln_batch_commitment(&p, &in);
    EXPECT_EQ(hex(p.pass_through_hash, 32),
              "6a3ffc0f55d4abce9498b8bcb01a3018bc2b83d96acb27e23772fe9347954725");
    EXPECT_EQ(hex(p.meta_hash, 32), "ffdee3e679310760e0320a3f9dea3fa863b0771e4424193752ed803fc2d53d20");
    EXPECT_EQ(hex(p.aux_hash, 32), "adc63d9c45f85598f3e3c232970315d1f6ac96222e379e16ced7a204524a4061");
    EXPECT_EQ(hex(p.commitment, 32), "bbac3e74f007f28453294acb27e3b5c85e67be1208203bb31db9065fe4305dea");
    put32(in.evm_emulator_hash, "01000e53aa35d9d19fa99341c2e2901cf93b3668f01569dd5c6ca409c7696b91");
    kiln_batch_commitment(&p, &in);
    EXPECT_EQ(hex(p.meta_hash, 32), "02531e5cc22688523a4ac9317e5097743771f6914015cf1152491cf22084bd58");
    EXPECT_EQ(hex(p.aux_hash, 32), "adc63d9c45f85598f3e3c232970315d1f6ac96222e379e16ced7a204524a4061");
    EXPECT_EQ(hex(p.commitment, 32), "4fdd8c5b231dfc9fc81aba744a90fbec78627f529ac29f9fc758a7b9e62fa321");
}

TEST(ZkStackBatch, L1SideCommitmentAndPublicInput) { // EC:…/ExecutorProof.t.sol:81 test_Hashes
    kiln_batch_commitment_input in;
    memset(&in, 0, sizeof in);
    in.index_repeated_storage_changes = 84;
    put32(in.new_state_root, "1df8761352f4d39602beaf619e6b7a96111d3a54550bcf21f2623860cf3ed3d8");
    put32(in.bootloader_hash, "010008ddde4acc465cde1c420883701caadb41954567c0b4e3a0d1093a7afde7");
    put32(in.default_aa_hash, "0100058d1abd41a9984b37939862f99c18237dc6951c3d5a3d81593c798a8f81");
    put32(in.evm_emulator_hash, "01000f196acd122635a752fcb275be0cc95fd3bba348c1d0908a517fe316418e");
    put32(in.bootloader_heap_hash, "540442e48142fa061a81822184f7790e7b69dea92153d38ef623802c6f0411c0");
    put32(in.events_queue_hash, "da42ab7994d4695a25f4ea8a9a485a592b7a31c20d5dae6363828de86d8826ea");
    // Utils.createSystemLogsWithEmptyDAValidator: nine logs 0001 0000 ‖ sender ‖ u256 key ‖ value (v26 keys).
    const uint32_t senders[9] = {0x8008, 0x800b, 0x8001, 0x8001, 0x800b, 0x8008, 0x8008, 0x8001, 0x8001};
    kiln_l2l1_log logs[9];
    for (int i = 0; i < 9; i++) {
        memset(&logs[i], 0, sizeof logs[i]);
        logs[i].is_service = 1;
        kiln_system_address(logs[i].sender, senders[i]);
        kiln_u256_be_from_u64(logs[i].key, (uint64_t)i);
    }
    memcpy(logs[2].value, KILN_EMPTY_STRING_KECCAK, 32);
    kiln_system_logs_hash(in.system_logs_hash, logs, 9);
    kiln_batch_commitment_parts p;
    kiln_batch_commitment(&p, &in);
    EXPECT_EQ(hex(p.commitment, 32), "9fae89899313dc524150960147a32da2521608231cb39e2741b2ca13435d3f12");
    uint8_t prev[32], pi[32];
    put32(prev, "8199d18dbc01ea80a635f515d6a12312daa1aa32b5404944477dcd41fd7b2bdf");
    kiln_batch_public_input(pi, prev, p.commitment);
    EXPECT_EQ(hex(pi, 32), "00000000" + lc("C09291737B046C329198E1BEE081240EAFC26B675F0124BFB2A12FA6"));
}

TEST(ZkStackBatch, MainnetGenesis) { // ERA:etc/upgrades/v29-3-upgrade/mainnet.yaml:116 (+[derived] rule)
    kiln_batch_commitment_input in;
    memset(&in, 0, sizeof in);
    in.index_repeated_storage_changes = 84;
    put32(in.new_state_root, "934d46a331e4c617767cade322bc4d262899c0dc5568d2019d4e11301c0cc032");
    put32(in.bootloader_hash, "01000911c4db4fe62c98e180cfa7e9b3a22fb15f505905d4bf36192f481551e6");
    put32(in.default_aa_hash, "010005f73e7c299ed73db937843643bdc276cbc2cc8596287e1e0cf3afc60252");
    put32(in.evm_emulator_hash, "01000d8bae37b82f311186426184866498b357f41d7a02ced11f3e3fbfbacd63");
    kiln_system_logs_hash(in.system_logs_hash, nullptr, 0);
    kiln_state_diffs_hash(in.state_diffs_hash, nullptr, 0);
    EXPECT_EQ(0, memcmp(in.system_logs_hash, KILN_EMPTY_STRING_KECCAK, 32));
    kiln_batch_commitment_parts p;
    kiln_batch_commitment(&p, &in);
    EXPECT_EQ(hex(p.commitment, 32), "4df2f475a7b24cf76a9bafca7b39a081028537c6f01993ceb5cf394eda16cca1");

    kiln_stored_batch_info sbi;
    memset(&sbi, 0, sizeof sbi);
    memcpy(sbi.batch_hash, in.new_state_root, 32);
    sbi.index_repeated_storage_changes = 84;
    memcpy(sbi.priority_operations_hash, KILN_EMPTY_STRING_KECCAK, 32);
    memcpy(sbi.commitment, p.commitment, 32);
    uint8_t h[32], zero[32] = {0};
    kiln_stored_batch_info_hash_v29(h, &sbi, zero); // [derived] v29 9-field layout
    EXPECT_EQ(hex(h, 32), "4e89e7408b8a0abb45917cb07d586b1b0affca0ba4e6fd450504bdea9dd079a1");
    // The ≤v28 8-word ABI encoding, built by hand (no published hash exists).
    uint8_t enc[256];
    kiln_stored_batch_info_encode(enc, &sbi);
    std::string w0(64, '0');
    std::string want = w0 + "934d46a331e4c617767cade322bc4d262899c0dc5568d2019d4e11301c0cc032" +
                       std::string(62, '0') + "54" + w0 +
                       "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" + w0 + w0 +
                       "4df2f475a7b24cf76a9bafca7b39a081028537c6f01993ceb5cf394eda16cca1";
    EXPECT_EQ(hex(enc, 256), want);
    kiln_stored_batch_info_hash(h, &sbi);
    EXPECT_EQ(hex(h, 32), hex(k256(H(want))));
}

TEST(ZkStackBatch, SystemLogsV23) {
    uint8_t v[32] = {0};
    kiln_l2l1_log logs[14];
    for (unsigned k = 0; k < 14; k++)
        ASSERT_EQ(kiln_system_log_v23(&logs[k], k, v, 0, nullptr, 0), KILN_OK);
    EXPECT_EQ(hex(logs[0].sender, 20), "0000000000000000000000000000000000008008");
    EXPECT_EQ(hex(logs[3].sender, 20), "000000000000000000000000000000000000800b");
    EXPECT_EQ(hex(logs[6].sender, 20), "0000000000000000000000000000000000008001");
    EXPECT_EQ(hex(logs[12].sender, 20), "0000000000000000000000000000000000008011");
    EXPECT_EQ(hex(logs[13].sender, 20), "0000000000000000000000000000000000008001");
    char err[96];
    EXPECT_EQ(kiln_system_log_v23(&logs[0], 14, v, 0, err, sizeof err), KILN_ERR_INVALID_ARG);
    ASSERT_EQ(kiln_system_log_v23(&logs[0], 0, v, 0, nullptr, 0), KILN_OK);
    EXPECT_EQ(kiln_system_logs_check_v23(logs, 13, 0, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(kiln_system_logs_check_v23(logs, 14, 1, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(kiln_system_logs_check_v23(logs, 14, 0, err, sizeof err), KILN_ERR_VERIFY);
    EXPECT_EQ(kiln_system_logs_check_v23(logs, 12, 0, err, sizeof err), KILN_ERR_VERIFY);
    kiln_l2l1_log bad[13];
    memcpy(bad, logs, sizeof bad);
    bad[4].sender[19] = 0x01;
    EXPECT_EQ(kiln_system_logs_check_v23(bad, 13, 0, err, sizeof err), KILN_ERR_VERIFY);
    memcpy(bad, logs, sizeof bad);
    bad[12] = bad[11];
    EXPECT_EQ(kiln_system_logs_check_v23(bad, 13, 0, err, sizeof err), KILN_ERR_VERIFY);
    uint8_t ts[32];
    kiln_packed_timestamps(ts, 0x65c22f80, 0x65c22f81);
    EXPECT_EQ(hex(ts, 32),
              std::string(16, '0') + "0000000065c22f80" + std::string(16, '0') + "0000000065c22f81");
}

// ---------------------------------------------------------------- §8 addresses, storage keys, fees
TEST(ZkStackAddress, ZkCreate2Dai) { // EC:…/L2ContractHelper.t.sol:71 test_ComputeCreate2Address
    uint8_t sender[20], salt[32], bch[32], out[20];
    put20(sender, "11f943b2c77b743AB90f4A0Ae7d5A4e7FCA3E102");
    put32(salt, "6B175474E89094C44Da98b954EedeAC495271d0F");
    put32(bch, "01000121a363b3fbec270986067c1b553bf540c30a6f186f45313133ff1a1019");
    Bytes pre(96, 0); // abi.encode(address, bytes("")): address ‖ offset 0x40 ‖ length 0
    Bytes a = H("1Eb710030273e529A6aD7E1e14D4e601765Ba3c6");
    memcpy(&pre[12], a.data(), 20);
    pre[63] = 0x40;
    Bytes ih = k256(pre);
    EXPECT_EQ(hex(ih), "fb57712635beb8a41dc0771f2cd8a4c24b747957bb1b4e7cc7ac683da5d933aa"); // [derived]
    kiln_zk_create2_address(out, sender, salt, bch, ih.data());
    EXPECT_EQ(hex(out, 20), lc("4B9eb6c0b6ea15176BBF62841C6B2A8a398cb656"));
}

TEST(ZkStackAddress, ZkCreateAndOnChainCreate2) { // ZKE:tests/unit/utils.test.ts:35, :42 (trap respected)
    uint8_t sender[20], out[20];
    put20(sender, "36615Cf349d7F6344891B1e7CA7C72883F5dc049");
    kiln_zk_create_address(out, sender, 1);
    EXPECT_EQ(hex(out, 20), lc("4B5DF730c2e6b28E17013A1485E5d9BC41Efe021"));
    // The SDK's CREATE2 vector hashes a 1-byte unpadded salt; the on-chain rule with salt = bytes32(1) gives
    // the [derived] 0x78ee…ec4c.
    uint8_t salt[32], bch[32];
    put32(salt, "01");
    put32(bch, "010001cb6a6e8d5f6829522f19fa9568660e0a9cd53b2e8be4deb0a679452e41");
    Bytes ih = k256(H("01"));
    kiln_zk_create2_address(out, sender, salt, bch, ih.data());
    EXPECT_EQ(hex(out, 20), "78ee9dea03a39f5cc04c80a575517ff5de02ec4c");
    EXPECT_NE(hex(out, 20), lc("29bac3E5E8FFE7415F97C956BFA106D70316ad50"));
}

TEST(ZkStackAddress, EvmCreate) { // ERA:core/lib/types/src/utils.rs:159 (geth vectors)
    uint8_t sender[20], out[20];
    put20(sender, "970e8128ab834e8eac17ab8e3812f010678cf791");
    const char *want[3] = {"333c3310824b7c685133f2bedb2ca4b8b4df633d",
                           "8bda78331c916a08481428e4b07c96d3e916d165",
                           "c9ddedf451bc62ce88bf9292afb13df35b670699"};
    for (int n = 0; n < 3; n++) {
        kiln_evm_create_address(out, sender, (uint64_t)n);
        EXPECT_EQ(hex(out, 20), want[n]);
    }
    // Larger nonces: RLP of [sender, nonce] built by hand.
    for (uint64_t nonce : {0x7full, 0x80ull, 0x1234ull, 0xffffffffffffffffull}) {
        Bytes nb;
        if (nonce < 0x80)
            nb = {(uint8_t)nonce};
        else {
            Bytes be;
            for (uint64_t x = nonce; x; x >>= 8)
                be.insert(be.begin(), (uint8_t)x);
            nb = {(uint8_t)(0x80 + be.size())};
            nb.insert(nb.end(), be.begin(), be.end());
        }
        Bytes rlp = {(uint8_t)(0xc0 + 21 + nb.size()), 0x94};
        rlp.insert(rlp.end(), sender, sender + 20);
        rlp.insert(rlp.end(), nb.begin(), nb.end());
        kiln_evm_create_address(out, sender, nonce);
        EXPECT_EQ(hex(out, 20), hex(k256(rlp)).substr(24)) << nonce;
    }
}

TEST(ZkStackAddress, EvmCreate2) { // EIP-1014 example 0: address 0, salt 0, init code 0x00
    uint8_t sender[20] = {0}, salt[32] = {0}, out[20];
    Bytes ih = k256(H("00"));
    kiln_evm_create2_address(out, sender, salt, ih.data());
    EXPECT_EQ(hex(out, 20), "4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38");
}

TEST(ZkStackAddress, Alias) { // ZKE:tests/unit/utils.test.ts:54
    uint8_t l1[20], l2[20], back[20];
    put20(l1, "702942B8205E5dEdCD3374E5f4419843adA76Eeb");
    kiln_l1_to_l2_alias(l2, l1);
    EXPECT_EQ(hex(l2, 20), lc("813A42B8205E5DedCd3374e5f4419843ADa77FFC"));
    kiln_l2_to_l1_unalias(back, l2);
    EXPECT_EQ(hex(back, 20), hex(l1, 20));
    put20(l1, "eeeeffffffffffffffffffffffffffffffffeeef");
    kiln_l1_to_l2_alias(l2, l1);
    EXPECT_EQ(hex(l2, 20), std::string(40, '0'));
    put20(l2, "0100");
    kiln_l2_to_l1_unalias(back, l2);
    EXPECT_EQ(hex(back, 20), "eeeeffffffffffffffffffffffffffffffffefef");
}

TEST(ZkStackAddress, StorageKeys) { // vectors §8; ERA:core/lib/types/src/utils.rs:136 (ERC-20 rule, slot 51)
    uint8_t a[20], k[32];
    put20(a, "de03a0b5963f75f1c8485b355ff6d30f3093bde7");
    kiln_eth_balance_key(k, a);
    EXPECT_EQ(hex(k, 32), "294a00337abeee2b3cd948ffeed92231e2a3acc2eb11210400e0aa9557f23e26");
    kiln_nonce_holder_key(k, a);
    EXPECT_EQ(hex(k, 32), "294a00337abeee2b3cd948ffeed92231e2a3acc2eb11210400e0aa9557f23e26");
    struct {
        const char *addr, *key;
    } erc20[] = {{"1dfe8ea5e8de74634db78d9f8d41a1c832ab91e8",
                  "d8f16e1d7fe824994134861c968a8f276930db7daf6ba4dd083567259d3ff857"},
                 {"de03a0b5963f75f1c8485b355ff6d30f3093bde7",
                  "4e08bf0f8822508eed9a1fb7d98cf6067ab156c74e9ebdda0924bef229d71995"},
                 {"2c9fc71c164f7332f368da477256e1b049575979",
                  "b6ef92f5b364b6e13f237aef1213b68f53f91ac35dcea0ad60e103b5245fd85c"}};
    for (auto &c : erc20) {
        put20(a, c.addr);
        kiln_mapping_slot_key(k, a, KILN_ERC20_BALANCE_SLOT);
        EXPECT_EQ(hex(k, 32), c.key);
    }
    kiln_system_address(a, KILN_ADDR_PUBDATA_CHUNK_PUBLISHER);
    EXPECT_EQ(hex(a, 20), "0000000000000000000000000000000000008011");
}

struct FeeCase {
    const char *name;
    uint64_t min_l2, compute_ppm, pubdata_ppm, overhead_gas, max_gas, max_pubdata;
    uint64_t l1_gas, l1_pubdata, gas_scale, pub_scale, num, den;
    int clip;
    uint64_t want_l1, want_l2, want_pub;
};

TEST(ZkStackFee, ModelV2) { // ERA:core/lib/types/src/fee_model.rs tests (line in the name)
    const uint64_t G = 1000000000ull;
    const FeeCase cases[] = {
        {"giant_numbers:599", 100000000000000ull, 5000000, 5000000, 1000000, 50000000, 100000,
         100000000000000ull, 100000000000000ull, 3000000, 3000000, 1, 1, 0, 300000000000000ull,
         130000000000000ull, 15300000000000000ull},
        {"small_numbers:630", 1, 0, 0, 0, 50000000, 100000, 1, 1, 1000000, 1000000, 1, 1, 1, 1, 1, 1},
        {"only_pubdata_overhead:657", 100000000000ull, 0, 1000000, 700000, 500000000, 100000,
         100000000000000ull, 100000000000000ull, 1000000, 1000000, 1, 1, 1, 100000000000000ull,
         100000000000ull, 800000000000000ull},
        {"only_compute_overhead:685", 100000000000ull, 1000000, 0, 700000, 500000000, 100000,
         100000000000000ull, 100000000000000ull, 1000000, 1000000, 1, 1, 0, 100000000000000ull,
         240000000000ull, 100000000000000ull},
        {"over_limit_due_to_l1_gas:828", 100 * G, 500000, 500000, 700000, 500000000, 100000,
         1000000000000000000ull, 100000000000000ull, 1000000, 1000000, 1, 1, 1, 1000000000000000000ull,
         10000 * G, 1000000 * G},
        {"over_limit_due_to_conversion_rate:856", 1 * G, 500000, 500000, 700000, 500000000, 100000, 1 * G,
         2 * G, 1000000, 1000000, 3000000, 1, 1, 3000000 * G, 10000 * G, 1000000 * G},
    };
    for (auto &c : cases) {
        kiln_fee_model_config_v2 cfg = {c.min_l2,       c.compute_ppm, c.pubdata_ppm,
                                        c.overhead_gas, c.max_gas,     c.max_pubdata};
        kiln_fee_model_prices pr = {c.l1_gas, c.l1_pubdata, c.gas_scale, c.pub_scale, c.num, c.den};
        kiln_batch_fee_input out;
        ASSERT_EQ(kiln_fee_model_v2(&out, &cfg, &pr, c.clip, nullptr, 0), KILN_OK) << c.name;
        EXPECT_EQ(out.l1_gas_price, c.want_l1) << c.name;
        EXPECT_EQ(out.fair_l2_gas_price, c.want_l2) << c.name;
        EXPECT_EQ(out.fair_pubdata_price, c.want_pub) << c.name;
    }
    kiln_fee_model_config_v2 bad = {1, 0, 0, 0, 0, 100000};
    kiln_fee_model_prices pr = {1, 1, 1000000, 1000000, 1, 1};
    kiln_batch_fee_input out;
    EXPECT_EQ(kiln_fee_model_v2(&out, &bad, &pr, 1, nullptr, 0), KILN_ERR_INVALID_ARG);
}

TEST(ZkStackFee, BootloaderParams) { // vectors §8 [derived] VM-side values; vm_latest/utils/fee.rs
    uint64_t bf, gpp;
    kiln_fee_bootloader_params(100000000000ull, 800000000000000ull, &bf, &gpp);
    EXPECT_EQ(bf, 100000000000ull);
    EXPECT_EQ(gpp, 8000u);
    kiln_fee_bootloader_params(130000000000000ull, 15300000000000000ull, &bf, &gpp);
    EXPECT_EQ(bf, 130000000000000ull);
    EXPECT_EQ(gpp, 118u);
    // Pubdata-bound base fee: ceil(10^15 / 50000) = 2·10^10 > fair_l2, so gas_per_pubdata is 50000.
    kiln_fee_bootloader_params(1, 1000000000000000ull, &bf, &gpp);
    EXPECT_EQ(bf, 20000000000ull);
    EXPECT_EQ(gpp, 50000u);
    kiln_fee_bootloader_params(7, 0, &bf, &gpp);
    EXPECT_EQ(bf, 7u);
    EXPECT_EQ(gpp, 0u);
}

TEST(ZkStackFee, L1ToL2GasPrice) { // Mailbox._deriveL2GasPrice with SystemConfig defaults (hand-computed)
    kiln_l1_fee_params p = {0, 1000000, 120000, 80000000, 99000, 250000000};
    kiln_u256 gp, out;
    kiln_u256_from_u64(&gp, 50000000000ull);
    ASSERT_EQ(kiln_l1_to_l2_gas_price(&out, &p, &gp, 800, 1, 1, nullptr, 0), KILN_OK);
    // conv 5e10; full = 17·5e10 + 5e16/120000 = 1266666666666; ceil(/800) = 1583333334 > 2.5e8 + 5e16/8e7.
    EXPECT_EQ(kiln_u256_to_u64_saturating(&out), 1583333334ull);
    p.validium = 1;
    ASSERT_EQ(kiln_l1_to_l2_gas_price(&out, &p, &gp, 800, 3, 2, nullptr, 0), KILN_OK);
    EXPECT_EQ(kiln_u256_to_u64_saturating(&out), 1187500000ull);
    kiln_u256 cost;
    ASSERT_EQ(kiln_l1_to_l2_base_cost(&cost, &out, 1000000, nullptr, 0), KILN_OK);
    EXPECT_EQ(kiln_u256_to_u64_saturating(&cost), 1187500000000000ull);
    EXPECT_EQ(kiln_l1_to_l2_gas_price(&out, &p, &gp, 0, 1, 1, nullptr, 0), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_fee_tx_overhead(0), 10000u);
    EXPECT_EQ(kiln_fee_tx_overhead(1000), 10000u);
    EXPECT_EQ(kiln_fee_tx_overhead(1001), 10010u);
    EXPECT_EQ(kiln_fee_tx_overhead(UINT64_MAX), UINT64_MAX);
}

TEST(ZkStackFee, L1TxGasLimits) { // TransactionValidator (v23) with SystemConfig constants; hand-computed
    EXPECT_EQ(kiln_l1_tx_minimal_gas(0, 0, 800), 243884u);    // base 173484 + 800·88
    EXPECT_EQ(kiln_l1_tx_minimal_gas(5000, 0, 800), 252778u); // 167157 + ceil(5000·1656/544) + 800·88
    EXPECT_EQ(kiln_l1_tx_minimal_gas(1000, 2, 800), 347948u); // 167157 + 3045 + 2·2473 + 800·(88 + 128)
    uint64_t body = 0;
    char err[96];
    EXPECT_EQ(kiln_l1_tx_check_gas(&body, 10000 + 243884, 0, 0, 800, 72000000, 99000, err, sizeof err),
              KILN_OK);
    EXPECT_EQ(body, 243884u);
    EXPECT_EQ(kiln_l1_tx_check_gas(&body, 10000 + 243883, 0, 0, 800, 72000000, 99000, err, sizeof err),
              KILN_ERR_VERIFY);
    EXPECT_EQ(kiln_l1_tx_check_gas(&body, 50000 + 252778, 5000, 0, 800, 72000000, 99000, err, sizeof err),
              KILN_OK);
    EXPECT_EQ(body, 252778u);
    EXPECT_EQ(kiln_l1_tx_check_gas(&body, 72010000, 0, 0, 800, 72000000, 99000, err, sizeof err), KILN_OK);
    EXPECT_EQ(kiln_l1_tx_check_gas(&body, 72010001, 0, 0, 800, 72000000, 99000, err, sizeof err),
              KILN_ERR_VERIFY);
    EXPECT_EQ(kiln_l1_tx_check_gas(&body, 5010000, 0, 0, 50, 72000000, 99000, err, sizeof err),
              KILN_ERR_VERIFY);
    EXPECT_EQ(kiln_l1_tx_check_gas(&body, 9999, 0, 0, 800, 72000000, 99000, err, sizeof err),
              KILN_ERR_VERIFY);
    EXPECT_EQ(kiln_l1_tx_check_gas(&body, 1ull << 50, 1ull << 41, 0, 800, 72000000, 99000, err, sizeof err),
              KILN_ERR_INVALID_ARG);
}

TEST(ZkStackFee, U256Helpers) {
    kiln_u256 a, q;
    uint8_t be[32];
    put32(be, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    kiln_u256_from_be(&a, be);
    uint64_t rem;
    kiln_u256_divmod_u64(&q, &rem, &a, 0xffffffffffffffffull);
    kiln_u256_to_be(be, &q); // (2^256−1)/(2^64−1) = 1 ‖ 1 ‖ 1 ‖ 1 in 64-bit words
    EXPECT_EQ(hex(be, 32), "0000000000000001000000000000000100000000000000010000000000000001");
    EXPECT_EQ(rem, 0u);
    kiln_u256_from_u64(&a, 1);
    EXPECT_EQ(kiln_u256_mul_u64(&q, &a, 0xffffffffffffffffull), 0);
    EXPECT_EQ(kiln_u256_mul_u64(&q, &a, 0), 0);
    put32(be, "01000000000000000000000000000000000000000000000000000000000000"); // 2^240
    kiln_u256_from_be(&a, be);
    EXPECT_EQ(kiln_u256_mul_u64(&q, &a, 0xffff), 0);
    EXPECT_EQ(kiln_u256_mul_u64(&q, &a, 0x10000), 1); // 2^256 overflows
}

// ---------------------------------------------------------------- pubdata
TEST(ZkStackPubdata, BuildAndParseFixture) {
    auto diffs = fixture_diffs();
    kiln_l2l1_log logs[2] = {fixture_log(), fixture_log()};
    logs[1].tx_number_in_block = 3;
    Bytes m0 = H("6c0960f9"), bc(64, 0xab);
    kiln_bytes_ref msgs[2] = {{m0.data(), m0.size()}, {nullptr, 0}};
    kiln_bytes_ref bcs[1] = {{bc.data(), bc.size()}};
    kiln_pubdata_input in = {logs, 2, msgs, 2, bcs, 1, diffs.data(), diffs.size()};
    size_t size = 0, len = 0;
    ASSERT_EQ(kiln_pubdata_size(&size, &in, nullptr, 0), KILN_OK);
    EXPECT_EQ(size, 4 + 2 * 88 + 4 + (4 + 4) + (4 + 0) + 4 + (4 + 64) + 333u);
    Bytes out(size);
    char err[128] = "";
    ASSERT_EQ(kiln_pubdata_build(out.data(), size, &len, &in, err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(len, size);
    EXPECT_EQ(kiln_pubdata_build(out.data(), size - 1, &len, &in, err, sizeof err), KILN_ERR_LIMIT);
    std::string want = "00000002";
    for (auto &l : logs) {
        uint8_t e[88];
        kiln_l2l1_log_encode(e, &l);
        want += hex(e, 88);
    }
    want += "00000002"
            "00000004"
            "6c0960f9"
            "00000000"
            "00000001"
            "00000040" +
            hex(bc) + FIXTURE_COMPRESSED;
    EXPECT_EQ(hex(out), want);

    kiln_pubdata_view v;
    ASSERT_EQ(kiln_pubdata_parse(&v, out.data(), out.size(), err, sizeof err), KILN_OK) << err;
    EXPECT_EQ(v.n_logs, 2u);
    EXPECT_EQ(v.n_messages, 2u);
    EXPECT_EQ(v.n_bytecodes, 1u);
    EXPECT_EQ(v.n_initial_writes, 4u);
    EXPECT_EQ(v.n_repeated_writes, 5u);
    EXPECT_EQ(hex(v.state_diffs, v.state_diffs_len), FIXTURE_COMPRESSED);
    kiln_l2l1_log l1;
    kiln_l2l1_log_decode(&l1, v.logs + 88);
    EXPECT_EQ(l1.tx_number_in_block, 3);
    size_t pos = 0;
    kiln_bytes_ref item;
    ASSERT_TRUE(kiln_pubdata_next_item(v.messages, v.messages_len, &pos, &item));
    EXPECT_EQ(hex(item.data, item.len), "6c0960f9");
    ASSERT_TRUE(kiln_pubdata_next_item(v.messages, v.messages_len, &pos, &item));
    EXPECT_EQ(item.len, 0u);
    EXPECT_FALSE(kiln_pubdata_next_item(v.messages, v.messages_len, &pos, &item));
    EXPECT_EQ(kiln_state_diffs_check_compressed(v.state_diffs, v.state_diffs_len, diffs.data(), diffs.size(),
                                                err, sizeof err),
              KILN_OK);

    for (size_t n = 0; n < out.size(); n++)
        EXPECT_EQ(kiln_pubdata_parse(&v, out.data(), n, err, sizeof err), KILN_ERR_PARSE) << n;
    out.push_back(0);
    EXPECT_EQ(kiln_pubdata_parse(&v, out.data(), out.size(), err, sizeof err), KILN_ERR_PARSE);
    Bytes many = H("00004001"); // 16385 logs
    many.resize(4 + 16385 * 88 + 100);
    EXPECT_EQ(kiln_pubdata_parse(&v, many.data(), many.size(), err, sizeof err), KILN_ERR_PARSE);
    Bytes huge = H("00000000ffffffff00000001"); // 2^32−1 messages
    EXPECT_EQ(kiln_pubdata_parse(&v, huge.data(), huge.size(), err, sizeof err), KILN_ERR_PARSE);
}

TEST(ZkStackPubdata, BlobLinearHashes) {
    uint8_t hs[6][32];
    char err[96];
    ASSERT_EQ(kiln_pubdata_blob_linear_hashes(hs, nullptr, 0, err, sizeof err), KILN_OK);
    for (auto &h : hs)
        EXPECT_EQ(hex(h, 32), std::string(64, '0'));
    Bytes one = {0x42};
    ASSERT_EQ(kiln_pubdata_blob_linear_hashes(hs, one.data(), 1, err, sizeof err), KILN_OK);
    Bytes blob(KILN_BLOB_SIZE_BYTES, 0);
    blob[0] = 0x42;
    EXPECT_EQ(hex(hs[0], 32), hex(k256(blob)));
    EXPECT_EQ(hex(hs[1], 32), std::string(64, '0'));
    Bytes big((size_t)KILN_BLOB_SIZE_BYTES * 6 + 1);
    EXPECT_EQ(kiln_pubdata_blob_linear_hashes(hs, big.data(), big.size(), err, sizeof err),
              KILN_ERR_INVALID_ARG);
}

TEST(ZkStackLogs, ChainedMessagesHash) {
    uint8_t acc[32] = {0};
    Bytes m = H("6c0960f9");
    kiln_l2l1_chained_messages_append(acc, m.data(), m.size());
    Bytes pre(32, 0);
    Bytes mh = k256(m);
    pre.insert(pre.end(), mh.begin(), mh.end());
    EXPECT_EQ(hex(acc, 32), hex(k256(pre)));
}

} // namespace
