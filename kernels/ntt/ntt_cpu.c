/* CPU NTT and coset LDE (the reference backend).
 *
 * Natural-order input runs a decimation-in-frequency (DIF) transform, bit-reversed input a decimation-in-time
 * (DIT) one; when input and output orders are equal a bit-reversal permutation follows. Each transform is
 * cache-blocked: stages whose butterflies span more than an inner block (2^LOG_BLOCK elements) run as "outer"
 * passes that fuse up to 2^MAX_RADIX-point butterfly groups, recursing depth-first so that sub-arrays stay in
 * cache; the last (DIF) or first (DIT) LOG_BLOCK stages run block by block in L1/L2. Coset factors and the
 * 1/n scaling are fused into the first or last pass. Threads split columns of a batch, or, for few columns,
 * the butterfly groups and sub-arrays of one column. Butterflies use AVX-512 (8 lanes) or AVX2 (4 lanes) when
 * the compiler targets them (-march=native in Release builds), else branch-free scalar code
 * (ntt_cpu_block.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../backend/kernels_cpu.h"
#include "../common/parallel.h"
#include "../field/goldilocks.h"
#include "ntt.h"
#include "ntt_cpu_block.h"

#define LOG_BLOCK 12 /* inner blocks: 32 KiB of data plus 32 KiB of twiddles */
#define MAX_RADIX 4  /* outer passes fuse up to 4 stages (16-point groups) */
/* Levels below 2^24 entries (transforms up to 2^24) stay cached for the process's life: at most 128 MiB per
 * direction, built on first use; larger transforms build their top levels per call. */
#define LOG_CACHED 24

/* ---- twiddles ----
 * Level l holds w^e for e < 2^l, w a primitive 2^(l+1)-th root of unity (or its inverse): the twiddles of
 * every butterfly whose halves are 2^l apart, in any transform size. Levels are universal, so one cache
 * serves every log_n. */

typedef struct {
    const uint64_t *lv[KILN_GL_TWO_ADICITY];
    uint64_t *owned[KILN_GL_TWO_ADICITY]; /* levels past the cache, freed after the call */
} twiddles;

static uint64_t *g_levels[2][LOG_CACHED];
static pthread_mutex_t g_levels_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
    uint64_t *t;
    uint64_t w;
} fill_ctx;

/* t[i] = w^i for i in [b, e), as eight interleaved chains (stepping by w^8) so the multiplications overlap
 * instead of waiting on each other. */
static void fill_range(void *vc, size_t b, size_t e) {
    fill_ctx *c = (fill_ctx *)vc;
    uint64_t x[8], w8 = kiln_gl_pow(c->w, 8);
    x[0] = kiln_gl_pow(c->w, b);
    for (int k = 1; k < 8; k++)
        x[k] = kiln_gl_mul(x[k - 1], c->w);
    size_t i = b;
    for (; i + 8 <= e; i += 8)
        for (int k = 0; k < 8; k++) {
            c->t[i + k] = x[k];
            x[k] = kiln_ntt_mul(x[k], w8);
        }
    for (int k = 0; i < e; i++, k++)
        c->t[i] = x[k];
}

static uint64_t *make_level(unsigned l, int inverse) {
    size_t h = (size_t)1 << l;
    uint64_t *t = (uint64_t *)malloc(h * sizeof *t);
    if (!t) return NULL;
    fill_ctx c = {t, kiln_gl_root_of_unity(l + 1)};
    if (inverse) c.w = kiln_gl_inv(c.w);
    kiln_parallel_for(h, (size_t)1 << 14, fill_range, &c);
    return t;
}

static void twiddles_release(twiddles *tw) {
    for (unsigned l = 0; l < KILN_GL_TWO_ADICITY; l++)
        free(tw->owned[l]);
    memset(tw, 0, sizeof *tw);
}

