/* The work of one CUDA NTT pass, written as host+device functions so that ntt_cuda.cu runs it on the GPU
 * and the tests can run the very same code on the host (one "thread" at a time) against the CPU backend.
 * Internal to kernels/ntt and its tests.
 *
 * A transform of 2^log_n is a few passes. A pass with r stages over sub-arrays of 2^log_N elements works on
 * groups j + k*m (m = 2^(log_N - r), k < 2^r). A tile holds 2^log_J consecutive j (16 in outer passes, so
 * every global access is a 128-byte row; 1 in the innermost pass, whose groups are contiguous) times 2^r
 * values of k: at most 4096 elements in shared memory, plus (outer passes) as many twiddles. The stages run
 * two at a time as radix-4 phases. DIF runs the passes widest first, DIT narrowest first; coset factors and
 * 1/n are applied as a tile is loaded in the first pass or stored in the last. Twiddles come from small
 * tables: powers of a primitive 2^32-th root omega split into fine and coarse halves, and the levels table
 * lv[h + c] = w_(2h)^c for h < 2^11. */
#ifndef KILN_NTT_PASS_H
#define KILN_NTT_PASS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/hd.h"
#include "../field/goldilocks.h"
#include "ntt.h"

#define KILN_NTT_LOG_TILE 12       /* innermost pass: up to 12 stages on 4096 contiguous elements */
#define KILN_NTT_MAX_OUTER 8       /* stages per outer pass: 16 x 2^8 = 4096 elements */
#define KILN_NTT_LOG_J 4           /* consecutive j per outer tile */
#define KILN_NTT_TAB (1u << 16)    /* fine / coarse table length */
#define KILN_NTT_LEVELS (1u << 12) /* levels table length */
#define KILN_NTT_MAX_PASSES 4      /* log_n <= 32: 12 + 3 x 8 stages */

typedef struct kiln_ntt_tables {
    const uint64_t *rf, *rc; /* omega^x and omega^(x * 2^16) */
    const uint64_t *lv;      /* lv[h + c] = w_(2h)^c, w_(2h) = omega^(2^32 / 2h) */
    /* g^x and c * g^(x * 2^16): the factor of index idx is sf[lo16] * scs[hi16]; an LDE has one such pair
     * per coset k, at sf + k * KILN_NTT_TAB and scs + k * KILN_NTT_TAB */
    const uint64_t *sf, *scs;
} kiln_ntt_tables;

typedef struct kiln_ntt_pass {
    const uint64_t *in;
    uint64_t *out;
    size_t in_cs, out_cs; /* column strides in elements; in == out is in place */
    size_t ncols;
    unsigned log_n, log_N, r, log_J;
    int dit, pre, post, sc_bitrev; /* scale on load / on store, by bitrev(position) or position */
    /* LDE first pass: each tile read once from in goes through 2^log_cosets cosets (its own scale tables),
     * coset k written at out + k * coset_stride */
    unsigned log_cosets;
    size_t coset_stride;
} kiln_ntt_pass;

/* Table entries (x < KILN_NTT_TAB; lv only for x < KILN_NTT_LEVELS). */
KILN_HD void kiln_ntt_root_entry(unsigned x, uint64_t omega, uint64_t *rf, uint64_t *rc, uint64_t *lv) {
    rf[x] = kiln_gl_pow(omega, x);
    rc[x] = kiln_gl_pow(omega, (uint64_t)x << 16);
    if (x < KILN_NTT_LEVELS) {
        uint64_t v = 1;
        if (x >= 1) {
            unsigned l = 0; /* h = 2^l <= x, w_(2h) = omega^(2^(31 - l)) */
            while ((2u << l) <= x)
                l++;
            v = kiln_gl_pow(omega, (uint64_t)(x - (1u << l)) << (31 - l));
        }
        lv[x] = v;
    }
}

KILN_HD void kiln_ntt_scale_entry(unsigned x, uint64_t g, uint64_t c, uint64_t *sf, uint64_t *scs) {
    sf[x] = kiln_gl_pow(g, x);
    scs[x] = kiln_gl_mul(c, kiln_gl_pow(g, (uint64_t)x << 16));
}

