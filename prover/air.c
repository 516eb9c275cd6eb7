/* AIR description: tables, columns, expression graph with shared subexpressions, constraints, LogUp. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "air_internal.h"
#include "poseidon2/poseidon2.h"

static void air_fail(kiln_air *air, const char *fmt, ...) {
    if (!air || air->err[0]) return; /* keep the first error */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(air->err, sizeof air->err, fmt, ap);
    va_end(ap);
}

kiln_status kiln_air_create(const char *name, size_t npub, kiln_air **out) {
    if (!out || !name || npub > 4096) return KILN_ERR_INVALID_ARG;
    kiln_air *a = (kiln_air *)calloc(1, sizeof *a);
    if (!a) return KILN_ERR_OUT_OF_MEMORY;
    snprintf(a->name, sizeof a->name, "%s", name);
    a->npub = npub;
    *out = a;
    return KILN_OK;
}

static void table_free(kiln_air_table *t) {
    if (!t) return;
    free(t->main_names);
    for (size_t i = 0; i < t->nperiodic; i++) free(t->periodic[i].values);
    free(t->periodic);
    free(t->nodes);
    free(t->hash);
    free(t->cons);
    for (size_t i = 0; i < t->ninter; i++) free(t->inter[i].vals);
    free(t->inter);
    free(t->helpers);
    free(t);
}

void kiln_air_destroy(kiln_air *air) {
    if (!air) return;
    for (size_t i = 0; i < air->ntables; i++) table_free(air->tables[i]);
    free(air->tables);
    free(air);
}

const char *kiln_air_name(const kiln_air *air) { return air->name; }
size_t kiln_air_num_public_inputs(const kiln_air *air) { return air->npub; }
const char *kiln_air_error(const kiln_air *air) { return air->err; }

kiln_status kiln_air_add_table(kiln_air *air, const char *name, kiln_air_table **out) {
    if (!air || !name || !out) return KILN_ERR_INVALID_ARG;
    if (air->finalized || air->ntables >= 64) return KILN_ERR_INVALID_ARG;
    kiln_air_table **tt = (kiln_air_table **)realloc(air->tables, (air->ntables + 1) * sizeof *tt);
    if (!tt) return KILN_ERR_OUT_OF_MEMORY;
    air->tables = tt;
    kiln_air_table *t = (kiln_air_table *)calloc(1, sizeof *t);
    if (!t) return KILN_ERR_OUT_OF_MEMORY;
    t->air = air;
    snprintf(t->name, sizeof t->name, "%s", name);
    air->tables[air->ntables++] = t;
    *out = t;
    return KILN_OK;
}

size_t kiln_air_num_tables(const kiln_air *air) { return air->ntables; }
kiln_air_table *kiln_air_table_at(const kiln_air *air, size_t i) { return i < air->ntables ? air->tables[i] : NULL; }
const char *kiln_air_table_name(const kiln_air_table *t) { return t->name; }
size_t kiln_air_num_main(const kiln_air_table *t) { return t->nmain; }
size_t kiln_air_num_pre(const kiln_air_table *t) { return t->npre; }
size_t kiln_air_num_aux(const kiln_air_table *t) { return t->naux; }
unsigned kiln_air_fixed_log_height(const kiln_air_table *t) { return t->npre ? t->pre_log_n : 0; }
unsigned kiln_air_max_degree(const kiln_air_table *t) { return t->max_deg; }
size_t kiln_air_num_constraints(const kiln_air_table *t) { return t->ncons; }
size_t kiln_air_num_interactions(const kiln_air_table *t) { return t->ninter; }
size_t kiln_air_num_global(const kiln_air_table *t) { return t->nglobal; }
int kiln_air_is_optional(const kiln_air_table *t) { return t->optional; }

kiln_status kiln_air_set_optional(kiln_air_table *t) {
    if (!t || t->air->finalized) return KILN_ERR_INVALID_ARG;
    t->optional = 1;
    return KILN_OK;
}
const char *kiln_air_main_name(const kiln_air_table *t, size_t col) { return col < t->nmain ? t->main_names[col] : ""; }

