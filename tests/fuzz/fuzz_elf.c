/* Fuzz target: the ELF loader, and a short bounded run of whatever it accepts (the VM must contain any
 * guest behaviour). */
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    kiln_vm_program *p = NULL;
    char err[160];
    if (kiln_vm_program_from_elf(data, size, &p, err, sizeof err) != KILN_OK) return 0;
    kiln_vm_config cfg;
    kiln_vm_config_init(&cfg);
    cfg.max_cycles = 20000;
    cfg.memory_cap = 64u << 20;
    kiln_vm *vm = NULL;
    if (kiln_vm_create(p, &cfg, &vm) == KILN_OK) {
        kiln_vm_set_input(vm, data, size < 64 ? size : 64);
        kiln_vm_result r;
        kiln_vm_run(vm, &r);
        kiln_vm_free(vm);
    }
    kiln_vm_program_free(p);
    return 0;
}
