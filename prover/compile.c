/* Expression graph -> bytecode: nodes in topological order, one instruction each, registers reused after a
 * value's last use (linear scan), base-field ops wherever both operands are base-field values. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"

void kiln_prog_free(kiln_prog *p) {
    if (!p) return;
    free(p->code);
    free(p->consts);
    memset(p, 0, sizeof *p);
}

kiln_status kiln_prog_compile(const kiln_air_table *t, kiln_gl2 lambda, const kiln_gl2 *chal, const uint64_t *pub,
                              const kiln_gl2 *bus_sum, kiln_prog *out) {
    memset(out, 0, sizeof *out);
    size_t nn = t->nnodes;
    uint8_t *need = (uint8_t *)calloc(nn ? nn : 1, 1);
    size_t *last = (size_t *)calloc(nn ? nn : 1, sizeof *last);
    uint32_t *reg = (uint32_t *)malloc((nn ? nn : 1) * sizeof *reg);
    uint32_t *freel = (uint32_t *)malloc((nn ? nn : 1) * sizeof *freel);
    size_t *nroots = (size_t *)calloc(nn ? nn : 1, sizeof *nroots);
    out->code = (kiln_expr_instr *)malloc((nn + t->ncons + 1) * sizeof *out->code);
    out->consts = (kiln_gl2 *)malloc((nn + t->ncons + 1) * sizeof *out->consts);
    kiln_status st = KILN_OK;
    if (!need || !last || !reg || !freel || !nroots || !out->code || !out->consts) {
        st = KILN_ERR_OUT_OF_MEMORY;
        goto done;
    }
    for (size_t k = 0; k < t->ncons; k++) {
        need[t->cons[k].e] = 1;
        last[t->cons[k].e] = t->cons[k].e;
        nroots[t->cons[k].e]++;
    }
    for (size_t i = nn; i-- > 0;) {
        if (!need[i]) continue;
        const kiln_air_node *n = &t->nodes[i];
        if (n->op >= KILN_N_ADD) {
            need[n->a] = 1;
            if (last[n->a] < i) last[n->a] = i;
            if (n->op != KILN_N_NEG) {
                need[n->b] = 1;
                if (last[n->b] < i) last[n->b] = i;
            }
        }
    }
    /* lambda powers in constraint order, then node constants. */
    kiln_gl2 lp = kiln_gl2_make(1, 0);
    for (size_t k = 0; k < t->ncons; k++) {
        out->consts[out->nconsts++] = lp;
        lp = kiln_gl2_mul(lp, lambda);
    }
    size_t nfree = 0;
    uint32_t nregs = 0;
    for (size_t i = 0; i < nn; i++) {
        if (!need[i]) continue;
        const kiln_air_node *n = &t->nodes[i];
        kiln_expr_instr in = {0, 0, 0, 0};
        switch (n->op) {
        case KILN_N_CONST:
        case KILN_N_PUBLIC:
        case KILN_N_CHALLENGE:
        case KILN_N_BUSSUM: {
            kiln_gl2 v = n->op == KILN_N_CONST    ? kiln_gl2_from_base(n->v)
                         : n->op == KILN_N_PUBLIC ? kiln_gl2_from_base(pub[n->a])
                         : n->op == KILN_N_BUSSUM ? bus_sum[n->a]
                                                  : chal[n->a];
            in.op = KILN_OP_LD_CONST;
            in.a = (uint32_t)out->nconsts;
            out->consts[out->nconsts++] = v;
            break;
        }
        case KILN_N_MAIN: in.op = KILN_OP_LD_MAIN; in.a = n->a; in.b = n->b; break;
        case KILN_N_AUX: in.op = KILN_OP_LD_AUX; in.a = n->a; in.b = n->b; break;
        case KILN_N_PRE: in.op = KILN_OP_LD_PRE; in.a = n->a; in.b = n->b; break;
        case KILN_N_PERIODIC: in.op = KILN_OP_LD_PER; in.a = n->a; break;
        case KILN_N_ADD:
        case KILN_N_SUB: {
            int ext = t->nodes[n->a].is_ext || t->nodes[n->b].is_ext;
            in.op = n->op == KILN_N_ADD ? (ext ? KILN_OP_ADD_E : KILN_OP_ADD_B) : (ext ? KILN_OP_SUB_E : KILN_OP_SUB_B);
            in.a = reg[n->a];
            in.b = reg[n->b];
            break;
        }
        case KILN_N_MUL: {
            int ea = t->nodes[n->a].is_ext, eb = t->nodes[n->b].is_ext;
            if (ea && eb) {
                in.op = KILN_OP_MUL_E;
                in.a = reg[n->a];
                in.b = reg[n->b];
            } else if (ea || eb) {
                in.op = KILN_OP_MUL_EB;
                in.a = reg[ea ? n->a : n->b];
                in.b = reg[ea ? n->b : n->a];
            } else {
                in.op = KILN_OP_MUL_B;
                in.a = reg[n->a];
                in.b = reg[n->b];
            }
            break;
        }
        case KILN_N_NEG:
            in.op = t->nodes[n->a].is_ext ? KILN_OP_NEG_E : KILN_OP_NEG_B;
            in.a = reg[n->a];
            break;
        default: st = KILN_ERR_INTERNAL; goto done;
        }
        /* Operands whose last use is this node free their registers before the destination is chosen, so
         * an instruction may overwrite an operand (the evaluators read operands before writing). */
        if (n->op >= KILN_N_ADD) {
            if (last[n->a] == i && !nroots[n->a]) freel[nfree++] = reg[n->a];
            if (n->op != KILN_N_NEG && n->b != n->a && last[n->b] == i && !nroots[n->b]) freel[nfree++] = reg[n->b];
        }
        uint32_t r = nfree ? freel[--nfree] : nregs++;
        reg[i] = r;
        in.dst = r;
        out->code[out->ninstr++] = in;
        if (nroots[i]) {
            for (size_t k = 0; k < t->ncons; k++)
                if (t->cons[k].e == i) {
                    kiln_expr_instr acc = {KILN_OP_ACC, (uint32_t)t->cons[k].dom, r, (uint32_t)k};
                    out->code[out->ninstr++] = acc;
                }
            nroots[i] = 0; /* roots stay live until their consumers are done */
            if (last[i] == i) freel[nfree++] = r;
        }
    }
    out->nregs = nregs ? nregs : 1;
done:
    free(need);
    free(last);
    free(reg);
    free(freel);
    free(nroots);
    if (st != KILN_OK) kiln_prog_free(out);
    return st;
}
