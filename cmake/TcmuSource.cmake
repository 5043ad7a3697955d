# Fetches Debian's source package of tcmu (tcmu-runner + libtcmu) into the build tree, because the
# tcmu-runner package ships no headers for handler plugins. Nothing of it is committed.
#
#   vtape_fetch_tcmu_source(<out-var>)
#
# sets <out-var> to the unpacked source directory (${CMAKE_BINARY_DIR}/_deps/tcmu). The version is
# the installed tcmu-runner's, so the handler is compiled against the exact structures the runner
# uses. The unpacked tree is cached: a second configure with the same version downloads nothing.
# Needs a deb-src entry for the Debian suite in APT's sources and `dpkg-dev` (dpkg-source).

function(vtape_fetch_tcmu_source out_var)
  set(deps_dir "${CMAKE_BINARY_DIR}/_deps")
  set(src_dir "${deps_dir}/tcmu")
  set(stamp "${deps_dir}/tcmu.version")

  execute_process(COMMAND dpkg-query -W -f=\${Version} tcmu-runner
                  OUTPUT_VARIABLE version RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0 OR version STREQUAL "")
    message(FATAL_ERROR "tcmu-runner is not installed (dpkg-query found no version). Install it "
                        "(apt-get install tcmu-runner) or configure with -DVTAPE_HANDLER=OFF.")
  endif()

  if(EXISTS "${stamp}" AND EXISTS "${src_dir}/tcmu-runner.h")
    file(READ "${stamp}" cached_version)
    if(cached_version STREQUAL version)
      set(${out_var} "${src_dir}" PARENT_SCOPE)
      return()
    endif()
  endif()

  message(STATUS "Fetching Debian source package tcmu=${version} into ${src_dir}")
  set(download_dir "${deps_dir}/tcmu-download")
  file(REMOVE_RECURSE "${src_dir}" "${download_dir}")
  file(MAKE_DIRECTORY "${download_dir}")
  execute_process(COMMAND apt-get source --download-only "tcmu=${version}"
                  WORKING_DIRECTORY "${download_dir}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR
      "apt-get source --download-only tcmu=${version} failed:\n${err}\n"
      "APT needs a deb-src entry for this Debian suite, e.g. a file "
      "/etc/apt/sources.list.d/debian-src.sources with 'Types: deb-src' and the same URIs/Suites/"
      "Components as debian.sources, then 'apt-get update'. Or configure with -DVTAPE_HANDLER=OFF.")
  endif()
  file(GLOB dsc "${download_dir}/tcmu_*.dsc")
  list(LENGTH dsc n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "expected one tcmu_*.dsc in ${download_dir} after apt-get source, got: ${dsc}")
  endif()
  execute_process(COMMAND dpkg-source --no-check -x "${dsc}" "${src_dir}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${src_dir}/tcmu-runner.h")
    message(FATAL_ERROR "dpkg-source -x ${dsc} failed (is dpkg-dev installed?):\n${err}")
  endif()
  file(WRITE "${stamp}" "${version}")
  file(REMOVE_RECURSE "${download_dir}")
  set(${out_var} "${src_dir}" PARENT_SCOPE)
endfunction()
