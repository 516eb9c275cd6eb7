/* Shared helpers for benchmarks: a monotonic clock, a repeat-until-stable timer, and a table that prints as
 * text or, with --json, as one JSON object per row. */
#ifndef KILN_BENCH_UTIL_H
#define KILN_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

double bench_now(void); /* seconds, monotonic */

/* Parses --json and --quick from argv (quick: smaller sizes, for smoke runs). */
typedef struct {
    int json, quick;
} bench_opts;
bench_opts bench_parse(int argc, char **argv);

/* Table output: bench_header prints the title and column names (text mode); bench_row prints one row of
 * string cells. In JSON mode each row is {"bench": title, col: cell, ...}. */
void bench_header(const bench_opts *o, const char *title, int ncols, const char *const *cols);
void bench_row(const bench_opts *o, const char *title, int ncols, const char *const *cols, const char *const *cells);

/* Reads a whole file into a malloc'd buffer; NULL (and *len unspecified) when it cannot be read or is empty. */
uint8_t *bench_read_file(const char *path, size_t *len);

/* Fills v with pseudo-random canonical Goldilocks elements. */
void bench_fill_random(uint64_t *v, size_t n, uint64_t seed);

#endif