long kiln_air_main_index(const kiln_air_table *t, const char *name) {
    for (size_t i = 0; i < t->nmain; i++)
        if (!strcmp(t->main_names[i], name)) return (long)i;
    return -1;
}

kiln_status kiln_air_add_main(kiln_air_table *t, const char *name, uint32_t *idx) {
    if (!t || !name) return KILN_ERR_INVALID_ARG;
    if (t->air->finalized || t->nmain >= 4096) return KILN_ERR_INVALID_ARG;
    char(*nn)[32] = (char(*)[32])realloc(t->main_names, (t->nmain + 1) * sizeof *nn);
    if (!nn) return KILN_ERR_OUT_OF_MEMORY;
    t->main_names = nn;
    snprintf(nn[t->nmain], 32, "%s", name);
    if (idx) *idx = (uint32_t)t->nmain;
    t->nmain++;
    return KILN_OK;
}

kiln_status kiln_air_set_preprocessed(kiln_air_table *t, size_t ncols, unsigned log_n, kiln_air_pre_fill fill,
                                      void *ctx) {
    if (!t || !fill || ncols == 0 || ncols > 256 || log_n < 2 || log_n > 24 || t->air->finalized)
        return KILN_ERR_INVALID_ARG;
    t->npre = ncols;
    t->pre_log_n = log_n;
    t->pre_fill = fill;
    t->pre_ctx = ctx;
    return KILN_OK;
}

kiln_status kiln_air_add_periodic(kiln_air_table *t, const char *name, const uint64_t *values, size_t period,
                                  uint32_t *idx) {
    (void)name;
    if (!t || !values || period == 0 || period > 1024 || (period & (period - 1)) || t->air->finalized)
        return KILN_ERR_INVALID_ARG;
    kiln_air_periodic *p = (kiln_air_periodic *)realloc(t->periodic, (t->nperiodic + 1) * sizeof *p);
    if (!p) return KILN_ERR_OUT_OF_MEMORY;
    t->periodic = p;
    uint64_t *v = (uint64_t *)malloc(period * sizeof *v);
    if (!v) return KILN_ERR_OUT_OF_MEMORY;
    for (size_t i = 0; i < period; i++) v[i] = kiln_gl_from_u64(values[i]);
    p[t->nperiodic].values = v;
    p[t->nperiodic].period = period;
    if (idx) *idx = (uint32_t)t->nperiodic;
    t->nperiodic++;
    return KILN_OK;
}

/* ---- node arena with hash-consing ---- */

static uint64_t node_key(const kiln_air_node *n) {
    uint64_t h = n->v * 0x9E3779B97F4A7C15ULL;
    h ^= ((uint64_t)n->op << 56) ^ ((uint64_t)n->a << 24) ^ (uint64_t)n->b * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29;
    return h * 0xBF58476D1CE4E5B9ULL;
}

static int node_same(const kiln_air_node *x, const kiln_air_node *y) {
    return x->op == y->op && x->a == y->a && x->b == y->b && x->v == y->v;
}

static int hash_grow(kiln_air_table *t) {
    size_t cap = t->hash_cap ? t->hash_cap * 2 : 256;
    uint32_t *h = (uint32_t *)malloc(cap * sizeof *h);
    if (!h) return 0;
    memset(h, 0xFF, cap * sizeof *h);
    for (size_t i = 0; i < t->nnodes; i++) {
        size_t s = node_key(&t->nodes[i]) & (cap - 1);
        while (h[s] != KILN_EXPR_INVALID) s = (s + 1) & (cap - 1);
        h[s] = (uint32_t)i;
    }
    free(t->hash);
    t->hash = h;
    t->hash_cap = cap;
    return 1;
}

