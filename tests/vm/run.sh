#!/bin/bash
# Runs the VM test suite: boots one VM and runs the guest tests in it. Builds nothing.
#
#   tests/vm/run.sh BUILD_DIR [TEST...] [--port N] [--timeout S]
#
# BUILD_DIR needs the handler_vtape and vtape_tool targets built.
# BUILD_DIR must hold handler/handler_vtape.so (ninja handler_vtape) and lie
# outside /tmp. TEST is a file name in tests/vm (t_space.sh) or a path; default:
# smoke.sh, then every tests/vm/t_*.sh. Prints each check, then "N passed, M failed";
# exits 0 only if everything passed. Logs: BUILD_DIR/vm-work/.
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
  for t in "$here"/t_*.sh; do [[ -f $t ]] && tests+=("$t"); done
fi

# The whole suite under TCG takes minutes; each test file has its own limit in the
# guest (VT_TEST_TIMEOUT, default 600 s). A later --timeout wins over this default.
exec "$here/run-guest.sh" --build "$build" --timeout 3600 "${opts[@]}" \
  "$here/guest-run-tests.sh" "${tests[@]}"
