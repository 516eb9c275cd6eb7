# zk_unsupported: executes a CSR read (csrr a0, cycle), which is not RV32IM: the VM faults on it and the zkVM
# witness generator refuses the run naming the instruction ('csr') and its pc.
    .section .text.start, "ax"
    .globl _start
_start:
    li   a0, 1
    .word 0xc0002573        # csrr a0, cycle (as a word, so assemblers without Zicsr accept it)
    li   a1, 0               # no I/O digest (docs/zkvm-air.md, exit)
    li   a7, 93
    ecall
