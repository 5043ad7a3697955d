#!/bin/sh
# One vtape drive on the local SCSI bus (tcm_loop): the kernel's st driver then
# gives /dev/nstN (and /dev/stN, an sg node). Needs tcmu-runner with
# handler_vtape.so and dbus-daemon --system running (targetcli asks tcmu-runner
# over D-Bus which user handlers exist).
#
#   configs/tcm-loop-one-drive.sh [IMAGE [NAME]]
#     IMAGE  tape image path, created blank if missing. Default /var/lib/vtape/drive0.img
#     NAME   backstore name, default drive0
# Environment: VTAPE_MODEL [ibm-lto8], VTAPE_MEDIA [LTO-8], VTAPE_CAPACITY [2G],
#   VTAPE_NAA (loopback WWN) [naa.5001405000000001], TARGETCLI [targetcli].
#
# The medium is a bare absolute path: targetcli refuses ':' in a config string,
# so "file:/x" cannot be used here (the handler reads /x as file:/x).
# All commands go to one targetcli process (each start costs seconds); it does
# not stop at a failed command, so the result is checked in configfs afterwards.
set -eu
image=${1:-/var/lib/vtape/drive0.img}
name=${2:-drive0}
naa=${VTAPE_NAA:-naa.5001405000000001}
cfs=/sys/kernel/config/target

mkdir -p "$(dirname "$image")"
# hw_max_sectors=2048 x 512-byte sectors = 1 MiB: the largest record the path
# carries, which READ BLOCK LIMITS reports (LIO's default 128 caps records at
# 64 KiB). max_data_area_mb=32 bounds the kernel<->runner shared data area.
out=$(${TARGETCLI:-targetcli} 2>&1 <<COMMANDS
set global auto_save_on_exit=false
/backstores/user:vtape create name=$name size=1G cfgstring=$image;model=${VTAPE_MODEL:-ibm-lto8};missing=create;media=${VTAPE_MEDIA:-LTO-8};capacity=${VTAPE_CAPACITY:-2G} hw_max_sectors=2048 control=max_data_area_mb=32
/loopback create $naa
/loopback/$naa/luns create /backstores/user:vtape/$name
exit
COMMANDS
) || true
printf '%s\n' "$out"
if ! ls -d "$cfs"/core/user_*/"$name" >/dev/null 2>&1 || [ ! -d "$cfs/loopback/$naa/tpgt_1/lun/lun_0" ]; then
  echo "tcm-loop-one-drive.sh: drive $name was not set up (see targetcli's output above)" >&2
  exit 1
fi