/* Fills tw with levels 0 .. log_n - 1 for the forward (inverse = 0) or inverse root. */
static kiln_status twiddles_get(twiddles *tw, unsigned log_n, int inverse) {
    memset(tw, 0, sizeof *tw);
    int d = inverse ? 1 : 0;
    kiln_status st = KILN_OK;
    pthread_mutex_lock(&g_levels_lock);
    for (unsigned l = 0; l < log_n && l < LOG_CACHED; l++) {
        if (!g_levels[d][l]) g_levels[d][l] = make_level(l, inverse);
        if (!g_levels[d][l]) {
            st = KILN_ERR_OUT_OF_MEMORY;
            break;
        }
        tw->lv[l] = g_levels[d][l];
    }
    pthread_mutex_unlock(&g_levels_lock);
    for (unsigned l = LOG_CACHED; st == KILN_OK && l < log_n; l++) {
        tw->owned[l] = make_level(l, inverse);
        if (!tw->owned[l]) st = KILN_ERR_OUT_OF_MEMORY;
        tw->lv[l] = tw->owned[l];
    }
    if (st != KILN_OK) twiddles_release(tw);
    return st;
}

/* ---- plan ---- */

typedef struct {
    const twiddles *tw;
    unsigned log_n;
    int dit;     /* 0: DIF, natural -> bit-reversed; 1: DIT, bit-reversed -> natural */
    int permute; /* bit-reverse the result */
    /* Scaling: position i is multiplied by c * g^idx(i), before the first stage (pre) or after the last. */
    int pre, post;
    int sc_bitrev; /* idx(i) = bitrev(i) (applied in inner blocks), else idx(i) = i */
    uint64_t g, c;
    unsigned lb;                  /* log of the inner block size */
    unsigned r_top;               /* stages in the top outer pass (0 when the column is one inner block) */
    uint64_t gmk[1 << MAX_RADIX]; /* top outer pass: c * (g^m)^k, m = n >> r_top */
    uint64_t *tab;                /* inner-block factors (see plan_make, scale_inner) */
} plan;

static unsigned pick_radix(unsigned log_n) {
    unsigned outer = log_n - LOG_BLOCK, passes = (outer + MAX_RADIX - 1) / MAX_RADIX;
    return (outer + passes - 1) / passes;
}

static void plan_free(plan *p) {
    if (p) free(p->tab);
    free(p);
}

/* inverse selects post-scaling by c/shift^idx, else pre-scaling by shift^idx (skipped for shift 1). */
static kiln_status plan_make(const twiddles *tw, unsigned log_n, int inverse, uint64_t shift,
                             kiln_order in_order, kiln_order out_order, plan **out) {
    plan *p = (plan *)calloc(1, sizeof *p);
    if (!p) return KILN_ERR_OUT_OF_MEMORY;
    p->tw = tw;
    p->log_n = log_n;
    p->dit = in_order == KILN_ORDER_BITREV;
    p->permute = in_order == out_order;
    p->lb = log_n < LOG_BLOCK ? log_n : LOG_BLOCK;
    p->r_top = log_n > LOG_BLOCK ? pick_radix(log_n) : 0;
    if (inverse) {
        p->post = 1;
        p->g = kiln_gl_inv(shift);
        p->c = kiln_ntt_inv_pow2(log_n);
    } else {
        p->pre = shift != 1;
        p->g = shift;
        p->c = 1;
    }
    /* DIF pre and DIT post see natural positions; DIF post and DIT pre see bit-reversed ones. */
    p->sc_bitrev = p->dit ? p->pre : p->post;
    if (p->pre || p->post) {
        size_t bs = (size_t)1 << p->lb;
        p->tab = (uint64_t *)malloc(bs * sizeof *p->tab);
        if (!p->tab) {
            plan_free(p);
            return KILN_ERR_OUT_OF_MEMORY;
        }
        /* natural (single block): tab[t] = g^t; bit-reversed: tab[t] = G^bitrev_lb(t) (see scale_inner) */
        uint64_t G = p->sc_bitrev ? kiln_gl_pow(p->g, (uint64_t)1 << (log_n - p->lb)) : p->g, x = 1;
        for (size_t u = 0; u < bs; u++, x = kiln_gl_mul(x, G))
            p->tab[p->sc_bitrev ? kiln_bitrev(u, p->lb) : u] = x;
        if (p->r_top) {
            uint64_t gm = kiln_gl_pow(p->g, (uint64_t)1 << (log_n - p->r_top));
            x = p->c;
            for (unsigned k = 0; k < (1u << p->r_top); k++, x = kiln_gl_mul(x, gm))
                p->gmk[k] = x;
        }
    }
    *out = p;
    return KILN_OK;
}

