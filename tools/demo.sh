#!/usr/bin/env bash
# Brings up a virtual tape library and shows it working: builds vtape, creates a
# library (changer, two drives, ten cartridges) with targetcli
# (configs/tcm-loop-library.sh), and shows mtx status, a load, a tar round trip on
# the loaded drive and an unload (tools/demo-library.sh; tools/demo-drive.sh is
# the same for one lone drive with mt, tar and sg3_utils). Natively when this
# kernel has LIO + TCMU, otherwise in a QEMU VM booting Debian's kernel over
# this machine's root filesystem (tests/vm/). Run as root on Debian 12.
#
#   tools/demo.sh            native if possible, else the VM
#   tools/demo.sh --vm       always the VM
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$root/out/release

mode=auto
[[ ${1:-} == --vm ]] && mode=vm
[[ $(id -u) == 0 ]] || { echo "demo.sh: run as root (LIO, configfs and QEMU's 9p share need it)" >&2; exit 1; }

tests/install-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" handler_vtape vtape_tool

native_lio() {
  modprobe target_core_user 2>/dev/null && modprobe tcm_loop 2>/dev/null && modprobe st 2>/dev/null ||
    return 1
  mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config 2>/dev/null || return 1
  [[ -d /sys/kernel/config/target ]]
}

if [[ $mode == auto ]] && native_lio; then
  echo "demo: this kernel has LIO + TCMU: running natively"
  exec env VTAPE_BUILD="$build" VTAPE_SRC="$root" tools/demo-library.sh --native
fi
echo "demo: no LIO/TCMU in this kernel (or --vm): running in a VM (QEMU, TCG)"
exec tests/vm/run-guest.sh --build "$build" --timeout 900 tools/demo-library.sh --vm
