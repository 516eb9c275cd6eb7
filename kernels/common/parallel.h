/* A small fork-join helper for the CPU backend: splits [0, n) into chunks and runs them on worker threads.
 * Thread count: KILN_THREADS from the environment, else the number of online CPUs. */
#ifndef KILN_PARALLEL_H
#define KILN_PARALLEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Body of a parallel loop: processes indices [begin, end). */
typedef void (*kiln_range_fn)(void *ctx, size_t begin, size_t end);

/* Number of threads kiln_parallel_for uses (>= 1). */
unsigned kiln_parallel_threads(void);

/* Overrides the thread count for this process (0 restores the default). For benchmarks and tests. */
void kiln_parallel_set_threads(unsigned n);

/* Runs fn over [0, n) split into contiguous chunks of at least min_chunk indices, on up to
 * kiln_parallel_threads() threads; returns when all chunks are done. Runs inline when the work is small or a
 * thread cannot be started. Nested calls run inline. */
void kiln_parallel_for(size_t n, size_t min_chunk, kiln_range_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
