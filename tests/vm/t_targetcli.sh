# targetcli end to end (guest side), using the ready-made files in configs/:
#  - configs/tcm-loop-one-drive.sh creates a drive; data goes through /dev/nst;
#  - bad config strings are refused with the handler's reason in targetcli's output;
#  - a media change through targetcli (attribute dev_config): the initiator gets
#    UNIT ATTENTION 28h, sees the other tape's contents, and the first tape's data
#    is back when it is loaded again; a medium that does not exist is refused;
#  - configs/four-drives.saveconfig.json: four drives in one tcmu-runner, written
#    and read back by parallel dd, each with its own medium and serial.
# Images live in /var/lib/vtape as configs/ expects. With VTAPE_PERSIST_DIR set
# (tests/vm/iscsi-host.sh's first boot) that directory is the shared one, the
# drives keep their data and the configuration is saved there for a second boot
# (tests/vm/iscsi-restore.sh), which restores and checks everything; a library
# with two loaded cartridges joins them (tests/vm/library-reboot.sh).
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/iscsi-lib.sh"
source "$VTAPE_SRC/tests/vm/library-reboot.sh"

configs=$VTAPE_SRC/configs
persist=${VTAPE_PERSIST_DIR:-}
tmp=$(mktemp -d /run/t_targetcli.XXXXXX)
mkdir -p /var/lib/vtape
if [[ -n $persist ]] && ! mountpoint -q /var/lib/vtape; then
  mount --bind "$persist" /var/lib/vtape
fi
loop_naa=naa.5001405000000011
four_naa=naa.5001405000000004  # as in configs/four-drives.saveconfig.json

# --- one drive from configs/tcm-loop-one-drive.sh --------------------------------------
expect_ok "configs/tcm-loop-one-drive.sh creates drive tl0 on tcm_loop" -- \
  env VTAPE_CAPACITY=256M VTAPE_NAA=$loop_naa sh "$configs/tcm-loop-one-drive.sh" /var/lib/vtape/tl0.img tl0
n=$(vt_nst_of_loop $loop_naa 0)
expect_eq 0 $? "st attached to tl0"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
sg=$(vt_sg_of_loop $loop_naa 0)

head -c $((3 * 65536)) /dev/urandom >"$tmp/a"
expect_ok "write tape A through /dev/nst$n" -- dd if="$tmp/a" of="$tape" bs=64k
expect_ok "rewind" -- mt -f "$tape" rewind
expect_ok "tape A reads back byte for byte" -- \
  bash -c "dd if=$tape bs=64k 2>/dev/null | cmp - $tmp/a"

# --- bad config strings: refused, with the handler's reason ------------------------------
out=$(targetcli /backstores/user:vtape create name=bad size=1G \
  'cfgstring=/var/lib/vtape/tl0.img;model=nosuch' 2>&1)
expect_eq 1 "$?" "unknown model: targetcli fails"
expect_ok "...and says why: $out" -- grep -q "unknown model 'nosuch' (known: generic, ibm-lto5" <<<"$out"
out=$(targetcli /backstores/user:vtape create name=bad size=1G \
  'cfgstring=/var/lib/vtape/none.img' 2>&1)
expect_eq 1 "$?" "missing medium: targetcli fails"
expect_ok "...and says what to do: $out" -- \
  grep -q "medium 'file:/var/lib/vtape/none.img' does not exist.*missing=create" <<<"$out"
expect_fail "no backstore 'bad' was left behind" -- ls -d "$VT_CFS"/core/user_*/bad

# --- media change through targetcli ----------------------------------------------------------
# saveconfig stores the latest config string, so it repeats the model: without it
# the drive would come back as model "generic" after a restore.
change_medium() {  # MEDIUM[;KEY=VALUE...]: loads another tape into tl0 (tcmu reconfig)
  targetcli /backstores/user:vtape/tl0 set attribute "dev_config=vtape/$1;model=ibm-lto8"
}
# The initiator's next command sees UNIT ATTENTION 28h/00h (after the power-on one
# that a new nexus may still have pending).
unit_attention_seen() {
  local i out
  for i in 1 2 3; do
    out=$(sg_turs "$sg" 2>&1)
    grep -q "medium may have changed" <<<"$out" && return 0
  done
  echo "$out"
  return 1
}
expect_ok "targetcli loads tape B (dev_config attribute)" -- \
  change_medium "/var/lib/vtape/tl0b.img;missing=create;capacity=256M"
