// The expression API (degrees, sharing, errors) and the bytecode evaluator checked against a direct walk of
// the expression graph at every row of a random LDE.
#include <cstring>
#include <vector>

#include "kiln_test.h"
#include "air_internal.h"
#include "compile.h"
#include "prover.h"

TEST(Air, DegreesComeFromExpressions) {
    kiln_air *air;
    ASSERT_EQ(kiln_air_create("t", 1, &air), KILN_OK);
    kiln_air_table *t;
    ASSERT_EQ(kiln_air_add_table(air, "t", &t), KILN_OK);
    uint32_t a, b;
    ASSERT_EQ(kiln_air_add_main(t, "a", &a), KILN_OK);
    ASSERT_EQ(kiln_air_add_main(t, "b", &b), KILN_OK);
    kiln_expr x = kiln_air_main_col(t, a, 0), y = kiln_air_main_col(t, b, 1);
    EXPECT_EQ(kiln_air_degree(t, kiln_air_const(t, 5)), 0u);
    EXPECT_EQ(kiln_air_degree(t, kiln_air_public(t, 0)), 0u);
    EXPECT_EQ(kiln_air_degree(t, x), 1u);
    EXPECT_EQ(kiln_air_degree(t, kiln_air_mul(t, x, y)), 2u);
    EXPECT_EQ(kiln_air_degree(t, kiln_air_pow(t, x, 7)), 7u);
    EXPECT_EQ(kiln_air_degree(t, kiln_air_add(t, kiln_air_mul(t, x, kiln_air_const(t, 3)), kiln_air_mul(t, x, y))), 2u);
    // Shared subexpressions: the same expression built twice is the same node (commutative order too).
    EXPECT_EQ(kiln_air_mul(t, x, y), kiln_air_mul(t, y, x));
    EXPECT_NE(kiln_air_sub(t, x, y), kiln_air_sub(t, y, x));
    ASSERT_EQ(kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, kiln_air_pow(t, x, 3), y), "c"), KILN_OK);
    // Next-row reads outside transitions are refused.
    EXPECT_EQ(kiln_air_constrain(t, KILN_AIR_FIRST, y, "bad"), KILN_ERR_INVALID_ARG);
    EXPECT_EQ(kiln_air_finalize(air), KILN_ERR_INVALID_ARG);
    EXPECT_NE(std::string(kiln_air_error(air)).find("next row"), std::string::npos);
    kiln_air_destroy(air);
}

TEST(Air, BadHandlesAreErrorsNotCrashes) {
    kiln_air *air;
    ASSERT_EQ(kiln_air_create("t", 0, &air), KILN_OK);
    kiln_air_table *t;
    ASSERT_EQ(kiln_air_add_table(air, "t", &t), KILN_OK);
    EXPECT_EQ(kiln_air_main_col(t, 0, 0), KILN_EXPR_INVALID);
    EXPECT_EQ(kiln_air_add(t, 12345, KILN_EXPR_INVALID), KILN_EXPR_INVALID);
    EXPECT_EQ(kiln_air_public(t, 0), KILN_EXPR_INVALID);
    EXPECT_EQ(kiln_air_finalize(air), KILN_ERR_INVALID_ARG);
    kiln_air_destroy(air);
}

