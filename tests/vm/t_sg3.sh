# sg3_utils against the tape's sg node (guest side): INQUIRY, VPD pages, MODE
# SENSE (block descriptor and pages, and what st's setblk changes in it), LOG
# SENSE pages 0Ch/2Eh/31h with exact values after known traffic, READ BLOCK
# LIMITS and REPORT SUPPORTED OPERATION CODES.
# The medium: a file: image of 256 MiB with a 16 MiB early-warning zone; 4 records
# of 1 MiB are written through st and 2 of them read back before the log pages
# are read.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/tape-lib.sh"

tmp=$(mktemp -d /run/t_sg3.XXXXXX)
n=$(vt_device_create t_sg3 "file:$tmp/sg.img;missing=create;capacity=256M;early_warning=16M;model=ibm-lto8;serial=SG3TEST1")
expect_eq 0 $? "st attaches"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
sg=$(vt_sg_of t_sg3)
expect_ok "the LUN has an sg node ($sg)" -- test -c "$sg"
# The power-on unit attention is still pending for this nexus: take it first.
for _ in 1 2 3; do sg_turs "$sg" >/dev/null 2>&1 && break; done
expect_ok "TEST UNIT READY is good" -- sg_turs "$sg"

hex() { xxd -p | tr -d '\n'; }

# --- INQUIRY and VPD -------------------------------------------------------------------
inq=$(sg_inq "$sg" 2>&1)
expect_ok "sg_inq: peripheral device type 1 (tape)" -- grep -q "PDT=1 " <<<"$inq"
expect_ok "sg_inq: removable medium, SPC-4" -- grep -q "RMB=1 .*version=0x06" <<<"$inq"
expect_eq "IBM" "$(sed -n 's/^ *Vendor identification: *\([^ ]*\) *$/\1/p' <<<"$inq")" "sg_inq: vendor of model ibm-lto8"
expect_eq "ULT3580-TD8" "$(sed -n 's/^ *Product identification: *\([^ ]*\) *$/\1/p' <<<"$inq")" "sg_inq: product"
expect_eq "Q3F3" "$(sed -n 's/^ *Product revision level: *//p' <<<"$inq")" "sg_inq: revision"

expect_eq "008083b0b5" "$(sg_vpd -p 0 -r "$sg" 2>/dev/null | hex | cut -c9-)" \
  "VPD 00h lists pages 00h 80h 83h b0h b5h (logical block protection)"
expect_eq "SG3TEST1" "$(sg_vpd -p 0x80 "$sg" 2>&1 | sed -n 's/.*Unit serial number: *//p')" \
  "VPD 80h: the configured serial"
vpd83=$(sg_vpd -p 0x83 "$sg" 2>&1)
expect_ok "VPD 83h: an NAA designator" -- grep -q "designator type: NAA" <<<"$vpd83"
expect_ok "VPD 83h: T10 vendor id IBM + product + serial" -- \
  grep -q "vendor specific: ULT3580-TD8 *SG3TEST1" <<<"$vpd83"
expect_eq "01b000020100" "$(sg_vpd -p 0xb0 -r "$sg" 2>/dev/null | hex)" \
  "VPD B0h: 2 bytes, WORM 1 (the drive supports WORM cartridges)"

# --- MODE SENSE ---------------------------------------------------------------------------
# MODE SENSE(6) of page 10h as st sends it at open: header (medium type 88h:
# an IBM drive names the LTO-8 cartridge), 8-byte block descriptor (density 5Eh
# = LTO-8, block length 0 = variable), then the page.
ms=$(sg_modes -6 -p 0x10 -r "$sg" 2>/dev/null | hex)
expect_eq "1b881008" "${ms:0:8}" "MODE SENSE(6) header: 27 bytes, medium type 88h, buffered mode 1, descriptor length 8"
expect_eq "5e00000000000000" "${ms:8:16}" "block descriptor: density 5Eh, variable block length"
expect_eq "100e" "${ms:24:4}" "page 10h (device configuration) follows, 14 bytes"
expect_ok "mt setblk 1024" -- mt -f "$tape" setblk 1024
ms=$(sg_modes -6 -p 0x10 -r "$sg" 2>/dev/null | hex)
expect_eq "5e00000000000400" "${ms:8:16}" "after setblk 1024 the descriptor says block length 1024"
mt -f "$tape" setblk 0
ms=$(sg_modes -6 -p 0x10 -r "$sg" 2>/dev/null | hex)
expect_eq "5e00000000000000" "${ms:8:16}" "setblk 0: variable again"
all=$(sg_modes -a "$sg" 2>&1)
for page in "Control" "Data Compression" "Device configuration" "Medium Partition" \
  "Informational exceptions control"; do
  expect_ok "sg_modes -a shows the $page page" -- grep -q ">> $page" <<<"$all"
