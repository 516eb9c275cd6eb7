/* zkVM proving (docs/zkvm-air.md): witness generation and proof of a sample guest's run in one segment, on
 * the CPU backend (or --backend cuda), for one or several segment sizes.
 *
 * Table 1, one row per segment size: cycles, rows, witness and proving time, cycles/s end to end, committed
 * base-field cells per cycle (main + aux of every table, amortized over the run's cycles), the prover's host
 * peak, the process's peak RSS and the proof size. Table 2: the committed cells of each AIR table at the
 * first segment size (rows x (main + 2 x aux) columns, per cycle).
 *
 * Table 3 (--plan-logs A,B,...; default 20,22): the prover's device-memory plan for a segment of that size
 * (the run padded to it; planning only, nothing is proven), against D12's 16 GB.
 *
 * Table 4 (--run-log K): the whole run proven end to end as a chained run proof of 2^K-row segments
 * (kiln_zkvm_prove_run: both witness passes, every segment proof), verified, with cycles/s end to end.
 *
 * Options: --guest NAME (default zk_count), --guest-dir DIR, --input-u32 N (the guest's input: N as 4 LE
 * bytes, e.g. bench_loop's iterations), --segment-logs A,B,... (default 14; every size must hold the whole
 * run), --plan-logs, --run-log K, --cache-mb N (table 4: segments kept between the run's two passes within N
 * MiB; 0: none; default 4096), --run-only (table 4 alone), --config NAME, --backend cpu|cuda, --json, --quick
 * (zk_loop in 2^9 rows).
 * Issue goals: <= 150 cells/cycle, CPU >= 15k cycles/s on 2 cores, one H100 >= 10M cycles/s. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench_util.h"
#include "zkvm.h"

static const char *opt(int argc, char **argv, const char *name) {
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

static double peak_rss_mb(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : 0.0;
}

/* Committed base-field cells of table i: rows x (main + 2 x aux), the extension aux columns counting twice;
 * 0 for an optional table the segment leaves out of its proof. */
static size_t table_cells(const kiln_air *air, const kiln_zkvm_witness *w, size_t i) {
    const kiln_air_table *t = kiln_air_table_at(air, i);
    if (!w->traces[i].cols) return 0;
    return ((size_t)1 << w->traces[i].log_n) * (kiln_air_num_main(t) + 2 * kiln_air_num_aux(t));
}

/* "A,B,..." -> up to 8 segment logs in range; 0 on a bad list. */
static size_t parse_logs(const char *s, unsigned out[8]) {
    size_t n = 0;
    while (*s && n < 8) {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || v < KILN_ZKVM_MIN_SEGMENT_LOG || v > KILN_ZKVM_MAX_SEGMENT_LOG) return 0;
        out[n++] = (unsigned)v;
        if (*end && *end != ',') return 0;
        s = *end ? end + 1 : end;
    }
    return n;
}

/* --input-u32 N: the guest's input, N as 4 little-endian bytes (bench_loop's iteration count). */
static uint8_t g_input[4];
static size_t g_input_len;

typedef struct run {
    kiln_zkvm_witness w;
    double t_wit, t_prove;
    size_t proof_bytes;
    kiln_proof_stats stats;
} run;

