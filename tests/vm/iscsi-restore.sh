# Second boot of tests/vm/iscsi-host.sh (guest side): a fresh kernel, LIO and
# tcmu-runner; `targetcli restoreconfig` of the saveconfig.json the first boot
# left in WORK/persist must bring back every drive with its medium and data,
# and the iSCSI target with its CHAP settings, and a library with every cartridge
# where the library state says (tests/vm/library-reboot.sh).
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/iscsi-lib.sh"
source "$VTAPE_SRC/tests/vm/library-reboot.sh"

persist=$VTAPE_WORK/persist
if ! vt_boot_setup; then
  vt_failed "guest setup"
  assert_done
fi
mkdir -p /var/lib/vtape
mount --bind "$persist" /var/lib/vtape
tmp=$(mktemp -d /run/iscsi-restore.XXXXXX)

expect_ok "the first boot left a saveconfig.json" -- test -s "$persist/saveconfig.json"
# rtslib re-applies every saved attribute, dev_config and emulate_write_cache
# included; the handler takes both (tcmu_glue.cc Reconfig), so nothing may be skipped.
restore() {
  local out rc
  out=$(targetcli restoreconfig "savefile=$persist/saveconfig.json" 2>&1)
  rc=$?
  echo "$out"
  ((rc == 0)) && ! grep -q skipped <<<"$out"
}
expect_ok "targetcli restoreconfig after a reboot, no object skipped" -- restore

scsi_devices() {  # what the guest's SCSI layer sees, for failure messages
  local d
  for d in /sys/bus/scsi/devices/*:*:*:*; do
    echo "${d##*/} type=$(cat "$d/type" 2>/dev/null) $(ls "$d/scsi_tape" 2>/dev/null | tr '\n' ' ')"
  done
}
# Each drive is read in the background with its own deadline, so one drive that
# stops answering fails its own check instead of hanging the boot (a process
# blocked in the st driver cannot be killed).
read_drive() {  # NAME NAA LUN: starts reading the drive into $tmp/NAME
  local n
  n=$(vt_nst_of_loop "$2" "$3") || { echo "no st device" >"$tmp/$1.err"; return; }
  dd if="/dev/nst$n" of="$tmp/$1" bs=256k 2>"$tmp/$1.err" &
  echo $! >"$tmp/$1.pid"
}
check_read() {  # NAME EXPECTED: waits up to 120 s for read_drive NAME, compares
  local pid i
  pid=$(cat "$tmp/$1.pid" 2>/dev/null) || { cat "$tmp/$1.err"; scsi_devices; return 1; }
  for ((i = 0; i < 1200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "reading $1 did not finish in 120 s"
    scsi_devices
    return 1
  fi
  cmp "$2" "$tmp/$1"
}
echo "SCSI devices after restoreconfig:"
scsi_devices
read_drive tl0 naa.5001405000000011 0
for lun in 0 1 2 3; do read_drive "drive$lun" naa.5001405000000004 "$lun"; done
expect_ok "drive tl0 came back with tape A and its data" -- check_read tl0 "$persist/expect/tl0"
tl0_model() { sg_inq "$(vt_sg_of_loop naa.5001405000000011 0)" | grep -q 'ULT3580-TD8'; }
expect_ok "...still as model ibm-lto8 (IBM ULT3580-TD8)" -- tl0_model
for lun in 0 1 2 3; do
  expect_ok "drive$lun came back with its data" -- check_read "drive$lun" "$persist/expect/drive$lun"
done
library_reboot_check

url=iscsi://vtape%vtape-secret-12@127.0.0.1/iqn.2026-11.org.vtape:drive0/0
expect_ok "the iSCSI drive answers after the reboot (CHAP, libiscsi's iscsi-inq)" -- \
  bash -c "timeout 60 iscsi-inq -i iqn.2026-11.org.vtape:host1 '$url' | grep -q 'Product:ULT3580-TD8'"
expect_fail "...and still refuses a wrong CHAP secret" -- \
  timeout 60 iscsi-inq -i iqn.2026-11.org.vtape:host1 "${url/vtape-secret-12/wrong-secret}"
rm -rf "$tmp"
assert_done
