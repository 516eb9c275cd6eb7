/* `kiln prove-example`, `kiln verify-example` and `kiln proof info`: the proof system on its example AIRs.
 * An example proof file is "KILNEXPF", u32 count, that many u64 public inputs (little-endian), then the proof
 * bytes; `kiln proof info` also reads bare proofs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file_util.h"

#ifdef HAVE_KILN_PROVER
#include "examples/examples.h"
#include "prover.h"

static const char FILE_MAGIC[8] = {'K', 'I', 'L', 'N', 'E', 'X', 'P', 'F'};


/* Splits an example file into public inputs and proof bytes. 0 when it is not one. */
static int split_file(const uint8_t *b, size_t len, uint64_t *pub, size_t maxpub, size_t *npub, const uint8_t **proof,
                      size_t *plen) {
    if (len < 12 || memcmp(b, FILE_MAGIC, 8)) return 0;
    uint32_t n = (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
    if (n > maxpub || (len - 12) / 8 < n) return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t v = 0;
        for (int k = 0; k < 8; k++) v |= (uint64_t)b[12 + 8 * i + k] << (8 * k);
        pub[i] = v;
    }
    *npub = n;
    *proof = b + 12 + 8 * (size_t)n;
    *plen = len - 12 - 8 * (size_t)n;
    return 1;
}

static const char *arg_value(int argc, char **argv, const char *name) {
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], name)) return argv[i + 1];
    return NULL;
}

int kiln_cmd_prove_example(int argc, char **argv) {
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: kiln prove-example NAME --log-rows N [--config default|fast|l1] [--backend auto|cpu|cuda]\n"
                        "                          [--min-bits B] --out FILE\nexamples:");
        for (const char *const *n = kiln_example_names; *n; n++) fprintf(stderr, " %s", *n);
        fprintf(stderr, "\n");
        return 2;
    }
    const char *name = argv[1], *lr = arg_value(argc, argv, "--log-rows"), *cfgname = arg_value(argc, argv, "--config"),
               *out = arg_value(argc, argv, "--out"), *bk = arg_value(argc, argv, "--backend"),
               *mb = arg_value(argc, argv, "--min-bits");
    if (!lr || !out) {
        fprintf(stderr, "kiln prove-example: --log-rows and --out are required\n");
        return 2;
    }
    unsigned log_rows = (unsigned)atoi(lr);
    kiln_proof_config cfg;
    if (kiln_proof_config_preset(cfgname ? cfgname : "default", &cfg) != KILN_OK) {
        fprintf(stderr, "kiln prove-example: unknown configuration '%s'\n", cfgname);
        return 2;
    }
    kiln_backend_kind kind = KILN_BACKEND_AUTO;
    if (bk && kiln_backend_kind_parse(bk, &kind) != KILN_OK) {
        fprintf(stderr, "kiln prove-example: unknown backend '%s'\n", bk);
        return 2;
    }
    kiln_example ex;
    kiln_status st = kiln_example_build(name, log_rows, 1, &ex);
    if (st != KILN_OK) {
        fprintf(stderr, "kiln prove-example: cannot build example '%s' at 2^%u rows: %s\n", name, log_rows,
                kiln_status_str(st));
        return 1;
    }
    kiln_backend *be = NULL;
    kiln_proof_vk *vk = NULL;
    uint8_t *proof = NULL;
    size_t plen = 0;
    int rc = 1;
    char err[256] = "";
    kiln_proof_stats stats;
    if ((st = kiln_backend_create(kind, &be)) != KILN_OK) {
        fprintf(stderr, "kiln prove-example: no backend: %s\n", kiln_status_str(st));
        goto done;
    }
    if ((st = kiln_proof_setup(be, ex.air, &cfg, &vk)) != KILN_OK) {
        fprintf(stderr, "kiln prove-example: setup failed: %s\n", kiln_status_str(st));
        goto done;
    }
    kiln_proof_prove_opts o;
    memset(&o, 0, sizeof o);
    o.min_bits = mb ? atof(mb) : 0;
    o.stats = &stats;
    o.err = err;
    o.errlen = sizeof err;
    if ((st = kiln_proof_prove(be, vk, ex.traces, ex.ntables, ex.pub, ex.npub, &o, &proof, &plen)) != KILN_OK) {
        fprintf(stderr, "kiln prove-example: %s: %s\n", kiln_status_str(st), err);
        goto done;
    }
    FILE *f = fopen(out, "wb");
    if (!f) {
        fprintf(stderr, "kiln prove-example: cannot write %s\n", out);
        goto done;
    }
    uint8_t hdr[12];
    memcpy(hdr, FILE_MAGIC, 8);
    for (int k = 0; k < 4; k++) hdr[8 + k] = (uint8_t)(ex.npub >> (8 * k));
    int ok = fwrite(hdr, 1, 12, f) == 12;
    for (size_t i = 0; i < ex.npub && ok; i++) {
        uint8_t w[8];
        for (int k = 0; k < 8; k++) w[k] = (uint8_t)(ex.pub[i] >> (8 * k));
        ok = fwrite(w, 1, 8, f) == 8;
    }
    ok = ok && fwrite(proof, 1, plen, f) == plen;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "kiln prove-example: error writing %s\n", out);
        goto done;
    }
    printf("%s: 2^%u rows on %s, proved in %.3f s (lde %.3f, commit %.3f, aux %.3f, quotient %.3f, ood %.3f, deep %.3f, "
           "fri %.3f, pow %.3f, queries %.3f)\n",
           name, log_rows, kiln_backend_describe(be), stats.t_total, stats.t_lde, stats.t_commit, stats.t_aux,
           stats.t_quotient, stats.t_ood, stats.t_deep, stats.t_fri, stats.t_pow, stats.t_queries);
    printf("proof %zu bytes, %.1f conjectured bits (%.1f proven), peak host %.1f MiB, device %.1f MiB -> %s\n", plen,
           stats.security.conjectured, stats.security.proven, stats.host_peak / 1048576.0, stats.device_peak / 1048576.0,
           out);
    rc = 0;
