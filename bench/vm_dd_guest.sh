# Guest side of bench/vm_dd.sh (bash, run by run-guest.sh): one drive per
# backend, dd of VT_BENCH_MIB MiB in VT_BENCH_BS records through /dev/nst, write
# then read back, VT_BENCH_ROUNDS times alternating the backends. Appends
# "BACKEND DIRECTION ROUND BYTES SECONDS" lines to $VTAPE_WORK/vm_dd.result.
# Then (VT_BENCH_FILES > 0) the small-files and positioning measure: one
# process (bench/vm_files.py) writes VT_BENCH_FILES files of one 64 KiB record
# and a filemark each, rewinds and times MTFSF VT_BENCH_FSF, per tape backend,
# VT_BENCH_FILE_ROUNDS times; "BACKEND files|fsf ROUND COUNT SECONDS" lines go
# to $VTAPE_WORK/vm_files.result. VT_BENCH_ONLY=dd|files runs one of the two.
# VT_BENCH_BUFFER=SIZE gives both drives the drive buffer (buffer=SIZE).
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
set -u
mib=${VT_BENCH_MIB:-128} rounds=${VT_BENCH_ROUNDS:-3} bs=${VT_BENCH_BS:-256k}
files=${VT_BENCH_FILES:-20000} fsf=${VT_BENCH_FSF:-19000} file_rounds=${VT_BENCH_FILE_ROUNDS:-1}
only=${VT_BENCH_ONLY:-} buffer=${VT_BENCH_BUFFER:+;buffer=$VT_BENCH_BUFFER}
vt_boot_setup || exit 1
# A tmpfs of its own (the guest's RAM): the root's overlay holds 1200 MiB, less
# than the 1.3 GB image of 20000 small files.
dir=$(mktemp -d /run/vm_dd.XXXXXX)
mount -t tmpfs -o size=1600m tmpfs "$dir" || exit 1
bytes=$((mib << 20))
count=$((bytes / $(numfmt --from=iec "${bs^^}")))

declare -A tape
tape[file]=/dev/nst$(vt_device_create bfile "file:$dir/bench.img;missing=create;capacity=4G$buffer") || exit 1
tape[null]=/dev/nst$(vt_device_create bnull "null:$buffer") || exit 1

# The guest's own cost of moving the bytes through tmpfs (no tape, no TCMU): what
# the file: backend's image I/O costs at least, under the same emulation.
tape[tmpfs]=$dir/raw.bin

# pass BACKEND DIRECTION ROUND: times one dd and records it
pass() {
  local t=${tape[$1]} start end
  if [[ $1 != tmpfs ]]; then mt -f "$t" rewind || return 1; fi
  start=$(date +%s.%N)
  if [[ $2 == write ]]; then
    dd if=/dev/zero of="$t" bs="$bs" count="$count" 2>"$dir/dd.err"
  else
    dd if="$t" of=/dev/null bs="$bs" count="$count" 2>"$dir/dd.err"
  fi || { cat "$dir/dd.err"; return 1; }
  end=$(date +%s.%N)
  local moved
  moved=$(sed -n 's/^\([0-9]*\) bytes.*/\1/p' "$dir/dd.err")
  [[ $moved == "$bytes" ]] || { echo "$1 $2: moved $moved of $bytes bytes"; cat "$dir/dd.err"; return 1; }
  echo "$1 $2 $3 $bytes $(echo "$end - $start" | bc -l)" | tee -a "$VTAPE_WORK/vm_dd.result"
  [[ $1 == tmpfs && $2 == read ]] && rm -f "$t"
  return 0
}

# files BACKEND ROUND: the small-files and positioning measure, one process
files() {
  local out
  out=$(python3 "$VTAPE_SRC/bench/vm_files.py" "${tape[$1]}" "$files" "$fsf") || return 1
  echo "$out" | sed "s/^\([a-z]*\) /$1 \1 $2 /" | tee -a "$VTAPE_WORK/vm_files.result"
}

if [[ $only != files ]]; then
  for ((r = 1; r <= rounds; r++)); do
    for b in file null tmpfs; do
      pass "$b" write "$r" || exit 1
      pass "$b" read "$r" || exit 1
    done
  done
fi
if [[ $only != dd && $files -gt 0 ]]; then
  rm -f "$dir/raw.bin"
  for ((r = 1; r <= file_rounds; r++)); do
    for b in file null; do
      files "$b" "$r" || exit 1
    done
  done
fi
vt_device_remove bfile
vt_device_remove bnull
umount "$dir" && rmdir "$dir"
