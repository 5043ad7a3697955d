# A library across a reboot (guest side, sourced after assert.sh, guest-setup.sh
# and iscsi-lib.sh): the first boot of tests/vm/iscsi-host.sh makes a library
# with configs/tcm-loop-library.sh, loads two cartridges, writes to one and
# leaves it to the saveconfig that follows; the second boot (iscsi-restore.sh)
# restores and finds every cartridge where the library state says, data intact.
#
#   library_reboot_prepare   boot 1: before `targetcli saveconfig`
#   library_reboot_check     boot 2: after `targetcli restoreconfig`
# The library lives in /var/lib/vtape/rlib (the persistent directory).

lr_dir=/var/lib/vtape/rlib
lr_naa=naa.5001405000000105

lr_changer() {  # /dev/sgN of the changer (LUN 0), once the kernel has it
  local i
  for ((i = 0; i < 200; i++)); do vt_sg_of_loop "$lr_naa" 0 && return 0; sleep 0.1; done
  return 1
}
lr_drive_line() {  # mtx's line for data transfer element $2 of changer $1
  mtx -f "$1" status | sed -n "s/^Data Transfer Element $2:\(.*\)/\1/p" | sed 's/ *$//'
}
lr_slot_line() {  # mtx's line for storage element $2
  mtx -f "$1" status | sed -n "s/^ *Storage Element $2:\(.*\)/\1/p" | sed 's/ *$//'
}

library_reboot_prepare() {
  local changer n
  expect_ok "reboot library: configs/tcm-loop-library.sh makes it" -- \
    env VTAPE_NAA=$lr_naa VTAPE_CAPACITY=256M VTAPE="$VTAPE_BUILD/tools/vtape" \
    "$VTAPE_SRC/configs/tcm-loop-library.sh" "$lr_dir" rlib
  changer=$(lr_changer) || { expect_eq 0 1 "reboot library: the changer's sg node appears"; return; }
  for _ in 1 2 3; do sg_turs "$changer" >/dev/null 2>&1 && break; done
  expect_ok "reboot library: mtx load 2 0" -- mtx -f "$changer" load 2 0
  expect_ok "reboot library: mtx load 3 1" -- mtx -f "$changer" load 3 1
  n=$(vt_nst_of_loop "$lr_naa" 1) || { expect_eq 0 1 "reboot library: drive 0's st node"; return; }
  for _ in 1 2 3; do mt -f "/dev/nst$n" status >/dev/null 2>&1 && break; done
  expect_ok "reboot library: tar onto drive 0 (A00002L8)" -- \
    tar -cf "/dev/nst$n" -b 64 -C /usr/share/doc bash coreutils
}

library_reboot_check() {
  local changer n
  changer=$(lr_changer) || { expect_eq 0 1 "reboot library: the changer is back"; return; }
  for _ in 1 2 3; do sg_turs "$changer" >/dev/null 2>&1 && break; done
  expect_eq "Full (Storage Element 2 Loaded):VolumeTag = A00002L8" "$(lr_drive_line "$changer" 0)" \
    "reboot library: drive 0 still holds A00002L8"
  expect_eq "Full (Storage Element 3 Loaded):VolumeTag = A00003L8" "$(lr_drive_line "$changer" 1)" \
    "reboot library: drive 1 still holds A00003L8"
  expect_eq "Empty" "$(lr_slot_line "$changer" 2)" "reboot library: slot 2 is empty"
  expect_eq "Full :VolumeTag=A00004L8" "$(lr_slot_line "$changer" 4)" \
    "reboot library: slot 4 still holds A00004L8"
  n=$(vt_nst_of_loop "$lr_naa" 1) || { expect_eq 0 1 "reboot library: drive 0's st node"; return; }
  for _ in 1 2 3; do mt -f "/dev/nst$n" status >/dev/null 2>&1 && break; done
  expect_ok "reboot library: rewind drive 0" -- mt -f "/dev/nst$n" rewind
  expect_ok "reboot library: the tar archive on A00002L8 equals the tree" -- \
    tar -d -f "/dev/nst$n" -b 64 -C /usr/share/doc
  expect_ok "reboot library: mtx unload 2 0" -- mtx -f "$changer" unload 2 0
  expect_ok "reboot library: mtx unload 3 1" -- mtx -f "$changer" unload 3 1
  expect_eq "A00002L8 A00003L8" \
    "$("$VTAPE_BUILD/tools/vtape" library ls "$lr_dir" --json |
      jq -r '[.elements[] | select(.name == "slot:2" or .name == "slot:3") | .barcode] | join(" ")')" \
    "reboot library: vtape library ls has both back in slots 2 and 3"
}
