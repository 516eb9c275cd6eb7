/* bench_batch: the rollup's state transition (the bootloader) per transaction.
 * Table 1: RV32IM cycles per transaction of each kind, marginal (a batch of N minus a batch of 1, over N - 1)
 *          and the fixed cost of a batch, executed in the VM with advice from a RocksDB state.
 * Table 2: execution speed: transfers per second through kiln_batch_execute (host advice and tree proofs
 *          included) and through a plain replay of the recorded advice (the VM alone), on one core.
 * Table 3: committed cells per transfer: every segment's witness of a batch of transfers built (2^20-row
 *          segments), rows x (main + 2 x aux) summed over every table, over the batch's transfers.
 * Table 4 (--prove): a batch of transfers proven on the CPU (or --backend cuda): cycles, segments, proving
 *          time and transfers per second.
 * Issue 10's goals: <= 100 k cycles per ETH transfer (stretch 50 k), <= 15 M committed cells per transfer, a
 * batch of 100 transfers proven in <= 5 minutes on 2 cores, >= 5 k transfers/s per core executed in the VM.
 * Options: --quick (small N), --json, --prove, --transfers N (the proven batch's size), --config C,
 * --backend cpu|cuda. */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "bench_util.h"
}
#include "batch_proof.h"
#include "bootloader_image.h"
#include "eth_tx_builder.h"
#include "protocol/address.h"
#include "sequencer/batch_run.h"
#include "vm.h"

namespace {

const uint64_t CHAIN = 270;

using ethtx::hex;

enum Kind { SAME_SENDER, NEW_RECIPIENTS, DISTINCT_SENDERS, DEPOSITS, WITHDRAWALS };
const char *kind_name[] = {"transfer, one sender, 5 recipients", "transfer to a new account",
                           "transfer, each from its own sender", "deposit (priority op)", "withdrawal to L1"};

std::vector<ethtx::Key> &keys() {
    static std::vector<ethtx::Key> k;
    if (k.empty())
        for (int i = 0; i < 256; i++)
            k.push_back(ethtx::make_key((uint8_t)(i + 1)));
    return k;
}

ethtx::Bytes transfer(const ethtx::Key &from, uint64_t nonce, const uint8_t to[20], uint64_t value,
                      const ethtx::Bytes &data = {}) {
    ethtx::Tx t;
    t.type = 2;
    t.chain_id = CHAIN;
    t.nonce = nonce;
    t.gas_limit = 100000;
    t.max_fee = 1000000000;
    memcpy(t.to, to, 20);
    ethtx::set_value(t, value);
    t.data = data;
    return ethtx::sign(t, from);
}

// BATCH.json for n transactions of a kind; every sender is funded at genesis.
std::string batch_json(Kind kind, int n) {
    std::vector<ethtx::Key> &k = keys();
    std::string s = "{\"chain_id\": " + std::to_string(CHAIN) + ", \"genesis\": {\"balances\": {";
    int funded = kind == DISTINCT_SENDERS ? n : 1;
    for (int i = 0; i < funded; i++)
        s += (i ? ", \"" : "\"") + hex(k[i].addr, 20) + "\": \"0xde0b6b3a7640000\"";
    // the recipients of SAME_SENDER exist already (funded with 1 wei)
    for (int i = 0; i < 5 && kind == SAME_SENDER; i++)
        s += ", \"" + hex(k[200 + i].addr, 20) + "\": \"1\"";
    s += "}}, \"blocks\": [{\"timestamp\": 100, \"txs\": [";
    ethtx::Bytes wd = {0x51, 0xcf, 0xf8, 0xd9};
    wd.resize(36, 0);
    memset(wd.data() + 16, 0xab, 20);
    uint8_t token[20];
    kiln_system_address(token, KILN_ADDR_L2_BASE_TOKEN);
    for (int i = 0; i < n && kind != DEPOSITS; i++) {
        ethtx::Bytes raw;
        uint8_t fresh[20] = {0xc0, 0xff, 0xee};
        fresh[18] = (uint8_t)(i >> 8), fresh[19] = (uint8_t)i;
        if (kind == SAME_SENDER) raw = transfer(k[0], (uint64_t)i, k[200 + i % 5].addr, 1000);
        if (kind == NEW_RECIPIENTS) raw = transfer(k[0], (uint64_t)i, fresh, 1000);
        if (kind == DISTINCT_SENDERS) raw = transfer(k[i], 0, k[(i + 1) % n].addr, 1000);
        if (kind == WITHDRAWALS) raw = transfer(k[0], (uint64_t)i, token, 1000000, wd);
        s += (i ? ", \"" : "\"") + hex(raw.data(), raw.size()) + "\"";
    }
    s += "]}], \"priority_ops\": [";
    for (int i = 0; i < n && kind == DEPOSITS; i++)
        s += (i ? ", " : "") + std::string("{\"type\": \"deposit\", \"to\": \"") + hex(k[i % 50].addr, 20) +
             "\", \"amount\": \"1000000\"}";
    return s + "]}";
}

struct Run {
    kiln_batch_run r;
    double seconds;
    bool ok;
};

Run run_batch(const kiln_vm_program *prog, const std::string &json) {
    char dir[] = "/tmp/kiln-bench-batch-XXXXXX";
    Run out;
    memset(&out.r, 0, sizeof out.r);
    if (!mkdtemp(dir)) {
        out.ok = false;
        return out;
    }
    char err[512];
    double t0 = bench_now();
    out.ok = kiln_batch_run_json(prog, dir, json.data(), json.size(), &out.r, err, sizeof err) == KILN_OK;
    out.seconds = bench_now() - t0;
    if (!out.ok) fprintf(stderr, "bench_batch: %s\n", err);
    std::system((std::string("rm -rf ") + dir).c_str());
    return out;
}

double replay_seconds(const kiln_vm_program *prog, const kiln_batch_run &r) {
    kiln_vm *vm = nullptr;
    kiln_vm_create(prog, nullptr, &vm);
    kiln_vm_set_input(vm, r.input, r.input_len);
    kiln_vm_set_advice_tape(vm, r.res.tape, r.res.tape_len);
    kiln_vm_result res;
    double t0 = bench_now();
    kiln_vm_run(vm, &res);
    double t = bench_now() - t0;
    kiln_vm_free(vm);
    return res.stop == KILN_VM_EXITED && res.exit_code == 0 ? t : -1;
}

} // namespace

