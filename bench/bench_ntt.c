/* NTT and LDE throughput on the CPU backend (one thread and all threads) and, where a GPU is present, on the
 * CUDA backend, with the GPU's time compared to its memory-bandwidth floor (the data read and written once,
 * at the device-to-device copy bandwidth measured in the same run).
 *
 *   bench_ntt [--quick] [--json] [--max-log N] [--cpu-only | --gpu-only]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "bench_util.h"
#include "common/parallel.h"

static const char *const COLS[] = {"backend", "threads", "op", "rows", "cols", "ms", "Melem/s", "x floor"};
#define NCOLS 8
static const char *TITLE = "ntt";

typedef struct {
    kiln_backend *be;
    double bw; /* bytes/s, GPU only */
    unsigned threads;
} target;

/* Times fn until at least min_s has passed (and at least 2 runs after a warm-up); returns the best run. */
typedef kiln_status (*op_fn)(void *ctx);

static double time_op(kiln_backend *be, op_fn fn, void *ctx, double min_s, int *failed) {
    *failed = fn(ctx) != KILN_OK || kiln_backend_sync(be) != KILN_OK;
    if (*failed) return 0;
    double best = 1e30, start = bench_now();
    for (int runs = 0; runs < 2 || bench_now() - start < min_s; runs++) {
        double t0 = bench_now();
        if (fn(ctx) != KILN_OK || kiln_backend_sync(be) != KILN_OK) {
            *failed = 1;
            return 0;
        }
        double t = bench_now() - t0;
        if (t < best) best = t;
        if (runs > 50) break;
    }
    return best;
}

typedef struct {
    kiln_backend *be;
    kiln_buf *a, *b;
    size_t ncols;
    unsigned log_n, log_blowup;
    size_t bytes;
} op_ctx;

static kiln_status op_ntt(void *vc) {
    op_ctx *c = (op_ctx *)vc;
    return kiln_ntt(c->be, c->a, 0, c->ncols, c->log_n, 0, KILN_GL_GENERATOR, KILN_ORDER_NATURAL,
                    KILN_ORDER_BITREV);
}

static kiln_status op_lde(void *vc) {
    op_ctx *c = (op_ctx *)vc;
    return kiln_lde_from_coeffs(c->be, c->a, 0, c->b, 0, c->ncols, c->log_n, c->log_blowup, KILN_GL_GENERATOR,
                                KILN_ORDER_BITREV);
}

static kiln_status op_copy(void *vc) {
    op_ctx *c = (op_ctx *)vc;
    return kiln_buf_copy(c->b, 0, c->a, 0, c->bytes);
}

static void report(const bench_opts *o, const target *t, const char *op, unsigned log_rows, size_t ncols,
                   double secs, size_t elems, size_t bytes_moved, int failed) {
    char thr[16], rows[16], cols[16], ms[32], rate[32], floor_s[32];
    if (t->bw > 0)
        snprintf(thr, sizeof thr, "-");
    else
        snprintf(thr, sizeof thr, "%u", t->threads);
    snprintf(rows, sizeof rows, "2^%u", log_rows);
    snprintf(cols, sizeof cols, "%zu", ncols);
    if (failed) {
        snprintf(ms, sizeof ms, "failed");
        snprintf(rate, sizeof rate, "-");
    } else {
        snprintf(ms, sizeof ms, "%.3f", secs * 1e3);
        snprintf(rate, sizeof rate, "%.1f", elems / secs / 1e6);
    }
    if (t->bw > 0 && !failed)
        snprintf(floor_s, sizeof floor_s, "%.2f", secs / (bytes_moved / t->bw));
    else
        snprintf(floor_s, sizeof floor_s, "-");
    const char *cells[NCOLS] = {kiln_backend_name(t->be), thr, op, rows, cols, ms, rate, floor_s};
    bench_row(o, TITLE, NCOLS, COLS, cells);
}

static void bench_ntt_case(const bench_opts *o, const target *t, unsigned log_n, size_t ncols, double min_s) {
    size_t n = (size_t)1 << log_n, words = n * ncols;
    op_ctx c = {t->be, NULL, NULL, ncols, log_n, 0, 0};
    if (kiln_buf_alloc(t->be, words * 8, &c.a) != KILN_OK) {
        report(o, t, "ntt", log_n, ncols, 0, 0, 0, 1);
        return;
    }
    uint64_t *h = (uint64_t *)malloc(words * 8);
    if (h) {
        bench_fill_random(h, words, log_n);
        kiln_buf_write(c.a, 0, h, words * 8);
        free(h);
    }
    int failed;
    double s = time_op(t->be, op_ntt, &c, min_s, &failed);
    report(o, t, "ntt", log_n, ncols, s, words, 2 * words * 8, failed);
    kiln_buf_free(c.a);
}

