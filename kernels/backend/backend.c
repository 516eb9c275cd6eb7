/* The kernel API's front: backend selection, buffers, argument checks, and dispatch to the CPU or CUDA
 * implementation. Every check on sizes and offsets lives here, once, for both backends. */
#include "backend.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/parallel.h"
#include "../keccak/keccak.h"
#include "../logup/logup_hd.h"
#include "kernels_cpu.h"
#ifdef KILN_HAVE_CUDA
#include "kernels_cuda.h"
#endif

struct kiln_backend {
    kiln_backend_kind kind;
    char describe[256];
    char err[512];
    size_t host_in_use, host_peak;
#ifdef KILN_HAVE_CUDA
    kiln_cuda_ctx *cuda;
#endif
};

struct kiln_buf {
    kiln_backend *be;
    void *ptr;
    size_t bytes;
};

static kiln_status fail(kiln_backend *be, kiln_status st, const char *fmt, ...) {
    if (be) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(be->err, sizeof be->err, fmt, ap);
        va_end(ap);
    }
    return st;
}

static int is_cuda(const kiln_backend *be) { return be->kind == KILN_BACKEND_CUDA; }

int kiln_cuda_available(void) {
#ifdef KILN_HAVE_CUDA
    return kiln_cuda_ctx_device_count() > 0;
#else
    return 0;
#endif
}

kiln_status kiln_backend_kind_parse(const char *name, kiln_backend_kind *out) {
    if (!name || !out) return KILN_ERR_INVALID_ARG;
    if (!strcmp(name, "auto")) *out = KILN_BACKEND_AUTO;
    else if (!strcmp(name, "cpu")) *out = KILN_BACKEND_CPU;
    else if (!strcmp(name, "cuda") || !strcmp(name, "gpu")) *out = KILN_BACKEND_CUDA;
    else return KILN_ERR_PARSE;
    return KILN_OK;
}

kiln_status kiln_backend_create(kiln_backend_kind kind, kiln_backend **out) {
    if (!out) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    kiln_backend *be = (kiln_backend *)calloc(1, sizeof *be);
    if (!be) return KILN_ERR_OUT_OF_MEMORY;
    if (kind == KILN_BACKEND_AUTO) kind = kiln_cuda_available() ? KILN_BACKEND_CUDA : KILN_BACKEND_CPU;
    be->kind = kind;
    if (kind == KILN_BACKEND_CUDA) {
#ifdef KILN_HAVE_CUDA
        kiln_status st = kiln_cuda_ctx_create(be->err, sizeof be->err, &be->cuda);
        if (st != KILN_OK) {
            free(be);
            return st;
        }
        snprintf(be->describe, sizeof be->describe, "cuda: %s", kiln_cuda_ctx_describe(be->cuda));
#else
        free(be);
        return KILN_ERR_NO_DEVICE;
#endif
    } else if (kind == KILN_BACKEND_CPU) {
        snprintf(be->describe, sizeof be->describe, "cpu: %u threads", kiln_parallel_threads());
    } else {
        free(be);
        return KILN_ERR_INVALID_ARG;
    }
    *out = be;
    return KILN_OK;
}

void kiln_backend_destroy(kiln_backend *be) {
    if (!be) return;
#ifdef KILN_HAVE_CUDA
    if (be->cuda) kiln_cuda_ctx_destroy(be->cuda);
#endif
    free(be);
}

kiln_backend_kind kiln_backend_kind_of(const kiln_backend *be) { return be->kind; }
const char *kiln_backend_name(const kiln_backend *be) { return is_cuda(be) ? "cuda" : "cpu"; }
const char *kiln_backend_describe(const kiln_backend *be) { return be->describe; }
const char *kiln_backend_error(const kiln_backend *be) { return be->err; }

kiln_status kiln_backend_sync(kiln_backend *be) {
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_sync(be->cuda);
#endif
    (void)be;
    return KILN_OK;
}

void kiln_backend_mem_stats(const kiln_backend *be, kiln_mem_stats *out) {
    memset(out, 0, sizeof *out);
    out->host_in_use = be->host_in_use;
    out->host_peak = be->host_peak;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) kiln_cuda_mem_stats(be->cuda, &out->device_in_use, &out->device_peak, &out->device_total);
#endif
}

void kiln_backend_reset_peak(kiln_backend *be) {
    be->host_peak = be->host_in_use;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) kiln_cuda_reset_peak(be->cuda);
#endif
}

void kiln_backend_set_mem_limit(kiln_backend *be, size_t bytes) {
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) kiln_cuda_set_limit(be->cuda, bytes);
#endif
    (void)be;
    (void)bytes;
}

