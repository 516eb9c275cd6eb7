// The bootloader end to end (guest/bootloader, sequencer/batch_run): batches of transfers of each type,
// deposits and withdrawals executed in the VM on a RocksDB state; every bad transaction rejected with its
// reason and without effect (the state root equals the one of the same batch without it); ETH conserved;
// the recorded advice replays to the same output and a tampered one does not.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "bootloader_image.h"
#include "eth_tx_builder.h"
#include "test_bytes.h"
#include "protocol/address.h"
#include "protocol/pubdata.h"
#include "protocol/receipt.h"
#include "protocol/uint256.h"
#include "sequencer/batch_run.h"
#include "vm.h"

using ethtx::Bytes;

namespace {

const uint64_t CHAIN = 270;
const uint64_t GWEI = 1000000000ull;

using ethtx::hex;

using kt::TempDir;

struct Program {
    kiln_vm_program *p = nullptr;
    Program() {
        char err[256];
        if (kiln_vm_program_from_elf(kiln_bootloader_elf, kiln_bootloader_elf_len, &p, err, sizeof err) != KILN_OK)
            p = nullptr;
    }
    ~Program() { kiln_vm_program_free(p); }
};

struct BatchSpec {
    std::map<std::string, std::string> genesis; // address -> wei (hex)
    std::vector<std::pair<uint64_t, std::vector<Bytes>>> blocks;
    std::vector<std::pair<std::string, std::string>> deposits; // to, amount
    std::string json() const {
        std::string s = "{\"chain_id\": " + std::to_string(CHAIN) + ", \"genesis\": {\"balances\": {";
        bool first = true;
        for (auto &g : genesis) {
            s += (first ? "\"" : ", \"") + g.first + "\": \"" + g.second + "\"";
            first = false;
        }
        s += "}}, \"blocks\": [";
        for (size_t i = 0; i < blocks.size(); i++) {
            s += (i ? ", " : "") + std::string("{\"timestamp\": ") + std::to_string(blocks[i].first) + ", \"txs\": [";
            for (size_t j = 0; j < blocks[i].second.size(); j++)
                s += (j ? ", \"" : "\"") + hex(blocks[i].second[j]) + "\"";
            s += "]}";
        }
        s += "], \"priority_ops\": [";
        for (size_t i = 0; i < deposits.size(); i++)
            s += (i ? ", " : "") + std::string("{\"type\": \"deposit\", \"to\": \"") + deposits[i].first +
                 "\", \"amount\": \"" + deposits[i].second + "\"}";
        return s + "]}";
    }
};

kiln_u256 balance(kiln_batch_run &run, const uint8_t a[20], uint64_t *nonce = nullptr) {
    uint8_t b[32];
    uint64_t n;
    char err[256];
    EXPECT_EQ(kiln_chain_state_account(&run.state, a, b, &n, err, sizeof err), KILN_OK) << err;
    if (nonce) *nonce = n;
    kiln_u256 v;
    kiln_u256_from_be(&v, b);
    return v;
}

uint64_t lo64(const kiln_u256 &v) { return (uint64_t)v.w[1] << 32 | v.w[0]; }

ethtx::Tx transfer(int type, uint64_t nonce, const uint8_t to[20], uint64_t value) {
    ethtx::Tx t;
    t.type = type;
    t.chain_id = CHAIN;
    t.nonce = nonce;
    t.gas_limit = 200000;
    t.max_fee = GWEI;
    memcpy(t.to, to, 20);
    ethtx::set_value(t, value);
    return t;
}

class Batch : public ::testing::Test {
  protected:
    Program prog;
    ethtx::Key a = ethtx::make_key(1), b = ethtx::make_key(2), c = ethtx::make_key(3);
    void SetUp() override { ASSERT_NE(prog.p, nullptr); }
    BatchSpec base() {
        BatchSpec s;
        s.genesis[hex(a.addr, 20)] = "0xde0b6b3a7640000";  // 1 ETH
        s.genesis[hex(b.addr, 20)] = "0x1bc16d674ec80000"; // 2 ETH
        return s;
    }
    kiln_status run(const std::string &dir, const BatchSpec &s, kiln_batch_run *r, std::string *err_out = nullptr) {
        std::string j = s.json();
        char err[512] = "";
        kiln_status st = kiln_batch_run_json(prog.p, dir.c_str(), j.data(), j.size(), r, err, sizeof err);
        if (err_out) *err_out = err;
        return st;
    }
};

TEST_F(Batch, TransfersOfEachTypeMoveExactlyTheirValueAndConserveEth) {
    TempDir d;
    BatchSpec s = base();
    s.blocks.push_back({100, {ethtx::sign(transfer(0, 0, c.addr, 1000), a), ethtx::sign(transfer(1, 0, c.addr, 2000), b)}});
    ethtx::Tx pre155 = transfer(0, 1, c.addr, 3000);
    pre155.eip155 = false;
    ethtx::Tx zk = transfer(0x71, 2, c.addr, 5000); // the ZK Stack's EIP-712 type
    zk.priority_fee = 0;
    s.blocks.push_back({101, {ethtx::sign(transfer(2, 1, c.addr, 4000), b), ethtx::sign(pre155, a), ethtx::sign(zk, a)}});
    kiln_batch_run r;
    std::string err;
    ASSERT_EQ(run(d.path, s, &r, &err), KILN_OK) << err;
    ASSERT_EQ(r.res.n_receipts, 5u);
    uint64_t gas_a = 0, gas_b = 0;
    for (size_t i = 0; i < 5; i++) {
        EXPECT_EQ(r.res.receipts[i].status, KILN_TX_SUCCESS) << i << ": " << kiln_tx_reason_name(r.res.receipts[i].reason);
        EXPECT_GE(r.res.receipts[i].gas_used, 21000u);
        EXPECT_LE(r.res.receipts[i].gas_used, 200000u);
        (i == 0 || i >= 3 ? gas_a : gas_b) += r.res.receipts[i].gas_used;
    }
    // Receipts name each transaction by its Ethereum hash (keccak of the raw bytes for every type).
    uint8_t h[32];
    ethtx::tx_hash(ethtx::sign(transfer(0, 0, c.addr, 1000), a), h);
    EXPECT_EQ(memcmp(h, r.res.receipts[0].hash, 32), 0);
    uint64_t na, nb, nc;
    kiln_u256 ba = balance(r, a.addr, &na), bb = balance(r, b.addr, &nb), bc = balance(r, c.addr, &nc);
    EXPECT_EQ(na, 3u);
    EXPECT_EQ(nb, 2u);
    EXPECT_EQ(nc, 0u);
    EXPECT_EQ(lo64(bc), 15000u);
    // base fee: max(0.1 gwei, ceil(1 gwei / 50000)) = 0.1 gwei (the defaults)
    const uint64_t base_fee = 100000000;
    EXPECT_EQ(lo64(ba), 1000000000000000000ull - 9000 - gas_a * base_fee);
    EXPECT_EQ(lo64(bb), 2000000000000000000ull - 6000 - gas_b * base_fee);
    kiln_u256 fees = balance(r, KILN_DEFAULT_OPERATOR);
    EXPECT_EQ(lo64(fees), (gas_a + gas_b) * base_fee);
    // ETH is conserved: what a, b, c and the operator hold is the 3 ETH of the genesis.
    EXPECT_EQ(lo64(ba) + lo64(bb) + lo64(bc) + lo64(fees), 3000000000000000000ull);
    EXPECT_EQ(r.res.out.stored.batch_number, 1u);
    EXPECT_EQ(r.res.out.last_block_number, 3u); // two blocks and the fictive one
    std::printf("5 transfers: %llu cycles, %llu advice requests, %zu bytes of pubdata, next leaf %llu\n",
                (unsigned long long)r.res.vm.cycles, (unsigned long long)r.res.advice_requests, r.res.pubdata_len,
                (unsigned long long)r.res.out.stored.index_repeated_storage_changes);
    EXPECT_EQ(r.res.out.chain_id, CHAIN);
    kiln_batch_run_free(&r);
}

// Each rejected transaction leaves no trace: the batch with it has the state root of the batch without it.
TEST_F(Batch, BadTransactionsAreRejectedWithTheirReasonAndChangeNothing) {
    struct Case {
        const char *name;
        Bytes raw;
        kiln_tx_reason reason;
    };
    std::vector<Case> cases;
    {
        ethtx::Tx t = transfer(2, 0, c.addr, 1);
        t.chain_id = CHAIN + 1;
        cases.push_back({"wrong chain id", ethtx::sign(t, a), KILN_REASON_CHAIN_ID});
    }
    cases.push_back({"high s", ethtx::sign(transfer(2, 0, c.addr, 1), a, true), KILN_REASON_SIGNATURE});
    {
        Bytes raw = ethtx::sign(transfer(2, 0, c.addr, 1), a);
        raw[raw.size() - 40] ^= 0x01; // a byte of s: another (valid or not) signature, not a's
        cases.push_back({"forged signature", raw, KILN_REASON_NONCE_TOO_LOW});
    }
    cases.push_back({"nonce too low", ethtx::sign(transfer(2, 0, c.addr, 1), a), KILN_REASON_NONCE_TOO_LOW});
    cases.push_back({"nonce too high", ethtx::sign(transfer(2, 5, c.addr, 1), a), KILN_REASON_NONCE_TOO_HIGH});
    cases.push_back({"insufficient funds", ethtx::sign(transfer(2, 1, c.addr, 3000000000000000000ull), a),
                     KILN_REASON_INSUFFICIENT_FUNDS});
    {
        ethtx::Tx t = transfer(2, 1, c.addr, 1);
        t.gas_limit = 20999;
        cases.push_back({"gas below intrinsic", ethtx::sign(t, a), KILN_REASON_INTRINSIC_GAS});
    }
    {
        ethtx::Tx t = transfer(2, 1, c.addr, 1);
        t.max_fee = 1000; // below the base fee
        t.priority_fee = 1;
        cases.push_back({"fee below base fee", ethtx::sign(t, a), KILN_REASON_FEE_TOO_LOW});
    }
    cases.push_back({"malformed RLP", Bytes{0x02, 0xc3, 0x01, 0x02}, KILN_REASON_MALFORMED});
    {
        ethtx::Tx t = transfer(2, 1, c.addr, 0);
        t.create = true;
        t.data = Bytes(49153, 0x60); // one byte over EIP-3860's initcode limit
        t.gas_limit = 1000000;
        cases.push_back({"initcode too large", ethtx::sign(t, a), KILN_REASON_LIMITS});
    }
    {
        ethtx::Tx t = transfer(2, 1, c.addr, 1);
        t.data = Bytes(130 * 1024, 0x5a);
        t.gas_limit = 5000000;
        cases.push_back({"oversize", ethtx::sign(t, a), KILN_REASON_MALFORMED});
    }

    Bytes good = ethtx::sign(transfer(2, 0, c.addr, 7), a);
    TempDir d0;
    BatchSpec s0 = base();
    s0.blocks.push_back({100, {good}});
    kiln_batch_run r0;
    std::string err;
    ASSERT_EQ(run(d0.path, s0, &r0, &err), KILN_OK) << err;
    for (const Case &cs : cases) {
        SCOPED_TRACE(cs.name);
        TempDir d;
        BatchSpec s = base();
        s.blocks.push_back({100, {good, cs.raw}});
        kiln_batch_run r;
        ASSERT_EQ(run(d.path, s, &r, &err), KILN_OK) << err;
        ASSERT_EQ(r.res.n_receipts, 2u);
        EXPECT_EQ(r.res.receipts[0].status, KILN_TX_SUCCESS);
        EXPECT_EQ(r.res.receipts[1].status, KILN_TX_REJECTED);
        if (strcmp(cs.name, "forged signature") != 0) // a forged signature recovers some other key, or none
            EXPECT_EQ(r.res.receipts[1].reason, cs.reason) << kiln_tx_reason_name(r.res.receipts[1].reason);
        else
            EXPECT_TRUE(r.res.receipts[1].reason == KILN_REASON_SIGNATURE ||
                        r.res.receipts[1].reason == KILN_REASON_NONCE_TOO_LOW ||
                        r.res.receipts[1].reason == KILN_REASON_INSUFFICIENT_FUNDS);
        EXPECT_EQ(r.res.receipts[1].gas_used, 0u);
        EXPECT_EQ(memcmp(r.res.out.stored.batch_hash, r0.res.out.stored.batch_hash, 32), 0);
        EXPECT_EQ(memcmp(r.res.out.last_block_hash, r0.res.out.last_block_hash, 32), 0);
        kiln_batch_run_free(&r);
    }
    kiln_batch_run_free(&r0);
}

// A contract creation needs the EVM (issue 11): it is included and reverts, keeping its nonce bump and fee.
TEST_F(Batch, ACreationRevertsKeepingNonceAndFee) {
    TempDir d;
    BatchSpec s = base();
    ethtx::Tx t = transfer(2, 0, c.addr, 5);
    t.create = true;
    t.data = {0x60, 0x00, 0x60, 0x00, 0xf3};
    t.gas_limit = 100000;
    s.blocks.push_back({100, {ethtx::sign(t, a)}});
    kiln_batch_run r;
    std::string err;
    ASSERT_EQ(run(d.path, s, &r, &err), KILN_OK) << err;
    ASSERT_EQ(r.res.n_receipts, 1u);
    EXPECT_EQ(r.res.receipts[0].status, KILN_TX_REVERTED);
    EXPECT_EQ(r.res.receipts[0].reason, KILN_REASON_NO_CODE_RUNNER);
    uint64_t gas = r.res.receipts[0].gas_used, nonce;
    EXPECT_GE(gas, 53000u); // 21000 + 32000 for a creation, and calldata
    kiln_u256 ba = balance(r, a.addr, &nonce);
    EXPECT_EQ(nonce, 1u);
    EXPECT_EQ(lo64(ba), 1000000000000000000ull - gas * 100000000ull); // the value stayed
    kiln_batch_run_free(&r);
}

TEST_F(Batch, DepositsAndWithdrawalsAcrossTwoBatches) {
    TempDir d;
    BatchSpec s = base();
    ethtx::Key e = ethtx::make_key(9);
    s.deposits.push_back({hex(e.addr, 20), "0x2386f26fc10000"}); // 0.01 ETH
    s.blocks.push_back({100, {ethtx::sign(transfer(2, 0, c.addr, 5), a)}});
    kiln_batch_run r;
    std::string err;
    ASSERT_EQ(run(d.path, s, &r, &err), KILN_OK) << err;
    ASSERT_EQ(r.res.n_receipts, 2u);
    EXPECT_EQ(r.res.receipts[0].status, KILN_TX_SUCCESS); // the deposit, first in the block
    EXPECT_EQ(r.res.out.stored.number_of_layer1_txs, 1u);
    EXPECT_EQ(lo64(balance(r, e.addr)), 10000000000000000ull);
    uint8_t first_root[32];
    memcpy(first_root, r.res.out.stored.batch_hash, 32);
    kiln_batch_run_free(&r);

    // Batch 2 on the same state: e withdraws 0.004 ETH to an L1 address through L2BaseToken.
    BatchSpec s2;
    ethtx::Tx w = transfer(2, 0, e.addr, 4000000000000000ull);
    kiln_system_address(w.to, KILN_ADDR_L2_BASE_TOKEN);
    w.data = {0x51, 0xcf, 0xf8, 0xd9};
    w.data.resize(36, 0);
    memset(w.data.data() + 16, 0xab, 20);
    s2.blocks.push_back({200, {ethtx::sign(w, e)}});
    ASSERT_EQ(run(d.path, s2, &r, &err), KILN_OK) << err;
    ASSERT_EQ(r.res.n_receipts, 1u);
    EXPECT_EQ(r.res.receipts[0].status, KILN_TX_SUCCESS) << kiln_tx_reason_name(r.res.receipts[0].reason);
    EXPECT_EQ(r.res.out.stored.batch_number, 2u);
    uint64_t fee = r.res.receipts[0].gas_used * 100000000ull;
    EXPECT_EQ(lo64(balance(r, e.addr)), 10000000000000000ull - 4000000000000000ull - fee);
    // Conservation: genesis 3 ETH + the 0.01 ETH deposit - the 0.004 ETH withdrawal, over every account.
    uint64_t total = lo64(balance(r, a.addr)) + lo64(balance(r, b.addr)) + lo64(balance(r, c.addr)) +
                     lo64(balance(r, e.addr)) + lo64(balance(r, KILN_DEFAULT_OPERATOR));
    EXPECT_EQ(total, 3000000000000000000ull + 10000000000000000ull - 4000000000000000ull);
    EXPECT_NE(memcmp(r.res.out.stored.batch_hash, first_root, 32), 0);
    // The withdrawal's L2->L1 log makes the logs root non-zero, and the pubdata carries the message.
    uint8_t zero[32] = {0};
    EXPECT_NE(memcmp(r.res.out.stored.l2_logs_tree_root, zero, 32), 0);
    kiln_pubdata_view pv;
    char perr[128];
    ASSERT_EQ(kiln_pubdata_parse(&pv, r.res.pubdata, r.res.pubdata_len, perr, sizeof perr), KILN_OK) << perr;
    ASSERT_EQ(pv.n_messages, 1u);
    ASSERT_EQ(pv.n_logs, 1u);
    // finalizeEthWithdrawal's selector, the L1 receiver, the amount (written here by hand).
    Bytes want = {0x6c, 0x09, 0x60, 0xf9};
    want.insert(want.end(), 20, 0xab);
    Bytes amount(32, 0);
    for (int i = 0; i < 8; i++)
        amount[31 - i] = (uint8_t)(4000000000000000ull >> (8 * i));
    want.insert(want.end(), amount.begin(), amount.end());
    size_t pos = 0;
    kiln_bytes_ref msg;
    ASSERT_TRUE(kiln_pubdata_next_item(pv.messages, pv.messages_len, &pos, &msg));
    EXPECT_EQ(Bytes(msg.data, msg.data + msg.len), want);
    uint8_t h[32];
    kiln_keccak256(want.data(), want.size(), h);
    EXPECT_EQ(memcmp(pv.logs + 56, h, 32), 0); // the log's value: keccak(message)
    EXPECT_EQ(pv.logs[22], 0x80); // sender 0x8008 (bytes 4..23)
    EXPECT_EQ(pv.logs[23], 0x08);
    kiln_batch_run_free(&r);
}

// The recorded advice replays to the same output; a changed byte in it stops the bootloader.
TEST_F(Batch, RecordedAdviceReplaysAndTamperedAdviceFails) {
    TempDir d;
    BatchSpec s = base();
    s.blocks.push_back({100, {ethtx::sign(transfer(2, 0, c.addr, 5), a)}});
    kiln_batch_run r;
    std::string err;
    ASSERT_EQ(run(d.path, s, &r, &err), KILN_OK) << err;
    auto replay = [&](const Bytes &tape, std::vector<uint8_t> *out) {
        kiln_vm *vm = nullptr;
        EXPECT_EQ(kiln_vm_create(prog.p, nullptr, &vm), KILN_OK);
        kiln_vm_set_input(vm, r.input, r.input_len);
        if (kiln_vm_set_advice_tape(vm, tape.data(), tape.size()) != KILN_OK) { // a broken length prefix
            kiln_vm_free(vm);
            return false;
        }
        kiln_vm_result res;
        kiln_vm_run(vm, &res);
        const uint8_t *o;
        size_t ol;
        kiln_vm_output(vm, &o, &ol);
        out->assign(o, o + ol);
        bool ok = res.stop == KILN_VM_EXITED && res.exit_code == 0;
        kiln_vm_free(vm);
        return ok;
    };
    Bytes tape(r.res.tape, r.res.tape + r.res.tape_len);
    std::vector<uint8_t> out;
    ASSERT_TRUE(replay(tape, &out));
    EXPECT_EQ(out, std::vector<uint8_t>(r.res.output, r.res.output + KILN_BOOTLOADER_OUTPUT_LEN));
    // Flip bytes spread over the tape (slot values, existence flags, proofs): each must stop the run or, where
    // the byte is a hook's (empty) answer, cannot be flipped at all. None may yield another output.
    size_t stopped = 0, tried = 0;
    for (size_t pos = 4; pos < tape.size(); pos += tape.size() / 23 + 1) {
        Bytes t = tape;
        t[pos] ^= 0x01;
        tried++;
        if (!replay(t, &out))
            stopped++;
        else
            EXPECT_EQ(out, std::vector<uint8_t>(r.res.output, r.res.output + KILN_BOOTLOADER_OUTPUT_LEN)) << pos;
    }
    EXPECT_EQ(stopped, tried);
    kiln_batch_run_free(&r);
}

} // namespace
