// Goldilocks and its quadratic extension against a slow reference (128-bit remainder) and field axioms.
#include "kiln_test.h"

#include "field/goldilocks_ext2.h"

namespace {

typedef unsigned __int128 u128;
const uint64_t P = KILN_GL_P;

uint64_t ref_mul(uint64_t a, uint64_t b) { return (uint64_t)(((u128)a * b) % P); }
uint64_t ref_add(uint64_t a, uint64_t b) { return (uint64_t)(((u128)a + b) % P); }
uint64_t ref_sub(uint64_t a, uint64_t b) { return (uint64_t)(((u128)a + P - b) % P); }

std::vector<uint64_t> edge_values() {
    return {0, 1, 2, 7, P - 1, P - 2, 0xFFFFFFFFULL, 0x100000000ULL, P >> 1, (P >> 1) + 1, 0xFFFFFFFF00000000ULL,
            0x8000000000000000ULL, 0x7FFFFFFFFFFFFFFFULL};
}

TEST(Goldilocks, AddSubMulMatchReferenceOnEdges) {
    for (uint64_t a : edge_values())
        for (uint64_t b : edge_values()) {
            EXPECT_EQ(kiln_gl_add(a, b), ref_add(a, b)) << a << " + " << b;
            EXPECT_EQ(kiln_gl_sub(a, b), ref_sub(a, b)) << a << " - " << b;
            EXPECT_EQ(kiln_gl_mul(a, b), ref_mul(a, b)) << a << " * " << b;
        }
}

TEST(Goldilocks, AddSubMulMatchReferenceOnRandom) {
    KilnRng rng;
    for (int i = 0; i < 200000; i++) {
        uint64_t a = rng.field(), b = rng.field();
        ASSERT_EQ(kiln_gl_add(a, b), ref_add(a, b));
        ASSERT_EQ(kiln_gl_sub(a, b), ref_sub(a, b));
        ASSERT_EQ(kiln_gl_mul(a, b), ref_mul(a, b));
        ASSERT_EQ(kiln_gl_sqr(a), ref_mul(a, a));
        ASSERT_EQ(kiln_gl_neg(a), ref_sub(0, a));
    }
}

TEST(Goldilocks, Reduce128AllHighWords) {
    KilnRng rng;
    for (int i = 0; i < 100000; i++) {
        uint64_t lo = rng.next(), hi = rng.next();
        u128 x = ((u128)hi << 64) | lo;
        ASSERT_EQ(kiln_gl_reduce128(lo, hi), (uint64_t)(x % P));
    }
    EXPECT_EQ(kiln_gl_reduce128(~0ULL, ~0ULL), (uint64_t)((~(u128)0) % P));
    EXPECT_EQ(kiln_gl_from_u64(~0ULL), (uint64_t)(~0ULL % P));
}

TEST(Goldilocks, PowAndInverse) {
    KilnRng rng;
    EXPECT_EQ(kiln_gl_inv(0), 0u);
    EXPECT_EQ(kiln_gl_inv(1), 1u);
    EXPECT_EQ(kiln_gl_mul(kiln_gl_inv(2), 2), 1u);
    for (int i = 0; i < 2000; i++) {
        uint64_t a = rng.field();
        if (!a) continue;
        ASSERT_EQ(kiln_gl_mul(a, kiln_gl_inv(a)), 1u);
    }
    // Fermat: a^(p-1) = 1; 7 generates the group, so 7^((p-1)/q) != 1 for every prime q | p-1.
    EXPECT_EQ(kiln_gl_pow(123456789, P - 1), 1u);
    const uint64_t primes[] = {2, 3, 5, 17, 257, 65537};  // p - 1 = 2^32 * 3 * 5 * 17 * 257 * 65537
    uint64_t m = 1ULL << 32;
    for (uint64_t q : {3ULL, 5ULL, 17ULL, 257ULL, 65537ULL}) m *= q;
    EXPECT_EQ(m, P - 1);
    for (uint64_t q : primes) EXPECT_NE(kiln_gl_pow(KILN_GL_GENERATOR, (P - 1) / q), 1u) << q;
}

TEST(Goldilocks, RootsOfUnityHaveExactOrder) {
    // The D1 constant is a primitive 2^32-th root: w^(2^31) = -1.
    uint64_t w = KILN_GL_ROOT_2_32;
    EXPECT_EQ(kiln_gl_pow(w, 1ULL << 31), P - 1);
    EXPECT_EQ(kiln_gl_pow(w, 1ULL << 32), 1u);
    for (unsigned k = 1; k <= 32; k++) {
        uint64_t r = kiln_gl_root_of_unity(k);
        EXPECT_EQ(kiln_gl_pow(r, 1ULL << (k - 1)), P - 1) << k;
    }
    EXPECT_EQ(kiln_gl_root_of_unity(0), 1u);
}

kiln_gl2 ref_ext_mul(kiln_gl2 a, kiln_gl2 b) {
    // Schoolbook with the reference ops, independently of the header's mul7 trick.
    uint64_t c0 = ref_add(ref_mul(a.c0, b.c0), ref_mul(7, ref_mul(a.c1, b.c1)));
    uint64_t c1 = ref_add(ref_mul(a.c0, b.c1), ref_mul(a.c1, b.c0));
    return kiln_gl2_make(c0, c1);
}

TEST(GoldilocksExt2, SevenIsANonResidue) {
    // Euler's criterion: 7^((p-1)/2) = -1, so x^2 - 7 is irreducible.
    EXPECT_EQ(kiln_gl_pow(7, (P - 1) / 2), P - 1);
}

TEST(GoldilocksExt2, AxiomsAndReference) {
    KilnRng rng;
    const kiln_gl2 one = kiln_gl2_make(1, 0), zero = kiln_gl2_make(0, 0);
    for (int i = 0; i < 20000; i++) {
        kiln_gl2 a = rng.ext(), b = rng.ext(), c = rng.ext();
        ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_mul(a, b), ref_ext_mul(a, b)));
        ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_mul(a, b), kiln_gl2_mul(b, a)));
        ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_mul(kiln_gl2_mul(a, b), c), kiln_gl2_mul(a, kiln_gl2_mul(b, c))));
        ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_mul(a, kiln_gl2_add(b, c)),
                                kiln_gl2_add(kiln_gl2_mul(a, b), kiln_gl2_mul(a, c))));
        ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_add(a, kiln_gl2_neg(a)), zero));
        ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_sub(a, b), kiln_gl2_add(a, kiln_gl2_neg(b))));
        ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_mul(a, one), a));
        ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_mul_base(a, b.c0), kiln_gl2_mul(a, kiln_gl2_from_base(b.c0))));
        if (!kiln_gl2_is_zero(a)) {
            ASSERT_TRUE(kiln_gl2_eq(kiln_gl2_mul(a, kiln_gl2_inv(a)), one));
        }
    }
    EXPECT_TRUE(kiln_gl2_is_zero(kiln_gl2_inv(zero)));
}

TEST(GoldilocksExt2, XSquaredIsSevenAndFrobenius) {
    kiln_gl2 x = kiln_gl2_make(0, 1);
    EXPECT_TRUE(kiln_gl2_eq(kiln_gl2_sqr(x), kiln_gl2_make(7, 0)));
    // Frobenius: a^p = conjugate(a) = c0 - c1 x; so a^(p+1) = norm(a) lies in the base field.
    KilnRng rng;
    for (int i = 0; i < 50; i++) {
        kiln_gl2 a = rng.ext();
        kiln_gl2 ap = kiln_gl2_pow(a, P);
        EXPECT_TRUE(kiln_gl2_eq(ap, kiln_gl2_make(a.c0, kiln_gl_neg(a.c1))));
    }
}

}  // namespace
