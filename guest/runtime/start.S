# Guest entry: the VM has set sp; call main and exit with its return value through kiln_exit, which hands the
# input and output hashes to the exit syscall.
    .section .text.start, "ax"
    .globl _start
_start:
    li   sp, 0x80000000
    call main
    call kiln_exit
1:  j 1b
