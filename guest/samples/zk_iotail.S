# zk_iotail: input_read of at most 5 bytes into two stack words pre-filled with 0xffffffff, whose contents are
# never read again (the ram table holds their final values). With 5 input bytes the second word keeps its top
# three 0xff bytes. Exits with the byte count; a1 = 0.
    .section .text.start, "ax"
    .globl _start
_start:
    addi sp, sp, -16
    li   t0, -1
    sw   t0, 0(sp)
    sw   t0, 4(sp)
    mv   a0, sp
    li   a1, 5
    li   a7, 0x1000         # input_read
    ecall
    li   a1, 0
    li   a7, 93
    ecall
