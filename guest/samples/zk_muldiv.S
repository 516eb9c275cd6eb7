# zk_muldiv: hand-written RV32IM for the zkVM AIR's M extension (mul, mulh, mulhsu, mulhu, div, divu, rem,
# remu) and fence. Each case loads two operands, runs one op into t2 and folds the result into s0 with
# s0 = rotl(s0, 5) ^ t2 (RV32I only, so the fold itself uses no M op). Edge cases: division by zero, INT_MIN / -1,
# negative and large operands, high products of 0xffffffff and 0x80000000, rs1 = rs2, rd = rs1, an M op into
# x0 and a fence. Exits with s0; tests/witness/test_zkvm.cpp recomputes it from the same case list with C
# int64 arithmetic. The last seven M ops write registers that are never read again (the tamper tests use them).
    .section .text.start, "ax"
    .globl _start

    .macro FOLD reg
    slli t3, s0, 5
    srli t4, s0, 27
    or   s0, t3, t4
    xor  s0, s0, \reg
    .endm

    .macro CASE op, a, b
    li   t0, \a
    li   t1, \b
    \op  t2, t0, t1
    FOLD t2
    .endm

_start:
    li   s0, 0x2545f491
    CASE mul    0x00000007, 0x00000006
    CASE mul    0xfffffffd, 0x00000005
    CASE mul    0xffffffff, 0xffffffff
    CASE mul    0x80000000, 0x80000000
    CASE mul    0x12345678, 0x9abcdef0
    CASE mul    0x00000000, 0x00001234
    CASE mul    0x80000000, 0xffffffff
    CASE mulh   0xffffffff, 0xffffffff
    CASE mulh   0x80000000, 0x80000000
    CASE mulh   0x80000000, 0x7fffffff
    CASE mulh   0x12345678, 0x9abcdef0
    CASE mulh   0xffffffff, 0x00000001
    CASE mulh   0x7fffffff, 0x7fffffff
    CASE mulh   0x00000000, 0xffffffff
    CASE mulhsu 0xffffffff, 0xffffffff
    CASE mulhsu 0x80000000, 0xffffffff
    CASE mulhsu 0x80000000, 0x80000000
    CASE mulhsu 0x7fffffff, 0xffffffff
    CASE mulhsu 0xfffffffb, 0x00000003
    CASE mulhsu 0x12345678, 0x9abcdef0
    CASE mulhu  0xffffffff, 0xffffffff
    CASE mulhu  0x80000000, 0x80000000
    CASE mulhu  0x80000000, 0xffffffff
    CASE mulhu  0x12345678, 0x9abcdef0
    CASE mulhu  0x00000000, 0xffffffff
    CASE div    0x00000064, 0x00000007
    CASE div    0xffffff9c, 0x00000007
    CASE div    0x00000064, 0xfffffff9
    CASE div    0xffffff9c, 0xfffffff9
    CASE div    0x00000007, 0x00000000
    CASE div    0xfffffff9, 0x00000000
    CASE div    0x80000000, 0xffffffff
    CASE div    0x80000000, 0x00000001
    CASE div    0x80000000, 0x80000000
    CASE div    0x00000005, 0x80000000
    CASE div    0xffffffff, 0xffffffff
    CASE div    0x00000005, 0xffffffff
    CASE div    0x00000000, 0x00000005
    CASE div    0x7fffffff, 0x00000002
    CASE div    0x80000000, 0xfffffffe
    CASE div    0xedcba988, 0x00001234
    CASE divu   0x00000064, 0x00000007
    CASE divu   0xffffffff, 0x00000001
    CASE divu   0xffffffff, 0xffffffff
    CASE divu   0x00000007, 0x00000000
    CASE divu   0x80000000, 0x00000003
    CASE divu   0x00000005, 0x00000009
    CASE divu   0xfffffffe, 0xffffffff
    CASE divu   0x9abcdef0, 0x00001234
    CASE rem    0x00000064, 0x00000007
    CASE rem    0xffffff9c, 0x00000007
    CASE rem    0x00000064, 0xfffffff9
    CASE rem    0xffffff9c, 0xfffffff9
    CASE rem    0x00000007, 0x00000000
    CASE rem    0xfffffff9, 0x00000000
    CASE rem    0x80000000, 0xffffffff
    CASE rem    0x80000000, 0x00000003
    CASE rem    0xffffffff, 0x80000000
    CASE rem    0x00000003, 0xffffffff
    CASE rem    0x80000000, 0x80000000
    CASE rem    0xedcba988, 0x00001234
    CASE remu   0x00000064, 0x00000007
    CASE remu   0x00000007, 0x00000000
    CASE remu   0xffffffff, 0x00010000
    CASE remu   0x80000000, 0xffffffff
    CASE remu   0x00000005, 0x00000009
    CASE remu   0xffffffff, 0xffffffff
    CASE remu   0x9abcdef0, 0x00001234
    # rs1 = rs2 and rd = rs1
    li   t0, 0xfffffffd
    mul  t2, t0, t0         # 9
    FOLD t2
    mulh t2, t0, t0         # 0
    FOLD t2
    li   t0, 0x80000000
    mulhu t0, t0, t0        # 0x40000000
    FOLD t0
    li   t0, -1000
    li   t1, 9
    div  t0, t0, t1         # -111
    FOLD t0
    rem  t1, t0, t1         # -111 % 9 = -3
    FOLD t1
    # an M op into x0 must not change it
    li   t0, 12345
    mul  x0, t0, t0
    divu x0, t0, zero
    FOLD x0
    fence
    li   t2, 0x5a5a5a5a
    FOLD t2
    # results never read again (tamper targets)
    li   t0, 100
    li   t1, 7
    mul  t5, t0, t1
    mulh t6, t0, t1
    divu a1, t0, t1
    rem  a2, t0, t1
    div  a3, t0, t1
    divu a4, t0, zero
    li   t0, -100
    rem  a5, t0, t1
    mv   a0, s0
    li   a1, 0               # no I/O digest (docs/zkvm-air.md, exit)
    li   a7, 93
    ecall
