# Drive compression through st (guest side, issue 12). An IBM LTO-8 drive
# starts with data compression on (as shipped): tapeinfo says
# DataCompEnabled: yes and page 0Fh DCE is 1. tar writes text (/usr/share/doc)
# compressed; `vtape info --ratio` on the image finds compressed records and a
# ratio above 1:1, LOG SENSE 1Bh counts more bytes from the host than to the
# medium. `mt compression 0` turns it off (tapeinfo: no), a second archive is
# stored as written; both archives read back and compare, the first with
# compression still off, the second after `mt compression 1` (a medium written
# with and without compression reads either way).
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

vtape=$VTAPE_BUILD/tools/vtape
tmp=$(mktemp -d /run/t_compression.XXXXXX)
img=$tmp/comp.img
mkdir -p "$tmp/src"
cp -r $(ls -d /usr/share/doc/* | head -n 40) "$tmp/src/"
# Uncompressed text only, so the archive is one that compresses.
find "$tmp/src" -name '*.gz' -delete

n=$(vt_device_create t_compression "file:$img;missing=create;model=ibm-lto8;capacity=256M")
expect_eq 0 $? "st attaches to an ibm-lto8 drive"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
sg=$(vt_sg_of t_compression)

expect_ok "tapeinfo" -- tapeinfo -f "$sg"
info=$VT_OUTPUT
echo "$info"
expect_ok "...DataCompEnabled: yes (IBM drives compress by default)" -- \
  grep -Eq "^DataCompEnabled: +yes" <<<"$info"
expect_ok "...DataCompCapable: yes" -- grep -Eq "^DataCompCapable: +yes" <<<"$info"
expect_ok "...DataDeCompEnabled: yes" -- grep -Eq "^DataDeCompEnabled: +yes" <<<"$info"
expect_ok "...CompType: 0x1" -- grep -Eq "^CompType: +0x1$" <<<"$info"
# MODE SENSE(6), DBD, page 0Fh: the 4-byte header, then 0F 0E, DCE|DCC, DDE.
expect_ok "MODE SENSE(6) page 0Fh" -- sg_raw -o "$tmp/page0f" -r 64 "$sg" 1a 08 0f 00 40 00
expect_eq "0f 0e c0 80" "$(od -An -tx1 -j4 -N4 "$tmp/page0f" | xargs)" \
  "...DCE and DCC set, DDE set"

expect_ok "tar -c with compression on" -- tar -c -b 64 -f "$tape" -C "$tmp" src
# LOG SENSE 1Bh, cumulative values (PC 01b).
expect_ok "LOG SENSE 1Bh" -- sg_raw -o "$tmp/log1b" -r 512 "$sg" 4d 00 5b 00 00 00 00 02 00 00
expect_ok "...the write ratio above 1.20 and bytes from the host above 1.2x those to the medium" -- \
  python3 - "$tmp/log1b" <<'PY'
import struct, sys
page = open(sys.argv[1], "rb").read()
assert page[0] & 0x3F == 0x1B, page[:4].hex()
end = 4 + struct.unpack(">H", page[2:4])[0]
params, at = {}, 4
while at < end:
    code, length = struct.unpack(">H", page[at:at + 2])[0], page[at + 3]
    params[code] = int.from_bytes(page[at + 4:at + 4 + length], "big")
    at += 4 + length
from_host = params[6] * 2**20 + params[7]
to_medium = params[8] * 2**20 + params[9]
print("write ratio x100:", params[1], "from host:", from_host, "to medium:", to_medium)
assert params[1] > 120, params[1]
assert from_host > 1.2 * to_medium > 0, (from_host, to_medium)
PY
mt -f "$tape" rewind

expect_ok "mt compression 0" -- mt -f "$tape" compression 0
expect_ok "tapeinfo after it" -- tapeinfo -f "$sg"
expect_ok "...DataCompEnabled: no" -- grep -Eq "^DataCompEnabled: +no" <<<"$VT_OUTPUT"
expect_ok "tar -c of a second archive, uncompressed (past the first)" -- \
  bash -c "mt -f '$tape' fsf 1 && tar -c -b 64 -f '$tape' -C '$tmp' src"
mt -f "$tape" rewind
expect_ok "tar -d of the compressed archive with compression off" -- \
  tar -d -b 64 -f "$tape" -C "$tmp"
expect_ok "mt compression 1" -- mt -f "$tape" compression 1
mt -f "$tape" rewind
expect_ok "mt fsf 1" -- mt -f "$tape" fsf 1
expect_ok "tar -d of the uncompressed archive with compression on" -- \
  tar -d -b 64 -f "$tape" -C "$tmp"
vt_device_remove t_compression

expect_ok "vtape info --ratio" -- "$vtape" info --ratio "$img"
info=$VT_OUTPUT
echo "$info"
expect_ok "...some records compressed, not all (the second archive is raw)" -- python3 - "$info" <<'PY'
import re, sys
m = re.search(r"^compression: +([0-9.]+):1, .* (\d+) of (\d+) records compressed", sys.argv[1], re.M)
assert m, "no compression line"
ratio, compressed, total = float(m.group(1)), int(m.group(2)), int(m.group(3))
assert 0 < compressed < total, (compressed, total)
assert ratio > 1.2, ratio
PY
rm -rf "$tmp"
assert_done
