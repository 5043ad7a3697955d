# Smoke test (guest side): one mem: tape through tcm_loop and st; records of
# different sizes read back byte for byte, including a record shorter than the
# read buffer (the kernel must hand back its data together with the ILI sense).
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"

tmp=$(mktemp -d /run/smoke.XXXXXX)
n=$(vt_device_create smoke "mem:;serial=SMOKE1")
expect_eq 0 $? "user:vtape device with a tcm_loop LUN gets an st node"
[[ -n $n ]] || assert_done
tape=/dev/nst$n

expect_ok "mt status" -- mt -f "$tape" status
expect_ok "rewind" -- mt -f "$tape" rewind

head -c 10000 /dev/urandom >"$tmp/a"
head -c 20000 /dev/urandom >"$tmp/b"
# One open for both records: st writes a filemark whenever a written-to device is closed.
exec 3>"$tape"
expect_ok "write a 10000-byte record" -- sh -c 'dd if="$1" bs=10000 count=1 >&3' - "$tmp/a"
expect_ok "write a 20000-byte record" -- sh -c 'dd if="$1" bs=20000 count=1 >&3' - "$tmp/b"
exec 3>&-
expect_ok "rewind" -- mt -f "$tape" rewind

# The last write left record b in st's buffer: reading a must copy new data.
dd if="$tape" of="$tmp/ra" bs=1M count=1 2>"$tmp/err"
expect_eq 10000 "$(stat -c %s "$tmp/ra")" "1 MiB read of a 10000-byte record returns 10000 bytes"
expect_ok "...and they are the record's bytes" -- cmp "$tmp/a" "$tmp/ra"
dd if="$tape" of="$tmp/rb" bs=1M count=1 2>"$tmp/err"
expect_eq 20000 "$(stat -c %s "$tmp/rb")" "next read returns the 20000-byte record"
expect_ok "...byte for byte" -- cmp "$tmp/b" "$tmp/rb"
dd if="$tape" of="$tmp/fm" bs=1M count=1 2>"$tmp/err"
expect_eq 0 "$(stat -c %s "$tmp/fm")" "the filemark st wrote at close reads as 0 bytes"

vt_device_remove smoke
rm -rf "$tmp"
assert_done
