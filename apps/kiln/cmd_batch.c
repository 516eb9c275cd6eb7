/* `kiln batch run | prove | verify`: the rollup's state transition on a batch (docs/operations.md, "Batches").
 * run executes BATCH.json's blocks with the bootloader on the state in --state DIR (a new DIR starts from the
 * file's genesis; without --state a temporary one is used and removed), seals the batch, writes the witness
 * (batch input + recorded advice) with --witness, and prints receipts, the touched accounts and the public
 * output. prove makes a batch proof from a witness; verify checks one. Exit codes: 0 ok, 1 refused or
 * invalid, 2 usage. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "file_util.h"

#if defined(HAVE_KILN_SEQUENCER) && defined(HAVE_KILN_BOOTLOADER_IMAGE) && defined(HAVE_KILN_WITNESS)
#include "batch_proof.h"
#include "bootloader_image.h"
#include "protocol/bootloader_output.h"
#include "protocol/tx.h"
#include "sequencer/batch_run.h"

static const char *opt(int argc, char **argv, const char *name) {
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

static int flag(int argc, char **argv, const char *name) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], name)) return 1;
    return 0;
}

static void hex(FILE *f, const uint8_t *b, size_t n) {
    fputs("0x", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", b[i]);
}

/* A 32-byte big-endian quantity as 0x-hex without leading zeros. */
static void quantity(FILE *f, const uint8_t b[32]) {
    size_t i = 0;
    while (i < 31 && b[i] == 0)
        i++;
    fprintf(f, "0x%x", b[i]);
    for (i++; i < 32; i++)
        fprintf(f, "%02x", b[i]);
}

static void print_output(FILE *f, const kiln_bootloader_output *o, int json) {
    const kiln_stored_batch_info *s = &o->stored;
    if (json) {
        fprintf(f, "{\"batch_number\": %llu, \"state_root\": \"", (unsigned long long)s->batch_number);
        hex(f, s->batch_hash, 32);
        fprintf(f, "\", \"index_repeated_storage_changes\": %llu, \"number_of_layer1_txs\": %llu, "
                   "\"priority_operations_hash\": \"",
                (unsigned long long)s->index_repeated_storage_changes, (unsigned long long)s->number_of_layer1_txs);
        hex(f, s->priority_operations_hash, 32);
        fprintf(f, "\", \"l2_logs_tree_root\": \"");
        hex(f, s->l2_logs_tree_root, 32);
        fprintf(f, "\", \"timestamp\": %llu, \"commitment\": \"", (unsigned long long)s->timestamp);
        hex(f, s->commitment, 32);
        fprintf(f, "\", \"prev_batch_info_hash\": \"");
        hex(f, o->prev_stored_hash, 32);
        fprintf(f, "\", \"pubdata_hash\": \"");
        hex(f, o->pubdata_hash, 32);
        fprintf(f, "\", \"chain_id\": %llu, \"last_l2_block\": %llu, \"last_l2_block_hash\": \"",
                (unsigned long long)o->chain_id, (unsigned long long)o->last_block_number);
        hex(f, o->last_block_hash, 32);
        fprintf(f, "\"}");
        return;
    }
    fprintf(f, "batch %llu (chain %llu): state root ", (unsigned long long)s->batch_number,
            (unsigned long long)o->chain_id);
    hex(f, s->batch_hash, 32);
    fprintf(f, ", next leaf index %llu\n", (unsigned long long)s->index_repeated_storage_changes);
    fprintf(f, "  L1 txs %llu, priority ops hash ", (unsigned long long)s->number_of_layer1_txs);
    hex(f, s->priority_operations_hash, 32);
    fprintf(f, "\n  L2->L1 logs root ");
    hex(f, s->l2_logs_tree_root, 32);
    fprintf(f, "\n  timestamp %llu, commitment ", (unsigned long long)s->timestamp);
    hex(f, s->commitment, 32);
    fprintf(f, "\n  previous batch info hash ");
    hex(f, o->prev_stored_hash, 32);
    fprintf(f, "\n  pubdata hash ");
    hex(f, o->pubdata_hash, 32);
    fprintf(f, "\n  last L2 block %llu, hash ", (unsigned long long)o->last_block_number);
    hex(f, o->last_block_hash, 32);
    fprintf(f, "\n");
}