/* The passes of a transform in execution order: log_N, r and log_J of each; returns their number. */
KILN_HD unsigned kiln_ntt_schedule(unsigned log_n, int dit, unsigned *log_N, unsigned *r, unsigned *log_J) {
    unsigned last = log_n < KILN_NTT_LOG_TILE ? log_n : KILN_NTT_LOG_TILE, outer = log_n - last;
    unsigned np = (outer + KILN_NTT_MAX_OUTER - 1) / KILN_NTT_MAX_OUTER;
    unsigned rr[KILN_NTT_MAX_PASSES], ln[KILN_NTT_MAX_PASSES], top = log_n;
    for (unsigned i = 0; i < np; i++) { /* DIF order: widest first, stages split evenly */
        rr[i] = (outer + (np - i) - 1) / (np - i);
        outer -= rr[i];
        ln[i] = top;
        top -= rr[i];
    }
    rr[np] = last;
    ln[np] = last;
    for (unsigned s = 0; s <= np; s++) {
        unsigned i = dit ? np - s : s;
        log_N[s] = ln[i];
        r[s] = rr[i];
        log_J[s] = ln[i] > rr[i] ? KILN_NTT_LOG_J : 0; /* outer passes have m >= 2^12; the innermost m = 1 */
    }
    return np + 1;
}

/* Pass s of np of a transform of ncols columns: in (column stride in_cs) -> out (column stride out_cs), in
 * place after the first pass. With log_cosets > 0 (an LDE; out_cs = coset_stride << log_cosets) the first
 * pass fans each column out to its cosets and the later passes treat every coset as a column of its own. */
KILN_HD kiln_ntt_pass kiln_ntt_pass_make(unsigned s, unsigned np, const unsigned *log_N, const unsigned *r,
                                         const unsigned *log_J, const uint64_t *in, size_t in_cs,
                                         uint64_t *out, size_t out_cs, size_t ncols, unsigned log_n, int dit,
                                         int pre, int post, int sc_bitrev, unsigned log_cosets,
                                         size_t coset_stride) {
    kiln_ntt_pass a;
    a.in = s == 0 ? in : out;
    a.in_cs = s == 0 ? in_cs : (log_cosets ? coset_stride : out_cs);
    a.out = out;
    a.out_cs = (s == 0 || !log_cosets) ? out_cs : coset_stride;
    a.ncols = (s == 0 || !log_cosets) ? ncols : ncols << log_cosets;
    a.log_n = log_n;
    a.log_N = log_N[s];
    a.r = r[s];
    a.log_J = log_J[s];
    a.dit = dit;
    a.pre = pre && s == 0;
    a.post = post && s == np - 1;
    a.sc_bitrev = sc_bitrev;
    a.log_cosets = s == 0 ? log_cosets : 0;
    a.coset_stride = coset_stride;
    return a;
}

KILN_HD size_t kiln_ntt_pass_tiles(const kiln_ntt_pass *a) {
    return a->ncols << (a->log_n - a->log_J - a->r);
}

/* Shared memory a tile needs: data, then (outer passes) twiddles. The innermost pass (J = 1) reads its
 * twiddles, w_(2hk)^c, straight from the levels table, which stays in L1. */
KILN_HD size_t kiln_ntt_pass_smem(const kiln_ntt_pass *a) {
    size_t J = (size_t)1 << a->log_J, R = (size_t)1 << a->r;
    return (J * R + (J > 1 ? J * (R - 1) : 0)) * sizeof(uint64_t);
}

/* Twiddles of stage s: entry jl + J*c. */
KILN_HD const uint64_t *kiln_ntt_stage_tw(const kiln_ntt_pass *a, const kiln_ntt_tables *t,
                                          const uint64_t *tw, unsigned s) {
    const unsigned R = 1u << a->r;
    if (a->log_J == 0) return t->lv + (R >> (s + 1));
    return tw + ((size_t)(R - (R >> s)) << a->log_J);
}

