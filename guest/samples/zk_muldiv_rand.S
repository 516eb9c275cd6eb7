# zk_muldiv_rand: every M op on pseudo-random operands. A xorshift32 generator (RV32I only) draws a and b;
# each round runs mul, mulh, mulhsu, mulhu, div, divu, rem, remu on (a, b) and on (a, b >> (a & 31)) (small
# divisors) and folds each result into s0 = rotl(s0, 5) ^ result. Exits with s0; tests/witness/test_zkvm.cpp
# recomputes it with C int64 arithmetic.
    .section .text.start, "ax"
    .globl _start

    .macro FOLD reg
    slli t3, s0, 5
    srli t4, s0, 27
    or   s0, t3, t4
    xor  s0, s0, \reg
    .endm

    .macro XS               # s1 = xorshift32(s1)
    slli t3, s1, 13
    xor  s1, s1, t3
    srli t3, s1, 17
    xor  s1, s1, t3
    slli t3, s1, 5
    xor  s1, s1, t3
    .endm

    .macro OPS a, b
    mul    t2, \a, \b
    FOLD   t2
    mulh   t2, \a, \b
    FOLD   t2
    mulhsu t2, \a, \b
    FOLD   t2
    mulhu  t2, \a, \b
    FOLD   t2
    div    t2, \a, \b
    FOLD   t2
    divu   t2, \a, \b
    FOLD   t2
    rem    t2, \a, \b
    FOLD   t2
    remu   t2, \a, \b
    FOLD   t2
    .endm

_start:
    li   s0, 0x2545f491
    li   s1, 0x9e3779b9
    li   s2, 80             # rounds
1:
    XS
    mv   t0, s1
    XS
    mv   t1, s1
    srl  t5, t1, t0
    OPS  t0, t1
    OPS  t0, t5
    addi s2, s2, -1
    bnez s2, 1b
    mv   a0, s0
    li   a1, 0               # no I/O digest (docs/zkvm-air.md, exit)
    li   a7, 93
    ecall
