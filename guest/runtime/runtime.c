/* Guest runtime: syscall wrappers, mem* functions (the compiler may emit calls to them), the allocator, and
 * 64-bit division helpers (rv32im has no 64-bit divide and there is no compiler-rt here). */
#include "kiln_guest.h"

#define HEAP_END 0x7fe00000u

/* Input and output are bound to a proof through two hashes the runtime computes itself (docs/vm-abi.md, "I/O
 * commitments"): the whole input is read once into a buffer and the committed output is kept, and at exit
 * both are hashed with the Poseidon2 precompile and handed to the io_digest syscall (a0 = 8 x u64: input
 * hash, output hash), where the zkVM AIR exposes them as public values; then exit. */
static uint8_t *in_buf, *out_buf;
static size_t in_len, in_pos, out_len, out_cap;
static int in_loaded;

static void input_load(void) {
    if (in_loaded) return;
    in_loaded = 1;
    size_t n = kiln_syscall(KILN_SYS_INPUT_LEN, 0, 0, 0, 0, 0, 0, 0);
    in_buf = (uint8_t *)malloc(n ? n : 1); /* 16-aligned: the proven INPUT_READ writes whole words */
    if (n && kiln_syscall(KILN_SYS_INPUT_READ, (uint32_t)in_buf, n, 0, 0, 0, 0, 0) != n)
        kiln_panic("short input read", 104);
    in_len = n;
}

/* Poseidon2 sponge over [len, w_0, w_1, ...] with w_i the little-endian u32 of bytes 4i..4i+3 (zero-padded):
 * the same definition as the host's kiln_zkvm_input_hash, through poseidon2_hash's padding (a 1 after the
 * last element, zeros to a multiple of the rate 8, overwrite mode). */
static void hash_bytes(const uint8_t *b, size_t len, uint64_t out[4]) {
    uint64_t st[12] = {0};
    size_t n = 1 + (len + 3) / 4, total = (n + 1 + 7) / 8 * 8;
    for (size_t i = 0; i < total;) {
        for (int k = 0; k < 8; k++, i++) {
            uint64_t e = 0;
            if (i == 0)
                e = len;
            else if (i < n)
                for (size_t j = 4 * (i - 1), s = 0; j < len && s < 32; j++, s += 8)
                    e |= (uint64_t)b[j] << s;
            else if (i == n)
                e = 1;
            st[k] = e;
        }
        kiln_poseidon2_permute(st);
    }
    for (int k = 0; k < 4; k++)
        out[k] = st[k];
}

void kiln_exit(uint32_t code) {
    static uint64_t digest[8];
    input_load(); /* the input hash covers the whole input, read or not */
    hash_bytes(in_buf, in_len, digest);
    hash_bytes(out_buf, out_len, digest + 4);
    kiln_syscall(KILN_SYS_IO_DIGEST, (uint32_t)digest, 0, 0, 0, 0, 0, 0);
    kiln_syscall(KILN_SYS_EXIT, code, 0, 0, 0, 0, 0, 0);
    for (;;) {
    }
}

size_t kiln_advice(const void *req, size_t req_len, void *out, size_t cap) {
    return kiln_syscall(KILN_SYS_ADVICE, (uint32_t)out, cap, (uint32_t)req, req_len, 0, 0, 0);
}

void kiln_advice_exact(const void *req, size_t req_len, void *out, size_t len) {
    if (kiln_advice(req, req_len, out, len) != len) kiln_panic("advice of the wrong length", 105);
}

void kiln_panic(const char *msg, uint32_t code) {
    kiln_print("panic: ");
    kiln_print(msg);
    kiln_print("\n");
    kiln_exit(code ? code : 101);
}

