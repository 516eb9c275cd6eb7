// Advice and io_digest in proving mode (docs/zkvm-air.md, "io table", "exit table"): a guest that reads its
// words as advice runs with a host callback that records the tape; the recorded run proves and verifies by
// replaying the tape, with the plain run's exit code and output, and its public values are the program's, the
// input's and the output's alone. An advice word the witness writes differently from what the guest later
// reads is rejected; a run past the tape's end is refused; io_digest publishes its block from any segment;
// a plain exit proves whatever a1 holds.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "poseidon2/poseidon2.h"
#include "prover.h"
#include "vm.h"
#include "zkvm.h"
#include "zkvm_test_util.h"

namespace {

using namespace kiln_test;

#ifdef KILN_GUEST_DIR
// The host of advice_sum: "W" idx count -> words[idx .. idx + count) (LE); "T" -> the low 3 bytes of the sum.
struct WordsHost {
    std::vector<uint32_t> words;
    int calls = 0;
    static kiln_status answer(void *c, const uint8_t *req, uint32_t n, uint8_t *out, uint32_t cap,
                              uint32_t *out_len) {
        auto *h = (WordsHost *)c;
        h->calls++;
        std::vector<uint8_t> a;
        if (n == 9 && req[0] == 'W') {
            uint32_t at, k;
            memcpy(&at, req + 1, 4);
            memcpy(&k, req + 5, 4);
            if (at > h->words.size() || k > h->words.size() - at) return KILN_ERR_INVALID_ARG;
            for (uint32_t i = 0; i < k; i++)
                for (int b = 0; b < 4; b++)
                    a.push_back((uint8_t)(h->words[at + i] >> (8 * b)));
        } else if (n == 1 && req[0] == 'T') {
            uint32_t sum = 0;
            for (uint32_t v : h->words)
                sum += v;
            a = {(uint8_t)sum, (uint8_t)(sum >> 8), (uint8_t)(sum >> 16)};
        } else {
            return KILN_ERR_INVALID_ARG;
        }
        if (!a.empty()) memcpy(out, a.data(), a.size() < cap ? a.size() : cap);
        *out_len = (uint32_t)a.size();
        return KILN_OK;
    }
};

class Advice : public ZkvmFixture {
  protected:
    WordsHost host;
    std::vector<uint8_t> tape, out;
    uint32_t code = 0;

