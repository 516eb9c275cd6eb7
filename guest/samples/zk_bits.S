# zk_bits: hand-written RV32I for the zkVM AIR's bitwise ops (and, or, xor, andi, ori, xori) plus the first
# slice's instructions. Each result is compared with a constant computed independently (by hand / Python);
# exits with 77 when every check passes, or 100 + k on check k failing.
    .section .text.start, "ax"
    .globl _start
_start:
    li   t0, 0x12345678
    li   t1, 0xf0f0ff00
    li   t2, 0x80000001
    li   a2, 1
    and  a3, t0, t1
    li   a4, 0x10305600
    bne  a3, a4, fail
    li   a2, 2
    or   a3, t0, t1
    li   a4, 0xf2f4ff78
    bne  a3, a4, fail
    li   a2, 3
    xor  a3, t0, t1
    li   a4, 0xe2c4a978
    bne  a3, a4, fail
    li   a2, 4
    andi a3, t0, -16        # sign-extended immediate 0xfffffff0
    li   a4, 0x12345670
    bne  a3, a4, fail
    li   a2, 5
    ori  a3, t2, 0x7ff
    li   a4, 0x800007ff
    bne  a3, a4, fail
    li   a2, 6
    xori a3, t0, -1         # not
    li   a4, 0xedcba987
    bne  a3, a4, fail
    li   a2, 7
    xori a3, t2, -2048
    li   a4, 0x7ffff801
    bne  a3, a4, fail
    li   a2, 8
    andi a3, t1, 0xff
    bne  a3, zero, fail
    li   a2, 9
    xor  a3, t0, t0         # x ^ x = 0
    bne  a3, zero, fail
    li   a2, 10
    or   x0, t0, t1         # must not change x0
    bne  x0, zero, fail
    li   a0, 77
    li   a7, 93
    ecall
fail:
    addi a0, a2, 100
    li   a7, 93
    ecall