static kiln_expr intern(kiln_air_table *t, kiln_air_node n) {
    if (!t) return KILN_EXPR_INVALID;
    if ((t->nnodes + 1) * 2 > t->hash_cap && !hash_grow(t)) {
        air_fail(t->air, "%s: out of memory", t->name);
        return KILN_EXPR_INVALID;
    }
    size_t s = node_key(&n) & (t->hash_cap - 1);
    while (t->hash[s] != KILN_EXPR_INVALID) {
        if (node_same(&t->nodes[t->hash[s]], &n)) return t->hash[s];
        s = (s + 1) & (t->hash_cap - 1);
    }
    if (t->nnodes >= 1u << 24) {
        air_fail(t->air, "%s: too many expression nodes", t->name);
        return KILN_EXPR_INVALID;
    }
    if (t->nnodes == t->cap_nodes) {
        size_t cap = t->cap_nodes ? t->cap_nodes * 2 : 64;
        kiln_air_node *nn = (kiln_air_node *)realloc(t->nodes, cap * sizeof *nn);
        if (!nn) {
            air_fail(t->air, "%s: out of memory", t->name);
            return KILN_EXPR_INVALID;
        }
        t->nodes = nn;
        t->cap_nodes = cap;
    }
    t->nodes[t->nnodes] = n;
    t->hash[s] = (uint32_t)t->nnodes;
    return (kiln_expr)t->nnodes++;
}

static kiln_air_node leaf(uint8_t op, uint32_t a, uint32_t b, uint64_t v, int ext, unsigned deg) {
    kiln_air_node n;
    n.op = op;
    n.is_ext = (uint8_t)ext;
    n.deg = (uint16_t)deg;
    n.a = a;
    n.b = b;
    n.v = v;
    return n;
}

kiln_expr kiln_air_main_col(kiln_air_table *t, uint32_t col, int next) {
    if (!t) return KILN_EXPR_INVALID;
    if (col >= t->nmain) {
        air_fail(t->air, "%s: main column %u does not exist", t->name, col);
        return KILN_EXPR_INVALID;
    }
    return intern(t, leaf(KILN_N_MAIN, col, next ? 1 : 0, 0, 0, 1));
}

kiln_expr kiln_air_pre_col(kiln_air_table *t, uint32_t col, int next) {
    if (!t) return KILN_EXPR_INVALID;
    if (col >= t->npre) {
        air_fail(t->air, "%s: preprocessed column %u does not exist", t->name, col);
        return KILN_EXPR_INVALID;
    }
    return intern(t, leaf(KILN_N_PRE, col, next ? 1 : 0, 0, 0, 1));
}

kiln_expr kiln_air_periodic_col(kiln_air_table *t, uint32_t idx) {
    if (!t) return KILN_EXPR_INVALID;
    if (idx >= t->nperiodic) {
        air_fail(t->air, "%s: periodic column %u does not exist", t->name, idx);
        return KILN_EXPR_INVALID;
    }
    /* A periodic column's polynomial has degree < n, like a trace column's. */
    return intern(t, leaf(KILN_N_PERIODIC, idx, 0, 0, 0, 1));
}

kiln_expr kiln_air_const(kiln_air_table *t, uint64_t value) {
    return intern(t, leaf(KILN_N_CONST, 0, 0, kiln_gl_from_u64(value), 0, 0));
}

kiln_expr kiln_air_public(kiln_air_table *t, uint32_t idx) {
    if (!t) return KILN_EXPR_INVALID;
    if (idx >= t->air->npub) {
        air_fail(t->air, "%s: public input %u does not exist", t->name, idx);
        return KILN_EXPR_INVALID;
    }
    return intern(t, leaf(KILN_N_PUBLIC, idx, 0, 0, 0, 0));
}

static int valid(kiln_air_table *t, kiln_expr e) {
    if (e == KILN_EXPR_INVALID) return 0;
    if (e >= t->nnodes) {
        air_fail(t->air, "%s: expression handle %u from another table", t->name, e);
        return 0;
    }
    return 1;
}