/* The accounts a batch touched, as far as the batch file names them: senders, recipients, deposits and the
 * fee recipient. */
typedef struct addr_set {
    uint8_t (*a)[20];
    size_t n, cap;
} addr_set;

static void addr_add(addr_set *s, const uint8_t a[20]) {
    for (size_t i = 0; i < s->n; i++)
        if (!memcmp(s->a[i], a, 20)) return;
    if (s->n == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 16;
        uint8_t(*na)[20] = (uint8_t(*)[20])realloc(s->a, nc * 20);
        if (!na) return;
        s->a = na, s->cap = nc;
    }
    memcpy(s->a[s->n++], a, 20);
}

static void collect_accounts(const kiln_batch_json *b, addr_set *s) {
    for (size_t i = 0; i < b->n_deposits; i++) {
        addr_add(s, b->deposits[i].from);
        addr_add(s, b->deposits[i].to);
    }
    for (size_t i = 0; i < b->n_blocks; i++)
        for (size_t j = 0; j < b->blocks[i].n_txs; j++) {
            kiln_tx tx;
            uint8_t from[20];
            if (kiln_tx_decode(b->blocks[i].txs[j].raw, b->blocks[i].txs[j].len, &tx, NULL, 0) != KILN_OK) continue;
            if (kiln_tx_sender(&tx, from, NULL, 0) == KILN_OK) addr_add(s, from);
            if (tx.has_to) addr_add(s, tx.to);
        }
    addr_add(s, b->operator_addr);
}

static int remove_tree(const char *path) {
    DIR *d = opendir(path);
    if (!d) return unlink(path);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        remove_tree(p);
    }
    closedir(d);
    return rmdir(path);
}

