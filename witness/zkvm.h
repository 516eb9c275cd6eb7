/* The zkVM AIR (RV32IM, one proof per segment of a run, chained: witness/run.c) and its witness generator.
 * The AIR is built as data through prover/air.h; the program's decoded instructions and its memory image
 * (every word of every loadable segment: code, rodata, data, bss) form preprocessed tables, so the
 * verification key (and every proof) is bound to the program. See docs/zkvm-air.md.
 *
 * Covered: ADD, SUB, ADDI, SLT, SLTU, SLTI, SLTIU, AND, OR, XOR, ANDI, ORI, XORI, SLL, SRL, SRA, SLLI, SRLI,
 * SRAI, LUI, AUIPC, JAL, JALR, BEQ, BNE, BLT, BGE, BLTU, BGEU, LW, LB, LBU, LH, LHU, SW, SB and SH (on image
 * words, read-only ones for loads only; heap words from the image end to KILN_VM_HEAP_END; the stack), MUL,
 * MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU (the muldiv table), FENCE (a no-op) and ecall with a7 = exit,
 * poseidon2 and keccakf (their own tables), u256_addmod, u256_submod, u256_mulmod (the u256 table),
 * input_read, input_len, commit, debug, advice (its answer as free values written to memory) or io_digest
 * (once per run: a0 points to 16 words, the input and output hashes as 4 u64 LE each, that become public
 * values; exit's a1 is free). Anything else executed in a run is refused with a message naming the
 * instruction or syscall and its pc, as are accesses to the unused rest of a page between ELF segments; words
 * outside RV32IM (CSR, ebreak) fault in the VM (the message names them). */
#ifndef KILN_ZKVM_H
#define KILN_ZKVM_H

#include <stddef.h>
#include <stdint.h>

#include "air.h"
#include "common/status.h"
#include "prover.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Public values of a segment proof. */
#define KILN_ZKVM_PUB_START_PC 0u
#define KILN_ZKVM_PUB_END_PC 1u
#define KILN_ZKVM_PUB_EXIT_CODE 2u
#define KILN_ZKVM_PUB_PROGRAM_HASH 3u /* 4 elements */
#define KILN_ZKVM_PUB_INPUT_HASH 7u   /* 4 elements: the io_digest block's first half (zero without it) */
#define KILN_ZKVM_PUB_OUTPUT_HASH 11u /* 4 elements: its second half */
/* Segments (docs/zkvm-air.md, "Segments"): index s (1-based) of S, first = [s == 1], last = [s == S], and the
 * pc after the segment's last row (the end pc for the last segment). end pc and exit code are those of the
 * last segment; in the others they are zero. The I/O hashes are those of the segment with DIGEST = 1. */
#define KILN_ZKVM_PUB_SEGMENT 15u
#define KILN_ZKVM_PUB_FIRST 16u
#define KILN_ZKVM_PUB_LAST 17u
#define KILN_ZKVM_PUB_NEXT_PC 18u
/* 1 when this segment holds the run's io_digest call (whose block is the I/O hashes above); at most one
 * segment of a run has it. 0: the segment publishes zero hashes. */
#define KILN_ZKVM_PUB_DIGEST 19u
#define KILN_ZKVM_NPUB 20u

#define KILN_ZKVM_NTABLES 12u /* cpu, program, regs, ram, range, image, muldiv, poseidon2, io, exit, u256, keccak */
#define KILN_ZKVM_MIN_SEGMENT_LOG 4u
#define KILN_ZKVM_MAX_SEGMENT_LOG 22u
/* The stack region the ram table allows: [KILN_ZKVM_STACK_BASE, KILN_VM_STACK_TOP), the VM's default
 * (maximal) stack, zero at entry. */
#define KILN_ZKVM_STACK_BASE 0x7ff00000u
/* Syscall buffers (poseidon2 and keccakf states, input_read buffer, exit digest) lie at or above this address
 * (the code starts at 0x10000), so a syscall's word access can never reach a register's bus address. */
#define KILN_ZKVM_SYS_MIN 0x00010000u

/* A program: the validated ELF, its decoded code table and its image hash. */
typedef struct kiln_zkvm_program kiln_zkvm_program;

/* Parses and validates an ELF (kiln_vm_program_from_elf), decodes its executable words and lists its memory
 * image (every word of every loadable segment; more than 2^22 words is KILN_ERR_UNSUPPORTED). Malformed input
 * is KILN_ERR_PARSE with a message in err. */
