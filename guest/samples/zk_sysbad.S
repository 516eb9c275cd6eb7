# zk_sysbad: a syscall outside the proven set (storage_read with a zeroed stack key); the witness generator
# must refuse it naming the syscall.
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -256
    mv   a0, sp
    addi a1, sp, 128
    li   a7, 0x3000
    ecall
    li   a0, 0
    li   a1, 0
    li   a7, 93
    ecall
