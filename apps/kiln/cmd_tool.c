/* `kiln tool`: the kernels from the command line, for people debugging (hashes, Merkle roots, NTTs).
 * Exit codes: 0 success, 1 bad input data on stdin or a kernel failure, 2 usage errors (unknown option,
 * wrong argument count, malformed argument). Every error is one line on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "commands.h"
#include "keccak/keccak.h"
#include "merkle/merkle.h"
#include "poseidon2/poseidon2.h"
#include "tool_parse.h"

#define EXIT_DATA 1
#define EXIT_USAGE 2

/* Input caps: a debugging tool, not a bulk path. */
#define TOOL_MAX_NTT_LOG 24     /* 2^24 input values */
#define TOOL_MAX_LDE_LOG 26     /* 2^26 output values */
#define TOOL_MAX_MERKLE_VALUES ((size_t)1 << 24)
#define TOOL_MAX_WIDTH 65536

static const char *const usage_text =
    "usage: kiln tool SUBCOMMAND [ARGS]\n"
    "\n"
    "Values are Goldilocks elements (p = 2^64 - 2^32 + 1), decimal or 0x hex, below p; output values are\n"
    "printed as 0x and 16 hex digits. Input on stdin is one row a line, values separated by whitespace;\n"
    "blank lines are skipped; a line may hold at most 65536 bytes.\n"
    "\n"
    "subcommands:\n"
    "  keccak256 HEX|-\n"
    "      Keccak-256 (Ethereum's) of the bytes HEX (0x prefix optional, even digit count), or of stdin's\n"
    "      raw bytes with '-'. Prints 0x and 64 hex digits.\n"
    "  poseidon2-permute V0 ... V11\n"
    "      The Poseidon2 permutation of 12 values; prints the 12 results on one line.\n"
    "  poseidon2-hash [--mode leaf|var] V...\n"
    "      var (default): the injective variable-length hash (input, 1, zero padding; 0 or more values).\n"
    "      leaf: Boojum's leaf hash of a fixed-width row (1 or more values). Prints the 4 digest values.\n"
    "  merkle-root --width W [--hasher poseidon2|keccak] [--cap K] [--backend cpu|cuda|auto]\n"
    "      Rows of W values on stdin (a power-of-two number of rows) -> the Merkle root (K = 0, default) or\n"
    "      the 2^K cap digests, one per line. A poseidon2 digest prints as 4 values, a keccak digest as 0x and\n"
    "      64 hex digits. Default hasher poseidon2, backend cpu.\n"
    "  ntt [--inverse] [--coset] [--blowup B] [--backend cpu|cuda|auto]\n"
    "      n values on stdin, one a line, n a power of two (at most 2^24 in, 2^26 out). H = <w>, the n-th\n"
    "      roots of unity, w = 0x185629dcda58878c^(2^32/n); with --coset the coset 7*H (7 generates the\n"
    "      field's multiplicative group).\n"
    "      forward (default): coefficients a_j -> evaluations y_i = sum_j a_j x_i^j, x_i = w^i (or 7*w^i).\n"
    "      --inverse: evaluations over H (or 7*H) in natural order -> coefficients.\n"
    "      --blowup B (2, 4, 8 or 16): the input is n evaluations over H in natural order; the output is the\n"
    "      low-degree extension: the n*B evaluations of the same polynomial (degree < n) over the coset\n"
    "      7*H', H' = <w'> the (n*B)-th roots of unity, line i the value at 7*w'^i. --coset is\n"
    "      implied; --inverse cannot be combined with it.\n"
    "\n"
    "exit status: 0 success, 1 bad input on stdin or a kernel failure, 2 usage error.\n";

static int usage_error(const char *sub, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kiln tool%s%s: ", sub ? " " : "", sub ? sub : "");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see kiln tool --help)\n");
    va_end(ap);
    return EXIT_USAGE;
}

static int data_error(const char *sub, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kiln tool %s: ", sub);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return EXIT_DATA;
}

