# A vtape library over iSCSI with CHAP (configs/iscsi-chap-library.sh) seen by
# the kernel's own initiator (open-iscsi), all inside the guest over 127.0.0.1:
# one session gives a medium changer (type 8, an sg node) and four tapes (nst
# nodes), by lsscsi and by /sys; then mtx loads a cartridge into drive 0, tar
# writes and reads it back byte for byte on that drive's nst, and mtx unloads it.
# Uses the target if it already exists (tests/vm/iscsi-guest.sh sets it up for
# the host-side suite first); otherwise creates it. Removes it at the end, so the
# configuration t_targetcli.sh saves holds no library.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/iscsi-lib.sh"

iqn=iqn.2026-11.org.vtape:library0
name=iscsilib0
dir=${VT_ISCSI_LIBRARY_DIR:-/run/vtape-iscsilib0}
initiator=iqn.2026-11.org.vtape:host2  # in the ACLs of configs/iscsi-chap-library.sh
secret=vtape-secret-12
portal=127.0.0.1
drives=4
tmp=$(mktemp -d /run/t_iscsi_library.XXXXXX)

if [[ ! -d $VT_CFS/iscsi/$iqn ]]; then
  expect_ok "configs/iscsi-chap-library.sh exports a library" -- \
    env VTAPE="$VTAPE_BUILD/tools/vtape" VTAPE_CAPACITY=256M \
    sh "$VTAPE_SRC/configs/iscsi-chap-library.sh" "$dir" "$name"
fi

modprobe iscsi_tcp || vt_fail "modprobe iscsi_tcp"
echo "InitiatorName=$initiator" >/etc/iscsi/initiatorname.iscsi
iscsid || vt_fail "iscsid did not start"
for ((i = 0; i < 50; i++)); do [[ -s /run/iscsid.pid ]] && break; sleep 0.1; done

node() { iscsiadm -m node -T "$iqn" -p "$portal" "$@"; }
expect_ok "sendtargets discovery finds $iqn" -- \
  bash -c "iscsiadm -m discovery -t sendtargets -p $portal | grep -q ' $iqn\$'"
expect_ok "CHAP configured" -- bash -c "
  iscsiadm -m node -T $iqn -p $portal -o update -n node.session.auth.authmethod -v CHAP &&
  iscsiadm -m node -T $iqn -p $portal -o update -n node.session.auth.username -v vtape &&
  iscsiadm -m node -T $iqn -p $portal -o update -n node.session.auth.password -v $secret"
expect_ok "login with CHAP" -- node --login