KILN_HD uint64_t kiln_ntt_root_pow(const kiln_ntt_tables *t, uint64_t E) { /* omega^E, E < 2^32 */
    return kiln_gl_mul(t->rf[E & 0xFFFF], t->rc[E >> 16]);
}

KILN_HD uint64_t kiln_ntt_scale_factor(const kiln_ntt_tables *t, size_t pos, unsigned log_n, int bitrev,
                                       unsigned coset) {
    uint64_t idx = bitrev ? kiln_bitrev(pos, log_n) : pos;
    size_t k = (size_t)coset * KILN_NTT_TAB;
    return kiln_gl_mul(t->sf[k + (idx & 0xFFFF)], t->scs[k + (idx >> 16)]);
}

/* Where a tile lives: its column, and the position of its element 0 (base of its sub-array + j0). All sizes
 * are powers of two, so this is shifts and masks (64-bit division is slow on a GPU). */
KILN_HD size_t kiln_ntt_tile_origin(const kiln_ntt_pass *a, size_t tile, size_t *col) {
    unsigned log_tiles = a->log_n - a->log_J - a->r, log_jtiles = a->log_N - a->r - a->log_J;
    size_t tc = tile & (((size_t)1 << log_tiles) - 1);
    *col = tile >> log_tiles;
    return ((tc >> log_jtiles) << a->log_N) + ((tc & (((size_t)1 << log_jtiles) - 1)) << a->log_J);
}

/* Position of element e (= k * J + jl) of a tile: origin + jl + k*m. */
KILN_HD size_t kiln_ntt_tile_pos(const kiln_ntt_pass *a, size_t origin, unsigned e) {
    return origin + (e & ((1u << a->log_J) - 1)) + ((size_t)(e >> a->log_J) << (a->log_N - a->r));
}

/* Phase 1 (thread tid of nt): load the tile (scaling it in a first pass, with the coset's factors) and, in an
 * outer pass, for coset 0, compute its twiddles (the phases leave them alone, so later cosets reuse them).
 * Stage s (halves hk*m = 2^(log_N-1-s) apart, hk = 2^(r-1-s)) has its butterfly (jl, c) use
 * w_(2h)^(j0 + jl + c*m) = w_(2h)^(j0 + jl) * w_(2hk)^c, stored at tw[J*(R - R/2^s) + jl + J*c]. */
KILN_HD void kiln_ntt_pass_load(const kiln_ntt_pass *a, const kiln_ntt_tables *t, size_t tile, unsigned coset,
                                unsigned tid, unsigned nt, uint64_t *data, uint64_t *tw) {
    const unsigned J = 1u << a->log_J, T = J << a->r;
    size_t col, origin = kiln_ntt_tile_origin(a, tile, &col);
    const uint64_t *in = a->in + col * a->in_cs;
    for (unsigned e = tid; e < T; e += nt) {
        size_t pos = kiln_ntt_tile_pos(a, origin, e);
        uint64_t v = in[pos];
        if (a->pre) v = kiln_gl_mul(v, kiln_ntt_scale_factor(t, pos, a->log_n, a->sc_bitrev, coset));
        data[e] = v;
    }
    if (coset || J == 1) return;
    size_t j0 = origin & (((size_t)1 << (a->log_N - a->r)) - 1);
    unsigned off = 0;
    for (unsigned s = 0; s < a->r; s++) {
        const unsigned hk = 1u << (a->r - 1 - s), log_2h = a->log_N - s;
        uint64_t jp = 1; /* w_(2h)^(j0 + jl): once per thread and stage when nt is a multiple of J */
        unsigned last = ~0u;
        for (unsigned e = tid; e < J * hk; e += nt) {
            unsigned jl = e & (J - 1), c = e >> a->log_J;
            if (jl != last) jp = kiln_ntt_root_pow(t, (uint64_t)(j0 + jl) << (32 - log_2h));
            last = jl;
            tw[off + e] = kiln_gl_mul(t->lv[hk + c], jp);
        }
        off += J * hk;
    }
}