int main(int argc, char **argv) {
    bench_opts bo = bench_parse(argc, argv);
    bool prove = false;
    int n_prove = bo.quick ? 10 : 100;
    const char *config = "zkvm", *backend = "cpu";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--prove")) prove = true;
        if (!strcmp(argv[i], "--transfers") && i + 1 < argc) n_prove = atoi(argv[++i]);
        if (!strcmp(argv[i], "--config") && i + 1 < argc) config = argv[++i];
        if (!strcmp(argv[i], "--backend") && i + 1 < argc) backend = argv[++i];
    }
    kiln_vm_program *prog = nullptr;
    char err[512];
    if (kiln_vm_program_from_elf(kiln_bootloader_elf, kiln_bootloader_elf_len, &prog, err, sizeof err) != KILN_OK) {
        fprintf(stderr, "bench_batch: %s\n", err);
        return 1;
    }
    int n = bo.quick ? 10 : 50;

    const char *t1 = "bootloader cycles per transaction (marginal over a batch)";
    static const char *const c1[] = {"kind", "N", "cycles (batch of 1)", "cycles (batch of N)", "cycles/tx",
                                     "goal (transfer)"};
    bench_header(&bo, t1, 6, c1);
    for (int k = SAME_SENDER; k <= WITHDRAWALS; k++) {
        Run one = run_batch(prog, batch_json((Kind)k, 1)), many = run_batch(prog, batch_json((Kind)k, n));
        if (!one.ok || !many.ok) return 1;
        uint64_t c_1 = one.r.res.vm.cycles, c_n = many.r.res.vm.cycles;
        char c[6][48];
        snprintf(c[0], 48, "%s", kind_name[k]);
        snprintf(c[1], 48, "%d", n);
        snprintf(c[2], 48, "%llu", (unsigned long long)c_1);
        snprintf(c[3], 48, "%llu", (unsigned long long)c_n);
        snprintf(c[4], 48, "%.0f", (double)(c_n - c_1) / (n - 1));
        snprintf(c[5], 48, "%s", k <= DISTINCT_SENDERS ? "100000" : "-");
        const char *cells[6] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        bench_row(&bo, t1, 6, c1, cells);
        kiln_batch_run_free(&one.r);
        kiln_batch_run_free(&many.r);
    }

    const char *t2 = "execution speed, transfers from distinct senders (one core)";
    static const char *const c2[] = {"transfers", "cycles", "execute s (with host state)", "transfers/s",
                                     "VM replay s", "transfers/s (VM)", "goal"};
    bench_header(&bo, t2, 7, c2);
    {
        int m = bo.quick ? 20 : 200;
        Run r = run_batch(prog, batch_json(DISTINCT_SENDERS, m));
        if (!r.ok) return 1;
        double rs = replay_seconds(prog, r.r);
        char c[7][48];
        snprintf(c[0], 48, "%d", m);
        snprintf(c[1], 48, "%llu", (unsigned long long)r.r.res.vm.cycles);
        snprintf(c[2], 48, "%.3f", r.seconds);
        snprintf(c[3], 48, "%.0f", m / r.seconds);
        snprintf(c[4], 48, "%.3f", rs);
        snprintf(c[5], 48, "%.0f", rs > 0 ? m / rs : 0.0);
        snprintf(c[6], 48, "5000/s per core");
        const char *cells[7] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
        bench_row(&bo, t2, 7, c2, cells);
        kiln_batch_run_free(&r.r);
    }

    {
        const char *t3c = "committed cells per transfer (2^20-row segments, zkvm AIR)";
        static const char *const c3c[] = {"transfers", "cycles", "segments", "cells", "cells/transfer", "goal"};
        bench_header(&bo, t3c, 6, c3c);
        int m = bo.quick ? 10 : 50;
        Run r = run_batch(prog, batch_json(DISTINCT_SENDERS, m));
        if (!r.ok) return 1;
        kiln_zkvm_program *zp = nullptr;
        kiln_air *air = nullptr;
        if (kiln_zkvm_program_load(kiln_bootloader_elf, kiln_bootloader_elf_len, &zp, err, sizeof err) != KILN_OK ||
            kiln_zkvm_air_build(zp, &air) != KILN_OK) {
            fprintf(stderr, "bench_batch: %s\n", err);
            return 1;
        }
        size_t cells = 0, nseg = 1;
        for (size_t sgm = 1; sgm <= nseg; sgm++) {
            kiln_zkvm_witness_opts wo;
            memset(&wo, 0, sizeof wo);
            wo.segment_log = 20;
            wo.input = r.r.input;
            wo.input_len = r.r.input_len;
            wo.advice = r.r.res.tape;
            wo.advice_len = r.r.res.tape_len;
            wo.segment = (unsigned)sgm;
            kiln_zkvm_witness w;
            if (kiln_zkvm_witness_build(zp, &wo, &w, err, sizeof err) != KILN_OK) {
                fprintf(stderr, "bench_batch: witness: %s\n", err);
                return 1;
            }
            nseg = w.nsegments;
            for (size_t i = 0; i < KILN_ZKVM_NTABLES; i++) {
                const kiln_air_table *t = kiln_air_table_at(air, i);
                if (w.traces[i].cols)
                    cells += ((size_t)1 << w.traces[i].log_n) * (kiln_air_num_main(t) + 2 * kiln_air_num_aux(t));
            }
            kiln_zkvm_witness_free(&w);
        }
        char c[6][48];
        snprintf(c[0], 48, "%d", m);
        snprintf(c[1], 48, "%llu", (unsigned long long)r.r.res.vm.cycles);
        snprintf(c[2], 48, "%zu", nseg);
        snprintf(c[3], 48, "%zu", cells);
        snprintf(c[4], 48, "%.2f M", cells / 1e6 / m);
        snprintf(c[5], 48, "15 M");
        const char *cl[6] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        bench_row(&bo, t3c, 6, c3c, cl);
        kiln_air_destroy(air);
        kiln_zkvm_program_free(zp);
        kiln_batch_run_free(&r.r);
    }

    if (prove) {
        const char *t3 = "a batch of transfers proven";
        static const char *const c3[] = {"transfers", "cycles", "segments", "prove s", "transfers/s", "bits",
                                         "proof KB", "backend"};
        bench_header(&bo, t3, 8, c3);
        Run r = run_batch(prog, batch_json(DISTINCT_SENDERS, n_prove));
        if (!r.ok) return 1;
        uint8_t *w = nullptr, *proof = nullptr;
        size_t wl = 0, pl = 0;
        kiln_batch_witness_encode(r.r.input, r.r.input_len, r.r.res.tape, r.r.res.tape_len, &w, &wl);
        kiln_backend_kind kind = KILN_BACKEND_CPU;
        kiln_backend_kind_parse(backend, &kind);
        kiln_backend *be = nullptr;
        if (kiln_backend_create(kind, &be) != KILN_OK) {
            fprintf(stderr, "bench_batch: no %s backend\n", backend);
            return 1;
        }
        kiln_batch_proof_opts po;
        kiln_zkvm_run_info info;
        memset(&po, 0, sizeof po);
        memset(&info, 0, sizeof info);
        po.config = config;
        po.info = &info;
        po.cache_bytes = KILN_ZKVM_RUN_CACHE_DEFAULT;
        double t0 = bench_now();
        if (kiln_batch_proof_prove(be, kiln_bootloader_elf, kiln_bootloader_elf_len, w, wl, &po, &proof, &pl, err,
                             sizeof err) != KILN_OK) {
            fprintf(stderr, "bench_batch: prove: %s\n", err);
            return 1;
        }
        double t = bench_now() - t0;
        char c[8][48];
        snprintf(c[0], 48, "%d", n_prove);
        snprintf(c[1], 48, "%llu", (unsigned long long)info.cycles);
        snprintf(c[2], 48, "%zu", info.nsegments);
        snprintf(c[3], 48, "%.1f", t);
        snprintf(c[4], 48, "%.2f", n_prove / t);
        snprintf(c[5], 48, "%.1f", info.security);
        snprintf(c[6], 48, "%.0f", pl / 1024.0);
        snprintf(c[7], 48, "%s", kiln_backend_describe(be));
        const char *cells[8] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
        bench_row(&bo, t3, 8, c3, cells);
        free(w);
        free(proof);
        kiln_backend_destroy(be);
        kiln_batch_run_free(&r.r);
    }
    kiln_vm_program_free(prog);
    return 0;
}