/* ---- buffers ---- */

static void host_account(kiln_backend *be, size_t add, size_t sub) {
    be->host_in_use = be->host_in_use + add - sub;
    if (be->host_in_use > be->host_peak) be->host_peak = be->host_in_use;
}

kiln_status kiln_buf_alloc(kiln_backend *be, size_t bytes, kiln_buf **out) {
    if (!be || !out) return KILN_ERR_INVALID_ARG;
    *out = NULL;
    kiln_buf *b = (kiln_buf *)calloc(1, sizeof *b);
    if (!b) return fail(be, KILN_ERR_OUT_OF_MEMORY, "out of host memory");
    b->be = be;
    b->bytes = bytes;
    size_t alloc = bytes ? bytes : 8;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) {
        kiln_status st = kiln_cuda_alloc(be->cuda, alloc, &b->ptr);
        if (st != KILN_OK) {
            free(b);
            return st;
        }
        *out = b;
        return KILN_OK;
    }
#endif
    /* 64-byte alignment for vector loads. */
    alloc = (alloc + 63) & ~(size_t)63;
    b->ptr = aligned_alloc(64, alloc);
    if (!b->ptr) {
        free(b);
        return fail(be, KILN_ERR_OUT_OF_MEMORY, "cannot allocate %zu bytes of host memory", bytes);
    }
    host_account(be, bytes, 0);
    *out = b;
    return KILN_OK;
}

void kiln_buf_free(kiln_buf *b) {
    if (!b) return;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(b->be)) {
        kiln_cuda_free(b->be->cuda, b->ptr, b->bytes ? b->bytes : 8);
        free(b);
        return;
    }
#endif
    host_account(b->be, 0, b->bytes);
    free(b->ptr);
    free(b);
}

size_t kiln_buf_bytes(const kiln_buf *b) { return b->bytes; }
void *kiln_buf_host_ptr(kiln_buf *b) { return is_cuda(b->be) ? NULL : b->ptr; }

static int range_ok(const kiln_buf *b, size_t off, size_t bytes) {
    return off <= b->bytes && bytes <= b->bytes - off;
}

kiln_status kiln_buf_write(kiln_buf *dst, size_t off, const void *src, size_t bytes) {
    if (!dst || (!src && bytes)) return KILN_ERR_INVALID_ARG;
    if (!range_ok(dst, off, bytes))
        return fail(dst->be, KILN_ERR_INVALID_ARG, "buf_write: %zu bytes at %zu past a %zu-byte buffer", bytes,
                    off, dst->bytes);
    if (!bytes) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(dst->be))
        return kiln_cuda_memcpy(dst->be->cuda, (char *)dst->ptr + off, src, bytes, KILN_CUDA_H2D);
#endif
    memcpy((char *)dst->ptr + off, src, bytes);
    return KILN_OK;
}

kiln_status kiln_buf_read(const kiln_buf *src, size_t off, void *dst, size_t bytes) {
    if (!src || (!dst && bytes)) return KILN_ERR_INVALID_ARG;
    if (!range_ok(src, off, bytes))
        return fail(src->be, KILN_ERR_INVALID_ARG, "buf_read: %zu bytes at %zu past a %zu-byte buffer", bytes, off,
                    src->bytes);
    if (!bytes) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(src->be))
        return kiln_cuda_memcpy(src->be->cuda, dst, (const char *)src->ptr + off, bytes, KILN_CUDA_D2H);
#endif
    memcpy(dst, (const char *)src->ptr + off, bytes);
    return KILN_OK;
}

kiln_status kiln_buf_copy(kiln_buf *dst, size_t doff, const kiln_buf *src, size_t soff, size_t bytes) {
    if (!dst || !src || dst->be != src->be) return KILN_ERR_INVALID_ARG;
    if (!range_ok(dst, doff, bytes) || !range_ok(src, soff, bytes))
        return fail(dst->be, KILN_ERR_INVALID_ARG, "buf_copy: range past the end of a buffer");
    if (!bytes) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(dst->be))
        return kiln_cuda_memcpy(dst->be->cuda, (char *)dst->ptr + doff, (const char *)src->ptr + soff, bytes,
                                KILN_CUDA_D2D);
#endif
    memmove((char *)dst->ptr + doff, (const char *)src->ptr + soff, bytes);
    return KILN_OK;
}

kiln_status kiln_buf_zero(kiln_buf *b, size_t off, size_t bytes) {
    if (!b) return KILN_ERR_INVALID_ARG;
    if (!range_ok(b, off, bytes)) return fail(b->be, KILN_ERR_INVALID_ARG, "buf_zero: range past the end");
    if (!bytes) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(b->be)) return kiln_cuda_memset0(b->be->cuda, (char *)b->ptr + off, bytes);
