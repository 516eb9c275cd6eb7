# zk_rostore: stores into its own .rodata, which the VM refuses (a fault) and the zkVM AIR must not prove.
# Tests patch the ELF to make .rodata writable (then it exits with 14 = 5 + 9) and show that a proof built from
# that run does not verify against the unpatched program's key.
    .section .rodata
    .balign 4
ro:
    .word 5

    .data
    .balign 4
rw:
    .word 9

    .section .text.start, "ax"
    .globl _start
_start:
    la   s0, ro
    la   s1, rw
    lw   t0, 0(s1)
    lw   t1, 0(s0)
    add  t1, t1, t0
    sw   t1, 0(s0)          # the VM faults here: .rodata is read-only
    lw   a0, 0(s0)
    li   a1, 0               # no I/O digest (docs/zkvm-air.md, exit)
    li   a7, 93
    ecall
