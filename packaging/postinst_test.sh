#!/bin/bash
# packaging/postinst as dpkg runs it, on a host made to look like one booted
# with systemd: a private mount namespace with a tmpfs on /run holding
# /run/systemd/system, and a deb-systemd-invoke on PATH that records its
# arguments (and fails when told to). Needs root for the namespace; skipped
# (exit 77) without it.
#   packaging/postinst_test.sh POSTINST
set -u
postinst=$(realpath "$1")
if ! unshare -m true 2>/dev/null; then
  echo "skipped: cannot make a mount namespace (needs root)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat >"$tmp/bin/deb-systemd-invoke" <<'STUB'
#!/bin/sh
echo "$*" >>"$CALLS"
[ -z "${STUB_FAILS:-}" ]
STUB
chmod +x "$tmp/bin/deb-systemd-invoke"

passed=0 failed=0
# run SYSTEMD(yes|no) STUB_FAILS ARGS...: postinst's exit code; its calls in $tmp/calls.
run() {
  local systemd=$1 fails=$2
  shift 2
  : >"$tmp/calls"
  CALLS=$tmp/calls STUB_FAILS=$fails PATH="$tmp/bin:$PATH" unshare -m sh -c '
    mount -t tmpfs tmpfs /run || exit 99
    if [ "$0" = yes ]; then mkdir -p /run/systemd/system; fi
    shift
    exec sh "$@"' "$systemd" - "$postinst" "$@" >"$tmp/out" 2>&1
}
# check WHAT WANTED_EXIT WANTED_CALLS SYSTEMD FAILS ARGS...
check() {
  local what=$1 want_exit=$2 want_calls=$3
  shift 3
  run "$@"
  local got_exit=$? got_calls
  got_calls=$(cat "$tmp/calls")
  if [[ $got_exit == "$want_exit" && $got_calls == "$want_calls" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $what: exit $got_exit (wanted $want_exit), calls '$got_calls' (wanted '$want_calls')"
    cat "$tmp/out"
  fi
}

restart="try-restart tcmu-runner.service"
check "configure restarts a running tcmu-runner" 0 "$restart" yes "" configure 0.1.0-1
check "an upgrade's configure restarts it too" 0 "$restart" yes "" configure 0.0.9-1
check "a failed restart does not fail the install" 0 "$restart" yes 1 configure 0.1.0-1
check "no systemd: nothing is restarted" 0 "" no "" configure 0.1.0-1
check "abort-upgrade restarts nothing" 0 "" yes "" abort-upgrade 0.1.0-1
grep -q "restarting tcmu-runner" "$tmp/out" && failed=$((failed + 1)) &&
  echo "FAIL: abort-upgrade says it restarts" || passed=$((passed + 1))
run yes "" configure 0.1.0-1
grep -q "vtape: restarting tcmu-runner if it runs" "$tmp/out" && passed=$((passed + 1)) ||
  { failed=$((failed + 1)); echo "FAIL: configure does not say it restarts tcmu-runner"; }

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
