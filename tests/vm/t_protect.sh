# Write-protected media through st (guest side). A file: image written through the
# drive is then loaded (a) with ;readonly=1 in the config string and (b) after
# `vtape protect NAME on` (the medium's own write-protect flag). Either way st
# refuses to open /dev/nst for writing with EROFS ("Read-only file system"), mt
# status shows WR_PROT, and reading works. `vtape protect off` makes it writable.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

vtape=$VTAPE_BUILD/tools/vtape
tmp=$(mktemp -d /run/t_protect.XXXXXX)
img=$tmp/prot.img
expect_ok "vtape create $img" -- "$vtape" create "$img" --capacity 64M --early-warning 8M

# An absolute path means file:PATH (the form targetcli accepts).
n=$(vt_device_create t_prot "$img")
expect_eq 0 $? "st attaches to the new image"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
rand_file "$tmp/a" 4096
rand_file "$tmp/b" 100000
expect_ok "write two records" -- write_records "$tape" "$tmp/a" "$tmp/b"
vt_device_remove t_prot

# checks the protected drive: no write open, WR_PROT, and the data reads back
check_protected() {
  local how=$1
  n=$(vt_device_create t_prot "$2")
  expect_eq 0 $? "$how: st attaches"
  [[ -n $n ]] || return
  tape=/dev/nst$n
  expect_ok "$how: mt status shows WR_PROT" -- bash -c "[[ '$(tape_flags "$tape")' == *WR_PROT* ]]"
  expect_fail "$how: opening /dev/nst$n for writing fails" -- dd if="$tmp/a" of="$tape" bs=4096 count=1
  expect_ok "$how: ...with EROFS (Read-only file system)" -- \
    grep -q "Read-only file system" <<<"$VT_OUTPUT"
  expect_fail "$how: mt weof fails too" -- mt -f "$tape" weof 1
  expect_ok "$how: ...with EROFS" -- grep -q "Read-only file system" <<<"$VT_OUTPUT"
  expect_ok "$how: rewind" -- mt -f "$tape" rewind
  read_record "$tape" "$tmp/ra"
  read_record "$tape" "$tmp/rb"
  expect_ok "$how: both records read back byte for byte" -- \
    sh -c "cmp $tmp/a $tmp/ra && cmp $tmp/b $tmp/rb"
  expect_pos 0 2 "$tape" "$how: after reading"
  vt_device_remove t_prot
}

check_protected "readonly=1" "$img;readonly=1"
expect_ok "vtape protect $img on" -- "$vtape" protect "$img" on
expect_ok "vtape info reports the write protect" -- bash -c "'$vtape' info '$img' | grep -q '^write protect: *on$'"
check_protected "vtape protect on" "$img"

expect_ok "vtape protect $img off" -- "$vtape" protect "$img" off
n=$(vt_device_create t_prot "$img")
tape=/dev/nst$n
expect_ok "unprotected: no WR_PROT" -- bash -c "[[ '$(tape_flags "$tape")' != *WR_PROT* ]]"
mt -f "$tape" eod
rand_file "$tmp/c" 777
expect_ok "unprotected: a record can be appended" -- dd if="$tmp/c" of="$tape" bs=777 count=1
mt -f "$tape" rewind
mt -f "$tape" fsf 1
read_record "$tape" "$tmp/rc"
expect_ok "...and reads back" -- cmp "$tmp/c" "$tmp/rc"
vt_device_remove t_prot
rm -rf "$tmp"
assert_done
