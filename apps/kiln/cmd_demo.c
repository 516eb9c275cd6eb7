/* `kiln demo`: Kiln's main job on embedded defaults. Today it is the prover's kernel pipeline, end to end:
 * a random trace, its low-degree extension on a coset, a Poseidon2 Merkle commitment to the extended rows,
 * and a few opened rows checked against the root, with the time of each step and the backend that ran it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "commands.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out) {
    char *end;
    if (!s || !*s) return 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > max) return 0;
    *out = v;
    return 1;
}

static void usage(FILE *f) {
    fprintf(f, "usage: kiln demo [--log-rows N] [--cols C] [--blowup B] [--cap K] [--backend auto|cpu|cuda]\n"
               "                 [--hasher poseidon2|keccak] [--seed S]\n"
               "defaults: 2^20 rows x 64 columns (2^18 rows on the CPU backend), blowup 4, cap 2^4, Poseidon2,\n"
               "backend auto (CUDA where a GPU is present)\n");
}

/* splitmix64 over canonical field elements: the trace is random but reproducible from the seed. */
static void fill_random(uint64_t *v, size_t n, uint64_t seed) {
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        v[i] = kiln_gl_from_u64(z);
    }
}

#define STEP(name, call)                                                                                       \
    do {                                                                                                       \
        double t0_ = now_s();                                                                                  \
        kiln_status st_ = (call);                                                                              \
        if (st_ == KILN_OK) st_ = kiln_backend_sync(be);                                                       \
        if (st_ != KILN_OK) {                                                                                  \
            fprintf(stderr, "kiln demo: %s failed: %s (%s)\n", name, kiln_status_str(st_),                    \
                    kiln_backend_error(be));                                                                   \
            goto out;                                                                                          \
        }                                                                                                      \
        double dt_ = now_s() - t0_;                                                                            \
        total += dt_;                                                                                          \
        printf("  %-34s %10.1f ms\n", name, dt_ * 1e3);                                                        \
        fflush(stdout);                                                                                        \
    } while (0)

