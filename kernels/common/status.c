#include "status.h"

const char *kiln_status_str(kiln_status s) {
    switch (s) {
    case KILN_OK: return "ok";
    case KILN_ERR_INVALID_ARG: return "invalid argument";
    case KILN_ERR_OUT_OF_MEMORY: return "out of memory";
    case KILN_ERR_UNSUPPORTED: return "unsupported";
    case KILN_ERR_NO_DEVICE: return "no CUDA device";
    case KILN_ERR_CUDA: return "CUDA error";
    case KILN_ERR_IO: return "I/O error";
    case KILN_ERR_PARSE: return "parse error";
    case KILN_ERR_VERIFY: return "verification failed";
    case KILN_ERR_SECURITY: return "insufficient security";
    case KILN_ERR_LIMIT: return "limit reached";
    case KILN_ERR_FAULT: return "guest fault";
    case KILN_ERR_UNIMPLEMENTED: return "not implemented";
    case KILN_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}