/* Flushes stdout and reports a write failure (a closed pipe, a full disk). */
static int finish_output(const char *sub) {
    if (fflush(stdout) != 0 || ferror(stdout)) return data_error(sub, "cannot write output");
    return 0;
}

static int help(void) {
    fputs(usage_text, stdout);
    return 0;
}

static int is_help(const char *a) { return !strcmp(a, "-h") || !strcmp(a, "--help"); }

/* Option parsing: "--name value" or "--name=value". Returns 1 and sets *val when argv[*i] is that option. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val, int *missing) {
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n)) return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != 0) return 0;
    if (*i + 1 >= argc) {
        *missing = 1;
        return 1;
    }
    *val = argv[++*i];
    return 1;
}

/* A small unsigned decimal option value in [lo, hi]. */
static int parse_small(const char *s, unsigned long lo, unsigned long hi, unsigned long *out) {
    if (!s || !*s || strlen(s) > 9) return 0;
    unsigned long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return 0;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

static void print_values(const uint64_t *v, size_t n) {
    for (size_t i = 0; i < n; i++) printf("%s0x%016llx", i ? " " : "", (unsigned long long)v[i]);
    printf("\n");
}

/* Field values from argv[first .. argc); usage error on a malformed one. */
static int parse_args_values(const char *sub, int argc, char **argv, int first, uint64_t *out) {
    char msg[200];
    for (int i = first; i < argc; i++)
        if (kiln_tool_parse_field(argv[i], strlen(argv[i]), &out[i - first], msg, sizeof msg) != KILN_OK)
            return usage_error(sub, "argument %d: %s", i - first + 1, msg);
    return 0;
}

/* ---- keccak256 ---- */

static int tool_keccak(int argc, char **argv) {
    const char *sub = "keccak256";
    if (argc == 2 && is_help(argv[1])) return help();
    if (argc != 2) return usage_error(sub, "expected one argument (HEX or -), got %d", argc - 1);
    uint8_t digest[32];
    if (!strcmp(argv[1], "-")) {
        kiln_keccak256_ctx ctx;
        kiln_keccak256_init(&ctx);
        uint8_t buf[65536];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, stdin)) > 0) kiln_keccak256_update(&ctx, buf, got);
        if (ferror(stdin)) return data_error(sub, "read error on stdin");
        kiln_keccak256_final(&ctx, digest);
    } else {
        uint8_t *bytes;
        size_t len;
        char msg[200];
        if (kiln_tool_parse_hex(argv[1], &bytes, &len, msg, sizeof msg) != KILN_OK) return usage_error(sub, "%s", msg);
        kiln_keccak256(bytes, len, digest);
        free(bytes);
    }
    printf("0x");
    for (int i = 0; i < 32; i++) printf("%02x", digest[i]);
    printf("\n");
    return finish_output(sub);
}

/* ---- poseidon2 ---- */

static int tool_p2_permute(int argc, char **argv) {
    const char *sub = "poseidon2-permute";
    if (argc == 2 && is_help(argv[1])) return help();
    if (argc - 1 != KILN_P2_WIDTH) return usage_error(sub, "expected 12 values, got %d", argc - 1);
    uint64_t st[KILN_P2_WIDTH];
    int rc = parse_args_values(sub, argc, argv, 1, st);
    if (rc) return rc;
    kiln_poseidon2_permute(st);
    print_values(st, KILN_P2_WIDTH);
    return finish_output(sub);
}

