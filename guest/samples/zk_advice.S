# zk_advice: one advice call (request "hi", capacity 8) into a stack buffer; exits with the first answer word
# plus 256 times the answer's length (a1 = the second word).
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -32
    li   t0, 0x6968         # request "hi" at sp + 16
    sw   t0, 16(sp)
    mv   a0, sp             # out
    li   a1, 8              # capacity
    addi a2, sp, 16         # request
    li   a3, 2
    li   a7, 0x1004         # advice
    ecall
    slli t1, a0, 8
    lw   a0, 0(sp)
    add  a0, a0, t1
    lw   a1, 4(sp)
    li   a7, 93
    ecall
