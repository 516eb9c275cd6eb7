/* `kiln`: one command for the appliance. Subcommands live in cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} kiln_command;

static const kiln_command commands[] = {
    {"demo", kiln_cmd_demo, "run Kiln's main job on its embedded defaults"},
    {"vm", kiln_cmd_vm, "run an RV32IM guest: vm run FILE.elf [--input F] [--max-cycles N] [--trace F]"},
    {"prove", kiln_cmd_prove, "prove a guest run: prove FILE.elf [--segment-log N] [--backend cpu|cuda] [--cache-mb N] --out PROOF"},
    {"verify", kiln_cmd_verify, "verify a guest run proof: verify FILE.elf PROOF [--expect-output HEX] [--expect-exit N]"},
    {"batch", kiln_cmd_batch, "the rollup's STF: batch run BATCH.json [--state DIR] [--witness OUT] [--json] | prove WITNESS --out P | verify P"},
    {"prove-example", kiln_cmd_prove_example, "prove an example AIR: prove-example NAME --log-rows N [--config C] --out F"},
    {"verify-example", kiln_cmd_verify_example, "verify an example proof: verify-example NAME FILE"},
    {"proof", kiln_cmd_proof, "inspect a proof: proof info FILE"},
    {"tool", kiln_cmd_tool, "kernels for people debugging (keccak256, poseidon2-*, merkle-root, ntt)"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: kiln COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("kiln 0.1.0\n");
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "kiln: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