#endif
    memset((char *)b->ptr + off, 0, bytes);
    return KILN_OK;
}

kiln_status kiln_host_alloc(kiln_backend *be, size_t bytes, void **out) {
    if (!be || !out) return KILN_ERR_INVALID_ARG;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_host_alloc(be->cuda, bytes, out);
#endif
    *out = malloc(bytes ? bytes : 1);
    return *out ? KILN_OK : fail(be, KILN_ERR_OUT_OF_MEMORY, "cannot allocate %zu bytes of host memory", bytes);
}

void kiln_host_free(kiln_backend *be, void *ptr) {
    if (!ptr) return;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) {
        kiln_cuda_host_free(be->cuda, ptr);
        return;
    }
#endif
    (void)be;
    free(ptr);
}

/* ---- argument checks ---- */

#define U64 sizeof(uint64_t)

/* Elements [off, off + count) of buf exist. */
static int elems_ok(const kiln_buf *b, size_t off, size_t count) {
    size_t cap = b->bytes / U64;
    return off <= cap && count <= cap - off;
}

static size_t mul_sat(size_t a, size_t b) { return (a && b > SIZE_MAX / a) ? SIZE_MAX : a * b; }

static kiln_status check_elems(kiln_backend *be, const char *op, const kiln_buf *b, size_t off, size_t count) {
    if (!b) return fail(be, KILN_ERR_INVALID_ARG, "%s: null buffer", op);
    if (b->be != be) return fail(be, KILN_ERR_INVALID_ARG, "%s: buffer belongs to another backend", op);
    if (count == SIZE_MAX || !elems_ok(b, off, count))
        return fail(be, KILN_ERR_INVALID_ARG, "%s: %zu elements at %zu do not fit a %zu-byte buffer", op, count, off,
                    b->bytes);
    return KILN_OK;
}

/* The last element of a strided matrix view lies inside its buffer. */
static kiln_status check_matrix(kiln_backend *be, const char *op, const kiln_matrix *m) {
    if (!m || !m->buf) return fail(be, KILN_ERR_INVALID_ARG, "%s: null matrix", op);
    if (m->nrows == 0 || m->ncols == 0) return fail(be, KILN_ERR_INVALID_ARG, "%s: empty matrix", op);
    size_t last_r = mul_sat(m->nrows - 1, m->row_stride), last_c = mul_sat(m->ncols - 1, m->col_stride);
    if (last_r == SIZE_MAX || last_c == SIZE_MAX || last_r > SIZE_MAX - last_c - 1)
        return fail(be, KILN_ERR_INVALID_ARG, "%s: matrix view overflows", op);
    return check_elems(be, op, m->buf, m->off, last_r + last_c + 1);
}

#define TRY(x)                                                                                                 \
    do {                                                                                                       \
        kiln_status st_ = (x);                                                                                 \
        if (st_ != KILN_OK) return st_;                                                                        \
    } while (0)

static uint64_t *eptr(const kiln_buf *b, size_t off) { return (uint64_t *)b->ptr + off; }

/* ---- kernels ---- */

/* A CPU kernel's status, with a message when the kernel gave none (its failures are allocation failures). */
static kiln_status cpu_done(kiln_backend *be, const char *op, kiln_status st) {
    if (st != KILN_OK) {
        be->err[0] = 0;
        fail(be, st, "%s: %s on the CPU backend", op, kiln_status_str(st));
    }
    return st;
}


kiln_status kiln_ntt(kiln_backend *be, kiln_buf *data, size_t off, size_t ncols, unsigned log_n, int inverse,
                     uint64_t shift, kiln_order in_order, kiln_order out_order) {
    if (!be) return KILN_ERR_INVALID_ARG;
    if (log_n > KILN_GL_TWO_ADICITY || log_n >= 8 * sizeof(size_t) - 4)
        return fail(be, KILN_ERR_INVALID_ARG, "ntt: log_n %u too large", log_n);
    if (shift == 0 || shift >= KILN_GL_P) return fail(be, KILN_ERR_INVALID_ARG, "ntt: coset shift must be in [1, p)");
    TRY(check_elems(be, "ntt", data, off, mul_sat(ncols, (size_t)1 << log_n)));
    if (ncols == 0) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_ntt(be->cuda, eptr(data, off), ncols, log_n, inverse, shift, in_order, out_order);
#endif
    return cpu_done(be, "ntt", kiln_cpu_ntt(eptr(data, off), ncols, log_n, inverse, shift, in_order, out_order));
}

