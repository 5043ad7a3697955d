#!/bin/bash
# A stand-in for mtx-changer until vtape presents a real changer (issue 9): one
# drive whose cartridge is swapped by writing a new config string to the vtape
# device (a media change, the drive reports UNIT ATTENTION 28h). It speaks
# Bacula's changer-command protocol, so bacula-sd's Autochanger code (label
# barcodes, load/unload, a job spanning cartridges at end of medium) runs against
# vtape drives today; only the SCSI changer is missing.
#
#   swap-changer.sh CTLDIR COMMAND [SLOT ARCHIVE_DEVICE DRIVE_INDEX]
#
# CTLDIR (the Autochanger's "Changer Device") holds:
#   device   the configfs name of the drive (vt_device_create NAME)
#   options  what follows the medium in the config string (;capacity=...;model=...)
#   slots    one line per storage slot: SLOT BARCODE (the image is CTLDIR/BARCODE.img)
#   loaded   the slot whose cartridge is in the drive, 0 if none
# COMMAND: list, listall, slots, loaded, load, unload (as mtx-changer).
set -u
ctl=$1 cmd=$2 slot=${3:-0} device=${4:-} drive=${5:-0}
source "$VTAPE_SRC/tests/vm/guest-setup.sh"

barcode_of() { awk -v s="$1" '$1 == s { print $2 }' "$ctl/slots"; }
loaded=$(cat "$ctl/loaded" 2>/dev/null || echo 0)
echo "$(date +%T) $cmd slot=$slot device=$device drive=$drive (loaded $loaded)" >>"$ctl/calls"

case $cmd in
  slots) wc -l <"$ctl/slots" ;;
  loaded) echo "$loaded" ;;
  list)
    while read -r s b; do echo "$s:$b"; done <"$ctl/slots" ;;
  listall)
    [[ $loaded != 0 ]] && echo "D:$drive:F:$loaded:$(barcode_of "$loaded")"
    while read -r s b; do
      if [[ $s == "$loaded" ]]; then echo "S:$s:E"; else echo "S:$s:F:$b"; fi
    done <"$ctl/slots" ;;
  load)
    [[ $loaded == 0 ]] || { echo "drive $drive is full (slot $loaded)" >&2; exit 1; }
    b=$(barcode_of "$slot")
    [[ -n $b ]] || { echo "slot $slot is empty" >&2; exit 1; }
    vt_device_reconfig "$(cat "$ctl/device")" "file:$ctl/$b.img;barcode=$b$(cat "$ctl/options")" ||
      exit 1
    echo "$slot" >"$ctl/loaded"
    # As mtx-changer's wait_for_drive: the first command after the change gets the
    # unit attention; the drive is ready when mt status says ONLINE.
    for _ in $(seq 1 30); do
      mt -f "$device" status 2>/dev/null | grep -q ONLINE && exit 0
      sleep 1
    done
    echo "drive $device not ready after loading slot $slot" >&2
    exit 1 ;;
  unload)
    [[ $loaded != 0 ]] || { echo "drive $drive is empty" >&2; exit 1; }
    echo 0 >"$ctl/loaded" ;;
  *)
    echo "swap-changer: unsupported command $cmd" >&2
    exit 1 ;;
esac
