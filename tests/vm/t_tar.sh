# tar round trips through /dev/nst (guest side): one archive per blocking factor
# (-b 20, 64, 256, 2048 = 10 KiB, 32 KiB, 128 KiB, 1 MiB records) written one
# after the other on a file: tape, then each found again by position (rewind +
# fsf) and compared with the tree by `tar -d`; one is also extracted and compared
# with diff -r.
# The tree: the first directories of /usr/share/doc, in name order, up to ~5 MiB
# (a few hundred files of every size): all of /usr/share/doc (~130 MiB) takes many
# minutes per pass under TCG. VT_TAR_TREE=/usr/share/doc (run-guest.sh passes VT_*
# variables through) archives a whole tree instead.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

tmp=$(mktemp -d /run/t_tar.XXXXXX)
tree=${VT_TAR_TREE:-}
if [[ -z $tree ]]; then
  tree=/usr/share/doc parent=/usr/share
  # tar takes the list of names: a copy of the tree would cost as much as the archive
  (cd /usr/share && du -s --block-size=1K doc/* | sort -k2 |
    awk '{ total += $1; print $2; if (total > 5 * 1024) exit }') >"$tmp/names"
else
  parent=$(dirname "$tree")
  basename "$tree" >"$tmp/names"
fi
bytes=$(cd "$parent" && du -scb $(cat "$tmp/names") | tail -n1 | cut -f1)
echo "tree: $(wc -l <"$tmp/names") entries under $tree, $((bytes >> 20)) MiB"

n=$(vt_device_create t_tar "file:$tmp/tar.img;missing=create;capacity=4G")
expect_eq 0 $? "st attaches to a file: tape on tmpfs"
[[ -n $n ]] || assert_done
tape=/dev/nst$n

factors=(20 64 256 2048)
for i in "${!factors[@]}"; do
  b=${factors[$i]}
  expect_ok "tar -c -b $b (records of $((b * 512)) bytes) as file $i" -- \
    tar -c -b "$b" -f "$tape" -C "$parent" -T "$tmp/names"
  expect_pos $((i + 1)) 0 "$tape" "after archive $i"
done

for i in 3 0 2 1; do  # out of order: each archive is found by its position
  b=${factors[$i]}
  mt -f "$tape" rewind
  [[ $i -gt 0 ]] && mt -f "$tape" fsf "$i"
  expect_pos "$i" 0 "$tape" "rewind + fsf $i"
  expect_ok "tar -d -b $b: archive $i matches the tree" -- \
    tar -d -b "$b" -f "$tape" -C "$parent"
  # The first record of the archive is that big: st returns it as one read.
  mt -f "$tape" rewind
  [[ $i -gt 0 ]] && mt -f "$tape" fsf "$i"
  read_record "$tape" "$tmp/first" 1M
  expect_eq $((b * 512)) "$(stat -c %s "$tmp/first")" "archive $i's first record is $((b * 512)) bytes"
done

mt -f "$tape" rewind
mt -f "$tape" fsf 2
mkdir "$tmp/out"
expect_ok "extract archive 2 (-b 256)" -- tar -x -b 256 -f "$tape" -C "$tmp/out"
ok=1
while read -r name; do
  diff -r --no-dereference "$parent/$name" "$tmp/out/$name" >"$tmp/diff" 2>&1 || { ok=0; break; }
done <"$tmp/names"
expect_eq 1 "$ok" "diff -r: the extracted tree equals the original $(head -c 300 "$tmp/diff")"
rm -rf "$tmp/out"

# The tape reports what was stored: 4 archives of at least the tree's size each.
vt_device_remove t_tar
used=$("$VTAPE_BUILD/tools/vtape" ls "file:$tmp/tar.img" 2>&1)
echo "$used"
expect_eq 4 "$(awk '$1 ~ /^[0-9]+$/' <<<"$used" | wc -l)" "vtape ls lists 4 files on the image"
rm -rf "$tmp"
assert_done