    // n pseudo-random words; the input is n and their Poseidon2 hash (hash_var over the words as elements).
    void make_input(uint32_t n) {
        host.words.clear();
        uint32_t x = 0x2545f491u;
        std::vector<uint64_t> el;
        for (uint32_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            host.words.push_back(x);
            el.push_back(x);
        }
        uint64_t h[4];
        kiln_poseidon2_hash_var(el.data(), el.size(), h);
        input.assign((const uint8_t *)&n, (const uint8_t *)&n + 4);
        input.insert(input.end(), (const uint8_t *)h, (const uint8_t *)h + 32);
    }
    // The plain run with the host's callback: records the tape, the exit code and the output.
    void run_with_host(const std::vector<uint8_t> &elf) {
        kiln_vm_program *vp = nullptr;
        char err[256] = "";
        ASSERT_EQ(kiln_vm_program_from_elf(elf.data(), elf.size(), &vp, err, sizeof err), KILN_OK) << err;
        kiln_vm_config c;
        kiln_vm_config_init(&c);
        c.host.ctx = &host;
        c.host.advice = WordsHost::answer;
        kiln_vm *vm = nullptr;
        ASSERT_EQ(kiln_vm_create(vp, &c, &vm), KILN_OK);
        ASSERT_EQ(kiln_vm_set_input(vm, input.data(), input.size()), KILN_OK);
        kiln_vm_result r;
        EXPECT_EQ(kiln_vm_run(vm, &r), KILN_OK) << r.msg;
        EXPECT_EQ(r.stop, KILN_VM_EXITED) << r.msg;
        code = r.exit_code;
        const uint8_t *p;
        size_t len;
        kiln_vm_advice_tape(vm, &p, &len);
        tape.assign(p, p + len);
        kiln_vm_output(vm, &p, &len);
        out.assign(p, p + len);
        kiln_vm_free(vm);
        kiln_vm_program_free(vp);
    }
    kiln_status prove_run(Prog &g, unsigned seg, const std::vector<uint8_t> &adv, std::vector<uint8_t> *proof,
                          size_t *nseg = nullptr) {
        kiln_zkvm_run_opts o{};
        kiln_zkvm_run_info info{};
        o.witness.segment_log = seg;
        o.witness.input = input.data();
        o.witness.input_len = input.size();
        o.witness.advice = adv.data();
        o.witness.advice_len = adv.size();
        o.info = &info;
        uint8_t *b = nullptr;
        size_t len = 0;
        char e[512] = "";
        kiln_status st = kiln_zkvm_prove_run(be, g.vk, g.p, &o, &b, &len, e, sizeof e);
        last_err = e;
        if (st == KILN_OK) proof->assign(b, b + len);
        free(b);
        if (nseg) *nseg = info.nsegments;
        return st;
    }
    kiln_status verify_run(Prog &g, const std::vector<uint8_t> &run, kiln_zkvm_run_summary *sum) {
        char e[512] = "";
        kiln_status st = kiln_zkvm_verify_run(g.vk, g.p, run.data(), run.size(), 0, sum, e, sizeof e);
        last_err = e;
        return st;
    }
};

TEST_F(Advice, RecordedRunProvesByReplayingTheTape) {
    make_input(130); // two chunks of 100 and 30 words, an empty answer, then a 3-byte tail
    std::vector<uint8_t> elf = read_elf("advice_sum");
    ASSERT_FALSE(elf.empty());
    run_with_host(elf);
    ASSERT_EQ(code, 0u);
    EXPECT_EQ(host.calls, 4);
    uint32_t sum = 0;
    for (uint32_t v : host.words)
        sum += v;
    ASSERT_EQ(out.size(), 8u);
    uint32_t got[2];
    memcpy(got, out.data(), 8);
    EXPECT_EQ(got[0], sum);
    EXPECT_EQ(got[1], 130u);
    EXPECT_EQ(tape.size(), 4 * 4 + 4 * 130 + 3u);

    Prog g;
    load(elf, g);
    std::vector<uint8_t> run;
    size_t nseg = 0;
    ASSERT_EQ(prove_run(g, 12, tape, &run, &nseg), KILN_OK) << last_err;
    EXPECT_GE(nseg, 2u); // advice calls in more than one segment
    kiln_zkvm_run_summary s;
    ASSERT_EQ(verify_run(g, run, &s), KILN_OK) << last_err;
    // Every public value comes from the program, the input and the output, none from the advice.
    uint64_t want[KILN_ZKVM_NPUB] = {0};
    want[KILN_ZKVM_PUB_START_PC] = kiln_zkvm_program_entry(g.p);
    want[KILN_ZKVM_PUB_END_PC] = s.pub[KILN_ZKVM_PUB_END_PC];
    want[KILN_ZKVM_PUB_EXIT_CODE] = code;
    kiln_zkvm_program_hash(g.p, &want[KILN_ZKVM_PUB_PROGRAM_HASH]);
    kiln_zkvm_input_hash(input.data(), input.size(), &want[KILN_ZKVM_PUB_INPUT_HASH]);
    kiln_zkvm_output_hash(out.data(), out.size(), &want[KILN_ZKVM_PUB_OUTPUT_HASH]);
    want[KILN_ZKVM_PUB_SEGMENT] = nseg;
    want[KILN_ZKVM_PUB_FIRST] = nseg == 1;
    want[KILN_ZKVM_PUB_LAST] = 1;
    want[KILN_ZKVM_PUB_NEXT_PC] = s.pub[KILN_ZKVM_PUB_END_PC];
    want[KILN_ZKVM_PUB_DIGEST] = 1;
    for (unsigned i = 0; i < KILN_ZKVM_NPUB; i++)
        EXPECT_EQ(s.pub[i], want[i]) << i;
    char e[256] = "";
    EXPECT_EQ(kiln_zkvm_check_io(s.pub, &want[KILN_ZKVM_PUB_INPUT_HASH], &want[KILN_ZKVM_PUB_OUTPUT_HASH], e,
                                 sizeof e),
              KILN_OK)
        << e;
}

TEST_F(Advice, ReplayPastTheTapesEndIsRefused) {
    make_input(20);
    std::vector<uint8_t> elf = read_elf("advice_sum");
    run_with_host(elf);
    ASSERT_EQ(code, 0u);
    Prog g;
    load(elf, g);
    std::vector<uint8_t> cut(tape.begin(), tape.end() - 7); // the 3-byte tail answer and its length are gone
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 12;
    o.input = input.data();
    o.input_len = input.size();
    o.advice = cut.data();
    o.advice_len = cut.size();
    char err[256] = "";
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_ERR_FAULT);
    EXPECT_NE(strstr(err, "past the end of the advice tape"), nullptr) << err;
    std::vector<uint8_t> bad(tape.begin(), tape.end() - 1); // not a sequence of framed answers
    o.advice = bad.data();
    o.advice_len = bad.size();
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_ERR_PARSE);
    EXPECT_NE(strstr(err, "advice tape"), nullptr) << err;
    o.advice = nullptr; // no tape at all: the advice call faults
    o.advice_len = 0;
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_ERR_FAULT);
    EXPECT_NE(strstr(err, "no advice"), nullptr) << err;
}

