/* STUB: to be replaced by the Merkle implementation. */
#include "../backend/kernels_cpu.h"
void kiln_cpu_hash_rows(kiln_hasher h, const uint64_t *base, size_t nrows, size_t ncols, size_t row_stride,
                        size_t col_stride, uint64_t *out) { (void)h; (void)base; (void)nrows; (void)ncols; (void)row_stride; (void)col_stride; (void)out; }
void kiln_cpu_merkle_build(kiln_hasher h, uint64_t *tree, size_t nleaves, unsigned cap_log) { (void)h; (void)tree; (void)nleaves; (void)cap_log; }
