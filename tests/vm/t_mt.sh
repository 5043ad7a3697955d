# mt through /dev/nst (guest side): every positioning and status operation st
# offers, checked by where st says it is (mt status) and by which record a read
# then returns. One mem: tape holding three files:
#   file 0: records a0 a1 a2 (1000, 2000, 3000 bytes)
#   file 1: records b0 b1    (4000, 5000)
#   file 2: records c0..c3   (100, 200, 300, 400)
# Logical objects (mt tell/seek count records and filemarks alike):
#   a0=0 a1=1 a2=2 FM=3 b0=4 b1=5 FM=6 c0=7 c1=8 c2=9 c3=10 FM=11, EOD=12.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

tmp=$(mktemp -d /run/t_mt.XXXXXX)
n=$(vt_device_create t_mt "mem:;model=ibm-lto8;serial=TMT01")
expect_eq 0 $? "st attaches to a mem: tape"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
expect_ok "/dev/nst$n is a character device" -- test -c "$tape"

# --- status at load ------------------------------------------------------------------
expect_pos 0 0 "$tape" "fresh tape"
expect_eq 0 "$(tape_blksize "$tape")" "variable block mode (block size 0) by default"
expect_ok "status bits say BOT and ONLINE" -- bash -c "[[ '$(tape_flags "$tape")' == *BOT*ONLINE* ]]"
expect_ok "rewind" -- mt -f "$tape" rewind
expect_pos 0 0 "$tape" "rewind"

# --- three files -------------------------------------------------------------------------
for r in a0:1000 a1:2000 a2:3000 b0:4000 b1:5000 c0:100 c1:200 c2:300 c3:400; do
  rand_file "$tmp/${r%%:*}" "${r#*:}"
done
expect_ok "write file 0 (3 records)" -- write_records "$tape" "$tmp/a0" "$tmp/a1" "$tmp/a2"
expect_pos 1 0 "$tape" "after file 0 and the filemark st writes at close"
expect_ok "write file 1 (2 records)" -- write_records "$tape" "$tmp/b0" "$tmp/b1"
expect_pos 2 0 "$tape" "after file 1"
expect_ok "write file 2 (4 records)" -- write_records "$tape" "$tmp/c0" "$tmp/c1" "$tmp/c2" "$tmp/c3"
expect_pos 3 0 "$tape" "after file 2"
expect_eq 12 "$(tape_tell "$tape")" "mt tell after three files: block 12 (9 records + 3 filemarks)"

# checks that the next read returns record NAME exactly (byte count and bytes)
expect_record() {
  local name=$1 msg=$2
  read_record "$tape" "$tmp/got"
  expect_eq "$(stat -c %s "$tmp/$name")" "$(stat -c %s "$tmp/got")" "$msg: read returns $name's length"
  expect_ok "$msg: ...and $name's bytes" -- cmp "$tmp/$name" "$tmp/got"
}

# --- rewind, fsf, bsf -------------------------------------------------------------------------
mt -f "$tape" rewind
expect_record a0 "after rewind"
expect_pos 0 1 "$tape" "one record read"
expect_ok "fsf 2" -- mt -f "$tape" fsf 2
expect_pos 2 0 "$tape" "fsf 2 from file 0"
expect_record c0 "after fsf 2"
expect_ok "bsf 2" -- mt -f "$tape" bsf 2
# bsf leaves the tape before the filemark that ends file 0: st no longer knows the block.
expect_pos 0 -1 "$tape" "bsf 2 from file 2"
expect_eq 3 "$(tape_tell "$tape")" "mt tell after bsf 2: at the filemark ending file 0 (object 3)"
expect_ok "fsf 1 over that filemark" -- mt -f "$tape" fsf 1
expect_pos 1 0 "$tape" "fsf 1 from just before the filemark"
expect_record b0 "start of file 1"
expect_ok "bsfm 1 (back over the filemark, then forward over it)" -- mt -f "$tape" bsfm 1
expect_pos 1 0 "$tape" "bsfm 1 in file 1"
expect_record b0 "after bsfm 1"

