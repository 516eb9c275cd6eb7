// The CPU constraint evaluator (kiln_expr_quotient, kernels/air/expr_cpu.c) against a row-by-row scalar
// interpreter written here from the bytecode's definition (air_kernels.h): random programs using every
// opcode, registers overwritten many times, column-major and row-major (strided) matrices, LDEs smaller than
// one block of rows and several blocks long, every blowup the prover uses, and more than one thread. Release
// builds run the evaluator's eight-lane AVX-512 path, the sanitizer build its scalar path; both must match
// exactly.
#include "kiln_test.h"

#include "air/air_kernels.h"
#include "common/parallel.h"

namespace {

struct Mat {
    std::vector<uint64_t> v;
    size_t rs, cs;
    uint64_t at(size_t r, size_t c) const { return v[r * rs + c * cs]; }
};

void run_case(KilnRng &rng, unsigned log_n, unsigned lb, bool row_major, size_t ninstr) {
    const size_t M = size_t(1) << (log_n + lb), n = size_t(1) << log_n;
    const size_t MC = 5, AC = 6, PC = 2, NREGS = 9, NCONST = 7;
    const unsigned log_m = log_n + lb;
    auto make = [&](size_t ncols, bool rm) {
        Mat m{rng.fields(M * ncols), rm ? ncols : 1, rm ? 1 : M};
        return m;
    };
    Mat mm = make(MC, row_major), ma = make(AC, false), mp = make(PC, row_major);
    std::vector<kiln_gl2> consts(NCONST);
    for (auto &c : consts)
        c = rng.ext();
    consts[0] = kiln_gl2_make(rng.field(), 0);
    // Two periodic columns: 2^1 and 2^min(3, log_m) entries.
    std::vector<uint32_t> plog = {1, log_m < 3 ? log_m : 3}, poff = {0, 2};
    std::vector<uint64_t> per = rng.fields(2 + (size_t(1) << plog[1]));

    std::vector<kiln_expr_instr> code;
    for (uint32_t r = 0; r < NREGS; r++) { // every register loaded before it is read
        uint32_t op = (uint32_t)(rng.next() % 5);
        kiln_expr_instr in{op, r, 0, 0};
        if (op == KILN_OP_LD_MAIN) in = {op, r, (uint32_t)(rng.next() % MC), (uint32_t)(rng.next() % 2)};
        if (op == KILN_OP_LD_AUX) in = {op, r, (uint32_t)(rng.next() % (AC / 2)), (uint32_t)(rng.next() % 2)};
        if (op == KILN_OP_LD_PRE) in = {op, r, (uint32_t)(rng.next() % PC), (uint32_t)(rng.next() % 2)};
        if (op == KILN_OP_LD_PER) in = {op, r, (uint32_t)(rng.next() % 2), 0};
        if (op == KILN_OP_LD_CONST) in = {op, r, (uint32_t)(rng.next() % NCONST), 0};
        code.push_back(in);
    }
    for (size_t k = 0; k < ninstr; k++) {
        uint32_t op = (uint32_t)(rng.next() % KILN_OP_COUNT);
        uint32_t dst = (uint32_t)(rng.next() % NREGS), a = (uint32_t)(rng.next() % NREGS),
                 b = (uint32_t)(rng.next() % NREGS);
        switch (op) {
        case KILN_OP_LD_MAIN:
            a %= MC;
            b %= 2;
            break;
        case KILN_OP_LD_AUX:
            a %= AC / 2;
            b %= 2;
            break;
        case KILN_OP_LD_PRE:
            a %= PC;
            b %= 2;
            break;
        case KILN_OP_LD_PER:
            a %= 2;
            break;
        case KILN_OP_LD_CONST:
            a %= NCONST;
            break;
        case KILN_OP_ACC:
            dst %= 4;
            b %= NCONST;
            break;
        default:
            break;
        }
        code.push_back({op, dst, a, b});
    }
    for (uint32_t d = 0; d < 4; d++)
        code.push_back({KILN_OP_ACC, d, (uint32_t)(rng.next() % NREGS), d});

    KilnBackend be(KILN_BACKEND_CPU);
    KilnBuf bm(be, mm.v), ba(be, ma.v), bp(be, mp.v), out(be, 2 * M);
    kiln_matrix km = {bm, 0, M, MC, mm.rs, mm.cs}, ka = {ba, 0, M, AC, ma.rs, ma.cs},
                kp = {bp, 0, M, PC, mp.rs, mp.cs};
    kiln_expr_quotient_args qa{};
    qa.code = code.data();
    qa.ninstr = code.size();
    qa.nregs = NREGS;
    qa.consts = consts.data();
    qa.nconsts = NCONST;
    qa.periodic = per.data();
    qa.periodic_words = per.size();
    qa.periodic_off = poff.data();
    qa.periodic_log = plog.data();
    qa.nperiodic = 2;
    qa.main = &km;
    qa.aux = &ka;
    qa.pre = &kp;
    qa.log_n = log_n;
    qa.log_blowup = lb;
    qa.shift = 7;
    ASSERT_EQ(kiln_expr_quotient(be, &qa, out, 0), KILN_OK) << kiln_backend_error(be);
    std::vector<uint64_t> q = out.get(2 * M);

    uint64_t w = kiln_gl_root_of_unity(log_m), glast = kiln_gl_pow(kiln_gl_root_of_unity(log_n), n - 1);
    std::vector<kiln_gl2> R(NREGS);
    for (size_t i = 0; i < M; i++) {
        uint64_t e = kiln_bitrev(i, log_m), x = kiln_gl_mul(qa.shift, kiln_gl_pow(w, e));
        size_t nx = kiln_bitrev((e + (size_t(1) << lb)) % M, log_m);
        kiln_gl2 acc[4] = {};
        for (const auto &in : code) {
            const kiln_gl2 X = R[in.a < NREGS ? in.a : 0], Y = R[in.b < NREGS ? in.b : 0];
            size_t row = in.b ? nx : i;
            kiln_gl2 o{};
            switch (in.op) {
            case KILN_OP_LD_MAIN:
                o = kiln_gl2_from_base(mm.at(row, in.a));
                break;
            case KILN_OP_LD_AUX:
                o = kiln_gl2_make(ma.at(row, 2 * in.a), ma.at(row, 2 * in.a + 1));
                break;
            case KILN_OP_LD_PRE:
                o = kiln_gl2_from_base(mp.at(row, in.a));
                break;
            case KILN_OP_LD_PER:
                o = kiln_gl2_from_base(per[poff[in.a] + (e & ((1u << plog[in.a]) - 1))]);
                break;
            case KILN_OP_LD_CONST:
                o = consts[in.a];
                break;
            case KILN_OP_ADD_B:
                o = kiln_gl2_from_base(kiln_gl_add(X.c0, Y.c0));
                break;
            case KILN_OP_SUB_B:
                o = kiln_gl2_from_base(kiln_gl_sub(X.c0, Y.c0));
                break;
            case KILN_OP_MUL_B:
                o = kiln_gl2_from_base(kiln_gl_mul(X.c0, Y.c0));
                break;
            case KILN_OP_NEG_B:
                o = kiln_gl2_from_base(kiln_gl_neg(X.c0));
                break;
            case KILN_OP_ADD_E:
                o = kiln_gl2_add(X, Y);
                break;
            case KILN_OP_SUB_E:
                o = kiln_gl2_sub(X, Y);
                break;
            case KILN_OP_MUL_E:
                o = kiln_gl2_mul(X, Y);
                break;
            case KILN_OP_MUL_EB:
                o = kiln_gl2_mul_base(X, Y.c0);
                break;
            case KILN_OP_NEG_E:
                o = kiln_gl2_neg(X);
                break;
            case KILN_OP_ACC:
                acc[in.dst] = kiln_gl2_add(acc[in.dst], kiln_gl2_mul(consts[in.b], X));
                continue;
            }
            R[in.dst] = o;
        }
        uint64_t zi = kiln_gl_inv(kiln_gl_sub(kiln_gl_pow(x, n), 1));
        kiln_gl2 want = kiln_gl2_mul_base(acc[0], kiln_gl_mul(kiln_gl_sub(x, glast), zi));
        want = kiln_gl2_add(want, kiln_gl2_mul_base(acc[3], zi));
        want = kiln_gl2_add(want, kiln_gl2_mul_base(acc[1], kiln_gl_inv(kiln_gl_sub(x, 1))));
        want = kiln_gl2_add(want, kiln_gl2_mul_base(acc[2], kiln_gl_inv(kiln_gl_sub(x, glast))));
        ASSERT_EQ(q[i], want.c0) << "row " << i << " of " << M;
        ASSERT_EQ(q[M + i], want.c1) << "row " << i << " of " << M;
    }
}

TEST(Expr, MatchesScalarInterpreter) {
    ThreadsGuard threads(3);
    KilnRng rng(91);
    for (unsigned lb : {1u, 2u, 3u})
        for (unsigned log_n : {1u, 2u, 4u, 7u})
            for (bool rm : {false, true})
                run_case(rng, log_n, lb, rm, 60);
}

TEST(Expr, LongProgramSingleThread) {
    ThreadsGuard threads(1);
    KilnRng rng(92);
    run_case(rng, 6, 1, false, 600);
}

} // namespace
