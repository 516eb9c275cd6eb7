/* STUB: to be replaced by the NTT implementation. */
#include "../backend/cuda_ctx.cuh"
extern "C" kiln_status kiln_cuda_ntt(kiln_cuda_ctx *, uint64_t *, size_t, unsigned, int, uint64_t, kiln_order,
                                     kiln_order) { return KILN_ERR_UNIMPLEMENTED; }
extern "C" kiln_status kiln_cuda_lde_from_coeffs(kiln_cuda_ctx *, const uint64_t *, uint64_t *, size_t, unsigned,
                                                 unsigned, uint64_t, kiln_order) { return KILN_ERR_UNIMPLEMENTED; }
