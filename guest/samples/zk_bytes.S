# zk_bytes: hand-written RV32I for the zkVM AIR's byte and half loads and stores (lb, lbu, lh, lhu, sb, sh) on
# the stack, at every byte offset, with sign extension, plus the first slice's instructions. Results are
# compared with constants computed independently (by hand). Exits with 55, or 100 + k on check k failing.
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -16
    li   t0, 0x80f17f02     # bytes (LE): 02 7f f1 80
    sw   t0, 0(sp)
    li   a2, 1
    lb   a3, 0(sp)
    li   a4, 2
    bne  a3, a4, fail
    li   a2, 2
    lb   a3, 1(sp)
    li   a4, 0x7f
    bne  a3, a4, fail
    li   a2, 3
    lb   a3, 2(sp)          # 0xf1 sign-extended
    li   a4, -15
    bne  a3, a4, fail
    li   a2, 4
    lbu  a3, 3(sp)
    li   a4, 0x80
    bne  a3, a4, fail
    li   a2, 5
    lh   a3, 2(sp)          # 0x80f1 sign-extended
    li   a4, 0xffff80f1
    bne  a3, a4, fail
    li   a2, 6
    lhu  a3, 2(sp)
    li   a4, 0x80f1
    bne  a3, a4, fail
    li   a2, 7
    lh   a3, 0(sp)          # 0x7f02 positive
    li   a4, 0x7f02
    bne  a3, a4, fail
    li   a2, 8
    li   t1, 0x123456ab
    sb   t1, 1(sp)          # only the low byte 0xab: 80 f1 ab 02
    lw   a3, 0(sp)
    li   a4, 0x80f1ab02
    bne  a3, a4, fail
    li   a2, 9
    sb   t1, 3(sp)          # ab f1 ab 02
    lw   a3, 0(sp)
    li   a4, 0xabf1ab02
    bne  a3, a4, fail
    li   a2, 10
    sh   t1, 2(sp)          # only the low half 0x56ab: 56ab ab02
    lw   a3, 0(sp)
    li   a4, 0x56abab02
    bne  a3, a4, fail
    li   a2, 11
    sh   t1, 0(sp)
    lw   a3, 0(sp)
    li   a4, 0x56ab56ab
    bne  a3, a4, fail
    li   a2, 12
    sb   t1, 4(sp)          # a fresh (zero) word
    lbu  a3, 4(sp)
    li   a4, 0xab
    bne  a3, a4, fail
    lw   a3, 4(sp)
    bne  a3, a4, fail
    li   a2, 13
    lb   x0, 2(sp)          # must not change x0
    bne  x0, zero, fail
    li   a0, 55
    li   a7, 93
    ecall
fail:
    addi a0, a2, 100
    li   a7, 93
    ecall
