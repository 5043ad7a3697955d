# A library set up the way users do it (guest side): configs/tcm-loop-library.sh
# (vtape library create + targetcli: changer LUN 0, drives LUN 1-2), a load and
# data on the loaded drive, then targetcli saveconfig, clearconfig and
# restoreconfig: the devices come back, and the cartridge is still in the drive
# the move put it in (the library state keeps it; the config strings never change).
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

export VTAPE=$VTAPE_BUILD/tools/vtape
naa=naa.5001405000000101
tmp=$(mktemp -d /run/t_library_targetcli.XXXXXX)
lib=$tmp/lib1

# The sysfs SCSI device of LUN $1 of the target, once it has a $2 (scsi_generic, scsi_tape).
lun_device() {
  local host d deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    host=$(cut -d: -f1 "$VT_CFS/loopback/$naa/tpgt_1/address" 2>/dev/null)
    for d in /sys/bus/scsi/devices/"$host":*:*:"$1"; do
      [[ -e $d/$2 ]] && { echo "$d"; return 0; }
    done
    sleep 0.2
  done
  return 1
}
find_nodes() {
  local d
  d=$(lun_device 0 scsi_generic) && changer=/dev/$(ls "$d/scsi_generic") &&
    d=$(lun_device 1 scsi_tape) && tape0=/dev/$(ls "$d/scsi_tape" | grep '^nst[0-9]*$')
}
drive0_line() {
  mtx -f "$changer" status | sed -n 's/^Data Transfer Element 0:\(.*\)/\1/p' | sed 's/ *$//'
}

expect_ok "configs/tcm-loop-library.sh creates the library and its devices" -- \
  env VTAPE_NAA=$naa VTAPE_CAPACITY=256M "$VTAPE_SRC/configs/tcm-loop-library.sh" "$lib" tlib
expect_ok "the changer's sg node and drive 0's tape appear" -- find_nodes
find_nodes || assert_done  # (expect_ok ran it in a subshell)
for _ in 1 2 3; do sg_turs "$changer" >/dev/null 2>&1 && break; done
expect_eq "Empty" "$(drive0_line)" "drive 0 is empty"
expect_ok "mtx load 2 0" -- mtx -f "$changer" load 2 0
expect_eq "Full (Storage Element 2 Loaded):VolumeTag = A00002L8" "$(drive0_line)" \
  "drive 0 holds A00002L8"
expect_ok "tar onto the loaded drive" -- tar -cf "$tape0" -b 64 -C /usr/share/doc bash

expect_ok "targetcli saveconfig" -- targetcli saveconfig "savefile=$tmp/save.json"
expect_ok "saveconfig keeps drive 0's config string" -- \
  grep -q "\"config\": \"user/vtape/library=$lib;drive=0;model=ibm-lto8\"\\|library=$lib;drive=0;model=ibm-lto8" "$tmp/save.json"
expect_ok "targetcli clearconfig" -- targetcli clearconfig confirm=True
expect_eq "A00002L8" "$("$VTAPE" library ls "$lib" --json | jq -r '.elements[] | select(.name == "drive:0") | .barcode')" \
  "with no device open the state still has A00002L8 in drive 0"
out=$(targetcli restoreconfig "$tmp/save.json" 2>&1)
expect_eq 0 "$?" "targetcli restoreconfig ($out)"
expect_ok "the changer and drive 0 are back" -- find_nodes
find_nodes  # again outside expect_ok's subshell: the sg and st numbers are new
for _ in 1 2 3; do sg_turs "$changer" >/dev/null 2>&1 && break; done
expect_eq "Full (Storage Element 2 Loaded):VolumeTag = A00002L8" "$(drive0_line)" \
  "after restoreconfig drive 0 still holds A00002L8"
for _ in 1 2 3; do mt -f "$tape0" status >/dev/null 2>&1 && break; done
expect_ok "rewind" -- mt -f "$tape0" rewind
expect_ok "the tar archive on it equals the tree" -- tar -d -f "$tape0" -b 64 -C /usr/share/doc
expect_ok "mtx unload 2 0" -- mtx -f "$changer" unload 2 0
expect_eq "Empty" "$(drive0_line)" "drive 0 is empty again"

expect_ok "targetcli clearconfig" -- targetcli clearconfig confirm=True
rm -rf "$tmp"
assert_done