/* ---- passes ---- */

/* Scales an inner block x (positions base .. base + 2^lb - 1). Natural scaling reaches inner blocks only when
 * the column is a single block (base 0). Bit-reversed: idx(base + t) = bitrev_n(base) + bitrev_lb(t) *
 * 2^(log_n - lb), so the factor is c * g^bitrev_n(base) * G^bitrev_lb(t) with G = g^(2^(log_n - lb)). */
static void scale_inner(const plan *p, uint64_t *x, size_t base) {
    uint64_t f0 = p->c;
    if (p->sc_bitrev) f0 = kiln_ntt_mul(f0, kiln_gl_pow(p->g, kiln_bitrev(base, p->log_n)));
    kiln_ntt_blk_scale(x, p->tab, f0, (size_t)1 << p->lb);
}

static int inner_scales(const plan *p) {
    return p->sc_bitrev || p->r_top == 0;
}

static void inner_dif(const plan *p, uint64_t *x, size_t base) {
    if (p->pre && inner_scales(p)) scale_inner(p, x, base);
    kiln_ntt_blk_dif_block(x, p->lb, p->tw->lv);
    if (p->post && inner_scales(p)) scale_inner(p, x, base);
}

static void inner_dit(const plan *p, uint64_t *x, size_t base) {
    if (p->pre && inner_scales(p)) scale_inner(p, x, base);
    kiln_ntt_blk_dit_block(x, p->lb, p->tw->lv);
    if (p->post && inner_scales(p)) scale_inner(p, x, base);
}

/* One outer pass over a sub-array x of 2^logN elements: for each j in [j0, j1), the 2^r elements j + k*m
 * (m = 2^(logN - r)) go through r radix-2 stages. In the stage with halves h = 2^lvl apart, the butterfly
 * of k and k + hk (hk = h / m) uses twiddle w_(2h)^(j + (k mod hk)*m). scale: top-pass natural scaling, by
 * c * g^j * (g^m)^k (before the DIF stages, after the DIT ones). */
#ifndef KILN_NTT_VW
static inline __attribute__((always_inline)) void
outer_pass(const plan *p, uint64_t *x, unsigned logN, unsigned r, size_t j0, size_t j1, int dit, int scale) {
    const size_t m = (size_t)1 << (logN - r);
    const unsigned R = 1u << r;
    uint64_t v[1 << MAX_RADIX];
    uint64_t gj = scale ? kiln_gl_pow(p->g, j0) : 0;
    for (size_t j = j0; j < j1; j++) {
        for (unsigned k = 0; k < R; k++)
            v[k] = x[j + k * m];
        if (scale && !dit)
            for (unsigned k = 0; k < R; k++)
                v[k] = kiln_ntt_mul(v[k], kiln_ntt_mul(gj, p->gmk[k]));
        for (unsigned i = 0; i < r; i++) {
            unsigned s = dit ? r - 1 - i : i; /* stage within the pass, 0 = widest */
            unsigned hk = R >> (s + 1);
            const uint64_t *t = p->tw->lv[logN - 1 - s];
            for (unsigned k0 = 0; k0 < R; k0 += 2 * hk)
                for (unsigned c = 0; c < hk; c++) {
                    uint64_t w = t[j + c * m], a = v[k0 + c], b = v[k0 + c + hk];
                    if (dit) {
                        b = kiln_ntt_mul(b, w);
                        v[k0 + c] = kiln_ntt_add(a, b);
                        v[k0 + c + hk] = kiln_ntt_sub(a, b);
                    } else {
                        v[k0 + c] = kiln_ntt_add(a, b);
                        v[k0 + c + hk] = kiln_ntt_mul(kiln_ntt_sub(a, b), w);
                    }
                }
        }
        if (scale && dit)
            for (unsigned k = 0; k < R; k++)
                v[k] = kiln_ntt_mul(v[k], kiln_ntt_mul(gj, p->gmk[k]));
        if (scale) gj = kiln_ntt_mul(gj, p->g);
        for (unsigned k = 0; k < R; k++)
            x[j + k * m] = v[k];
    }
}
#endif

