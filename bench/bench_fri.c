/* FRI folding, polynomial evaluation at an extension point and batch inversion: CPU with 1 thread and with
 * all threads, and CUDA when a GPU is present. For CUDA, "floor" is the time a device-to-device kiln_buf_copy
 * needs to move the same bytes (read + write), so "x floor" says how far a kernel is from memory bandwidth.
 * --quick uses small sizes (smoke runs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "bench_util.h"
#include "common/parallel.h"

static const char *const cols[] = {"kernel", "size", "backend", "ms", "Melem/s", "speedup/floor"};
static const char *title = "fri/poly kernels";

typedef struct {
    kiln_backend *be;
    kiln_buf *a, *b;
    size_t n, ncols;
    unsigned log_n, log_arity;
    kiln_gl2 *out;
    int which; /* 0 fold, 1 eval, 2 inv base, 3 inv ext, 4 copy */
    size_t copy_bytes;
} job;

static kiln_status run_once(job *j) {
    kiln_gl2 beta = kiln_gl2_make(0x1234567890abcdefULL, 0x0fedcba987654321ULL);
    switch (j->which) {
    case 0: return kiln_fri_fold(j->be, j->a, 0, j->b, 0, j->log_n, j->log_arity, KILN_GL_GENERATOR, beta);
    case 1: return kiln_poly_eval_ext(j->be, j->a, 0, j->n, j->ncols, beta, j->out);
    case 2: return kiln_batch_inverse(j->be, j->a, 0, j->n);
    case 3: return kiln_batch_inverse_ext(j->be, j->a, 0, j->n);
    default: return kiln_buf_copy(j->b, 0, j->a, 0, j->copy_bytes);
    }
}

/* Best of several runs (at least 3 and about 0.3 s); seconds, or -1 on failure. */
static double time_job(job *j) {
    if (run_once(j) != KILN_OK || kiln_backend_sync(j->be) != KILN_OK) return -1; /* warm-up */
    double best = 1e30, start = bench_now();
    for (int r = 0; r < 20 && (r < 3 || bench_now() - start < 0.3); r++) {
        double t0 = bench_now();
        if (run_once(j) != KILN_OK || kiln_backend_sync(j->be) != KILN_OK) return -1;
        double t = bench_now() - t0;
        if (t < best) best = t;
    }
    return best;
}

static void row(const bench_opts *o, const char *kernel, const char *size, const char *backend, double s, double elems,
                const char *extra) {
    char ms[32], rate[32];
    snprintf(ms, sizeof ms, "%.3f", s * 1e3);
    snprintf(rate, sizeof rate, "%.1f", elems / s / 1e6);
    const char *cells[] = {kernel, size, backend, ms, rate, extra};
    bench_row(o, title, 6, cols, cells);
}

/* Sets up buffers for one kernel on one backend; returns 0 when it could not. */
static int setup(job *j, kiln_backend *be, size_t a_words, size_t b_words, const uint64_t *host) {
    memset(j, 0, sizeof *j);
    j->be = be;
    if (kiln_buf_alloc(be, a_words * 8, &j->a) != KILN_OK || kiln_buf_alloc(be, (b_words ? b_words : 1) * 8, &j->b) != KILN_OK)
        return 0;
    return kiln_buf_write(j->a, 0, host, a_words * 8) == KILN_OK;
}

static void teardown(job *j) {
    kiln_buf_free(j->a);
    kiln_buf_free(j->b);
    j->a = j->b = NULL;
}

