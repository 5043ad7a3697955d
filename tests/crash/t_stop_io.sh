# Stop during I/O (guest side): four drives in one tcmu-runner (two file:, two
# rait: of three file: members) written at once by four `crash_tape write`s.
#  (b) one drive's device is removed from configfs (LUN unlinked, user backstore
#      removed) during the writes: its writer fails, the runner keeps serving the
#      other three (their writers get more filemarks acknowledged); nothing aborts;
#  (a) SIGTERM to tcmu-runner during the writes: it exits with status 0, no abort,
#      no core;
# and after each, every drive's data up to its last acknowledged filemark is
# intact, and after SIGTERM (a clean stop) every record the drive accepted:
# `vtape verify` reads every record of every image, and after the runner
# (or the device) is back, `crash_tape check` reads through st what each drive
# got since the last check. The media sit on a slow disk (see slow_disk).
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/crash/guest-lib.sh"

tmp=$(mktemp -d /run/stop_io.XXXXXX)
seed=${VT_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "seed $seed"
ulimit -c unlimited
echo "$tmp/core.%e.%p" >/proc/sys/kernel/core_pattern

# The media live on a slow disk: ext4 on dm-delay (writes and flushes take
# VT_STOP_DISK_DELAY_MS, default 20) over a loop device on a tmpfs file. On tmpfs
# fdatasync costs nothing, so the runner's threads would hardly ever be inside it
# when they are stopped; here they spend most of their time there.
disk=$tmp
slow_disk() {
  local delay=${VT_STOP_DISK_DELAY_MS:-20} loop sectors
  modprobe loop && modprobe dm-delay || return 1
  truncate -s 2G "$tmp/disk.raw" || return 1
  loop=$(losetup --find --show "$tmp/disk.raw") || return 1
  sectors=$(blockdev --getsz "$loop")
  # No udev in the guest: no udev sync, and the node is made by hand.
  dmsetup create --noudevsync stop_io_slow --table "0 $sectors delay $loop 0 0 $loop 0 $delay" &&
    dmsetup mknodes stop_io_slow || return 1
  mkfs.ext4 -q /dev/mapper/stop_io_slow && mkdir -p "$tmp/disk" &&
    mount /dev/mapper/stop_io_slow "$tmp/disk" || return 1
  disk=$tmp/disk
}
if slow_disk; then
  echo "media on ext4 over dm-delay (${VT_STOP_DISK_DELAY_MS:-20} ms per write and flush)"
else
  echo "NOTE: no slow disk (loop/dm-delay/mkfs.ext4 missing): media on tmpfs"
fi

names=(stop0 stop1 stop2 stop3)
media=("file:$disk/d0.img" "file:$disk/d1.img" "rait:file:$disk/d2-{a,b,c}.img"
  "rait:file:$disk/d3-{a,b,c}.img")
declare -a tapes wpids
for i in 0 1 2 3; do
  expect_ok "vtape create ${media[i]}" -- "$CRASH_VTAPE" create "${media[i]}" --capacity 2G
done

# Our own runner, so that `wait` can tell how it ended.
old=$(pidof tcmu-runner)
kill -TERM $old
crash_runner_gone "$old" && crash_runner_start
expect_eq 0 $? "tcmu-runner restarted as a child of the test"

create_drive() {  # I
  local n
  n=$(vt_device_create "${names[$1]}" "${media[$1]}") || return 1
  tapes[$1]=/dev/nst$n
}
start_writer() {  # I TRIAL FILES
  "$CRASH_TOOL" write --device "${tapes[$1]}" --seed "$seed" --trial "$2" \
    --acks "$tmp/acks.$1" --files "$3" --stop "$tmp/stop" >"$tmp/writer.$1.log" 2>&1 &
  wpids[$1]=$!
}
writer_said() { grep -v '^accepted ' "$tmp/writer.$1.log" | tail -n 1; }
check_drive() {  # I TRIAL WHAT [MUST_HOLD]: reads what the drive got since the last check
  local out
  out=$("$CRASH_TOOL" check --device "${tapes[$1]}" --seed "$seed" --trial "$2" \
    --acks "$tmp/acks.$1" --state "$tmp/state.$1" ${4:+--must-hold "$4"} 2>&1)
  expect_eq 0 $? "$3: ${names[$1]} (${media[$1]%%:*}) read back through st: $(head -n 8 <<<"$out")"
}
verify_image() {  # I WHAT
  local out
  out=$("$CRASH_VTAPE" verify "${media[$1]}" 2>&1)
  expect_eq 0 $? "$2: vtape verify ${names[$1]}: $(tail -n 2 <<<"$out")"
}
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

for i in 0 1 2 3; do
  create_drive "$i"
  expect_eq 0 $? "drive ${names[i]} on ${media[i]}"
done
[[ ${#tapes[@]} == 4 ]] || assert_done

# --- (b) device removal during the writes ----------------------------------------------------
echo "$(date +%T) (b) begins"
acked() { wc -l <"$tmp/acks.$1" 2>/dev/null || echo 0; }
log_from=$(crash_log_lines)
for i in 0 1 2 3; do start_writer "$i" 1 100000; done
sleep_ms "$(crash_random_ms 1000 2500)"
expect_ok "(b) drive stop3's writer is still writing when its device goes" -- kill -0 "${wpids[3]}"
expect_ok "(b) remove drive stop3 (LUN, then user backstore) during the writes" -- \
  vt_device_remove stop3
expect_fail "(b) the backstore is gone" -- test -d "$(vt_hba_dir)/stop3"
declare -a at_removal
for i in 0 1 2; do at_removal[i]=$(acked "$i"); done
crash_wait_pid "${wpids[3]}" 60 || kill -KILL "${wpids[3]}"
wait "${wpids[3]}"
rc=$?
expect_fail "(b) stop3's writer fails once its device is gone: $(writer_said 3)" -- \
  test "$rc" = 0
# The other drives are still served: each gets another filemark acknowledged.
for ((w = 0; w < 600; w++)); do
  more=0
  for i in 0 1 2; do (($(acked "$i") > at_removal[i])) && more=$((more + 1)); done
  ((more == 3)) && break
  sleep 0.1
done
touch "$tmp/stop"
for i in 0 1 2; do
  crash_wait_pid "${wpids[i]}" 120 || kill -KILL "${wpids[i]}"
  wait "${wpids[i]}"
  expect_eq 3 $? "(b) ${names[i]}'s writer keeps writing until told to stop: $(writer_said "$i")"
  expect_ok "(b) ${names[i]}: more filemarks acknowledged after stop3 went (${at_removal[i]} -> $(acked "$i"))" -- \
    test "$(acked "$i")" -gt "${at_removal[i]}"
done
rm -f "$tmp/stop"
expect_ok "(b) tcmu-runner still runs" -- kill -0 "$CRASH_RUNNER_PID"
expect_ok "(b) no abort in the runner's log" -- crash_log_clean "$log_from"
expect_eq "" "$(ls "$tmp" | grep '^core')" "(b) no core file"
for i in 0 1 2; do check_drive "$i" 1 "(b)"; done
verify_image 3 "(b) removed drive"
create_drive 3
expect_eq 0 $? "(b) drive stop3 created again on its medium"
check_drive 3 1 "(b) removed drive, after re-creating it"

# --- (a) SIGTERM during the writes (VT_STOP_ROUNDS rounds, default 1) ------------------------
sigterm_round() {  # ROUND: writers append trial ROUND+1
  local r=$1 trial=$(($1 + 1)) i before log_from
  echo "$(date +%T) (a$r) begins"
  log_from=$(crash_log_lines)
  for i in 0 1 2 3; do start_writer "$i" "$trial" 100000; done
  sleep_ms "$(crash_random_ms 1000 2500)"
  for i in 0 1 2 3; do
    expect_ok "(a$r) ${names[i]}'s writer is writing when SIGTERM comes" -- kill -0 "${wpids[i]}"
  done
  kill -TERM "$CRASH_RUNNER_PID"
  if crash_runner_gone "$CRASH_RUNNER_PID" 120; then
    wait "$CRASH_RUNNER_PID"
    expect_eq 0 $? "(a$r) tcmu-runner exits with status 0 after SIGTERM during the writes"
  else
    vt_failed "(a$r) tcmu-runner exits within 120 s of SIGTERM"
    kill -KILL "$CRASH_RUNNER_PID"
  fi
  expect_ok "(a$r) no abort in the runner's log" -- crash_log_clean "$log_from"
  expect_eq "" "$(ls "$tmp" | grep '^core')" "(a$r) no core file"
  for i in 0 1 2 3; do verify_image "$i" "(a$r) after SIGTERM"; done
  touch "$tmp/stop"
  before=$(crash_loaded_count stop3)
  crash_runner_start  # not in expect_ok's subshell: CRASH_RUNNER_PID must stay our child
  expect_eq 0 $? "(a$r) tcmu-runner starts again"
  expect_ok "(a$r) it re-opens the drives" -- crash_wait_loaded stop3 "$before"
  for i in 0 1 2 3; do
    crash_wait_pid "${wpids[i]}" 120 || kill -KILL "${wpids[i]}"
    wait "${wpids[i]}"
    echo "(a$r) ${names[i]}'s writer [exit $?]: $(writer_said "$i")"
  done
  rm -f "$tmp/stop"
  # A clean stop closes every drive: each record a WRITE returned GOOD for (the
  # writer's last "accepted" one and, by order, all before it) must be on the tape.
  for i in 0 1 2 3; do
    check_drive "$i" "$trial" "(a$r) after the restart" \
      "$(sed -n 's/^accepted //p' "$tmp/writer.$i.log" | tail -n 1)"
  done
}
for ((round = 1; round <= ${VT_STOP_ROUNDS:-1}; round++)); do sigterm_round "$round"; done

echo "$(date +%T) done"
for i in 0 1 2 3; do
  vt_device_remove "${names[i]}"
  out=$("$CRASH_VTAPE" verify "${media[i]}" 2>&1)
  expect_eq 0 $? "at the end: vtape verify ${names[i]}: $(tail -n 2 <<<"$out")"
done
if [[ $disk != "$tmp" ]]; then
  umount "$disk"
  dmsetup remove --noudevsync stop_io_slow
  losetup -D
fi
rm -rf "$tmp"
assert_done
