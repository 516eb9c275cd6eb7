/* Prover benchmark: the "wide" AIR (2^N rows x 100 columns, degree-3 transitions, one LogUp bus) and the
 * other examples; prove time by phase, peak memory, proof size and verify time.
 *   bench_prover [--quick] [--json] [--log-rows N] [--example NAME] [--config default|fast|l1]
 *                [--backend auto|cpu|cuda] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "examples/examples.h"
#include "prover.h"

static const char *argval(int argc, char **argv, const char *k) {
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], k)) return argv[i + 1];
    return NULL;
}

int main(int argc, char **argv) {
    bench_opts o = bench_parse(argc, argv);
    const char *lr = argval(argc, argv, "--log-rows"), *exname = argval(argc, argv, "--example"),
               *cfgname = argval(argc, argv, "--config"), *bk = argval(argc, argv, "--backend");
    unsigned sizes[4] = {0};
    int nsizes = 0;
    if (lr) sizes[nsizes++] = (unsigned)atoi(lr);
    else if (o.quick) sizes[nsizes++] = 12;
    else {
        sizes[nsizes++] = 16;
        sizes[nsizes++] = 18;
        sizes[nsizes++] = 20;
    }
    if (!exname) exname = "wide";
    kiln_proof_config cfg;
    if (kiln_proof_config_preset(cfgname ? cfgname : "default", &cfg) != KILN_OK) {
        fprintf(stderr, "unknown config\n");
        return 2;
    }
    kiln_backend_kind kind = KILN_BACKEND_AUTO;
    if (bk && kiln_backend_kind_parse(bk, &kind) != KILN_OK) return 2;
    kiln_backend *be = NULL;
    if (kiln_backend_create(kind, &be) != KILN_OK) {
        fprintf(stderr, "no backend\n");
        return 1;
    }
    char title[256];
    snprintf(title, sizeof title, "prover: %s, config %s, %s", exname, cfgname ? cfgname : "default", kiln_backend_describe(be));
    static const char *cols[] = {"log_rows", "prove_s", "lde_s", "commit_s", "aux_s", "quotient_s", "ood_s", "deep_s",
                                 "fri_s", "pow_s", "queries_s", "verify_ms", "proof_kb", "host_peak_mb",
                                 "dev_peak_mb", "dev_plan_mb", "bits"};
    int nc = (int)(sizeof cols / sizeof cols[0]);
    bench_header(&o, title, nc, cols);
    int rc = 0;
    for (int si = 0; si < nsizes; si++) {
        kiln_example ex;
        kiln_proof_vk *vk = NULL;
        uint8_t *proof = NULL;
        size_t plen = 0;
        char err[256] = "";
        if (kiln_example_build(exname, sizes[si], 1, &ex) != KILN_OK) {
            fprintf(stderr, "cannot build %s at 2^%u\n", exname, sizes[si]);
            rc = 1;
            continue;
        }
        if (kiln_proof_setup(be, ex.air, &cfg, &vk) != KILN_OK) {
            fprintf(stderr, "setup failed\n");
            kiln_example_free(&ex);
            rc = 1;
            continue;
        }
        kiln_proof_stats st;
        kiln_proof_prove_opts po;
        memset(&po, 0, sizeof po);
        po.stats = &st;
        po.err = err;
        po.errlen = sizeof err;
        kiln_status s = kiln_proof_prove(be, vk, ex.traces, ex.ntables, ex.pub, ex.npub, &po, &proof, &plen);
        if (s != KILN_OK) {
            fprintf(stderr, "prove failed at 2^%u: %s: %s\n", sizes[si], kiln_status_str(s), err);
            rc = 1;
        } else {
            /* Verify several times, take the best. */
            double best = 1e9;
            for (int k = 0; k < 5; k++) {
                double t0 = bench_now();
                s = kiln_proof_verify(vk, ex.pub, ex.npub, proof, plen, 0, err, sizeof err);
                double t = bench_now() - t0;
                if (t < best) best = t;
                if (s != KILN_OK) {
                    fprintf(stderr, "verify failed: %s\n", err);
                    rc = 1;
                    break;
                }
            }
            char cells[17][32];
            snprintf(cells[0], 32, "%u", sizes[si]);
            double v[10] = {st.t_total, st.t_lde, st.t_commit, st.t_aux, st.t_quotient, st.t_ood, st.t_deep, st.t_fri,
                            st.t_pow, st.t_queries};
            for (int k = 0; k < 10; k++) snprintf(cells[1 + k], 32, "%.3f", v[k]);
            snprintf(cells[11], 32, "%.2f", best * 1e3);
            snprintf(cells[12], 32, "%.1f", plen / 1024.0);
            snprintf(cells[13], 32, "%.0f", st.host_peak / 1048576.0);
            snprintf(cells[14], 32, "%.0f", st.device_peak / 1048576.0);
            snprintf(cells[15], 32, "%.0f", st.device_planned / 1048576.0);
            snprintf(cells[16], 32, "%.1f", st.security.conjectured);
            const char *cp[17];
            for (int k = 0; k < 17; k++) cp[k] = cells[k];
            bench_row(&o, title, nc, cols, cp);
            fflush(stdout);
        }
        kiln_proof_free(proof);
        kiln_proof_vk_destroy(vk);
        kiln_example_free(&ex);
    }
    kiln_backend_destroy(be);
    return rc;
}