/* Phase 2 (once per stage i of the pass, all threads, barrier between): the stage's butterflies. */
KILN_HD void kiln_ntt_pass_stage(const kiln_ntt_pass *a, const kiln_ntt_tables *t, unsigned i, unsigned tid,
                                 unsigned nt, uint64_t *data, const uint64_t *tw) {
    const unsigned J = 1u << a->log_J, R = 1u << a->r, T = J * R;
    const unsigned s = a->dit ? a->r - 1 - i : i, lhk = a->r - 1 - s, hk = 1u << lhk;
    const uint64_t *tws = kiln_ntt_stage_tw(a, t, tw, s);
    for (unsigned b = tid; b < T / 2; b += nt) {
        unsigned jl = b & (J - 1), q = b >> a->log_J;
        unsigned c = q & (hk - 1), klo = ((q >> lhk) << (lhk + 1)) + c;
        unsigned ia = klo * J + jl, ib = ia + hk * J;
        uint64_t w = tws[jl + J * c], u = data[ia], v = data[ib];
        if (a->dit) {
            v = kiln_gl_mul(v, w);
            data[ia] = kiln_gl_add(u, v);
            data[ib] = kiln_gl_sub(u, v);
        } else {
            data[ia] = kiln_gl_add(u, v);
            data[ib] = kiln_gl_mul(kiln_gl_sub(u, v), w);
        }
    }
}

/* Phase 2, two stages at a time: the stages run as phases of radix-4 butterflies (4 values, 4 twiddles
 * per thread and phase), halving the barriers and shared-memory round trips; an odd last stage is radix-2. */
KILN_HD unsigned kiln_ntt_pass_phases(const kiln_ntt_pass *a) {
    return (a->r + 1) / 2;
}

KILN_HD void kiln_ntt_pass_phase(const kiln_ntt_pass *a, const kiln_ntt_tables *t, unsigned ph, unsigned tid,
                                 unsigned nt, uint64_t *data, const uint64_t *tw) {
    const unsigned i = 2 * ph; /* first stage of the phase, in execution order */
    if (i + 1 >= a->r) {
        kiln_ntt_pass_stage(a, t, i, tid, nt, data, tw);
        return;
    }
    const unsigned J = 1u << a->log_J, R = 1u << a->r, T = J * R;
    const unsigned s0 = a->dit ? a->r - 2 - i : i; /* the wider stage; DIT runs s0 + 1 first */
    const unsigned lhk = a->r - 1 - s0, hk = 1u << lhk, h2 = hk >> 1;
    const uint64_t *tw0 = kiln_ntt_stage_tw(a, t, tw, s0), *tw1 = kiln_ntt_stage_tw(a, t, tw, s0 + 1);
    for (unsigned u = tid; u < T / 4; u += nt) {
        /* k0 has bits lhk and lhk-1 clear; the four values are k0, k0 + h2, k0 + hk, k0 + hk + h2 */
        unsigned jl = u & (J - 1), q = u >> a->log_J, c = q & (h2 - 1);
        unsigned k0 = ((q >> (lhk - 1)) << (lhk + 1)) + c;
        unsigned i0 = k0 * J + jl, i1 = i0 + h2 * J, i2 = i0 + hk * J, i3 = i2 + h2 * J;
        uint64_t x0 = data[i0], x1 = data[i1], x2 = data[i2], x3 = data[i3];
        uint64_t w0a = tw0[jl + J * c], w0b = tw0[jl + J * (c + h2)], w1 = tw1[jl + J * c];
        if (a->dit) {
            uint64_t t = kiln_gl_mul(x1, w1), y0 = kiln_gl_add(x0, t), y1 = kiln_gl_sub(x0, t);
            t = kiln_gl_mul(x3, w1);
            uint64_t y2 = kiln_gl_add(x2, t), y3 = kiln_gl_sub(x2, t);
            t = kiln_gl_mul(y2, w0a);
            data[i0] = kiln_gl_add(y0, t);
            data[i2] = kiln_gl_sub(y0, t);
            t = kiln_gl_mul(y3, w0b);
            data[i1] = kiln_gl_add(y1, t);
            data[i3] = kiln_gl_sub(y1, t);
        } else {
            uint64_t y0 = kiln_gl_add(x0, x2), y2 = kiln_gl_mul(kiln_gl_sub(x0, x2), w0a);
            uint64_t y1 = kiln_gl_add(x1, x3), y3 = kiln_gl_mul(kiln_gl_sub(x1, x3), w0b);
            data[i0] = kiln_gl_add(y0, y1);
            data[i1] = kiln_gl_mul(kiln_gl_sub(y0, y1), w1);
            data[i2] = kiln_gl_add(y2, y3);
            data[i3] = kiln_gl_mul(kiln_gl_sub(y2, y3), w1);
        }
    }
}

