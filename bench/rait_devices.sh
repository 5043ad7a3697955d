#!/bin/bash
# rait_bench with every medium on its own throughput-limited device: the case a
# rait: set exists for (members on separate disks), where the members' writes
# overlap and a set can beat one disk. One loop device per medium (the single
# file: medium on the first, set member i on device 1 + i mod (devices - 1)),
# ext4 on each, every one limited to the same write rate with the kernel's
# block throttle (cgroup v1 blkio.throttle.write_bps_device, or v2 io.max); the
# benchmark runs inside that cgroup, so its fdatasyncs wait for the limit.
#
#   bench/rait_devices.sh BUILD_DIR [--rate MB/s] [--devices N] [-- rait_bench args]
#
#   --rate     write limit of each device in MB/s (default 20: six devices at
#              20 stay below what one host disk here sustains, ~120 MB/s, so the
#              limit, not the disk under the loop files, sets the pace)
#   --devices  loop devices (default 6: the single medium + 5 members)
# Default rait_bench args: --benchmark_filter=BM_Write/ (reads come from the
# page cache, which no device limit touches). Needs root and losetup; the
# images live under /var/tmp and are removed at the end.
set -euo pipefail
[[ $# -ge 1 && $1 != -* ]] || { sed -n '2,17p' "$0"; exit 2; }
build=$(realpath "$1")
shift
rate=20 devices=6
while [[ $# -gt 0 ]]; do
  case $1 in
    --rate) rate=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(--benchmark_filter=BM_Write/)
bench=$build/bench/rait_bench
[[ -x $bench ]] || { echo "build $bench first (ninja -C $build rait_bench)" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "needs root (loop devices, cgroups)" >&2; exit 1; }

work=$(mktemp -d /var/tmp/vtape-rait-devices-XXXXXX)
loops=() cgroup=""
cleanup() {
  set +e
  for ((i = ${#loops[@]} - 1; i >= 0; i--)); do
    umount "$work/m$i" 2>/dev/null
    losetup -d "${loops[$i]}" 2>/dev/null
  done
  [[ -n $cgroup ]] && rmdir "$cgroup" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

bps=$((rate * 1000 * 1000))
if [[ -d /sys/fs/cgroup/blkio ]]; then
  cgroup=/sys/fs/cgroup/blkio/vtape-rait-devices-$$
  limit() { echo "$1 $bps" >"$cgroup/blkio.throttle.write_bps_device"; }
elif [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
  grep -qw io /sys/fs/cgroup/cgroup.subtree_control || echo +io >/sys/fs/cgroup/cgroup.subtree_control
  cgroup=/sys/fs/cgroup/vtape-rait-devices-$$
  limit() { echo "$1 wbps=$bps" >"$cgroup/io.max"; }
else
  echo "no blkio (v1) or io (v2) cgroup controller: cannot limit the devices" >&2
  exit 1
fi
mkdir "$cgroup"

dirs=()
for ((i = 0; i < devices; i++)); do
  truncate -s 1G "$work/d$i.img"
  loops+=("$(losetup -f --show "$work/d$i.img")")
  mkfs.ext4 -q "${loops[$i]}"
  mkdir "$work/m$i"
  mount "${loops[$i]}" "$work/m$i"
  limit "$(lsblk -dno MAJ:MIN "${loops[$i]}" | tr -d ' ')"
  dirs+=("$work/m$i")
done

echo "$devices loop devices at $rate MB/s each; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
members=$(IFS=:; echo "${dirs[*]}")
# A subshell joins the cgroup, so only the benchmark is limited.
(
  echo $BASHPID >"$cgroup/cgroup.procs"
  VTAPE_BENCH_MEMBER_DIRS=$members exec "$bench" "${args[@]}"
)
