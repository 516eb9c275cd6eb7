# cmake -DIN=file -DOUT=file.c -P embed_elf.cmake: writes IN's bytes as the C array kiln_bootloader_elf.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n" body "${body}")
file(WRITE ${OUT} "/* Generated from ${IN}; do not edit. */\n#include <stddef.h>\n#include <stdint.h>\n"
    "const uint8_t kiln_bootloader_elf[] = {\n${body}\n};\nconst size_t kiln_bootloader_elf_len = ${bytes};\n")