kiln_status kiln_lde_from_coeffs(kiln_backend *be, const kiln_buf *src, size_t src_off, kiln_buf *dst,
                                 size_t dst_off, size_t ncols, unsigned log_n, unsigned log_blowup, uint64_t shift,
                                 kiln_order out_order) {
    if (!be) return KILN_ERR_INVALID_ARG;
    if (log_blowup < 1 || log_blowup > 4) return fail(be, KILN_ERR_INVALID_ARG, "lde: blowup must be 2..16");
    if (log_n + log_blowup > KILN_GL_TWO_ADICITY)
        return fail(be, KILN_ERR_INVALID_ARG, "lde: 2^%u rows with blowup 2^%u exceed the field's two-adicity", log_n,
                    log_blowup);
    if (shift == 0 || shift >= KILN_GL_P) return fail(be, KILN_ERR_INVALID_ARG, "lde: coset shift must be in [1, p)");
    size_t n = (size_t)1 << log_n;
    TRY(check_elems(be, "lde", src, src_off, mul_sat(ncols, n)));
    TRY(check_elems(be, "lde", dst, dst_off, mul_sat(ncols, n << log_blowup)));
    if (ncols == 0) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be))
        return kiln_cuda_lde_from_coeffs(be->cuda, eptr(src, src_off), eptr(dst, dst_off), ncols, log_n, log_blowup,
                                         shift, out_order);
#endif
    return cpu_done(be, "lde", kiln_cpu_lde_from_coeffs(eptr(src, src_off), eptr(dst, dst_off), ncols, log_n, log_blowup, shift,
                                    out_order));
}

kiln_status kiln_lde(kiln_backend *be, kiln_buf *src, size_t src_off, kiln_buf *dst, size_t dst_off, size_t ncols,
                     unsigned log_n, unsigned log_blowup, uint64_t shift, kiln_order out_order) {
    if (!be) return KILN_ERR_INVALID_ARG;
    if (log_blowup < 1 || log_blowup > 4) return fail(be, KILN_ERR_INVALID_ARG, "lde: blowup must be 2..16");
    TRY(kiln_ntt(be, src, src_off, ncols, log_n, 1, 1, KILN_ORDER_NATURAL, KILN_ORDER_NATURAL));
    return kiln_lde_from_coeffs(be, src, src_off, dst, dst_off, ncols, log_n, log_blowup, shift, out_order);
}

kiln_status kiln_hash_rows(kiln_backend *be, kiln_hasher h, const kiln_matrix *m, kiln_buf *out, size_t out_off) {
    if (!be) return KILN_ERR_INVALID_ARG;
    if (h != KILN_HASHER_POSEIDON2 && h != KILN_HASHER_KECCAK) return fail(be, KILN_ERR_INVALID_ARG, "unknown hasher");
    TRY(check_matrix(be, "hash_rows", m));
    TRY(check_elems(be, "hash_rows", out, out_off, mul_sat(m->nrows, 4)));
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be))
        return kiln_cuda_hash_rows(be->cuda, h, eptr(m->buf, m->off), m->nrows, m->ncols, m->row_stride,
                                   m->col_stride, eptr(out, out_off));
#endif
    kiln_cpu_hash_rows(h, eptr(m->buf, m->off), m->nrows, m->ncols, m->row_stride, m->col_stride, eptr(out, out_off));
    return KILN_OK;
}

static kiln_status check_tree(kiln_backend *be, const char *op, const kiln_buf *tree, size_t nleaves,
                              unsigned cap_log) {
    if (nleaves == 0 || (nleaves & (nleaves - 1)))
        return fail(be, KILN_ERR_INVALID_ARG, "%s: leaf count %zu is not a power of two", op, nleaves);
    if (nleaves > ((size_t)1 << 40)) return fail(be, KILN_ERR_INVALID_ARG, "%s: too many leaves", op);
    if (((size_t)1 << cap_log) > nleaves || cap_log > 40)
        return fail(be, KILN_ERR_INVALID_ARG, "%s: cap 2^%u larger than %zu leaves", op, cap_log, nleaves);
    return check_elems(be, op, tree, 0, 4 * kiln_merkle_tree_digests(nleaves, cap_log));
}

