// Segment chaining (docs/zkvm-air.md, "Segments"): a run longer than one segment is proven as a list of
// segment proofs whose memory chains through the global bus; the run proof verifies, keeps the exit code and
// I/O hashes of the whole run, and any dropped, duplicated, reordered or foreign segment, a wrong initial
// state or pc link, or an exit claimed early is rejected with a reason.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "kiln_test.h"
#include "prover.h"
#include "vm.h"
#include "zkvm.h"
#include "zkvm_test_util.h"

namespace {

using namespace kiln_test;

// One segment of a run proof file: its public values and proof bytes.
struct Seg {
    std::vector<uint64_t> pub;
    std::vector<uint8_t> proof;
};

class Segments : public ZkvmFixture {
  protected:
    VmRun vm_run(const char *name, const std::string &input = "") {
        return kiln_test::vm_run(read_elf(name), std::vector<uint8_t>(input.begin(), input.end()));
    }
    std::vector<uint8_t> prove(Prog &g, unsigned seg, const std::string &input = "",
                               kiln_zkvm_tamper tamper = KILN_ZKVM_TAMPER_NONE, unsigned tamper_seg = 0,
                               size_t *nseg = nullptr, size_t cache = KILN_ZKVM_RUN_CACHE_DEFAULT,
                               kiln_zkvm_run_info *info_out = nullptr) {
        kiln_zkvm_run_opts o{};
        kiln_zkvm_run_info info{};
        o.cache_bytes = cache;
        o.witness.segment_log = seg;
        o.witness.input = (const uint8_t *)input.data();
        o.witness.input_len = input.size();
        o.witness.tamper = tamper;
        o.tamper_segment = tamper_seg;
        o.info = &info;
        uint8_t *b = nullptr;
        size_t len = 0;
        char e[512] = "";
        kiln_status st = kiln_zkvm_prove_run(be, g.vk, g.p, &o, &b, &len, e, sizeof e);
        EXPECT_EQ(st, KILN_OK) << e;
        std::vector<uint8_t> out(b, b + len);
        free(b);
        if (nseg) *nseg = info.nsegments;
        if (info_out) *info_out = info;
        return out;
    }
    kiln_status verify(Prog &g, const std::vector<uint8_t> &run, kiln_zkvm_run_summary *sum = nullptr) {
        char e[512] = "";
        kiln_status st = kiln_zkvm_verify_run(g.vk, g.p, run.data(), run.size(), 0, sum, e, sizeof e);
        last_err = e;
        return st;
    }
    static std::vector<Seg> split(const std::vector<uint8_t> &run) {
        size_t n = 0;
        EXPECT_EQ(kiln_zkvm_run_parse(run.data(), run.size(), &n, nullptr, nullptr, nullptr, nullptr, 0),
                  KILN_OK);
        std::vector<uint64_t> pub(n * KILN_ZKVM_NPUB);
        std::vector<const uint8_t *> pr(n);
        std::vector<size_t> pl(n);
        EXPECT_EQ(kiln_zkvm_run_parse(run.data(), run.size(), &n, (uint64_t(*)[KILN_ZKVM_NPUB])pub.data(),
                                      pr.data(), pl.data(), nullptr, 0),
                  KILN_OK);
        std::vector<Seg> s(n);
        for (size_t i = 0; i < n; i++) {
            s[i].pub.assign(pub.begin() + i * KILN_ZKVM_NPUB, pub.begin() + (i + 1) * KILN_ZKVM_NPUB);
            s[i].proof.assign(pr[i], pr[i] + pl[i]);
        }
        return s;
    }
    // The file layout written independently of run.c: magic, version, S, (pub, u64 length, proof)*.
    static std::vector<uint8_t> join(const std::vector<Seg> &s) {
        std::vector<uint8_t> b = {'K', 'I', 'L', 'N', 'Z', 'K', 'V', 'P'};
        auto put = [&b](uint64_t v, int n) {
            for (int k = 0; k < n; k++)
                b.push_back((uint8_t)(v >> (8 * k)));
        };
        put(3, 4);
        put(s.size(), 4);
        for (const Seg &x : s) {
            for (uint64_t v : x.pub)
                put(v, 8);
            put(x.proof.size(), 8);
            b.insert(b.end(), x.proof.begin(), x.proof.end());
        }
        return b;
    }
    // Verifies segment s (0-based) of a run on its own, with the challenges of all the run's segments.
    kiln_status verify_one(Prog &g, const std::vector<Seg> &s, size_t i, kiln_gl2 *sum) {
        std::vector<uint64_t> d(4 * s.size());
        char e[256] = "";
        for (size_t k = 0; k < s.size(); k++)
            EXPECT_EQ(kiln_proof_main_digest_of(g.vk, s[k].pub.data(), KILN_ZKVM_NPUB, s[k].proof.data(),
                                                s[k].proof.size(), &d[4 * k], e, sizeof e),
                      KILN_OK)
                << e;
        kiln_gl2 chal[2];
        EXPECT_EQ(kiln_proof_global_challenges(cfg.hasher, d.data(), s.size(), chal), KILN_OK);
        kiln_status st = kiln_proof_verify_global(g.vk, s[i].pub.data(), KILN_ZKVM_NPUB, s[i].proof.data(),
                                                  s[i].proof.size(), 0, chal, sum, e, sizeof e);
        last_err = e;
        return st;
    }
};

TEST_F(Segments, MultiSegmentRunVerifiesAndChains) {
    // zk_loop: 294 cycles, exit code 42; at 2^7 rows three segments, at 2^9 one.
    Prog g;
    load("zk_loop", g);
    VmRun ref = vm_run("zk_loop");
    ASSERT_EQ(ref.cycles, 294u);
    size_t ns = 0;
    std::vector<uint8_t> run = prove(g, 7, "", KILN_ZKVM_TAMPER_NONE, 0, &ns);
    EXPECT_EQ(ns, 3u);
    kiln_zkvm_run_summary sum{};
    ASSERT_EQ(verify(g, run, &sum), KILN_OK) << last_err;
    EXPECT_EQ(sum.nsegments, 3u);
    EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_EXIT_CODE], ref.code);
    EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_EXIT_CODE], 42u);
    EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_START_PC], kiln_zkvm_program_entry(g.p));
    // Each segment's pcs equal the VM's split of the run (kiln_zkvm_split: traced VM, no AIR code).
    kiln_zkvm_segment *vs = nullptr;
    size_t vn = 0;
    char e[256] = "";
    ASSERT_EQ(kiln_zkvm_split(g.p, 7, 0, &vs, &vn, e, sizeof e), KILN_OK) << e;
    std::vector<Seg> s = split(run);
    ASSERT_EQ(vn, s.size());
    for (size_t i = 0; i < vn; i++) {
        EXPECT_EQ(s[i].pub[KILN_ZKVM_PUB_SEGMENT], i + 1);
        EXPECT_EQ(s[i].pub[KILN_ZKVM_PUB_START_PC], vs[i].start_pc);
        if (i + 1 < vn) {
            EXPECT_EQ(s[i].pub[KILN_ZKVM_PUB_NEXT_PC], vs[i + 1].start_pc);
        }
    }
    EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_END_PC], vs[vn - 1].end_pc);
    free(vs);
    // The same run as one segment.
    std::vector<uint8_t> one = prove(g, 9, "", KILN_ZKVM_TAMPER_NONE, 0, &ns);
    EXPECT_EQ(ns, 1u);
    ASSERT_EQ(verify(g, one, &sum), KILN_OK) << last_err;
    EXPECT_EQ(sum.nsegments, 1u);
    EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_EXIT_CODE], 42u);

    // Dropped, reordered, duplicated segments.
    std::vector<Seg> t = {s[0], s[2]};
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("index"), std::string::npos) << last_err;
    t = {s[0], s[1]};
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("first/last"), std::string::npos) << last_err;
    t = {s[1], s[0], s[2]};
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    t = {s[0], s[1], s[1], s[2]};
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    t = {s[2]};
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    EXPECT_EQ(verify(g, join(s)), KILN_OK) << last_err; // join() writes what run.c writes
    // A segment of another program's run (zk_tiny, one 2^4-row segment) in place of segment 2.
    Prog h;
    load("zk_tiny", h);
    std::vector<Seg> o = split(prove(h, 4));
    ASSERT_EQ(o.size(), 1u);
    t = {s[0], o[0], s[2]};
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("index"), std::string::npos) << last_err;
    o[0].pub[KILN_ZKVM_PUB_SEGMENT] = 2; // relabelled as a middle segment: the program hash still differs
    o[0].pub[KILN_ZKVM_PUB_FIRST] = o[0].pub[KILN_ZKVM_PUB_LAST] = 0;
    t = {s[0], o[0], s[2]};
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("another program"), std::string::npos) << last_err;
    // Truncated or padded files are parse errors.
    for (size_t cut : {(size_t)0, (size_t)8, (size_t)15, (size_t)100, run.size() - 1}) {
        std::vector<uint8_t> c(run.begin(), run.begin() + (long)cut);
        EXPECT_EQ(verify(g, c), KILN_ERR_PARSE) << cut;
    }
    std::vector<uint8_t> pad = run;
    pad.push_back(0);
    EXPECT_EQ(verify(g, pad), KILN_ERR_PARSE);
    EXPECT_NE(last_err.find("trailing"), std::string::npos) << last_err;
}

