/* STUB */
#include "../backend/kernels_cpu.h"
void kiln_cpu_fri_fold(const uint64_t *in, uint64_t *out, unsigned log_n, unsigned log_arity, uint64_t shift, kiln_gl2 beta) { (void)in; (void)out; (void)log_n; (void)log_arity; (void)shift; (void)beta; }