TEST_F(Advice, AdviceWrittenDifferentlyFromWhatIsReadIsRejected) {
    make_input(12);
    std::vector<uint8_t> elf = read_elf("advice_sum");
    run_with_host(elf);
    ASSERT_EQ(code, 0u);
    Prog g;
    load(elf, g);
    // One segment, built and proven directly (prove_verify takes no tape).
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 13;
    o.input = input.data();
    o.input_len = input.size();
    o.advice = tape.data();
    o.advice_len = tape.size();
    for (kiln_zkvm_tamper t : {KILN_ZKVM_TAMPER_NONE, KILN_ZKVM_TAMPER_ADVICE_WORD}) {
        o.tamper = t;
        char err[256] = "";
        ASSERT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, err, sizeof err), KILN_OK) << err;
        kiln_proof_prove_opts po{};
        po.allow_invalid_witness = t != KILN_ZKVM_TAMPER_NONE;
        po.err = err;
        po.errlen = sizeof err;
        uint8_t *proof = nullptr;
        size_t plen = 0;
        kiln_status st = kiln_zkvm_prove_segment(be, g.vk, &w, &po, &proof, &plen);
        if (st == KILN_OK) st = kiln_zkvm_verify_segment(g.vk, w.pub, proof, plen, 0, err, sizeof err);
        if (t == KILN_ZKVM_TAMPER_NONE) {
            EXPECT_EQ(st, KILN_OK) << err;
        } else {
            EXPECT_NE(st, KILN_OK); // the memory bus does not balance
        }
        kiln_proof_free(proof);
        kiln_zkvm_witness_free(&w);
    }
}