kiln_status kiln_zkvm_program_load(const uint8_t *elf, size_t len, kiln_zkvm_program **out, char *err,
                                   size_t errlen);
void kiln_zkvm_program_free(kiln_zkvm_program *p);
uint32_t kiln_zkvm_program_entry(const kiln_zkvm_program *p);
/* Poseidon2 hash of the program image (entry and every loadable segment), 4 elements. */
void kiln_zkvm_program_hash(const kiln_zkvm_program *p, uint64_t out[4]);
/* Hash of the input bytes: Poseidon2 (hash_var) over the length and the bytes packed 4 per element (LE). The
 * guest runtime computes the same through the precompile and passes it to io_digest before exit. */
void kiln_zkvm_input_hash(const uint8_t *data, size_t len, uint64_t out[4]);
/* Hash of the committed output bytes: the same definition as kiln_zkvm_input_hash. */
void kiln_zkvm_output_hash(const uint8_t *data, size_t len, uint64_t out[4]);

/* The AIR for the program (finalized). The program must outlive the AIR. */
kiln_status kiln_zkvm_air_build(const kiln_zkvm_program *p, kiln_air **out);

/* A run split into segments of 2^segment_log rows (the last one padded with padding rows). */
typedef struct kiln_zkvm_segment {
    uint64_t first_row, rows; /* trace rows (cycles) in this segment */
    uint32_t start_pc, end_pc;
} kiln_zkvm_segment;

/* Splits a run (without input) into segments of 2^segment_log rows: *segs gets a malloc'ed array (free with
 * free()) of *nsegs segments, in order; the last one holds the exit and is padded when proven. max_cycles 0:
 * 2^26. A guest fault is KILN_ERR_FAULT, the cycle limit KILN_ERR_LIMIT (message in err). */
kiln_status kiln_zkvm_split(const kiln_zkvm_program *p, unsigned segment_log, uint64_t max_cycles,
                            kiln_zkvm_segment **segs, size_t *nsegs, char *err, size_t errlen);
/* The same for a run with input (the input stream's bytes). */
kiln_status kiln_zkvm_split_input(const kiln_zkvm_program *p, const uint8_t *input, size_t input_len,
                                  unsigned segment_log, uint64_t max_cycles, kiln_zkvm_segment **segs,
                                  size_t *nsegs, char *err, size_t errlen);