TEST_F(Segments, InputAndOutputHashesAcrossSegments) {
    // zk_io reads its input and commits across four 2^7-row segments; the run's hashes are the host's
    // hashes of the input and of the VM's output.
    Prog g;
    load("zk_io", g);
    const std::string in = "abcdefg", in2 = "abcdefh";
    VmRun ref = vm_run("zk_io", in);
    size_t ns = 0;
    std::vector<uint8_t> run = prove(g, 7, in, KILN_ZKVM_TAMPER_NONE, 0, &ns);
    EXPECT_EQ(ns, (ref.cycles + 127) / 128);
    EXPECT_GE(ns, 3u);
    kiln_zkvm_run_summary sum{};
    ASSERT_EQ(verify(g, run, &sum), KILN_OK) << last_err;
    uint64_t ih[4], oh[4];
    kiln_zkvm_input_hash((const uint8_t *)in.data(), in.size(), ih);
    kiln_zkvm_output_hash(ref.out.data(), ref.out.size(), oh);
    for (int k = 0; k < 4; k++) {
        EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_INPUT_HASH + k], ih[k]);
        EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_OUTPUT_HASH + k], oh[k]);
    }
    EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_EXIT_CODE], ref.code);
    // Segment 2 of a run of the same program on another input (valid by itself) does not chain.
    std::vector<Seg> a = split(run), b = split(prove(g, 7, in2));
    ASSERT_EQ(b.size(), a.size());
    std::vector<Seg> t = a;
    t[1] = b[1];
    // Any replaced segment changes the shared challenges, so the other segments' proofs fail too.
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("segment 1 of"), std::string::npos) << last_err;
}

