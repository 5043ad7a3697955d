# WORM cartridges through st (guest side). `vtape create --worm` makes an LTO-8
# WORM image; tar writes an archive to it; after a rewind a second tar (which
# would overwrite the first) fails with st's EIO ("Input/output error") and the
# drive's DATA PROTECT, 30h/0Ch (WORM medium - overwrite attempted); the first
# archive still reads back and matches; appending at end of data works; `vtape
# info` says WORM and counts what was written.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

vtape=$VTAPE_BUILD/tools/vtape
tmp=$(mktemp -d /run/t_worm.XXXXXX)
img=$tmp/worm.img
expect_ok "vtape create --worm" -- "$vtape" create "$img" --worm --capacity 256M --early-warning 8M
expect_ok "vtape info says LTO-8 WORM" -- \
  bash -c "'$vtape' info '$img' | grep -q '^media: *LTO-8 WORM (WORM'"

# A small tree to archive: the first few directories of /usr/share/doc.
(cd /usr/share && ls doc | head -n 20) | sed 's|^|doc/|' >"$tmp/names"

n=$(vt_device_create t_worm "file:$img")
expect_eq 0 $? "st attaches to the WORM image"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
sg=$(vt_sg_of t_worm)

expect_ok "tar -c: the first archive" -- tar -c -b 20 -f "$tape" -C /usr/share -T "$tmp/names"
expect_pos 1 0 "$tape" "after the first archive"
expect_ok "rewind" -- mt -f "$tape" rewind

dmesg -c >/dev/null
expect_fail "tar -c at BOP (over the first archive) is refused" -- \
  tar -c -b 20 -f "$tape" -C /usr/share/doc .
expect_ok "...with st's EIO (Input/output error)" -- grep -q "Input/output error" <<<"$VT_OUTPUT"
expect_ok "...and the kernel logged DATA PROTECT, WORM medium - overwrite attempted" -- \
  bash -c "dmesg | grep -qi 'Data Protect' && dmesg | grep -qi 'worm medium - overwrite attempted'"

# The same refusal as raw sense: WRITE FILEMARKS(6) of 1 at BOP.
mt -f "$tape" rewind
expect_fail "WRITE FILEMARKS at BOP is refused" -- sg_raw "$sg" 10 00 00 00 01 00
raw=$VT_OUTPUT
expect_ok "...with DATA PROTECT" -- grep -qi "Data Protect" <<<"$raw"
expect_ok "...WORM medium - overwrite attempted" -- grep -qi "worm medium - overwrite attempted" <<<"$raw"

mt -f "$tape" rewind
expect_ok "the first archive still matches the tree (tar -d)" -- \
  tar -d -b 20 -f "$tape" -C /usr/share

expect_ok "mt eod" -- mt -f "$tape" eod
expect_ok "tar -c at end of data: appending works" -- \
  tar -c -b 20 -f "$tape" -C /usr/share -T "$tmp/names"
mt -f "$tape" rewind
mt -f "$tape" fsf 1
expect_ok "the appended archive matches too" -- tar -d -b 20 -f "$tape" -C /usr/share
vt_device_remove t_worm

info=$("$vtape" info "$img")
expect_ok "vtape info: WORM, two filemarks (one per archive)" -- \
  bash -c "grep -q '^media: *LTO-8 WORM' <<<'$info' && grep -q '^filemarks: *2$' <<<'$info'"
rm -rf "$tmp"
assert_done
