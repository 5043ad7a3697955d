# What tools/demo-drive.sh and tools/demo-library.sh share (sourced; bash).

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

# demo_start --vm|--native: gets LIO and tcmu-runner ready. In the test VM it
# sets the guest up; natively it starts the system bus and a tcmu-runner that
# loads this build's handler. Sets `workdir` (where the demo's media go) and
# `runner_started` (the pid of the runner it started, if it did).
demo_start() {
  runner_started=
  if [[ ${1:-} == --vm ]]; then
    vt_boot_setup || return 1
    workdir=$(mktemp -d /run/demo.XXXXXX)
    return 0
  fi
  [[ -S /run/dbus/system_bus_socket ]] || dbus-daemon --system --fork
  if pidof tcmu-runner >/dev/null; then
    echo "demo: a tcmu-runner is already running; stop it (systemctl stop tcmu-runner) or" >&2
    echo "      install handler_vtape.so into its handler directory (README: Installation)." >&2
    return 1
  fi
  tcmu-runner --handler-path "$build/handler" -l /var/log >/var/log/vtape-demo-runner.out 2>&1 &
  runner_started=$!
  sleep 2
  workdir=/var/lib/vtape/demo
  mkdir -p "$workdir"
}
