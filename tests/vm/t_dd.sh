# Record sizes through st's variable block mode (guest side): records of 1 B,
# 1000 B, 10000 B, 64 KiB and 1 MiB written as separate records; read back with
# a larger buffer (st returns exactly the record: the glue reports the read length
# with the ILI sense) and with a smaller one (the record does not fit: st fails
# the read with ENOMEM and the tape has moved past the record).
# 1 MiB is the largest transfer here (hw_max_sectors 2048; tcm_loop itself carries
# no more than 256 one-page segments), READ BLOCK LIMITS says so, and st refuses
# a variable-mode read above that maximum with EINVAL before anything reaches the
# drive. So the 1 MiB record is read with a buffer of exactly 1 MiB. (With
# hw_max_sectors 4096 the drive would allow 2 MiB, and st fails such a read with
# EBUSY instead: tcm_loop cannot map the request.)
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

tmp=$(mktemp -d /run/t_dd.XXXXXX)
img=$tmp/dd.img
n=$(vt_device_create t_dd "file:$img;missing=create;capacity=256M")
expect_eq 0 $? "st attaches to a file: tape on tmpfs"
[[ -n $n ]] || assert_done
tape=/dev/nst$n

sizes=(1 1000 10000 65536 1048576)
files=()
for s in "${sizes[@]}"; do
  rand_file "$tmp/r$s" "$s"
  files+=("$tmp/r$s")
done
expect_ok "write 5 records (1, 1000, 10000, 65536, 1048576 bytes) in one open" -- \
  write_records "$tape" "${files[@]}"
expect_pos 1 0 "$tape" "five records and a filemark"
expect_eq 6 "$(tape_tell "$tape")" "mt tell: 5 records + 1 filemark = block 6"

# --- a larger buffer returns exactly the record ----------------------------------------------
mt -f "$tape" rewind
for s in "${sizes[@]}"; do
  buf=$((2 * s > 1048576 ? 1048576 : 2 * s))
  read_record "$tape" "$tmp/got" $buf
  expect_eq 0 $? "$s-byte record read with a $buf-byte buffer: dd succeeds $(head -c 200 "$tmp/got.err")"
  expect_eq "$s" "$(stat -c %s "$tmp/got")" "...and returns exactly $s bytes"
  expect_ok "...the record's bytes" -- cmp "$tmp/r$s" "$tmp/got"
  # dd counts a read shorter than its buffer as a partial record ("0+1").
  in=$([[ $buf -gt $s ]] && echo 0+1 || echo 1+0)
  expect_ok "...one read: '$in records in'" -- grep -q "^$in records in" "$tmp/got.err"
done
expect_pos 0 5 "$tape" "after reading the five records"
mt -f "$tape" bsr 1
dd if="$tape" of="$tmp/big" bs=2M count=1 2>"$tmp/big.err"
expect_eq 1 $? "a 2 MiB read buffer is refused by st (above READ BLOCK LIMITS' 1 MiB)"
expect_ok "...with EINVAL (Invalid argument): $(head -n1 "$tmp/big.err")" -- \
  grep -q "Invalid argument" "$tmp/big.err"
expect_pos 0 4 "$tape" "the refused read did not move the tape"
read_record "$tape" "$tmp/got" 1M
expect_ok "the 1 MiB record still reads with a 1 MiB buffer" -- cmp "$tmp/r1048576" "$tmp/got"

mt -f "$tape" rewind
mt -f "$tape" fsr 2
read_record "$tape" "$tmp/got" 1M
expect_eq 10000 "$(stat -c %s "$tmp/got")" "a 10000-byte record read with a 1 MiB buffer returns 10000 bytes"
expect_ok "...byte for byte" -- cmp "$tmp/r10000" "$tmp/got"

# --- a smaller buffer: ENOMEM, and the record is skipped -------------------------------------------
mt -f "$tape" rewind
mt -f "$tape" fsr 1
for s in 1000 10000 65536 1048576; do
  expect_fail "$s-byte record read with a $((s - 1))-byte buffer fails" -- \
    read_record "$tape" "$tmp/small" $((s - 1))
  expect_ok "...with 'Cannot allocate memory' (ENOMEM)" -- grep -q "Cannot allocate memory" "$tmp/small.err"
  expect_eq 0 "$(stat -c %s "$tmp/small")" "...and no data"
done
expect_pos 0 5 "$tape" "each refused record was still passed over"
read_record "$tape" "$tmp/fm"
expect_eq 0 "$(stat -c %s "$tmp/fm")" "the next read meets the filemark: 0 bytes"

# The 1 MiB record with a 512 KiB buffer, in the middle of the tape, then the record after it.
mt -f "$tape" rewind
mt -f "$tape" fsr 4
expect_pos 0 4 "$tape" "fsr 4"
expect_fail "1 MiB record with a 512 KiB buffer fails" -- read_record "$tape" "$tmp/half" 512K
expect_ok "...with ENOMEM" -- grep -q "Cannot allocate memory" "$tmp/half.err"
mt -f "$tape" bsr 1
read_record "$tape" "$tmp/got" 1M
expect_ok "bsr 1 then a 1 MiB read returns the 1 MiB record" -- cmp "$tmp/r1048576" "$tmp/got"

# --- a stream of equal records -------------------------------------------------------------------
mt -f "$tape" eod
rand_file "$tmp/stream" $((32 * 65536))
expect_ok "dd 32 records of 64 KiB" -- dd if="$tmp/stream" of="$tape" bs=64k
expect_pos 2 0 "$tape" "second file after the stream"
expect_eq $((6 + 32 + 1)) "$(tape_tell "$tape")" "mt tell: 32 records + a filemark more"
mt -f "$tape" bsf 1 && mt -f "$tape" bsfm 1
dd if="$tape" of="$tmp/got" bs=256k 2>"$tmp/got.err"
expect_ok "read back with 256 KiB buffers: 32 records in, byte for byte" -- \
  sh -c "grep -q '^0+32 records in' $tmp/got.err && cmp $tmp/stream $tmp/got"

vt_device_remove t_dd
rm -rf "$tmp"
assert_done