static int batch_run(int argc, char **argv) {
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: kiln batch run BATCH.json [--state DIR] [--witness OUT] [--json]\n");
        return 2;
    }
    const char *state = opt(argc, argv, "--state"), *wit = opt(argc, argv, "--witness");
    int json = flag(argc, argv, "--json");
    char err[512] = "", tmpdir[] = "/tmp/kiln-batch-XXXXXX";
    uint8_t *text = NULL;
    size_t tlen = 0;
    int rc = 1;
    kiln_batch_run run;
    kiln_vm_program *prog = NULL;
    addr_set accts = {NULL, 0, 0};
    memset(&run, 0, sizeof run);
    if (kiln_app_read_file(argv[1], &text, &tlen) != 0) {
        fprintf(stderr, "kiln batch run: cannot read %s\n", argv[1]);
        return 1;
    }
    if (!state) {
        if (!mkdtemp(tmpdir)) {
            fprintf(stderr, "kiln batch run: cannot make a temporary state directory\n");
            goto done;
        }
        state = tmpdir;
    }
    kiln_status st = kiln_vm_program_from_elf(kiln_bootloader_elf, kiln_bootloader_elf_len, &prog, err, sizeof err);
    if (st != KILN_OK) {
        fprintf(stderr, "kiln batch run: the embedded bootloader: %s\n", err);
        goto done;
    }
    if ((st = kiln_batch_run_json(prog, state, (const char *)text, tlen, &run, err, sizeof err)) != KILN_OK) {
        fprintf(stderr, "kiln batch run: %s\n", err);
        goto done;
    }
    const kiln_batch_exec_result *res = &run.res;
    if (wit) {
        uint8_t *w = NULL;
        size_t wl = 0;
        FILE *f = NULL;
        int ok = kiln_batch_witness_encode(run.input, run.input_len, res->tape, res->tape_len, &w, &wl) == KILN_OK &&
                 (f = fopen(wit, "wb")) && fwrite(w, 1, wl, f) == wl;
        ok = (f && fclose(f) == 0) && ok;
        free(w);
        if (!ok) {
            fprintf(stderr, "kiln batch run: cannot write %s\n", wit);
            goto done;
        }
    }
    collect_accounts(&run.json, &accts);
    FILE *o = stdout;
    if (json) fprintf(o, "{\"receipts\": [");
    for (size_t i = 0; i < res->n_receipts; i++) {
        const kiln_receipt *r = &res->receipts[i];
        if (json) {
            fprintf(o, "%s{\"hash\": \"", i ? ", " : "");
            hex(o, r->hash, 32);
            fprintf(o, "\", \"status\": \"%s\", \"gas_used\": %llu, \"reason\": \"%s\"}",
                    kiln_tx_status_name(r->status), (unsigned long long)r->gas_used, kiln_tx_reason_name(r->reason));
        } else {
            fprintf(o, "tx %u ", r->index);
            hex(o, r->hash, 32);
            fprintf(o, ": %s, gas used %llu%s%s\n", kiln_tx_status_name(r->status), (unsigned long long)r->gas_used,
                    r->reason ? ": " : "", kiln_tx_reason_name(r->reason));
        }
    }
    fprintf(o, json ? "], \"accounts\": {" : "accounts:\n");
    for (size_t i = 0; i < accts.n; i++) {
        uint8_t bal[32];
        uint64_t nonce = 0;
        if (kiln_chain_state_account(&run.state, accts.a[i], bal, &nonce, err, sizeof err) != KILN_OK) {
            fprintf(stderr, "kiln batch run: reading an account: %s\n", err);
            goto done;
        }
        if (json) {
            fprintf(o, "%s\"", i ? ", " : "");
            hex(o, accts.a[i], 20);
            fprintf(o, "\": {\"nonce\": %llu, \"balance\": \"", (unsigned long long)nonce);
            quantity(o, bal);
            fprintf(o, "\"}");
        } else {
            fprintf(o, "  ");
            hex(o, accts.a[i], 20);
            fprintf(o, " nonce %llu balance ", (unsigned long long)nonce);
            quantity(o, bal);
            fprintf(o, "%s\n", !memcmp(accts.a[i], run.json.operator_addr, 20) ? " (fee recipient)" : "");
        }
    }
    if (json) {
        fprintf(o, "}, \"state_root\": \"");
        hex(o, res->out.stored.batch_hash, 32);
        fprintf(o, "\", \"public_output\": ");
        print_output(o, &res->out, 1);
        fprintf(o, ", \"cycles\": %llu, \"pubdata_bytes\": %zu}\n", (unsigned long long)res->vm.cycles,
                res->pubdata_len);
    } else {
        print_output(o, &res->out, 0);
        fprintf(o, "bootloader: %llu cycles, %llu advice requests, %zu bytes of pubdata\n",
                (unsigned long long)res->vm.cycles, (unsigned long long)res->advice_requests, res->pubdata_len);
    }
    rc = 0;
done:
    free(text);
    free(accts.a);
    kiln_vm_program_free(prog);
    kiln_batch_run_free(&run);
    if (state == tmpdir) remove_tree(tmpdir);
    return rc;
}