int kiln_cmd_demo(int argc, char **argv) {
    unsigned long log_rows = 20, cols = 64, blowup = 4, cap_log = 4, seed = 1;
    int rows_given = 0;
    kiln_backend_kind kind = KILN_BACKEND_AUTO;
    kiln_hasher hasher = KILN_HASHER_POSEIDON2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int ok = 1;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--log-rows")) ok = parse_uint(v, 26, &log_rows) && log_rows >= 1;
        else if (!strcmp(a, "--cols")) ok = parse_uint(v, 4096, &cols) && cols >= 1;
        else if (!strcmp(a, "--blowup")) ok = parse_uint(v, 16, &blowup) && (blowup == 2 || blowup == 4 || blowup == 8 || blowup == 16);
        else if (!strcmp(a, "--cap")) ok = parse_uint(v, 16, &cap_log);
        else if (!strcmp(a, "--seed")) ok = parse_uint(v, ~0UL, &seed);
        else if (!strcmp(a, "--backend")) ok = v && kiln_backend_kind_parse(v, &kind) == KILN_OK;
        else if (!strcmp(a, "--hasher")) ok = v && kiln_hasher_parse(v, &hasher) == KILN_OK;
        else {
            fprintf(stderr, "kiln demo: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
        if (!ok) {
            fprintf(stderr, "kiln demo: bad or missing value for %s\n", a);
            usage(stderr);
            return 2;
        }
        i++;
    }
    unsigned log_blowup = 0;
    while ((1UL << log_blowup) < blowup) log_blowup++;
    size_t n = (size_t)1 << log_rows, big = n << log_blowup;
    if (cap_log > log_rows + log_blowup) cap_log = log_rows + log_blowup;

    kiln_backend *be = NULL;
    kiln_status st = kiln_backend_create(kind, &be);
    if (st != KILN_OK) {
        fprintf(stderr, "kiln demo: cannot start the %s backend: %s\n", kind == KILN_BACKEND_CUDA ? "cuda" : "requested",
                kiln_status_str(st));
        return 1;
    }
    /* The full 2^20 x 64 trace takes minutes on a 2-core CPU; without a GPU the default is 2^18 rows. */
    if (!rows_given && kiln_backend_kind_of(be) == KILN_BACKEND_CPU) log_rows = 18;
    n = (size_t)1 << log_rows;
    big = n << log_blowup;
    if (cap_log > log_rows + log_blowup) cap_log = log_rows + log_blowup;
    printf("kiln demo: commit to a random trace, as the prover does\n");
    printf("  backend   %s\n", kiln_backend_describe(be));
    printf("  trace     2^%lu rows x %lu columns (%.1f MiB), seed %lu\n", log_rows, cols,
           (double)n * cols * 8 / (1 << 20), seed);
    printf("  LDE       blowup %lu on the coset 7*H (%.1f MiB)\n", blowup, (double)big * cols * 8 / (1 << 20));
    printf("  commit    %s Merkle tree over the %zu extended rows, cap 2^%lu\n\n", kiln_hasher_name(hasher), big,
           cap_log);

    int rc = 1;
    double total = 0;
    uint64_t *host = NULL, *cap = NULL, *rows = NULL, *paths = NULL;
    kiln_buf *trace = NULL, *lde = NULL, *tree = NULL;
    size_t ndig = kiln_merkle_tree_digests(big, (unsigned)cap_log);
    enum { QUERIES = 8 };
    size_t qidx[QUERIES];
    unsigned depth = (unsigned)(log_rows + log_blowup - cap_log);

    STEP("generate random trace (host)", (host = (uint64_t *)malloc(n * cols * 8)) ? (fill_random(host, n * cols, seed), KILN_OK) : KILN_ERR_OUT_OF_MEMORY);
    STEP("allocate backend buffers", kiln_buf_alloc(be, n * cols * 8, &trace) == KILN_OK &&
                                             kiln_buf_alloc(be, big * cols * 8, &lde) == KILN_OK
                                         ? kiln_buf_alloc(be, ndig * 32, &tree)
                                         : KILN_ERR_OUT_OF_MEMORY);
    STEP("upload trace", kiln_buf_write(trace, 0, host, n * cols * 8));
    STEP("LDE (iNTT + coset NTT, bit-reversed)", kiln_lde(be, trace, 0, lde, 0, cols, (unsigned)log_rows, log_blowup,
                                                       KILN_GL_GENERATOR, KILN_ORDER_BITREV));
    kiln_matrix m = kiln_matrix_cols(lde, 0, big, cols);
    STEP("hash rows (leaves)", kiln_hash_rows(be, hasher, &m, tree, 0));
    STEP("build Merkle tree", kiln_merkle_build(be, hasher, tree, big, (unsigned)cap_log));
    cap = (uint64_t *)malloc(((size_t)1 << cap_log) * 32);
    rows = (uint64_t *)malloc(QUERIES * cols * 8);
    paths = (uint64_t *)malloc((size_t)QUERIES * (depth ? depth : 1) * 32);
    if (!cap || !rows || !paths) {
        fprintf(stderr, "kiln demo: out of host memory\n");
        goto out;
    }
    STEP("read cap", kiln_merkle_read_cap(be, tree, big, (unsigned)cap_log, cap));
    for (int q = 0; q < QUERIES; q++) qidx[q] = (size_t)((host[q] * 0x9e3779b97f4a7c15ULL) >> 7) % big;
    STEP("open 8 rows with paths", kiln_gather_rows(be, &m, qidx, QUERIES, rows) == KILN_OK
                                        ? kiln_merkle_paths(be, tree, big, (unsigned)cap_log, qidx, QUERIES, paths)
                                        : KILN_ERR_INTERNAL);
    int verified = 0;
    for (int q = 0; q < QUERIES; q++) {
        uint64_t leaf[4];
        kiln_merkle_hash_leaf(hasher, rows + q * cols, cols, leaf);
        verified += kiln_merkle_verify(hasher, leaf, qidx[q], big, (unsigned)cap_log, paths + (size_t)q * depth * 4,
                                       cap) == KILN_OK;
    }
    kiln_mem_stats ms;
    kiln_backend_mem_stats(be, &ms);
    printf("  %-34s %10.1f ms\n\n", "total", total * 1e3);
    if (cap_log > 0)
        printf("cap[0]    0x%016llx 0x%016llx 0x%016llx 0x%016llx  (%lu cap digests)\n", (unsigned long long)cap[0],
               (unsigned long long)cap[1], (unsigned long long)cap[2], (unsigned long long)cap[3], 1UL << cap_log);
    uint64_t root[4];
    {
        /* Fold the cap to one root on the host so the demo prints a single commitment. */
        size_t k = (size_t)1 << cap_log;
        uint64_t *layer = (uint64_t *)malloc(k * 32);
        if (!layer) goto out;
        memcpy(layer, cap, k * 32);
        for (; k > 1; k >>= 1)
            for (size_t i = 0; i < k / 2; i++) kiln_merkle_hash_node(hasher, layer + 8 * i, layer + 8 * i + 4, layer + 4 * i);
        memcpy(root, layer, 32);
        free(layer);
    }
    printf("root      0x%016llx 0x%016llx 0x%016llx 0x%016llx\n", (unsigned long long)root[0],
           (unsigned long long)root[1], (unsigned long long)root[2], (unsigned long long)root[3]);
    printf("opened    %d of %d rows verified against the cap\n", verified, QUERIES);
    printf("memory    host peak %.1f MiB in backend buffers", ms.host_peak / 1048576.0);
    if (kiln_backend_kind_of(be) == KILN_BACKEND_CUDA) printf(", device peak %.1f MiB", ms.device_peak / 1048576.0);
    printf("\n");
    rc = verified == QUERIES ? 0 : 1;
out:
    kiln_buf_free(tree);
    kiln_buf_free(lde);
    kiln_buf_free(trace);
    free(host);
    free(cap);
    free(rows);
    free(paths);
    kiln_backend_destroy(be);
    return rc;
}
