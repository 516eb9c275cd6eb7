/* `kiln vm run FILE.elf [--input FILE] [--advice TAPE] [--advice-out FILE] [--max-cycles N] [--gas N]
 * [--trace FILE]` Runs a guest (advice replayed from TAPE; the advice it consumed written to --advice-out);
 * prints its exit code, cycles and committed output (hex). Exit status: the guest's exit code, or 120 (usage,
 * file or ELF error), 121 (guest fault), 122 (cycle/gas limit or memory cap). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file_util.h"

#ifdef HAVE_KILN_VM
#include "vm.h"

#define EXIT_BAD 120
#define EXIT_FAULT 121
#define EXIT_LIMIT 122

static void h_debug(void *ctx, const char *text, size_t len) {
    (void)ctx;
    fwrite(text, 1, len, stdout);
    fflush(stdout);
}

static kiln_vm_program *load_elf(const char *path) {
    uint8_t *elf;
    size_t len;
    if (kiln_app_read_file(path, &elf, &len) != 0) {
        fprintf(stderr, "kiln vm: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    kiln_vm_program *p = NULL;
    char err[256];
    kiln_status st = kiln_vm_program_from_elf(elf, len, &p, err, sizeof err);
    free(elf);
    if (st != KILN_OK) {
        fprintf(stderr, "kiln vm: %s: %s\n", path, err[0] ? err : kiln_status_str(st));
        return NULL;
    }
    return p;
}

static void put64(FILE *f, uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    fwrite(b, 1, 8, f);
}

/* One chunk of the trace file (docs/vm-abi.md): "CHNK", counts, then the records as little-endian u32s. */
static int write_chunk(FILE *f, const kiln_vm_trace *t) {
    fwrite("CHNK", 1, 4, f);
    put64(f, t->n_rows);
    put64(f, t->n_syscalls);
    put64(f, t->n_mem);
    /* The rows are arrays of u32 with no padding; hosts are little-endian. */
    fwrite(t->rows, sizeof *t->rows, (size_t)t->n_rows, f);
    for (uint64_t i = 0; i < t->n_syscalls; i++) {
        const kiln_vm_trace_syscall *s = &t->syscalls[i];
        put64(f, s->row);
        fwrite(&s->num, 4, 1, f);
        fwrite(s->args, 4, 7, f);
        fwrite(s->ret, 4, 2, f);
        fwrite(&s->mem_first, 4, 1, f);
        fwrite(&s->mem_count, 4, 1, f);
    }
    fwrite(t->mem, sizeof *t->mem, (size_t)t->n_mem, f);
    return ferror(f) ? -1 : 0;
}

static void usage(void) {
    fprintf(stderr, "usage: kiln vm run FILE.elf [--input FILE] [--max-cycles N] [--gas N] [--trace FILE]\n"
                    "                            [--advice TAPE] [--advice-out FILE]\n"
                    "exit status: the guest's exit code; 120 usage/file/ELF error, 121 guest fault, 122 "
                    "cycle/gas limit\n");
}

