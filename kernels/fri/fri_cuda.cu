/* STUB */
#include "../backend/cuda_ctx.cuh"
extern "C" kiln_status kiln_cuda_fri_fold(kiln_cuda_ctx *, const uint64_t *, uint64_t *, unsigned, unsigned, uint64_t, kiln_gl2) { return KILN_ERR_UNIMPLEMENTED; }