TEST_F(Segments, CompiledGuestAcrossFourSegments) {
    // hello (C runtime, 939 cycles) at 2^8: four segments; its hashes are those of "" and "hello".
    Prog g;
    load("hello", g);
    size_t ns = 0;
    std::vector<uint8_t> run = prove(g, 8, "", KILN_ZKVM_TAMPER_NONE, 0, &ns);
    EXPECT_EQ(ns, 4u);
    kiln_zkvm_run_summary sum{};
    ASSERT_EQ(verify(g, run, &sum), KILN_OK) << last_err;
    uint64_t ih[4], oh[4];
    kiln_zkvm_input_hash(nullptr, 0, ih);
    kiln_zkvm_output_hash((const uint8_t *)"hello", 5, oh);
    for (int k = 0; k < 4; k++) {
        EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_INPUT_HASH + k], ih[k]);
        EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_OUTPUT_HASH + k], oh[k]);
    }
    EXPECT_EQ(sum.pub[KILN_ZKVM_PUB_EXIT_CODE], 0u);
}

TEST_F(Segments, CacheKeepsTheBytes) {
    // The segments kept from the digest pass to the proof pass (all, some or none, by the cache budget) give
    // the same run proof as rebuilding every witness.
    Prog g;
    load("zk_loop", g);
    kiln_zkvm_run_info off{}, all{}, some{};
    std::vector<uint8_t> r_off = prove(g, 7, "", KILN_ZKVM_TAMPER_NONE, 0, nullptr, 0, &off);
    std::vector<uint8_t> r_all = prove(g, 7, "", KILN_ZKVM_TAMPER_NONE, 0, nullptr, KILN_ZKVM_RUN_CACHE_DEFAULT, &all);
    EXPECT_EQ(off.cached_segments, 0u);
    EXPECT_EQ(off.cache_bytes, 0u);
    EXPECT_EQ(all.cached_segments, 3u);
    EXPECT_GT(all.cache_bytes, 0u);
    EXPECT_EQ(all.shrunk_segments, 0u);
    // 90 % of that: segments 1 and 2 whole, segment 3 without its LDEs (trees only: about 60 % of a whole
    // segment here, where the 2^16-row range table's tree is most of it).
    kiln_zkvm_run_info most{};
    std::vector<uint8_t> r_most =
        prove(g, 7, "", KILN_ZKVM_TAMPER_NONE, 0, nullptr, all.cache_bytes / 10 * 9, &most);
    EXPECT_EQ(most.cached_segments, 3u);
    EXPECT_EQ(most.shrunk_segments, 1u);
    EXPECT_LE(most.cache_bytes, all.cache_bytes / 10 * 9);
    // Half: segment 1 kept, the others built again in the proof pass.
    std::vector<uint8_t> r_some = prove(g, 7, "", KILN_ZKVM_TAMPER_NONE, 0, nullptr, all.cache_bytes / 2, &some);
    EXPECT_GE(some.cached_segments, 1u);
    EXPECT_LE(some.cached_segments, 2u);
    EXPECT_LE(some.cache_bytes, all.cache_bytes / 2);
    // Just under one segment without its LDEs (here the same shape for all three): its Merkle trees alone are
    // kept (the witness, 2 MB of range-table multiplicities and the rest, is built again in the proof pass).
    size_t shrunk = most.cache_bytes - all.cache_bytes / 3 * 2;
    kiln_zkvm_run_info few{};
    std::vector<uint8_t> r_few = prove(g, 7, "", KILN_ZKVM_TAMPER_NONE, 0, nullptr, shrunk - 1000000, &few);
    EXPECT_EQ(few.rebuilt_segments, 1u);
    EXPECT_EQ(few.cached_segments, 1u);
    EXPECT_EQ(r_few, r_off);
    EXPECT_EQ(r_most, r_off);
    EXPECT_EQ(r_all, r_off);
    EXPECT_EQ(r_some, r_off);
    ASSERT_EQ(verify(g, r_all), KILN_OK) << last_err;
}

