// `kiln tool` run as a process: known answers (Keccak-256 vectors, the Poseidon2 permutation KATs), hashes and
// Merkle roots recomputed through independent paths (the permutation and keccak256 subcommands, composed by
// hand), NTTs against a naive DFT computed here, and every kind of bad input exiting non-zero with a one-line
// message.
#include "kiln_test.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "field/goldilocks.h"

namespace {

struct ToolRun {
    int code = -1;
    std::string out, err;
};

std::string slurp(FILE *f) {
    std::string s;
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, got);
    return s;
}

std::string temp_file(const std::string &content) {
    char path[] = "/tmp/kiln_tool_test_XXXXXX";
    int fd = mkstemp(path);
    EXPECT_GE(fd, 0);
    if (fd >= 0) {
        size_t at = 0;
        while (at < content.size()) {
            ssize_t w = write(fd, content.data() + at, content.size() - at);
            if (w <= 0) break;
            at += (size_t)w;
        }
        close(fd);
    }
    return path;
}

// Runs `kiln tool ARGS < stdin_data`.
ToolRun tool(const std::string &args, const std::string &stdin_data = "") {
    std::string in = temp_file(stdin_data), err = temp_file("");
    std::string cmd = std::string("'") + KILN_BIN + "' tool " + args + " < " + in + " 2> " + err;
    ToolRun r;
    FILE *p = popen(cmd.c_str(), "r");
    EXPECT_NE(p, nullptr);
    if (p) {
        r.out = slurp(p);
        int status = pclose(p);
        r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
    FILE *e = fopen(err.c_str(), "rb");
    if (e) {
        r.err = slurp(e);
        fclose(e);
    }
    unlink(in.c_str());
    unlink(err.c_str());
    return r;
}

std::string hex64(uint64_t v) {
    char b[24];
    snprintf(b, sizeof b, "0x%016llx", (unsigned long long)v);
    return b;
}

std::vector<uint64_t> parse_values(const std::string &s) {
    std::vector<uint64_t> v;
    std::istringstream is(s);
    std::string tok;
    while (is >> tok) v.push_back(std::stoull(tok, nullptr, 16));
    return v;
}

std::string join(const std::vector<uint64_t> &v, const char *sep = " ") {
    std::string s;
    for (size_t i = 0; i < v.size(); i++) s += (i ? sep : "") + hex64(v[i]);
    return s;
}

// The first 4 outputs of the permutation of state, through `kiln tool poseidon2-permute`.
std::vector<uint64_t> permute(const std::vector<uint64_t> &state) {
    ToolRun r = tool("poseidon2-permute " + join(state));
    EXPECT_EQ(r.code, 0) << r.err;
    return parse_values(r.out);
}

std::string le_hex(const std::vector<uint64_t> &words) {
    std::string s;
    char b[4];
    for (uint64_t w : words)
        for (int i = 0; i < 8; i++) {
            snprintf(b, sizeof b, "%02x", (unsigned)((w >> (8 * i)) & 0xff));
            s += b;
        }
    return s;
}

std::string keccak(const std::string &hex) {
    ToolRun r = tool("keccak256 0x" + hex);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out.substr(0, r.out.size() - 1);
}

// A one-line message on stderr, nothing on stdout.
void expect_error(const ToolRun &r, int code, const char *what) {
    EXPECT_EQ(r.code, code) << what << ": stderr " << r.err;
    EXPECT_TRUE(r.out.empty()) << what << ": stdout " << r.out;
    ASSERT_FALSE(r.err.empty()) << what;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << what << ": not one line: " << r.err;
    EXPECT_EQ(r.err.rfind("kiln tool", 0), 0u) << what << ": " << r.err;
}

TEST(ToolUsage, HelpAndNoArguments) {
    ToolRun none = tool("");
    EXPECT_EQ(none.code, 2);
    EXPECT_NE(none.err.find("usage: kiln tool"), std::string::npos);
    ToolRun help = tool("--help");
    EXPECT_EQ(help.code, 0);
    EXPECT_NE(help.out.find("merkle-root"), std::string::npos);
    EXPECT_NE(help.out.find("--blowup"), std::string::npos);
    EXPECT_EQ(tool("ntt --help").code, 0);
    expect_error(tool("frobnicate"), 2, "unknown subcommand");
}

TEST(ToolKeccak, KnownAnswers) {
    const std::string empty = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470\n";
    const std::string abc = "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45\n";
    EXPECT_EQ(tool("keccak256 ''").out, empty);
    EXPECT_EQ(tool("keccak256 0x").out, empty);
    EXPECT_EQ(tool("keccak256 616263").out, abc);
    EXPECT_EQ(tool("keccak256 0x616263").out, abc);
    EXPECT_EQ(tool("keccak256 0X616263").out, abc);
    EXPECT_EQ(tool("keccak256 -", "abc").out, abc);
    EXPECT_EQ(tool("keccak256 -", "").out, empty);
    EXPECT_EQ(tool("keccak256 0x616263").code, 0);
}

TEST(ToolKeccak, BadInput) {
    expect_error(tool("keccak256 0x6162633"), 2, "odd length");
    expect_error(tool("keccak256 6g"), 2, "bad digit");
    expect_error(tool("keccak256 0xzz"), 2, "bad digit after 0x");
    expect_error(tool("keccak256"), 2, "no argument");
    expect_error(tool("keccak256 00 11"), 2, "two arguments");
}

const std::vector<uint64_t> kPermOf0To11 = {0x5d82c16b87f07f98, 0x3655af22bb2f037d, 0x82c1535dfb4bdf90,
                                            0x4d318cfdafd2378e, 0xeb1268ea6a2a193d, 0x9c63e30e83c421f1,
                                            0x3c92467548423cb5, 0xa35f46ad84b528d8, 0x78772d90dcdfc5a9,
                                            0x9e40a5ac16fc1a22, 0xd9d4ef30b7fd161e, 0x65d6088403490555};

TEST(ToolPoseidon2, PermutationKnownAnswers) {
    ToolRun r = tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 11");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, join(kPermOf0To11) + "\n");
    // Hex and decimal inputs mean the same thing.
    EXPECT_EQ(tool("poseidon2-permute 0x0 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9 0xa 0xB").out, r.out);
    ToolRun zeros = tool("poseidon2-permute 0 0 0 0 0 0 0 0 0 0 0 0");
    EXPECT_EQ(parse_values(zeros.out)[0], 0x78e86c27e831c353ULL);
    EXPECT_EQ(parse_values(zeros.out)[11], 0x292838440f8a0e5eULL);
    std::string pm1;
    for (int i = 0; i < 12; i++) pm1 += (i % 2 ? " 18446744069414584320" : " 0xffffffff00000000");
    ToolRun top = tool("poseidon2-permute" + pm1);
    ASSERT_EQ(top.code, 0) << top.err;
    EXPECT_EQ(parse_values(top.out)[0], 0x96870c9e1b4c87bbULL);
    EXPECT_EQ(parse_values(top.out)[11], 0x8b0d50d2334bbb0cULL);
}

TEST(ToolPoseidon2, HashModesEqualHandComposedPermutations) {
    std::vector<uint64_t> in = {5, 6, 7};
    // var: input, 1, zeros to 8, from a zero state.
    auto want_var = permute({5, 6, 7, 1, 0, 0, 0, 0, 0, 0, 0, 0});
    want_var.resize(4);
    ToolRun var = tool("poseidon2-hash 5 6 7");
    ASSERT_EQ(var.code, 0) << var.err;
    EXPECT_EQ(parse_values(var.out), want_var);
    EXPECT_EQ(tool("poseidon2-hash --mode var 5 6 7").out, var.out);
    EXPECT_EQ(tool("poseidon2-hash --mode=var 5 6 7").out, var.out);
    // leaf: zero-padded chunks of 8 overwrite the rate, no length padding.
    auto want_leaf = permute({5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    want_leaf.resize(4);
    EXPECT_EQ(parse_values(tool("poseidon2-hash --mode leaf 5 6 7").out), want_leaf);
    // Two chunks: the second overwrites the rate and keeps the capacity.
    auto s1 = permute({1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0});
    ASSERT_EQ(s1.size(), 12u);
    auto s2 = permute({9, 10, 0, 0, 0, 0, 0, 0, s1[8], s1[9], s1[10], s1[11]});
    s2.resize(4);
    EXPECT_EQ(parse_values(tool("poseidon2-hash --mode leaf 1 2 3 4 5 6 7 8 9 10").out), s2);
    // var of nothing: a lone 1.
    auto want_empty = permute({1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    want_empty.resize(4);
    EXPECT_EQ(parse_values(tool("poseidon2-hash").out), want_empty);
}

TEST(ToolPoseidon2, BadInput) {
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10"), 2, "11 values");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 11 12"), 2, "13 values");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 18446744069414584321"), 2, "p");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 0xffffffff00000001"), 2, "p in hex");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 99999999999999999999999"), 2, "overflow");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 0x10000000000000000"), 2, "hex overflow");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 abc"), 2, "not a number");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 0x"), 2, "0x alone");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 ''"), 2, "empty");
    expect_error(tool("poseidon2-permute 0 1 2 3 4 5 6 7 8 9 10 1.5"), 2, "decimal point");
    expect_error(tool("poseidon2-hash --mode sponge 1"), 2, "bad mode");
    expect_error(tool("poseidon2-hash --mode"), 2, "mode without value");
    expect_error(tool("poseidon2-hash --mode leaf"), 2, "leaf of nothing");
    expect_error(tool("poseidon2-hash --fast 1"), 2, "unknown option");
    expect_error(tool("poseidon2-hash 1 -2"), 2, "negative");
}

