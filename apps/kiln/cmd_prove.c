/* `kiln prove` and `kiln verify`: proofs of zkVM runs (RV32IM and the syscalls of docs/zkvm-air.md), one
 * proof per segment chained through the global memory bus (witness/run.c). The proof file is the run proof of
 * kiln_zkvm_prove_run: "KILNZKVP", u32 version, u32 segment count, per segment its public values and its
 * length-prefixed proof. The verifier rebuilds the AIR and the key from the ELF it is given and recomputes
 * the program hash, so a proof of one program never verifies for another. Hashes are written as 64 hex
 * digits: the 4 elements in order, each as 16 hex digits, most significant first. Exit codes: 0 ok, 1
 * refused/invalid, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file_util.h"

#ifdef HAVE_KILN_WITNESS
#include "prover.h"
#include "zkvm.h"

static void print_hash(const char *label, const uint64_t *h) {
    printf("%s", label);
    for (int k = 0; k < 4; k++)
        printf("%016llx", (unsigned long long)h[k]);
    printf("\n");
}


static const char *opt(int argc, char **argv, const char *name) {
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

/* Loads the ELF and builds the program, the AIR and the key. 0 on failure (message printed). */
static int load_all(const char *cmd, const char *path, kiln_backend *be, const kiln_proof_config *cfg,
                    kiln_zkvm_program **p, kiln_air **air, kiln_proof_vk **vk) {
    uint8_t *elf = NULL;
    size_t len = 0;
    char err[256] = "";
    if (kiln_app_read_file(path, &elf, &len) != 0) {
        fprintf(stderr, "%s: cannot read %s\n", cmd, path);
        return 0;
    }
    kiln_status st = kiln_zkvm_program_load(elf, len, p, err, sizeof err);
    free(elf);
    if (st != KILN_OK) {
        fprintf(stderr, "%s: %s: %s: %s\n", cmd, path, kiln_status_str(st), err);
        return 0;
    }
    if ((st = kiln_zkvm_air_build(*p, air)) != KILN_OK) {
        fprintf(stderr, "%s: cannot build the zkVM AIR: %s\n", cmd, kiln_status_str(st));
        return 0;
    }
    if ((st = kiln_proof_setup(be, *air, cfg, vk)) != KILN_OK) {
        fprintf(stderr, "%s: setup failed: %s\n", cmd, kiln_status_str(st));
        return 0;
    }
    return 1;
}

