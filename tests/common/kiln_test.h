/* Helpers shared by the GoogleTest suites. */
#ifndef KILN_TEST_H
#define KILN_TEST_H

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "backend/backend.h"
#include "common/bits.h"
#include "common/parallel.h"

/* Skips the current test, saying why, when no GPU is present (D2: GPU tests skip and say so). */
#define KILN_REQUIRE_GPU()                                                                                     \
    do {                                                                                                       \
        if (!kiln_cuda_available()) GTEST_SKIP() << "no CUDA device on this machine: GPU test skipped";       \
    } while (0)

/* Sets the kernels' thread count for one scope (0 afterwards: back to the default). */
struct ThreadsGuard {
    explicit ThreadsGuard(unsigned n) { kiln_parallel_set_threads(n); }
    ~ThreadsGuard() { kiln_parallel_set_threads(0); }
};

/* Deterministic random canonical field elements. */
struct KilnRng {
    std::mt19937_64 g;
    explicit KilnRng(uint64_t seed = 0x6b696c6eULL) : g(seed) {}
    uint64_t next() { return g(); }
    uint64_t field() {
        for (;;) {
            uint64_t v = g();
            if (v < KILN_GL_P) return v;
        }
    }
    kiln_gl2 ext() { return kiln_gl2_make(field(), field()); }
    std::vector<uint64_t> fields(size_t n) {
        std::vector<uint64_t> v(n);
        for (auto &x : v) x = field();
        return v;
    }
};

/* Owns a backend for a test. */
struct KilnBackend {
    kiln_backend *be = nullptr;
    explicit KilnBackend(kiln_backend_kind k) {
        if (kiln_backend_create(k, &be) != KILN_OK) be = nullptr;
    }
    ~KilnBackend() { kiln_backend_destroy(be); }
    operator kiln_backend *() const { return be; }
};

/* Owns a buffer; upload/download helpers. */
struct KilnBuf {
    kiln_buf *b = nullptr;
    KilnBuf(kiln_backend *be, size_t words) { EXPECT_EQ(kiln_buf_alloc(be, words * 8, &b), KILN_OK); }
    KilnBuf(kiln_backend *be, const std::vector<uint64_t> &v) : KilnBuf(be, v.size()) { put(v); }
    ~KilnBuf() { kiln_buf_free(b); }
    void put(const std::vector<uint64_t> &v, size_t off = 0) {
        EXPECT_EQ(kiln_buf_write(b, off * 8, v.data(), v.size() * 8), KILN_OK);
    }
    std::vector<uint64_t> get(size_t words, size_t off = 0) const {
        std::vector<uint64_t> v(words);
        EXPECT_EQ(kiln_buf_read(b, off * 8, v.data(), words * 8), KILN_OK);
        return v;
    }
    operator kiln_buf *() const { return b; }
};

#endif
