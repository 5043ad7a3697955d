#!/usr/bin/env bash
# The demo's drive side (see tools/demo.sh): runs where LIO is, natively or as
# the VM guest's job. Creates drive "demo0" on a tape image with the targetcli
# script users would use, then shows st, mt, tar and sg3_utils working on it.
#   demo-drive.sh --vm       in the test VM (sets the guest up first)
#   demo-drive.sh --native   on this host (starts dbus and tcmu-runner if needed)
set -uo pipefail
src=${VTAPE_SRC:?}
build=${VTAPE_BUILD:?}
source "$src/tests/vm/guest-setup.sh"
source "$src/tools/demo-common.sh"

# The st / sg node of the first SCSI device whose model contains $1 (waits 20 s).
vt_wait_tape_by_model() {
  local t deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    for t in /sys/class/scsi_tape/nst*; do
      [[ -e $t ]] && grep -q "$1" "$t/device/model" 2>/dev/null && { echo "${t##*/nst}"; return 0; }
    done
    sleep 0.2
  done
  echo "demo: no tape drive with model $1 appeared" >&2
  return 1
}
vt_sg_by_model() {
  local d
  for d in /sys/class/scsi_generic/sg*; do
    grep -q "$1" "$d/device/model" 2>/dev/null && { echo "/dev/${d##*/}"; return 0; }
  done
  return 1
}

demo_start "${1:-}" || exit 1
cleanup() {
  targetcli /loopback delete naa.5001405000000d01 >/dev/null 2>&1
  targetcli /backstores/user:vtape delete demo0 >/dev/null 2>&1
  [[ -n $runner_started ]] && kill "$runner_started"
}
trap cleanup EXIT

image=$workdir/DEMO01L8.img
say "configs/tcm-loop-one-drive.sh $image demo0   # targetcli: user:vtape backstore + tcm_loop LUN"
VTAPE_NAA=naa.5001405000000d01 VTAPE_CAPACITY=1G "$src/configs/tcm-loop-one-drive.sh" "$image" demo0 ||
  exit 1
n=$(vt_wait_tape_by_model ULT3580) || exit 1
tape=/dev/nst$n
sg=$(vt_sg_by_model ULT3580)

run cat /sys/class/scsi_tape/nst$n/device/vendor /sys/class/scsi_tape/nst$n/device/model
run sg_inq "$sg"
run mt -f "$tape" status
run tar -cvf "$tape" -b 64 -C /usr/share/doc bash coreutils tar
run mt -f "$tape" tell
run mt -f "$tape" rewind
run tar -tvf "$tape" -b 64 | head -n 5
run mt -f "$tape" rewind
say "tar -d -f $tape -b 64 -C /usr/share/doc   # compare the tape with the tree"
if tar -d -f "$tape" -b 64 -C /usr/share/doc; then echo "identical"; else exit 1; fi
run mt -f "$tape" status
run sg_read_block_limits "$sg"
run "$build/tools/vtape" info "$image"
run "$build/tools/vtape" ls "$image"
echo
echo "demo: a virtual LTO-8 drive at $tape, medium $image: working."
