# zk_sysbad: a syscall outside the proven set (keccakf on a zeroed stack state); the witness generator must
# refuse it naming the syscall.
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -256
    mv   a0, sp
    li   a7, 0x2001
    ecall
    li   a0, 0
    li   a1, 0
    li   a7, 93
    ecall
