/* Status codes shared by every Kiln module. Functions that can fail return one of these and write their
 * results through out-parameters. */
#ifndef KILN_STATUS_H
#define KILN_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kiln_status {
    KILN_OK = 0,
    KILN_ERR_INVALID_ARG,   /* a caller passed a bad size, index, pointer or value */
    KILN_ERR_OUT_OF_MEMORY, /* host or device allocation failed */
    KILN_ERR_UNSUPPORTED,   /* valid request this build or backend cannot serve */
    KILN_ERR_NO_DEVICE,     /* the CUDA backend was asked for but no usable GPU is present */
    KILN_ERR_CUDA,          /* a CUDA runtime call or kernel failed */
    KILN_ERR_IO,            /* file or stream error */
    KILN_ERR_PARSE,         /* malformed outside input (text, bytes, files) */
    KILN_ERR_VERIFY,        /* a proof, path or signature did not verify */
    KILN_ERR_SECURITY,      /* parameters fall short of the requested security */
    KILN_ERR_LIMIT,         /* a resource limit (cycles, memory cap, size) was reached */
    KILN_ERR_FAULT,         /* a guest program faulted */
    KILN_ERR_UNIMPLEMENTED, /* not built yet */
    KILN_ERR_INTERNAL       /* a bug: an invariant did not hold */
} kiln_status;

/* A short, static, human-readable name for a status ("invalid argument"). Never NULL. */
const char *kiln_status_str(kiln_status s);

#ifdef __cplusplus
}
#endif
#endif