static int tool_p2_hash(int argc, char **argv) {
    const char *sub = "poseidon2-hash";
    int leaf = 0, first = 1;
    while (first < argc && argv[first][0] == '-') {
        const char *v = NULL;
        int missing = 0;
        if (is_help(argv[first])) return help();
        if (opt_value(argc, argv, &first, "--mode", &v, &missing)) {
            if (missing) return usage_error(sub, "--mode needs a value (leaf or var)");
            if (!strcmp(v, "leaf")) leaf = 1;
            else if (!strcmp(v, "var")) leaf = 0;
            else return usage_error(sub, "unknown mode '%s' (leaf or var)", v);
            first++;
        } else if (!strcmp(argv[first], "--")) {
            first++;
            break;
        } else {
            return usage_error(sub, "unknown option '%s'", argv[first]);
        }
    }
    size_t n = (size_t)(argc - first);
    if (leaf && n == 0) return usage_error(sub, "leaf mode needs at least one value");
    uint64_t *v = (uint64_t *)malloc((n ? n : 1) * sizeof(uint64_t));
    if (!v) return data_error(sub, "out of memory");
    int rc = parse_args_values(sub, argc, argv, first, v);
    if (!rc) {
        uint64_t d[KILN_P2_DIGEST];
        if (leaf) kiln_poseidon2_hash_leaf(v, n, d);
        else kiln_poseidon2_hash_var(v, n, d);
        print_values(d, KILN_P2_DIGEST);
        rc = finish_output(sub);
    }
    free(v);
    return rc;
}

/* ---- shared: backend option ---- */

static int make_backend(const char *sub, const char *name, kiln_backend **be) {
    kiln_backend_kind kind;
    if (kiln_backend_kind_parse(name, &kind) != KILN_OK)
        return usage_error(sub, "unknown backend '%s' (cpu, cuda or auto)", name);
    kiln_status st = kiln_backend_create(kind, be);
    if (st != KILN_OK)
        return data_error(sub, "cannot create the %s backend: %s", name,
                          st == KILN_ERR_NO_DEVICE ? "no CUDA device" : kiln_status_str(st));
    return 0;
}

static int kernel_error(const char *sub, kiln_backend *be, const char *what, kiln_status st) {
    const char *msg = kiln_backend_error(be);
    return data_error(sub, "%s failed: %s%s%s", what, kiln_status_str(st), *msg ? ": " : "", msg);
}

static int read_stdin_rows(const char *sub, size_t width, size_t max_values, uint64_t **vals, size_t *nrows) {
    kiln_tool_input in;
    if (kiln_tool_input_file(&in, stdin) != KILN_OK) return data_error(sub, "out of memory");
    char msg[256];
    kiln_status st = kiln_tool_read_rows(&in, width, max_values, vals, nrows, msg, sizeof msg);
    kiln_tool_input_close(&in);
    return st == KILN_OK ? 0 : data_error(sub, "%s", msg);
}

static unsigned log2_exact(size_t n) {
    unsigned l = 0;
    while (((size_t)1 << l) < n) l++;
    return l;
}

/* ---- merkle-root ---- */

