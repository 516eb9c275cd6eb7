# zk_sysbad: a syscall number the VM does not know (a7 = 0x3000): the VM faults on it and the witness
# generator refuses the run naming the fault and its pc.
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
