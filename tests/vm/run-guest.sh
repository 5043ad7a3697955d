#!/bin/bash
# Boots the test VM and runs one guest script in it; exits with the script's status.
#
#   tests/vm/run-guest.sh [--build DIR] [--port N] [--timeout S] [--work DIR] SCRIPT [ARGS...]
#
#   --build DIR   build directory (exported as VTAPE_BUILD; default: none)
#   --port N      forward 127.0.0.1:N on the host to the guest's iSCSI port 3260
#   --timeout S   hard limit for the whole boot-run-poweroff cycle (default 600)
#   --work DIR    writable directory shared with the guest at the same path (logs,
#                 results); default DIR/vm-work for --build, else under the VM cache.
#                 Must not be under /tmp (the guest may mount its own /tmp).
# Host variables named VT_* are passed to the guest script (e.g. VT_RUNNER_DEBUG=1).
# Exit status: the script's; 124 = timeout; 125 = the guest died without a result.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"

build= port= timeout_s=600 work=
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=$(realpath "$2"); shift 2 ;;
    --port) port=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) vm_die "unknown option $1 (see --help)" ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || vm_die "usage: $0 [--build DIR] [--port N] [--timeout S] [--work DIR] SCRIPT [ARGS...]"
script=$(realpath "$1"); shift
[[ -f $script ]] || vm_die "guest script $script does not exist"
[[ $(id -u) == 0 ]] || vm_die "run as root (the 9p share of / needs it)"

if [[ -z $work ]]; then
  if [[ -n $build ]]; then work=$build/vm-work; else work=$VTAPE_VM_CACHE/work; fi
fi
mkdir -p "$work" && work=$(realpath "$work")
case $work in /tmp|/tmp/*) vm_die "--work $work: the guest cannot use /tmp paths" ;; esac
case $script in /tmp/*) vm_die "$script: the guest cannot see /tmp paths" ;; esac

vm_prepare_kernel
vm_prepare_initrd

# The guest's PID 1 (started by the initramfs): run the script, record its status, power off.
# Output goes to a log file that tail copies to the console: a daemon the script
# leaves running (tcmu-runner) would hold a pipe open forever.
cat >"$work/job.sh" <<JOB
#!/bin/bash
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
export VTAPE_BUILD=$(printf %q "$build") VTAPE_WORK=$(printf %q "$work") VTAPE_SRC=$(printf %q "$(dirname "$(dirname "$here")")")
$(for v in ${!VT_*}; do printf 'export %s=%q\n' "$v" "${!v}"; done)
cd "\$VTAPE_WORK"
: >guest.log
/bin/bash $(printf '%q ' "$script" "$@") </dev/null >guest.log 2>&1 &
pid=\$!
tail -n +1 -f --pid=\$pid guest.log
wait \$pid
echo \$? >exit-code
sync
/bin/busybox poweroff -f
JOB

started=$(date +%s)
vm_boot "$work" "$timeout_s" "$port"
rc=$?
vm_log "guest finished with status $rc after $(($(date +%s) - started))s (logs in $work)"
exit "$rc"
