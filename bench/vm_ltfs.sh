#!/bin/bash
# LTFS on a vtape drive in the test VM (issue 11's bench): copy of one large file
# and of many small files into an LTFS volume and back, against dd of the same
# large file through /dev/nst on the same drive in the same boot. ibm-lto8 drive,
# file: image on the guest's tmpfs, QEMU TCG.
#
#   bench/vm_ltfs.sh BUILD_DIR [--mib N] [--small N] [--small-kib K]
#
#   --mib N        size of the large file in MiB (default 256)
#   --small N      number of small files (default 10000), K KiB each (default 8)
# Prints MB/s and files/s; raw lines in BUILD_DIR/vm-bench/vm_ltfs.result, LTFS's
# own output in BUILD_DIR/vm-bench/vm_ltfs-ltfs.log. Needs root, handler_vtape
# built, and LTFS (tests/ltfs/build.sh builds it from ../shared/thirdparty; where
# that tarball is absent the bench says so and exits 77).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -ge 1 && $1 != -* ]] || { sed -n '2,14p' "$0"; exit 2; }
build=$(realpath "$1")
shift
mib=256 small=10000 small_kib=8
while [[ $# -gt 0 ]]; do
  case $1 in
    --mib) mib=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --small-kib) small_kib=$2; shift 2 ;;
    *) echo "vm_ltfs.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -f $build/handler/handler_vtape.so ]] || { echo "vm_ltfs.sh: build handler_vtape in $build first" >&2; exit 2; }
VT_LTFS_PREFIX=$("$here/../tests/ltfs/build.sh") || {
  rc=$?
  echo "vm_ltfs.sh: no LTFS (tests/ltfs/build.sh exit $rc)" >&2
  exit "$rc"
}
export VT_LTFS_PREFIX

work=$build/vm-bench
mkdir -p "$work"
rm -f "$work/vm_ltfs.result"
echo "host load average before the boot: $(cut -d' ' -f1-3 /proc/loadavg)"
VT_BENCH_MIB=$mib VT_BENCH_SMALL=$small VT_BENCH_SMALL_KIB=$small_kib \
  "$here/../tests/vm/run-guest.sh" --build "$build" --work "$work" --timeout 6000 \
  "$here/vm_ltfs_guest.sh"
rc=$?
[[ $rc == 0 && -s $work/vm_ltfs.result ]] || { echo "vm_ltfs.sh: guest run failed ($rc); see $work/guest.log" >&2; exit 1; }
# result lines: WHAT BYTES FILES SECONDS
awk '
  { what[NR] = $1; bytes[$1] = $2; files[$1] = $3; secs[$1] = $4 }
  END {
    printf "%-18s %10s %10s %10s\n", "step", "seconds", "MB/s", "files/s"
    for (i = 1; i <= NR; i++) {
      w = what[i]
      mbs = "-"; fps = "-"
      if (bytes[w] > 0) mbs = sprintf("%.1f", bytes[w] / secs[w] / 1e6)
      if (files[w] > 1) fps = sprintf("%.0f", files[w] / secs[w])
      printf "%-18s %10.2f %10s %10s\n", w, secs[w], mbs, fps
    }
    printf "LTFS large file vs dd on the same drive: write %.2f, read %.2f\n",
      secs["dd-write"] / secs["ltfs-write-large"], secs["dd-read"] / secs["ltfs-read-large"]
  }' "$work/vm_ltfs.result"