static int prove_once(kiln_backend *be, const kiln_proof_vk *vk, const kiln_zkvm_program *p, unsigned seg,
                      run *r) {
    char err[512] = "";
    kiln_zkvm_witness_opts wo;
    memset(&wo, 0, sizeof wo);
    wo.segment_log = seg;
    wo.input = g_input_len ? g_input : NULL;
    wo.input_len = g_input_len;
    double t0 = bench_now();
    if (kiln_zkvm_witness_build(p, &wo, &r->w, err, sizeof err) != KILN_OK) {
        fprintf(stderr, "bench_zkvm: 2^%u: %s\n", seg, err);
        return 0;
    }
    r->t_wit = bench_now() - t0;
    if (r->w.nsegments != 1) {
        fprintf(stderr, "bench_zkvm: 2^%u rows do not hold the run (%zu segments): use --run-log\n", seg,
                r->w.nsegments);
        kiln_zkvm_witness_free(&r->w);
        return 0;
    }
    kiln_proof_prove_opts po;
    memset(&po, 0, sizeof po);
    po.stats = &r->stats;
    po.err = err;
    po.errlen = sizeof err;
    uint8_t *proof = NULL;
    t0 = bench_now();
    kiln_status st = kiln_zkvm_prove_segment(be, vk, &r->w, &po, &proof, &r->proof_bytes);
    r->t_prove = bench_now() - t0;
    kiln_proof_free(proof);
    if (st != KILN_OK) {
        fprintf(stderr, "bench_zkvm: prove 2^%u: %s\n", seg, err);
        kiln_zkvm_witness_free(&r->w);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    bench_opts bo = bench_parse(argc, argv);
    const char *guest = opt(argc, argv, "--guest"), *gdir = opt(argc, argv, "--guest-dir"),
               *sl = opt(argc, argv, "--segment-logs"), *cn = opt(argc, argv, "--config"),
               *bk = opt(argc, argv, "--backend");
    if (!guest) guest = bo.quick ? "zk_loop" : "zk_count";
    const char *in32 = opt(argc, argv, "--input-u32");
    if (in32) {
        unsigned long v = strtoul(in32, NULL, 0);
        for (int i = 0; i < 4; i++)
            g_input[i] = (uint8_t)(v >> (8 * i));
        g_input_len = 4;
    }
    if (!sl) sl = bo.quick ? "9" : "14";
    const char *pl = opt(argc, argv, "--plan-logs");
    unsigned segs[8], plans[8];
    size_t nseg = parse_logs(sl, segs), nplan = parse_logs(pl ? pl : (bo.quick ? "12" : "20,22"), plans);
    if (!nseg || !nplan) {
        fprintf(stderr, "bench_zkvm: bad --segment-logs or --plan-logs\n");
        return 2;
    }
    char dir[PATH_MAX], path[PATH_MAX + 64];
    if (gdir)
        snprintf(dir, sizeof dir, "%s", gdir);
    else {
        ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
        if (n <= 0) return 1;
        dir[n] = 0;
        char *s = strrchr(dir, '/');
        if (s) *s = 0;
        strncat(dir, "/../guest", sizeof dir - strlen(dir) - 1);
    }
    snprintf(path, sizeof path, "%s/%s.elf", dir, guest);
    size_t len = 0;
    uint8_t *elf = bench_read_file(path, &len);
    if (!elf) {
        fprintf(stderr, "bench_zkvm: cannot read %s\n", path);
        return 1;
    }
    char err[512] = "";
    kiln_zkvm_program *p = NULL;
    kiln_air *air = NULL;
    kiln_backend *be = NULL;
    kiln_proof_vk *vk = NULL;
    kiln_proof_config cfg;
    kiln_backend_kind kind = KILN_BACKEND_CPU;
    if ((bk && kiln_backend_kind_parse(bk, &kind) != KILN_OK) ||
        kiln_proof_config_preset(cn ? cn : "default", &cfg) != KILN_OK ||
        kiln_zkvm_program_load(elf, len, &p, err, sizeof err) != KILN_OK ||
        kiln_zkvm_air_build(p, &air) != KILN_OK || kiln_backend_create(kind, &be) != KILN_OK ||
        kiln_proof_setup(be, air, &cfg, &vk) != KILN_OK) {
        fprintf(stderr, "bench_zkvm: setup failed %s\n", err);
        return 1;
    }
    free(elf);

    static const char *const cols[] = {"guest",    "cycles",   "rows",    "witness s",        "prove s",
                                       "cycles/s", "cells/cycle", "prover peak MB", "peak RSS MB", "proof KB"};
    const char *title = "zkvm prove, one segment";
    bench_header(&bo, title, 10, cols);
    run first;
    int have_first = 0;
    double bits = 0;
    int run_only = 0;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--run-only")) run_only = 1;
    const char *cm = opt(argc, argv, "--cache-mb");
    size_t cache = KILN_ZKVM_RUN_CACHE_DEFAULT;
    if (cm) {
        char *end = NULL;
        unsigned long long v = strtoull(cm, &end, 10);
        if (!*cm || *end || cm[0] == '-') {
            fprintf(stderr, "bench_zkvm: bad --cache-mb\n");
            return 2;
        }
        cache = (size_t)v << 20;
    }
    if (run_only && !opt(argc, argv, "--run-log")) {
        fprintf(stderr, "bench_zkvm: --run-only needs --run-log\n");
        return 2;
    }
    for (size_t k = 0; k < nseg && !run_only; k++) {
        run r;
        memset(&r, 0, sizeof r);
        if (!prove_once(be, vk, p, segs[k], &r)) return 1;
        size_t cells = 0;
        for (size_t i = 0; i < KILN_ZKVM_NTABLES; i++)
            cells += table_cells(air, &r.w, i);
        char c[10][32];
        snprintf(c[0], 32, "%s", guest);
        snprintf(c[1], 32, "%llu", (unsigned long long)r.w.cycles);
        snprintf(c[2], 32, "2^%u", segs[k]);
        snprintf(c[3], 32, "%.3f", r.t_wit);
        snprintf(c[4], 32, "%.3f", r.t_prove);
        snprintf(c[5], 32, "%.0f", (double)r.w.cycles / (r.t_wit + r.t_prove));
        snprintf(c[6], 32, "%.1f", (double)cells / (double)r.w.cycles);
        snprintf(c[7], 32, "%.0f", (double)r.stats.host_peak / 1048576.0);
        snprintf(c[8], 32, "%.0f", peak_rss_mb());
        snprintf(c[9], 32, "%.1f", (double)r.proof_bytes / 1024.0);
        const char *cells_s[10];
        for (int i = 0; i < 10; i++)
            cells_s[i] = c[i];
        bench_row(&bo, title, 10, cols, cells_s);
        bits = r.stats.security.conjectured;
        if (!bo.json)
            printf("  2^%u prover split: lde %.2f s, commit %.2f, logup %.2f, quotient %.2f, ood %.2f, deep %.2f, "
                   "fri %.2f, pow %.2f, queries %.2f\n",
                   segs[k], r.stats.t_lde, r.stats.t_commit, r.stats.t_aux, r.stats.t_quotient, r.stats.t_ood,
                   r.stats.t_deep, r.stats.t_fri, r.stats.t_pow, r.stats.t_queries);
        if (!have_first) {
            first = r;
            have_first = 1;
        } else {
            kiln_zkvm_witness_free(&r.w);
        }
    }

    const char *rl = opt(argc, argv, "--run-log");
    if (rl) {
        unsigned rk[8];
        if (parse_logs(rl, rk) != 1) {
            fprintf(stderr, "bench_zkvm: bad --run-log\n");
            return 2;
        }
        kiln_zkvm_run_opts ro;
        kiln_zkvm_run_info info;
        memset(&ro, 0, sizeof ro);
        memset(&info, 0, sizeof info);
        ro.witness.segment_log = rk[0];
        ro.witness.input = g_input_len ? g_input : NULL;
        ro.witness.input_len = g_input_len;
        ro.info = &info;
        ro.cache_bytes = cache;
        uint8_t *rb = NULL;
        size_t rlen = 0;
        double t0 = bench_now();
        kiln_status st = kiln_zkvm_prove_run(be, vk, p, &ro, &rb, &rlen, err, sizeof err);
        double t_run = bench_now() - t0;
        if (st == KILN_OK) {
            t0 = bench_now();
            st = kiln_zkvm_verify_run(vk, p, rb, rlen, 0, NULL, err, sizeof err);
        }
        double t_ver = bench_now() - t0;
        free(rb);
        if (st != KILN_OK) {
            fprintf(stderr, "bench_zkvm: run proof: %s\n", err);
            return 1;
        }
        static const char *const rcols[] = {"guest",    "cycles",   "segments", "rows",     "total s",
                                            "prove s",  "cycles/s", "verify s", "proof KB", "cached",
                                            "cache MB", "peak RSS MB"};
        const char *rtitle = "zkvm run proof, chained segments";
        bench_header(&bo, rtitle, 12, rcols);
        char c[12][64];
        snprintf(c[0], 32, "%s", guest);
        snprintf(c[1], 32, "%llu", (unsigned long long)info.cycles);
        snprintf(c[2], 32, "%zu", info.nsegments);
        snprintf(c[3], 32, "2^%u", rk[0]);
        snprintf(c[4], 32, "%.3f", t_run);
        snprintf(c[5], 32, "%.3f", info.seconds);
        snprintf(c[6], 32, "%.0f", t_run > 0 ? (double)info.cycles / t_run : 0.0);
        snprintf(c[7], 32, "%.3f", t_ver);
        snprintf(c[8], 32, "%.1f", (double)rlen / 1024.0);
        if (info.shrunk_segments) /* trees only: without the LDEs; rebuilt: without the witness too */
            snprintf(c[9], 64, "%zu/%zu (%zu trees, %zu rebuilt)", info.cached_segments, info.nsegments,
                     info.shrunk_segments, info.rebuilt_segments);
        else
            snprintf(c[9], 32, "%zu/%zu", info.cached_segments, info.nsegments);
        snprintf(c[10], 32, "%.0f", (double)info.cache_bytes / 1048576.0);
        snprintf(c[11], 32, "%.0f", peak_rss_mb());
        const char *cs[12];
        for (int i = 0; i < 12; i++)
            cs[i] = c[i];
        bench_row(&bo, rtitle, 12, rcols, cs);
    }
    if (run_only) {
        kiln_proof_vk_destroy(vk);
        kiln_air_destroy(air);
        kiln_zkvm_program_free(p);
        kiln_backend_destroy(be);
        return 0;
    }

    static const char *const tcols[] = {"table", "rows", "main", "aux (ext)", "preprocessed", "cells/cycle"};
    char ttitle[64];
    snprintf(ttitle, sizeof ttitle, "committed cells per table at 2^%u", segs[0]);
    bench_header(&bo, ttitle, 6, tcols);
    for (size_t i = 0; i < KILN_ZKVM_NTABLES; i++) {
        const kiln_air_table *t = kiln_air_table_at(air, i);
        char c[6][32];
        snprintf(c[0], 32, "%s", kiln_air_table_name(t));
        if (first.w.traces[i].cols)
            snprintf(c[1], 32, "2^%u", first.w.traces[i].log_n);
        else
            snprintf(c[1], 32, "left out");
        snprintf(c[2], 32, "%zu", kiln_air_num_main(t));
        snprintf(c[3], 32, "%zu", kiln_air_num_aux(t));
        snprintf(c[4], 32, "%zu", kiln_air_num_pre(t));
        snprintf(c[5], 32, "%.1f", (double)table_cells(air, &first.w, i) / (double)first.w.cycles);
        const char *cs[6] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        bench_row(&bo, ttitle, 6, tcols, cs);
    }
    if (!bo.json)
        printf("backend %s, config %s, %.1f conjectured bits; cells = rows x (main + 2 x aux), preprocessed "
               "columns are in the key\n",
               kiln_backend_describe(be), cn ? cn : "default", bits);

    static const char *const pcols[] = {"segment", "device plan GiB", "fits 16 GB", "conjectured bits"};
    const char *ptitle = "device memory plan per segment (D12)";
    bench_header(&bo, ptitle, 4, pcols);
    for (size_t k = 0; k < nplan; k++) {
        kiln_zkvm_witness w;
        kiln_zkvm_witness_opts wo;
        memset(&wo, 0, sizeof wo);
        wo.segment_log = plans[k];
        wo.input = g_input_len ? g_input : NULL;
        wo.input_len = g_input_len;
        if (kiln_zkvm_witness_build(p, &wo, &w, err, sizeof err) != KILN_OK) {
            fprintf(stderr, "bench_zkvm: plan 2^%u: %s\n", plans[k], err);
            return 1;
        }
        kiln_proof_stats ps;
        kiln_proof_prove_opts po;
        memset(&po, 0, sizeof po);
        po.stats = &ps;
        po.plan_only = 1;
        kiln_gl2 chal[2] = {kiln_gl2_make(1, 2), kiln_gl2_make(3, 4)}; /* planning only: no proof is made */
        po.global_challenges = chal;
        uint8_t *proof = NULL;
        size_t plen = 0;
        kiln_status st = kiln_proof_prove(be, vk, w.traces, KILN_ZKVM_NTABLES, w.pub, KILN_ZKVM_NPUB, &po, &proof,
                                          &plen);
        kiln_proof_free(proof);
        kiln_zkvm_witness_free(&w);
        if (st != KILN_OK) {
            fprintf(stderr, "bench_zkvm: plan 2^%u failed\n", plans[k]);
            return 1;
        }
        char c[4][32];
        snprintf(c[0], 32, "2^%u", plans[k]);
        snprintf(c[1], 32, "%.2f", (double)ps.device_planned / 1073741824.0);
        snprintf(c[2], 32, "%s", ps.device_planned <= 16000000000ull ? "yes" : "NO");
        snprintf(c[3], 32, "%.1f", ps.security.conjectured);
        const char *cs[4] = {c[0], c[1], c[2], c[3]};
        bench_row(&bo, ptitle, 4, pcols, cs);
    }
    kiln_zkvm_witness_free(&first.w);
    kiln_proof_vk_destroy(vk);
    kiln_air_destroy(air);
    kiln_zkvm_program_free(p);
    kiln_backend_destroy(be);
    return 0;
}