/* TEST ONLY: corruptions applied to a valid witness so that tests can show the verifier rejects them. */
typedef enum kiln_zkvm_tamper {
    KILN_ZKVM_TAMPER_NONE = 0,
    KILN_ZKVM_TAMPER_ALU,     /* the result of the first ADD/ADDI that writes a register is off by one */
    KILN_ZKVM_TAMPER_MEMORY,  /* the value read by the first LW is off by one (and so its destination) */
    KILN_ZKVM_TAMPER_BRANCH,  /* the first taken branch lands 4 bytes past its target */
    KILN_ZKVM_TAMPER_X0,      /* the first instruction with rd = x0 writes 5 to x0 */
    KILN_ZKVM_TAMPER_EXIT,    /* the public exit code is off by one */
    KILN_ZKVM_TAMPER_COMPARE, /* the first SLT/SLTI result (and its less-than bit) is flipped */
    KILN_ZKVM_TAMPER_BITWISE, /* the first AND/OR/XOR(I) result is off, its low AND byte adjusted to match */
    KILN_ZKVM_TAMPER_BYTES,   /* a bitwise row's operand bytes (x0 + 256, x1 - 1): limbs still match, the
                                 result is unchanged, only the byte lookup can catch it */
    KILN_ZKVM_TAMPER_SHIFT,   /* the first SLL/SRL/SRA(I) result is off (low bit flipped) */
    KILN_ZKVM_TAMPER_SUBWORD, /* the first LB/LBU/LH/LHU result is off (low bit flipped) */
    KILN_ZKVM_TAMPER_STORE,   /* the word written by the first SB/SH is off (low bit flipped) */
    KILN_ZKVM_TAMPER_RODATA,  /* the first LW from a read-only image word reads it off by one (and rd) */
    KILN_ZKVM_TAMPER_ROSTORE, /* every access to the word of the first SW claims w = 0 (read-only): with a
                                 witness whose store hits a word the key marks read-only, only the "stores
                                 write writable words" constraint can catch it */
    KILN_ZKVM_TAMPER_OVERLAP, /* the first accessed zero-initialized writable image word (bss) is served by a
                                 ram row (initial 0) instead of its image row: every tuple balances, only the
                                 ram table's lower address bound catches it */
    KILN_ZKVM_TAMPER_HOLE,    /* an extra, untouched ram row at KILN_VM_HEAP_END (the unmapped hole below the
                                 stack): it balances on its own, only the ram table's region bounds catch it */
    /* The muldiv tampers pick an M instruction whose result is not read again and carry the wrong result
     * into the register's next write (or its final value), so only the muldiv table can catch them. */
    KILN_ZKVM_TAMPER_MUL,         /* a MUL result's low bit flipped (in the cpu row and the muldiv row) */
    KILN_ZKVM_TAMPER_MULH,        /* a MULH/MULHSU/MULHU high word's low bit flipped */
    KILN_ZKVM_TAMPER_DIV_BOUND,   /* a DIVU quotient one less, the remainder one divisor more: a = q b + r
                                     still holds, only the r < b bound can catch it */
    KILN_ZKVM_TAMPER_REM,         /* a REM result off by one */
    KILN_ZKVM_TAMPER_DIV_SIGN,    /* a DIV of a >= 0 with q + 1 and r - b < 0: a = q b + r and |r| < |b| hold,
                                     only the remainder's sign rule can catch it */
    KILN_ZKVM_TAMPER_DIV_ZERO,    /* a DIVU by zero with q = 0 instead of 0xffffffff (q 0 + r = a holds) */
    KILN_ZKVM_TAMPER_REM_SIGN,    /* a REM of a < 0 with q - 1 and r + b > 0: only the sign rule catches it */
    KILN_ZKVM_TAMPER_P2_OUTPUT,   /* the last poseidon2 call writes a wrong output word (limbs canonical; the
                                     ram table's final value follows it when nothing reads it later) */
    KILN_ZKVM_TAMPER_P2_ROUND,    /* a wrong intermediate S-box value in the first poseidon2 row */
    KILN_ZKVM_TAMPER_PUB_OUTPUT,  /* the public output-hash element 0 is off by one */
    KILN_ZKVM_TAMPER_EXIT_DIGEST, /* the exit table reads a wrong digest word (public value matching it) */
    KILN_ZKVM_TAMPER_IO_TAIL,     /* a partial INPUT_READ overwrites a byte past its count in its last word */
    KILN_ZKVM_TAMPER_ADVICE_WORD, /* the first word an ADVICE call writes has its low bit flipped in the io
                                     table, while the guest's later reads see the VM's word */
    /* u256 tampers act on the last u256 call (whose output nothing reads later; the ram table's final values
     * follow the written words, so the memory argument balances and only the u256 table can object). */
    KILN_ZKVM_TAMPER_U256_RESULT,   /* result limb 0's low bit flipped, carries unchanged */
    KILN_ZKVM_TAMPER_U256_BOUND,    /* r + m written with q - 1: the identity holds, only r < m objects */
    KILN_ZKVM_TAMPER_U256_QUOTIENT, /* quotient limb 0 one more, carries recomputed (floor division) */
    KILN_ZKVM_TAMPER_U256_LIMBS,    /* quotient limbs (q0 + 2^16, q1 - 1): the same integer, every polynomial
                                       constraint holds, only q's range lookups can object */
    /* keccak: the last call's output lane 0 is wrong (bit 1 flipped, or round 23 applied RC[22]); the output
     * row's own round columns and the ram table's final values follow it, so only the round transition into
     * the output row can catch it. THETA: a column parity bit of round 3 of the first call flipped. */
    KILN_ZKVM_TAMPER_KECCAK_OUTPUT,
    KILN_ZKVM_TAMPER_KECCAK_THETA,
    KILN_ZKVM_TAMPER_KECCAK_RC,
    /* Segment chaining. */
    KILN_ZKVM_TAMPER_SEG_REG_INIT, /* a register untouched in the segment starts and ends 1 higher: its local
                                      chain balances; only the global bus (or, in segment 1, the entry-value
                                      constraint) can catch it */
    KILN_ZKVM_TAMPER_SEG_MEM_INIT, /* the same for an image word untouched in the segment */
    KILN_ZKVM_TAMPER_SEG_LAST,     /* a segment other than the last claims last = 1 and end pc = next pc */
    KILN_ZKVM_TAMPER_SEG_NEXT_PC   /* a segment other than the last publishes next pc + 4 */
} kiln_zkvm_tamper;

