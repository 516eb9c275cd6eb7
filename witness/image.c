/* The program's memory image for the zkVM AIR: one entry per 32-bit word of every loadable segment (the file
 * bytes, then the zero-filled tail), writable when the VM maps its page writable, and the ram table's lower
 * bound (heap_base). The image table (witness/air_image.c) is preprocessed from it, so the verification key
 * binds every initial word. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkvm_internal.h"

#define IMG_PAGE 4096u
#define IMG_PF_W 2u
#define IMG_MAX_LOG 22u

static uint32_t rd32(const uint8_t *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static uint16_t rd16(const uint8_t *b) {
    return (uint16_t)(b[0] | b[1] << 8);
}

static int word_cmp(const void *a, const void *b) {
    uint32_t x = ((const zk_word *)a)->addr, y = ((const zk_word *)b)->addr;
    return x < y ? -1 : x > y;
}

typedef struct img_seg {
    uint32_t vaddr, memsz, filesz, off, flags;
} img_seg;

/* The VM maps every page a segment touches with the union of the flags of the segments touching it
 * (vm/memory.c), so writability is a property of the page, not of the segment. */
static uint32_t page_writable(const img_seg *s, size_t ns, uint32_t page) {
    for (size_t i = 0; i < ns; i++)
        if ((s[i].flags & IMG_PF_W) && page >= s[i].vaddr / IMG_PAGE &&
            page <= (uint32_t)(((uint64_t)s[i].vaddr + s[i].memsz - 1) / IMG_PAGE))
            return 1;
    return 0;
}

kiln_status zk_image_build(kiln_zkvm_program *p, const uint8_t *elf, char *err, size_t errlen) {
    /* The VM validated the headers: PT_LOAD data lies inside the file, segments lie in [LOAD_MIN, HEAP_END)
     * and do not overlap (byte-wise; two may share a word or a page). */
    uint32_t phoff = rd32(elf + 28);
    unsigned phentsize = rd16(elf + 42), phnum = rd16(elf + 44);
    img_seg *seg = (img_seg *)calloc(phnum ? phnum : 1, sizeof *seg);
    if (!seg) return KILN_ERR_OUT_OF_MEMORY;
    size_t ns = 0;
    uint64_t total = 0, top = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = elf + phoff + (size_t)i * phentsize;
        if (rd32(ph) != 1 || rd32(ph + 20) == 0) continue; /* PT_LOAD with memory */
        img_seg *s = &seg[ns++];
        s->off = rd32(ph + 4), s->vaddr = rd32(ph + 8), s->filesz = rd32(ph + 16), s->memsz = rd32(ph + 20);
        s->flags = rd32(ph + 24);
        uint64_t end = (uint64_t)s->vaddr + s->memsz;
        total += (((end + 3) & ~3ull) - (s->vaddr & ~3u)) / 4;
        if (end > top) top = end;
    }
    if (total > ((uint64_t)1 << IMG_MAX_LOG)) {
        if (err && errlen)
            snprintf(err, errlen,
                     "the memory image has %llu words (code, data and bss); the zkVM AIR holds at most 2^%u",
                     (unsigned long long)total, IMG_MAX_LOG);
        free(seg);
        return KILN_ERR_UNSUPPORTED;
    }
    zk_word *img = (zk_word *)calloc(total ? total : 1, sizeof *img);
    if (!img) {
        free(seg);
        return KILN_ERR_OUT_OF_MEMORY;
    }
    size_t n = 0;
    for (size_t i = 0; i < ns; i++) {
        const img_seg *s = &seg[i];
        uint64_t end = (uint64_t)s->vaddr + s->memsz;
        for (uint64_t a = s->vaddr & ~3u; a < end; a += 4) {
            uint32_t v = 0;
            for (uint64_t b = a; b < a + 4; b++) /* file bytes only; the rest of the word is zero */
                if (b >= s->vaddr && b < (uint64_t)s->vaddr + s->filesz)
                    v |= (uint32_t)elf[s->off + (b - s->vaddr)] << (8 * (b - a));
            img[n].addr = (uint32_t)a;
            img[n].val = v;
            n++;
        }
    }
    qsort(img, n, sizeof *img, word_cmp);
    size_t m = 0; /* merge words shared by two segments: their bytes are disjoint */
    for (size_t i = 0; i < n; i++) {
        if (m && img[m - 1].addr == img[i].addr)
            img[m - 1].val |= img[i].val;
        else
            img[m++] = img[i];
    }
    for (size_t i = 0; i < m; i++)
        img[i].w = page_writable(seg, ns, img[i].addr / IMG_PAGE);
    /* The heap starts at brk (top rounded up to a page); the rest of the last image page is mapped too, zero,
     * and may hold ram words when that page is writable. Either way the ram table stays above the image. */
    uint64_t base = (top + IMG_PAGE - 1) & ~(uint64_t)(IMG_PAGE - 1);
    if (top % IMG_PAGE && page_writable(seg, ns, (uint32_t)((top - 1) / IMG_PAGE))) base = (top + 3) & ~3ull;
    free(seg);
    p->image = img;
    p->nimage = m;
    p->heap_base = (uint32_t)base;
    p->image_log = 2;
    while (((size_t)1 << p->image_log) < m)
        p->image_log++;
    return KILN_OK;
}

const zk_word *zk_image_find(const kiln_zkvm_program *p, uint32_t addr) {
    size_t lo = 0, hi = p->nimage;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->image[mid].addr < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->nimage && p->image[lo].addr == addr ? &p->image[lo] : NULL;
}