static kiln_expr binop(kiln_air_table *t, uint8_t op, kiln_expr a, kiln_expr b) {
    if (!t || !valid(t, a) || !valid(t, b)) return KILN_EXPR_INVALID;
    const kiln_air_node *x = &t->nodes[a], *y = &t->nodes[b];
    unsigned deg = op == KILN_N_MUL ? (unsigned)x->deg + y->deg : (x->deg > y->deg ? x->deg : y->deg);
    if (deg > 64) {
        air_fail(t->air, "%s: expression degree above 64", t->name);
        return KILN_EXPR_INVALID;
    }
    /* Canonical operand order for commutative ops, so a+b and b+a share a node. */
    if ((op == KILN_N_ADD || op == KILN_N_MUL) && a > b) {
        kiln_expr s = a;
        a = b;
        b = s;
    }
    return intern(t, leaf(op, a, b, 0, x->is_ext | y->is_ext, deg));
}

kiln_expr kiln_air_add(kiln_air_table *t, kiln_expr a, kiln_expr b) { return binop(t, KILN_N_ADD, a, b); }
kiln_expr kiln_air_sub(kiln_air_table *t, kiln_expr a, kiln_expr b) { return binop(t, KILN_N_SUB, a, b); }
kiln_expr kiln_air_mul(kiln_air_table *t, kiln_expr a, kiln_expr b) { return binop(t, KILN_N_MUL, a, b); }

kiln_expr kiln_air_neg(kiln_air_table *t, kiln_expr a) {
    if (!t || !valid(t, a)) return KILN_EXPR_INVALID;
    const kiln_air_node *x = &t->nodes[a];
    return intern(t, leaf(KILN_N_NEG, a, 0, 0, x->is_ext, x->deg));
}

kiln_expr kiln_air_pow(kiln_air_table *t, kiln_expr a, unsigned e) {
    if (!t || !valid(t, a)) return KILN_EXPR_INVALID;
    if (e == 0) return kiln_air_const(t, 1);
    kiln_expr r = KILN_EXPR_INVALID, base = a;
    while (e) {
        if (e & 1) r = r == KILN_EXPR_INVALID ? base : kiln_air_mul(t, r, base);
        e >>= 1;
        if (e) base = kiln_air_mul(t, base, base);
    }
    return r;
}

unsigned kiln_air_degree(const kiln_air_table *t, kiln_expr e) {
    return (t && e < t->nnodes) ? t->nodes[e].deg : 0;
}

static kiln_status push_constraint(kiln_air_table *t, kiln_air_domain dom, kiln_expr e) {
    if (t->ncons == t->cap_cons) {
        size_t cap = t->cap_cons ? t->cap_cons * 2 : 16;
        kiln_air_constraint *c = (kiln_air_constraint *)realloc(t->cons, cap * sizeof *c);
        if (!c) return KILN_ERR_OUT_OF_MEMORY;
        t->cons = c;
        t->cap_cons = cap;
    }
    unsigned d = t->nodes[e].deg ? t->nodes[e].deg : 1;
    t->cons[t->ncons].dom = dom;
    t->cons[t->ncons].e = e;
    t->cons[t->ncons].deg = d;
    t->ncons++;
    return KILN_OK;
}

/* 1 when the expression reads the next row. */
static int reads_next(const kiln_air_table *t, kiln_expr e) {
    int r = 0;
    /* Nodes are topologically ordered: a forward sweep marking reachability suffices. */
    uint8_t *reach = (uint8_t *)calloc(e + 1, 1);
    if (!reach) return 1;
    reach[e] = 1;
    for (size_t i = e + 1; i-- > 0;) {
        if (!reach[i]) continue;
        const kiln_air_node *n = &t->nodes[i];
        if ((n->op == KILN_N_MAIN || n->op == KILN_N_AUX || n->op == KILN_N_PRE) && n->b) r = 1;
        if (n->op >= KILN_N_ADD) {
            reach[n->a] = 1;
            if (n->op != KILN_N_NEG) reach[n->b] = 1;
        }
    }
    free(reach);
    return r;
}