// Bytecode evaluator (kernel) == graph walk, on random data, with every domain kind, periodic and
// preprocessed columns and a LogUp bus (extension-valued aux columns and challenges).
TEST(Air, QuotientKernelMatchesGraphWalk) {
    kiln_air *air;
    ASSERT_EQ(kiln_air_create("t", 2, &air), KILN_OK);
    kiln_air_table *t;
    ASSERT_EQ(kiln_air_add_table(air, "t", &t), KILN_OK);
    uint32_t a, b, c, per;
    kiln_air_add_main(t, "a", &a);
    kiln_air_add_main(t, "b", &b);
    kiln_air_add_main(t, "c", &c);
    uint64_t pv[4] = {3, 1, 4, 1};
    ASSERT_EQ(kiln_air_add_periodic(t, "p", pv, 4, &per), KILN_OK);
    const unsigned log_n = 5, lb = 2;
    auto fill = [](void *, uint64_t *cols, size_t, unsigned ln) {
        for (size_t r = 0; r < (size_t(1) << ln); r++) cols[r] = r * r + 1;
    };
    ASSERT_EQ(kiln_air_set_preprocessed(t, 1, log_n, fill, nullptr), KILN_OK);
    kiln_expr x = kiln_air_main_col(t, a, 0), y = kiln_air_main_col(t, b, 0), z = kiln_air_main_col(t, c, 0);
    kiln_expr xn = kiln_air_main_col(t, a, 1), pp = kiln_air_periodic_col(t, per), pr = kiln_air_pre_col(t, 0, 1);
    kiln_air_constrain(t, KILN_AIR_TRANSITION, kiln_air_sub(t, kiln_air_mul(t, xn, pr), kiln_air_mul(t, kiln_air_mul(t, x, y), pp)), "t");
    kiln_air_constrain(t, KILN_AIR_FIRST, kiln_air_sub(t, x, kiln_air_public(t, 0)), "f");
    kiln_air_constrain(t, KILN_AIR_LAST, kiln_air_neg(t, kiln_air_sub(t, z, kiln_air_public(t, 1))), "l");
    kiln_air_constrain(t, KILN_AIR_EVERY, kiln_air_sub(t, kiln_air_pow(t, z, 3), y), "e");
    kiln_expr tup[2] = {x, kiln_air_pre_col(t, 0, 0)};
    kiln_air_interact(t, 7, y, tup, 2);
    kiln_air_interact(t, 7, kiln_air_neg(t, y), tup, 1);
    ASSERT_EQ(kiln_air_finalize(air), KILN_OK) << kiln_air_error(air);
    EXPECT_EQ(kiln_air_num_aux(t), 2u);  // the pair shares one helper column, plus the accumulator
    EXPECT_EQ(kiln_air_max_degree(t), 3u);

    KilnRng rng(7);
    size_t n = size_t(1) << log_n, M = n << lb;
    std::vector<uint64_t> main = rng.fields(3 * M), aux = rng.fields(2 * 2 * M), pre = rng.fields(M);
    kiln_gl2 lambda = rng.ext(), chal[2] = {rng.ext(), rng.ext()}, bus[2] = {rng.ext(), rng.ext()};
    uint64_t pub[2] = {rng.field(), rng.field()};
    kiln_prog prog;
    ASSERT_EQ(kiln_prog_compile(t, lambda, chal, pub, bus, &prog), KILN_OK);
    // Periodic table over the coset: computed here by evaluating the periodic column's polynomial directly.
    uint64_t shift = 0x1234567, coef[4];
    {
        // coefficients by naive interpolation over <w_4>
        uint64_t w = kiln_gl_root_of_unity(2), winv = kiln_gl_inv(w), ninv = kiln_gl_inv(4);
        for (int k = 0; k < 4; k++) {
            uint64_t s = 0;
            for (int j = 0; j < 4; j++) s = kiln_gl_add(s, kiln_gl_mul(pv[j], kiln_gl_pow(winv, uint64_t(j * k))));
            coef[k] = kiln_gl_mul(s, ninv);
        }
        (void)w;
    }
    auto peval = [&](uint64_t xx) {
        uint64_t y4 = kiln_gl_pow(xx, n / 4), r = 0;
        for (int k = 3; k >= 0; k--) r = kiln_gl_add(kiln_gl_mul(r, y4), coef[k]);
        return r;
    };
    size_t PB = 4 << lb;
    std::vector<uint64_t> ptab(PB);
    uint64_t wpb = kiln_gl_root_of_unity(4 + 0 + (lb == 2 ? 0 : 0));
    (void)wpb;
    for (size_t e = 0; e < PB; e++) {
        // x^(n/4) over the LDE coset: shift^(n/4) * w_PB^e
        uint64_t xx = kiln_gl_mul(kiln_gl_pow(shift, n / 4), kiln_gl_pow(kiln_gl_root_of_unity(4), e));
        uint64_t r = 0;
        for (int k = 3; k >= 0; k--) r = kiln_gl_add(kiln_gl_mul(r, xx), coef[k]);
        ptab[e] = r;
    }
    uint32_t poff = 0, plog = 4;
    KilnBackend be(KILN_BACKEND_CPU);
    KilnBuf bm(be, main), ba(be, aux), bp(be, pre), out(be, 2 * M);
    kiln_matrix mm = kiln_matrix_cols(bm, 0, M, 3), ma = kiln_matrix_cols(ba, 0, M, 4), mp = kiln_matrix_cols(bp, 0, M, 1);
    kiln_expr_quotient_args qa{};
    qa.code = prog.code;
    qa.ninstr = prog.ninstr;
    qa.nregs = prog.nregs;
    qa.consts = prog.consts;
    qa.nconsts = prog.nconsts;
    qa.periodic = ptab.data();
    qa.periodic_words = PB;
    qa.periodic_off = &poff;
    qa.periodic_log = &plog;
    qa.nperiodic = 1;
    qa.main = &mm;
    qa.aux = &ma;
    qa.pre = &mp;
    qa.log_n = log_n;
    qa.log_blowup = lb;
    qa.shift = shift;
    ASSERT_EQ(kiln_expr_quotient(be, &qa, out, 0), KILN_OK) << kiln_backend_error(be);
    std::vector<uint64_t> q = out.get(2 * M);
    // Graph walk per row.
    uint64_t w = kiln_gl_root_of_unity(log_n + lb), g = kiln_gl_root_of_unity(log_n);
    uint64_t glast = kiln_gl_pow(g, n - 1);
    std::vector<kiln_gl2> vals(t->nnodes);
    for (size_t i = 0; i < M; i++) {
        size_t e = 0;
        for (unsigned k = 0; k < log_n + lb; k++) e |= ((i >> k) & 1) << (log_n + lb - 1 - k);
        size_t en = (e + (size_t(1) << lb)) % M, inx = 0;
        for (unsigned k = 0; k < log_n + lb; k++) inx |= ((en >> k) & 1) << (log_n + lb - 1 - k);
        uint64_t xx = kiln_gl_mul(shift, kiln_gl_pow(w, e));
        kiln_gl2 mc[3], mn[3], ac[2], an[2], pc[1], pn[1], pe[1];
        for (int k = 0; k < 3; k++) {
            mc[k] = kiln_gl2_from_base(main[k * M + i]);
            mn[k] = kiln_gl2_from_base(main[k * M + inx]);
        }
        for (int k = 0; k < 2; k++) {
            ac[k] = kiln_gl2_make(aux[2 * k * M + i], aux[(2 * k + 1) * M + i]);
            an[k] = kiln_gl2_make(aux[2 * k * M + inx], aux[(2 * k + 1) * M + inx]);
        }
        pc[0] = kiln_gl2_from_base(pre[i]);
        pn[0] = kiln_gl2_from_base(pre[inx]);
        pe[0] = kiln_gl2_from_base(peval(xx));
        kiln_air_point pt{mc, mn, ac, an, pc, pn, pe, pub, chal, bus};
        kiln_air_eval_nodes(t, &pt, vals.data());
        kiln_gl2 acc[4] = {}, lp = kiln_gl2_make(1, 0);
        for (size_t k = 0; k < t->ncons; k++) {
            acc[t->cons[k].dom] = kiln_gl2_add(acc[t->cons[k].dom], kiln_gl2_mul(lp, vals[t->cons[k].e]));
            lp = kiln_gl2_mul(lp, lambda);
        }
        uint64_t zn = kiln_gl_sub(kiln_gl_pow(xx, n), 1);
        kiln_gl2 expect = kiln_gl2_mul_base(acc[0], kiln_gl_mul(kiln_gl_sub(xx, glast), kiln_gl_inv(zn)));
        expect = kiln_gl2_add(expect, kiln_gl2_mul_base(acc[1], kiln_gl_inv(kiln_gl_sub(xx, 1))));
        expect = kiln_gl2_add(expect, kiln_gl2_mul_base(acc[2], kiln_gl_inv(kiln_gl_sub(xx, glast))));
        expect = kiln_gl2_add(expect, kiln_gl2_mul_base(acc[3], kiln_gl_inv(zn)));
        ASSERT_EQ(q[i], expect.c0) << "row " << i;
        ASSERT_EQ(q[M + i], expect.c1) << "row " << i;
    }
    kiln_prog_free(&prog);
    kiln_air_destroy(air);
}