int kiln_cmd_prove(int argc, char **argv) {
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr,
                "usage: kiln prove FILE.elf [--segment-log N (default: the smallest 2^N <= 2^20 "
                "holding the run, else 2^20-row segments)] [--backend auto|cpu|cuda] [--config "
                "default|fast|l1|test|zkvm]\n"
                "                  [--input FILE] [--advice TAPE (replayed advice answers)] [--cache-mb "
                "N (keep segments between the two passes "
                "within N MiB; 0: never; default 4096)] --out PROOF\n");
        return 2;
    }
    const char *out = opt(argc, argv, "--out"), *sl = opt(argc, argv, "--segment-log"),
               *bk = opt(argc, argv, "--backend"), *cn = opt(argc, argv, "--config"),
               *in = opt(argc, argv, "--input"), *cm = opt(argc, argv, "--cache-mb"),
               *adv = opt(argc, argv, "--advice");
    if (!out) {
        fprintf(stderr, "kiln prove: --out is required\n");
        return 2;
    }
    unsigned seg = 0; /* 0: the smallest segment that holds the run, up to 2^20 */
    if (sl) {
        char *end = NULL;
        unsigned long v = strtoul(sl, &end, 10);
        if (!*sl || *end || v < KILN_ZKVM_MIN_SEGMENT_LOG || v > KILN_ZKVM_MAX_SEGMENT_LOG) {
            fprintf(stderr, "kiln prove: --segment-log must be %u..%u\n", KILN_ZKVM_MIN_SEGMENT_LOG,
                    KILN_ZKVM_MAX_SEGMENT_LOG);
            return 2;
        }
        seg = (unsigned)v;
    }
    size_t cache = KILN_ZKVM_RUN_CACHE_DEFAULT;
    if (cm) {
        char *end = NULL;
        unsigned long long v = strtoull(cm, &end, 10);
        if (!*cm || *end || cm[0] == '-' || v > ((unsigned long long)SIZE_MAX >> 20)) {
            fprintf(stderr, "kiln prove: --cache-mb must be a number of MiB (0: no cache)\n");
            return 2;
        }
        cache = (size_t)v << 20;
    }
    kiln_proof_config cfg;
    if (kiln_proof_config_preset(cn ? cn : "default", &cfg) != KILN_OK) {
        fprintf(stderr, "kiln prove: unknown configuration '%s'\n", cn);
        return 2;
    }
    kiln_backend_kind kind = KILN_BACKEND_AUTO;
    if (bk && kiln_backend_kind_parse(bk, &kind) != KILN_OK) {
        fprintf(stderr, "kiln prove: unknown backend '%s'\n", bk);
        return 2;
    }
    int rc = 1;
    kiln_backend *be = NULL;
    kiln_zkvm_program *p = NULL;
    kiln_air *air = NULL;
    kiln_proof_vk *vk = NULL;
    uint8_t *proof = NULL;
    size_t plen = 0;
    char err[512] = "";
    kiln_status st;
    uint8_t *input = NULL, *advice = NULL;
    size_t input_len = 0, advice_len = 0;
    if (in && kiln_app_read_file(in, &input, &input_len) != 0) {
        fprintf(stderr, "kiln prove: cannot read %s\n", in);
        goto done;
    }
    if (adv && kiln_app_read_file(adv, &advice, &advice_len) != 0) {
        fprintf(stderr, "kiln prove: cannot read %s\n", adv);
        goto done;
    }
    if ((st = kiln_backend_create(kind, &be)) != KILN_OK) {
        fprintf(stderr, "kiln prove: no backend: %s\n", kiln_status_str(st));
        goto done;
    }
    if (!load_all("kiln prove", argv[1], be, &cfg, &p, &air, &vk)) goto done;
    kiln_zkvm_run_opts ro;
    kiln_zkvm_run_info info;
    memset(&ro, 0, sizeof ro);
    memset(&info, 0, sizeof info);
    ro.witness.input = input;
    ro.witness.input_len = input_len;
    ro.witness.advice = advice;
    ro.witness.advice_len = advice_len;
    if (!seg) {
        kiln_zkvm_segment *segs = NULL;
        size_t ns = 0;
        seg = 20;
        ro.witness.segment_log = seg;
        if (kiln_zkvm_split_run(p, &ro.witness, &segs, &ns, err, sizeof err) == KILN_OK && ns == 1) {
            seg = KILN_ZKVM_MIN_SEGMENT_LOG;
            while (((uint64_t)1 << seg) < segs[0].rows)
                seg++;
        }
        free(segs);
    }
    ro.witness.segment_log = seg;
    ro.info = &info;
    ro.cache_bytes = cache;
    if ((st = kiln_zkvm_prove_run(be, vk, p, &ro, &proof, &plen, err, sizeof err)) != KILN_OK) {
        fprintf(stderr, "kiln prove: %s: %s\n",
                st == KILN_ERR_UNSUPPORTED || st == KILN_ERR_FAULT ? "refused" : kiln_status_str(st), err);
        goto done;
    }
    {
        FILE *f = fopen(out, "wb");
        int ok = f && fwrite(proof, 1, plen, f) == plen;
        ok = (f && fclose(f) == 0) && ok;
        if (!ok) {
            fprintf(stderr, "kiln prove: error writing %s\n", out);
            goto done;
        }
    }
    {
        kiln_zkvm_run_summary sum;
        memset(&sum, 0, sizeof sum);
        if ((st = kiln_zkvm_verify_run(vk, p, proof, plen, 0, &sum, err, sizeof err)) != KILN_OK) {
            fprintf(stderr, "kiln prove: internal: the run proof does not verify: %s\n", err);
            goto done;
        }
        printf("%s: %llu cycles in %zu segment%s of 2^%u rows, exit code %llu, proved on %s in %.3f s (%.0f "
               "cycles/s)\n",
               argv[1], (unsigned long long)info.cycles, info.nsegments, info.nsegments == 1 ? "" : "s", seg,
               (unsigned long long)sum.pub[KILN_ZKVM_PUB_EXIT_CODE], kiln_backend_describe(be), info.seconds,
               info.seconds > 0 ? (double)info.cycles / info.seconds : 0.0);
        printf("proof %zu bytes, %.1f conjectured bits -> %s\n", plen, info.security, out);
        if (kiln_zkvm_io_uncommitted(sum.pub)) {
            printf("input/output: not committed (the guest never called io_digest)\n");
        } else {
            print_hash("input hash: ", &sum.pub[KILN_ZKVM_PUB_INPUT_HASH]);
            print_hash("output hash: ", &sum.pub[KILN_ZKVM_PUB_OUTPUT_HASH]);
        }
    }
    rc = 0;
