#include "commands.h"
#include <stdio.h>
int kiln_cmd_tool(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "kiln tool: not built yet\n"); return 2; }