TEST(Security, PresetsAndFormulas) {
    kiln_proof_config c;
    ASSERT_EQ(kiln_proof_config_preset("default", &c), KILN_OK);
    kiln_proof_table_shape sh{};
    sh.max_degree = 3;
    sh.columns = 100;
    sh.constraints = 100;
    sh.interactions = 2;
    for (unsigned ln = KILN_PROOF_MIN_LOG_ROWS; ln <= KILN_PROOF_MAX_LOG_ROWS; ln++) {
        sh.log_n = ln;
        kiln_proof_security s;
        kiln_proof_security_estimate(&c, &sh, 1, &s);
        EXPECT_GE(s.conjectured, 100.0) << ln;
        EXPECT_DOUBLE_EQ(s.query, 41 * 2 + 20);  // q * log2(blowup) + grinding
        EXPECT_LT(s.proven, s.conjectured);
    }
    // Commit-phase term at 2^20 rows, blowup 4, arity 8: 128 - log2(7 * (2^22 + 1)) = 103.19...
    sh.log_n = 20;
    kiln_proof_security s;
    kiln_proof_security_estimate(&c, &sh, 1, &s);
    EXPECT_NEAR(s.fri_commit, 103.19, 0.01);
    ASSERT_EQ(kiln_proof_config_preset("fast", &c), KILN_OK);
    kiln_proof_security_estimate(&c, &sh, 1, &s);
    EXPECT_LT(s.conjectured, 100.0);
    // zkvm: blowup 2, so each query gives one bit: 82 + 20 of grinding; >= 100 at every supported height.
    ASSERT_EQ(kiln_proof_config_preset("zkvm", &c), KILN_OK);
    for (unsigned ln = KILN_PROOF_MIN_LOG_ROWS; ln <= KILN_PROOF_MAX_LOG_ROWS; ln++) {
        sh.log_n = ln;
        kiln_proof_security_estimate(&c, &sh, 1, &s);
        EXPECT_GE(s.conjectured, 100.0) << ln;
        EXPECT_DOUBLE_EQ(s.query, 82 * 1 + 20);
    }
    EXPECT_EQ(kiln_proof_config_preset("nope", &c), KILN_ERR_INVALID_ARG);
}
