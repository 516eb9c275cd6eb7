# zk_shift: hand-written RV32I for the zkVM AIR's shifts (sll, srl, sra, slli, srli, srai) plus the first
# slice's instructions. Each result is compared with a constant computed independently (Python); register
# shift amounts use their low 5 bits only (0x25 -> 5, 35 -> 3). Exits with 66, or 100 + k on check k failing.
    .section .text.start, "ax"
    .globl _start
_start:
    li   t0, 0x87654321
    li   t1, 0x12345678
    li   t2, 7
    li   a2, 1
    sll  a3, t0, t2
    li   a4, 0xb2a19080
    bne  a3, a4, fail
    li   a2, 2
    srl  a3, t0, t2
    li   a4, 0x010eca86
    bne  a3, a4, fail
    li   a2, 3
    sra  a3, t0, t2
    li   a4, 0xff0eca86
    bne  a3, a4, fail
    li   a2, 4
    sll  a3, t0, zero       # shift by 0
    bne  a3, t0, fail
    li   a2, 5
    li   t3, 31
    sra  a3, t0, t3
    li   a4, -1
    bne  a3, a4, fail
    li   a2, 6
    srl  a3, t0, t3
    li   a4, 1
    bne  a3, a4, fail
    li   a2, 7
    slli a3, t1, 31
    bne  a3, zero, fail
    li   a2, 8
    srli a3, t0, 16
    li   a4, 0x8765
    bne  a3, a4, fail
    li   a2, 9
    srai a3, t0, 4
    li   a4, 0xf8765432
    bne  a3, a4, fail
    li   a2, 10
    srai a3, t1, 3          # positive operand
    li   a4, 0x02468acf
    bne  a3, a4, fail
    li   a2, 11
    li   t4, 0x25           # only the low 5 bits count: 5
    sll  a3, t1, t4
    li   a4, 0x468acf00
    bne  a3, a4, fail
    li   a2, 12
    li   t4, 35             # 3
    sra  a3, t0, t4
    li   a4, 0xf0eca864
    bne  a3, a4, fail
    li   a2, 13
    srli x0, t0, 1          # must not change x0
    bne  x0, zero, fail
    li   a0, 66
    li   a7, 93
    ecall
fail:
    addi a0, a2, 100
    li   a7, 93
    ecall