kiln_status kiln_air_constrain(kiln_air_table *t, kiln_air_domain dom, kiln_expr e, const char *name) {
    if (!t) return KILN_ERR_INVALID_ARG;
    if (t->air->finalized) return KILN_ERR_INVALID_ARG;
    if (!valid(t, e)) {
        air_fail(t->air, "%s: constraint %s has an invalid expression", t->name, name ? name : "?");
        return KILN_ERR_INVALID_ARG;
    }
    if ((unsigned)dom > KILN_AIR_EVERY) return KILN_ERR_INVALID_ARG;
    if (dom != KILN_AIR_TRANSITION && reads_next(t, e)) {
        air_fail(t->air, "%s: constraint %s reads the next row outside a transition", t->name, name ? name : "?");
        return KILN_ERR_INVALID_ARG;
    }
    kiln_status st = push_constraint(t, dom, e);
    if (st != KILN_OK) air_fail(t->air, "%s: out of memory", t->name);
    return st;
}

static kiln_status interact(kiln_air_table *t, uint32_t bus, kiln_expr mult, const kiln_expr *values,
                            size_t nvalues, int global) {
    if (!t || (nvalues && !values) || nvalues > 64 || t->air->finalized) return KILN_ERR_INVALID_ARG;
    if (!valid(t, mult)) return KILN_ERR_INVALID_ARG;
    for (size_t i = 0; i < nvalues; i++)
        if (!valid(t, values[i])) return KILN_ERR_INVALID_ARG;
    if (reads_next(t, mult)) goto next_err;
    for (size_t i = 0; i < nvalues; i++)
        if (reads_next(t, values[i])) goto next_err;
    kiln_air_interaction *ni = (kiln_air_interaction *)realloc(t->inter, (t->ninter + 1) * sizeof *ni);
    if (!ni) return KILN_ERR_OUT_OF_MEMORY;
    t->inter = ni;
    kiln_air_interaction *it = &ni[t->ninter];
    it->bus = bus;
    it->global = global;
    it->mult = mult;
    it->nvals = nvalues;
    it->vals = (kiln_expr *)malloc((nvalues ? nvalues : 1) * sizeof(kiln_expr));
    if (!it->vals) return KILN_ERR_OUT_OF_MEMORY;
    if (nvalues) memcpy(it->vals, values, nvalues * sizeof(kiln_expr));
    t->ninter++;
    return KILN_OK;
next_err:
    air_fail(t->air, "%s: a LogUp interaction may read the current row only", t->name);
    return KILN_ERR_INVALID_ARG;
}

kiln_status kiln_air_interact(kiln_air_table *t, uint32_t bus, kiln_expr mult, const kiln_expr *values,
                              size_t nvalues) {
    return interact(t, bus, mult, values, nvalues, 0);
}

kiln_status kiln_air_interact_global(kiln_air_table *t, uint32_t bus, kiln_expr mult, const kiln_expr *values,
                                     size_t nvalues) {
    return interact(t, bus, mult, values, nvalues, 1);
}

/* ---- LogUp: auxiliary columns and their constraints ---- */

static kiln_expr ext_leaf(kiln_air_table *t, uint8_t op, uint32_t a, uint32_t b, unsigned deg) {
    return intern(t, leaf(op, a, b, 0, 1, deg));
}

/* alpha - (bus + beta*v0 + beta^2*v1 + ...) */
static kiln_expr denominator(kiln_air_table *t, const kiln_air_interaction *it) {
    kiln_expr alpha = ext_leaf(t, KILN_N_CHALLENGE, 0, 0, 0), beta = ext_leaf(t, KILN_N_CHALLENGE, 1, 0, 0);
    kiln_expr fp = kiln_air_const(t, it->bus), bp = beta;
    for (size_t i = 0; i < it->nvals; i++) {
        fp = kiln_air_add(t, fp, kiln_air_mul(t, bp, it->vals[i]));
        if (i + 1 < it->nvals) bp = kiln_air_mul(t, bp, beta);
    }
    return kiln_air_sub(t, alpha, fp);
}