# --- fsr, bsr -------------------------------------------------------------------------------
mt -f "$tape" rewind
expect_ok "fsr 2" -- mt -f "$tape" fsr 2
expect_pos 0 2 "$tape" "fsr 2"
expect_record a2 "after fsr 2"
expect_ok "bsr 2" -- mt -f "$tape" bsr 2
expect_pos 0 1 "$tape" "bsr 2 from block 3"
expect_record a1 "after bsr 2"
# Spacing records over a filemark stops after it: st counts the file, mt fails.
expect_fail "fsr 5 runs into the filemark after a2 and fails" -- mt -f "$tape" fsr 5
expect_pos 1 0 "$tape" "fsr stopped just past the filemark"
expect_record b0 "after the failed fsr"
expect_fail "bsr 3 from file 1 block 1 runs into the filemark and fails" -- mt -f "$tape" bsr 3
expect_eq 3 "$(tape_tell "$tape")" "bsr stopped at the filemark it met (object 3)"

# --- eod, tell, seek ----------------------------------------------------------------------------
expect_ok "eod" -- mt -f "$tape" eod
# st spaces filemarks until BLANK CHECK: it counts the files but not the block.
expect_pos 3 -1 "$tape" "eod: after the last filemark"
expect_eq 12 "$(tape_tell "$tape")" "mt tell at eod"
expect_ok "seek 5" -- mt -f "$tape" seek 5
expect_eq 5 "$(tape_tell "$tape")" "mt tell after seek 5"
expect_record b1 "after seek 5"
expect_ok "seek 9" -- mt -f "$tape" seek 9
expect_record c2 "after seek 9"
expect_ok "seek 0" -- mt -f "$tape" seek 0
expect_pos 0 0 "$tape" "seek 0 is the beginning of the tape"
expect_record a0 "after seek 0"
read_record "$tape" "$tmp/x" && read_record "$tape" "$tmp/x" && read_record "$tape" "$tmp/fm"
expect_eq 0 "$(stat -c %s "$tmp/fm")" "the read after a2 meets the filemark: 0 bytes"
expect_pos 1 0 "$tape" "reading the filemark moves st to the next file"
mt -f "$tape" eod
read_record "$tape" "$tmp/eod"
expect_eq 0 "$(stat -c %s "$tmp/eod")" "a read at end of data returns 0 bytes"

# --- weof ---------------------------------------------------------------------------------------
mt -f "$tape" eod
rand_file "$tmp/d0" 777
expect_ok "write record d0 at eod" -- dd if="$tmp/d0" of="$tape" bs=777 count=1
expect_pos 4 0 "$tape" "record d0 and its filemark"
expect_ok "weof 2" -- mt -f "$tape" weof 2
expect_pos 6 0 "$tape" "weof 2 wrote two filemarks"
expect_eq 16 "$(tape_tell "$tape")" "mt tell: 12 + d0 + 3 filemarks"
expect_ok "bsf 4, fsf 1" -- sh -c "mt -f $tape bsf 4 && mt -f $tape fsf 1"
expect_pos 3 0 "$tape" "bsf 4 + fsf 1 from file 6"
expect_record d0 "file 3 holds d0"
read_record "$tape" "$tmp/e1"
expect_eq 0 "$(stat -c %s "$tmp/e1")" "file 3 ends after d0"
read_record "$tape" "$tmp/e2"
expect_eq 0 "$(stat -c %s "$tmp/e2")" "file 4 is empty"
expect_pos 5 0 "$tape" "after the empty file 4's filemark"