/* Phase 3: store the tile (scaling it in a last pass). */
KILN_HD void kiln_ntt_pass_store(const kiln_ntt_pass *a, const kiln_ntt_tables *t, size_t tile,
                                 unsigned coset, unsigned tid, unsigned nt, const uint64_t *data) {
    const unsigned T = 1u << (a->log_J + a->r);
    size_t col, origin = kiln_ntt_tile_origin(a, tile, &col);
    uint64_t *out = a->out + col * a->out_cs + coset * a->coset_stride;
    for (unsigned e = tid; e < T; e += nt) {
        size_t pos = kiln_ntt_tile_pos(a, origin, e);
        uint64_t v = data[e];
        if (a->post) v = kiln_gl_mul(v, kiln_ntt_scale_factor(t, pos, a->log_n, a->sc_bitrev, coset));
        out[pos] = v;
    }
}

/* Bit-reversal permutation in 8x8 tiles (log_n >= 6), as kiln_ntt_bitrev_permute does on the host: write
 * i = (a, b, c) with a, c of 3 bits; element (a, b, c) goes to (rev c, rev b, rev a), so the tile of middle
 * part b (8 rows of 8 contiguous elements) swaps with the tile of rev b, transposed with rows and columns
 * reversed. One group of nl lanes handles a pair b <= rev b (the caller skips b > rev b): all lanes load
 * both tiles into A and B (64 elements each), then, after a barrier, store. */
KILN_HD void kiln_ntt_bitrev_tile_load(const uint64_t *v, unsigned log_n, size_t b, unsigned lane,
                                       unsigned nl, uint64_t *A, uint64_t *B) {
    const unsigned sh = log_n - 3;
    size_t br = (size_t)kiln_bitrev(b, log_n - 6);
    for (unsigned e = lane; e < 64; e += nl) {
        size_t off = ((size_t)(e >> 3) << sh) + (e & 7);
        A[e] = v[(b << 3) + off];
        B[e] = v[(br << 3) + off];
    }
}

KILN_HD void kiln_ntt_bitrev_tile_store(uint64_t *v, unsigned log_n, size_t b, unsigned lane, unsigned nl,
                                        const uint64_t *A, const uint64_t *B) {
    const unsigned sh = log_n - 3;
    size_t br = (size_t)kiln_bitrev(b, log_n - 6);
    for (unsigned e = lane; e < 64; e += nl) {
        unsigned a2 = e >> 3, c2 = e & 7;
        unsigned src = (unsigned)kiln_bitrev(c2, 3) * 8 + (unsigned)kiln_bitrev(a2, 3);
        size_t off = ((size_t)a2 << sh) + c2;
        v[(br << 3) + off] = A[src];
        if (br != b) v[(b << 3) + off] = B[src];
    }
}

/* The factors of a forward (shift^idx before the transform) or inverse (n^-1 shift^-idx after it) NTT. */
typedef struct kiln_ntt_scaling {
    int pre, post, sc_bitrev;
    uint64_t g, c;
} kiln_ntt_scaling;

KILN_HD kiln_ntt_scaling kiln_ntt_scaling_for(unsigned log_n, int inverse, uint64_t shift, int dit) {
    kiln_ntt_scaling s;
    s.pre = !inverse && shift != 1;
    s.post = inverse;
    s.g = inverse ? kiln_gl_inv(shift) : shift;
    s.c = inverse ? kiln_ntt_inv_pow2(log_n) : 1;
    /* DIF pre and DIT post see natural positions, DIF post and DIT pre bit-reversed ones */
    s.sc_bitrev = dit ? s.pre : s.post;
    return s;
}

#endif
