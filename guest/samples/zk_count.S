# zk_count: a longer loop for bench_zkvm, in the first zkVM AIR slice's subset. 1800 iterations of a
# read-modify-write of a stack word, an add chain and a bounded branch (about 14.4k cycles, one 2^14
# segment). Exits with code 0 when the stored counter equals the iteration count.
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -16
    sw   zero, 0(sp)
    li   t0, 0
    li   t1, 1800
    li   t2, 0
1:  lw   t3, 0(sp)
    addi t3, t3, 1
    sw   t3, 0(sp)
    add  t2, t2, t0
    addi t0, t0, 1
    bltu t0, t1, 1b
    lw   t3, 0(sp)
    sub  a0, t3, t1
    li   a7, 93
    ecall
