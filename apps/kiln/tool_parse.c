/* Text parsing for `kiln tool` (see tool_parse.h). */
#include "tool_parse.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "field/goldilocks.h"

static kiln_status errf(char *err, size_t errlen, kiln_status st, const char *fmt, ...) {
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* A printable, bounded copy of a token for messages (outside text may hold any byte). */
static const char *shown(const char *s, size_t len, char *buf, size_t cap) {
    size_t n = 0, max = cap - 4;
    for (size_t i = 0; i < len && n < max; i++) buf[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (len > max) buf[n++] = '.', buf[n++] = '.', buf[n++] = '.';
    buf[n] = 0;
    return buf;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

kiln_status kiln_tool_parse_field(const char *s, size_t len, uint64_t *out, char *err, size_t errlen) {
    char tok[48];
    if (!s || len == 0) return errf(err, errlen, KILN_ERR_PARSE, "empty value");
    uint64_t v = 0;
    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (len == 2) return errf(err, errlen, KILN_ERR_PARSE, "'%s' has no hex digits", shown(s, len, tok, sizeof tok));
        for (size_t i = 2; i < len; i++) {
            int d = hex_digit(s[i]);
            if (d < 0) return errf(err, errlen, KILN_ERR_PARSE, "'%s' is not a hex number", shown(s, len, tok, sizeof tok));
            if (v >> 60) return errf(err, errlen, KILN_ERR_PARSE, "'%s' is not below p", shown(s, len, tok, sizeof tok));
            v = (v << 4) | (uint64_t)d;
        }
    } else {
        for (size_t i = 0; i < len; i++) {
            if (s[i] < '0' || s[i] > '9')
                return errf(err, errlen, KILN_ERR_PARSE, "'%s' is not a number (decimal or 0x hex)",
                            shown(s, len, tok, sizeof tok));
            uint64_t d = (uint64_t)(s[i] - '0');
            if (v > (UINT64_MAX - d) / 10)
                return errf(err, errlen, KILN_ERR_PARSE, "'%s' is not below p", shown(s, len, tok, sizeof tok));
            v = v * 10 + d;
        }
    }
    if (v >= KILN_GL_P)
        return errf(err, errlen, KILN_ERR_PARSE, "'%s' is not below p = 18446744069414584321",
                    shown(s, len, tok, sizeof tok));
    *out = v;
    return KILN_OK;
}

kiln_status kiln_tool_parse_hex(const char *s, uint8_t **out, size_t *out_len, char *err, size_t errlen) {
    *out = NULL;
    *out_len = 0;
    if (!s) return errf(err, errlen, KILN_ERR_PARSE, "missing hex string");
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2, len -= 2;
    if (len % 2) return errf(err, errlen, KILN_ERR_PARSE, "hex string has an odd number of digits (%zu)", len);
    uint8_t *b = (uint8_t *)malloc(len / 2 + 1);
    if (!b) return errf(err, errlen, KILN_ERR_OUT_OF_MEMORY, "out of memory");
    for (size_t i = 0; i < len; i += 2) {
        int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0) {
            free(b);
            size_t at = hi < 0 ? i : i + 1;
            char c = s[at];
            return errf(err, errlen, KILN_ERR_PARSE, "bad hex digit '%c' at position %zu",
                        (c >= 0x20 && c < 0x7f) ? c : '?', at);
        }
        b[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    *out = b;
    *out_len = len / 2;
    return KILN_OK;
}

/* ---- line input ---- */

static kiln_status input_init(kiln_tool_input *in) {
    in->pos = 0;
    in->lineno = 0;
    in->line = (char *)malloc(KILN_TOOL_MAX_LINE + 1);
    return in->line ? KILN_OK : KILN_ERR_OUT_OF_MEMORY;
}

kiln_status kiln_tool_input_file(kiln_tool_input *in, FILE *f) {
    memset(in, 0, sizeof *in);
    in->f = f;
    return input_init(in);
}

kiln_status kiln_tool_input_mem(kiln_tool_input *in, const uint8_t *data, size_t len) {
    memset(in, 0, sizeof *in);
    in->mem = data;
    in->mem_len = len;
    return input_init(in);
}

void kiln_tool_input_close(kiln_tool_input *in) {
    free(in->line);
    in->line = NULL;
}

static int next_byte(kiln_tool_input *in) {
    if (in->f) return getc(in->f);
    return in->pos < in->mem_len ? in->mem[in->pos++] : EOF;
}

/* Reads one line (without "\n" or "\r\n") into in->line. KILN_OK with *len, KILN_ERR_LIMIT at end of input
 * (*len = 0, nothing read), or an error for an overlong line or a read failure. */
static kiln_status read_line(kiln_tool_input *in, size_t *len, char *err, size_t errlen) {
    size_t n = 0;
    int c = next_byte(in);
    if (c == EOF) {
        *len = 0;
        if (in->f && ferror(in->f)) return errf(err, errlen, KILN_ERR_IO, "read error on input");
        return KILN_ERR_LIMIT;
    }
    in->lineno++;
    for (; c != EOF && c != '\n'; c = next_byte(in)) {
        if (n == KILN_TOOL_MAX_LINE)
            return errf(err, errlen, KILN_ERR_PARSE, "line %zu: longer than %d bytes", in->lineno, KILN_TOOL_MAX_LINE);
        in->line[n++] = (char)c;
    }
    if (c == EOF && in->f && ferror(in->f)) return errf(err, errlen, KILN_ERR_IO, "read error on input");
    if (n && in->line[n - 1] == '\r') n--;
    *len = n;
    return KILN_OK;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

kiln_status kiln_tool_read_rows(kiln_tool_input *in, size_t width, size_t max_values, uint64_t **out, size_t *nrows,
                                char *err, size_t errlen) {
    *out = NULL;
    *nrows = 0;
    if (width == 0 || !in->line) return errf(err, errlen, KILN_ERR_INVALID_ARG, "bad row width");
    uint64_t *vals = NULL;
    size_t count = 0, cap = 0, rows = 0;
    char msg[200];
    kiln_status st;
    for (;;) {
        size_t len;
        st = read_line(in, &len, err, errlen);
        if (st == KILN_ERR_LIMIT) break;
        if (st != KILN_OK) goto fail;
        size_t i = 0, in_row = 0;
        for (;;) {
            while (i < len && is_space(in->line[i])) i++;
            if (i == len) break;
            size_t start = i;
            while (i < len && !is_space(in->line[i])) i++;
            if (in_row == width) {
                st = errf(err, errlen, KILN_ERR_PARSE, "line %zu: more than %zu value%s", in->lineno, width,
                          width == 1 ? "" : "s");
                goto fail;
            }
            if (count == max_values) {
                st = errf(err, errlen, KILN_ERR_LIMIT, "line %zu: more than %zu values in all", in->lineno, max_values);
                goto fail;
            }
            if (count == cap) {
                size_t ncap = cap ? 2 * cap : 1024;
                if (ncap > max_values) ncap = max_values;
                uint64_t *nv = (uint64_t *)realloc(vals, ncap * sizeof(uint64_t));
                if (!nv) {
                    st = errf(err, errlen, KILN_ERR_OUT_OF_MEMORY, "out of memory after %zu values", count);
                    goto fail;
                }
                vals = nv;
                cap = ncap;
            }
            st = kiln_tool_parse_field(in->line + start, i - start, &vals[count], msg, sizeof msg);
            if (st != KILN_OK) {
                errf(err, errlen, st, "line %zu: %s", in->lineno, msg);
                goto fail;
            }
            count++;
            in_row++;
        }
        if (in_row == 0) continue; /* blank line */
        if (in_row != width) {
            st = errf(err, errlen, KILN_ERR_PARSE, "line %zu: expected %zu values, found %zu", in->lineno, width, in_row);
            goto fail;
        }
        rows++;
    }
    if (rows == 0) {
        st = errf(err, errlen, KILN_ERR_PARSE, "empty input: no values");
        goto fail;
    }
    *out = vals;
    *nrows = rows;
    return KILN_OK;
fail:
    free(vals);
    return st;
}
