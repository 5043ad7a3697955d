# The kill trials (guest side, sourced by t_kill_file.sh and t_kill_rait.sh):
# crash_kill_trials BACKEND runs VT_CRASH_TRIALS (default 20) trials on one drive
# whose medium is file: or rait: (three file: members), all in guest tmpfs.
#
# A trial: `crash_tape write` appends files of self-describing records to the
# drive through /dev/nstN, each closed by a synchronous filemark, and logs each
# filemark that returned; after a random delay tcmu-runner gets SIGKILL and is
# started again (the LIO device stays; the runner re-opens it and the drive comes
# back at BOT with a power-on UNIT ATTENTION, which fails the writer's next
# command); then `crash_tape check` reads from where the previous trial's data
# ended to end of data through /dev/nstN and checks it (stretch_check.h). The next
# trial appends at end of data. The medium is replaced when it holds more than
# VT_CRASH_TAPE_MB (default 200) MiB; before that, and at the end, the whole tape
# is read from BOT and every acknowledged file of every trial checked, and
# `vtape verify` reads every record of the image.
#
# Other knobs: VT_CRASH_SEED (default random, printed), VT_CRASH_MAX_DELAY_MS
# (the kill comes 50 ms .. this after the writer starts; default 1000).

crash_kill_trials() {
  local backend=$1
  local trials=${VT_CRASH_TRIALS:-20}
  local seed=${VT_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
  local max_delay=${VT_CRASH_MAX_DELAY_MS:-1000}
  local tape_mb=${VT_CRASH_TAPE_MB:-200}
  local tmp name=crash_$backend medium cfg n tape gen=0
  tmp=$(mktemp -d /run/crash.XXXXXX)
  echo "kill trials over $backend: $trials trials, seed $seed (VT_CRASH_SEED=$seed repeats the records)"

  crash_new_tape() {  # (re)creates the medium and the device; sets tape, acks, state
    gen=$((gen + 1))
    rm -f "$tmp"/*.img
    case $backend in
      file)
        medium="file:$tmp/t.img"
        cfg="$medium;missing=create;capacity=4G" ;;
      rait)
        medium="rait:file:$tmp/m-{a,b,c}.img"
        "$CRASH_VTAPE" create "$medium" --capacity 4G >/dev/null || return 1
        cfg=$medium ;;
    esac
    n=$(vt_device_create "$name" "$cfg") || return 1
    tape=/dev/nst$n
    acks=$tmp/acks.$gen
    state=$tmp/state.$gen
    : >"$acks"
    rm -f "$state"
  }

  crash_whole_tape_check() {  # TRIAL: everything from BOT, every acknowledgement; then vtape verify
    local out
    out=$("$CRASH_TOOL" check --device "$tape" --seed "$seed" --trial "$1" --acks "$acks" \
      --from-bot 2>&1)
    expect_eq 0 $? "$backend tape $gen, whole tape from BOT after trial $1: $(head -n 12 <<<"$out")"
    vt_device_remove "$name"
    out=$("$CRASH_VTAPE" verify "$medium" 2>&1)
    expect_eq 0 $? "$backend tape $gen: vtape verify reads every record: $(tail -n 3 <<<"$out")"
  }

  crash_new_tape || { vt_failed "$backend: creating the drive failed"; return; }
  local began=$SECONDS
  local trial runner wpid delay before out rc wrc acked_total=0 torn=0
  for ((trial = 1; trial <= trials; trial++)); do
    rm -f "$tmp/stop"
    # Everything the kill needs is ready before the writer starts: under TCG each
    # process spawned here costs a noticeable part of the delay.
    runner=$(pidof tcmu-runner)
    before=$(crash_loaded_count "$name")
    delay=$(crash_random_ms 50 "$max_delay")
    t_started=$(date +%s.%N)
    "$CRASH_TOOL" write --device "$tape" --seed "$seed" --trial "$trial" --acks "$acks" \
      --stop "$tmp/stop" >"$tmp/writer.log" 2>&1 &
    wpid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -KILL $runner
    t_killed=$(date +%s.%N)
    crash_runner_gone "$runner" ||
      { vt_failed "$backend trial $trial: tcmu-runner survives SIGKILL"; break; }
    touch "$tmp/stop"  # a writer that had not reached the drive yet stops at its first record
    if ! crash_runner_start; then
      vt_failed "$backend trial $trial: tcmu-runner does not start again" "$(tail -n 5 "$VT_LOG")"
      break
    fi
    if ! crash_wait_loaded "$name" "$before"; then
      vt_failed "$backend trial $trial: the medium opens again after the kill" \
        "$(grep "vtape/$name" "$VT_LOG" | tail -n 5)"
      break
    fi
    t_restarted=$(date +%s.%N)
    if ! crash_wait_pid "$wpid" 120; then
      vt_failed "$backend trial $trial: the writer still hangs 120 s after the restart"
      kill -KILL "$wpid"
      wait "$wpid"
      break
    fi
    wait "$wpid"
    wrc=$?
    t_checking=$(date +%s.%N)
    out=$("$CRASH_TOOL" check --device "$tape" --seed "$seed" --trial "$trial" --acks "$acks" \
      --state "$state" 2>&1)
    rc=$?
    times=$(awk -v s="$t_started" -v a="$t_killed" -v b="$t_restarted" -v c="$t_checking" \
      -v d="$(date +%s.%N)" 'BEGIN { printf "restart %.1f s, writer exit %.1f s, check %.1f s, trial %.1f s", b - a, c - b, d - c, d - s }')
    acked=$(awk -v t="$trial" '$1 == t' "$acks" | wc -l)
    acked_total=$((acked_total + acked))
    grep -q "torn file" <<<"$out" && torn=$((torn + 1))
    expect_eq 0 "$rc" "$backend trial $trial (kill after ${delay} ms, $acked files acknowledged, writer: $(grep -v '^accepted ' "$tmp/writer.log" | tail -n 1 | cut -c1-120) [exit $wrc]; $times): $(head -n 12 <<<"$out")"
    if (($(du -sm "$tmp" | cut -f1) > tape_mb)) && ((trial < trials)); then
      crash_whole_tape_check "$trial"
      crash_new_tape || { vt_failed "$backend: creating the next drive failed"; break; }
    fi
  done
  crash_whole_tape_check "$((trial > trials ? trials : trial))"
  echo "$backend: $acked_total files acknowledged over $((trial - 1)) trials, $torn trials ended in a torn file; $((SECONDS - began)) s, $(((SECONDS - began) / (trial > 1 ? trial - 1 : 1))) s per trial"
  ((acked_total > 0))
  expect_eq 0 $? "$backend: the writers got filemarks acknowledged (the trials wrote something)"
  rm -rf "$tmp"
}
