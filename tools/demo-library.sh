#!/usr/bin/env bash
# The demo's library side (see tools/demo.sh): runs where LIO is, natively or as
# the VM guest's job. Creates a library (changer, two drives, ten cartridges)
# with the targetcli script users would use (configs/tcm-loop-library.sh), then
# shows mtx status, a load, a tar round trip on the loaded drive and an unload.
#   demo-library.sh --vm       in the test VM (sets the guest up first)
#   demo-library.sh --native   on this host (starts dbus and tcmu-runner if needed)
set -uo pipefail
src=${VTAPE_SRC:?}
build=${VTAPE_BUILD:?}
source "$src/tests/vm/guest-setup.sh"
source "$src/tools/demo-common.sh"
naa=naa.5001405000000d02

# The SCSI device directory of LUN $1 of the demo's target (waits 30 s).
lun_device() {
  local host d deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    host=$(cut -d: -f1 "/sys/kernel/config/target/loopback/$naa/tpgt_1/address" 2>/dev/null)
    for d in /sys/bus/scsi/devices/"$host":*:*:"$1"; do
      [[ -e $d/$2 ]] && { echo "$d"; return 0; }
    done
    sleep 0.2
  done
  echo "demo: LUN $1 did not appear" >&2
  return 1
}

demo_start "${1:-}" || exit 1
cleanup() {
  targetcli /loopback delete "$naa" >/dev/null 2>&1
  for b in demo_changer demo_drive0 demo_drive1; do
    targetcli /backstores/user:vtape delete "$b" >/dev/null 2>&1
  done
  [[ -n $runner_started ]] && kill "$runner_started"
}
trap cleanup EXIT

lib=$workdir/lib1
export VTAPE=$build/tools/vtape
say "configs/tcm-loop-library.sh $lib demo   # vtape library create + targetcli: changer LUN 0, drives LUN 1-2"
VTAPE_NAA=$naa VTAPE_CAPACITY=1G VTAPE_DRIVES=2 VTAPE_SLOTS=10 VTAPE_BARCODES=A00001L8:10 \
  "$src/configs/tcm-loop-library.sh" "$lib" demo || exit 1
d=$(lun_device 0 scsi_generic) || exit 1
changer=/dev/$(ls "$d/scsi_generic")
d=$(lun_device 1 scsi_tape) || exit 1
tape=/dev/$(ls "$d/scsi_tape" | grep '^nst[0-9]*$')
for _ in 1 2 3; do sg_turs "$changer" >/dev/null 2>&1 && break; done

run mtx -f "$changer" inquiry
run mtx -f "$changer" status
run mtx -f "$changer" load 3 0
run mtx -f "$changer" status
for _ in 1 2 3; do mt -f "$tape" status >/dev/null 2>&1 && break; done
run mt -f "$tape" status
run tar -cvf "$tape" -b 64 -C /usr/share/doc bash coreutils tar
run mt -f "$tape" rewind
say "tar -d -f $tape -b 64 -C /usr/share/doc   # compare the tape with the tree"
if tar -d -f "$tape" -b 64 -C /usr/share/doc; then echo "identical"; else exit 1; fi
run mtx -f "$changer" unload 3 0
run mtx -f "$changer" status
run "$VTAPE" library ls "$lib"
echo
echo "demo: a virtual library (changer $changer, drives on LUNs 1-2, ten LTO-8 cartridges in $lib): working."
