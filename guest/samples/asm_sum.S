# asm_sum: hand-written RV32IM. Sums 1..100 with a loop, checks x0 stays zero, computes a division by zero
# (-1 by the spec), commits the 4-byte sum (5050 = 0x13ba) and exits with code 7.
    .section .text.start, "ax"
    .globl _start
_start:
    li   t0, 0              # sum
    li   t1, 1              # i
    li   t2, 101
1:  add  t0, t0, t1
    addi t1, t1, 1
    bne  t1, t2, 1b
    addi x0, x0, 5          # must not change x0
    bnez x0, fail
    li   t3, 0
    divu t4, t0, t3         # 0xffffffff
    addi t4, t4, 1
    bnez t4, fail
    addi sp, sp, -16
    sw   t0, 0(sp)
    mv   a0, sp
    li   a1, 4
    li   a7, 0x1002         # commit
    ecall
    li   a0, 7
    li   a7, 93
    ecall
fail:
    li   a0, 99
    li   a7, 93
    ecall