size_t kiln_input_len(void) {
    input_load();
    return in_len - in_pos;
}
size_t kiln_input_read(void *buf, size_t len) {
    input_load();
    size_t k = in_len - in_pos < len ? in_len - in_pos : len;
    memcpy(buf, in_buf + in_pos, k);
    in_pos += k;
    return k;
}
uint8_t *kiln_input_all(size_t *len) {
    input_load();
    uint8_t *b = in_buf + in_pos;
    *len = in_len - in_pos;
    in_pos = in_len;
    return b;
}
void kiln_commit(const void *buf, size_t len) {
    if (len > out_cap - out_len) { /* grow by doubling; the bump allocator never frees */
        size_t cap = out_cap ? out_cap : 64;
        while (cap - out_len < len)
            cap *= 2;
        uint8_t *nb = (uint8_t *)malloc(cap);
        if (out_len) memcpy(nb, out_buf, out_len);
        out_buf = nb;
        out_cap = cap;
    }
    memcpy(out_buf + out_len, buf, len);
    out_len += len;
    kiln_syscall(KILN_SYS_COMMIT, (uint32_t)buf, len, 0, 0, 0, 0, 0);
}
void kiln_debug(const void *buf, size_t len) {
    kiln_syscall(KILN_SYS_DEBUG, (uint32_t)buf, len, 0, 0, 0, 0, 0);
}
void kiln_print(const char *s) {
    kiln_debug(s, strlen(s));
}
void kiln_print_hex(const void *buf, size_t len) {
    static const char hx[] = "0123456789abcdef";
    const uint8_t *b = (const uint8_t *)buf;
    char tmp[64];
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        tmp[k++] = hx[b[i] >> 4];
        tmp[k++] = hx[b[i] & 15];
        if (k == sizeof tmp) {
            kiln_debug(tmp, k);
            k = 0;
        }
    }
    if (k) kiln_debug(tmp, k);
}
void kiln_print_u32(uint32_t v) {
    char tmp[10];
    int k = 10;
    do {
        tmp[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    kiln_debug(tmp + k, (size_t)(10 - k));
}

void kiln_poseidon2_permute(uint64_t state[12]) {
    kiln_syscall(KILN_SYS_POSEIDON2, (uint32_t)state, 0, 0, 0, 0, 0, 0);
}
void kiln_keccak_f1600(uint64_t state[25]) {
    kiln_syscall(KILN_SYS_KECCAKF, (uint32_t)state, 0, 0, 0, 0, 0, 0);
}

/* Word-at-a-time when both pointers share alignment: rv32im faults on misaligned words in Kiln's VM. */
void *memcpy(void *dst, const void *src, size_t n) {
    uint8_t *d = (uint8_t *)dst;
    const uint8_t *s = (const uint8_t *)src;
    if ((((uint32_t)d ^ (uint32_t)s) & 3) == 0) {
        while (n && ((uint32_t)d & 3)) {
            *d++ = *s++;
            n--;
        }
        while (n >= 16) {
            uint32_t *dw = (uint32_t *)d;
            const uint32_t *sw = (const uint32_t *)s;
            dw[0] = sw[0];
            dw[1] = sw[1];
            dw[2] = sw[2];
            dw[3] = sw[3];
            d += 16;
            s += 16;
            n -= 16;
        }
        while (n >= 4) {
            *(uint32_t *)d = *(const uint32_t *)s;
            d += 4;
            s += 4;
            n -= 4;
        }
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    uint8_t *d = (uint8_t *)dst;
    const uint8_t *s = (const uint8_t *)src;
    if (d == s || n == 0) return dst;
    if (d < s || d >= s + n) return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    uint8_t *d = (uint8_t *)dst;
    uint32_t w = (uint8_t)c * 0x01010101u;
    while (n && ((uint32_t)d & 3)) {
        *d++ = (uint8_t)c;
        n--;
    }
    while (n >= 4) {
        *(uint32_t *)d = w;
        d += 4;
        n -= 4;
    }
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
    size_t i = 0;
    if ((((uint32_t)x | (uint32_t)y) & 3) == 0) /* equal words skipped a word at a time */
        while (i + 4 <= n && *(const uint32_t *)(x + i) == *(const uint32_t *)(y + i))
            i += 4;
    for (; i < n; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

extern char _end[];
static uint32_t heap_next;

void *malloc(size_t n) {
    if (!heap_next) heap_next = ((uint32_t)_end + 15) & ~15u;
    uint32_t p = heap_next;
    if (n > HEAP_END - p) kiln_panic("out of memory", 102);
    heap_next = (p + n + 15) & ~15u;
    return (void *)p;
}

/* Fresh heap pages read as zero and the bump allocator never reuses memory. */
void *calloc(size_t n, size_t size) {
    if (size && n > 0xffffffffu / size) kiln_panic("calloc overflow", 102);
    return malloc(n * size);
}

void free(void *p) {
    (void)p;
}

/* 64-bit unsigned division by shift and subtract. */
static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem) {
    if (d == 0) kiln_panic("division by zero", 103);
    uint64_t q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ull << i;
        }
    }
    if (rem) *rem = r;
    return q;
}
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);
uint64_t __udivdi3(uint64_t n, uint64_t d) {
    return udivmod64(n, d, 0);
}
uint64_t __umoddi3(uint64_t n, uint64_t d) {
    uint64_t r;
    udivmod64(n, d, &r);
    return r;
}
int64_t __divdi3(int64_t n, int64_t d) {
    uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n, ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
    uint64_t q = udivmod64(un, ud, 0);
    return (int64_t)(((n < 0) != (d < 0)) ? -q : q);
}
int64_t __moddi3(int64_t n, int64_t d) {
    uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n, ud = d < 0 ? -(uint64_t)d : (uint64_t)d, r;
    udivmod64(un, ud, &r);
    return (int64_t)(n < 0 ? -r : r);
}
