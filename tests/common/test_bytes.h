// Hex, temporary-directory and guest-run helpers shared by the protocol, sequencer and witness suites (one
// copy instead of one per suite). Hex: lowercase, no "0x" on output; input may carry "0x" and an odd digit
// count (a leading 0 is implied). Guests: KILN_GUEST_DIR/NAME.elf run in the VM on an input, with an optional
// config and trace.
#ifndef KILN_TEST_BYTES_H
#define KILN_TEST_BYTES_H

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "vm.h"

namespace kt {

inline std::string to_hex(const uint8_t *p, size_t n) {
    static const char *d = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; i++) {
        s += d[p[i] >> 4];
        s += d[p[i] & 15];
    }
    return s;
}
inline std::string to_hex(const std::vector<uint8_t> &b) {
    return to_hex(b.data(), b.size());
}

inline std::vector<uint8_t> from_hex(const std::string &s0) {
    std::string s = s0.rfind("0x", 0) == 0 ? s0.substr(2) : s0;
    if (s.size() % 2) s = "0" + s;
    std::vector<uint8_t> b;
    for (size_t i = 0; i < s.size(); i += 2)
        b.push_back((uint8_t)std::stoul(s.substr(i, 2), nullptr, 16));
    return b;
}

inline std::vector<uint8_t> read_file(const std::string &path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

struct GuestRun {
    kiln_status st = KILN_ERR_INTERNAL; // kiln_vm_run's, or the load's when the ELF did not load
    kiln_vm_result res{};
    std::vector<uint8_t> out;
    std::string err;
};

#ifdef KILN_GUEST_DIR
// Runs guest NAME on input; cfg and trace may be null. The caller checks res (exit, cycles) and out.
inline GuestRun run_guest(const std::string &name, const std::vector<uint8_t> &input,
                          const kiln_vm_config *cfg = nullptr, kiln_vm_trace *trace = nullptr) {
    GuestRun g;
    std::vector<uint8_t> elf = read_file(std::string(KILN_GUEST_DIR) + "/" + name + ".elf");
    char err[256] = "";
    kiln_vm_program *p = nullptr;
    if ((g.st = kiln_vm_program_from_elf(elf.data(), elf.size(), &p, err, sizeof err)) != KILN_OK) {
        g.err = name + ".elf: " + err;
        return g;
    }
    kiln_vm *vm = nullptr;
    if ((g.st = kiln_vm_create(p, cfg, &vm)) == KILN_OK &&
        (g.st = kiln_vm_set_input(vm, input.data(), input.size())) == KILN_OK) {
        if (trace) kiln_vm_set_trace(vm, trace);
        g.st = kiln_vm_run(vm, &g.res);
        const uint8_t *o;
        size_t n;
        kiln_vm_output(vm, &o, &n);
        g.out.assign(o, o + n);
    }
    kiln_vm_free(vm);
    kiln_vm_program_free(p);
    return g;
}
#endif

/* A fresh temporary directory, removed with everything in it at the end of the scope. */
struct TempDir {
    std::string path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kiln-test-XXXXXX").string();
        std::vector<char> b(tmpl.begin(), tmpl.end());
        b.push_back(0);
        if (mkdtemp(b.data())) path = b.data();
    }
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) std::filesystem::remove_all(path, ec);
    }
};

} // namespace kt
#endif