kiln_status kiln_merkle_build(kiln_backend *be, kiln_hasher h, kiln_buf *tree, size_t nleaves, unsigned cap_log) {
    if (!be) return KILN_ERR_INVALID_ARG;
    if (h != KILN_HASHER_POSEIDON2 && h != KILN_HASHER_KECCAK) return fail(be, KILN_ERR_INVALID_ARG, "unknown hasher");
    TRY(check_tree(be, "merkle_build", tree, nleaves, cap_log));
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_merkle_build(be->cuda, h, eptr(tree, 0), nleaves, cap_log);
#endif
    kiln_cpu_merkle_build(h, eptr(tree, 0), nleaves, cap_log);
    return KILN_OK;
}

kiln_status kiln_merkle_read_cap(kiln_backend *be, const kiln_buf *tree, size_t nleaves, unsigned cap_log,
                                 uint64_t *cap_out) {
    if (!be || !cap_out) return KILN_ERR_INVALID_ARG;
    TRY(check_tree(be, "merkle_read_cap", tree, nleaves, cap_log));
    size_t cap = (size_t)1 << cap_log;
    size_t first = kiln_merkle_tree_digests(nleaves, cap_log) - cap;
    return kiln_buf_read(tree, first * 4 * U64, cap_out, cap * 4 * U64);
}

kiln_status kiln_merkle_commit(kiln_backend *be, kiln_hasher h, const kiln_matrix *m, unsigned cap_log,
                               kiln_buf *tree, uint64_t *cap_out) {
    if (!be || !m) return KILN_ERR_INVALID_ARG;
    TRY(check_tree(be, "merkle_commit", tree, m->nrows, cap_log));
    TRY(kiln_hash_rows(be, h, m, tree, 0));
    TRY(kiln_merkle_build(be, h, tree, m->nrows, cap_log));
    return cap_out ? kiln_merkle_read_cap(be, tree, m->nrows, cap_log, cap_out) : KILN_OK;
}

kiln_status kiln_merkle_paths(kiln_backend *be, const kiln_buf *tree, size_t nleaves, unsigned cap_log,
                              const size_t *indices, size_t count, uint64_t *out) {
    if (!be || (count && (!indices || !out))) return KILN_ERR_INVALID_ARG;
    TRY(check_tree(be, "merkle_paths", tree, nleaves, cap_log));
    for (size_t i = 0; i < count; i++)
        if (indices[i] >= nleaves)
            return fail(be, KILN_ERR_INVALID_ARG, "merkle_paths: leaf %zu of %zu", indices[i], nleaves);
    if (!count) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_merkle_paths(be->cuda, eptr(tree, 0), nleaves, cap_log, indices, count, out);
#endif
    kiln_cpu_merkle_paths(eptr(tree, 0), nleaves, cap_log, indices, count, out);
    return KILN_OK;
}

kiln_status kiln_gather_rows(kiln_backend *be, const kiln_matrix *m, const size_t *rows, size_t count,
                             uint64_t *out) {
    if (!be || (count && (!rows || !out))) return KILN_ERR_INVALID_ARG;
    TRY(check_matrix(be, "gather_rows", m));
    for (size_t i = 0; i < count; i++)
        if (rows[i] >= m->nrows) return fail(be, KILN_ERR_INVALID_ARG, "gather_rows: row %zu of %zu", rows[i], m->nrows);
    if (!count) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be))
        return kiln_cuda_gather_rows(be->cuda, eptr(m->buf, m->off), m->ncols, m->row_stride, m->col_stride, rows,
                                     count, out);
#endif
    kiln_cpu_gather_rows(eptr(m->buf, m->off), m->ncols, m->row_stride, m->col_stride, rows, count, out);
    return KILN_OK;
}

kiln_status kiln_fri_fold(kiln_backend *be, const kiln_buf *in, size_t in_off, kiln_buf *out, size_t out_off,
                          unsigned log_n, unsigned log_arity, uint64_t shift, kiln_gl2 beta) {
    if (!be) return KILN_ERR_INVALID_ARG;
    if (log_arity < 1 || log_arity > 3 || log_arity > log_n || log_n > KILN_GL_TWO_ADICITY)
        return fail(be, KILN_ERR_INVALID_ARG, "fri_fold: folding 2^%u by 2^%u", log_n, log_arity);
    if (shift == 0 || shift >= KILN_GL_P || beta.c0 >= KILN_GL_P || beta.c1 >= KILN_GL_P)
        return fail(be, KILN_ERR_INVALID_ARG, "fri_fold: non-canonical shift or challenge");
    size_t n = (size_t)1 << log_n;
    TRY(check_elems(be, "fri_fold", in, in_off, 2 * n));
    TRY(check_elems(be, "fri_fold", out, out_off, 2 * (n >> log_arity)));
    if (in == out && in_off < out_off + 2 * (n >> log_arity) && out_off < in_off + 2 * n)
        return fail(be, KILN_ERR_INVALID_ARG, "fri_fold: input and output overlap");
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be))
        return kiln_cuda_fri_fold(be->cuda, eptr(in, in_off), eptr(out, out_off), log_n, log_arity, shift, beta);
