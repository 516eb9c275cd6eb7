/* Shorthand for writing AIR tables in witness/air_*.c: each builder function names its table `t`. Expressions
 * over the current (M) and next (MN) row's main columns, constants and field arithmetic, and W16 for a 32-bit
 * word from two 16-bit limb expressions. Files add their own constraint shorthands (CON, BOOL) on top. */
#ifndef KILN_WITNESS_AIR_DSL_H
#define KILN_WITNESS_AIR_DSL_H

#include "air.h"

#define M(c) kiln_air_main_col(t, (c), 0)
#define MN(c) kiln_air_main_col(t, (c), 1)
#define K(v) kiln_air_const(t, (uint64_t)(v))
#define ADD(a, b) kiln_air_add(t, (a), (b))
#define SUB(a, b) kiln_air_sub(t, (a), (b))
#define MUL(a, b) kiln_air_mul(t, (a), (b))
#define W16(lo, hi) ADD((lo), MUL(K(65536), (hi)))

#endif