TEST_F(Segments, CudaRunProofHasTheCpuBytes) {
    // The whole path on the CUDA backend with the same code (D2): a three-segment run proof, with its global
    // bus and run cache, has the CPU's bytes and verifies. Skipped without a GPU.
    KILN_REQUIRE_GPU();
    Prog g;
    load("zk_loop", g);
    std::vector<uint8_t> cpu = prove(g, 7);
    kiln_backend *gpu = nullptr;
    ASSERT_EQ(kiln_backend_create(KILN_BACKEND_CUDA, &gpu), KILN_OK);
    std::swap(be, gpu); // the fixture's backend is now the GPU's
    std::vector<uint8_t> dev, dev_nocache;
    {
        Prog h;
        load("zk_loop", h);
        dev = prove(h, 7);
        dev_nocache = prove(h, 7, "", KILN_ZKVM_TAMPER_NONE, 0, nullptr, 0);
    }
    std::swap(be, gpu);
    kiln_backend_destroy(gpu);
    EXPECT_EQ(dev, cpu);
    EXPECT_EQ(dev_nocache, cpu);
    EXPECT_EQ(verify(g, dev), KILN_OK) << last_err;
}

TEST_F(Segments, WrongInitialStateIsCaughtByTheGlobalBus) {
    // Segment 2 starts (and ends) with a register or an image word one higher than segment 1 left it: every
    // segment proof is valid on its own, only the global memory sums do not cancel. With and without the
    // cache of witnesses between the passes.
    Prog g;
    load("zk_loop", g);
    for (size_t cache : {(size_t)0, KILN_ZKVM_RUN_CACHE_DEFAULT})
    for (kiln_zkvm_tamper m : {KILN_ZKVM_TAMPER_SEG_REG_INIT, KILN_ZKVM_TAMPER_SEG_MEM_INIT}) {
        std::vector<uint8_t> run = prove(g, 7, "", m, 2, nullptr, cache);
        std::vector<Seg> s = split(run);
        ASSERT_EQ(s.size(), 3u);
        kiln_gl2 total = kiln_gl2_make(0, 0);
        for (size_t i = 0; i < s.size(); i++) {
            kiln_gl2 x;
            EXPECT_EQ(verify_one(g, s, i, &x), KILN_OK) << m << " segment " << i + 1 << ": " << last_err;
            total = kiln_gl2_add(total, x);
        }
        EXPECT_FALSE(kiln_gl2_is_zero(total)) << m;
        EXPECT_EQ(verify(g, run), KILN_ERR_VERIFY) << m;
        EXPECT_NE(last_err.find("does not balance"), std::string::npos) << last_err;
    }
}

