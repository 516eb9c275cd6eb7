/* Proof-of-work grinding benchmark: kiln_pow_grind over several random seeds, for the Poseidon2 transcript
 * (one permutation per nonce) and the Keccak one (three Keccak-f[1600] per nonce), on the CPU with one thread
 * and with all threads and, when a GPU is present, on CUDA. The rate counts nonces up to the one returned (the
 * work a sequential search does); the CPU and GPU search whole batches, so they may try a few more.
 *   bench_pow [--quick] [--json] [--bits B] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "bench_util.h"
#include "common/parallel.h"

static void run(const bench_opts *o, const char *title, const char *const *cols, int nc, kiln_backend *be,
                kiln_hasher h, unsigned threads, unsigned bits, int nseeds) {
    uint64_t tried = 0, v[25];
    double t0 = bench_now();
    for (int s = 0; s < nseeds; s++) {
        kiln_pow_seed seed;
        memset(&seed, 0, sizeof seed);
        seed.hasher = h;
        bench_fill_random(v, 25, 1000 + (uint64_t)s);
        memcpy(seed.state, v, sizeof v);
        seed.pos = h == KILN_HASHER_KECCAK ? (unsigned)(s * 37) % 136 : (unsigned)s % 8;
        uint64_t nonce = 0;
        kiln_status st = kiln_pow_grind(be, &seed, bits, &nonce);
        if (st != KILN_OK) {
            fprintf(stderr, "bench_pow: %s: %s\n", kiln_status_str(st), kiln_backend_error(be));
            exit(1);
        }
        tried += nonce + 1;
    }
    double dt = bench_now() - t0;
    char c[8][48];
    snprintf(c[0], 48, "%s", kiln_hasher_name(h));
    snprintf(c[1], 48, "%s", kiln_backend_name(be));
    snprintf(c[2], 48, "%u", threads);
    snprintf(c[3], 48, "%u", bits);
    snprintf(c[4], 48, "%d", nseeds);
    snprintf(c[5], 48, "%llu", (unsigned long long)tried);
    snprintf(c[6], 48, "%.3f", dt);
    snprintf(c[7], 48, "%.3f", dt > 0 ? tried / dt / 1e6 : 0.0);
    const char *cells[8] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
    bench_row(o, title, nc, cols, cells);
}

int main(int argc, char **argv) {
    bench_opts o = bench_parse(argc, argv);
    unsigned bits = o.quick ? 16 : 20;
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--bits")) bits = (unsigned)atoi(argv[i + 1]);
    int nseeds = o.quick ? 4 : 8;
    static const char *cols[] = {"hasher", "backend", "threads", "bits", "seeds", "nonces", "seconds", "Mnonces_per_s"};
    int nc = (int)(sizeof cols / sizeof cols[0]);
    const char *title = "proof-of-work grinding (kiln_pow_grind)";
    bench_header(&o, title, nc, cols);
    kiln_backend *cpu = NULL;
    if (kiln_backend_create(KILN_BACKEND_CPU, &cpu) != KILN_OK) return 1;
    unsigned all = kiln_parallel_threads();
    kiln_hasher hs[2] = {KILN_HASHER_POSEIDON2, KILN_HASHER_KECCAK};
    for (int k = 0; k < 2; k++) {
        kiln_parallel_set_threads(1);
        run(&o, title, cols, nc, cpu, hs[k], 1, bits, nseeds);
        kiln_parallel_set_threads(0);
        run(&o, title, cols, nc, cpu, hs[k], all, bits, nseeds);
    }
    kiln_backend_destroy(cpu);
    if (kiln_cuda_available()) {
        kiln_backend *gpu = NULL;
        if (kiln_backend_create(KILN_BACKEND_CUDA, &gpu) != KILN_OK) return 1;
        for (int k = 0; k < 2; k++) run(&o, title, cols, nc, gpu, hs[k], 0, bits + 4, nseeds);
        kiln_backend_destroy(gpu);
    }
    return 0;
}
