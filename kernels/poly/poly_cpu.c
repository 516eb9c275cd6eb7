/* STUB */
#include "../backend/kernels_cpu.h"
void kiln_cpu_poly_eval_ext(const uint64_t *coeffs, size_t n, size_t ncols, kiln_gl2 z, kiln_gl2 *out) { (void)coeffs; (void)n; (void)ncols; (void)z; (void)out; }
void kiln_cpu_batch_inverse(uint64_t *v, size_t n) { (void)v; (void)n; }
void kiln_cpu_batch_inverse_ext(uint64_t *v, size_t n) { (void)v; (void)n; }
