# Guest side of tests/powerloss/run.sh (bash, run by tests/vm/run-guest.sh).
#
# 1. An ext4 (or XFS) file system on dm-log-writes: data and log devices are
#    loop devices over files in the guest's tmpfs. Every block write reaching
#    the data device is logged, in completion order, with FLUSH/FUA flags.
# 2. powerloss_tool write runs the seed's workload on file:MNT/tape.img; after
#    each acknowledged durable point it logs "ack K" to a file in tmpfs (another
#    file system) and drops the mark "ack-K" into the log.
# 3. Every FLUSH, FUA and MARK entry of the log is a crash point (or a
#    seed-chosen subset of VT_PL_CHECKS of them): the log up to and including it
#    is replayed onto a copy of the freshly made file system, which is mounted
#    (journal recovery), and powerloss_tool check opens the image (recovery),
#    judges what it holds against the last ack mark before that point, and
#    `vtape verify` reads it all once more.
# Environment: VT_PL_SEED, VT_PL_OPS, VT_PL_CHECKS (0 = all), VT_PL_FS (ext4|xfs).
set -u
source "$VTAPE_SRC/tests/vm/assert.sh"

seed=${VT_PL_SEED:-1}
ops=${VT_PL_OPS:-40}
max_checks=${VT_PL_CHECKS:-0}
fs=${VT_PL_FS:-ext4}
bin=$VTAPE_BUILD/tests/powerloss
tool=$bin/powerloss_tool
replay=$bin/dm_log_replay
vtape=$VTAPE_BUILD/tools/vtape
for b in "$tool" "$replay" "$vtape"; do
  [[ -x $b ]] || { vt_failed "$b is missing (build powerloss_tool dm_log_replay vtape_tool)"; assert_done; }
done

mountpoint -q /run || mount -t tmpfs -o size=1500m tmpfs /run
w=/run/powerloss
mkdir -p "$w/mnt" "$w/chk"
for m in loop dm-mod dm-log-writes "$fs"; do
  modprobe "$m" || { vt_failed "modprobe $m"; assert_done; }
done

# Guest RAM is 2 GiB and everything lives in tmpfs: the files stay sparse.
truncate -s 512M "$w/data.img"
truncate -s 1G "$w/log.img"
case $fs in
  # Inode tables and journal zeroed now, so no background init writes later.
  ext4) mkfs_cmd=(mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$w/data.img") ;;
  xfs) mkfs_cmd=(mkfs.xfs -q -f "$w/data.img") ;;
  *) vt_failed "unknown file system $fs"; assert_done ;;
esac
expect_ok "mkfs ($fs)" -- "${mkfs_cmd[@]}"
cp --sparse=always "$w/data.img" "$w/base.img"

data_dev=$(losetup -f --show "$w/data.img") && log_dev=$(losetup -f --show "$w/log.img") ||
  { vt_failed "losetup"; assert_done; }
sectors=$(blockdev --getsz "$data_dev")
expect_ok "dm-log-writes target" -- \
  dmsetup create plw --table "0 $sectors log-writes $data_dev $log_dev"
expect_ok "mount $fs on dm-log-writes (default options)" -- mount /dev/mapper/plw "$w/mnt"

echo "workload: seed $seed, $ops ops, $fs"
if "$tool" write --image "$w/mnt/tape.img" --acks "$w/acks" --seed "$seed" --ops "$ops" \
    --dm plw >"$w/writer.log" 2>&1; then
  vt_pass "writer: $(tail -n1 "$w/writer.log")"
else
  vt_failed "writer (seed $seed)" "$(tail -n5 "$w/writer.log")"
fi
umount "$w/mnt"
expect_ok "dm-log-writes removed (log complete)" -- dmsetup remove plw
losetup -d "$data_dev" "$log_dev"
rm -f "$w/data.img"

if ! "$replay" list "$w/log.img" >"$w/entries" 2>"$w/list.err"; then
  vt_failed "reading the log" "$(cat "$w/list.err")"
  assert_done
fi
# Crash points: "INDEX OFFSET FLAGS LAST_ACK" for every FLUSH/FUA/MARK entry,
# with the last ack mark at or before it ("none" before the first).
awk '{ if ($6 ~ /^ack-/) ack = substr($6, 5)
       if ($3 ~ /FLUSH|FUA|MARK/) print $1, $2, $3, (ack == "" ? "none" : ack) }' \
  "$w/entries" >"$w/points.all"
total=$(wc -l <"$w/entries")
all=$(wc -l <"$w/points.all")
marks=$(grep -c ' ack-' "$w/entries")
if ((max_checks > 0 && all > max_checks)); then
  shuf -n "$max_checks" --random-source=<(yes "$seed") "$w/points.all" | sort -n >"$w/points"
else
  cp "$w/points.all" "$w/points"
fi
echo "log: $total entries, $all crash points (FLUSH/FUA/MARK), $marks ack marks;" \
  "checking $(wc -l <"$w/points")"

cp --sparse=always "$w/base.img" "$w/replay.img"
next_index=0
next_offset=$(awk 'NR == 1 { print $2 }' "$w/entries")
declare -A offset_of
while read -r i off _; do offset_of[$i]=$off; done <"$w/entries"

check_point() {  # INDEX FLAGS ACK: the crash state after entry INDEX
  local index=$1 flags=$2 ack=$3 where
  where="entry $index ($flags, last mark ack-$ack)"
  cp --sparse=always "$w/replay.img" "$w/check.img"
  if ! mount -o loop "$w/check.img" "$w/chk" 2>"$w/mount.err"; then
    vt_failed "$where: $fs does not mount" "$(cat "$w/mount.err")"
    return
  fi
  local out rc
  out=$("$tool" check --image "$w/chk/tape.img" --acks "$w/acks" --seed "$seed" --ops "$ops" \
        --ack "$ack" 2>&1)
  rc=$?
  if ((rc == 0)) && [[ -e $w/chk/tape.img ]] && ! vout=$("$vtape" verify "file:$w/chk/tape.img" 2>&1); then
    out="$out; vtape verify failed: ${vout: -400}"
    rc=1
  fi
  umount "$w/chk"
  if ((rc == 0)); then vt_pass "$where: ${out#PASS: }"; else vt_failed "$where" "$out"; fi
}

while read -r index _ flags ack; do
  if ! "$replay" replay "$w/log.img" "$w/replay.img" "$next_index" "$next_offset" "$index" \
      2>"$w/replay.err"; then
    vt_failed "replaying entries $next_index..$index" "$(cat "$w/replay.err")"
    break
  fi
  next_index=$((index + 1))
  next_offset=${offset_of[$next_index]:-0}
  check_point "$index" "$flags" "$ack"
done <"$w/points"

echo "seed $seed: replay again with VT_PL_SEED=$seed VT_PL_OPS=$ops (tests/powerloss/run.sh --seed $seed --ops $ops)"
assert_done