#endif
    kiln_cpu_fri_fold(eptr(in, in_off), eptr(out, out_off), log_n, log_arity, shift, beta);
    return KILN_OK;
}

kiln_status kiln_poly_eval_ext(kiln_backend *be, const kiln_buf *coeffs, size_t off, size_t n, size_t ncols,
                               kiln_gl2 z, kiln_gl2 *out) {
    if (!be || (ncols && !out)) return KILN_ERR_INVALID_ARG;
    if (z.c0 >= KILN_GL_P || z.c1 >= KILN_GL_P) return fail(be, KILN_ERR_INVALID_ARG, "poly_eval: non-canonical point");
    TRY(check_elems(be, "poly_eval", coeffs, off, mul_sat(n, ncols)));
    if (!ncols) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_poly_eval_ext(be->cuda, eptr(coeffs, off), n, ncols, z, out);
#endif
    kiln_cpu_poly_eval_ext(eptr(coeffs, off), n, ncols, z, out);
    return KILN_OK;
}

kiln_status kiln_batch_inverse(kiln_backend *be, kiln_buf *buf, size_t off, size_t n) {
    if (!be) return KILN_ERR_INVALID_ARG;
    TRY(check_elems(be, "batch_inverse", buf, off, n));
    if (!n) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_batch_inverse(be->cuda, eptr(buf, off), n);
#endif
    kiln_cpu_batch_inverse(eptr(buf, off), n);
    return KILN_OK;
}

kiln_status kiln_batch_inverse_ext(kiln_backend *be, kiln_buf *buf, size_t off, size_t n) {
    if (!be) return KILN_ERR_INVALID_ARG;
    TRY(check_elems(be, "batch_inverse_ext", buf, off, mul_sat(n, 2)));
    if (!n) return KILN_OK;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_batch_inverse_ext(be->cuda, eptr(buf, off), n);
#endif
    kiln_cpu_batch_inverse_ext(eptr(buf, off), n);
    return KILN_OK;
}

/* ---- AIR kernels (kernels/air) ---- */

static kiln_status raw_mat(kiln_backend *be, const char *op, const kiln_matrix *m, size_t nrows, kiln_raw_mat *out) {
    memset(out, 0, sizeof *out);
    if (!m) return KILN_OK;
    TRY(check_matrix(be, op, m));
    if (m->nrows != nrows) return fail(be, KILN_ERR_INVALID_ARG, "%s: matrix has %zu rows, not %zu", op, m->nrows, nrows);
    out->p = eptr(m->buf, m->off);
    out->ncols = m->ncols;
    out->row_stride = m->row_stride;
    out->col_stride = m->col_stride;
    return KILN_OK;
}

kiln_status kiln_expr_quotient(kiln_backend *be, const kiln_expr_quotient_args *a, kiln_buf *out, size_t out_off) {
    if (!be || !a) return KILN_ERR_INVALID_ARG;
    if (a->log_blowup < 1 || a->log_blowup > 4 || a->log_n + a->log_blowup > KILN_GL_TWO_ADICITY ||
        a->shift == 0 || a->shift >= KILN_GL_P || (a->nconsts && !a->consts) || (a->nperiodic && !a->periodic))
        return fail(be, KILN_ERR_INVALID_ARG, "expr_quotient: bad sizes, shift or tables");
    size_t M = (size_t)1 << (a->log_n + a->log_blowup);
    kiln_raw_mat mats[3];
    TRY(raw_mat(be, "expr_quotient", a->main, M, &mats[0]));
    TRY(raw_mat(be, "expr_quotient", a->aux, M, &mats[1]));
    TRY(raw_mat(be, "expr_quotient", a->pre, M, &mats[2]));
    if (!kiln_expr_program_ok(a, mats[0].ncols, mats[1].ncols, mats[2].ncols))
        return fail(be, KILN_ERR_INVALID_ARG, "expr_quotient: program does not fit its arguments");
    TRY(check_elems(be, "expr_quotient", out, out_off, mul_sat(M, 2)));
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_expr_quotient(be->cuda, a, mats, eptr(out, out_off));
#endif
    return cpu_done(be, "expr_quotient", kiln_cpu_expr_quotient(a, mats, eptr(out, out_off)));
}