static int tool_merkle(int argc, char **argv) {
    const char *sub = "merkle-root";
    const char *hasher_s = "poseidon2", *backend_s = "cpu";
    unsigned long width = 0, cap_log = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int missing = 0;
        if (is_help(argv[i])) return help();
        if (opt_value(argc, argv, &i, "--hasher", &v, &missing)) {
            if (missing) return usage_error(sub, "--hasher needs a value");
            hasher_s = v;
        } else if (opt_value(argc, argv, &i, "--width", &v, &missing)) {
            if (missing || !parse_small(v, 1, TOOL_MAX_WIDTH, &width))
                return usage_error(sub, "--width needs a number from 1 to %d", TOOL_MAX_WIDTH);
        } else if (opt_value(argc, argv, &i, "--cap", &v, &missing)) {
            if (missing || !parse_small(v, 0, 30, &cap_log)) return usage_error(sub, "--cap needs a number from 0 to 30");
        } else if (opt_value(argc, argv, &i, "--backend", &v, &missing)) {
            if (missing) return usage_error(sub, "--backend needs a value");
            backend_s = v;
        } else {
            return usage_error(sub, "unexpected argument '%s'", argv[i]);
        }
    }
    kiln_hasher h;
    if (!strcmp(hasher_s, "poseidon2")) h = KILN_HASHER_POSEIDON2;
    else if (!strcmp(hasher_s, "keccak")) h = KILN_HASHER_KECCAK;
    else return usage_error(sub, "unknown hasher '%s' (poseidon2 or keccak)", hasher_s);
    if (!width) return usage_error(sub, "--width W is required");
    kiln_backend_kind kind;
    if (kiln_backend_kind_parse(backend_s, &kind) != KILN_OK)
        return usage_error(sub, "unknown backend '%s' (cpu, cuda or auto)", backend_s);

    uint64_t *vals;
    size_t nrows;
    int rc = read_stdin_rows(sub, width, TOOL_MAX_MERKLE_VALUES, &vals, &nrows);
    if (rc) return rc;
    if (nrows & (nrows - 1)) {
        free(vals);
        return data_error(sub, "%zu rows: the number of rows must be a power of two", nrows);
    }
    if (((size_t)1 << cap_log) > nrows) {
        free(vals);
        return data_error(sub, "cap 2^%lu is larger than the %zu rows", cap_log, nrows);
    }
    kiln_backend *be = NULL;
    rc = make_backend(sub, backend_s, &be);
    if (rc) {
        free(vals);
        return rc;
    }
    size_t ncap = (size_t)1 << cap_log;
    size_t tree_words = KILN_DIGEST_WORDS * kiln_merkle_tree_digests(nrows, (unsigned)cap_log);
    uint64_t *cap = (uint64_t *)malloc(ncap * KILN_DIGEST_WORDS * sizeof(uint64_t));
    kiln_buf *mbuf = NULL, *tree = NULL;
    kiln_status st = cap ? KILN_OK : KILN_ERR_OUT_OF_MEMORY;
    if (st == KILN_OK) st = kiln_buf_alloc(be, nrows * width * sizeof(uint64_t), &mbuf);
    if (st == KILN_OK) st = kiln_buf_alloc(be, tree_words * sizeof(uint64_t), &tree);
    if (st == KILN_OK) st = kiln_buf_write(mbuf, 0, vals, nrows * width * sizeof(uint64_t));
    if (st == KILN_OK) {
        /* Rows as read: a row-major view. */
        kiln_matrix m;
        m.buf = mbuf;
        m.off = 0;
        m.nrows = nrows;
        m.ncols = width;
        m.row_stride = width;
        m.col_stride = 1;
        st = kiln_merkle_commit(be, h, &m, (unsigned)cap_log, tree, cap);
    }
    if (st != KILN_OK) {
        rc = kernel_error(sub, be, "merkle commit", st);
    } else {
        for (size_t d = 0; d < ncap; d++) {
            const uint64_t *dg = cap + d * KILN_DIGEST_WORDS;
            if (h == KILN_HASHER_POSEIDON2) {
                print_values(dg, KILN_DIGEST_WORDS);
            } else {
                /* The 32 digest bytes, stored as 4 little-endian words. */
                printf("0x");
                for (int b = 0; b < 32; b++) printf("%02x", (unsigned)((dg[b / 8] >> (8 * (b % 8))) & 0xff));
                printf("\n");
            }
        }
        rc = finish_output(sub);
    }
    kiln_buf_free(tree);
    kiln_buf_free(mbuf);
    kiln_backend_destroy(be);
    free(cap);
    free(vals);
    return rc;
}

/* ---- ntt ---- */

