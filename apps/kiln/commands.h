/* Subcommands of the `kiln` command. Each returns the process exit code. */
#ifndef KILN_APP_COMMANDS_H
#define KILN_APP_COMMANDS_H

int kiln_cmd_tool(int argc, char **argv);
int kiln_cmd_demo(int argc, char **argv);
int kiln_cmd_prove_example(int argc, char **argv);
int kiln_cmd_verify_example(int argc, char **argv);
int kiln_cmd_proof(int argc, char **argv);
int kiln_cmd_vm(int argc, char **argv);
int kiln_cmd_prove(int argc, char **argv);
int kiln_cmd_verify(int argc, char **argv);
int kiln_cmd_batch(int argc, char **argv);

#endif
