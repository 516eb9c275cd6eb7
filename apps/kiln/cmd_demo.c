#include "commands.h"
#include <stdio.h>
int kiln_cmd_demo(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "kiln demo: not built yet\n"); return 2; }
