#!/usr/bin/env bash
# Runs every vtape test: unit tests (release build), the same under ASan+UBSan,
# the fuzzers for a bounded time, and the VM end-to-end suites (st, targetcli,
# iSCSI). Installs what it needs first (Debian 12, as root).
#
#   tests/run-all.sh                 everything
#   FUZZ_SECONDS=300 tests/run-all.sh longer fuzzing (default 30 per target; long campaigns: bench/RESULTS.md)
#   VTAPE_SKIP_VM=1 tests/run-all.sh no VM suites (e.g. where QEMU cannot run)
#   VTAPE_CRASH_TRIALS=500 tests/run-all.sh  the long crash run (default 20 kill trials per backend)
#   VTAPE_LTFS=0 tests/run-all.sh    leaves out tests/vm/t_ltfs.sh (IBM's LTFS against the
#                                    drives; VT_LTFS_MB MiB per drive, 4 here; it SKIPs loudly
#                                    where ../shared/thirdparty lacks the LTFS tarball)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-30}

passed=0
failed=0
failures=()
step() {  # step NAME COMMAND...: runs one stage, records its verdict
  local name=$1
  shift
  local start=$SECONDS
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

configure_and_build() {  # DIR [cmake args...]
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" -G Ninja -DVTAPE_WERROR=ON "$@" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log"; return 1; }
  ninja -C "$dir" -j "$jobs"
}

mkdir -p out
step "install dependencies" tests/install-deps.sh || exit 1

step "release build" configure_and_build out/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
step "unit tests (release)" ctest --test-dir out/release --output-on-failure -j "$jobs"
# The .deb that tests/vm/t_package.sh installs in the VM (out/release/deb/).
step "Debian package" packaging/build-deb.sh out/release

sanitizer_build() {  # clang: libFuzzer needs it, and its ASan+UBSan serve the unit tests too
  CC=clang CXX=clang++ configure_and_build out/asan -DCMAKE_BUILD_TYPE=Debug -DVTAPE_SANITIZE=ON \
    -DVTAPE_FUZZ=ON -DVTAPE_HANDLER=OFF -DVTAPE_BENCH=OFF
}
step "sanitizer build (clang, ASan+UBSan, fuzzers)" sanitizer_build
step "unit tests (ASan+UBSan)" env ASAN_OPTIONS=detect_leaks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir out/asan --output-on-failure -j "$jobs"
step "fuzzing (${fuzz_seconds} s per target)" tests/fuzz/run.sh out/asan "$fuzz_seconds"

if [ "${VTAPE_SKIP_VM:-0}" != 1 ]; then
  # t_targetcli.sh and t_iscsi*.sh run inside iscsi-host.sh's first boot.
  st_tests=(smoke.sh)
  for t in tests/vm/t_*.sh; do
    case ${t##*/} in
      t_targetcli*|t_iscsi*) ;;
      # LTFS (issue 11): a short copy per drive keeps the suite's time down.
      t_ltfs.sh) [ "${VTAPE_LTFS:-1}" = 0 ] || st_tests+=("${t##*/}") ;;
      *) st_tests+=("${t##*/}") ;;
    esac
  done
  step "VM suite: st, mt, tar, dd, sg3_utils, rait, Bacula, Amanda, LTFS" \
    env VT_LTFS_MB="${VT_LTFS_MB:-4}" tests/vm/run.sh out/release "${st_tests[@]}"
  step "VM suite: targetcli, iSCSI, libiscsi conformance" tests/vm/iscsi-host.sh out/release
  # Issue 8's proof: VTAPE_CRASH_TRIALS (default 20) kill trials per backend, stop during I/O.
  step "VM suite: crash trials (SIGKILL, SIGTERM, device removal)" tests/crash/run.sh out/release
  step "VM suite: power-loss trials (dm-log-writes, file:)" tests/powerloss/run.sh out/release
fi

echo
echo "stages: ${passed} passed, ${failed} failed"
((failed == 0)) || { printf 'failed stage: %s\n' "${failures[@]}"; exit 1; }
