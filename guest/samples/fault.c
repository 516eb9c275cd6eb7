/* fault: stores through a null pointer; the VM stops it with an access fault (never exits normally). */
#include "kiln_guest.h"

int main(void) {
    kiln_print("about to fault\n");
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)kiln_input_len(); /* 0 with no input */
    *p = 0xdeadbeef;
    return 0;
}
