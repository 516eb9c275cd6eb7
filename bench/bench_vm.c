/* zkVM throughput: guest instructions per second for a few guests, plain and with tracing (rows drained
 * from a 1 Mi-row buffer as it fills, as the witness generator would). Guests are found in ../guest relative
 * to this executable (the build tree), or in --guest-dir DIR. Goals: >= 150 M/s plain, >= 40 M/s tracing. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "vm.h"


/* Runs the guest once; returns seconds spent in kiln_vm_run and the cycles retired. */
static int run_once(const kiln_vm_program *prog, const uint32_t *input, size_t in_words, kiln_vm_trace *trace,
                    double *secs, uint64_t *cycles) {
    kiln_vm *vm = NULL;
    if (kiln_vm_create(prog, NULL, &vm) != KILN_OK) return -1;
    kiln_vm_set_input(vm, (const uint8_t *)input, in_words * 4);
    kiln_vm_set_trace(vm, trace);
    kiln_vm_result r;
    double t0 = bench_now();
    for (;;) {
        kiln_vm_run(vm, &r);
        if (r.stop != KILN_VM_TRACE_FULL) break;
        kiln_vm_trace_clear(trace);
    }
    *secs = bench_now() - t0;
    *cycles = r.cycles;
    if (trace) kiln_vm_trace_clear(trace);
    kiln_vm_free(vm);
    if (r.stop != KILN_VM_EXITED || r.exit_code != 0) {
        fprintf(stderr, "bench_vm: guest stopped: %s %s\n", kiln_vm_stop_str(r.stop), r.msg);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    bench_opts o = bench_parse(argc, argv);
    char dir[PATH_MAX + 16] = "";
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--guest-dir")) snprintf(dir, sizeof dir, "%s", argv[i + 1]);
    if (!dir[0]) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0) return 1;
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        snprintf(dir, sizeof dir, "%s/../guest", exe);
    }
    struct {
        const char *name, *label;
        uint32_t full, quick, pre;
    } guests[] = {
        {"bench_loop", "arith loop", 20000000, 1000000, 0},
        {"bench_memcpy", "memcpy 64K", 2000, 100, 0},
        {"bench_keccak", "keccak-f sw", 20000, 1000, 0},
        {"bench_mulmod", "u256 mulmod sw", 20000, 1000, 0},
        {"bench_mulmod", "u256 mulmod pre", 2000000, 100000, 1},
    };
    const char *cols[] = {"guest", "mode", "instructions", "seconds", "M instr/s"};
    bench_header(&o, "zkVM interpreter (one core)", 5, cols);
    kiln_vm_trace *trace = NULL;
    if (kiln_vm_trace_create(1u << 20, &trace) != KILN_OK) return 1;
    int rc = 0;
    for (size_t g = 0; g < sizeof guests / sizeof guests[0]; g++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/%s.elf", dir, guests[g].name);
        size_t len = 0;
        uint8_t *elf = bench_read_file(path, &len);
        kiln_vm_program *prog = NULL;
        char err[160];
        if (!elf || kiln_vm_program_from_elf(elf, len, &prog, err, sizeof err) != KILN_OK) {
            fprintf(stderr, "bench_vm: cannot load %s (build the guests; or pass --guest-dir)\n", path);
            free(elf);
            rc = 1;
            continue;
        }
        free(elf);
        uint32_t input[2] = {o.quick ? guests[g].quick : guests[g].full, guests[g].pre};
        for (int mode = 0; mode < 2; mode++) {
            double best = 1e30;
            uint64_t cycles = 0;
            for (int rep = 0; rep < (o.quick ? 1 : 3); rep++) {
                double s;
                if (run_once(prog, input, 2, mode ? trace : NULL, &s, &cycles) != 0) {
                    rc = 1;
                    break;
                }
                if (s < best) best = s;
            }
            char c0[32], c1[32], c2[32];
            snprintf(c0, sizeof c0, "%llu", (unsigned long long)cycles);
            snprintf(c1, sizeof c1, "%.3f", best);
            snprintf(c2, sizeof c2, "%.1f", best > 0 ? (double)cycles / best / 1e6 : 0.0);
            const char *cells[] = {guests[g].label, mode ? "traced" : "plain", c0, c1, c2};
            bench_row(&o, "zkVM interpreter (one core)", 5, cols, cells);
        }
        kiln_vm_program_free(prog);
    }
    kiln_vm_trace_free(trace);
    return rc;
}