#ifdef KILN_NTT_VW
/* outer_pass on KILN_NTT_VW consecutive j at once (j0, j1 multiples of 8; m >= 2^8 here). */
static inline __attribute__((always_inline)) void
outer_pass(const plan *p, uint64_t *x, unsigned logN, unsigned r, size_t j0, size_t j1, int dit, int scale) {
    const size_t m = (size_t)1 << (logN - r);
    const unsigned R = 1u << r;
    kiln_vw v[1 << MAX_RADIX];
    kiln_vw gj = kiln_vw_set1(0), gw = gj;
    if (scale) {
        uint64_t l[KILN_NTT_VW], x0 = kiln_gl_pow(p->g, j0);
        for (int i = 0; i < KILN_NTT_VW; i++, x0 = kiln_ntt_mul(x0, p->g))
            l[i] = x0;
        gj = kiln_vw_load(l);
        gw = kiln_vw_set1(kiln_gl_pow(p->g, KILN_NTT_VW));
    }
    for (size_t j = j0; j < j1; j += KILN_NTT_VW) {
        for (unsigned k = 0; k < R; k++)
            v[k] = kiln_vw_load(x + j + k * m);
        if (scale && !dit)
            for (unsigned k = 0; k < R; k++)
                v[k] = kiln_vw_mul(v[k], kiln_vw_mul(gj, kiln_vw_set1(p->gmk[k])));
        for (unsigned i = 0; i < r; i++) {
            unsigned s = dit ? r - 1 - i : i;
            unsigned hk = R >> (s + 1);
            const uint64_t *t = p->tw->lv[logN - 1 - s];
            for (unsigned k0 = 0; k0 < R; k0 += 2 * hk)
                for (unsigned c = 0; c < hk; c++) {
                    kiln_vw w = kiln_vw_load(t + j + c * m), a = v[k0 + c], b = v[k0 + c + hk];
                    if (dit) {
                        b = kiln_vw_mul(b, w);
                        v[k0 + c] = kiln_vw_add(a, b);
                        v[k0 + c + hk] = kiln_vw_sub(a, b);
                    } else {
                        v[k0 + c] = kiln_vw_add(a, b);
                        v[k0 + c + hk] = kiln_vw_mul(kiln_vw_sub(a, b), w);
                    }
                }
        }
        if (scale && dit)
            for (unsigned k = 0; k < R; k++)
                v[k] = kiln_vw_mul(v[k], kiln_vw_mul(gj, kiln_vw_set1(p->gmk[k])));
        if (scale) gj = kiln_vw_mul(gj, gw);
        for (unsigned k = 0; k < R; k++)
            kiln_vw_store(x + j + k * m, v[k]);
    }
}
#endif