typedef struct kiln_zkvm_witness {
    uint64_t *cols[KILN_ZKVM_NTABLES]; /* column-major main traces */
    kiln_proof_trace traces[KILN_ZKVM_NTABLES];
    uint64_t pub[KILN_ZKVM_NPUB];
    uint64_t cycles;               /* executed instructions (the whole run) */
    size_t nsegments;              /* segments in the run (S) */
    kiln_zkvm_segment segments[1]; /* the segment this witness proves */
    size_t main_cells;             /* committed main cells of all tables */
} kiln_zkvm_witness;

typedef struct kiln_zkvm_witness_opts {
    unsigned segment_log;    /* rows per segment: 2^segment_log (KILN_ZKVM_MIN/MAX_SEGMENT_LOG) */
    uint64_t max_cycles;     /* the whole run's limit; 0: 2^26 */
    kiln_zkvm_tamper tamper; /* TEST ONLY */
    const uint8_t *input;    /* the input stream (INPUT_LEN / INPUT_READ); NULL with input_len 0: none */
    size_t input_len;
    const uint8_t *advice; /* the advice tape to replay (kiln_vm_advice_tape's format); NULL with advice_len
                            * 0: none (an advice call then faults) */
    size_t advice_len;
    unsigned segment; /* the segment to build, 1-based (0: 1) */
} kiln_zkvm_witness_opts;

/* Runs the program (with opts->input as its input stream) with tracing and fills the tables of segment
 * opts->segment (rows [(s - 1) 2^k, s 2^k) of the run; w->nsegments gets the run's count). Refuses
 * (KILN_ERR_UNSUPPORTED, message in err) a run that uses an instruction or syscall outside the slice or
 * touches memory outside the image, the heap and the stack (the padding of a segment's pages); a guest fault
 * (e.g. a store to code or rodata) is KILN_ERR_FAULT; a segment past the run's end KILN_ERR_INVALID_ARG. Free
 * with kiln_zkvm_witness_free. */
kiln_status kiln_zkvm_witness_build(const kiln_zkvm_program *p, const kiln_zkvm_witness_opts *opts,
                                    kiln_zkvm_witness *w, char *err, size_t errlen);
void kiln_zkvm_witness_free(kiln_zkvm_witness *w);
/* Splits the run opts describes (input, advice tape, segment log, cycle limit) into its segments, like
 * kiln_zkvm_split_input. */
kiln_status kiln_zkvm_split_run(const kiln_zkvm_program *p, const kiln_zkvm_witness_opts *opts,
                                kiln_zkvm_segment **segs, size_t *nsegs, char *err, size_t errlen);

/* Checks the public values against program p: start pc, program hash, 32-bit exit code and end pc, canonical
 * hash elements. The I/O hashes are checked by kiln_zkvm_check_io. */
kiln_status kiln_zkvm_check_public(const kiln_zkvm_program *p, const uint64_t *pub, size_t npub, char *err,
                                   size_t errlen);
/* 1 when the proof's input and output hashes are all zero: the guest did not commit to its I/O. */
int kiln_zkvm_io_uncommitted(const uint64_t *pub);
/* Compares the proof's hashes with the expected ones (either may be NULL: not checked). A proof that did not
 * commit to its I/O is refused when any expectation is given. */
kiln_status kiln_zkvm_check_io(const uint64_t *pub, const uint64_t *input_hash, const uint64_t *output_hash,
                               char *err, size_t errlen);

/* ---- Runs: one proof per segment, chained (witness/run.c, docs/zkvm-air.md "Segments") ---- */

#define KILN_ZKVM_RUN_VERSION                                                                                \
    3u                               /* run proof file: magic KILNZKVP, u32 version, u32 S, per segment the  \
                                      * public values (u64 LE) and a u64-length-prefixed proof */
#define KILN_ZKVM_MAX_SEGMENTS 4096u /* a run proof holds 1..KILN_ZKVM_MAX_SEGMENTS segments */

