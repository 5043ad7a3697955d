#!/bin/sh
# Runs every libFuzzer target of BUILD_DIR (configured with -DVTAPE_FUZZ=ON)
# from its seed corpus, for SECONDS each, or for RUNS executions each (-r), or
# whichever ends first when both are given. The corpus is copied to a temporary
# directory so the run never grows the repository. Exits non-zero when a fuzzer
# finds a crash (the reproducer is kept and its path printed).
#   tests/fuzz/run.sh build-fuzz 60
#   tests/fuzz/run.sh -r 10000000 -j 2 -s 1 out/fuzzlong     (the long run)
# Options:
#   -r RUNS   executions per target in all (libFuzzer -runs), split over the jobs
#   -j JOBS   parallel libFuzzer processes per target (-jobs and -workers);
#             each job appends to the target's corpus and logs to its own file
#   -s SEED   libFuzzer -seed (default: random), for runs that can be repeated
#   -t NAME   only this target (ssc, smc or image); may be repeated
# The long run and how to record it: tests/fuzz/README.md.
set -eu

usage() {
  echo "usage: $0 [-r RUNS] [-j JOBS] [-s SEED] [-t NAME]... BUILD_DIR [SECONDS]" >&2
  exit 2
}
runs=""
jobs=1
seed=""
only=""
while getopts r:j:s:t: opt; do
  case $opt in
    r) runs=$OPTARG ;;
    j) jobs=$OPTARG ;;
    s) seed=$OPTARG ;;
    t) only="$only $OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ] || [ $# -gt 2 ] || { [ $# -eq 1 ] && [ -z "$runs" ]; }; then
  usage
fi
build_dir=$(cd "$1" && pwd)
seconds=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vtape-fuzz.XXXXXX")
status=0

limits=""
[ -n "$seconds" ] && limits="-max_total_time=$seconds"
# -runs counts per job: each of the JOBS jobs takes its share.
[ -n "$runs" ] && limits="$limits -runs=$(((runs + jobs - 1) / jobs))"
[ -n "$seed" ] && limits="$limits -seed=$seed"
[ "$jobs" -gt 1 ] && limits="$limits -jobs=$jobs -workers=$jobs"

found=0
for fuzzer in "$build_dir"/tests/fuzz/*_fuzz; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer" _fuzz)
  if [ -n "$only" ]; then
    case " $only " in *" $name "*) ;; *) continue ;; esac
  fi
  found=1
  corpus="$work/$name/corpus"
  artifacts="$work/$name/artifacts"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "$here/corpus/$name" ]; then
    cp "$here/corpus/$name"/* "$corpus"/
  fi
  echo "== $name:${seconds:+ ${seconds}s}${runs:+ $runs runs} in $jobs job(s)"
  # With -jobs libFuzzer writes fuzz-N.log into the current directory.
  # shellcheck disable=SC2086  # $limits holds several options
  if ! (cd "$work/$name" && "$fuzzer" $limits -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >log 2>&1) ||
      [ -n "$(ls "$artifacts")" ]; then
    echo "!! $name failed; logs: $work/$name/log $work/$name/fuzz-*.log; reproducer(s):" >&2
    ls "$artifacts" | sed "s|^|   $artifacts/|" >&2
    tail -40 "$work/$name/log" >&2
    status=1
  else
    # One line per job (with -jobs the log repeats every job's fuzz-N.log).
    awk '/stat::number_of_executed_units/ { n += $2; j++ }
           /stat::new_units_added/ { u += $2 }
           END { printf "   executions %d (%d job(s)), new units %d\n", n, j, u }' \
      "$work/$name/log"
  fi
done

if [ "$found" -eq 0 ]; then
  echo "no fuzzers in $build_dir/tests/fuzz (configure with -DVTAPE_FUZZ=ON and clang)" >&2
  exit 2
fi
if [ "$status" -eq 0 ]; then
  rm -rf "$work"
fi
exit "$status"