/* Specialised per radix so the group loops unroll. */
#define KILN_OUTER(R_)                                                                                       \
    static void outer_##R_(const plan *p, uint64_t *x, unsigned logN, size_t j0, size_t j1, int dit,         \
                           int sc) {                                                                         \
        if (dit) {                                                                                           \
            if (sc)                                                                                          \
                outer_pass(p, x, logN, R_, j0, j1, 1, 1);                                                    \
            else                                                                                             \
                outer_pass(p, x, logN, R_, j0, j1, 1, 0);                                                    \
        } else {                                                                                             \
            if (sc)                                                                                          \
                outer_pass(p, x, logN, R_, j0, j1, 0, 1);                                                    \
            else                                                                                             \
                outer_pass(p, x, logN, R_, j0, j1, 0, 0);                                                    \
        }                                                                                                    \
    }
KILN_OUTER(1)
KILN_OUTER(2)
KILN_OUTER(3)
KILN_OUTER(4)

static void outer(const plan *p, uint64_t *x, unsigned logN, unsigned r, size_t j0, size_t j1, int sc) {
    switch (r) {
    case 1:
        outer_1(p, x, logN, j0, j1, p->dit, sc);
        break;
    case 2:
        outer_2(p, x, logN, j0, j1, p->dit, sc);
        break;
    case 3:
        outer_3(p, x, logN, j0, j1, p->dit, sc);
        break;
    default:
        outer_4(p, x, logN, j0, j1, p->dit, sc);
        break;
    }
}

/* Depth-first transform of the sub-array x (positions base ..) of 2^logN elements. */
static void transform_rec(const plan *p, uint64_t *x, size_t base, unsigned logN, int top) {
    if (logN <= LOG_BLOCK) {
        if (p->dit)
            inner_dit(p, x, base);
        else
            inner_dif(p, x, base);
        return;
    }
    unsigned r = pick_radix(logN);
    size_t m = (size_t)1 << (logN - r);
    int sc = top && !p->sc_bitrev && (p->pre || p->post);
    if (!p->dit) outer(p, x, logN, r, 0, m, sc);
    for (size_t s = 0; s < ((size_t)1 << r); s++)
        transform_rec(p, x + s * m, base + s * m, logN - r, 0);
    if (p->dit) outer(p, x, logN, r, 0, m, sc);
}

/* Bit-reversal in cache-line tiles: write i = (a, b, c) with a and c of 3 bits each. Element (a, b, c) goes
 * to (rev c, rev b, rev a), so the 8x8 tile of middle part b (eight rows of one cache line each) swaps with
 * the tile of rev b, transposed with its rows and columns bit-reversed. Handles the b in [b0, b1) with b <=
 * rev b, so ranges of b can run on different threads. */
static void bitrev_tiles(uint64_t *v, unsigned log_n, size_t b0, size_t b1) {
    static const unsigned char r3[8] = {0, 4, 2, 6, 1, 5, 3, 7};
    const unsigned mb = log_n - 6, sh = log_n - 3;
    uint64_t A[64], B[64];
    for (size_t b = b0; b < b1; b++) {
        size_t br = (size_t)kiln_bitrev(b, mb);
        if (br < b) continue;
        uint64_t *pa = v + (b << 3), *pb = v + (br << 3);
        for (size_t a = 0; a < 8; a++)
            for (size_t c = 0; c < 8; c++)
                A[a * 8 + c] = pa[(a << sh) + c];
        if (br == b) {
            for (size_t a = 0; a < 8; a++)
                for (size_t c = 0; c < 8; c++)
                    pa[(a << sh) + c] = A[r3[c] * 8 + r3[a]];
            continue;
        }
        for (size_t a = 0; a < 8; a++)
            for (size_t c = 0; c < 8; c++)
                B[a * 8 + c] = pb[(a << sh) + c];
        for (size_t a = 0; a < 8; a++)
            for (size_t c = 0; c < 8; c++) {
                pb[(a << sh) + c] = A[r3[c] * 8 + r3[a]];
                pa[(a << sh) + c] = B[r3[c] * 8 + r3[a]];
            }
    }
}

#define LOG_MIN_TILED_BITREV 8

