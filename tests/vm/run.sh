#!/bin/bash
# Runs the VM test suite: boots one VM and runs the guest tests in it. Builds nothing.
#
#   tests/vm/run.sh BUILD_DIR [TEST...] [--port N] [--timeout S]
#
# BUILD_DIR needs the handler_vtape and vtape_tool targets built.
# BUILD_DIR must hold handler/handler_vtape.so (ninja handler_vtape) and lie
# outside /tmp. TEST is a file name in tests/vm (t_space.sh) or a path; default:
# smoke.sh, then every tests/vm/t_*.sh (VTAPE_LTFS=0 leaves t_ltfs.sh out; in the
# default list it copies VT_LTFS_MB=4 MiB per drive unless VT_LTFS_MB is set).
# Prints each check, then "N passed, M failed"; exits 0 only if everything passed.
# Logs: BUILD_DIR/vm-work/. With t_ltfs.sh, LTFS is built first on the host
# (tests/ltfs/build.sh, cached); without its tarball (a clone without ../shared)
# t_ltfs.sh says SKIP and checks nothing.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[[ $# -ge 1 && $1 != -* ]] || { sed -n '2,10p' "$0"; exit 2; }
build=$(realpath "$1")
shift
opts=() tests=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --port|--timeout) opts+=("$1" "$2"); shift 2 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *)
      if [[ -f $1 ]]; then tests+=("$(realpath "$1")")
      elif [[ -f $here/$1 ]]; then tests+=("$here/$1")
      else echo "run.sh: no test $1 (looked in . and $here)" >&2; exit 2
      fi
      shift ;;
  esac
done
[[ -f $build/handler/handler_vtape.so ]] ||
  { echo "run.sh: $build/handler/handler_vtape.so missing: build the handler_vtape target" >&2; exit 2; }
if [[ ${#tests[@]} == 0 ]]; then
  tests=("$here/smoke.sh")
  for t in "$here"/t_*.sh; do
    [[ ${t##*/} == t_ltfs.sh && ${VTAPE_LTFS:-1} == 0 ]] && continue
    [[ -f $t ]] && tests+=("$t")
  done
  # A short LTFS copy in the whole suite (TCG is slow); the issue's 256 MiB by name.
  export VT_LTFS_MB=${VT_LTFS_MB:-4}
fi

# The guest cannot build (no network, TCG): LTFS is built or found in the cache
# here and its prefix handed to the guest (VT_* variables reach it).
for t in "${tests[@]}"; do
  [[ ${t##*/} == t_ltfs.sh ]] || continue
  if VT_LTFS_PREFIX=$("$here/../ltfs/build.sh" 2>"$build/ltfs-build.err"); then
    export VT_LTFS_PREFIX
  else
    rc=$?
    cat "$build/ltfs-build.err" >&2
    if [[ $rc == 77 ]]; then
      export VT_LTFS_SKIP; VT_LTFS_SKIP=$(grep -m1 '^SKIP: ' "$build/ltfs-build.err" | sed 's/^SKIP: //')
      echo "run.sh: *** t_ltfs.sh is SKIPPED: $VT_LTFS_SKIP ***" >&2
    else
      echo "run.sh: building LTFS failed (exit $rc): t_ltfs.sh will fail" >&2
      export VT_LTFS_BROKEN="building LTFS failed (exit $rc); see $build/ltfs-build.err"
    fi
    unset VT_LTFS_PREFIX
  fi
done

# The whole suite under TCG takes minutes; each test file has its own limit in the
# guest (VT_TEST_TIMEOUT, default 600 s). A later --timeout wins over this default.
exec "$here/run-guest.sh" --build "$build" --timeout 3600 "${opts[@]}" \
  "$here/guest-run-tests.sh" "${tests[@]}"
