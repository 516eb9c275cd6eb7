/* State tree benchmark (sequencer/state_tree.h over RocksDB, protocol/state_tree.h's step): host steps per
 * second (proof built from RocksDB, checked by the guest's step, applied to the pending batch) for inserts
 * and updates, commits of 1,000-step batches, reads, read proofs, and the guest step alone on the host CPU.
 * The tree lives in a temporary directory removed at the end. Usage: bench_state_tree [--quick] [--json] [N]
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "protocol/state_tree.h"
#include "sequencer/state_tree.h"

static uint64_t rng_state = 0x7472656562656e63ull;
static uint64_t next_rand(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static void rand_bytes(uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)next_rand();
}

static void check(kiln_status st, const char *what, const char *err) {
    if (st != KILN_OK) {
        fprintf(stderr, "bench_state_tree: %s: %s: %s\n", what, kiln_status_str(st), err);
        exit(1);
    }
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static const char *const cols[] = {"op", "count", "seconds", "ops/s", "us/op"};

static void row(const bench_opts *o, const char *op, size_t n, double s) {
    char c[32], sec[32], rate[32], us[32];
    snprintf(c, sizeof c, "%zu", n);
    snprintf(sec, sizeof sec, "%.3f", s);
    snprintf(rate, sizeof rate, "%.0f", n / s);
    snprintf(us, sizeof us, "%.1f", s * 1e6 / n);
    const char *cells[] = {op, c, sec, rate, us};
    bench_row(o, "state_tree", 5, cols, cells);
}

int main(int argc, char **argv) {
    bench_opts o = bench_parse(argc, argv);
    size_t n = o.quick ? 2000 : 20000;
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-') n = (size_t)strtoull(argv[i], NULL, 10);
    char dir[] = "/tmp/kiln-bench-tree-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char err[256] = {0};
    kiln_state_tree *t = NULL;
    check(kiln_state_tree_open(dir, &t, err, sizeof err), "open", err);
    uint8_t(*keys)[32] = malloc(n * 32);
    uint8_t *proof = malloc(KILN_TREE_PROOF_MAX), value[32];
    size_t len;
    if (!keys || !proof) return 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t addr[20], slot[32];
        rand_bytes(addr, 20);
        rand_bytes(slot, 32);
        kiln_state_key(addr, slot, keys[i]);
    }
    bench_header(&o, "state_tree", 5, cols);

    double commit_s = 0;
    size_t commits = 0;
    double t0 = bench_now();
    for (size_t i = 0; i < n; i++) {
        rand_bytes(value, 32);
        value[0] |= 1;
        check(
            kiln_state_tree_step_proof(t, keys[i], value, proof, KILN_TREE_PROOF_MAX, &len, err, sizeof err),
            "insert", err);
        if (i % 1000 == 999 || i + 1 == n) {
            double c0 = bench_now();
            check(kiln_state_tree_commit(t, err, sizeof err), "commit", err);
            commit_s += bench_now() - c0;
            commits++;
        }
    }
    double ins_s = bench_now() - t0 - commit_s;
    row(&o, "insert (proof + check + apply)", n, ins_s);
    row(&o, "commit (a batch of 1000 inserts)", commits, commit_s);

    t0 = bench_now();
    commit_s = 0;
    commits = 0;
    for (size_t i = 0; i < n; i++) {
        rand_bytes(value, 32);
        check(kiln_state_tree_step_proof(t, keys[next_rand() % n], value, proof, KILN_TREE_PROOF_MAX, &len,
                                         err, sizeof err),
              "update", err);
        if (i % 1000 == 999 || i + 1 == n) {
            double c0 = bench_now();
            check(kiln_state_tree_commit(t, err, sizeof err), "commit", err);
            commit_s += bench_now() - c0;
            commits++;
        }
    }
    row(&o, "update (proof + check + apply)", n, bench_now() - t0 - commit_s);
    row(&o, "commit (a batch of 1000 updates)", commits, commit_s);

    t0 = bench_now();
    for (size_t i = 0; i < n; i++) {
        int exists;
        uint64_t idx;
        check(kiln_state_tree_get(t, keys[next_rand() % n], value, &exists, &idx, err, sizeof err), "get",
              err);
    }
    row(&o, "get", n, bench_now() - t0);

    t0 = bench_now();
    for (size_t i = 0; i < n; i++)
        check(kiln_state_tree_prove_read(t, keys[next_rand() % n], value, proof, KILN_TREE_PROOF_MAX, &len,
                                         err, sizeof err),
              "prove_read", err);
    row(&o, "prove_read (present, checked)", n, bench_now() - t0);

    /* The guest's step alone, on the host CPU: an insert proof and an update proof, replayed. */
    kiln_tree_commitment c;
    kiln_state_tree_commitment(t, &c);
    uint8_t k[32], addr[20] = {1}, slot[32] = {2}, zero[32] = {0};
    kiln_state_key(addr, slot, k);
    rand_bytes(value, 32);
    value[0] |= 1;
    check(kiln_state_tree_step_proof(t, k, value, proof, KILN_TREE_PROOF_MAX, &len, err, sizeof err),
          "insert", err);
    size_t reps = n / 4 + 1;
    t0 = bench_now();
    for (size_t i = 0; i < reps; i++) {
        kiln_tree_commitment cc = c;
        uint64_t idx;
        int ins;
        check(kiln_tree_step(&cc, k, zero, value, proof, len, &idx, &ins, err, sizeof err), "step", err);
    }
    row(&o, "kiln_tree_step insert (host CPU)", reps, bench_now() - t0);
    kiln_state_tree_commitment(t, &c);
    check(kiln_state_tree_prove_read(t, k, value, proof, KILN_TREE_PROOF_MAX, &len, err, sizeof err), "read",
          err);
    t0 = bench_now();
    for (size_t i = 0; i < reps; i++) {
        kiln_tree_commitment cc = c;
        uint64_t idx;
        int ins;
        check(kiln_tree_step(&cc, k, value, zero, proof, len, &idx, &ins, err, sizeof err), "step", err);
    }
    row(&o, "kiln_tree_step update (host CPU)", reps, bench_now() - t0);
    kiln_state_tree_rollback(t);

    if (!o.json) printf("leaves: %llu\n", (unsigned long long)c.next_free);
    kiln_state_tree_close(t);
    free(keys);
    free(proof);
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
