# zk_u256z: u256_mulmod with m = 0 (a zero 32-byte buffer on the stack): the VM faults, so the run has no
# witness (and the u256 table's r < m rule could not accept it either).
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -96
    li   t0, 7
    sw   t0, 0(sp)          # a = 7, b = 7 (sp + 32), m = 0 (sp + 64: the stack starts zero)
    sw   t0, 32(sp)
    mv   a0, sp
    mv   a1, sp
    addi a2, sp, 32
    addi a3, sp, 64
    li   a7, 0x2004
    ecall
    li   a0, 0
    li   a1, 0
    li   a7, 93
    ecall