kiln_status kiln_deep_accumulate(kiln_backend *be, const kiln_deep_args *a, kiln_buf *out, size_t out_off) {
    if (!be || !a || (a->nmats && (!a->mats || !a->coef_z || !a->coef_zg))) return KILN_ERR_INVALID_ARG;
    if (a->log_m > KILN_GL_TWO_ADICITY || a->shift == 0 || a->shift >= KILN_GL_P || a->nmats > 64)
        return fail(be, KILN_ERR_INVALID_ARG, "deep_accumulate: bad size or shift");
    size_t M = (size_t)1 << a->log_m;
    kiln_raw_mat mats[64];
    for (size_t k = 0; k < a->nmats; k++) TRY(raw_mat(be, "deep_accumulate", &a->mats[k], M, &mats[k]));
    TRY(check_elems(be, "deep_accumulate", out, out_off, mul_sat(M, 2)));
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_deep_accumulate(be->cuda, a, mats, eptr(out, out_off));
#endif
    return cpu_done(be, "deep_accumulate", kiln_cpu_deep_accumulate(a, mats, eptr(out, out_off)));
}

/* ---- proof of work and LogUp (kernels/pow, kernels/logup) ---- */

kiln_status kiln_pow_grind(kiln_backend *be, const kiln_pow_seed *seed, unsigned bits, uint64_t *nonce) {
    if (!be || !seed || !nonce) return KILN_ERR_INVALID_ARG;
    if (bits > 48) return fail(be, KILN_ERR_INVALID_ARG, "pow_grind: %u bits (at most 48)", bits);
    size_t nstate = 25;
    if (seed->hasher == KILN_HASHER_POSEIDON2) {
        if (seed->pos >= 8) return fail(be, KILN_ERR_INVALID_ARG, "pow_grind: Poseidon2 nonce position %u", seed->pos);
        nstate = 12;
    } else if (seed->hasher == KILN_HASHER_KECCAK) {
        if (seed->pos >= KILN_KECCAK256_RATE)
            return fail(be, KILN_ERR_INVALID_ARG, "pow_grind: Keccak absorbed count %u", seed->pos);
    } else {
        return fail(be, KILN_ERR_INVALID_ARG, "pow_grind: unknown hasher");
    }
    if (seed->hasher == KILN_HASHER_POSEIDON2)
        for (size_t i = 0; i < nstate; i++)
            if (seed->state[i] >= KILN_GL_P) return fail(be, KILN_ERR_INVALID_ARG, "pow_grind: non-canonical state");
    *nonce = 0;
    if (!bits) return KILN_OK;
    kiln_status st;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) st = kiln_cuda_pow_grind(be->cuda, seed, bits, nonce);
    else
#endif
        st = kiln_cpu_pow_grind(seed, bits, nonce);
    if (st == KILN_ERR_LIMIT) return fail(be, st, "pow_grind: no nonce below p passes");
    return st;
}

/* The program only reads registers it has written, columns its views have, and tables it was given. */
static kiln_status logup_program_check(kiln_backend *be, const kiln_logup_den_args *a, size_t main_cols,
                                       size_t pre_cols) {
    for (size_t j = 0; j < a->nperiodic; j++)
        if (!a->periodic_len[j] || a->periodic_off[j] > a->periodic_words ||
            a->periodic_len[j] > a->periodic_words - a->periodic_off[j])
            return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: periodic column %zu out of its table", j);
    for (size_t i = 0; i < a->ninstr; i++) {
        const kiln_logup_instr *in = &a->code[i];
        int ok;
        switch (in->op) {
        case KILN_LOGUP_CONST: ok = in->a < a->nconsts; break;
        case KILN_LOGUP_MAIN: ok = in->a < main_cols; break;
        case KILN_LOGUP_PRE: ok = in->a < pre_cols; break;
        case KILN_LOGUP_PERIODIC: ok = in->a < a->nperiodic; break;
        case KILN_LOGUP_ADD:
        case KILN_LOGUP_SUB:
        case KILN_LOGUP_MUL: ok = in->a < i && in->b < i; break;
        case KILN_LOGUP_NEG: ok = in->a < i; break;
        default: ok = 0; break;
        }
        if (!ok) return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: bad instruction %zu", i);
    }
    for (size_t j = 0; j < a->nterms; j++) {
        const kiln_logup_term *t = &a->terms[j];
        if (t->mult >= a->ninstr || t->val_first > a->nvals || t->nvals > a->nvals - t->val_first)
            return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: bad term %zu", j);
        for (uint32_t k = 0; k < t->nvals; k++)
            if (a->vals[t->val_first + k] >= a->ninstr)
                return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: term %zu reads a missing register", j);
    }
    for (size_t i = 0; i < a->nconsts; i++)
        if (a->consts[i] >= KILN_GL_P) return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: non-canonical constant");
    for (size_t i = 0; i < a->periodic_words; i++)
        if (a->periodic[i] >= KILN_GL_P) return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: non-canonical periodic value");
    return KILN_OK;
}

