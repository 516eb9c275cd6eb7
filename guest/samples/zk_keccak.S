# zk_keccak: the Keccak-f[1600] precompile (a7 = 0x2001) on a 25 x u64 state on the stack, three calls chained
# in place. Lane i starts as (i + 1) + 2^32 * (0x01010101 * i). Exits with the XOR of words 2..49 (lanes
# 1..24; the test recomputes it with kiln_keccak_f1600). Lane 0 of the last output is never read, so the
# tamper tests can change it with the ram table's final value following; no io_digest: no I/O commitment.
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -208
    li   t0, 0              # i
    li   t1, 25
    mv   t2, sp
    li   t3, 0              # hi word = 0x01010101 * i
    li   t4, 0x01010101
1:  addi t5, t0, 1
    sw   t5, 0(t2)
    sw   t3, 4(t2)
    add  t3, t3, t4
    addi t2, t2, 8
    addi t0, t0, 1
    blt  t0, t1, 1b
    li   s0, 3              # calls
2:  mv   a0, sp
    li   a7, 0x2001
    ecall
    addi s0, s0, -1
    bne  s0, zero, 2b
    li   a0, 0              # XOR of words 2..49
    addi t2, sp, 8
    addi t6, sp, 200
3:  lw   t5, 0(t2)
    xor  a0, a0, t5
    addi t2, t2, 4
    bltu t2, t6, 3b
    li   a1, 0
    li   a7, 93
    ecall