typedef struct kiln_zkvm_run_info {
    size_t nsegments;
    uint64_t cycles;
    double seconds;  /* proving time (the proofs' t_total, both passes' witnesses excluded) */
    double security; /* conjectured bits */
    size_t cached_segments; /* segments kept from the digest pass to the proof pass (opts.cache_bytes) */
    size_t shrunk_segments; /* of those, kept without their main LDEs (kiln_proof_main_commitment_shrink) */
    size_t rebuilt_segments; /* of those, kept as trees alone: the proof pass builds the witness again */
    size_t cache_bytes;     /* what they held: witnesses and main commitments */
} kiln_zkvm_run_info;

typedef struct kiln_zkvm_run_opts {
    kiln_zkvm_witness_opts witness; /* segment log, input, cycle limit; .segment is ignored */
    double min_bits;                /* refuse weaker configurations */
    unsigned tamper_segment;        /* TEST ONLY: witness.tamper applies to this segment (1-based) only */
    kiln_zkvm_run_info *info;       /* optional */
    size_t cache_bytes; /* keep segments' witnesses and main commitments (kiln_proof_main_commit) from the digest
                         * pass to the proof pass while they fit in this many bytes (host, and the backend's
                         * buffers), without the main LDEs when only that fits (the proof pass redoes the
                         * NTTs); a segment that does not fit is built and committed again. 0: never (every
                         * witness built twice); KILN_ZKVM_RUN_CACHE_DEFAULT is what the CLI uses. The proof
                         * bytes are the same either way. */
} kiln_zkvm_run_opts;
#define KILN_ZKVM_RUN_CACHE_DEFAULT ((size_t)4 << 30) /* 4 GiB */

/* The public summary of a verified run: the last segment's public values with the first one's start pc. */
typedef struct kiln_zkvm_run_summary {
    size_t nsegments;
    uint64_t pub[KILN_ZKVM_NPUB];
} kiln_zkvm_run_summary;

/* Proves a run of p as S segment proofs with shared global challenges; *bytes gets the malloc'ed run proof
 * file (free with free()). The witness of each segment is built once for the digest pass and, unless it was
 * kept within opts->cache_bytes, again for the proof pass. */
kiln_status kiln_zkvm_prove_run(kiln_backend *be, const kiln_proof_vk *vk, const kiln_zkvm_program *p,
                                const kiln_zkvm_run_opts *opts, uint8_t **bytes, size_t *len, char *err,
                                size_t errlen);
/* Parses a run proof file strictly and checks the chain: indices 1..S in order, first/last flags, start pc =
 * the entry, then each segment's start pc = the previous one's next pc, one program, no exit before the last
 * segment, every segment's proof valid under the shared challenges and the global memory sums cancelling.
 * KILN_ERR_PARSE for malformed bytes, KILN_ERR_VERIFY for a wrong run, KILN_ERR_SECURITY below min_bits. */
kiln_status kiln_zkvm_verify_run(const kiln_proof_vk *vk, const kiln_zkvm_program *p, const uint8_t *bytes,
                                 size_t len, double min_bits, kiln_zkvm_run_summary *out, char *err,
                                 size_t errlen);
/* The run proof file's layout: *nsegments, and (when not NULL) per segment its public values, proof and
 * proof length (pointers into bytes). Bounded: no allocation, every length checked against the bytes. */
kiln_status kiln_zkvm_run_parse(const uint8_t *bytes, size_t len, size_t *nsegments,
                                uint64_t (*pub)[KILN_ZKVM_NPUB], const uint8_t **proof, size_t *proof_len,
                                char *err, size_t errlen);
/* One proof of a one-segment run's witness (its global challenges from its own digest), and its check (the
 * segment's global sum must be zero by itself). Tests and benches use these for single segments. */
kiln_status kiln_zkvm_prove_segment(kiln_backend *be, const kiln_proof_vk *vk, const kiln_zkvm_witness *w,
                                    const kiln_proof_prove_opts *opts, uint8_t **proof, size_t *proof_len);
kiln_status kiln_zkvm_verify_segment(const kiln_proof_vk *vk, const uint64_t *pub, const uint8_t *proof,
                                     size_t proof_len, double min_bits, char *err, size_t errlen);

/* Mnemonic of an instruction word ("add", "divu", ...; "unknown" when it does not decode). */
const char *kiln_zkvm_insn_name(uint32_t insn);

#ifdef __cplusplus
}
#endif
#endif
