/* Kiln's kernel API (D2): one C interface, a CPU and a CUDA backend chosen at run time.
 *
 * Data lives in buffers owned by a backend: host memory for the CPU backend, device memory for CUDA. Kernels
 * take buffers plus element offsets (in uint64_t units), so the prover never touches CUDA directly. All values
 * are canonical Goldilocks elements at this boundary. Extension-field vectors are interleaved (c0, c1).
 * Matrices are column-major unless a kiln_matrix view says otherwise.
 *
 * Every function returns a kiln_status; on failure kiln_backend_error() holds a one-line message. */
#ifndef KILN_BACKEND_H
#define KILN_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "../common/status.h"
#include "../field/goldilocks_ext2.h"
#include "../merkle/merkle.h"
#include "../air/air_kernels.h"
#include "../logup/logup.h"
#include "../pow/pow.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kiln_backend_kind {
    KILN_BACKEND_AUTO = 0, /* CUDA when a GPU is present, else CPU */
    KILN_BACKEND_CPU = 1,
    KILN_BACKEND_CUDA = 2
} kiln_backend_kind;

typedef enum kiln_order {
    KILN_ORDER_NATURAL = 0, /* index i holds the value at w^i (or coefficient i) */
    KILN_ORDER_BITREV = 1   /* index i holds the value at w^bitrev(i) (or coefficient bitrev(i)) */
} kiln_order;

typedef struct kiln_backend kiln_backend;
typedef struct kiln_buf kiln_buf;

/* A strided view of a matrix in a buffer: element (r, c) is at off + r*row_stride + c*col_stride (in
 * uint64_t units). Column-major: row_stride = 1, col_stride = nrows. Row-major: row_stride = ncols,
 * col_stride = 1. */
typedef struct kiln_matrix {
    kiln_buf *buf;
    size_t off, nrows, ncols, row_stride, col_stride;
} kiln_matrix;

/* A column-major view of ncols columns of nrows elements starting at off. */
static inline kiln_matrix kiln_matrix_cols(kiln_buf *buf, size_t off, size_t nrows, size_t ncols) {
    kiln_matrix m;
    m.buf = buf;
    m.off = off;
    m.nrows = nrows;
    m.ncols = ncols;
    m.row_stride = 1;
    m.col_stride = nrows;
    return m;
}

typedef struct kiln_mem_stats {
    size_t device_in_use, device_peak, device_total; /* zero on the CPU backend */
    size_t host_in_use, host_peak;                   /* bytes in backend buffers and host allocations */
} kiln_mem_stats;

/* ---- backend lifecycle ---- */

/* 1 when this build has the CUDA backend and a usable GPU is present. */
int kiln_cuda_available(void);
/* Parses "auto", "cpu" or "cuda". */
kiln_status kiln_backend_kind_parse(const char *name, kiln_backend_kind *out);
/* Creates a backend. KILN_BACKEND_CUDA without a GPU fails with KILN_ERR_NO_DEVICE; AUTO falls back to CPU. */
kiln_status kiln_backend_create(kiln_backend_kind kind, kiln_backend **out);
void kiln_backend_destroy(kiln_backend *be);
kiln_backend_kind kiln_backend_kind_of(const kiln_backend *be);
/* "cpu" or "cuda". */
const char *kiln_backend_name(const kiln_backend *be);
/* One line for people: "cpu: 2 threads" or "cuda: NVIDIA H100 80GB HBM3, 79.1 GiB, sm_90". */
const char *kiln_backend_describe(const kiln_backend *be);
/* Message for the last failure on this backend ("" when none). */
const char *kiln_backend_error(const kiln_backend *be);
/* Waits for all queued work (no-op on the CPU). */
kiln_status kiln_backend_sync(kiln_backend *be);
void kiln_backend_mem_stats(const kiln_backend *be, kiln_mem_stats *out);
void kiln_backend_reset_peak(kiln_backend *be);
/* Caps device memory (0 = no cap beyond the device's); allocations past the cap fail with OUT_OF_MEMORY. */
void kiln_backend_set_mem_limit(kiln_backend *be, size_t bytes);

/* ---- buffers ---- */

