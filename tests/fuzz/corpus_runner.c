/* Replays every file of a fuzz corpus directory through LLVMFuzzerTestOneInput, so corpora run as ordinary
 * tests under gcc (and under ASan/UBSan in the sanitizer configuration). Exits non-zero if the directory is
 * missing or empty. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        fprintf(stderr, "cannot open corpus %s\n", argv[1]);
        return 2;
    }
    struct dirent *e;
    size_t count = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = (uint8_t *)malloc(len > 0 ? (size_t)len : 1);
        size_t got = buf ? fread(buf, 1, (size_t)(len > 0 ? len : 0), f) : 0;
        fclose(f);
        if (!buf) return 3;
        LLVMFuzzerTestOneInput(buf, got);
        free(buf);
        count++;
    }
    closedir(d);
    printf("%zu corpus inputs replayed from %s\n", count, argv[1]);
    return count ? 0 : 1;
}
