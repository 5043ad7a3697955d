#!/bin/bash
# targetcli + iSCSI suite, driven from the host. Two VM boots sharing one work dir:
#
#   boot 1 (iscsi-guest.sh): exports a drive and a library (changer on LUN 0,
#     four drives on LUNs 1-4) over iSCSI with CHAP; QEMU forwards
#     127.0.0.1:PORT on the host to them. When the guest signals readiness
#     (WORK/iscsi-ready) this script runs BUILD/tests/iscsi/iscsi_conformance
#     against the drive (SSC tests) and the library (ChangerTest.*), then signals
#     the guest (WORK/iscsi-host-done), which goes on with the kernel initiator
#     tests (library, drive) and t_targetcli.sh and saves its configuration.
#   boot 2 (iscsi-restore.sh): restoreconfig after the "reboot"; data must be intact.
#
#   tests/vm/iscsi-host.sh BUILD [--timeout S] [--port N]
#
# BUILD needs handler/handler_vtape.so, tests/iscsi/iscsi_conformance and
# tools/vtape (ninja handler_vtape iscsi_conformance vtape_tool) and must lie
# outside /tmp. --port: the host port forwarded to the guest's 3260 (default: a
# free one). Prints every check and finally "N passed, M failed" (conformance
# tests + guest checks);
# exits non-zero on any failure. Hard limit (default 2400 s) for the whole run.
# Logs: BUILD/vm-work-iscsi/ (boot1.log, boot2.log, conformance.log,
# conformance-library.log, tcmu-runner.log).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[[ $# -ge 1 && $1 != -* ]] || { sed -n '2,22p' "$0"; exit 2; }
build=$(realpath "$1")
shift
limit=2400
port=
while [[ $# -gt 0 ]]; do
  case $1 in
    --timeout) limit=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "iscsi-host.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
conformance=$build/tests/iscsi/iscsi_conformance
for f in "$build/handler/handler_vtape.so" "$conformance" "$build/tools/vtape"; do
  [[ -x $f || -f $f ]] || {
    echo "iscsi-host.sh: $f missing: ninja -C $build handler_vtape iscsi_conformance vtape_tool" >&2
    exit 2
  }
done

work=$build/vm-work-iscsi
rm -rf "$work"
mkdir -p "$work"
deadline=$((SECONDS + limit))
remaining() { echo $((deadline - SECONDS > 1 ? deadline - SECONDS : 1)); }

[[ -n $port ]] ||
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
passed=0 failed=0
tally() {  # FILE: adds every "N passed, M failed" line in it
  local p f
  while read -r p _ f _; do
    passed=$((passed + p))
    failed=$((failed + f))
  done < <(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1")
}

# --- boot 1 -----------------------------------------------------------------------------
echo "=== boot 1: iSCSI target on 127.0.0.1:$port"
"$here/run-guest.sh" --build "$build" --work "$work" --port "$port" --timeout "$(remaining)" \
  "$here/iscsi-guest.sh" >"$work/boot1.console" 2>&1 &
guest=$!
while [[ ! -e $work/iscsi-ready && ! -e $work/iscsi-failed ]] && kill -0 "$guest" 2>/dev/null &&
  ((SECONDS < deadline)); do
  sleep 1
done

# Runs iscsi_conformance with the environment given as NAME=VALUE arguments
# before the gtest flags; tallies its result. A skipped test counts as failed:
# the targets here are exactly what the tests expect.
run_conformance() {  # LOG [NAME=VALUE...] [GTEST FLAGS...]
  local log=$1 gtest_passed gtest_failed gtest_skipped
  shift
  env VTAPE_ISCSI_PORTAL=127.0.0.1:$port timeout -k 5 "$(remaining)" env "$@" \
    2>&1 | tee "$log"
  gtest_passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?\..*/\1/p' "$log")
  gtest_failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) tests\?, listed below.*/\1/p' "$log")
  gtest_skipped=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) tests\?, listed below.*/\1/p' "$log")
  if [[ -z $gtest_passed ]]; then
    echo "FAIL: iscsi_conformance ended without a result ($log)"
    failed=$((failed + 1))
    return
  fi
  [[ -n $gtest_skipped ]] && echo "FAIL: $gtest_skipped test(s) skipped (see $log)"
  passed=$((passed + gtest_passed - ${gtest_skipped:-0}))
  failed=$((failed + ${gtest_failed:-0} + ${gtest_skipped:-0}))
}

if [[ -e $work/iscsi-ready ]]; then
  echo "=== iscsi_conformance (host, libiscsi, CHAP): the drive at 127.0.0.1:$port"
  run_conformance "$work/conformance.log" VTAPE_EXPECT_SERIAL=VTISCSI0 "$conformance" \
    --gtest_filter=-ChangerTest.*
  if [[ -e $work/iscsi-library-ready ]]; then
    echo "=== iscsi_conformance (host, libiscsi, CHAP): the library at 127.0.0.1:$port"
    run_conformance "$work/conformance-library.log" \
      VTAPE_ISCSI_TARGET=iqn.2026-11.org.vtape:library0 VTAPE_ISCSI_LUN=0 \
      VTAPE_ISCSI_CHANGER_LUN=0 VTAPE_ISCSI_DRIVE_LUNS=1,2,3,4 "$conformance" \
      --gtest_filter=ChangerTest.*
  else
    echo "FAIL: the guest exported no library target: the changer tests did not run"
    failed=$((failed + 1))
  fi
else
  echo "FAIL: the guest never signalled that the iSCSI target is ready"
  failed=$((failed + 1))
fi
touch "$work/iscsi-host-done"
wait "$guest"
rc=$?
cp "$work/guest.log" "$work/boot1.log" 2>/dev/null
cat "$work/boot1.log" 2>/dev/null
tally "$work/boot1.log"
[[ $rc == 0 ]] || { echo "FAIL: boot 1 ended with status $rc"; failed=$((failed + 1)); }
cp "$work/tcmu-runner.log" "$work/tcmu-runner.boot1.log" 2>/dev/null

# --- boot 2 -----------------------------------------------------------------------------
echo "=== boot 2: restoreconfig after a reboot"
boot2_limit=$(remaining)
((boot2_limit > 900)) && boot2_limit=900
"$here/run-guest.sh" --build "$build" --work "$work" --timeout "$boot2_limit" \
  "$here/iscsi-restore.sh" >"$work/boot2.console" 2>&1
rc=$?
cp "$work/guest.log" "$work/boot2.log" 2>/dev/null
cat "$work/boot2.log" 2>/dev/null
tally "$work/boot2.log"
# iscsi-restore.sh exits non-zero when a check failed; that is already counted.
if [[ $rc == 124 || $rc == 125 ]]; then
  echo "FAIL: boot 2 did not finish (status $rc)"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
((failed == 0 && passed > 0))