kiln_status kiln_buf_alloc(kiln_backend *be, size_t bytes, kiln_buf **out);
void kiln_buf_free(kiln_buf *buf);
size_t kiln_buf_bytes(const kiln_buf *buf);
/* The buffer's host memory on the CPU backend; NULL for device buffers. */
void *kiln_buf_host_ptr(kiln_buf *buf);
kiln_status kiln_buf_write(kiln_buf *dst, size_t dst_off_bytes, const void *src, size_t bytes);
kiln_status kiln_buf_read(const kiln_buf *src, size_t src_off_bytes, void *dst, size_t bytes);
kiln_status kiln_buf_copy(kiln_buf *dst, size_t dst_off_bytes, const kiln_buf *src, size_t src_off_bytes,
                          size_t bytes);
kiln_status kiln_buf_zero(kiln_buf *buf, size_t off_bytes, size_t bytes);

/* Host memory for staging transfers: page-locked on CUDA, plain on the CPU. */
kiln_status kiln_host_alloc(kiln_backend *be, size_t bytes, void **out);
void kiln_host_free(kiln_backend *be, void *ptr);

/* ---- kernels ---- */

/* In-place NTT of ncols columns of n = 2^log_n elements, packed one after another from element off.
 * Forward: coefficients a (in in_order) -> evaluations y_i = sum_j a_j (shift*w^i)^j (in out_order), w a
 * primitive n-th root of unity. Inverse: evaluations over shift*<w> -> coefficients, with the 1/n scaling
 * and the coset factors fused. shift = 1 is the plain NTT. */
kiln_status kiln_ntt(kiln_backend *be, kiln_buf *data, size_t off, size_t ncols, unsigned log_n, int inverse,
                     uint64_t shift, kiln_order in_order, kiln_order out_order);

/* Low-degree extension of ncols packed columns of n = 2^log_n evaluations over <w_n> in natural order into
 * ncols packed columns of n << log_blowup evaluations over shift*<w_(n*2^log_blowup)> in out_order
 * (log_blowup 1..4). src is left holding the columns' coefficients in natural order. */
kiln_status kiln_lde(kiln_backend *be, kiln_buf *src, size_t src_off, kiln_buf *dst, size_t dst_off,
                     size_t ncols, unsigned log_n, unsigned log_blowup, uint64_t shift, kiln_order out_order);

/* As kiln_lde, from coefficients (natural order); src is not modified. */
kiln_status kiln_lde_from_coeffs(kiln_backend *be, const kiln_buf *src, size_t src_off, kiln_buf *dst,
                                 size_t dst_off, size_t ncols, unsigned log_n, unsigned log_blowup,
                                 uint64_t shift, kiln_order out_order);

/* Leaf digests of the rows of m: digest of row r = kiln_merkle_hash_leaf(h, row r) at out[out_off + 4r]. */
kiln_status kiln_hash_rows(kiln_backend *be, kiln_hasher h, const kiln_matrix *m, kiln_buf *out,
                           size_t out_off);

/* Builds a Merkle tree in place. tree holds 2*nleaves - 2^cap_log digests (4 elements each); layer 0 (the
 * leaves, nleaves digests) must be filled. Layer k starts at digest 2*nleaves - (nleaves >> (k-1)) and
 * holds nleaves >> k digests; the last layer (k = log2(nleaves) - cap_log) is the cap. nleaves is a power
 * of two, cap_log <= log2(nleaves). */
kiln_status kiln_merkle_build(kiln_backend *be, kiln_hasher h, kiln_buf *tree, size_t nleaves,
                              unsigned cap_log);

/* Convenience: hash the rows of m into a tree buffer, build it and copy the cap (2^cap_log digests) to
 * cap_out. tree must hold kiln_merkle_tree_digests(m->nrows, cap_log) digests. */
kiln_status kiln_merkle_commit(kiln_backend *be, kiln_hasher h, const kiln_matrix *m, unsigned cap_log,
                               kiln_buf *tree, uint64_t *cap_out);

/* Copies the cap of a built tree to cap_out (2^cap_log digests). */
kiln_status kiln_merkle_read_cap(kiln_backend *be, const kiln_buf *tree, size_t nleaves, unsigned cap_log,
                                 uint64_t *cap_out);

