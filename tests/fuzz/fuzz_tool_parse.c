/* Fuzz target for `kiln tool`'s text parsing (apps/kiln/tool_parse.c): rows read line by line from arbitrary
 * bytes, single field elements and hex strings. The first byte picks the row width; the checks after each
 * successful parse (values below p, counts within bounds, decimal and hex round trips) trap on failure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field/goldilocks.h"
#include "tool_parse.h"

#define CHECK(c)                                                                                               \
    do {                                                                                                       \
        if (!(c)) __builtin_trap();                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[256];
    size_t width = size ? (size_t)(data[0] % 8) + 1 : 1;
    const uint8_t *body = size ? data + 1 : data;
    size_t blen = size ? size - 1 : 0;

    kiln_tool_input in;
    if (kiln_tool_input_mem(&in, body, blen) == KILN_OK) {
        uint64_t *vals = NULL;
        size_t nrows = 0;
        const size_t max_values = 4096;
        kiln_status st = kiln_tool_read_rows(&in, width, max_values, &vals, &nrows, err, sizeof err);
        if (st == KILN_OK) {
            CHECK(nrows >= 1 && nrows * width <= max_values);
            for (size_t i = 0; i < nrows * width; i++) CHECK(vals[i] < KILN_GL_P);
        } else {
            CHECK(vals == NULL && nrows == 0);
            CHECK(memchr(err, '\n', strlen(err)) == NULL && err[0] != 0);
        }
        free(vals);
        kiln_tool_input_close(&in);
    }

    /* The whole body as one value: success means a canonical value that round-trips through both notations. */
    uint64_t v;
    if (kiln_tool_parse_field((const char *)body, blen, &v, err, sizeof err) == KILN_OK) {
        char buf[32];
        uint64_t back;
        CHECK(v < KILN_GL_P);
        int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
        CHECK(kiln_tool_parse_field(buf, (size_t)n, &back, err, sizeof err) == KILN_OK && back == v);
        n = snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
        CHECK(kiln_tool_parse_field(buf, (size_t)n, &back, err, sizeof err) == KILN_OK && back == v);
    }

    /* As a hex string (NUL-terminated copy, as argv would be). */
    char *s = (char *)malloc(blen + 1);
    if (s) {
        memcpy(s, body, blen);
        s[blen] = 0;
        uint8_t *bytes = NULL;
        size_t nbytes = 0;
        if (kiln_tool_parse_hex(s, &bytes, &nbytes, err, sizeof err) == KILN_OK) {
            CHECK(bytes != NULL && 2 * nbytes <= strlen(s));
            free(bytes);
        }
        free(s);
    }
    return 0;
}
