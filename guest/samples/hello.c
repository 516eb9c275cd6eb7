/* hello: prints a greeting, commits "hello" as public output, exits 0. */
#include "kiln_guest.h"

int main(void) {
    kiln_print("hello from a kiln guest\n");
    kiln_commit("hello", 5);
    return 0;
}
