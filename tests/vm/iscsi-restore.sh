# Second boot of tests/vm/iscsi-host.sh (guest side): a fresh kernel, LIO and
# tcmu-runner; `targetcli restoreconfig` of the saveconfig.json the first boot
# left in WORK/persist must bring back every drive with its medium and data,
# and the iSCSI target with its CHAP settings.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/iscsi-lib.sh"

persist=$VTAPE_WORK/persist
if ! vt_boot_setup; then
  vt_failed "guest setup"
  assert_done
fi
mkdir -p /var/lib/vtape
mount --bind "$persist" /var/lib/vtape
tmp=$(mktemp -d /run/iscsi-restore.XXXXXX)

expect_ok "the first boot left a saveconfig.json" -- test -s "$persist/saveconfig.json"
out=$(targetcli restoreconfig "savefile=$persist/saveconfig.json" 2>&1)
expect_eq 0 "$?" "targetcli restoreconfig after a reboot"
expect_fail "...without skipped objects: $out" -- grep -q skipped <<<"$out"

check_drive() {  # NAA LUN EXPECTED_FILE
  local n
  n=$(vt_nst_of_loop "$1" "$2") || return 1
  dd if="/dev/nst$n" of="$tmp/read" bs=256k 2>/dev/null
  cmp "$3" "$tmp/read"
}
expect_ok "drive tl0 came back with tape A and its data" -- \
  check_drive naa.5001405000000011 0 "$persist/expect/tl0"
for lun in 0 1 2 3; do
  expect_ok "drive$lun came back with its data" -- \
    check_drive naa.5001405000000004 "$lun" "$persist/expect/drive$lun"
done

url=iscsi://vtape%vtape-secret-12@127.0.0.1/iqn.2026-11.org.vtape:drive0/0
expect_ok "the iSCSI drive answers after the reboot (CHAP, libiscsi's iscsi-inq)" -- \
  bash -c "iscsi-inq -i iqn.2026-11.org.vtape:host1 '$url' | grep -q 'Product:ULT3580-TD8'"
expect_fail "...and still refuses a wrong CHAP secret" -- \
  iscsi-inq -i iqn.2026-11.org.vtape:host1 "${url/vtape-secret-12/wrong-secret}"
rm -rf "$tmp"
assert_done
