# A library through tcmu-runner (guest side): changer on LUN 0, two drives on
# LUNs 1-2 of one tcm_loop target, ten cartridges; mtx status/load/unload/
# transfer/first/next/inventory/eepos, mt status at BOT after a load, a tar round
# trip on the loaded drive, tapeinfo and loaderinfo, and tcmu-runner SIGKILLed
# between moves and during a run of moves: after the restart `mtx status` and
# `vtape library ls` agree and the data on the cartridge is intact.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

vtape=$VTAPE_BUILD/tools/vtape
tmp=$(mktemp -d /run/t_library.XXXXXX)
lib=$tmp/lib1
expect_ok "vtape library create: 2 drives, 10 slots, 1 mail slot, 10 cartridges" -- \
  "$vtape" library create "$lib" --drives 2 --slots 10 --ie 1 --barcodes A00001L8:10 \
  --capacity 256M --serial VLTEST0001
expect_ok "library devices created (changer LUN 0, drives LUN 1-2)" -- \
  vt_library_create t_lib "$lib" 2 ibm-ts3100 ibm-lto8
changer=$(vt_library_changer_sg t_lib)
tape0=$(vt_library_tape t_lib 0)
tape1=$(vt_library_tape t_lib 1)
sg0=$(vt_library_drive_sg t_lib 0)
expect_ok "changer sg ($changer), drive 0 ($tape0, $sg0), drive 1 ($tape1)" -- \
  test -n "$changer" -a -n "$tape0" -a -n "$tape1" -a -n "$sg0"
[[ -n $changer && -n $tape0 ]] || assert_done

# Clears pending unit attentions (power on) on an sg node.
clear_ua() { local i; for i in 1 2 3; do sg_turs "$1" >/dev/null 2>&1 && return 0; done; return 0; }
clear_ua "$changer"

# mtx status as "ELEMENT CONTENT" lines: "drive0 Empty", "drive0 A00003L8 from 3",
# "slot1 A00001L8", "slot11 Empty" (slot 11 = the mail slot).
mtx_lines() {
  mtx -f "$changer" status | sed -n \
    -e 's/^Data Transfer Element \([0-9]*\):Empty.*/drive\1 Empty/p' \
    -e 's/^Data Transfer Element \([0-9]*\):Full (Storage Element \([0-9]*\) Loaded):VolumeTag = \([^ ]*\).*/drive\1 \3 from \2/p' \
    -e 's/^ *Storage Element \([0-9]*\)\( IMPORT\/EXPORT\)\{0,1\}:Empty.*/slot\1 Empty/p' \
    -e 's/^ *Storage Element \([0-9]*\)\( IMPORT\/EXPORT\)\{0,1\}:Full :VolumeTag=\([^ ]*\).*/slot\1 \3/p'
}
# The same from `vtape library ls --json` (mtx numbers slots from 1, the mail
# slot after them; a drive's "from" is its source slot).
ls_lines() {
  "$vtape" library ls "$lib" --json | jq -r '
    (.elements | map(select(.type == "storage")) | length) as $slots |
    (.elements | map(select(.type == "drive")) + map(select(.type == "storage")) +
                 map(select(.type == "import-export")))[] |
    if .type == "drive" then
      "drive\(.address - 256) " + (if .full then "\(.barcode) from \(.source.address - 4096 + 1)" else "Empty" end)
    elif .type == "storage" then "slot\(.address - 4096 + 1) " + (if .full then .barcode else "Empty" end)
    elif .type == "import-export" then "slot\(.address - 768 + 1 + $slots) " + (if .full then .barcode else "Empty" end)
    else empty end'
}
expected_initial=$(printf 'drive0 Empty\ndrive1 Empty\n'; for i in $(seq 1 10); do printf 'slot%d A%05dL8\n' "$i" "$i"; done; echo "slot11 Empty")

out=$(mtx -f "$changer" status)
expect_eq "  Storage Changer $changer:2 Drives, 11 Slots ( 1 Import/Export )" \
  "$(head -n1 <<<"$out")" "mtx status header: 2 drives, 10 slots + 1 mail slot"
expect_eq "$expected_initial" "$(mtx_lines)" "mtx status: drives empty, barcodes A00001L8..A00010L8 in slots 1-10"
expect_eq "$(mtx_lines)" "$(ls_lines)" "mtx status and vtape library ls agree"

