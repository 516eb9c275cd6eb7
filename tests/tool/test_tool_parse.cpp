// The tool's parser directly: field elements at the edges of the accepted range, hex byte strings, and rows
// read from memory (widths, blank lines, CRLF, limits, line numbers in messages).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "field/goldilocks.h"
#include "tool_parse.h"

namespace {

kiln_status field(const std::string &s, uint64_t *v, std::string *msg = nullptr) {
    char err[256] = "";
    kiln_status st = kiln_tool_parse_field(s.data(), s.size(), v, err, sizeof err);
    if (msg) *msg = err;
    return st;
}

TEST(ToolParse, FieldElementsAtTheEdges) {
    uint64_t v = 1;
    EXPECT_EQ(field("0", &v), KILN_OK);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(field("0x0", &v), KILN_OK);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(field("18446744069414584320", &v), KILN_OK);
    EXPECT_EQ(v, KILN_GL_P - 1);
    EXPECT_EQ(field("0xFFFFFFFF00000000", &v), KILN_OK);
    EXPECT_EQ(v, KILN_GL_P - 1);
    EXPECT_EQ(field("0x000000000000000000000000000000ff", &v), KILN_OK);  // leading zeros
    EXPECT_EQ(v, 255u);
    EXPECT_EQ(field("000000000000000000000000042", &v), KILN_OK);
    EXPECT_EQ(v, 42u);
    std::string msg;
    EXPECT_EQ(field("18446744069414584321", &v, &msg), KILN_ERR_PARSE);
    EXPECT_NE(msg.find("not below p"), std::string::npos) << msg;
    for (const char *bad : {"", "0x", "0X", "+1", "-1", " 1", "1 ", "1e3", "0x1g", "0b101", "1_000", "0xffffffff00000001",
                            "18446744073709551615", "18446744073709551616", "0x1ffffffffffffffff", "x12"})
        EXPECT_EQ(field(bad, &v), KILN_ERR_PARSE) << "'" << bad << "'";
    // A NUL byte inside the given length is a bad digit, not an early end.
    EXPECT_EQ(field(std::string("12\0" "3", 4), &v), KILN_ERR_PARSE);
}

TEST(ToolParse, HexBytes) {
    uint8_t *b = nullptr;
    size_t n = 99;
    char err[256];
    ASSERT_EQ(kiln_tool_parse_hex("0x00fFa1", &b, &n, err, sizeof err), KILN_OK);
    ASSERT_EQ(n, 3u);
    EXPECT_EQ(b[0], 0x00);
    EXPECT_EQ(b[1], 0xff);
    EXPECT_EQ(b[2], 0xa1);
    free(b);
    ASSERT_EQ(kiln_tool_parse_hex("", &b, &n, err, sizeof err), KILN_OK);
    EXPECT_EQ(n, 0u);
    free(b);
    EXPECT_EQ(kiln_tool_parse_hex("abc", &b, &n, err, sizeof err), KILN_ERR_PARSE);
    EXPECT_EQ(b, nullptr);
    EXPECT_EQ(kiln_tool_parse_hex("0x0g", &b, &n, err, sizeof err), KILN_ERR_PARSE);
    EXPECT_NE(std::string(err).find("'g'"), std::string::npos) << err;
    EXPECT_EQ(kiln_tool_parse_hex("0xx0", &b, &n, err, sizeof err), KILN_ERR_PARSE);
}

struct Rows {
    kiln_status st;
    std::vector<uint64_t> v;
    size_t nrows;
    std::string err;
};

Rows rows(const std::string &text, size_t width, size_t max_values = 1000) {
    kiln_tool_input in;
    Rows r{KILN_ERR_INTERNAL, {}, 0, ""};
    EXPECT_EQ(kiln_tool_input_mem(&in, (const uint8_t *)text.data(), text.size()), KILN_OK);
    uint64_t *out = nullptr;
    char err[256] = "";
    r.st = kiln_tool_read_rows(&in, width, max_values, &out, &r.nrows, err, sizeof err);
    if (r.st == KILN_OK) r.v.assign(out, out + r.nrows * width);
    else EXPECT_EQ(out, nullptr);
    free(out);
    kiln_tool_input_close(&in);
    r.err = err;
    return r;
}

TEST(ToolParse, RowsFromMemory) {
    Rows r = rows("1 2 3\r\n\n\t4\t0x5   6  \n7 8 9", 3);  // no final newline
    ASSERT_EQ(r.st, KILN_OK) << r.err;
    EXPECT_EQ(r.nrows, 3u);
    EXPECT_EQ(r.v, (std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));

    Rows s = rows("1 2\n3\n", 2);
    EXPECT_EQ(s.st, KILN_ERR_PARSE);
    EXPECT_EQ(s.err, "line 2: expected 2 values, found 1");
    Rows l = rows("1 2\n\n3 4 5\n", 2);
    EXPECT_EQ(l.st, KILN_ERR_PARSE);
    EXPECT_EQ(l.err, "line 3: more than 2 values");
    Rows b = rows("1\n2\nzz\n", 1);
    EXPECT_EQ(b.st, KILN_ERR_PARSE);
    EXPECT_EQ(b.err.rfind("line 3: 'zz'", 0), 0u) << b.err;
    EXPECT_EQ(rows("", 1).st, KILN_ERR_PARSE);
    EXPECT_EQ(rows(" \n\r\n\n", 1).err, "empty input: no values");
    EXPECT_EQ(rows("1\n2\n3\n", 1, 2).st, KILN_ERR_LIMIT);
    EXPECT_EQ(rows("1\n2\n", 1, 2).st, KILN_OK);
    EXPECT_EQ(rows("1\n2\n", 0).st, KILN_ERR_INVALID_ARG);

    // Longest line accepted; one byte more is an error naming the line.
    std::string ok(KILN_TOOL_MAX_LINE - 1, ' ');
    EXPECT_EQ(rows("5\n" + ok + "7\n", 1).st, KILN_OK);
    Rows over = rows("5\n" + ok + " 7\n", 1);
    EXPECT_EQ(over.st, KILN_ERR_PARSE);
    EXPECT_EQ(over.err, "line 2: longer than 65536 bytes");
}

}  // namespace
