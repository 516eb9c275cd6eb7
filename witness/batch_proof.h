/* Batch proofs (docs/formats.md, "Batch witness" and "Batch proof"): a zkVM run proof of the bootloader on a
 * sealed batch's input and recorded advice, packaged with the public output it commits to.
 *   witness file: "KLNBWIT1" ‖ u64 input length ‖ input ‖ u64 advice length ‖ advice tape (LE lengths)
 *   proof file:   "KLNBPRF1" ‖ u32 output length ‖ output ‖ the run proof (kiln_zkvm_prove_run's bytes)
 * The verifier rebuilds the key from the bootloader ELF it is given, checks the run proof, requires exit code
 * 0 (the bootloader exits otherwise only when a check failed), and checks that the output hash the proof
 * publishes is the hash of the output in the file. */
#ifndef KILN_WITNESS_BATCH_PROOF_H
#define KILN_WITNESS_BATCH_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "prover.h"
#include "zkvm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Encoding into a malloc'd buffer; decoding points into the caller's bytes (no copy). */
kiln_status kiln_batch_witness_encode(const uint8_t *input, size_t input_len, const uint8_t *advice,
                                      size_t advice_len, uint8_t **out, size_t *len);
kiln_status kiln_batch_witness_decode(const uint8_t *b, size_t len, const uint8_t **input, size_t *input_len,
                                      const uint8_t **advice, size_t *advice_len, char *err, size_t errlen);

typedef struct kiln_batch_proof_opts {
    const char *config;   /* a kiln_proof_config_preset name; NULL: "zkvm" */
    unsigned segment_log; /* 0: the smallest 2^k <= 2^20 that holds the run, else 2^20 */
    size_t cache_bytes;   /* as kiln_zkvm_run_opts.cache_bytes */
    kiln_zkvm_run_info *info;
} kiln_batch_proof_opts;

/* Proves the bootloader's run on the witness; the output it commits must be what the run commits. */
kiln_status kiln_batch_proof_prove(kiln_backend *be, const uint8_t *elf, size_t elf_len, const uint8_t *witness,
                             size_t witness_len, const kiln_batch_proof_opts *opts, uint8_t **proof, size_t *len,
                             char *err, size_t errlen);

/* Verifies a batch proof file against the bootloader ELF; on success *output points into proof (its length
 * in *output_len) and pub (optional) receives the last segment's public values. min_bits: refuse weaker
 * proofs. */
kiln_status kiln_batch_proof_verify(const uint8_t *elf, size_t elf_len, const uint8_t *proof, size_t len, double min_bits,
                              const uint8_t **output, size_t *output_len, uint64_t pub[KILN_ZKVM_NPUB], char *err,
                              size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