/* Max degree of an interaction's tuple values. */
static unsigned tuple_degree(const kiln_air_table *t, const kiln_air_interaction *it) {
    unsigned d = 0;
    for (size_t k = 0; k < it->nvals; k++)
        if (t->nodes[it->vals[k]].deg > d) d = t->nodes[it->vals[k]].deg;
    return d;
}

/* Helper columns for interactions [lo, hi): pairs share a column when the pair constraint stays within the
 * degree limit. */
static void plan_helpers(kiln_air_table *t, size_t lo, size_t hi, unsigned limit) {
    for (size_t i = lo; i < hi;) {
        const kiln_air_interaction *a = &t->inter[i];
        unsigned d1 = t->nodes[a->mult].deg, dd1 = tuple_degree(t, a);
        size_t cnt = 1;
        if (i + 1 < hi) {
            const kiln_air_interaction *b = a + 1;
            unsigned d2 = t->nodes[b->mult].deg, dd2 = tuple_degree(t, b);
            unsigned dpair = 1 + dd1 + dd2, dnum = (d1 + dd2 > d2 + dd1 ? d1 + dd2 : d2 + dd1);
            if (dpair <= limit && dnum <= limit) cnt = 2;
        }
        t->helpers[t->nhelpers].first = i;
        t->helpers[t->nhelpers].count = cnt;
        t->nhelpers++;
        i += cnt;
    }
}

/* Constraints of helper columns [h0, h1) (aux columns col0..) and of their running sum (aux column col0 +
 * h1 - h0), which ends at the bus sum `which` (0 local, 1 global). */
static kiln_status logup_group(kiln_air_table *t, size_t h0, size_t h1, uint32_t col0, uint32_t which) {
    kiln_status st = KILN_OK;
    kiln_expr sum_cur = KILN_EXPR_INVALID, sum_next = KILN_EXPR_INVALID;
    for (size_t h = h0; h < h1 && st == KILN_OK; h++) {
        const kiln_air_interaction *a = &t->inter[t->helpers[h].first];
        uint32_t col = col0 + (uint32_t)(h - h0);
        kiln_expr hc = ext_leaf(t, KILN_N_AUX, col, 0, 1), hn = ext_leaf(t, KILN_N_AUX, col, 1, 1);
        kiln_expr da = denominator(t, a), c;
        if (t->helpers[h].count == 1) {
            c = kiln_air_sub(t, kiln_air_mul(t, hc, da), a->mult);
        } else {
            const kiln_air_interaction *b = a + 1;
            kiln_expr db = denominator(t, b);
            kiln_expr num = kiln_air_add(t, kiln_air_mul(t, a->mult, db), kiln_air_mul(t, b->mult, da));
            c = kiln_air_sub(t, kiln_air_mul(t, hc, kiln_air_mul(t, da, db)), num);
        }
        if (c == KILN_EXPR_INVALID) return KILN_ERR_OUT_OF_MEMORY;
        st = push_constraint(t, KILN_AIR_EVERY, c);
        sum_cur = sum_cur == KILN_EXPR_INVALID ? hc : kiln_air_add(t, sum_cur, hc);
        sum_next = sum_next == KILN_EXPR_INVALID ? hn : kiln_air_add(t, sum_next, hn);
    }
    uint32_t acc = col0 + (uint32_t)(h1 - h0);
    kiln_expr ac = ext_leaf(t, KILN_N_AUX, acc, 0, 1), an = ext_leaf(t, KILN_N_AUX, acc, 1, 1);
    kiln_expr sum = intern(t, leaf(KILN_N_BUSSUM, which, 0, 0, 1, 0));
    kiln_expr c1 = kiln_air_sub(t, ac, sum_cur);
    kiln_expr c2 = kiln_air_sub(t, kiln_air_sub(t, an, ac), sum_next);
    kiln_expr c3 = kiln_air_sub(t, ac, sum);
    if (c1 == KILN_EXPR_INVALID || c2 == KILN_EXPR_INVALID || c3 == KILN_EXPR_INVALID) return KILN_ERR_OUT_OF_MEMORY;
    if (st == KILN_OK) st = push_constraint(t, KILN_AIR_FIRST, c1);
    if (st == KILN_OK) st = push_constraint(t, KILN_AIR_TRANSITION, c2);
    if (st == KILN_OK) st = push_constraint(t, KILN_AIR_LAST, c3);
    return st;
}

