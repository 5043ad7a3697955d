#!/bin/bash
# targetcli + iSCSI suite, driven from the host. Two VM boots sharing one work dir:
#
#   boot 1 (iscsi-guest.sh): exports a drive over iSCSI with CHAP; QEMU forwards
#     127.0.0.1:PORT on the host to it. When the guest signals readiness
#     (WORK/iscsi-ready) this script runs BUILD/tests/iscsi/iscsi_conformance
#     against it, then signals the guest (WORK/iscsi-host-done), which goes on
#     with the kernel initiator test and t_targetcli.sh and saves its configuration.
#   boot 2 (iscsi-restore.sh): restoreconfig after the "reboot"; data must be intact.
#
#   tests/vm/iscsi-host.sh BUILD [--timeout S]
#
# BUILD needs handler/handler_vtape.so and tests/iscsi/iscsi_conformance
# (ninja handler_vtape iscsi_conformance) and must lie outside /tmp. Prints every
# check and finally "N passed, M failed" (conformance tests + guest checks);
# exits non-zero on any failure. Hard limit (default 2400 s) for the whole run.
# Logs: BUILD/vm-work-iscsi/ (boot1.log, boot2.log, conformance.log, tcmu-runner.log).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[[ $# -ge 1 && $1 != -* ]] || { sed -n '2,17p' "$0"; exit 2; }
build=$(realpath "$1")
shift
limit=2400
while [[ $# -gt 0 ]]; do
  case $1 in
    --timeout) limit=$2; shift 2 ;;
    *) echo "iscsi-host.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
conformance=$build/tests/iscsi/iscsi_conformance
for f in "$build/handler/handler_vtape.so" "$conformance"; do
  [[ -x $f || -f $f ]] ||
    { echo "iscsi-host.sh: $f missing: ninja -C $build handler_vtape iscsi_conformance" >&2; exit 2; }
done

work=$build/vm-work-iscsi
rm -rf "$work"
mkdir -p "$work"
deadline=$((SECONDS + limit))
remaining() { echo $((deadline - SECONDS > 1 ? deadline - SECONDS : 1)); }

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

if [[ -e $work/iscsi-ready ]]; then
  echo "=== iscsi_conformance (host, libiscsi, CHAP) against 127.0.0.1:$port"
  VTAPE_ISCSI_PORTAL=127.0.0.1:$port VTAPE_EXPECT_SERIAL=VTISCSI0 \
    timeout -k 5 "$(remaining)" "$conformance" 2>&1 | tee "$work/conformance.log"
  gtest_passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?\..*/\1/p' "$work/conformance.log")
  gtest_failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) tests\?, listed below.*/\1/p' "$work/conformance.log")
  if [[ -z $gtest_passed ]]; then
    echo "FAIL: iscsi_conformance ended without a result"
    failed=$((failed + 1))
  else
    passed=$((passed + gtest_passed))
    failed=$((failed + ${gtest_failed:-0}))
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
