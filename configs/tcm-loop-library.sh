#!/bin/sh
# A vtape library on the local SCSI bus (tcm_loop): one target with the medium
# changer on LUN 0 (an sg node for mtx) and the drives on LUNs 1..N (/dev/nstN).
# Needs tcmu-runner with handler_vtape.so and dbus-daemon --system running.
#
#   configs/tcm-loop-library.sh [DIR [NAME]]
#     DIR   the library directory, created with `vtape library create` when it
#           holds no library yet. Default /var/lib/vtape/lib1
#     NAME  backstore name prefix: NAME_changer, NAME_drive0, ... Default lib1
# Environment (used only when the library is created): VTAPE_DRIVES [2],
#   VTAPE_SLOTS [10], VTAPE_IE [1], VTAPE_MEDIA [LTO-8],
#   VTAPE_BARCODES [A00001L8:10], VTAPE_CAPACITY [2G], VTAPE_SERIAL [derived];
# always: VTAPE_CHANGER_MODEL [ibm-ts3100], VTAPE_DRIVE_MODEL [ibm-lto8],
#   VTAPE_DRIVE_BUFFER (each drive's buffer=, e.g. 32M) [none],
#   VTAPE_NAA (loopback WWN) [naa.5001405000000100], VTAPE [vtape], TARGETCLI [targetcli].
#
# The config strings name only the library and a role (handler/library_config.h):
# where each cartridge is lives in DIR/state.json, so `targetcli saveconfig` and
# `restoreconfig` keep the devices and never undo a move. library-backstores.sh
# (sourced from this script's directory) holds what the iSCSI variant shares.
set -eu
dir=${1:-/var/lib/vtape/lib1}
name=${2:-lib1}
naa=${VTAPE_NAA:-naa.5001405000000100}
vtape=${VTAPE:-vtape}
cfs=/sys/kernel/config/target

. "$(dirname "$0")/library-backstores.sh"
library_require_absolute "$dir"
library_backstores "$dir" "$name" 2 10 A00001L8:10
commands="$commands
/loopback create $naa"
library_luns "/loopback/$naa/luns" "$name"
out=$(printf '%s\nexit\n' "$commands" | ${TARGETCLI:-targetcli} 2>&1) || true
printf '%s\n' "$out"

# targetcli carries on after a failed command: check the result in configfs.
missing=
i=0
while [ "$i" -le "$drives" ]; do
  [ -d "$cfs/loopback/$naa/tpgt_1/lun/lun_$i" ] || missing="$missing lun_$i"
  i=$((i + 1))
done
if [ -n "$missing" ]; then
  echo "tcm-loop-library.sh: library $dir was not set up (missing:$missing; see targetcli's output above)" >&2
  exit 1
fi
echo "tcm-loop-library.sh: library $dir: changer on LUN 0, $drives drive(s) on LUNs 1..$drives of $naa"
