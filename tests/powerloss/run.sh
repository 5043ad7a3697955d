#!/bin/bash
# Power-loss trials of the file: backend in the test VM (README.md here).
#
#   tests/powerloss/run.sh BUILD [--seed S] [--ops N] [--checks N] [--fs ext4|xfs]
#                                [--reorder N] [--every-entry] [--long]
#                                [--port P] [--timeout S]
#
# Default: a random seed (printed), 40 operations, every ack mark and FLUSH/FUA
# entries chosen by the seed up to 120 crash points, and at each FLUSH point one
# more state with the writes it covered reordered and some torn (--reorder 1):
# ~180 states, about 3 minutes of TCG on an idle 2-core host.
# --long: 150 operations, every FLUSH/FUA/MARK entry, --reorder 3 (~30 min).
# --every-entry: every log entry is a crash point (the states between flushes).
# BUILD needs the targets powerloss_tool and vtape_tool. Prints each check and
# "N passed, M failed"; exits 0 only if all passed. Logs: BUILD/powerloss-work/.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[[ $# -ge 1 && $1 != -* ]] || { sed -n '2,17p' "$0"; exit 2; }
build=$(realpath "$1")
shift
seed=$(( (RANDOM << 15 | RANDOM) + 1 )) ops=40 checks=120 reorder=1 fs=ext4 every=0 opts=() timeout_s=1500
while [[ $# -gt 0 ]]; do
  case $1 in
    --seed) seed=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
    --checks) checks=$2; shift 2 ;;
    --fs) fs=$2; shift 2 ;;
    --every-entry) every=1; shift ;;
    --reorder) reorder=$2; shift 2 ;;
    --long) ops=150 checks=0 reorder=3 timeout_s=14400; shift ;;
    --port) opts+=(--port "$2"); shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for t in tests/powerloss/powerloss_tool tools/vtape; do
  [[ -x $build/$t ]] || { echo "run.sh: $build/$t missing: build powerloss_tool vtape_tool" >&2; exit 2; }
done
points="FLUSH/FUA/MARK entries" limit="up to $checks"
((every)) && points="every log entry"
((checks)) || limit=all
echo "power-loss trials: seed $seed, $ops ops, $fs; crash points: $points, $limit of them;" \
  "$reorder reordered state(s) per FLUSH point"
VT_PL_SEED=$seed VT_PL_OPS=$ops VT_PL_CHECKS=$checks VT_PL_FS=$fs VT_PL_EVERY_ENTRY=$every VT_PL_REORDER=$reorder \
  exec "$here/../vm/run-guest.sh" --build "$build" --work "$build/powerloss-work" \
  --timeout "$timeout_s" "${opts[@]}" "$here/guest.sh"