# restoreconfig writes each device's config string again: a no-op; another string is refused.
cfgfile=$(vt_hba_dir)/t_lib_changer/attrib/dev_config
expect_ok "the changer's config string written again is accepted" -- \
  sh -c "printf 'vtape/library=$lib;role=changer;model=ibm-ts3100' >$cfgfile"
expect_ok "...without a unit attention" -- sg_turs "$changer"
expect_fail "another config string for the changer is refused" -- \
  sh -c "printf 'vtape/library=$lib;drive=1' >$cfgfile"
expect_eq "$expected_initial" "$(mtx_lines)" "...and the changer is still the changer"

# --- load, mt status at BOT, tar, unload ------------------------------------------------------
expect_ok "mtx load 3 0" -- mtx -f "$changer" load 3 0
expect_eq "drive0 A00003L8 from 3" "$(mtx_lines | grep '^drive0')" "drive 0 holds A00003L8 from slot 3"
expect_eq "slot3 Empty" "$(mtx_lines | grep '^slot3 ')" "slot 3 is empty"
# st sees the drive's UNIT ATTENTION 28h itself (not consumed through sg): a new tape at BOT.
expect_pos 0 0 "$tape0" "after the load"
expect_ok "mt status says ONLINE at BOT" -- sh -c "mt -f $tape0 status | grep -q 'BOT ONLINE'"
expect_ok "tar -cf on the loaded drive" -- tar -cf "$tape0" -b 64 -C /usr/share/doc bash coreutils
expect_ok "rewind" -- mt -f "$tape0" rewind
expect_ok "tar -d: the tape equals the tree" -- tar -d -f "$tape0" -b 64 -C /usr/share/doc
expect_ok "mtx unload 3 0" -- mtx -f "$changer" unload 3 0
expect_eq "$expected_initial" "$(mtx_lines)" "back in slot 3, drive 0 empty"
expect_eq "DR_OPEN IM_REP_EN" "$(tape_flags "$tape0")" "mt status: no tape in drive 0 after the unload (DR_OPEN)"
out=$(sg_turs -v "$sg0" 2>&1)
expect_ok "sg_turs on drive 0: medium not present ($out)" -- grep -qi "medium not present" <<<"$out"

# --- transfer, first, next, inventory, eepos -------------------------------------------------
expect_ok "mtx transfer 3 11 (slot to mail slot)" -- mtx -f "$changer" transfer 3 11
expect_eq "slot11 A00003L8" "$(mtx_lines | grep '^slot11 ')" "A00003L8 in the mail slot"
expect_ok "mtx transfer 11 3" -- mtx -f "$changer" transfer 11 3
expect_ok "mtx first 0" -- mtx -f "$changer" first 0
expect_eq "drive0 A00001L8 from 1" "$(mtx_lines | grep '^drive0')" "first: slot 1's cartridge in drive 0"
expect_ok "mtx next 0" -- mtx -f "$changer" next 0
expect_eq "drive0 A00002L8 from 2" "$(mtx_lines | grep '^drive0')" "next: slot 2's cartridge in drive 0"
expect_eq "slot1 A00001L8" "$(mtx_lines | grep '^slot1 ')" "next: A00001L8 back in slot 1"
expect_ok "mtx unload (to its source)" -- mtx -f "$changer" unload
expect_eq "$expected_initial" "$(mtx_lines)" "all home again"
expect_ok "mtx inventory" -- mtx -f "$changer" inventory
expect_ok "mtx eepos 0 transfer 4 11" -- mtx -f "$changer" eepos 0 transfer 4 11
expect_ok "mtx eepos 0 transfer 11 4" -- mtx -f "$changer" eepos 0 transfer 11 4
expect_eq "$expected_initial" "$(mtx_lines)" "after inventory and eepos moves"
expect_fail "mtx load from an empty element fails" -- mtx -f "$changer" load 11 0
expect_fail "mtx load into a full drive fails" -- \
  sh -c "mtx -f $changer load 5 1 && mtx -f $changer load 6 1"
expect_ok "mtx unload 5 1" -- mtx -f "$changer" unload 5 1

# --- tapeinfo, loaderinfo -----------------------------------------------------------------------
out=$(tapeinfo -f "$sg0" 2>&1)
expect_ok "tapeinfo: a tape drive" -- grep -q "^Product Type: Tape Drive" <<<"$out"
expect_eq "SerialNumber: 'VLTEST0001D000'" "$(grep '^SerialNumber' <<<"$out")" \
  "tapeinfo: drive 0's serial is the library's drive serial"