/* Authentication paths of count leaves: out holds count * depth digests, depth = log2(nleaves) - cap_log,
 * the sibling at layer 0 first. */
kiln_status kiln_merkle_paths(kiln_backend *be, const kiln_buf *tree, size_t nleaves, unsigned cap_log,
                              const size_t *indices, size_t count, uint64_t *out);

/* Copies rows of m to host memory: out[i * ncols + c] = m(rows[i], c). */
kiln_status kiln_gather_rows(kiln_backend *be, const kiln_matrix *m, const size_t *rows, size_t count,
                             uint64_t *out);

/* FRI folding by 2^log_arity (1..3). in: 2^log_n extension elements (interleaved) = evaluations of f over
 * the coset shift*<w_n> in bit-reversed order, so the 2^log_arity points sharing x^(2^log_arity) are adjacent.
 * Writing f(x) = sum_{j < arity} x^j f_j(x^arity), out (2^(log_n - log_arity) elements, bit-reversed over
 * shift^arity * <w_(n/arity)>) holds sum_j beta^j f_j. */
kiln_status kiln_fri_fold(kiln_backend *be, const kiln_buf *in, size_t in_off, kiln_buf *out, size_t out_off,
                          unsigned log_n, unsigned log_arity, uint64_t shift, kiln_gl2 beta);

/* Evaluates ncols packed base-field polynomials of n coefficients (natural order) at an extension point:
 * out[c] = sum_i coeffs[off + c*n + i] * z^i. out is host memory. */
kiln_status kiln_poly_eval_ext(kiln_backend *be, const kiln_buf *coeffs, size_t off, size_t n, size_t ncols,
                               kiln_gl2 z, kiln_gl2 *out);

/* In-place inversion of n base elements (zeros stay zero), by Montgomery's trick. */
kiln_status kiln_batch_inverse(kiln_backend *be, kiln_buf *buf, size_t off, size_t n);
/* In-place inversion of n interleaved extension elements (zeros stay zero). */
kiln_status kiln_batch_inverse_ext(kiln_backend *be, kiln_buf *buf, size_t off, size_t n);

/* Quotient of an AIR table over its LDE (kernels/air/air_kernels.h): runs the bytecode program at every row
 * and writes the combined quotient values as two base columns (c0 then c1, 2*M elements) at out_off. */
kiln_status kiln_expr_quotient(kiln_backend *be, const kiln_expr_quotient_args *args, kiln_buf *out,
                               size_t out_off);

/* DEEP quotient accumulation over M = 2^log_m LDE rows (kernels/air/air_kernels.h); out holds M interleaved
 * extension elements at out_off. */
kiln_status kiln_deep_accumulate(kiln_backend *be, const kiln_deep_args *args, kiln_buf *out, size_t out_off);

/* Proof-of-work grinding (kernels/pow/pow.h): the smallest nonce below p whose value under seed has its low
 * `bits` bits zero (bits 0..48; 0 gives nonce 0). Every backend returns the same nonce. */
kiln_status kiln_pow_grind(kiln_backend *be, const kiln_pow_seed *seed, unsigned bits, uint64_t *nonce);

/* LogUp denominators (kernels/logup/logup.h): for the a->nterms terms and a->n rows, den (2 * nterms * n words
 * at den_off) gets d_j(r) and mult (nterms * n words at mult_off) m_j(r), term-major; *nzero (host) the number
 * of zero denominators. */
kiln_status kiln_logup_denominators(kiln_backend *be, const kiln_logup_den_args *a, kiln_buf *den, size_t den_off,
                                    kiln_buf *mult, size_t mult_off, size_t *nzero);

/* LogUp group sums and running sum (kernels/logup/logup.h): out holds 2 * ngroups + 2 base columns of n rows at
 * out_off (column-major): group g's sum h_g in columns 2g (c0) and 2g + 1 (c1), then the running sum of
 * sum_g h_g; *total (host) gets its last value. */
kiln_status kiln_logup_sum(kiln_backend *be, const kiln_logup_sum_args *a, kiln_buf *out, size_t out_off,
                           kiln_gl2 *total);

#ifdef __cplusplus
}
#endif
#endif