void kiln_ntt_bitrev_permute(uint64_t *v, unsigned log_n) {
    if (log_n >= LOG_MIN_TILED_BITREV) {
        bitrev_tiles(v, log_n, 0, (size_t)1 << (log_n - 6));
        return;
    }
    size_t n = (size_t)1 << log_n;
    for (size_t i = 0; i < n; i++) {
        size_t j = (size_t)kiln_bitrev(i, log_n);
        if (i < j) {
            uint64_t t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
    }
}

/* One column on the calling thread. */
static void column_seq(const plan *p, uint64_t *x) {
    transform_rec(p, x, 0, p->log_n, 1);
    if (p->permute) kiln_ntt_bitrev_permute(x, p->log_n);
}

/* ---- one column on all threads ---- */

typedef struct {
    const plan *p;
    uint64_t *x;
    size_t m;
    unsigned log_n;
} col_ctx;

static void par_outer(void *vc, size_t b, size_t e) {
    col_ctx *c = (col_ctx *)vc;
    outer(c->p, c->x, c->p->log_n, c->p->r_top, 8 * b, 8 * e, !c->p->sc_bitrev && (c->p->pre || c->p->post));
}

static void par_sub(void *vc, size_t b, size_t e) {
    col_ctx *c = (col_ctx *)vc;
    for (size_t s = b; s < e; s++)
        transform_rec(c->p, c->x + s * c->m, s * c->m, c->p->log_n - c->p->r_top, 0);
}

static void par_permute(void *vc, size_t b, size_t e) {
    col_ctx *c = (col_ctx *)vc;
    bitrev_tiles(c->x, c->log_n, b, e);
}

static void permute_par(uint64_t *x, unsigned log_n) {
    if (log_n < 16) {
        kiln_ntt_bitrev_permute(x, log_n);
        return;
    }
    col_ctx c = {NULL, x, 0, log_n};
    kiln_parallel_for((size_t)1 << (log_n - 6), 64, par_permute, &c);
}

static void column_par(const plan *p, uint64_t *x) {
    if (p->r_top == 0 || kiln_parallel_threads() < 2) {
        column_seq(p, x);
        return;
    }
    col_ctx c = {p, x, (size_t)1 << (p->log_n - p->r_top), p->log_n};
    /* the outer pass goes by eight j at a time (m >= 2^8) */
    if (!p->dit) kiln_parallel_for(c.m / 8, 8, par_outer, &c);
    kiln_parallel_for((size_t)1 << p->r_top, 1, par_sub, &c);
    if (p->dit) kiln_parallel_for(c.m / 8, 8, par_outer, &c);
    if (p->permute) permute_par(x, p->log_n);
}

/* Columns in parallel when there are enough of them to keep every thread busy, else threads within each
 * (only for columns of 2^17 and more: below that, starting threads three times costs more than it saves). */
#define LOG_MIN_SPLIT 17
static int split_columns(size_t units, unsigned log_n) {
    unsigned t = kiln_parallel_threads();
    return t < 2 || log_n < LOG_MIN_SPLIT || units >= 2 * (size_t)t;
}

typedef struct {
    const plan *p;
    uint64_t *data;
    size_t n;
} batch_ctx;

static void batch_body(void *vc, size_t b, size_t e) {
    batch_ctx *c = (batch_ctx *)vc;
    for (size_t i = b; i < e; i++)
        column_seq(c->p, c->data + i * c->n);
}

kiln_status kiln_cpu_ntt(uint64_t *data, size_t ncols, unsigned log_n, int inverse, uint64_t shift,
                         kiln_order in_order, kiln_order out_order) {
    if (log_n == 0) return KILN_OK; /* one point: y_0 = a_0 */
    twiddles tw;
    plan *p = NULL;
    kiln_status st = twiddles_get(&tw, log_n, inverse);
    if (st != KILN_OK) return st;
    st = plan_make(&tw, log_n, inverse, shift, in_order, out_order, &p);
    if (st == KILN_OK) {
        size_t n = (size_t)1 << log_n;
        if (split_columns(ncols, log_n)) {
            batch_ctx c = {p, data, n};
            kiln_parallel_for(ncols, 1, batch_body, &c);
        } else {
            for (size_t i = 0; i < ncols; i++)
                column_par(p, data + i * n);
        }
    }
    plan_free(p);
    twiddles_release(&tw);
    return st;
}

/* ---- LDE ----
 * In bit-reversed order the N = n * 2^lb evaluations over shift*<w_N> split into 2^lb blocks of n: block k
 * holds the evaluations over the coset shift * w_N^bitrev_lb(k) * <w_n>, in bit-reversed order. So each block
 * is a size-n forward NTT (natural -> bit-reversed) of the coefficients with that coset's shift, and natural
 * output is one bit-reversal of the whole column. */

typedef struct {
    plan *plans[16];
    const uint64_t *src;
    uint64_t *dst;
    size_t n;
    unsigned log_n, log_blowup;
} lde_ctx;

static void lde_unit(const lde_ctx *c, size_t u, int par) {
    size_t col = u >> c->log_blowup, k = u & (((size_t)1 << c->log_blowup) - 1);
    uint64_t *x = c->dst + ((col << c->log_blowup) + k) * c->n;
    memcpy(x, c->src + col * c->n, c->n * sizeof *x);
    if (par)
        column_par(c->plans[k], x);
    else
        column_seq(c->plans[k], x);
}

static void lde_body(void *vc, size_t b, size_t e) {
    for (size_t u = b; u < e; u++)
        lde_unit((const lde_ctx *)vc, u, 0);
}

typedef struct {
    uint64_t *dst;
    size_t N;
    unsigned log_N;
} perm_ctx;

static void perm_body(void *vc, size_t b, size_t e) {
    perm_ctx *c = (perm_ctx *)vc;
    for (size_t i = b; i < e; i++)
        kiln_ntt_bitrev_permute(c->dst + i * c->N, c->log_N);
}

kiln_status kiln_cpu_lde_from_coeffs(const uint64_t *src, uint64_t *dst, size_t ncols, unsigned log_n,
                                     unsigned log_blowup, uint64_t shift, kiln_order out_order) {
    size_t n = (size_t)1 << log_n, blowup = (size_t)1 << log_blowup;
    unsigned log_N = log_n + log_blowup;
    uint64_t wN = kiln_gl_root_of_unity(log_N);
    twiddles tw;
    kiln_status st = twiddles_get(&tw, log_n, 0);
    if (st != KILN_OK) return st;
    lde_ctx c;
    memset(&c, 0, sizeof c);
    c.src = src;
    c.dst = dst;
    c.n = n;
    c.log_n = log_n;
    c.log_blowup = log_blowup;
    for (size_t k = 0; k < blowup && st == KILN_OK; k++) {
        uint64_t gk = kiln_ntt_mul(shift, kiln_gl_pow(wN, kiln_bitrev(k, log_blowup)));
        st = plan_make(&tw, log_n, 0, gk, KILN_ORDER_NATURAL, KILN_ORDER_BITREV, &c.plans[k]);
    }
    if (st == KILN_OK) {
        size_t units = ncols << log_blowup;
        if (split_columns(units, log_n)) {
            kiln_parallel_for(units, 1, lde_body, &c);
        } else {
            for (size_t u = 0; u < units; u++)
                lde_unit(&c, u, 1);
        }
        if (out_order == KILN_ORDER_NATURAL) {
            if (ncols >= kiln_parallel_threads()) {
                perm_ctx pc = {dst, n << log_blowup, log_N};
                kiln_parallel_for(ncols, 1, perm_body, &pc);
            } else {
                for (size_t i = 0; i < ncols; i++)
                    permute_par(dst + i * (n << log_blowup), log_N);
            }
        }
    }
    for (size_t k = 0; k < blowup; k++)
        plan_free(c.plans[k]);
    twiddles_release(&tw);
    return st;
}