static void bench_lde_case(const bench_opts *o, const target *t, unsigned log_n, unsigned lb, size_t ncols,
                           double min_s) {
    size_t n = (size_t)1 << log_n, words = n * ncols;
    op_ctx c = {t->be, NULL, NULL, ncols, log_n, lb, 0};
    char op[16];
    snprintf(op, sizeof op, "lde x%u", 1u << lb);
    if (kiln_buf_alloc(t->be, words * 8, &c.a) != KILN_OK ||
        kiln_buf_alloc(t->be, (words << lb) * 8, &c.b) != KILN_OK) {
        report(o, t, op, log_n, ncols, 0, 0, 0, 1);
        kiln_buf_free(c.a);
        return;
    }
    uint64_t *h = (uint64_t *)malloc(words * 8);
    if (h) {
        bench_fill_random(h, words, log_n + 100);
        kiln_buf_write(c.a, 0, h, words * 8);
        free(h);
    }
    int failed;
    double s = time_op(t->be, op_lde, &c, min_s, &failed);
    report(o, t, op, log_n, ncols, s, words << lb, (words + (words << lb)) * 8, failed);
    kiln_buf_free(c.a);
    kiln_buf_free(c.b);
}

/* Device-to-device copy bandwidth (read + write bytes per second) over a 1 GiB buffer. */
static double measure_bw(kiln_backend *be) {
    op_ctx c = {be, NULL, NULL, 0, 0, 0, (size_t)1 << 30};
    double bw = 0;
    if (kiln_buf_alloc(be, c.bytes, &c.a) == KILN_OK && kiln_buf_alloc(be, c.bytes, &c.b) == KILN_OK) {
        kiln_buf_zero(c.a, 0, c.bytes);
        int failed;
        double s = time_op(be, op_copy, &c, 0.2, &failed);
        if (!failed && s > 0) bw = 2.0 * c.bytes / s;
    }
    kiln_buf_free(c.a);
    kiln_buf_free(c.b);
    return bw;
}

static void run_target(const bench_opts *o, const target *t, unsigned max_log, int quick) {
    double min_s = quick ? 0.05 : 0.3;
    int gpu = t->bw > 0;
    for (unsigned log_n = 16; log_n <= max_log; log_n += quick ? 4 : 2)
        bench_ntt_case(o, t, log_n, 1, min_s);
    /* 64-column batches up to 2^20 rows (512 MiB); the one-thread CPU run stops earlier to stay short */
    unsigned batch_max = quick ? 16 : (t->threads == 1 && !gpu ? 18 : 20);
    for (unsigned log_n = 16; log_n <= batch_max && log_n <= max_log; log_n += 2)
        bench_ntt_case(o, t, log_n, 64, min_s);
    if (quick)
        bench_lde_case(o, t, 16, 2, 64, min_s);
    else
        bench_lde_case(o, t, 20, 2, 64, min_s);
}

int main(int argc, char **argv) {
    bench_opts o = bench_parse(argc, argv);
    unsigned max_log = o.quick ? 20 : 24;
    int cpu = 1, gpu = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--max-log") && i + 1 < argc) {
            long v = strtol(argv[++i], NULL, 10);
            if (v < 16 || v > 28) {
                fprintf(stderr, "bench_ntt: --max-log must be 16..28\n");
                return 2;
            }
            max_log = (unsigned)v;
        } else if (!strcmp(argv[i], "--cpu-only")) {
            gpu = 0;
        } else if (!strcmp(argv[i], "--gpu-only")) {
            cpu = 0;
        } else if (strcmp(argv[i], "--quick") && strcmp(argv[i], "--json")) {
            fprintf(stderr, "usage: bench_ntt [--quick] [--json] [--max-log N] [--cpu-only | --gpu-only]\n");
            return 2;
        }
    }
    bench_header(&o, TITLE, NCOLS, COLS);
    if (cpu) {
        kiln_backend *be = NULL;
        if (kiln_backend_create(KILN_BACKEND_CPU, &be) != KILN_OK) {
            fprintf(stderr, "bench_ntt: cannot create the CPU backend\n");
            return 1;
        }
        unsigned all = kiln_parallel_threads();
        unsigned list[2] = {1, all};
        for (int i = 0; i < (all > 1 ? 2 : 1); i++) {
            kiln_parallel_set_threads(list[i]);
            target t = {be, 0, list[i]};
            run_target(&o, &t, max_log, o.quick);
        }
        kiln_parallel_set_threads(0);
        kiln_backend_destroy(be);
    }
    if (gpu && kiln_cuda_available()) {
        kiln_backend *be = NULL;
        if (kiln_backend_create(KILN_BACKEND_CUDA, &be) != KILN_OK) {
            fprintf(stderr, "bench_ntt: cannot create the CUDA backend\n");
            return 1;
        }
        target t = {be, measure_bw(be), 0};
        if (!o.json) printf("# %s; device copy bandwidth %.0f GB/s\n", kiln_backend_describe(be), t.bw / 1e9);
        run_target(&o, &t, max_log, o.quick);
        kiln_backend_destroy(be);
    } else if (gpu && !o.json) {
        printf("# no CUDA device: GPU rows skipped\n");
    }
    return 0;
}
