cmake_minimum_required(VERSION 3.25)
# cmake -DMODULE=path/handler_vtape.so -P CheckModuleSymbols.cmake
#
# Fails unless every undefined (non-weak) dynamic symbol of MODULE is defined by tcmu-runner, by
# the libraries tcmu-runner loads (libtcmu ...), or by a library MODULE itself depends on (libc,
# libstdc++, libisal ...). A symbol resolved from none of them would make dlopen() fail inside the
# runner with "undefined symbol", which only shows up on a real system.

if(NOT MODULE OR NOT EXISTS "${MODULE}")
  message(FATAL_ERROR "MODULE=${MODULE} does not exist")
endif()
find_program(RUNNER tcmu-runner PATHS /usr/bin /usr/sbin REQUIRED)

function(shared_libs_of binary out_var)
  execute_process(COMMAND ldd "${binary}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ldd ${binary} failed")
  endif()
  # "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and, for the dynamic
  # loader (which provides __tls_get_addr), "/lib64/ld-linux-x86-64.so.2 (0x...)".
  string(REPLACE "\n" ";" lines "${out}")
  set(libs "")
  foreach(line IN LISTS lines)
    if(line MATCHES "=> (/[^ ]+)")
      list(APPEND libs "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^[ \t]*(/[^ ]+) \\(")
      list(APPEND libs "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  set(${out_var} "${libs}" PARENT_SCOPE)
endfunction()

function(dynamic_symbols binary mode out_var)
  execute_process(COMMAND nm -D ${mode} "${binary}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm -D ${mode} ${binary} failed")
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  set(names "")
  foreach(line IN LISTS lines)
    # "                 U memcpy@GLIBC_2.14" or "0000000000001234 T tcmu_dev_err"
    if(line MATCHES "^[0-9a-f ]+ ([A-Za-z]) ([^@ ]+)")
      if(mode STREQUAL "--undefined-only" AND NOT CMAKE_MATCH_1 STREQUAL "U")
        continue()  # weak references may stay unresolved
      endif()
      list(APPEND names "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  set(${out_var} "${names}" PARENT_SCOPE)
endfunction()

dynamic_symbols("${MODULE}" --undefined-only undefined)
shared_libs_of("${MODULE}" module_libs)
shared_libs_of("${RUNNER}" runner_libs)
set(providers "${RUNNER}" ${module_libs} ${runner_libs})
list(REMOVE_DUPLICATES providers)

set(defined "")
foreach(p IN LISTS providers)
  dynamic_symbols("${p}" --defined-only names)
  list(APPEND defined ${names})
endforeach()

set(missing "")
foreach(sym IN LISTS undefined)
  if(NOT sym IN_LIST defined)
    list(APPEND missing "${sym}")
  endif()
endforeach()
list(LENGTH undefined n_undefined)
if(missing)
  string(REPLACE ";" "\n  " missing_lines "${missing}")
  message(FATAL_ERROR "${MODULE}: undefined symbols that nothing provides:\n  ${missing_lines}\n"
                      "(searched ${RUNNER} and: ${providers})")
endif()
message(STATUS "${MODULE}: all ${n_undefined} undefined symbols resolve")
