/* Fuzz target: BATCH.json's parser (sequencer/batch_json.h): any bytes give a parsed batch or an error. */
#include <stddef.h>
#include <stdint.h>

#include "sequencer/batch_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    kiln_batch_json b;
    char err[256];
    if (kiln_batch_json_parse((const char *)data, size, &b, err, sizeof err) == KILN_OK) kiln_batch_json_free(&b);
    return 0;
}
