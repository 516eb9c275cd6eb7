/* zkVM proving throughput (first AIR slice, docs/zkvm-air.md): witness generation and proof of one segment of
 * a sample guest (default zk_count, ~14.4k cycles in 2^14 rows) on the CPU backend (or --backend cuda).
 * Prints cycles, rows, committed cells per cycle (cpu table main + aux, and all tables amortized), witness
 * and proving time, cycles/s. Options: --guest NAME, --guest-dir DIR, --segment-log N, --config NAME, --json,
 * --quick (zk_loop in 2^9 rows). Issue goals: <= 150 cells/cycle, CPU >= 15k cycles/s on 2 cores. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "zkvm.h"


static const char *opt(int argc, char **argv, const char *name) {
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

int main(int argc, char **argv) {
    bench_opts bo = bench_parse(argc, argv);
    const char *guest = opt(argc, argv, "--guest"), *gdir = opt(argc, argv, "--guest-dir"),
               *sl = opt(argc, argv, "--segment-log"), *cn = opt(argc, argv, "--config"),
               *bk = opt(argc, argv, "--backend");
    if (!guest) guest = bo.quick ? "zk_loop" : "zk_count";
    unsigned seg = sl ? (unsigned)atoi(sl) : (bo.quick ? 9 : 14);
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
    kiln_zkvm_witness w;
    kiln_zkvm_witness_opts wo;
    memset(&wo, 0, sizeof wo);
    wo.segment_log = seg;
    double t0 = bench_now();
    if (kiln_zkvm_witness_build(p, &wo, &w, err, sizeof err) != KILN_OK) {
        fprintf(stderr, "bench_zkvm: %s\n", err);
        return 1;
    }
    double t_wit = bench_now() - t0;
    kiln_proof_stats stats;
    kiln_proof_prove_opts po;
    memset(&po, 0, sizeof po);
    po.stats = &stats;
    po.err = err;
    po.errlen = sizeof err;
    uint8_t *proof = NULL;
    size_t plen = 0;
    t0 = bench_now();
    if (kiln_proof_prove(be, vk, w.traces, KILN_ZKVM_NTABLES, w.pub, KILN_ZKVM_NPUB, &po, &proof, &plen) !=
        KILN_OK) {
        fprintf(stderr, "bench_zkvm: prove: %s\n", err);
        return 1;
    }
    double t_prove = bench_now() - t0;
    const kiln_air_table *cpu = kiln_air_table_at(air, 0);
    size_t cpu_main = kiln_air_num_main(cpu), cpu_aux = 2 * kiln_air_num_aux(cpu);
    size_t all = w.main_cells;
    for (size_t i = 0; i < KILN_ZKVM_NTABLES; i++)
        all += ((size_t)1 << w.traces[i].log_n) * 2 * kiln_air_num_aux(kiln_air_table_at(air, i));
    char c0[32], c1[32], c2[32], c3[32], c4[32], c5[32], c6[32], c7[32], c8[32];
    snprintf(c0, sizeof c0, "%s", guest);
    snprintf(c1, sizeof c1, "%llu", (unsigned long long)w.cycles);
    snprintf(c2, sizeof c2, "2^%u", seg);
    snprintf(c3, sizeof c3, "%zu+%zu", cpu_main, cpu_aux);
    snprintf(c4, sizeof c4, "%.1f", (double)all / (double)w.cycles);
    snprintf(c5, sizeof c5, "%.3f", t_wit);
    snprintf(c6, sizeof c6, "%.3f", t_prove);
    snprintf(c7, sizeof c7, "%.0f", (double)w.cycles / (t_wit + t_prove));
    snprintf(c8, sizeof c8, "%zu", plen);
    const char *cols[] = {"guest",           "cycles",    "rows",    "cpu cells/row (main+aux)",
                          "all cells/cycle", "witness s", "prove s", "cycles/s",
                          "proof bytes"};
    const char *cells[] = {c0, c1, c2, c3, c4, c5, c6, c7, c8};
    bench_header(&bo, "zkvm prove (first AIR slice)", 9, cols);
    bench_row(&bo, "zkvm prove (first AIR slice)", 9, cols, cells);
    printf("backend %s, config %s, %.1f conjectured bits\n", kiln_backend_describe(be), cn ? cn : "default",
           stats.security.conjectured);
    kiln_proof_free(proof);
    kiln_zkvm_witness_free(&w);
    kiln_proof_vk_destroy(vk);
    kiln_air_destroy(air);
    kiln_zkvm_program_free(p);
    kiln_backend_destroy(be);
    return 0;
}
