#include "proto_base.h"

kiln_status kiln_proto_fail(kiln_status st, char *err, size_t errlen, const char *msg) {
    if (err && errlen) {
        size_t i = 0;
        for (; msg && msg[i] && i + 1 < errlen; i++)
            err[i] = msg[i];
        err[i] = 0;
    }
    return st;
}
