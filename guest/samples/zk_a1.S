# zk_a1: a plain exit with an arbitrary a1 (no io_digest call): proves exit code 9 with a1 = 0xdeadbeef and
# zero I/O hashes.
    .section .text.start, "ax"
    .globl _start
_start:
    li   a0, 9
    li   a1, 0xdeadbeef
    li   a7, 93
    ecall