done:
    kiln_proof_free(proof);
    kiln_proof_vk_destroy(vk);
    kiln_backend_destroy(be);
    kiln_example_free(&ex);
    return rc;
}

int kiln_cmd_verify_example(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: kiln verify-example NAME FILE [--min-bits B]\n");
        return 2;
    }
    const char *mb = arg_value(argc, argv, "--min-bits");
    uint8_t *b = NULL;
    size_t len = 0;
    if (kiln_app_read_file(argv[2], &b, &len) != 0) {
        fprintf(stderr, "invalid: cannot read %s\n", argv[2]);
        return 1;
    }
    uint64_t pub[32];
    size_t npub = 0, plen = 0;
    const uint8_t *proof = NULL;
    int sp = split_file(b, len, pub, 32, &npub, &proof, &plen);
    if (sp != 1) {
        fprintf(stderr, "invalid: %s is not an example proof file\n", argv[2]);
        free(b);
        return 1;
    }
    char err[256] = "";
    kiln_proof_info info;
    kiln_status st = kiln_proof_inspect(proof, plen, &info, err, sizeof err);
    if (st != KILN_OK) {
        fprintf(stderr, "invalid: %s\n", err);
        free(b);
        return 1;
    }
    kiln_example ex;
    if ((st = kiln_example_build(argv[1], info.tables[0].log_n, 0, &ex)) != KILN_OK) {
        fprintf(stderr, "invalid: unknown example '%s'\n", argv[1]);
        free(b);
        return 2;
    }
    kiln_backend *be = NULL;
    kiln_proof_vk *vk = NULL;
    int rc = 1;
    if ((st = kiln_backend_create(KILN_BACKEND_CPU, &be)) != KILN_OK || (st = kiln_proof_setup(be, ex.air, &info.config, &vk)) != KILN_OK) {
        fprintf(stderr, "invalid: cannot build the verification key: %s\n", kiln_status_str(st));
        goto done;
    }
    st = kiln_proof_verify(vk, pub, npub, proof, plen, mb ? atof(mb) : 0, err, sizeof err);
    if (st != KILN_OK) {
        fprintf(stderr, "invalid: %s\n", err);
        goto done;
    }
    printf("valid: %s proof, %zu bytes, %.1f conjectured bits (%.1f proven)\n", argv[1], plen, info.security.conjectured,
           info.security.proven);
    rc = 0;
