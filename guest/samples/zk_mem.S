# zk_mem: hand-written RV32I for the zkVM AIR's memory image and heap: loads (lw, lh, lhu, lb, lbu) from a
# .rodata table, a .data array updated in place (lw/sw, sb), a .bss array (zero at entry; sw, sh, lhu), heap
# words at the linker's _end and 128 KiB above it (zero at entry; sw, sb, lbu), and the stack. Every result is
# compared with a constant computed by hand; exits with 124 = 44 + 7 + 33 + 33 + 7 (values loaded back from
# data, bss, heap, stack and rodata), or 100 + k on check k failing.
    .section .rodata
    .balign 4
tbl:
    .word 0x11223344
    .word 0x8899aabb
    .word 7

    .data
    .balign 4
arr:
    .word 10, 20, 30, 40

    .bss
    .balign 4
buf:
    .space 32

    .section .text.start, "ax"
    .globl _start
_start:
    la   s0, tbl
    la   s1, arr
    la   s2, buf
    la   s3, _end
    li   a2, 1
    lw   t0, 0(s0)
    li   a4, 0x11223344
    bne  t0, a4, fail
    li   a2, 2
    lh   t0, 4(s0)          # 0xaabb sign-extended
    li   a4, 0xffffaabb
    bne  t0, a4, fail
    li   a2, 3
    lhu  t0, 6(s0)
    li   a4, 0x8899
    bne  t0, a4, fail
    li   a2, 4
    lb   t0, 7(s0)          # 0x88 sign-extended
    li   a4, -120
    bne  t0, a4, fail
    li   a2, 5
    lbu  t0, 5(s0)
    li   a4, 0xaa
    bne  t0, a4, fail
    li   a2, 6
    lw   s4, 8(s0)
    li   a4, 7
    bne  s4, a4, fail
    # .data: arr[i] += i + 1, so 11, 22, 33, 44
    li   a2, 7
    mv   t1, s1
    li   t2, 1
    li   t3, 5
1:  lw   t0, 0(t1)
    add  t0, t0, t2
    sw   t0, 0(t1)
    addi t1, t1, 4
    addi t2, t2, 1
    bne  t2, t3, 1b
    lw   t0, 12(s1)
    li   a4, 44
    bne  t0, a4, fail
    li   a2, 8
    sb   s4, 1(s1)          # arr[0] = 11 | 7 << 8
    lw   t0, 0(s1)
    li   a4, 0x70b
    bne  t0, a4, fail
    # .bss: zero at entry
    li   a2, 9
    lw   t0, 4(s2)
    bne  t0, zero, fail
    li   a2, 10
    sw   s4, 4(s2)          # buf[1] = 7
    lw   t1, 8(s1)          # 33
    sh   t1, 10(s2)         # buf[2] = 33 << 16
    lw   t0, 8(s2)
    li   a4, 0x00210000
    bne  t0, a4, fail
    li   a2, 11
    lhu  t0, 10(s2)
    li   a4, 33
    bne  t0, a4, fail
    # heap: at _end (the rest of the last data page) and 128 KiB above it, zero at entry
    li   a2, 12
    lw   t0, 0(s3)
    bne  t0, zero, fail
    li   a2, 13
    sw   t1, 0(s3)          # 33
    li   t2, 0x20000
    add  t3, s3, t2
    sb   t1, 2(t3)          # 33 << 16 in a fresh word
    lw   t0, 0(s3)
    li   a4, 33
    bne  t0, a4, fail
    li   a2, 14
    lw   t0, 0(t3)
    li   a4, 0x00210000
    bne  t0, a4, fail
    # stack
    li   a2, 15
    addi sp, sp, -16
    sw   t1, 12(sp)
    lw   t0, 12(sp)
    li   a4, 33
    bne  t0, a4, fail
    # fold: arr[3] + buf[1] + heap + stack + tbl[2]
    lw   a0, 12(s1)
    lw   t0, 4(s2)
    add  a0, a0, t0
    lw   t0, 0(s3)
    add  a0, a0, t0
    lw   t0, 12(sp)
    add  a0, a0, t0
    lw   t0, 8(s0)
    add  a0, a0, t0
    li   a1, 0               # no I/O digest (docs/zkvm-air.md, exit)
    li   a7, 93
    ecall
fail:
    addi a0, a2, 100
    li   a1, 0               # no I/O digest (docs/zkvm-air.md, exit)
    li   a7, 93
    ecall
