# RAIT through st (guest side): a user:vtape drive whose medium is a rait set of
# three file: members (XOR parity) on tmpfs. A tree is archived with tar; one
# member file is deleted while tar reads the archive back; the drive is re-created
# on the set with that member missing and tar verifies again from the two left;
# `vtape rebuild` recreates the member, `vtape verify` reads every record, and
# tar verifies a last time.
# The config string goes to the device's attrib/dev_config (guest-setup.sh), which
# takes ':' and ',' alike; the rait name uses the brace shorthand
# rait:file:DIR/m-{a,b,c}.img (rait/spec.h).
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

vtape=$VTAPE_BUILD/tools/vtape
tmp=$(mktemp -d /run/t_rait.XXXXXX)
set_name="rait:file:$tmp/m-{a,b,c}.img"
parent=/usr/share/doc
names=(git valgrind qemu-system-common)  # ~13 MiB, a few hundred files
expect_ok "vtape create $set_name" -- "$vtape" create "$set_name" --capacity 1G
expect_eq 3 "$(ls "$tmp"/m-*.img | wc -l)" "three member images exist"

n=$(vt_device_create t_rait "$set_name")
expect_eq 0 $? "st attaches to the rait drive"
[[ -n $n ]] || assert_done
tape=/dev/nst$n

expect_ok "tar -c -b 64 of ${names[*]}" -- tar -c -b 64 -f "$tape" -C "$parent" "${names[@]}"
rand_file "$tmp/rec" 300000
expect_ok "a second file: one 300000-byte record" -- dd if="$tmp/rec" of="$tape" bs=300000
mt -f "$tape" rewind
expect_ok "tar -d: the archive matches the tree" -- tar -d -b 64 -f "$tape" -C "$parent"

# Delete member b while tar reads: the drive still holds its open file, so this
# read must simply go on; the set notices the loss when it opens the member again.
mt -f "$tape" rewind
tar -d -b 64 -f "$tape" -C "$parent" >"$tmp/tar1.out" 2>&1 &
tar_pid=$!
sleep 0.5
rm -f "$tmp/m-b.img"
wait "$tar_pid"
expect_eq 0 $? "tar -d still verifies while member b is deleted $(head -c 300 "$tmp/tar1.out")"
vt_device_remove t_rait

n=$(vt_device_create t_rait "$set_name")
expect_eq 0 $? "the drive opens the set with member b missing (degraded)"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
expect_ok "the runner log says the set is degraded" -- \
  sh -c "tail -n 20 '$VT_LOG' | grep -qi degraded"
expect_ok "degraded: tar -d verifies from members a and c" -- tar -d -b 64 -f "$tape" -C "$parent"
mt -f "$tape" rewind
mt -f "$tape" fsf 1
read_record "$tape" "$tmp/got"
expect_ok "degraded: the 300000-byte record reads back" -- cmp "$tmp/rec" "$tmp/got"
vt_device_remove t_rait

expect_ok "vtape rebuild $set_name 1" -- "$vtape" rebuild "$set_name" 1
expect_ok "member b exists again" -- test -s "$tmp/m-b.img"
expect_ok "vtape verify: every record reads back" -- "$vtape" verify "$set_name"
expect_ok "vtape info: health ok" -- bash -c "'$vtape' info '$set_name' | grep -q '^health: *ok'"
expect_eq "2" "$("$vtape" ls "$set_name" 2>/dev/null | awk '$1 ~ /^[0-9]+$/' | wc -l)" \
  "vtape ls: two files on the set"

n=$(vt_device_create t_rait "$set_name")
tape=/dev/nst$n
expect_ok "after rebuild: tar -d verifies" -- tar -d -b 64 -f "$tape" -C "$parent"
mt -f "$tape" rewind
mt -f "$tape" fsf 1
read_record "$tape" "$tmp/got"
expect_ok "after rebuild: the 300000-byte record reads back" -- cmp "$tmp/rec" "$tmp/got"
vt_device_remove t_rait

# The rebuilt member is needed now: without a, the set reads from b (rebuilt) and c.
rm -f "$tmp/m-a.img"
n=$(vt_device_create t_rait "$set_name")
tape=/dev/nst$n
expect_ok "member a deleted: tar -d verifies from the rebuilt b and c" -- \
  tar -d -b 64 -f "$tape" -C "$parent"
vt_device_remove t_rait
rm -rf "$tmp"
assert_done
