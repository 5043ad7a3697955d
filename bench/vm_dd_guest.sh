# Guest side of bench/vm_dd.sh (bash, run by run-guest.sh): one drive per
# backend, dd of VT_BENCH_MIB MiB in VT_BENCH_BS records through /dev/nst, write
# then read back, VT_BENCH_ROUNDS times alternating the backends. Appends
# "BACKEND DIRECTION ROUND BYTES SECONDS" lines to $VTAPE_WORK/vm_dd.result.
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
set -u
mib=${VT_BENCH_MIB:-128} rounds=${VT_BENCH_ROUNDS:-3} bs=${VT_BENCH_BS:-256k}
vt_boot_setup || exit 1
dir=$(mktemp -d /run/vm_dd.XXXXXX)  # tmpfs: the guest's RAM
bytes=$((mib << 20))
count=$((bytes / $(numfmt --from=iec "${bs^^}")))

declare -A tape
tape[file]=/dev/nst$(vt_device_create bfile "file:$dir/bench.img;missing=create;capacity=4G") || exit 1
tape[null]=/dev/nst$(vt_device_create bnull "null:") || exit 1

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

for ((r = 1; r <= rounds; r++)); do
  for b in file null tmpfs; do
    pass "$b" write "$r" || exit 1
    pass "$b" read "$r" || exit 1
  done
done
vt_device_remove bfile
vt_device_remove bnull
rm -rf "$dir"