static int vm_run(int argc, char **argv) {
    const char *elf_path = NULL, *input_path = NULL, *trace_path = NULL, *advice_path = NULL,
               *advice_out = NULL;
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    int rc = EXIT_BAD;
    kiln_vm_program *prog = NULL;
    kiln_vm *vm = NULL;
    kiln_vm_trace *trace = NULL;
    uint8_t *input = NULL, *advice = NULL;
    size_t input_len = 0, advice_len = 0;
    FILE *tf = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!strcmp(a, "--input") && v) {
            input_path = v;
            i++;
        } else if (!strcmp(a, "--trace") && v) {
            trace_path = v;
            i++;
        } else if (!strcmp(a, "--advice") && v) {
            advice_path = v;
            i++;
        } else if (!strcmp(a, "--advice-out") && v) {
            advice_out = v;
            i++;
        } else if ((!strcmp(a, "--max-cycles") || !strcmp(a, "--gas")) && v) {
            errno = 0;
            unsigned long long n = strtoull(v, &end, 0);
            if (errno || !end || *end || v[0] == '-') {
                fprintf(stderr, "kiln vm: bad number '%s'\n", v);
                goto out;
            }
            if (!strcmp(a, "--gas"))
                cfg.gas_limit = n;
            else
                cfg.max_cycles = n;
            i++;
        } else if (a[0] != '-' && !elf_path) {
            elf_path = a;
        } else {
            usage();
            goto out;
        }
    }
    if (!elf_path) {
        usage();
        goto out;
    }
    if (!(prog = load_elf(elf_path))) goto out;
    if (input_path && kiln_app_read_file(input_path, &input, &input_len) != 0) {
        fprintf(stderr, "kiln vm: cannot read %s: %s\n", input_path, strerror(errno));
        goto out;
    }
    if (advice_path && kiln_app_read_file(advice_path, &advice, &advice_len) != 0) {
        fprintf(stderr, "kiln vm: cannot read %s: %s\n", advice_path, strerror(errno));
        goto out;
    }
    cfg.host.debug = h_debug;
    kiln_status st = kiln_vm_create(prog, &cfg, &vm);
    if (st == KILN_OK) st = kiln_vm_set_input(vm, input, input_len);
    if (st != KILN_OK) {
        fprintf(stderr, "kiln vm: cannot create the VM: %s\n", kiln_status_str(st));
        goto out;
    }
    if (advice_path && (st = kiln_vm_set_advice_tape(vm, advice, advice_len)) != KILN_OK) {
        fprintf(stderr, "kiln vm: %s is not an advice tape (u32 length-prefixed answers)\n", advice_path);
        goto out;
    }
    if (trace_path) {
        tf = fopen(trace_path, "wb");
        uint64_t cap = cfg.max_cycles && cfg.max_cycles < (1u << 20) ? cfg.max_cycles : (1u << 20);
        if (!tf || kiln_vm_trace_create(cap, &trace) != KILN_OK) {
            fprintf(stderr, "kiln vm: cannot open trace %s\n", trace_path);
            goto out;
        }
        fwrite("KILNTRC2", 1, 8, tf);
        kiln_vm_set_trace(vm, trace);
    }
    kiln_vm_result r;
    for (;;) {
        st = kiln_vm_run(vm, &r);
        if (trace) {
            if (write_chunk(tf, trace) != 0) {
                fprintf(stderr, "kiln vm: writing the trace failed\n");
                goto out;
            }
            kiln_vm_trace_clear(trace);
        }
        if (r.stop != KILN_VM_TRACE_FULL) break;
    }
    const uint8_t *outp;
    size_t outn;
    kiln_vm_output(vm, &outp, &outn);
    printf("cycles: %llu\ngas: %llu\noutput: ", (unsigned long long)r.cycles, (unsigned long long)r.gas);
    for (size_t i = 0; i < outn; i++)
        printf("%02x", outp[i]);
    printf("\n");
    if (advice_out) {
        const uint8_t *tp;
        size_t tn;
        kiln_vm_advice_tape(vm, &tp, &tn);
        FILE *af = fopen(advice_out, "wb");
        int ok = af && fwrite(tp, 1, tn, af) == tn;
        ok = (af && fclose(af) == 0) && ok;
        if (!ok) {
            fprintf(stderr, "kiln vm: error writing %s\n", advice_out);
            goto out;
        }
    }
    if (r.stop == KILN_VM_EXITED) {
        printf("exit code: %u\n", r.exit_code);
        rc = (int)(r.exit_code & 0xff);
    } else {
        printf("stopped: %s\n", kiln_vm_stop_str(r.stop));
        fprintf(stderr, "kiln vm: %s: %s\n", st == KILN_ERR_LIMIT ? "limit" : "guest fault", r.msg);
        rc = st == KILN_ERR_LIMIT ? EXIT_LIMIT : EXIT_FAULT;
    }
out:
    if (tf && fclose(tf) != 0 && rc != EXIT_BAD) rc = EXIT_BAD;
    kiln_vm_trace_free(trace);
    kiln_vm_free(vm);
    kiln_vm_program_free(prog);
    free(input);
    free(advice);
    return rc;
}

int kiln_cmd_vm(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "run")) return vm_run(argc - 1, argv + 1);
    usage();
    return argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) ? 0 : EXIT_BAD;
}
#else
int kiln_cmd_vm(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "kiln vm: this build has no VM\n");
    return 2;
}
#endif