static kiln_status build_logup(kiln_air_table *t, unsigned user_max) {
    if (!t->ninter) return KILN_OK;
    unsigned limit = user_max > 3 ? user_max : 3;
    /* Local interactions first, global ones after (stable: the order within each class is kept). */
    kiln_air_interaction *sorted = (kiln_air_interaction *)malloc(t->ninter * sizeof *sorted);
    t->helpers = (kiln_air_helper *)calloc(t->ninter, sizeof *t->helpers);
    if (!sorted || !t->helpers) {
        free(sorted);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    size_t k = 0;
    for (int g = 0; g < 2; g++)
        for (size_t i = 0; i < t->ninter; i++)
            if (t->inter[i].global == g) sorted[k++] = t->inter[i];
    memcpy(t->inter, sorted, t->ninter * sizeof *sorted);
    free(sorted);
    size_t nlocal = 0;
    while (nlocal < t->ninter && !t->inter[nlocal].global)
        nlocal++;
    t->nglobal = t->ninter - nlocal;
    plan_helpers(t, 0, nlocal, limit);
    t->nhelpers_local = t->nhelpers;
    plan_helpers(t, nlocal, t->ninter, limit);
    size_t hl = t->nhelpers_local, hg = t->nhelpers - hl;
    t->naux = hl + 1 + (t->nglobal ? hg + 1 : 0);
    kiln_status st = logup_group(t, 0, hl, 0, 0);
    if (st == KILN_OK && t->nglobal) st = logup_group(t, hl, t->nhelpers, (uint32_t)(hl + 1), 1);
    return st;
}

static void digest_words(uint64_t *buf, size_t *n, size_t cap, uint64_t w) {
    if (*n < cap) buf[*n] = kiln_gl_from_u64(w);
    (*n)++;
}

static kiln_status compute_digest(kiln_air *air) {
    size_t cap = 16;
    for (size_t i = 0; i < air->ntables; i++) {
        const kiln_air_table *t = air->tables[i];
        cap += 16 + t->nnodes * 5 + t->ncons * 2 + t->nperiodic;
        for (size_t p = 0; p < t->nperiodic; p++) cap += t->periodic[p].period;
    }
    uint64_t *buf = (uint64_t *)malloc(cap * sizeof *buf);
    if (!buf) return KILN_ERR_OUT_OF_MEMORY;
    size_t n = 0;
    digest_words(buf, &n, cap, air->npub);
    digest_words(buf, &n, cap, air->ntables);
    for (size_t i = 0; i < air->ntables; i++) {
        const kiln_air_table *t = air->tables[i];
        digest_words(buf, &n, cap, t->nmain);
        digest_words(buf, &n, cap, t->npre);
        digest_words(buf, &n, cap, t->pre_log_n);
        digest_words(buf, &n, cap, t->naux);
        digest_words(buf, &n, cap, t->nglobal);
        digest_words(buf, &n, cap, (uint64_t)t->optional);
        digest_words(buf, &n, cap, t->nperiodic);
        for (size_t p = 0; p < t->nperiodic; p++) {
            digest_words(buf, &n, cap, t->periodic[p].period);
            for (size_t k = 0; k < t->periodic[p].period; k++) digest_words(buf, &n, cap, t->periodic[p].values[k]);
        }
        digest_words(buf, &n, cap, t->nnodes);
        for (size_t k = 0; k < t->nnodes; k++) {
            const kiln_air_node *nd = &t->nodes[k];
            digest_words(buf, &n, cap, nd->op);
            digest_words(buf, &n, cap, nd->a);
            digest_words(buf, &n, cap, nd->b);
            digest_words(buf, &n, cap, nd->v);
        }
        digest_words(buf, &n, cap, t->ncons);
        for (size_t k = 0; k < t->ncons; k++) {
            digest_words(buf, &n, cap, t->cons[k].dom);
            digest_words(buf, &n, cap, t->cons[k].e);
        }
    }
    if (n > cap) {
        free(buf);
        return KILN_ERR_INTERNAL;
    }
    kiln_poseidon2_hash_var(buf, n, air->digest);
    free(buf);
    return KILN_OK;
}

kiln_status kiln_air_finalize(kiln_air *air) {
    if (!air) return KILN_ERR_INVALID_ARG;
    if (air->finalized) return KILN_OK;
    if (air->err[0]) return KILN_ERR_INVALID_ARG;
    if (air->ntables == 0) {
        air_fail(air, "the AIR has no tables");
        return KILN_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < air->ntables; i++) {
        kiln_air_table *t = air->tables[i];
        if (t->nmain == 0 && t->npre == 0) {
            air_fail(air, "%s: a table needs main or preprocessed columns", t->name);
            return KILN_ERR_INVALID_ARG;
        }
        if (t->nmain == 0) {
            air_fail(air, "%s: a table needs at least one main column", t->name);
            return KILN_ERR_INVALID_ARG;
        }
        if (t->optional && t->npre) {
            air_fail(air, "%s: an optional table cannot have preprocessed columns", t->name);
            return KILN_ERR_INVALID_ARG;
        }
        unsigned user_max = 1;
        for (size_t k = 0; k < t->ncons; k++)
            if (t->cons[k].deg > user_max) user_max = t->cons[k].deg;
        kiln_status st = build_logup(t, user_max);
        if (st != KILN_OK) {
            air_fail(air, "%s: cannot build LogUp columns", t->name);
            return st;
        }
        if (air->err[0]) return KILN_ERR_INVALID_ARG;
        t->max_deg = 1;
        for (size_t k = 0; k < t->ncons; k++)
            if (t->cons[k].deg > t->max_deg) t->max_deg = t->cons[k].deg;
        if (t->ncons == 0) {
            air_fail(air, "%s: a table needs at least one constraint", t->name);
            return KILN_ERR_INVALID_ARG;
        }
    }
    air->finalized = 1;
    return compute_digest(air);
}

void kiln_air_digest(const kiln_air *air, uint64_t out[4]) { memcpy(out, air->digest, sizeof air->digest); }

/* ---- point evaluator (verifier, tests) ---- */

void kiln_air_eval_nodes(const kiln_air_table *t, const kiln_air_point *p, kiln_gl2 *vals) {
    for (size_t i = 0; i < t->nnodes; i++) {
        const kiln_air_node *n = &t->nodes[i];
        kiln_gl2 r = kiln_gl2_make(0, 0);
        switch (n->op) {
        case KILN_N_CONST: r = kiln_gl2_from_base(n->v); break;
        case KILN_N_MAIN: r = n->b ? p->main_next[n->a] : p->main_cur[n->a]; break;
        case KILN_N_AUX: r = n->b ? p->aux_next[n->a] : p->aux_cur[n->a]; break;
        case KILN_N_PRE: r = n->b ? p->pre_next[n->a] : p->pre_cur[n->a]; break;
        case KILN_N_PERIODIC: r = p->periodic[n->a]; break;
        case KILN_N_PUBLIC: r = kiln_gl2_from_base(p->pub[n->a]); break;
        case KILN_N_CHALLENGE: r = p->challenges[n->a]; break;
        case KILN_N_BUSSUM: r = p->bus_sum[n->a]; break;
        case KILN_N_ADD: r = kiln_gl2_add(vals[n->a], vals[n->b]); break;
        case KILN_N_SUB: r = kiln_gl2_sub(vals[n->a], vals[n->b]); break;
        case KILN_N_MUL: r = kiln_gl2_mul(vals[n->a], vals[n->b]); break;
        case KILN_N_NEG: r = kiln_gl2_neg(vals[n->a]); break;
        default: break;
        }
        vals[i] = r;
    }
}