TEST(ToolMerkle, PoseidonRootOfTwoRowsIsTheNodeOfTheLeaves) {
    auto l = permute({1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    auto r = permute({4, 5, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    ASSERT_EQ(l.size(), 12u);
    ASSERT_EQ(r.size(), 12u);
    auto root = permute({l[0], l[1], l[2], l[3], r[0], r[1], r[2], r[3], 0, 0, 0, 0});
    root.resize(4);
    ToolRun m = tool("merkle-root --hasher poseidon2 --width 3", "1 2 3\n4\t5  0x10\n");
    ASSERT_EQ(m.code, 0) << m.err;
    EXPECT_EQ(m.out, join(root) + "\n");
    // Same rows with CRLF line ends, blank lines and the defaults (poseidon2, cap 0).
    EXPECT_EQ(tool("merkle-root --width=3", "\n1 2 3\r\n\n4 5 16\r\n\n").out, m.out);
    // Cap 1 over 2 rows: the two leaves.
    ToolRun cap = tool("merkle-root --width 3 --cap 1", "1 2 3\n4 5 16\n");
    ASSERT_EQ(cap.code, 0) << cap.err;
    EXPECT_EQ(cap.out, join({l[0], l[1], l[2], l[3]}) + "\n" + join({r[0], r[1], r[2], r[3]}) + "\n");
}

TEST(ToolMerkle, KeccakRootOfTwoRowsIsTheNodeOfTheLeaves) {
    std::string l = keccak(le_hex({1, 2})), r = keccak(le_hex({3, KILN_GL_P - 1}));
    ASSERT_EQ(l.size(), 66u);
    std::string root = keccak(l.substr(2) + r.substr(2));
    ToolRun m = tool("merkle-root --hasher keccak --width 2", "1 2\n3 18446744069414584320\n");
    ASSERT_EQ(m.code, 0) << m.err;
    EXPECT_EQ(m.out, root + "\n");
}

TEST(ToolMerkle, FourRowsCapOneHoldsTheTwoNodes) {
    std::vector<std::vector<uint64_t>> leaves;
    for (uint64_t v : {11, 22, 33, 44}) {
        auto s = permute({v, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        s.resize(4);
        leaves.push_back(s);
    }
    auto node = [](const std::vector<uint64_t> &a, const std::vector<uint64_t> &b) {
        auto s = permute({a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], 0, 0, 0, 0});
        s.resize(4);
        return s;
    };
    auto n0 = node(leaves[0], leaves[1]), n1 = node(leaves[2], leaves[3]);
    ToolRun cap = tool("merkle-root --width 1 --cap 1", "11\n22\n33\n44\n");
    ASSERT_EQ(cap.code, 0) << cap.err;
    EXPECT_EQ(cap.out, join(n0) + "\n" + join(n1) + "\n");
    EXPECT_EQ(tool("merkle-root --width 1", "11\n22\n33\n44\n").out, join(node(n0, n1)) + "\n");
}

TEST(ToolBackends, AutoEqualsCpu) {
    // On a GPU machine auto picks CUDA, so this compares the two backends through the tool.
    KilnRng rng(33);
    std::string rows, vals;
    for (int r = 0; r < 64; r++) {
        auto v = rng.fields(5);
        rows += join(v) + "\n";
        vals += hex64(v[0]) + "\n";
    }
    for (const char *h : {"poseidon2", "keccak"}) {
        ToolRun cpu = tool(std::string("merkle-root --width 5 --cap 2 --hasher ") + h + " --backend cpu", rows);
        ASSERT_EQ(cpu.code, 0) << cpu.err;
        EXPECT_EQ(tool(std::string("merkle-root --width 5 --cap 2 --hasher ") + h + " --backend auto", rows).out,
                  cpu.out);
    }
    ToolRun cpu = tool("ntt --coset --backend cpu", vals);
    ASSERT_EQ(cpu.code, 0) << cpu.err;
    EXPECT_EQ(tool("ntt --coset --backend auto", vals).out, cpu.out);
    EXPECT_EQ(tool("ntt --blowup 4 --backend auto", vals).out, tool("ntt --blowup 4", vals).out);
}

TEST(ToolMerkle, BadInput) {
    expect_error(tool("merkle-root", "1\n2\n"), 2, "no width");
    expect_error(tool("merkle-root --width 0", "1\n2\n"), 2, "width 0");
    expect_error(tool("merkle-root --width x", "1\n2\n"), 2, "width not a number");
    expect_error(tool("merkle-root --width", "1\n2\n"), 2, "width without value");
    expect_error(tool("merkle-root --width 1 --hasher sha256", "1\n2\n"), 2, "bad hasher");
    expect_error(tool("merkle-root --width 1 --backend tpu", "1\n2\n"), 2, "bad backend");
    expect_error(tool("merkle-root --width 1 extra", "1\n2\n"), 2, "stray argument");
    expect_error(tool("merkle-root --width 1", "1\n2\n3\n"), 1, "3 rows");
    expect_error(tool("merkle-root --width 2", "1 2\n3\n"), 1, "short row");
    expect_error(tool("merkle-root --width 2", "1 2\n3 4 5\n"), 1, "long row");
    expect_error(tool("merkle-root --width 2", ""), 1, "empty input");
    expect_error(tool("merkle-root --width 2", "\n  \n\t\n"), 1, "blank input");
    expect_error(tool("merkle-root --width 1", "1\n18446744069414584321\n"), 1, "value p");
    expect_error(tool("merkle-root --width 1", "1\n0x1g\n"), 1, "bad digit");
    expect_error(tool("merkle-root --width 1", std::string("1\n2\0\n", 5)), 1, "NUL byte");
    expect_error(tool("merkle-root --width 1", "1\n" + std::string(70000, '1') + "\n"), 1, "overlong line");
    expect_error(tool("merkle-root --width 1 --cap 2", "1\n2\n"), 1, "cap larger than rows");
    expect_error(tool("merkle-root --width 1 --cap 31", "1\n2\n"), 2, "cap out of range");
    if (!kiln_cuda_available())
        expect_error(tool("merkle-root --width 1 --backend cuda", "1\n2\n"), 1, "cuda without a GPU");
}

// Naive DFT: y_i = sum_j a_j (shift * w^i)^j over n points (n * N points for an LDE evaluation).
std::vector<uint64_t> naive_eval(const std::vector<uint64_t> &a, size_t npoints, uint64_t shift) {
    unsigned log = 0;
    while (((size_t)1 << log) < npoints) log++;
    uint64_t w = kiln_gl_root_of_unity(log);
    std::vector<uint64_t> y(npoints);
    for (size_t i = 0; i < npoints; i++) {
        uint64_t x = kiln_gl_mul(shift, kiln_gl_pow(w, i)), acc = 0;
        for (size_t j = a.size(); j-- > 0;) acc = kiln_gl_add(kiln_gl_mul(acc, x), a[j]);
        y[i] = acc;
    }
    return y;
}

std::string lines(const std::vector<uint64_t> &v) { return join(v, "\n") + "\n"; }

TEST(ToolNtt, ForwardInverseAndCosetAgainstNaiveDft) {
    KilnRng rng(31);
    for (size_t n : {1, 2, 4, 8, 16}) {
        auto a = rng.fields(n);
        auto plain = naive_eval(a, n, 1), coset = naive_eval(a, n, KILN_GL_GENERATOR);
        ToolRun f = tool("ntt", lines(a));
        ASSERT_EQ(f.code, 0) << f.err;
        EXPECT_EQ(parse_values(f.out), plain) << "forward n " << n;
        EXPECT_EQ(parse_values(tool("ntt --coset", lines(a)).out), coset) << "coset n " << n;
        EXPECT_EQ(parse_values(tool("ntt --inverse", lines(plain)).out), a) << "inverse n " << n;
        EXPECT_EQ(parse_values(tool("ntt --inverse --coset", lines(coset)).out), a) << "inverse coset n " << n;
    }
    // Decimal input, CRLF and blank lines: coefficients 1,2,3,4 evaluate to 10 at x = 1.
    ToolRun d = tool("ntt", "1\r\n2\n\n3\n4\n");
    ASSERT_EQ(d.code, 0) << d.err;
    EXPECT_EQ(parse_values(d.out), naive_eval({1, 2, 3, 4}, 4, 1));
    EXPECT_EQ(parse_values(d.out)[0], 10u);
}

TEST(ToolNtt, BlowupIsTheLdeOverTheCoset) {
    KilnRng rng(32);
    for (size_t n : {1, 2, 8}) {
        for (size_t b : {2, 4, 16}) {
            auto a = rng.fields(n);  // coefficients; the tool gets their evaluations over H
            auto want = naive_eval(a, n * b, KILN_GL_GENERATOR);
            ToolRun r = tool("ntt --blowup " + std::to_string(b), lines(naive_eval(a, n, 1)));
            ASSERT_EQ(r.code, 0) << r.err;
            EXPECT_EQ(parse_values(r.out), want) << "n " << n << " blowup " << b;
        }
    }
}

TEST(ToolNtt, BadInput) {
    expect_error(tool("ntt", ""), 1, "empty input");
    expect_error(tool("ntt", "\n\n"), 1, "blank input");
    expect_error(tool("ntt", "1\n2\n3\n"), 1, "3 values");
    expect_error(tool("ntt", "1\n2 3\n"), 1, "two values on a line");
    expect_error(tool("ntt", "1\nzz\n"), 1, "not a number");
    expect_error(tool("ntt", "1\n-2\n"), 1, "negative");
    expect_error(tool("ntt", "1\n0xffffffff00000001\n"), 1, "p");
    expect_error(tool("ntt", "1\n" + std::string(65537, ' ') + "\n"), 1, "overlong line");
    expect_error(tool("ntt", std::string("\xff\xfe\x00\x01", 4)), 1, "binary input");
    expect_error(tool("ntt --blowup 3", "1\n2\n"), 2, "blowup 3");
    expect_error(tool("ntt --blowup 32", "1\n2\n"), 2, "blowup 32");
    expect_error(tool("ntt --blowup", "1\n2\n"), 2, "blowup without value");
    expect_error(tool("ntt --inverse --blowup 2", "1\n2\n"), 2, "inverse with blowup");
    expect_error(tool("ntt --fast", "1\n2\n"), 2, "unknown option");
    expect_error(tool("ntt --backend quantum", "1\n2\n"), 2, "bad backend");
}

}  // namespace