static int batch_prove(int argc, char **argv) {
    const char *out = opt(argc, argv, "--out"), *bk = opt(argc, argv, "--backend"), *cn = opt(argc, argv, "--config"),
               *sl = opt(argc, argv, "--segment-log");
    if (argc < 2 || argv[1][0] == '-' || !out) {
        fprintf(stderr, "usage: kiln batch prove WITNESS --out PROOF [--backend auto|cpu|cuda] [--config zkvm|test|...] "
                        "[--segment-log N]\n");
        return 2;
    }
    kiln_backend_kind kind = KILN_BACKEND_AUTO;
    if (bk && kiln_backend_kind_parse(bk, &kind) != KILN_OK) {
        fprintf(stderr, "kiln batch prove: unknown backend '%s'\n", bk);
        return 2;
    }
    kiln_batch_proof_opts po;
    kiln_zkvm_run_info info;
    memset(&po, 0, sizeof po);
    memset(&info, 0, sizeof info);
    po.config = cn;
    po.segment_log = sl ? (unsigned)atoi(sl) : 0;
    po.cache_bytes = KILN_ZKVM_RUN_CACHE_DEFAULT;
    po.info = &info;
    if (sl && (po.segment_log < KILN_ZKVM_MIN_SEGMENT_LOG || po.segment_log > KILN_ZKVM_MAX_SEGMENT_LOG)) {
        fprintf(stderr, "kiln batch prove: --segment-log must be %u..%u\n", KILN_ZKVM_MIN_SEGMENT_LOG,
                KILN_ZKVM_MAX_SEGMENT_LOG);
        return 2;
    }
    uint8_t *w = NULL, *proof = NULL;
    size_t wl = 0, pl = 0;
    char err[512] = "";
    int rc = 1;
    kiln_backend *be = NULL;
    if (kiln_app_read_file(argv[1], &w, &wl) != 0) {
        fprintf(stderr, "kiln batch prove: cannot read %s\n", argv[1]);
        return 1;
    }
    kiln_status st = kiln_backend_create(kind, &be);
    if (st != KILN_OK) {
        fprintf(stderr, "kiln batch prove: no backend: %s\n", kiln_status_str(st));
        goto done;
    }
    if ((st = kiln_batch_proof_prove(be, kiln_bootloader_elf, kiln_bootloader_elf_len, w, wl, &po, &proof, &pl, err,
                               sizeof err)) != KILN_OK) {
        fprintf(stderr, "kiln batch prove: %s\n", err);
        goto done;
    }
    FILE *f = fopen(out, "wb");
    int ok = f && fwrite(proof, 1, pl, f) == pl;
    ok = (f && fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "kiln batch prove: cannot write %s\n", out);
        goto done;
    }
    printf("proved %llu cycles in %zu segment%s on %s in %.2f s; %zu bytes, %.1f conjectured bits -> %s\n",
           (unsigned long long)info.cycles, info.nsegments, info.nsegments == 1 ? "" : "s", kiln_backend_describe(be),
           info.seconds, pl, info.security, out);
    rc = 0;
done:
    free(w);
    free(proof);
    kiln_backend_destroy(be);
    return rc;
}

static int batch_verify(int argc, char **argv) {
    const char *er = opt(argc, argv, "--expect-root");
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: kiln batch verify PROOF [--expect-root HEX] [--json]\n");
        return 2;
    }
    uint8_t want[32];
    if (er && !kiln_hex_to_fixed(er, want, 32)) {
        fprintf(stderr, "kiln batch verify: --expect-root must be 32 bytes of hex\n");
        return 2;
    }
    uint8_t *p = NULL;
    size_t pl = 0;
    if (kiln_app_read_file(argv[1], &p, &pl) != 0) {
        fprintf(stderr, "invalid: cannot read %s\n", argv[1]);
        return 1;
    }
    const uint8_t *out = NULL;
    size_t olen = 0;
    char err[512] = "";
    kiln_bootloader_output o;
    int rc = 1;
    kiln_status st = kiln_batch_proof_verify(kiln_bootloader_elf, kiln_bootloader_elf_len, p, pl, 100.0, &out, &olen, NULL,
                                       err, sizeof err);
    if (st != KILN_OK) {
        fprintf(stderr, "invalid: %s\n", err);
    } else if (kiln_bootloader_output_decode(out, olen, &o) != KILN_OK) {
        fprintf(stderr, "invalid: the proof's public output is not a bootloader output\n");
    } else if (er && memcmp(o.stored.batch_hash, want, 32) != 0) {
        fprintf(stderr, "invalid: the proof's state root is not the expected one\n");
    } else {
        printf("valid: ");
        print_output(stdout, &o, flag(argc, argv, "--json"));
        if (flag(argc, argv, "--json")) printf("\n");
        rc = 0;
    }
    free(p);
    return rc;
}

int kiln_cmd_batch(int argc, char **argv) {
    if (argc >= 2 && !strcmp(argv[1], "run")) return batch_run(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "prove")) return batch_prove(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "verify")) return batch_verify(argc - 1, argv + 1);
    fprintf(stderr, "usage: kiln batch run BATCH.json [--state DIR] [--witness OUT] [--json]\n"
                    "       kiln batch prove WITNESS --out PROOF [--backend auto|cpu|cuda] [--config C]\n"
                    "       kiln batch verify PROOF [--expect-root HEX] [--json]\n");
    return 2;
}
#else
int kiln_cmd_batch(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "kiln batch: this build has no bootloader (needs clang/lld for guests) or no sequencer\n");
    return 1;
}
#endif
