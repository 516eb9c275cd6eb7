#include "batch_proof.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

static const char WIT_MAGIC[8] = {'K', 'L', 'N', 'B', 'W', 'I', 'T', '1'};
static const char PRF_MAGIC[8] = {'K', 'L', 'N', 'B', 'P', 'R', 'F', '1'};

static void put_le(uint8_t *p, uint64_t v, int n) {
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

kiln_status kiln_batch_witness_encode(const uint8_t *input, size_t input_len, const uint8_t *advice,
                                      size_t advice_len, uint8_t **out, size_t *len) {
    size_t n = 8 + 8 + input_len + 8 + advice_len;
    uint8_t *b = (uint8_t *)malloc(n);
    if (!b) return KILN_ERR_OUT_OF_MEMORY;
    memcpy(b, WIT_MAGIC, 8);
    put_le(b + 8, input_len, 8);
    if (input_len) memcpy(b + 16, input, input_len);
    put_le(b + 16 + input_len, advice_len, 8);
    if (advice_len) memcpy(b + 24 + input_len, advice, advice_len);
    *out = b;
    *len = n;
    return KILN_OK;
}

kiln_status kiln_batch_witness_decode(const uint8_t *b, size_t len, const uint8_t **input, size_t *input_len,
                                      const uint8_t **advice, size_t *advice_len, char *err, size_t errlen) {
    if (len < 24 || memcmp(b, WIT_MAGIC, 8) != 0) {
        snprintf(err, errlen, "not a batch witness (bad magic or too short)");
        return KILN_ERR_PARSE;
    }
    uint64_t il = get_le(b + 8, 8);
    if (il > len - 24) {
        snprintf(err, errlen, "batch witness: input length %llu past the end", (unsigned long long)il);
        return KILN_ERR_PARSE;
    }
    uint64_t al = get_le(b + 16 + il, 8);
    if (al != len - 24 - il) {
        snprintf(err, errlen, "batch witness: advice length %llu does not match the file", (unsigned long long)al);
        return KILN_ERR_PARSE;
    }
    *input = b + 16, *input_len = (size_t)il;
    *advice = b + 24 + il, *advice_len = (size_t)al;
    return KILN_OK;
}

/* Program, AIR and key for the bootloader under cfg. */
static kiln_status load(kiln_backend *be, const uint8_t *elf, size_t elf_len, const kiln_proof_config *cfg,
                        kiln_zkvm_program **p, kiln_air **air, kiln_proof_vk **vk, char *err, size_t errlen) {
    kiln_status st = kiln_zkvm_program_load(elf, elf_len, p, err, errlen);
    if (st != KILN_OK) return st;
    if ((st = kiln_zkvm_air_build(*p, air)) != KILN_OK) {
        snprintf(err, errlen, "cannot build the zkVM AIR: %s", kiln_status_str(st));
        return st;
    }
    if ((st = kiln_proof_setup(be, *air, cfg, vk)) != KILN_OK) snprintf(err, errlen, "setup failed");
    return st;
}

kiln_status kiln_batch_proof_prove(kiln_backend *be, const uint8_t *elf, size_t elf_len, const uint8_t *witness,
                             size_t witness_len, const kiln_batch_proof_opts *opts, uint8_t **proof, size_t *len,
                             char *err, size_t errlen) {
    const uint8_t *input, *advice;
    size_t input_len, advice_len;
    kiln_status st = kiln_batch_witness_decode(witness, witness_len, &input, &input_len, &advice, &advice_len, err,
                                               errlen);
    if (st != KILN_OK) return st;
    kiln_proof_config cfg;
    const char *cname = opts && opts->config ? opts->config : "zkvm";
    if (kiln_proof_config_preset(cname, &cfg) != KILN_OK) {
        snprintf(err, errlen, "unknown proof configuration '%s'", cname);
        return KILN_ERR_INVALID_ARG;
    }
    kiln_zkvm_program *p = NULL;
    kiln_air *air = NULL;
    kiln_proof_vk *vk = NULL;
    uint8_t *run = NULL, *out = NULL;
    size_t run_len = 0;
    kiln_vm_program *vp = NULL;
    kiln_vm *vm = NULL;
    if ((st = load(be, elf, elf_len, &cfg, &p, &air, &vk, err, errlen)) != KILN_OK) goto done;

    /* The output the run commits: replayed in the plain VM (cheap next to proving). */
    if ((st = kiln_vm_program_from_elf(elf, elf_len, &vp, err, errlen)) != KILN_OK) goto done;
    if ((st = kiln_vm_create(vp, NULL, &vm)) != KILN_OK || (st = kiln_vm_set_input(vm, input, input_len)) != KILN_OK ||
        (st = kiln_vm_set_advice_tape(vm, advice, advice_len)) != KILN_OK) {
        snprintf(err, errlen, "cannot replay the batch: %s", kiln_status_str(st));
        goto done;
    }
    kiln_vm_result r;
    kiln_vm_run(vm, &r);
    if (r.stop != KILN_VM_EXITED || r.exit_code != 0) {
        snprintf(err, errlen, "the bootloader does not accept this witness (%s, exit code %u): %s",
                 kiln_vm_stop_str(r.stop), r.exit_code, r.msg);
        st = KILN_ERR_FAULT;
        goto done;
    }
    const uint8_t *o;
    size_t olen;
    kiln_vm_output(vm, &o, &olen);

    unsigned seg = opts ? opts->segment_log : 0;
    if (!seg) {
        seg = KILN_ZKVM_MIN_SEGMENT_LOG;
        while (seg < 20 && ((uint64_t)1 << seg) < r.cycles + 1)
            seg++;
    }
    kiln_zkvm_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.witness.segment_log = seg;
    ro.witness.input = input;
    ro.witness.input_len = input_len;
    ro.witness.advice = advice;
    ro.witness.advice_len = advice_len;
    ro.witness.max_cycles = r.cycles + 1;
    ro.info = opts ? opts->info : NULL;
    ro.cache_bytes = opts ? opts->cache_bytes : 0;
    if ((st = kiln_zkvm_prove_run(be, vk, p, &ro, &run, &run_len, err, errlen)) != KILN_OK) goto done;
    out = (uint8_t *)malloc(12 + olen + run_len);
    if (!out) {
        st = KILN_ERR_OUT_OF_MEMORY;
        goto done;
    }
    memcpy(out, PRF_MAGIC, 8);
    put_le(out + 8, olen, 4);
    memcpy(out + 12, o, olen);
    memcpy(out + 12 + olen, run, run_len);
    *proof = out;
    *len = 12 + olen + run_len;
done:
    kiln_vm_free(vm);
    kiln_vm_program_free(vp);
    free(run);
    kiln_proof_vk_destroy(vk);
    kiln_air_destroy(air);
    kiln_zkvm_program_free(p);
    return st;
}

kiln_status kiln_batch_proof_verify(const uint8_t *elf, size_t elf_len, const uint8_t *proof, size_t len, double min_bits,
                              const uint8_t **output, size_t *output_len, uint64_t pub[KILN_ZKVM_NPUB], char *err,
                              size_t errlen) {
    if (len < 12 || memcmp(proof, PRF_MAGIC, 8) != 0) {
        snprintf(err, errlen, "not a batch proof (bad magic or too short)");
        return KILN_ERR_PARSE;
    }
    uint64_t olen = get_le(proof + 8, 4);
    if (olen > len - 12) {
        snprintf(err, errlen, "batch proof: output length past the end");
        return KILN_ERR_PARSE;
    }
    const uint8_t *run = proof + 12 + olen;
    size_t run_len = len - 12 - (size_t)olen, nseg = 0;
    kiln_status st = kiln_zkvm_run_parse(run, run_len, &nseg, NULL, NULL, NULL, err, errlen);
    if (st != KILN_OK) return st;
    uint64_t(*pubs)[KILN_ZKVM_NPUB] = (uint64_t(*)[KILN_ZKVM_NPUB])calloc(nseg, sizeof *pubs);
    const uint8_t **prs = (const uint8_t **)calloc(nseg, sizeof *prs);
    size_t *pls = (size_t *)calloc(nseg, sizeof *pls);
    kiln_proof_info info;
    kiln_backend *be = NULL;
    kiln_zkvm_program *p = NULL;
    kiln_air *air = NULL;
    kiln_proof_vk *vk = NULL;
    kiln_zkvm_run_summary sum;
    memset(&sum, 0, sizeof sum);
    st = pubs && prs && pls ? kiln_zkvm_run_parse(run, run_len, &nseg, pubs, prs, pls, err, errlen)
                            : KILN_ERR_OUT_OF_MEMORY;
    /* The configuration comes from the first segment's proof; the key is rebuilt with it and must match. */
    if (st == KILN_OK) st = kiln_proof_inspect(prs[0], pls[0], &info, err, errlen);
    if (st == KILN_OK && kiln_proof_config_check(&info.config) != KILN_OK) {
        snprintf(err, errlen, "the proof's configuration is not valid");
        st = KILN_ERR_VERIFY;
    }
    if (st == KILN_OK) st = kiln_backend_create(KILN_BACKEND_CPU, &be);
    if (st == KILN_OK) st = load(be, elf, elf_len, &info.config, &p, &air, &vk, err, errlen);
    if (st == KILN_OK) st = kiln_zkvm_verify_run(vk, p, run, run_len, min_bits, &sum, err, errlen);
    if (st == KILN_OK && sum.pub[KILN_ZKVM_PUB_EXIT_CODE] != 0) {
        /* The bootloader exits 0 only after every check held; any other code is a refused batch. */
        snprintf(err, errlen, "the bootloader refused this batch (exit code %llu)",
                 (unsigned long long)sum.pub[KILN_ZKVM_PUB_EXIT_CODE]);
        st = KILN_ERR_VERIFY;
    }
    if (st == KILN_OK) {
        uint64_t want[4];
        kiln_zkvm_output_hash(proof + 12, (size_t)olen, want);
        st = kiln_zkvm_check_io(sum.pub, NULL, want, err, errlen);
    }
    if (st == KILN_OK) {
        *output = proof + 12;
        *output_len = (size_t)olen;
        if (pub) memcpy(pub, sum.pub, sizeof sum.pub);
    }
    free(pubs);
    free(prs);
    free(pls);
    kiln_proof_vk_destroy(vk);
    kiln_air_destroy(air);
    kiln_zkvm_program_free(p);
    kiln_backend_destroy(be);
    return st;
}
