#!/bin/bash
# The crash tests of issue 8 in the VM (tests/crash/README.md): kill trials over
# file: and rait:, and stop during I/O (SIGTERM, device removal).
#
#   tests/crash/run.sh BUILD [TEST...] [--port N]
#
# VTAPE_CRASH_TRIALS (default 20) kill trials per backend, VTAPE_STOP_ROUNDS
# (default 1) SIGTERM rounds of t_stop_io.sh; VTAPE_CRASH_SEED fixes
# the records (default random, printed). BUILD needs the handler_vtape, vtape_tool
# and crash_tape targets. TEST: t_kill_file.sh, t_kill_rait.sh, t_stop_io.sh
# (default: all three). Prints every check and "N passed, M failed".
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -ge 1 && $1 != -* ]] || { sed -n '2,12p' "$0"; exit 2; }
build=$1
shift
[[ -x $build/tests/crash/crash_tape ]] ||
  { echo "run.sh: $build/tests/crash/crash_tape missing: build the crash_tape target" >&2; exit 2; }
tests=() opts=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --port) opts+=("$1" "$2"); shift 2 ;;
    *) tests+=("$here/${1##*/}"); shift ;;
  esac
done
[[ ${#tests[@]} -gt 0 ]] || tests=("$here/t_kill_file.sh" "$here/t_kill_rait.sh" "$here/t_stop_io.sh")

export VT_CRASH_TRIALS=${VTAPE_CRASH_TRIALS:-20} VT_STOP_ROUNDS=${VTAPE_STOP_ROUNDS:-1}
[[ -n ${VTAPE_CRASH_SEED:-} ]] && export VT_CRASH_SEED=$VTAPE_CRASH_SEED
# Time limits: a trial takes ~5 s under TCG; allow 6x per test file.
export VT_TEST_TIMEOUT=$((300 + 30 * VT_CRASH_TRIALS))
# The trials' times depend on what else runs on the host (QEMU TCG is CPU-bound).
echo "crash tests: $VT_CRASH_TRIALS kill trials per backend; host load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
exec "$here/../vm/run.sh" "$build" "${tests[@]}" "${opts[@]}" \
  --timeout $((600 + ${#tests[@]} * VT_TEST_TIMEOUT))