// io_digest in an early segment of several, exit in a later one with a1 = 0x1234: the run publishes the
// block; a second segment claiming a digest, or the digest segment dropping its flag, is refused.
TEST_F(Advice, DigestInAnEarlierSegmentIsTheRunsIo) {
    std::vector<uint8_t> elf = read_elf("zk_digest");
    Prog g;
    load(elf, g);
    std::vector<uint8_t> run;
    size_t nseg = 0;
    ASSERT_EQ(prove_run(g, 6, {}, &run, &nseg), KILN_OK) << last_err;
    ASSERT_GE(nseg, 3u);
    kiln_zkvm_run_summary s;
    ASSERT_EQ(verify_run(g, run, &s), KILN_OK) << last_err;
    EXPECT_EQ(s.pub[KILN_ZKVM_PUB_EXIT_CODE], 3u);
    EXPECT_EQ(s.pub[KILN_ZKVM_PUB_DIGEST], 1u);
    for (uint64_t k = 0; k < 4; k++) {
        EXPECT_EQ(s.pub[KILN_ZKVM_PUB_INPUT_HASH + k], (2 * k + 1) | (2 * k + 2) << 32) << k;
        EXPECT_EQ(s.pub[KILN_ZKVM_PUB_OUTPUT_HASH + k], (2 * k + 9) | (2 * k + 10) << 32) << k;
    }
    EXPECT_FALSE(kiln_zkvm_io_uncommitted(s.pub));
    // The file: "KILNZKVP", u32 version, u32 S, then per segment NPUB u64 values, u64 length, proof.
    std::vector<size_t> at;
    for (size_t off = 16, i = 0; i < nseg; i++) {
        at.push_back(off);
        uint64_t len;
        memcpy(&len, &run[off + 8 * KILN_ZKVM_NPUB], 8);
        off += 8 * KILN_ZKVM_NPUB + 8 + len;
    }
    size_t d = nseg; // the segment holding the call: not the last one
    for (size_t i = 0; i < nseg; i++) {
        uint64_t f;
        memcpy(&f, &run[at[i] + 8 * KILN_ZKVM_PUB_DIGEST], 8);
        if (f) {
            EXPECT_EQ(d, nseg) << "two segments with the flag";
            d = i;
        }
    }
    ASSERT_LT(d, nseg - 1);
    std::vector<uint8_t> two = run;
    two[at[nseg - 1] + 8 * KILN_ZKVM_PUB_DIGEST] = 1;
    EXPECT_EQ(verify_run(g, two, &s), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("second io_digest"), std::string::npos) << last_err;
    std::vector<uint8_t> none = run;
    none[at[d] + 8 * KILN_ZKVM_PUB_DIGEST] = 0;
    EXPECT_EQ(verify_run(g, none, &s), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("without an io_digest"), std::string::npos) << last_err;
    std::vector<uint8_t> moved = run; // the flag moved to the last segment: its proof says otherwise
    moved[at[d] + 8 * KILN_ZKVM_PUB_DIGEST] = 0;
    for (int k = 0; k < 8; k++) {
        size_t from = at[d] + 8 * (KILN_ZKVM_PUB_INPUT_HASH + k),
               to = at[nseg - 1] + 8 * (KILN_ZKVM_PUB_INPUT_HASH + k);
        memcpy(&moved[to], &moved[from], 8);
        memset(&moved[from], 0, 8);
    }
    moved[at[nseg - 1] + 8 * KILN_ZKVM_PUB_DIGEST] = 1;
    EXPECT_EQ(verify_run(g, moved, &s), KILN_ERR_VERIFY);
}

// A plain exit proves whatever a1 holds; without io_digest the I/O hashes are zero ("not committed").
TEST_F(Advice, PlainExitProvesWithAnyA1) {
    Prog g;
    load("zk_a1", g);
    uint64_t c = 0;
    ASSERT_EQ(prove_verify(g, 5, KILN_ZKVM_TAMPER_NONE, &c), KILN_OK) << last_err;
    EXPECT_EQ(c, 9u);
    EXPECT_TRUE(kiln_zkvm_io_uncommitted(last_pub.data()));
    EXPECT_EQ(last_pub[KILN_ZKVM_PUB_DIGEST], 0u);
    for (int k = 0; k < 4; k++)
        EXPECT_EQ(last_pub[KILN_ZKVM_PUB_INPUT_HASH + k] | last_pub[KILN_ZKVM_PUB_OUTPUT_HASH + k], 0u);
}
#endif

} // namespace
