# Guest-side helpers of the crash tests (bash, sourced after tests/vm/assert.sh
# and tests/vm/guest-setup.sh).
#
#   crash_runner_start            starts tcmu-runner as vt_boot_setup does, as a child
#                                 of this shell (CRASH_RUNNER_PID; `wait` gives its
#                                 exit status); returns once it owns its bus name
#   crash_runner_gone PID [S]     waits up to S seconds (30) for PID to exit
#   crash_loaded_count NAME       how many times the runner log says NAME's medium loaded
#   crash_wait_loaded NAME N [S]  waits until that count exceeds N (the device re-opened)
#   crash_wait_pid PID S          waits up to S seconds for a process; 1 if still running
#   crash_log_clean FROM_LINE     no abort, "terminate called", crash or core in the
#                                 runner's log and output since FROM_LINE
#   crash_log_lines               the current line count of the runner's log
#   crash_random_ms LO HI         a random number in [LO, HI]

CRASH_TOOL=$VTAPE_BUILD/tests/crash/crash_tape
CRASH_VTAPE=$VTAPE_BUILD/tools/vtape
CRASH_RUNNER_OUT=${VT_LOG%/*}/tcmu-runner.out

crash_runner_start() {
  local status=0
  vt_runner_start || status=$?
  CRASH_RUNNER_PID=$VT_RUNNER_PID
  return "$status"
}

crash_runner_gone() {
  local pid=$1 limit=${2:-30} i
  for ((i = 0; i < limit * 20; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
  return 1
}

crash_loaded_count() {
  grep -c "vtape/$1: vtape: medium .* loaded" "$VT_LOG"
}

crash_wait_loaded() {
  local name=$1 before=$2 limit=${3:-60} i
  for ((i = 0; i < limit * 10; i++)); do
    (($(crash_loaded_count "$name") > before)) && return 0
    sleep 0.1
  done
  return 1
}

crash_wait_pid() {
  local pid=$1 limit=$2 i
  for ((i = 0; i < limit * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

crash_log_lines() {
  cat "$VT_LOG" "$CRASH_RUNNER_OUT" 2>/dev/null | wc -l
}

crash_log_clean() {
  local from=$1 bad
  bad=$(cat "$VT_LOG" "$CRASH_RUNNER_OUT" 2>/dev/null | tail -n +"$((from + 1))" |
    grep -E -i "terminate called|exception not rethrown|abort|core dumped|segmentation fault|stack smashing|double free")
  [[ -z $bad ]] && return 0
  echo "$bad" | head -n 5
  return 1
}

crash_random_ms() {
  echo $(($1 + ($(od -An -N4 -tu4 /dev/urandom) % ($2 - $1 + 1))))
}
