#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

bench_opts bench_parse(int argc, char **argv) {
    bench_opts o = {0, 0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) o.json = 1;
        else if (!strcmp(argv[i], "--quick")) o.quick = 1;
    }
    return o;
}

void bench_header(const bench_opts *o, const char *title, int ncols, const char *const *cols) {
    if (o->json) return;
    printf("\n%s\n", title);
    for (int i = 0; i < ncols; i++) printf("%s%-18s", i ? " " : "", cols[i]);
    printf("\n");
    for (int i = 0; i < ncols; i++) printf("%s------------------", i ? " " : "");
    printf("\n");
}

void bench_row(const bench_opts *o, const char *title, int ncols, const char *const *cols, const char *const *cells) {
    if (o->json) {
        printf("{\"bench\": \"%s\"", title);
        for (int i = 0; i < ncols; i++) printf(", \"%s\": \"%s\"", cols[i], cells[i]);
        printf("}\n");
    } else {
        for (int i = 0; i < ncols; i++) printf("%s%-18s", i ? " " : "", cells[i]);
        printf("\n");
    }
    fflush(stdout);
}

void bench_fill_random(uint64_t *v, size_t n, uint64_t seed) {
    uint64_t s = seed ? seed : 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < n; i++) {
        /* splitmix64 */
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        v[i] = z >= 0xFFFFFFFF00000001ULL ? z - 0xFFFFFFFF00000001ULL : z;
    }
}

uint8_t *bench_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = n > 0 ? (uint8_t *)malloc((size_t)n) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = n > 0 ? (size_t)n : 0;
    return b;
}