static int tool_ntt(int argc, char **argv) {
    const char *sub = "ntt";
    const char *backend_s = "cpu";
    int inverse = 0, coset = 0;
    unsigned long blowup = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int missing = 0;
        if (is_help(argv[i])) return help();
        if (!strcmp(argv[i], "--inverse")) inverse = 1;
        else if (!strcmp(argv[i], "--coset")) coset = 1;
        else if (opt_value(argc, argv, &i, "--blowup", &v, &missing)) {
            if (missing || !parse_small(v, 2, 16, &blowup) || (blowup & (blowup - 1)))
                return usage_error(sub, "--blowup needs 2, 4, 8 or 16");
        } else if (opt_value(argc, argv, &i, "--backend", &v, &missing)) {
            if (missing) return usage_error(sub, "--backend needs a value");
            backend_s = v;
        } else {
            return usage_error(sub, "unexpected argument '%s'", argv[i]);
        }
    }
    if (blowup && inverse) return usage_error(sub, "--inverse cannot be combined with --blowup");
    kiln_backend_kind kind;
    if (kiln_backend_kind_parse(backend_s, &kind) != KILN_OK)
        return usage_error(sub, "unknown backend '%s' (cpu, cuda or auto)", backend_s);

    uint64_t *vals;
    size_t n;
    int rc = read_stdin_rows(sub, 1, (size_t)1 << TOOL_MAX_NTT_LOG, &vals, &n);
    if (rc) return rc;
    if (n & (n - 1)) {
        free(vals);
        return data_error(sub, "%zu values: the count must be a power of two", n);
    }
    unsigned log_n = log2_exact(n), log_b = blowup ? log2_exact(blowup) : 0;
    if (log_n + log_b > TOOL_MAX_LDE_LOG) {
        free(vals);
        return data_error(sub, "%zu values with blowup %lu: more than 2^%d outputs", n, blowup, TOOL_MAX_LDE_LOG);
    }
    kiln_backend *be = NULL;
    rc = make_backend(sub, backend_s, &be);
    if (rc) {
        free(vals);
        return rc;
    }
    size_t nout = n << log_b;
    uint64_t *res = (uint64_t *)malloc(nout * sizeof(uint64_t));
    kiln_buf *src = NULL, *dst = NULL;
    kiln_status st = res ? KILN_OK : KILN_ERR_OUT_OF_MEMORY;
    if (st == KILN_OK) st = kiln_buf_alloc(be, n * sizeof(uint64_t), &src);
    if (st == KILN_OK) st = kiln_buf_write(src, 0, vals, n * sizeof(uint64_t));
    const char *what = "ntt";
    if (st == KILN_OK && blowup) {
        what = "lde";
        st = kiln_buf_alloc(be, nout * sizeof(uint64_t), &dst);
        if (st == KILN_OK)
            st = kiln_lde(be, src, 0, dst, 0, 1, log_n, log_b, KILN_GL_GENERATOR, KILN_ORDER_NATURAL);
        if (st == KILN_OK) st = kiln_buf_read(dst, 0, res, nout * sizeof(uint64_t));
    } else if (st == KILN_OK) {
        st = kiln_ntt(be, src, 0, 1, log_n, inverse, coset ? KILN_GL_GENERATOR : 1, KILN_ORDER_NATURAL,
                      KILN_ORDER_NATURAL);
        if (st == KILN_OK) st = kiln_buf_read(src, 0, res, nout * sizeof(uint64_t));
    }
    if (st != KILN_OK) {
        rc = kernel_error(sub, be, what, st);
    } else {
        for (size_t i = 0; i < nout; i++) printf("0x%016llx\n", (unsigned long long)res[i]);
        rc = finish_output(sub);
    }
    kiln_buf_free(dst);
    kiln_buf_free(src);
    kiln_backend_destroy(be);
    free(res);
    free(vals);
    return rc;
}

/* ---- dispatch ---- */

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
} tool_sub;

static const tool_sub subs[] = {
    {"keccak256", tool_keccak},       {"poseidon2-permute", tool_p2_permute}, {"poseidon2-hash", tool_p2_hash},
    {"merkle-root", tool_merkle},     {"ntt", tool_ntt},
};

int kiln_cmd_tool(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (is_help(argv[1]) || !strcmp(argv[1], "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(argv[1], subs[i].name)) return subs[i].run(argc - 1, argv + 1);
    return usage_error(NULL, "unknown subcommand '%s'", argv[1]);
}