out=$(loaderinfo -f "$changer" 2>&1)
expect_ok "loaderinfo: a medium changer" -- grep -q "^Product Type: Medium Changer" <<<"$out"
expect_eq "Vendor ID: 'IBM     '" "$(grep '^Vendor ID' <<<"$out")" "loaderinfo: vendor IBM"
expect_eq "Product ID: '3573-TL         '" "$(grep '^Product ID' <<<"$out")" "loaderinfo: product 3573-TL"
expect_eq "Number of Medium Transport Elements: 1" \
  "$(grep '^Number of Medium Transport' <<<"$out")" "loaderinfo: one transport"
expect_eq "Number of Storage Elements: 10" "$(grep '^Number of Storage' <<<"$out")" \
  "loaderinfo: ten slots"
expect_eq "Number of Import/Export Elements: 1" \
  "$(grep '^Number of Import' <<<"$out")" "loaderinfo: one mail slot"
expect_eq "Number of Data Transfer Elements: 2" "$(grep '^Number of Data Transfer' <<<"$out")" \
  "loaderinfo: two drives"

# --- tcmu-runner SIGKILL between moves -----------------------------------------------------------
restart_runner() {
  local runner i
  runner=$(pidof tcmu-runner)
  kill -KILL "$runner"
  for i in $(seq 50); do kill -0 "$runner" 2>/dev/null || break; sleep 0.1; done
  vt_runner_start || return 1
  # the devices are re-opened by the runner itself; wait until the changer answers
  for i in $(seq 100); do sg_turs "$changer" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

expect_ok "mtx load 4 1" -- mtx -f "$changer" load 4 1
rand_file "$tmp/r1" 70000
rand_file "$tmp/r2" 5000
expect_ok "two records written to A00004L8 in drive 1" -- write_records "$tape1" "$tmp/r1" "$tmp/r2"
expect_ok "mtx load 7 0" -- mtx -f "$changer" load 7 0
before=$(mtx_lines)
expect_ok "tcmu-runner SIGKILLed and restarted; the changer answers" -- restart_runner
clear_ua "$changer"
expect_eq "$before" "$(mtx_lines)" "after the restart mtx status shows every cartridge where it was"
expect_eq "$(mtx_lines)" "$(ls_lines)" "...and agrees with vtape library ls"
clear_ua "$(vt_library_drive_sg t_lib 1)"
expect_ok "rewind drive 1" -- mt -f "$tape1" rewind
read_record "$tape1" "$tmp/g1"
read_record "$tape1" "$tmp/g2"
expect_ok "drive 1 still holds A00004L8 with both records intact" -- \
  sh -c "cmp $tmp/r1 $tmp/g1 && cmp $tmp/r2 $tmp/g2"
expect_ok "mtx unload 4 1 after the restart" -- mtx -f "$changer" unload 4 1
expect_ok "mtx unload 7 0 after the restart" -- mtx -f "$changer" unload 7 0
expect_eq "$expected_initial" "$(mtx_lines)" "all home after the restart"

# --- SIGKILL during a run of moves ---------------------------------------------------------------
(
  for i in $(seq 1 40); do
    mtx -f "$changer" load $((i % 10 + 1)) 0 >/dev/null 2>&1
    mtx -f "$changer" unload $((i % 10 + 1)) 0 >/dev/null 2>&1
  done
) &
mover=$!
sleep 3
expect_ok "tcmu-runner SIGKILLed while mtx moves, restarted" -- restart_runner
kill "$mover" 2>/dev/null
wait "$mover" 2>/dev/null
clear_ua "$changer"
lines=$(mtx_lines)
expect_eq "$lines" "$(ls_lines)" "after the kill mtx status and vtape library ls agree"
expect_eq "$(seq -f 'A%05gL8' 1 10)" "$(grep -o 'A[0-9]*L8' <<<"$lines" | sort)" \
  "every cartridge is in exactly one place"
# Put a cartridge left in drive 0 back, then read A00004L8's records once more.
if grep -q '^drive0 A' <<<"$lines"; then
  expect_ok "mtx unload (drive 0) after the kill" -- mtx -f "$changer" unload
fi
expect_ok "mtx load 4 0 after the kill" -- mtx -f "$changer" load 4 0
clear_ua "$sg0"
mt -f "$tape0" rewind
read_record "$tape0" "$tmp/g1"
expect_ok "A00004L8's first record is intact" -- cmp "$tmp/r1" "$tmp/g1"
expect_ok "mtx unload 4 0" -- mtx -f "$changer" unload 4 0

vt_library_remove t_lib 2
rm -rf "$tmp"
assert_done
