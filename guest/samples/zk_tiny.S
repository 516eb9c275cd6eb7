# zk_tiny: the smallest program the first zkVM AIR slice proves: a short counted loop, exit code 5.
    .section .text.start, "ax"
    .globl _start
_start:
    li   a0, 0
    li   t0, 5
1:  addi a0, a0, 1
    bne  a0, t0, 1b
    li   a7, 93
    ecall