TEST_F(Segments, WrongEntryStateIsCaughtInSegmentOne) {
    // The same corruptions in a one-segment run: no global traffic, only first * (init - entry) = 0 objects.
    Prog g;
    load("zk_loop", g);
    for (kiln_zkvm_tamper m : {KILN_ZKVM_TAMPER_SEG_REG_INIT, KILN_ZKVM_TAMPER_SEG_MEM_INIT}) {
        std::vector<uint8_t> run = prove(g, 9, "", m, 1);
        EXPECT_EQ(verify(g, run), KILN_ERR_VERIFY) << m;
        EXPECT_NE(last_err.find("segment 1 of 1"), std::string::npos) << last_err;
    }
}

TEST_F(Segments, WrongPcLinkAndEarlyExitAreRejected) {
    Prog g;
    load("zk_loop", g);
    // Segment 1 publishes next pc + 4: the chain check sees the link break, and segment 1's own proof fails
    // its "next pc out" constraint.
    std::vector<uint8_t> run = prove(g, 7, "", KILN_ZKVM_TAMPER_SEG_NEXT_PC, 1);
    EXPECT_EQ(verify(g, run), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("previous segment's next pc"), std::string::npos) << last_err;
    std::vector<Seg> s = split(run);
    kiln_gl2 x;
    EXPECT_EQ(verify_one(g, s, 0, &x), KILN_ERR_VERIFY) << last_err;
    // Segment 2 relabelled to start where segment 1's tampered next pc points: its proof no longer matches.
    s[1].pub[KILN_ZKVM_PUB_START_PC] = s[0].pub[KILN_ZKVM_PUB_NEXT_PC];
    EXPECT_EQ(verify(g, join(s)), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("segment 1 of 3"), std::string::npos) << last_err;

    // Segment 1 claims to be the last (an exit after 128 of 294 cycles), published as a one-segment run
    // with end pc = next pc: the chain check passes, the segment's "ends halted" constraint does not.
    run = prove(g, 7, "", KILN_ZKVM_TAMPER_SEG_LAST, 1);
    s = split(run);
    EXPECT_EQ(verify(g, run), KILN_ERR_VERIFY); // as three segments: flags wrong
    std::vector<Seg> t = {s[0]};
    EXPECT_EQ(verify(g, join(t)), KILN_ERR_VERIFY);
    EXPECT_NE(last_err.find("segment 1 of 1"), std::string::npos) << last_err;
}

TEST_F(Segments, WitnessReportsSegmentsAndRefusesPastTheEnd) {
    Prog g;
    load("zk_loop", g);
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts o{};
    o.segment_log = 4;
    o.segment = 19; // 294 cycles: 19 segments of 16 rows, the last one 6 rows
    char e[256] = "";
    ASSERT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, e, sizeof e), KILN_OK) << e;
    EXPECT_EQ(w.nsegments, 19u);
    EXPECT_EQ(w.cycles, 294u);
    EXPECT_EQ(w.segments[0].rows, 294u - 18 * 16);
    EXPECT_EQ(w.pub[KILN_ZKVM_PUB_LAST], 1u);
    EXPECT_EQ(w.pub[KILN_ZKVM_PUB_EXIT_CODE], 42u);
    kiln_zkvm_witness_free(&w);
    o.segment = 20;
    EXPECT_EQ(kiln_zkvm_witness_build(g.p, &o, &w, e, sizeof e), KILN_ERR_INVALID_ARG);
    EXPECT_NE(strstr(e, "19 segments"), nullptr) << e;
}

} // namespace
