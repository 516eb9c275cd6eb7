# zk_loop: hand-written RV32I using only the instructions the first zkVM AIR slice proves (add, sub, addi,
# slt, sltu, slti, sltiu, lui, auipc, jal, jalr, beq, bne, blt, bge, bltu, bgeu, lw, sw, exit ecall). Stores
# i*i for i = 0..15 in a stack array, sums them back with loads through a called function (jal/jalr), exercises every branch kind
# both ways, and exits with code (sum 0..15 of i^2 = 1240) - 1240 + 42 = 42, or 99 + k on check failure k.
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -64        # array a[16] on the stack
    li   t0, 0              # i
    li   t1, 16
    li   t2, 0              # i*i by repeated addition: (i+1)^2 = i^2 + 2i + 1
1:
    add  t3, t0, t0
    addi t3, t3, 1
    add  t4, t0, t0         # address offset 4*i
    add  t4, t4, t4
    add  t4, t4, sp
    sw   t2, 0(t4)
    add  t2, t2, t3
    addi t0, t0, 1
    blt  t0, t1, 1b
    mv   a0, sp
    li   a1, 16
    jal  ra, sum_words      # a0 = sum
    li   t5, 1240
    li   a2, 1
    bne  a0, t5, fail
    # branch kinds, each taken and not taken
    li   t0, -5
    li   t1, 3
    li   a2, 2
    bge  t0, t1, fail       # signed: -5 < 3, not taken
    li   a2, 3
    bltu t0, t1, fail       # unsigned: 0xfffffffb > 3, not taken
    li   a2, 4
    bgeu t1, t0, fail
    li   a2, 5
    beq  t0, t1, fail
    blt  t0, t1, 2f
    j    fail
2:  bgeu t0, t1, 3f
    j    fail
3:  bge  t1, t0, 4f
    j    fail
4:  bltu t1, t0, 5f
    j    fail
5:  lui  t6, 0x12345
    auipc a3, 0
    sub  a4, t6, t0         # 0x12345000 + 5
    lui  a5, 0x12345
    addi a5, a5, 5
    li   a2, 6
    bne  a4, a5, fail
    slt  s0, t0, t1         # -5 < 3 signed: 1
    sltu s1, t0, t1         # 0xfffffffb < 3 unsigned: 0
    slti s2, t0, -4         # -5 < -4: 1
    sltiu s3, t1, -1        # 3 < 0xffffffff: 1
    sltiu s5, t1, 3         # 3 < 3: 0
    add  s0, s0, s1
    add  s0, s0, s2
    add  s0, s0, s3
    add  s0, s0, s5
    li   s4, 3
    li   a2, 8
    bne  s0, s4, fail
    addi x0, x0, 5          # must not change x0
    li   a2, 7
    bne  x0, zero, fail
    sub  a0, a0, t5
    addi a0, a0, 42
    li   a7, 93
    ecall
fail:
    addi a0, a2, 99
    li   a7, 93
    ecall

# a0 = sum of a1 words at a0
sum_words:
    li   t0, 0
1:  beq  a1, zero, 2f
    lw   t1, 0(a0)
    add  t0, t0, t1
    addi a0, a0, 4
    addi a1, a1, -1
    j    1b
2:  mv   a0, t0
    ret