/* Runs one kernel configuration on the CPU (1 thread, all threads) and CUDA; bytes = memory traffic. */
static void bench_case(const bench_opts *o, kiln_backend *cpu, kiln_backend *gpu, const char *kernel,
                       const char *size, job proto, size_t a_words, size_t b_words, const uint64_t *host,
                       double elems, double bytes) {
    unsigned all = kiln_parallel_threads();
    double t1 = -1;
    for (int pass = 0; pass < 2; pass++) {
        unsigned threads = pass == 0 ? 1 : all;
        if (pass == 1 && all == 1) break;
        kiln_parallel_set_threads(threads);
        job j;
        if (!setup(&j, cpu, a_words, b_words, host)) {
            fprintf(stderr, "bench_fri: cannot allocate %s %s on the CPU\n", kernel, size);
            teardown(&j);
            kiln_parallel_set_threads(0);
            return;
        }
        j.n = proto.n, j.ncols = proto.ncols, j.log_n = proto.log_n, j.log_arity = proto.log_arity;
        j.out = proto.out, j.which = proto.which;
        double t = time_job(&j);
        teardown(&j);
        char be[32], extra[32];
        snprintf(be, sizeof be, "cpu %ut", threads);
        if (pass == 0) t1 = t;
        snprintf(extra, sizeof extra, "%.2fx", pass == 0 ? 1.0 : t1 / t);
        if (t > 0) row(o, kernel, size, be, t, elems, extra);
        else fprintf(stderr, "bench_fri: %s %s failed on the CPU\n", kernel, size);
    }
    kiln_parallel_set_threads(0);
    if (!gpu) return;
    job j;
    if (!setup(&j, gpu, a_words, b_words > a_words ? b_words : a_words, host)) {
        fprintf(stderr, "bench_fri: cannot allocate %s %s on the GPU\n", kernel, size);
        teardown(&j);
        return;
    }
    j.n = proto.n, j.ncols = proto.ncols, j.log_n = proto.log_n, j.log_arity = proto.log_arity;
    j.out = proto.out, j.which = proto.which;
    double t = time_job(&j);
    /* Floor: a copy moving the same bytes (half read, half written). */
    job c = j;
    c.which = 4;
    c.copy_bytes = (size_t)(bytes / 2);
    if (c.copy_bytes > a_words * 8) c.copy_bytes = a_words * 8;
    double tc = time_job(&c) * (bytes / 2) / (double)c.copy_bytes;
    teardown(&j);
    char extra[48];
    snprintf(extra, sizeof extra, "%.2fx floor", tc > 0 ? t / tc : 0);
    if (t > 0) row(o, kernel, size, "cuda", t, elems, extra);
    else fprintf(stderr, "bench_fri: %s %s failed on the GPU: %s\n", kernel, size, kiln_backend_error(gpu));
}

int main(int argc, char **argv) {
    bench_opts o = bench_parse(argc, argv);
    kiln_backend *cpu = NULL, *gpu = NULL;
    if (kiln_backend_create(KILN_BACKEND_CPU, &cpu) != KILN_OK) {
        fprintf(stderr, "bench_fri: no CPU backend\n");
        return 1;
    }
    if (kiln_cuda_available() && kiln_backend_create(KILN_BACKEND_CUDA, &gpu) != KILN_OK) gpu = NULL;
    if (!o.json) {
        printf("cpu: %s\n", kiln_backend_describe(cpu));
        printf("gpu: %s\n", gpu ? kiln_backend_describe(gpu) : "none (CUDA rows skipped)");
    }
    bench_header(&o, title, 6, cols);

    unsigned fold_logs[2] = {20, 22};
    unsigned nfold = 2;
    if (o.quick) fold_logs[0] = 16, nfold = 1;
    size_t eval_n = o.quick ? (size_t)1 << 14 : (size_t)1 << 20, eval_cols = o.quick ? 8 : 64;
    size_t inv_n = o.quick ? (size_t)1 << 14 : (size_t)1 << 20;
    size_t max_words = 2 * ((size_t)1 << fold_logs[nfold - 1]);
    if (eval_n * eval_cols > max_words) max_words = eval_n * eval_cols;
    uint64_t *host = (uint64_t *)malloc(max_words * 8);
    kiln_gl2 *out = (kiln_gl2 *)malloc(eval_cols * sizeof(kiln_gl2));
    if (!host || !out) {
        fprintf(stderr, "bench_fri: out of memory\n");
        return 1;
    }
    bench_fill_random(host, max_words, 42);

    char size[48];
    job p;
    memset(&p, 0, sizeof p);
    for (unsigned f = 0; f < nfold; f++)
        for (unsigned la = 1; la <= 3; la++) {
            size_t n = (size_t)1 << fold_logs[f];
            char kernel[32];
            snprintf(kernel, sizeof kernel, "fri_fold /%u", 1u << la);
            snprintf(size, sizeof size, "2^%u ext", fold_logs[f]);
            p.which = 0, p.log_n = fold_logs[f], p.log_arity = la;
            bench_case(&o, cpu, gpu, kernel, size, p, 2 * n, 2 * (n >> la), host, (double)n,
                       16.0 * n + 16.0 * (n >> la));
        }
    snprintf(size, sizeof size, "%zu x 2^%u", eval_cols, o.quick ? 14 : 20);
    p.which = 1, p.n = eval_n, p.ncols = eval_cols, p.out = out;
    bench_case(&o, cpu, gpu, "poly_eval_ext", size, p, eval_n * eval_cols, 0, host, (double)(eval_n * eval_cols),
               8.0 * eval_n * eval_cols);
    snprintf(size, sizeof size, "2^%u", o.quick ? 14 : 20);
    p.which = 2, p.n = inv_n;
    bench_case(&o, cpu, gpu, "batch_inverse", size, p, inv_n, 0, host, (double)inv_n, 16.0 * inv_n);
    p.which = 3;
    bench_case(&o, cpu, gpu, "batch_inverse_ext", size, p, 2 * inv_n, 0, host, (double)inv_n, 32.0 * inv_n);

    free(host);
    free(out);
    kiln_backend_destroy(gpu);
    kiln_backend_destroy(cpu);
    return 0;
}