kiln_status kiln_logup_denominators(kiln_backend *be, const kiln_logup_den_args *a, kiln_buf *den, size_t den_off,
                                    kiln_buf *mult, size_t mult_off, size_t *nzero) {
    if (!be || !a || !nzero) return KILN_ERR_INVALID_ARG;
    if ((a->ninstr && !a->code) || (a->nconsts && !a->consts) || (a->nperiodic && (!a->periodic_off || !a->periodic_len)) ||
        (a->periodic_words && !a->periodic) || (a->nterms && !a->terms) || (a->nvals && !a->vals))
        return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: missing tables");
    if (a->n == 0 || a->ninstr > ((size_t)1 << 20) || a->nterms > ((size_t)1 << 20))
        return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: bad sizes");
    if (a->alpha.c0 >= KILN_GL_P || a->alpha.c1 >= KILN_GL_P || a->beta.c0 >= KILN_GL_P || a->beta.c1 >= KILN_GL_P)
        return fail(be, KILN_ERR_INVALID_ARG, "logup_denominators: non-canonical challenge");
    kiln_raw_mat mats[2];
    TRY(raw_mat(be, "logup_denominators", a->main, a->n, &mats[0]));
    TRY(raw_mat(be, "logup_denominators", a->pre, a->n, &mats[1]));
    TRY(logup_program_check(be, a, mats[0].ncols, mats[1].ncols));
    size_t cells = mul_sat(a->nterms, a->n);
    TRY(check_elems(be, "logup_denominators", den, den_off, mul_sat(cells, 2)));
    TRY(check_elems(be, "logup_denominators", mult, mult_off, cells));
    *nzero = 0;
    kiln_logup_prog p;
    memset(&p, 0, sizeof p);
    p.code = a->code;
    p.ninstr = a->ninstr;
    p.consts = a->consts;
    p.periodic = a->periodic;
    p.periodic_off = a->periodic_off;
    p.periodic_len = a->periodic_len;
    p.terms = a->terms;
    p.nterms = a->nterms;
    p.vals = a->vals;
    p.main = mats[0];
    p.pre = mats[1];
    p.n = a->n;
    p.alpha = a->alpha;
    p.beta = a->beta;
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be)) return kiln_cuda_logup_denominators(be->cuda, a, &p, eptr(den, den_off), eptr(mult, mult_off), nzero);
#endif
    return cpu_done(be, "logup_denominators", kiln_cpu_logup_denominators(&p, eptr(den, den_off), eptr(mult, mult_off), nzero));
}

kiln_status kiln_logup_sum(kiln_backend *be, const kiln_logup_sum_args *a, kiln_buf *out, size_t out_off,
                           kiln_gl2 *total) {
    if (!be || !a || !total || (a->ngroups && (!a->group_first || !a->group_count))) return KILN_ERR_INVALID_ARG;
    if (a->n == 0 || a->ngroups > ((size_t)1 << 20))
        return fail(be, KILN_ERR_INVALID_ARG, "logup_sum: bad sizes");
    for (size_t g = 0; g < a->ngroups; g++)
        if (a->group_first[g] > a->nterms || a->group_count[g] > a->nterms - a->group_first[g])
            return fail(be, KILN_ERR_INVALID_ARG, "logup_sum: group %zu out of the terms", g);
    size_t cells = mul_sat(a->nterms, a->n);
    TRY(check_elems(be, "logup_sum", a->inv, a->inv_off, mul_sat(cells, 2)));
    TRY(check_elems(be, "logup_sum", a->mult, a->mult_off, cells));
    TRY(check_elems(be, "logup_sum", out, out_off, mul_sat(mul_sat(a->ngroups, 2) + 2, a->n)));
#ifdef KILN_HAVE_CUDA
    if (is_cuda(be))
        return kiln_cuda_logup_sum(be->cuda, eptr(a->inv, a->inv_off), eptr(a->mult, a->mult_off), a->n, a->group_first,
                                   a->group_count, a->ngroups, eptr(out, out_off), total);
#endif
    return cpu_done(be, "logup_sum", kiln_cpu_logup_sum(eptr(a->inv, a->inv_off), eptr(a->mult, a->mult_off), a->n, a->group_first,
                              a->group_count, a->ngroups, eptr(out, out_off), total));
}
