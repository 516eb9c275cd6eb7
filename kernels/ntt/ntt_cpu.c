/* STUB: to be replaced by the NTT implementation. */
#include "../backend/kernels_cpu.h"
kiln_status kiln_cpu_ntt(uint64_t *data, size_t ncols, unsigned log_n, int inverse, uint64_t shift,
                         kiln_order in_order, kiln_order out_order) {
    (void)data; (void)ncols; (void)log_n; (void)inverse; (void)shift; (void)in_order; (void)out_order;
    return KILN_ERR_UNIMPLEMENTED;
}
kiln_status kiln_cpu_lde_from_coeffs(const uint64_t *src, uint64_t *dst, size_t ncols, unsigned log_n,
                                     unsigned log_blowup, uint64_t shift, kiln_order out_order) {
    (void)src; (void)dst; (void)ncols; (void)log_n; (void)log_blowup; (void)shift; (void)out_order;
    return KILN_ERR_UNIMPLEMENTED;
}
