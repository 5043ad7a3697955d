#!/bin/bash
# dd through /dev/nst0 in the test VM: the file: backend (image on the guest's
# tmpfs) against the null: backend (the ceiling of the path st -> tcm_loop -> LIO
# -> TCMU ring -> tcmu-runner -> handler), write and read, 256 KiB records.
# Everything runs in ONE boot, so the ratios compare like with like (TCG makes
# absolute numbers several times lower than native).
#
#   bench/vm_dd.sh BUILD_DIR [--mib N] [--rounds R] [--bs SIZE] [--buffer SIZE]
#                  [--files N] [--fsf N] [--file-rounds R] [--only dd|files]
#
#   --mib N     MiB per pass (default 128)
#   --rounds R  passes per backend and direction, alternating file/null; the
#               best of each is reported (default 3: the host is shared)
#   --bs SIZE   record size for dd (default 256k)
#   --buffer SIZE  both drives with the drive buffer (buffer=SIZE; default none)
#   --files N   small files: N files of one 64 KiB record + filemark each,
#               written by ONE process (bench/vm_files.py), then MTFSF --fsf N
#               over them timed in that process (defaults 20000 and 19000; 0 =
#               skip); --file-rounds R times per backend (default 1)
#   --only dd|files  run one of the two measures
# A third line, tmpfs, is dd to and from a plain file on the guest's tmpfs: what
# moving the bytes costs the emulated guest without any tape in the way.
# Prints a table and the ratios file/null; the raw numbers are left in
# BUILD_DIR/vm-bench/vm_dd.result and vm_files.result. Needs root and
# handler_vtape built. The file: image of 20000 files (1.3 GB) lives in the
# guest's 2 GiB of RAM: lower --files if the guest runs short.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $# -ge 1 && $1 != -* ]] || { sed -n '2,26p' "$0"; exit 2; }
build=$(realpath "$1")
shift
mib=128 rounds=3 bs=256k buffer="" files=20000 fsf=19000 file_rounds=1 only=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --mib) mib=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --bs) bs=$2; shift 2 ;;
    --buffer) buffer=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --fsf) fsf=$2; shift 2 ;;
    --file-rounds) file_rounds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "vm_dd.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -f $build/handler/handler_vtape.so ]] || { echo "vm_dd.sh: build handler_vtape in $build first" >&2; exit 2; }

work=$build/vm-bench
mkdir -p "$work"
rm -f "$work/vm_dd.result" "$work/vm_files.result"
VT_BENCH_MIB=$mib VT_BENCH_ROUNDS=$rounds VT_BENCH_BS=$bs VT_BENCH_BUFFER=$buffer \
  VT_BENCH_FILES=$files VT_BENCH_FSF=$fsf VT_BENCH_FILE_ROUNDS=$file_rounds VT_BENCH_ONLY=$only \
  "$here/../tests/vm/run-guest.sh" --build "$build" --work "$work" --timeout 6000 \
  "$here/vm_dd_guest.sh"
rc=$?
[[ $rc == 0 ]] || { echo "vm_dd.sh: guest run failed ($rc); see $work/guest.log" >&2; exit 1; }
echo "buffer: ${buffer:-none}"
if [[ -s $work/vm_files.result ]]; then
  # result lines: BACKEND files|fsf ROUND COUNT SECONDS
  awk '
    { k = $1 " " $2; v = $2 == "files" ? 1000 * $5 / $4 : 1000 * $5
      if (!(k in best) || v < best[k]) best[k] = v
      n[$2] = $4 }
    END {
      printf "small files: %d x (64 KiB record + filemark), one process; MTFSF %d (best)\n", n["files"], n["fsf"]
      printf "%-6s %12s %12s\n", "medium", "ms per file", "MTFSF ms"
      split("file null", m, " ")
      for (i = 1; i <= 2; i++) printf "%-6s %12.2f %12.1f\n", m[i], best[m[i] " files"], best[m[i] " fsf"]
      printf "ratio file/null: per file %.2f, MTFSF %.2f\n",
        best["file files"] / best["null files"], best["file fsf"] / best["null fsf"]
    }' "$work/vm_files.result"
fi
[[ -s $work/vm_dd.result ]] || exit 0

# result lines: BACKEND DIRECTION ROUND BYTES SECONDS
awk -v mib="$mib" -v bs="$bs" -v rounds="$rounds" '
  { mbs = $4 / $5 / 1e6; k = $1 " " $2
    if (!(k in best) || mbs > best[k]) best[k] = mbs
    all[k] = all[k] sprintf(" %.1f", mbs) }
  END {
    printf "dd bs=%s, %d MiB per pass, best of %d (all passes in MB/s)\n", bs, mib, rounds
    printf "%-6s %-6s %8s   %s\n", "medium", "pass", "MB/s", "passes"
    split("file null tmpfs", m, " "); split("write read", d, " ")
    for (i = 1; i <= 3; i++) for (j = 1; j <= 2; j++) {
      k = m[i] " " d[j]; printf "%-6s %-6s %8.1f  %s\n", m[i], d[j], best[k], all[k] }
    printf "ratio file/null: write %.2f, read %.2f\n",
      best["file write"] / best["null write"], best["file read"] / best["null read"]
  }' "$work/vm_dd.result"