done:
    free(input);
    free(advice);
    free(proof);
    kiln_proof_vk_destroy(vk);
    kiln_air_destroy(air);
    kiln_zkvm_program_free(p);
    kiln_backend_destroy(be);
    return rc;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int kiln_cmd_verify(int argc, char **argv) {
    if (argc < 3 || argv[1][0] == '-' || argv[2][0] == '-') {
        fprintf(stderr,
                "usage: kiln verify FILE.elf PROOF [--input FILE | --input-hash HEX64] [--expect-output HEX]\n"
                "                   [--expect-exit N] [--min-bits B] [--backend auto|cpu|cuda]\n");
        return 2;
    }
    const char *eo = opt(argc, argv, "--expect-output"), *ee = opt(argc, argv, "--expect-exit"),
               *mb = opt(argc, argv, "--min-bits"), *bk = opt(argc, argv, "--backend");
    const char *inf = opt(argc, argv, "--input"), *ihx = opt(argc, argv, "--input-hash");
    if (inf && ihx) {
        fprintf(stderr, "kiln verify: give --input or --input-hash, not both\n");
        return 2;
    }
    /* --input-hash: 4 canonical elements, each 16 hex digits, most significant first. */
    uint64_t want_in[4], want_out[4];
    int have_in = 0, have_out = 0;
    if (ihx) {
        int ok = strlen(ihx) == 64;
        for (int k = 0; k < 4 && ok; k++) {
            uint64_t v = 0;
            for (int j = 0; j < 16 && ok; j++) {
                int d = hexval(ihx[16 * k + j]);
                ok = d >= 0;
                v = v << 4 | (uint64_t)(d < 0 ? 0 : d);
            }
            ok = ok && v < 0xffffffff00000001ull;
            want_in[k] = v;
        }
        if (!ok) {
            fprintf(stderr, "kiln verify: --input-hash must be 64 hex digits (4 canonical elements, each 16 "
                            "digits, most significant first)\n");
            return 2;
        }
        have_in = 1;
    }
    if (inf) {
        uint8_t *ib = NULL;
        size_t il = 0;
        if (kiln_app_read_file(inf, &ib, &il) != 0) {
            fprintf(stderr, "kiln verify: cannot read %s\n", inf);
            return 1;
        }
        kiln_zkvm_input_hash(ib, il, want_in);
        free(ib);
        have_in = 1;
    }
    if (eo) {
        size_t l = strlen(eo);
        for (size_t i = 0; i < l; i++)
            if (hexval(eo[i]) < 0 || l % 2) {
                fprintf(stderr, "kiln verify: --expect-output must be hex bytes\n");
                return 2;
            }
        uint8_t *ob = (uint8_t *)malloc(l / 2 + 1);
        if (!ob) return 1;
        for (size_t i = 0; i < l / 2; i++)
            ob[i] = (uint8_t)(hexval(eo[2 * i]) << 4 | hexval(eo[2 * i + 1]));
        kiln_zkvm_output_hash(ob, l / 2, want_out);
        free(ob);
        have_out = 1;
    }
    double min_bits = 100;
    if (mb) min_bits = atof(mb);
    kiln_backend_kind kind = KILN_BACKEND_CPU;
    if (bk && kiln_backend_kind_parse(bk, &kind) != KILN_OK) {
        fprintf(stderr, "kiln verify: unknown backend '%s'\n", bk);
        return 2;
    }
    uint8_t *b = NULL;
    size_t len = 0;
    if (kiln_app_read_file(argv[2], &b, &len) != 0) {
        fprintf(stderr, "invalid: cannot read %s\n", argv[2]);
        return 1;
    }
    int rc = 1;
    kiln_backend *be = NULL;
    kiln_zkvm_program *p = NULL;
    kiln_air *air = NULL;
    kiln_proof_vk *vk = NULL;
    char err[512] = "";
    const uint64_t *pub = NULL;
    kiln_zkvm_run_summary sum;
    memset(&sum, 0, sizeof sum);
    /* The configuration comes from the first segment's proof; every segment must match the key built with it.
     */
    const uint8_t *proof0 = NULL;
    size_t plen0 = 0, nseg = 0;
    kiln_status st = kiln_zkvm_run_parse(b, len, &nseg, NULL, NULL, NULL, err, sizeof err);
    if (st == KILN_OK) {
        uint64_t(*pubs)[KILN_ZKVM_NPUB] = (uint64_t(*)[KILN_ZKVM_NPUB])calloc(nseg, sizeof *pubs);
        const uint8_t **prs = (const uint8_t **)calloc(nseg, sizeof *prs);
        size_t *pls = (size_t *)calloc(nseg, sizeof *pls);
        st = pubs && prs && pls ? kiln_zkvm_run_parse(b, len, &nseg, pubs, prs, pls, err, sizeof err)
                                : KILN_ERR_OUT_OF_MEMORY;
        if (st == KILN_OK) proof0 = prs[0], plen0 = pls[0];
        free(pubs);
        free(prs);
        free(pls);
    }
    if (st != KILN_OK) {
        fprintf(stderr, "invalid: %s: %s\n", argv[2], err);
        goto done;
    }
    kiln_proof_info info;
    if ((st = kiln_proof_inspect(proof0, plen0, &info, err, sizeof err)) != KILN_OK) {
        fprintf(stderr, "invalid: segment 1: %s\n", err);
        goto done;
    }
    if ((st = kiln_backend_create(kind, &be)) != KILN_OK) {
        fprintf(stderr, "kiln verify: no backend: %s\n", kiln_status_str(st));
        goto done;
    }
    /* The key is rebuilt from the ELF with the configuration the proof names; min_bits guards against weak
     * configurations. */
    if (kiln_proof_config_check(&info.config) != KILN_OK) {
        fprintf(stderr, "invalid: the proof's configuration is not valid\n");
        goto done;
    }
    if (!load_all("invalid", argv[1], be, &info.config, &p, &air, &vk)) goto done;
    if ((st = kiln_zkvm_verify_run(vk, p, b, len, min_bits, &sum, err, sizeof err)) != KILN_OK) {
        fprintf(stderr, "invalid: %s: %s\n", kiln_status_str(st), err);
        goto done;
    }
    pub = sum.pub;
    /* I/O: an uncommitted proof (all-zero hashes) is refused when an input or a non-empty output is expected;
     * --expect-output '' means "no check" for it and "empty output" for a committed proof. */
    {
        int unc = kiln_zkvm_io_uncommitted(pub);
        const uint64_t *ei = have_in ? want_in : NULL;
        const uint64_t *eout = have_out && (eo[0] || !unc) ? want_out : NULL;
        if ((st = kiln_zkvm_check_io(pub, ei, eout, err, sizeof err)) != KILN_OK) {
            fprintf(stderr, "invalid: %s\n", err);
            goto done;
        }
    }
    if (ee) {
        char *end = NULL;
        unsigned long long v = strtoull(ee, &end, 0);
        if (!*ee || *end || v != pub[KILN_ZKVM_PUB_EXIT_CODE]) {
            fprintf(stderr, "invalid: exit code %llu, expected %s\n",
                    (unsigned long long)pub[KILN_ZKVM_PUB_EXIT_CODE], ee);
            goto done;
        }
    }
    printf("valid: %s ran from pc 0x%08llx to an exit at pc 0x%08llx with exit code %llu (%zu segment%s)\n",
           argv[1], (unsigned long long)pub[KILN_ZKVM_PUB_START_PC],
           (unsigned long long)pub[KILN_ZKVM_PUB_END_PC], (unsigned long long)pub[KILN_ZKVM_PUB_EXIT_CODE],
           sum.nsegments, sum.nsegments == 1 ? "" : "s");
    if (kiln_zkvm_io_uncommitted(pub)) {
        printf("input/output: not committed\n");
    } else {
        print_hash("input hash: ", &pub[KILN_ZKVM_PUB_INPUT_HASH]);
        print_hash("output hash: ", &pub[KILN_ZKVM_PUB_OUTPUT_HASH]);
    }
    rc = 0;
done:
    kiln_proof_vk_destroy(vk);
    kiln_air_destroy(air);
    kiln_zkvm_program_free(p);
    kiln_backend_destroy(be);
    free(b);
    return rc;
}

#else
int kiln_cmd_prove(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "kiln prove: this build has no zkVM prover (witness/)\n");
    return 1;
}
int kiln_cmd_verify(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "kiln verify: this build has no zkVM prover (witness/)\n");
    return 1;
}
#endif
