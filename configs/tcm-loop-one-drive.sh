#!/bin/sh
# One vtape drive on the local SCSI bus (tcm_loop): the kernel's st driver then
# gives /dev/nst0 (and /dev/st0, sg). Needs tcmu-runner with handler_vtape.so
# and dbus-daemon --system running (targetcli asks tcmu-runner over D-Bus).
#
#   configs/tcm-loop-one-drive.sh [IMAGE [NAME]]
#     IMAGE  tape image path, created blank (LTO-8, 2 GiB) if missing.
#            Default /var/lib/vtape/drive0.img
#     NAME   backstore name, default drive0
# Environment: VTAPE_MODEL (default ibm-lto8), VTAPE_CAPACITY (default 2G),
#   VTAPE_NAA (loopback WWN, default naa.5001405000000001), TARGETCLI (default targetcli).
#
# The medium is given as a bare absolute path: targetcli refuses ':' in a
# config string, so "file:/x" cannot be used here (the handler reads /x as file:/x).
set -eu
image=${1:-/var/lib/vtape/drive0.img}
name=${2:-drive0}
model=${VTAPE_MODEL:-ibm-lto8}
capacity=${VTAPE_CAPACITY:-2G}
naa=${VTAPE_NAA:-naa.5001405000000001}
targetcli=${TARGETCLI:-targetcli}

mkdir -p "$(dirname "$image")"
# hw_max_sectors=2048 x 512-byte sectors = 1 MiB: the largest record the path
# carries, which READ BLOCK LIMITS reports (the default 128 would cap records at
# 64 KiB). max_data_area_mb bounds the kernel<->runner shared buffer per device.
$targetcli /backstores/user:vtape create "name=$name" size=1G \
  "cfgstring=$image;model=$model;missing=create;media=LTO-8;capacity=$capacity" \
  hw_max_sectors=2048 control=max_data_area_mb=32
$targetcli /loopback create "$naa"
$targetcli "/loopback/$naa/luns" create "/backstores/user:vtape/$name"
