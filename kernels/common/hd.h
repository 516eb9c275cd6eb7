/* KILN_HD marks small functions usable from host C, host C++ and CUDA device code (one implementation for
 * both sides, as in sppark). */
#ifndef KILN_HD_H
#define KILN_HD_H

#ifdef __CUDACC__
#define KILN_HD static __host__ __device__ __forceinline__
#else
#define KILN_HD static inline
#endif

#endif
