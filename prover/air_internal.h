/* Internal layout of an AIR, shared by the prover's files (not a public header). */
#ifndef KILN_AIR_INTERNAL_H
#define KILN_AIR_INTERNAL_H

#include "air.h"
#include "field/goldilocks_ext2.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    KILN_N_CONST = 0, /* v */
    KILN_N_MAIN,      /* a = col, b = next */
    KILN_N_AUX,       /* a = ext col, b = next */
    KILN_N_PRE,       /* a = col, b = next */
    KILN_N_PERIODIC,  /* a = idx */
    KILN_N_PUBLIC,    /* a = idx */
    KILN_N_CHALLENGE, /* a = idx (0 = alpha, 1 = beta) */
    KILN_N_BUSSUM,    /* the table's LogUp sum (extension): a = 0 local buses, 1 global buses */
    KILN_N_ADD,
    KILN_N_SUB,
    KILN_N_MUL,
    KILN_N_NEG
};

typedef struct kiln_air_node {
    uint8_t op, is_ext;
    uint16_t deg;
    uint32_t a, b;
    uint64_t v;
} kiln_air_node;

typedef struct kiln_air_constraint {
    kiln_air_domain dom;
    kiln_expr e;
    unsigned deg;
} kiln_air_constraint;

typedef struct kiln_air_interaction {
    uint32_t bus;
    int global; /* balances across proofs (kiln_air_interact_global), not within this one */
    kiln_expr mult;
    kiln_expr *vals;
    size_t nvals;
} kiln_air_interaction;

typedef struct kiln_air_periodic {
    uint64_t *values;
    size_t period;
} kiln_air_periodic;

/* LogUp helper column j sums interactions [first, first + count). Local interactions come first (helpers
 * [0, nhelpers_local)), global ones after; aux columns: local helpers, local running sum, then (when the table
 * has global interactions) global helpers, global running sum. */
typedef struct kiln_air_helper {
    size_t first, count;
} kiln_air_helper;

struct kiln_air_table {
    kiln_air *air;
    char name[64];
    char (*main_names)[32];
    size_t nmain, npre, naux;
    unsigned pre_log_n;
    kiln_air_pre_fill pre_fill;
    void *pre_ctx;
    kiln_air_periodic *periodic;
    size_t nperiodic;
    kiln_air_node *nodes;
    size_t nnodes, cap_nodes;
    uint32_t *hash;  /* open-addressing index of nodes, for sharing common subexpressions */
    size_t hash_cap;
    kiln_air_constraint *cons;
    size_t ncons, cap_cons;
    kiln_air_interaction *inter;
    size_t ninter;
    kiln_air_helper *helpers;
    size_t nhelpers, nhelpers_local, nglobal; /* nglobal: global interactions */
    int optional; /* may be absent from a proof (kiln_air_set_optional) */
    unsigned max_deg;
};

struct kiln_air {
    char name[64];
    size_t npub;
    kiln_air_table **tables;
    size_t ntables;
    int finalized;
    char err[256];
    uint64_t digest[4];
};

/* Evaluates every node of a table at one point, in the extension (nodes are in topological order).
 * Leaf values come from the arrays (ext values; cur/next per column). vals must hold t->nnodes entries. */
typedef struct kiln_air_point {
    const kiln_gl2 *main_cur, *main_next; /* nmain */
    const kiln_gl2 *aux_cur, *aux_next;   /* naux */
    const kiln_gl2 *pre_cur, *pre_next;   /* npre */
    const kiln_gl2 *periodic;             /* nperiodic */
    const uint64_t *pub;                  /* air npub */
    const kiln_gl2 *challenges;           /* 2 */
    const kiln_gl2 *bus_sum;              /* 2: local, global */
} kiln_air_point;
void kiln_air_eval_nodes(const kiln_air_table *t, const kiln_air_point *p, kiln_gl2 *vals);

#ifdef __cplusplus
}
#endif
#endif
