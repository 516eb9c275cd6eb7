# Building RV32IM guests from any host build (gcc or clang): clang --target=riscv32 and ld.lld are invoked
# directly through custom commands, so the host compiler never sees guest code.
#
#   kiln_add_guest(NAME SOURCES a.c b.S ... [DEFINES X=1 ...])  ->  ${KILN_GUEST_OUT}/NAME.elf, target guest_NAME
#
# Guest C sees protocol/ and kernels/' plain headers, and KILN_GUEST=1; a guest that uses protocol/ adds
# ${KILN_PROTOCOL_GUEST_SRC} to its SOURCES.
#
# Sets KILN_HAVE_GUESTS (in the caller's scope) when the tools exist.

find_program(KILN_GUEST_CC NAMES clang clang-14 clang-15 clang-16)
find_program(KILN_GUEST_LD NAMES ld.lld ld.lld-14 ld.lld-15 ld.lld-16)

set(KILN_GUEST_FLAGS --target=riscv32 -march=rv32im -mabi=ilp32 -nostdlib -ffreestanding -fno-pic -mno-relax
    -O2 -g0 -ffunction-sections -fdata-sections -fno-stack-protector -Wall -Wextra -Werror -std=c11)
set(KILN_GUEST_ASFLAGS --target=riscv32 -march=rv32im -mabi=ilp32 -mno-relax)
set(KILN_GUEST_DIR ${CMAKE_CURRENT_LIST_DIR}/..)
set(KILN_GUEST_OUT ${CMAKE_BINARY_DIR}/guest)

# Compiles one source to an object; returns its path in OUT_VAR.
function(kiln_guest_object src defines tag out_var)
    get_filename_component(base ${src} NAME)
    set(obj ${KILN_GUEST_OUT}/obj/${tag}/${base}.o)
    set(defs "")
    foreach(d ${defines})
        list(APPEND defs -D${d})
    endforeach()
    if(src MATCHES "\\.S$")
        set(flags ${KILN_GUEST_ASFLAGS})
    else()
        set(flags ${KILN_GUEST_FLAGS} -DKILN_GUEST=1 -I${KILN_GUEST_DIR}/runtime -I${KILN_GUEST_DIR}/lib
            -I${KILN_GUEST_DIR}/../protocol -I${KILN_GUEST_DIR}/../kernels)
    endif()
    add_custom_command(OUTPUT ${obj}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${KILN_GUEST_OUT}/obj/${tag}
        COMMAND ${KILN_GUEST_CC} ${flags} ${defs} -MD -MF ${obj}.d -c ${src} -o ${obj}
        DEPENDS ${src} DEPFILE ${obj}.d
        COMMENT "guest cc ${tag}/${base}" VERBATIM)
    set(${out_var} ${obj} PARENT_SCOPE)
endfunction()

set(KILN_GUEST_RUNTIME_SRC ${KILN_GUEST_DIR}/runtime/start.S ${KILN_GUEST_DIR}/runtime/runtime.c
    ${KILN_GUEST_DIR}/lib/u256.c ${KILN_GUEST_DIR}/lib/hash.c ${KILN_GUEST_DIR}/lib/abi.c
    ${KILN_GUEST_DIR}/lib/proto_bind.c)

function(kiln_add_guest name)
    cmake_parse_arguments(G "NO_RUNTIME" "" "SOURCES;DEFINES" ${ARGN})
    set(objs "")
    foreach(src ${G_SOURCES})
        kiln_guest_object(${src} "${G_DEFINES}" ${name} obj)
        list(APPEND objs ${obj})
    endforeach()
    if(NOT G_NO_RUNTIME)
        # The runtime's objects are built once and shared by every guest.
        get_property(rt GLOBAL PROPERTY KILN_GUEST_RUNTIME_OBJS)
        if(NOT rt)
            foreach(src ${KILN_GUEST_RUNTIME_SRC})
                kiln_guest_object(${src} "" runtime obj)
                list(APPEND rt ${obj})
            endforeach()
            set_property(GLOBAL PROPERTY KILN_GUEST_RUNTIME_OBJS ${rt})
        endif()
        list(APPEND objs ${rt})
    endif()
    set(elf ${KILN_GUEST_OUT}/${name}.elf)
    add_custom_command(OUTPUT ${elf}
        COMMAND ${KILN_GUEST_LD} -m elf32lriscv --gc-sections -static -T ${KILN_GUEST_DIR}/link.ld ${objs} -o ${elf}
        DEPENDS ${objs} ${KILN_GUEST_DIR}/link.ld
        COMMENT "guest ld ${name}.elf" VERBATIM)
    add_custom_target(guest_${name} ALL DEPENDS ${elf})
    set_property(GLOBAL APPEND PROPERTY KILN_GUEST_TARGETS guest_${name})
endfunction()

if(KILN_GUEST_CC AND KILN_GUEST_LD)
    set(KILN_HAVE_GUESTS ON)
else()
    set(KILN_HAVE_GUESTS OFF)
    message(STATUS "kiln: clang or ld.lld not found; guest programs and their tests are skipped")
endif()
