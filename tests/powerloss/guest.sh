# Guest side of tests/powerloss/run.sh (bash, run by tests/vm/run-guest.sh).
#
# 1. An ext4 (or XFS) file system on dm-log-writes: data and log devices are
#    loop devices over files in the guest's tmpfs. Every block write reaching
#    the data device is logged, in completion order, with FLUSH/FUA flags.
# 2. powerloss_tool write runs the seed's workload on file:MNT/tape.img; after
#    each acknowledged durable point it logs "ack K" to a file in tmpfs (another
#    file system) and drops the mark "ack-K" into the log.
# 3. powerloss_tool trial: every FLUSH, FUA and MARK entry of the log is a
#    crash point (or every ack mark plus a seed-chosen sample, VT_PL_CHECKS in
#    all): the log up to and including it is replayed onto a copy of the freshly
#    made file system, which is mounted (journal recovery); the image is opened
#    (recovery) and judged against the last ack mark before that point, and
#    every 8th point `vtape verify` reads it all once more. With VT_PL_REORDER,
#    each FLUSH point also yields states where the writes it covered landed in
#    another order, some only partly (torn at a sector).
# Environment: VT_PL_SEED, VT_PL_OPS, VT_PL_CHECKS (0 = all), VT_PL_FS (ext4|xfs),
# VT_PL_EVERY_ENTRY=1 (every log entry is a crash point, not only FLUSH/FUA/MARK),
# VT_PL_REORDER=N (N more states per FLUSH point: its writes reordered and torn).
set -u
source "$VTAPE_SRC/tests/vm/assert.sh"

seed=${VT_PL_SEED:-1}
ops=${VT_PL_OPS:-40}
max_checks=${VT_PL_CHECKS:-0}
fs=${VT_PL_FS:-ext4}
every_entry=${VT_PL_EVERY_ENTRY:-0}
reorder=${VT_PL_REORDER:-0}
bin=$VTAPE_BUILD/tests/powerloss
tool=$bin/powerloss_tool
vtape=$VTAPE_BUILD/tools/vtape
for b in "$tool" "$vtape"; do
  [[ -x $b ]] || { vt_failed "$b is missing (build powerloss_tool vtape_tool)"; assert_done; }
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
  ext4) mkfs_cmd=(mkfs.ext4 -q -F "$w/data.img") ;;
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
# No udev in the guest: dmsetup makes the /dev/mapper node itself.
dmsetup mknodes plw
expect_ok "mount $fs on dm-log-writes (default options)" -- mount /dev/mapper/plw "$w/mnt"
((VT_FAILED == 0)) || assert_done

echo "workload: seed $seed, $ops ops, $fs"
if "$tool" write --image "$w/mnt/tape.img" --acks "$w/acks" --seed "$seed" --ops "$ops" \
    --dm plw >"$w/writer.log" 2>&1; then
  vt_pass "$(tail -n1 "$w/writer.log")"
else
  vt_failed "writer (seed $seed)" "$(tail -n5 "$w/writer.log")"
fi
umount "$w/mnt"
# A full log device stops logging silently but for this flag in the status.
status=$(dmsetup status plw)
expect_eq "" "$(grep -o logging_disabled <<<"$status")" "dm-log-writes logged everything ($status)"
expect_ok "dm-log-writes removed (log complete)" -- dmsetup remove plw
losetup -d "$data_dev" "$log_dev"
rm -f "$w/data.img"

# The crash points, replayed, mounted and checked in one process (trial.h).
"$tool" trial --log "$w/log.img" --base "$w/base.img" --dir "$w" --fs "$fs" --acks "$w/acks" \
  --seed "$seed" --ops "$ops" --max-points "$max_checks" --verify "$vtape" \
  --every-entry "$every_entry" --reorder "$reorder" | tee "$w/trial.log"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$w/trial.log" | tail -n1)
if [[ -z $summary ]]; then
  vt_failed "the trial ended without a summary"
else
  p=${summary%% passed*} f=${summary#*passed, }
  VT_PASSED=$((VT_PASSED + p)) VT_FAILED=$((VT_FAILED + ${f%% failed}))
fi
cp "$w/trial.log" "$w/acks" "$w/writer.log" "$VTAPE_WORK/" 2>/dev/null
echo "seed $seed (again: tests/powerloss/run.sh BUILD --seed $seed --ops $ops --checks $max_checks" \
  "--reorder $reorder --fs $fs)"
assert_done