# The SCSI host of the session: /sys/class/iscsi_session/sessionN/device is .../hostH/sessionN.
host=
for s in /sys/class/iscsi_session/session*; do
  [[ $(cat "$s/targetname" 2>/dev/null) == "$iqn" ]] || continue
  h=$(readlink -f "$s/device")
  h=${h%/session*}
  host=${h##*/host}
done
expect_ok "an iSCSI session to $iqn (SCSI host '$host')" -- test -n "$host"
[[ -n $host ]] || { node --logout; assert_done; }

# The kernel scans the LUNs and attaches st and sg asynchronously.
for ((i = 0; i < 200; i++)); do
  n=$(ls -d /sys/class/scsi_device/"$host":0:0:* 2>/dev/null | wc -l)
  ((n >= drives + 1)) && vt_find_class_node scsi_tape nst "$host" "$drives" >/dev/null &&
    vt_find_class_node scsi_generic sg "$host" 0 >/dev/null && break
  sleep 0.1
done
types=
for ((lun = 0; lun <= drives; lun++)); do
  types="$types $(cat /sys/class/scsi_device/"$host":0:0:$lun/device/type 2>/dev/null)"
done
expect_eq " 8 1 1 1 1" "$types" "/sys: LUN 0 is a medium changer (8), LUNs 1-4 tapes (1)"
listing=$(lsscsi -g | grep "^\[$host:")
echo "$listing"
expect_eq 1 "$(grep -c ' mediumx ' <<<"$listing")" "lsscsi: one medium changer behind the session"
expect_eq 4 "$(grep -c ' tape ' <<<"$listing")" "lsscsi: four tapes behind the session"
changer=/dev/$(vt_find_class_node scsi_generic sg "$host" 0)
expect_eq "$changer" "$(awk '/ mediumx /{print $NF}' <<<"$listing")" "the changer's sg node"
tapes=
for ((lun = 1; lun <= drives; lun++)); do
  node_name=$(vt_find_class_node scsi_tape nst "$host" "$lun") && tapes="$tapes $node_name"
done
expect_eq 4 "$(wc -w <<<"$tapes")" "an nst node for each drive LUN:$tapes"

for i in 1 2 3; do sg_turs "$changer" >/dev/null 2>&1 && break; done  # power-on attention
status=$(mtx -f "$changer" status)
echo "$status"
expect_eq "  Storage Changer $changer:4 Drives, 9 Slots ( 1 Import/Export )" \
  "$(head -n1 <<<"$status")" "mtx status: 4 drives, 8 slots + 1 mail slot"
expect_eq 6 "$(grep -c 'VolumeTag *= *A0000[1-6]L8' <<<"$status")" \
  "mtx status: the six barcodes A00001L8..A00006L8"
expect_eq 4 "$(grep -c '^Data Transfer Element [0-3]:Empty' <<<"$status")" "mtx status: drives empty"

# The host suite leaves every cartridge in a slot, not necessarily its first one.
slot=$(sed -n 's/^ *Storage Element \([0-9]*\):Full :VolumeTag=\([^ ]*\).*/\1 \2/p' <<<"$status" |
  head -n1)
barcode=${slot#* }
slot=${slot%% *}
expect_ok "a full storage slot ($slot: $barcode)" -- test -n "$slot" -a -n "$barcode"
tape=/dev/$(vt_find_class_node scsi_tape nst "$host" 1)
expect_ok "mtx load $slot 0" -- mtx -f "$changer" load "$slot" 0
expect_ok "mtx status: drive 0 holds $barcode from slot $slot" -- bash -c \
  "mtx -f $changer status | grep -q '^Data Transfer Element 0:Full (Storage Element $slot Loaded):VolumeTag = $barcode'"
mt -f "$tape" status >/dev/null 2>&1  # st reports the media change once
expect_ok "mt status on $tape: at BOT" -- bash -c "mt -f $tape status | grep -qw BOT"
vt_tar_round_trip "$tape" "$tmp"
expect_ok "mtx unload $slot 0" -- mtx -f "$changer" unload "$slot" 0
expect_ok "mtx status: drive 0 empty, $barcode back in slot $slot" -- bash -c "
  s=\$(mtx -f $changer status) &&
  grep -q '^Data Transfer Element 0:Empty' <<<\"\$s\" &&
  grep -q '^ *Storage Element $slot:Full :VolumeTag=$barcode' <<<\"\$s\""
drive_sg=/dev/$(vt_find_class_node scsi_generic sg "$host" 1)
sg_turs "$drive_sg" >/dev/null 2>&1
expect_eq 2 "$(sg_turs "$drive_sg" >/dev/null 2>&1; echo $?)" "drive 0 ($drive_sg) NOT READY after the unload"

expect_ok "logout" -- node --logout
kill "$(cat /run/iscsid.pid)" 2>/dev/null

remove_target() {
  local i commands="/iscsi delete $iqn
/backstores/user:vtape delete ${name}_changer"
  for ((i = 0; i < drives; i++)); do
    commands="$commands
/backstores/user:vtape delete ${name}_drive$i"
  done
  printf '%s\n' "$commands" | vt_targetcli_batch >/dev/null
  [[ ! -d $VT_CFS/iscsi/$iqn ]] && ! ls -d "$VT_CFS"/core/user_*/"${name}"_* >/dev/null 2>&1
}
expect_ok "library target and backstores removed" -- remove_target
rm -rf "$tmp"
assert_done