done

# --- traffic for the log pages ----------------------------------------------------------------
for i in 1 2 3 4; do rand_file "$tmp/r$i" $((1 << 20)); done
expect_ok "write 4 records of 1 MiB" -- write_records "$tape" "$tmp/r1" "$tmp/r2" "$tmp/r3" "$tmp/r4"
mt -f "$tape" rewind
read_record "$tape" "$tmp/g1" && read_record "$tape" "$tmp/g2"
expect_ok "read 2 of them back" -- sh -c "cmp $tmp/r1 $tmp/g1 && cmp $tmp/r2 $tmp/g2"

# log_param PAGE CODE: the value of parameter CODE of log page PAGE, as a number
log_param() {
  sg_logs -p "$1" -r "$sg" 2>/dev/null | python3 -c '
import sys
data, want = sys.stdin.buffer.read(), int(sys.argv[1], 0)
end, at = 4 + int.from_bytes(data[2:4], "big"), 4
while at + 4 <= min(end, len(data)):
    code, length = int.from_bytes(data[at:at + 2], "big"), data[at + 3]
    if code == want:
        print(int.from_bytes(data[at + 4:at + 4 + length], "big"))
        break
    at += 4 + length' "$2"
}
expect_eq 4194304 "$(log_param 0x0c 0)" "log 0Ch/0000h: bytes received with WRITE = 4 MiB"
expect_eq 4194304 "$(log_param 0x0c 1)" "log 0Ch/0001h: bytes written to the medium = 4 MiB"
expect_eq 2097152 "$(log_param 0x0c 2)" "log 0Ch/0002h: bytes read from the medium = 2 MiB"
expect_eq 2097152 "$(log_param 0x0c 3)" "log 0Ch/0003h: bytes transferred by READ = 2 MiB"
expect_eq 4 "$(log_param 0x0c 4)" "log 0Ch/0004h: BOP to EOD = 4 MB (10^6)"
expect_eq 251 "$(log_param 0x0c 5)" "log 0Ch/0005h: BOP to early warning = 240 MiB = 251 MB"
expect_eq 16 "$(log_param 0x0c 6)" "log 0Ch/0006h: early warning to EOP = 16 MiB = 16 MB"
expect_eq 2 "$(log_param 0x0c 7)" "log 0Ch/0007h: BOP to the position = 2 MB"
expect_eq 254 "$(log_param 0x31 1)" "log 31h: main partition remaining = 254 MiB from the position"
expect_eq 256 "$(log_param 0x31 3)" "log 31h: main partition maximum = 256 MiB"
ta=$(sg_logs -p 0x2e -r "$sg" 2>/dev/null | hex)
expect_eq $((4 + 64 * 5)) $((${#ta} / 2)) "log 2Eh: 64 TapeAlert flags of one byte each"
flags=$(for i in $(seq 1 64); do log_param 0x2e "$i"; done | sort -u | tr '\n' ' ')
expect_eq "0 " "$flags" "log 2Eh: no TapeAlert flag is set"
expect_ok "sg_logs lists pages 0Ch 2Eh 31h" -- \
  sh -c "sg_logs -p 0 $sg | grep -q '0x0c' && sg_logs -p 0 $sg | grep -q '0x2e' && sg_logs -p 0 $sg | grep -q '0x31'"

# --- READ BLOCK LIMITS, REPORT SUPPORTED OPERATION CODES -------------------------------------
rbl=$(sg_read_block_limits "$sg" 2>&1)
expect_eq 1048576 "$(sed -n 's/.*Maximum block size: *\([0-9]*\) byte.*/\1/p' <<<"$rbl")" \
  "READ BLOCK LIMITS: maximum 1 MiB (hw_max_sectors 2048 x 512)"
expect_eq 1 "$(sed -n 's/.*Minimum block size: *\([0-9]*\) byte.*/\1/p' <<<"$rbl")" \
  "READ BLOCK LIMITS: minimum 1 byte"
ops=$(sg_opcodes "$sg" 2>&1)
for op in "08 .*Read(6)" "0a .*Write(6)" "10 .*Write filemarks(6)" "11 .*Space(6)" \
  "2b .*Locate(10)" "34 .*Read position" "05 .*Read Block Limits" "1b .*Load unload" \
  "4d .*Log sense" "5a .*Mode sense(10)" "88 .*Read(16)" "92 .*Locate(16)"; do
  expect_ok "sg_opcodes lists ${op#*.\*}" -- grep -qi "^ *$op" <<<"$ops"
done

vt_device_remove t_sg3
rm -rf "$tmp"
assert_done
