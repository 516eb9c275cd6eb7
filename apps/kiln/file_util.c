#include "file_util.h"

#include <stdio.h>
#include <stdlib.h>

int kiln_app_read_file(const char *path, uint8_t **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 1 << 16, n = 0;
    uint8_t *b = (uint8_t *)malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap) break;
        if (cap >= KILN_APP_MAX_FILE) { /* still more to read: too large */
            free(b);
            b = NULL;
            break;
        }
        uint8_t *nb = (uint8_t *)realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!b || err) {
        free(b);
        return -1;
    }
    *out = b;
    *len = n;
    return 0;
}
