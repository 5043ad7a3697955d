# Media change and tcmu-runner restart (guest side), on file: media in tmpfs.
#  - media change through the device's dev_config (tcmu reconfig, vt_device_reconfig):
#    the initiator gets UNIT ATTENTION 28h, sees the other tape, and the first
#    tape's data is back when it is loaded again;
#  - tcmu-runner killed (SIGKILL: no chance to flush or close) and started again:
#    it re-opens the LIO device by itself and the data written before is there.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

tmp=$(mktemp -d /run/t_restart.XXXXXX)
cfg_a="file:$tmp/a.img;missing=create;capacity=256M"
cfg_b="file:$tmp/b.img;missing=create;capacity=256M"
n=$(vt_device_create t_restart "$cfg_a")
expect_eq 0 $? "st attaches to tape A"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
sg=$(vt_sg_of t_restart)

rand_file "$tmp/r1" 70000
rand_file "$tmp/r2" 1000
rand_file "$tmp/r3" 65536
expect_ok "tape A: file 0 with two records" -- write_records "$tape" "$tmp/r1" "$tmp/r2"
expect_ok "tape A: file 1 with one record" -- write_records "$tape" "$tmp/r3"

# sends TEST UNIT READY until it reports "medium may have changed" (a pending
# power-on attention may come first)
medium_changed_seen() {
  local i out
  for i in 1 2 3; do
    out=$(sg_turs "$sg" 2>&1)
    grep -q "medium may have changed" <<<"$out" && return 0
  done
  echo "$out"
  return 1
}

# --- media change ----------------------------------------------------------------------------
expect_ok "load tape B (dev_config)" -- vt_device_reconfig t_restart "$cfg_b"
expect_ok "UNIT ATTENTION 28h: medium may have changed" -- medium_changed_seen
expect_ok "rewind on tape B" -- mt -f "$tape" rewind
read_record "$tape" "$tmp/blank"
expect_eq 0 "$(stat -c %s "$tmp/blank")" "tape B is blank"
rand_file "$tmp/b1" 4444
expect_ok "write a record to tape B" -- dd if="$tmp/b1" of="$tape" bs=4444
expect_ok "load tape A again" -- vt_device_reconfig t_restart "$cfg_a"
expect_ok "UNIT ATTENTION 28h again" -- medium_changed_seen
mt -f "$tape" rewind
read_record "$tape" "$tmp/g1"
expect_ok "tape A's first record is intact" -- cmp "$tmp/r1" "$tmp/g1"
expect_ok "a medium that does not exist is refused" -- \
  bash -c "! vt_device_reconfig t_restart 'file:$tmp/none.img' 2>/dev/null"
mt -f "$tape" rewind
read_record "$tape" "$tmp/g1"
expect_ok "...and tape A stays loaded" -- cmp "$tmp/r1" "$tmp/g1"

# --- tcmu-runner killed and restarted ---------------------------------------------------------
runner=$(pidof tcmu-runner)
expect_ok "tcmu-runner is running (pid $runner)" -- test -n "$runner"
kill -KILL "$runner"
for _ in $(seq 50); do kill -0 "$runner" 2>/dev/null || break; sleep 0.1; done
expect_fail "tcmu-runner is gone" -- kill -0 "$runner"

# The same start as vt_boot_setup (guest-setup.sh): handler path, log dir, bus name.
# Not inside expect_ok: the runner must be a child of this shell, not of a subshell.
vt_runner_start || true  # judged just below
expect_ok "tcmu-runner started again and owns its bus name" -- vt_runner_owns_bus "$VT_RUNNER_PID"
expect_ok "it re-opened the device (runner log)" -- \
  sh -c "tail -n 5 '$VT_LOG' | grep -q 'vtape/t_restart: vtape: medium file:$tmp/a.img loaded'"
# The drive came back from a power-on: at the beginning of the tape. st's own
# counters are from before, so position it explicitly.
for _ in 1 2 3; do sg_turs "$sg" >/dev/null 2>&1 && break; done
expect_ok "TEST UNIT READY is good again" -- sg_turs "$sg"
expect_ok "rewind" -- mt -f "$tape" rewind
expect_pos 0 0 "$tape" "after rewind"
read_record "$tape" "$tmp/g1"
read_record "$tape" "$tmp/g2"
expect_ok "after the restart file 0 reads back byte for byte" -- \
  sh -c "cmp $tmp/r1 $tmp/g1 && cmp $tmp/r2 $tmp/g2"
expect_ok "fsf 1" -- mt -f "$tape" fsf 1
read_record "$tape" "$tmp/g3"
expect_ok "...and file 1 too" -- cmp "$tmp/r3" "$tmp/g3"
expect_ok "eod" -- mt -f "$tape" eod
expect_eq 5 "$(tape_tell "$tape")" "end of data where it was: 3 records + 2 filemarks"
rand_file "$tmp/r4" 5000
expect_ok "the drive takes new data after the restart" -- dd if="$tmp/r4" of="$tape" bs=5000
mt -f "$tape" bsfm 2
read_record "$tape" "$tmp/g4"
expect_ok "...which reads back" -- cmp "$tmp/r4" "$tmp/g4"

vt_device_remove t_restart
rm -rf "$tmp"
assert_done
