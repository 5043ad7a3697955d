# A small medium filled past early warning through st (guest side):
# capacity 8 MiB, early warning 2 MiB before the end, so the warning zone starts
# after 6 MiB = 96 records of 64 KiB.
# st's rules (drivers/scsi/st.c, variable block mode): the write that the drive
# completes with EOM/NO SENSE (early warning) succeeds; the next write() of that
# open fails with ENOSPC without reaching the drive. Each new open may write one
# more record. Everything dd reports written must read back.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

tmp=$(mktemp -d /run/t_eom.XXXXXX)
img=$tmp/small.img
n=$(vt_device_create t_eom "file:$img;missing=create;capacity=8M;early_warning=2M")
expect_eq 0 $? "st attaches to a new 8 MiB medium"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
rand_file "$tmp/src" $((16 << 20))

dd if="$tmp/src" of="$tape" bs=64k 2>"$tmp/w1.err"
expect_eq 1 $? "dd of 16 MiB onto the 8 MiB tape fails"
expect_ok "...with 'No space left on device' (ENOSPC)" -- grep -q "No space left on device" "$tmp/w1.err"
expect_ok "...after writing 96 records (6 MiB, up to early warning)" -- \
  grep -q '^96+0 records out' "$tmp/w1.err"
expect_pos 1 0 "$tape" "the filemark st writes at close still went on the tape"

dd if="$tmp/src" of="$tape" bs=64k count=3 skip=96 2>"$tmp/w2.err"
expect_eq 1 $? "a second dd in the early-warning zone fails too"
expect_ok "...with ENOSPC after one more record" -- \
  sh -c "grep -q 'No space left on device' $tmp/w2.err && grep -q '^1+0 records out' $tmp/w2.err"
expect_pos 2 0 "$tape" "second file closed by a filemark"

mt -f "$tape" rewind
dd if="$tape" of="$tmp/r1" bs=64k 2>/dev/null
expect_eq $((96 << 16)) "$(stat -c %s "$tmp/r1")" "file 0 reads back as 96 records"
expect_ok "...byte for byte what dd wrote" -- cmp "$tmp/r1" <(head -c $((96 << 16)) "$tmp/src")
dd if="$tape" of="$tmp/r2" bs=64k 2>/dev/null
expect_ok "file 1 holds the one record written in the warning zone" -- \
  cmp "$tmp/r2" <(tail -c +$((96 * 65536 + 1)) "$tmp/src" | head -c 65536)

# Where the medium says it is: the log page the drive keeps on capacity (0x31).
sg=$(vt_sg_of t_eom)
sg_turs "$sg" >/dev/null 2>&1
remaining=$(sg_logs -p 0x31 "$sg" 2>/dev/null | sed -n 's/.*Main partition remaining capacity (in MiB): *//p')
expect_eq 1 "$remaining" "LOG SENSE 0x31: 1 MiB remains (8 MiB - 97 records, rounded down)"
vt_device_remove t_eom

info=$("$VTAPE_BUILD/tools/vtape" info "file:$img" 2>&1)
expect_ok "vtape info: 97 records on the image" -- grep -q '^records: *97$' <<<"$info"
expect_ok "vtape info: 2 filemarks on the image" -- grep -q '^filemarks: *2$' <<<"$info"
rm -rf "$tmp"
assert_done
