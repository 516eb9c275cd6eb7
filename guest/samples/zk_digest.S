# zk_digest: io_digest early in a longer run. Fills a 16-word block on the stack with 1..16 (element k = (2k + 1)
# | (2k + 2) << 32), publishes it with io_digest, then loops 100 times (so that a run of small segments has the
# call in an early segment and the exit in a later one) and exits with code 3 and a1 = 0x1234.
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -64
    li   t0, 0
    li   t1, 16
1:  slli t2, t0, 2
    add  t2, sp, t2
    addi t3, t0, 1
    sw   t3, 0(t2)
    addi t0, t0, 1
    bltu t0, t1, 1b
    mv   a0, sp
    li   a7, 0x1005         # io_digest
    ecall
    li   t0, 100
2:  addi t0, t0, -1
    bnez t0, 2b
    li   a0, 3
    li   a1, 0x1234
    li   a7, 93
    ecall
