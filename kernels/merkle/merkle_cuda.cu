/* STUB: to be replaced by the Merkle implementation. */
#include "../backend/cuda_ctx.cuh"
extern "C" kiln_status kiln_cuda_hash_rows(kiln_cuda_ctx *, kiln_hasher, const uint64_t *, size_t, size_t, size_t, size_t, uint64_t *) { return KILN_ERR_UNIMPLEMENTED; }
extern "C" kiln_status kiln_cuda_merkle_build(kiln_cuda_ctx *, kiln_hasher, uint64_t *, size_t, unsigned) { return KILN_ERR_UNIMPLEMENTED; }
extern "C" kiln_status kiln_cuda_merkle_paths(kiln_cuda_ctx *, const uint64_t *, size_t, unsigned, const size_t *, size_t, uint64_t *) { return KILN_ERR_UNIMPLEMENTED; }
extern "C" kiln_status kiln_cuda_gather_rows(kiln_cuda_ctx *, const uint64_t *, size_t, size_t, size_t, const size_t *, size_t, uint64_t *) { return KILN_ERR_UNIMPLEMENTED; }
