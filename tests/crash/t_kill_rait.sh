# Kill trials over a rait: medium of three file: members (kill-trials.sh).
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/crash/guest-lib.sh"
source "$VTAPE_SRC/tests/crash/kill-trials.sh"
crash_kill_trials rait
assert_done