# --- fixed block mode (setblk) -------------------------------------------------------------------
for bs in 512 1024; do
  mt -f "$tape" eod
  expect_ok "setblk $bs" -- mt -f "$tape" setblk $bs
  expect_eq $bs "$(tape_blksize "$tape")" "mt status shows block size $bs"
  rand_file "$tmp/fixed$bs" $((bs * 10))
  expect_ok "write $((bs * 10)) bytes in fixed $bs-byte blocks" -- \
    dd if="$tmp/fixed$bs" of="$tape" bs=$((bs * 5)) count=2
  fixed_file=$(tape_pos "$tape")
  fixed_file=${fixed_file% *}
  # bsfm 2: back over this file's filemark and the one before it, then forward over that one.
  expect_ok "bsfm 2: back to the file's start" -- mt -f "$tape" bsfm 2
  expect_eq "$((fixed_file - 1)) 0" "$(tape_pos "$tape")" "at the start of the fixed-block file"
  dd if="$tape" of="$tmp/got" bs=$((bs * 2)) 2>/dev/null
  expect_ok "fixed $bs: the 10 blocks read back byte for byte" -- cmp "$tmp/fixed$bs" "$tmp/got"
  mt -f "$tape" bsfm 2
  expect_ok "fsr 3 in fixed mode moves 3 blocks" -- mt -f "$tape" fsr 3
  expect_eq "$((fixed_file - 1)) 3" "$(tape_pos "$tape")" "fixed $bs: fsr 3 -> block 3"
  dd if="$tape" of="$tmp/got" bs=$bs count=1 2>/dev/null
  expect_ok "fixed $bs: block 3 is the right block" -- \
    cmp <(tail -c +$((3 * bs + 1)) "$tmp/fixed$bs" | head -c $bs) "$tmp/got"
done
# Each block is one record on the tape: variable mode reads them one by one.
expect_ok "setblk 0 (variable)" -- mt -f "$tape" setblk 0
expect_eq 0 "$(tape_blksize "$tape")" "mt status shows block size 0 again"
mt -f "$tape" bsfm 1  # from inside the 1024 file back to its start
read_record "$tape" "$tmp/got"
expect_eq 1024 "$(stat -c %s "$tmp/got")" "variable mode reads one 1024-byte block as one record"
expect_ok "...the first block of the 1024 file" -- cmp <(head -c 1024 "$tmp/fixed1024") "$tmp/got"

# --- lock, offline, load -------------------------------------------------------------------------
# st itself unlocks the drive before MTOFFL (st.c: "Ignore result!"), so the drive's
# refusal to unload while locked is checked with a raw LOAD UNLOAD on the sg node.
sg=$(vt_sg_of t_mt)
mt -f "$tape" rewind
expect_ok "lock" -- mt -f "$tape" lock
expect_fail "LOAD UNLOAD (unload) while locked is refused" -- sg_raw "$sg" 1b 00 00 00 00 00
expect_ok "...with ILLEGAL REQUEST, medium removal prevented" -- \
  grep -q "Medium removal prevented" <<<"$VT_OUTPUT"
expect_ok "the tape is still online" -- bash -c "[[ '$(tape_flags "$tape")' == *ONLINE* ]]"
expect_pos 0 0 "$tape" "the refused unload changed nothing"
expect_ok "unlock" -- mt -f "$tape" unlock
expect_ok "offline" -- mt -f "$tape" offline
expect_ok "status bits say DR_OPEN" -- bash -c "[[ '$(tape_flags "$tape")' == *DR_OPEN* ]]"
# Without O_NONBLOCK st's open would wait 120 s for the drive to become ready.
expect_fail "no medium after offline: a read fails" -- \
  dd if="$tape" of="$tmp/none" bs=1M count=1 iflag=nonblock
expect_ok "...with 'No medium found' (ENOMEDIUM)" -- grep -q "No medium found" <<<"$VT_OUTPUT"
expect_ok "load" -- mt -f "$tape" load
expect_pos 0 0 "$tape" "after load"
expect_record a0 "the medium's data is still there after offline/load"

# --- erase ---------------------------------------------------------------------------------------
mt -f "$tape" rewind
expect_ok "fsf 1, erase (the rest of the tape)" -- sh -c "mt -f $tape fsf 1 && mt -f $tape erase"
mt -f "$tape" rewind
expect_record a0 "file 0 survives an erase from file 1"
mt -f "$tape" fsf 1
read_record "$tape" "$tmp/erased"
expect_eq 0 "$(stat -c %s "$tmp/erased")" "file 1 is gone: a read there returns 0 bytes"
expect_ok "eod" -- mt -f "$tape" eod
expect_eq 4 "$(tape_tell "$tape")" "end of data is right after file 0's filemark"

vt_device_remove t_mt
rm -rf "$tmp"
assert_done
