#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned g_threads_override;
static _Thread_local int t_in_parallel; /* nested parallel_for calls run inline */

unsigned kiln_parallel_threads(void) {
    if (g_threads_override) return g_threads_override;
    const char *env = getenv("KILN_THREADS");
    if (env && *env) {
        long v = strtol(env, NULL, 10);
        if (v >= 1 && v <= 1024) return (unsigned)v;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (unsigned)n : 1u;
}

void kiln_parallel_set_threads(unsigned n) { g_threads_override = n; }

typedef struct {
    kiln_range_fn fn;
    void *ctx;
    size_t begin, end;
} chunk_job;

static void *run_chunk(void *arg) {
    chunk_job *j = (chunk_job *)arg;
    t_in_parallel = 1;
    j->fn(j->ctx, j->begin, j->end);
    return NULL;
}

#define KILN_MAX_THREADS 256

void kiln_parallel_for(size_t n, size_t min_chunk, kiln_range_fn fn, void *ctx) {
    if (n == 0) return;
    if (min_chunk == 0) min_chunk = 1;
    unsigned t = kiln_parallel_threads();
    if (t > KILN_MAX_THREADS) t = KILN_MAX_THREADS;
    size_t max_chunks = (n + min_chunk - 1) / min_chunk;
    if (max_chunks < t) t = (unsigned)max_chunks;
    if (t <= 1 || t_in_parallel) {
        fn(ctx, 0, n);
        return;
    }
    chunk_job jobs[KILN_MAX_THREADS];
    pthread_t tids[KILN_MAX_THREADS];
    int started[KILN_MAX_THREADS];
    size_t per = n / t, rem = n % t, at = 0;
    for (unsigned i = 0; i < t; i++) {
        size_t len = per + (i < rem ? 1 : 0);
        jobs[i] = (chunk_job){fn, ctx, at, at + len};
        at += len;
    }
    /* Chunk 0 runs on the calling thread; the others on new threads (or inline if one cannot start). */
    for (unsigned i = 1; i < t; i++) started[i] = pthread_create(&tids[i], NULL, run_chunk, &jobs[i]) == 0;
    t_in_parallel = 1;
    fn(ctx, jobs[0].begin, jobs[0].end);
    for (unsigned i = 1; i < t; i++) {
        if (started[i]) pthread_join(tids[i], NULL);
        else fn(ctx, jobs[i].begin, jobs[i].end);
    }
    t_in_parallel = 0;
}