expect_ok "initiator gets UNIT ATTENTION: medium may have changed" -- unit_attention_seen
dd if="$tape" of="$tmp/blank" bs=64k count=1 2>/dev/null
expect_eq 0 "$(stat -c %s "$tmp/blank")" "tape B is blank: nothing to read"
head -c 65536 /dev/urandom >"$tmp/b"
expect_ok "write tape B" -- dd if="$tmp/b" of="$tape" bs=64k
expect_ok "targetcli loads tape A again" -- change_medium "/var/lib/vtape/tl0.img"
expect_ok "UNIT ATTENTION again" -- unit_attention_seen
expect_ok "tape A's data is intact" -- bash -c "dd if=$tape bs=64k 2>/dev/null | cmp - $tmp/a"
expect_fail "a medium that does not exist is refused" -- change_medium "/var/lib/vtape/none.img"
expect_ok "...and tape A stays loaded" -- \
  bash -c "mt -f $tape rewind && dd if=$tape bs=64k 2>/dev/null | cmp - $tmp/a"

# restoreconfig re-applies dev_config and emulate_write_cache to a running drive:
# the same config string again must change nothing (no reload, no UNIT ATTENTION),
# and a write-cache setting must be accepted (the kernel keeps the old value when
# the handler refuses it).
expect_ok "the same dev_config again is accepted" -- change_medium "/var/lib/vtape/tl0.img"
no_unit_attention() {
  local out
  out=$(sg_turs "$sg" 2>&1) || { echo "$out"; return 1; }
}
expect_ok "...without UNIT ATTENTION" -- no_unit_attention
wc_attr=$(ls -d "$VT_CFS"/core/user_*/tl0/attrib/emulate_write_cache)
expect_ok "emulate_write_cache=1 is accepted" -- \
  targetcli /backstores/user:vtape/tl0 set attribute emulate_write_cache=1
expect_eq 1 "$(cat "$wc_attr")" "...and LIO took it"
expect_ok "emulate_write_cache=0 is accepted" -- \
  targetcli /backstores/user:vtape/tl0 set attribute emulate_write_cache=0
expect_eq 0 "$(cat "$wc_attr")" "...and LIO took it"
expect_ok "...no UNIT ATTENTION from it either" -- no_unit_attention
expect_ok "tape A still reads back" -- \
  bash -c "mt -f $tape rewind && dd if=$tape bs=64k 2>/dev/null | cmp - $tmp/a"

# --- four drives from configs/four-drives.saveconfig.json -------------------------------------
out=$(targetcli restoreconfig "$configs/four-drives.saveconfig.json" 2>&1)
expect_eq 0 "$?" "targetcli restoreconfig configs/four-drives.saveconfig.json"
expect_fail "...without skipped objects: $out" -- grep -q skipped <<<"$out"
drives=()
for lun in 0 1 2 3; do
  drives+=("$(vt_nst_of_loop $four_naa $lun)")
done
expect_eq 4 "$(printf '%s\n' "${drives[@]}" | grep -c '^[0-9]')" "st attached to all four drives"
for lun in 0 1 2 3; do
  serial=$(sg_inq -p 0x80 "$(vt_sg_of_loop $four_naa $lun)" 2>&1 | sed -n 's/.*Unit serial number: *//p')
  expect_eq "VTD000$lun" "$serial" "drive $lun reports its own serial"
done

pids=()
for lun in 0 1 2 3; do
  head -c $((4 << 20)) /dev/urandom >"$tmp/d$lun"
  dd if="$tmp/d$lun" of="/dev/nst${drives[$lun]}" bs=256k 2>"$tmp/w$lun.err" &
  pids+=($!)
done
for lun in 0 1 2 3; do
  wait "${pids[$lun]}"
  expect_eq 0 $? "parallel writer to drive $lun"
done
pids=()
for lun in 0 1 2 3; do
  (mt -f "/dev/nst${drives[$lun]}" rewind && dd if="/dev/nst${drives[$lun]}" of="$tmp/r$lun" bs=256k) \
    2>"$tmp/r$lun.err" &
  pids+=($!)
done
for lun in 0 1 2 3; do
  wait "${pids[$lun]}"
  expect_eq 0 $? "parallel reader of drive $lun"
  expect_ok "drive $lun holds exactly its own data" -- cmp "$tmp/d$lun" "$tmp/r$lun"
done

# --- leave it for the second boot, or clean up -------------------------------------------------
if [[ -n $persist ]]; then
  mkdir -p "$persist/expect"
  cp "$tmp/a" "$persist/expect/tl0"
  for lun in 0 1 2 3; do cp "$tmp/d$lun" "$persist/expect/drive$lun"; done
  library_reboot_prepare
  expect_ok "targetcli saveconfig to the persistent directory" -- \
    targetcli saveconfig "savefile=$persist/saveconfig.json"
else
  expect_ok "targetcli clearconfig" -- targetcli clearconfig confirm=True
fi
rm -rf "$tmp"
assert_done
