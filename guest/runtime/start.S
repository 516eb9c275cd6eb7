# Guest entry: the VM has set sp; call main and exit with its return value (syscall 93).
    .section .text.start, "ax"
    .globl _start
_start:
    li   sp, 0x80000000
    call main
    li   a7, 93
    ecall
1:  j 1b
