#!/bin/sh
# Runs every libFuzzer target of BUILD_DIR (configured with -DVTAPE_FUZZ=ON)
# for SECONDS each, starting from its seed corpus. The corpus is copied to a
# temporary directory so the run never grows the repository. Exits non-zero
# when a fuzzer finds a crash (the reproducer is kept and its path printed).
#   tests/fuzz/run.sh build-fuzz 60
set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vtape-fuzz.XXXXXX")
status=0

found=0
for fuzzer in "$build_dir"/tests/fuzz/*_fuzz; do
  [ -x "$fuzzer" ] || continue
  found=1
  name=$(basename "$fuzzer" _fuzz)
  corpus="$work/$name/corpus"
  artifacts="$work/$name/artifacts"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "$here/corpus/$name" ]; then
    cp "$here/corpus/$name"/* "$corpus"/
  fi
  echo "== $name: ${seconds}s"
  if ! "$fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" \
      >"$work/$name/log" 2>&1; then
    echo "!! $name failed; log: $work/$name/log; reproducer(s):" >&2
    ls "$artifacts" | sed "s|^|   $artifacts/|" >&2
    tail -40 "$work/$name/log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$work/$name/log" || true
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
