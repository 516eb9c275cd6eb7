/* STUB */
#include "../backend/cuda_ctx.cuh"
extern "C" kiln_status kiln_cuda_poly_eval_ext(kiln_cuda_ctx *, const uint64_t *, size_t, size_t, kiln_gl2, kiln_gl2 *) { return KILN_ERR_UNIMPLEMENTED; }
extern "C" kiln_status kiln_cuda_batch_inverse(kiln_cuda_ctx *, uint64_t *, size_t) { return KILN_ERR_UNIMPLEMENTED; }
extern "C" kiln_status kiln_cuda_batch_inverse_ext(kiln_cuda_ctx *, uint64_t *, size_t) { return KILN_ERR_UNIMPLEMENTED; }