done:
    kiln_proof_vk_destroy(vk);
    kiln_backend_destroy(be);
    kiln_example_free(&ex);
    free(b);
    return rc;
}

int kiln_cmd_proof(int argc, char **argv) {
    if (argc < 3 || strcmp(argv[1], "info")) {
        fprintf(stderr, "usage: kiln proof info FILE\n");
        return 2;
    }
    uint8_t *b = NULL;
    size_t len = 0;
    if (kiln_app_read_file(argv[2], &b, &len) != 0) {
        fprintf(stderr, "kiln proof info: cannot read %s\n", argv[2]);
        return 1;
    }
    uint64_t pub[32];
    size_t npub = 0, plen = len;
    const uint8_t *proof = b;
    int sp = split_file(b, len, pub, 32, &npub, &proof, &plen);
    if (sp < 0) {
        fprintf(stderr, "kiln proof info: malformed example proof file\n");
        free(b);
        return 1;
    }
    if (sp == 0) {
        proof = b;
        plen = len;
    }
    char err[256] = "";
    kiln_proof_info info;
    kiln_status st = kiln_proof_inspect(proof, plen, &info, err, sizeof err);
    if (st != KILN_OK) {
        fprintf(stderr, "kiln proof info: %s\n", err);
        free(b);
        return 1;
    }
    const kiln_proof_config *c = &info.config;
    printf("proof version %u, %zu bytes", info.version, info.total_bytes);
    if (sp == 1) printf(" (+ %zu public inputs)", npub);
    printf("\nconfig: hasher %s, blowup %u, %u queries, %u-bit grinding, FRI folding %u, final polynomial <= %u, cap %u\n",
           kiln_hasher_name(c->hasher), 1u << c->log_blowup, c->num_queries, c->pow_bits, 1u << c->fri_log_arity,
           1u << c->log_final_len, 1u << c->cap_log);
    printf("air digest %016llx%016llx%016llx%016llx\n", (unsigned long long)info.air_digest[0],
           (unsigned long long)info.air_digest[1], (unsigned long long)info.air_digest[2],
           (unsigned long long)info.air_digest[3]);
    for (size_t i = 0; i < info.ntables; i++)
        printf("table %zu: 2^%u rows, %zu columns, %zu constraints (max degree %u), %zu bus interactions\n", i,
               info.tables[i].log_n, info.tables[i].columns, info.tables[i].constraints, info.tables[i].max_degree,
               info.tables[i].interactions);
    for (int s = 0; s < KILN_PROOF_SECTIONS; s++)
        printf("section %-12s %8zu bytes\n", kiln_proof_section_names[s], info.section_bytes[s]);
    const kiln_proof_security *sec = &info.security;
    printf("security: %.1f bits conjectured, %.1f bits proven (query %.1f / %.1f proven, FRI commit %.1f, DEEP %.1f, "
           "ALI %.1f, LogUp %.1f, hash %.1f)\n",
           sec->conjectured, sec->proven, sec->query, sec->query_proven, sec->fri_commit, sec->deep, sec->ali, sec->logup,
           sec->hash);
    free(b);
    return 0;
}

#else
static int not_built(void) {
    fprintf(stderr, "kiln: this build has no prover\n");
    return 2;
}
int kiln_cmd_prove_example(int argc, char **argv) { (void)argc; (void)argv; return not_built(); }
int kiln_cmd_verify_example(int argc, char **argv) { (void)argc; (void)argv; return not_built(); }
int kiln_cmd_proof(int argc, char **argv) { (void)argc; (void)argv; return not_built(); }
#endif
