# The tcmu glue end to end (guest side): records of every size up to the largest
# transfer, short reads with and without st's SILI option (data must come back
# with the sense / with a residual: TCMU READ_LEN), missing=refuse|create,
# readonly=1 and media changes through attrib/dev_config (reconfig), a rait:
# medium whose commas only survive attrib/dev_config.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"

tmp=$(mktemp -d /run/t_glue.XXXXXX)
img=$tmp/img
mkdir -p "$img"

# Writes files $@ as one record each in one open (st adds a filemark at close).
write_records() {
  local tape=$1 f
  shift
  exec 3>"$tape" || return 1
  for f in "$@"; do
    dd if="$f" bs="$(stat -c %s "$f")" count=1 status=none >&3 || { exec 3>&-; return 1; }
  done
  exec 3>&-
}

# Reads one record with a 1 MiB buffer into $2.
read_record() { dd if="$1" of="$2" bs=1M count=1 2>/dev/null; }

# --- missing=refuse (default) ------------------------------------------------------
expect_fail "a missing image is refused by default" -- vt_device_create nofile "file:$img/none.img"
# (tcmu-runner logs check_config's reason itself, cut at 255 bytes)
expect_ok "...and tcmu-runner's log says why" -- grep -q "image $img/none.img does not exist" "$VT_LOG"
vt_device_remove nofile
expect_fail "...and nothing was created" -- test -e "$img/none.img"

# --- missing=create, record sizes ----------------------------------------------------
n=$(vt_device_create g1 "file:$img/g1.img;missing=create;capacity=256M;barcode=G00001L8")
expect_eq 0 $? "missing=create: the device comes up"
[[ -n $n ]] || assert_done
tape=/dev/nst$n
expect_ok "...and the image exists on disk" -- test -s "$img/g1.img"

sizes=(1 512 10000 65536 1048575 1048576)
files=()
for s in "${sizes[@]}"; do
  head -c "$s" /dev/urandom >"$tmp/w$s"
  files+=("$tmp/w$s")
done
expect_ok "write records of ${sizes[*]} bytes" -- write_records "$tape" "${files[@]}"
expect_ok "rewind" -- mt -f "$tape" rewind
for s in "${sizes[@]}"; do
  read_record "$tape" "$tmp/r$s"
  expect_eq "$s" "$(stat -c %s "$tmp/r$s")" "1 MiB read returns the $s-byte record"
  expect_ok "...byte for byte" -- cmp "$tmp/w$s" "$tmp/r$s"
done
head -c 1048577 /dev/zero >"$tmp/big"
expect_fail "a record above the 1 MiB transfer limit (hw_max_sectors 2048) is refused" -- \
  write_records "$tape" "$tmp/big"

# --- SILI: short reads complete GOOD with a residual ---------------------------------
expect_ok "rewind" -- mt -f "$tape" rewind
expect_ok "mt stsetoptions sili" -- mt -f "$tape" stsetoptions sili
for s in 1 512 10000; do
  read_record "$tape" "$tmp/s$s"
  expect_eq "$s" "$(stat -c %s "$tmp/s$s")" "with SILI a 1 MiB read returns the $s-byte record"
  expect_ok "...byte for byte" -- cmp "$tmp/w$s" "$tmp/s$s"
done
mt -f "$tape" stclearoptions sili

# --- media changes through attrib/dev_config -------------------------------------------
expect_ok "change to a new medium (missing=create)" -- \
  vt_device_reconfig g1 "file:$img/g2.img;missing=create;capacity=256M"
expect_ok "the new medium is blank: rewind works" -- mt -f "$tape" rewind
read_record "$tape" "$tmp/blank"
expect_eq 0 "$(stat -c %s "$tmp/blank" 2>/dev/null || echo missing)" "...and reads no data"
expect_ok "...and its image was created" -- test -s "$img/g2.img"
expect_fail "a change to a missing medium is refused" -- vt_device_reconfig g1 "file:$img/none.img"
expect_ok "...and the drive keeps its medium" -- grep -q "Config: vtape/file:$img/g2.img" \
  "$(vt_hba_dir)/g1/info"

expect_ok "change back to the first medium, read only" -- \
  vt_device_reconfig g1 "file:$img/g1.img;readonly=1"
expect_ok "mt status reports write protection" -- sh -c "mt -f $tape status | grep -q WR_PROT"
read_record "$tape" "$tmp/again"
expect_ok "the first medium's first record is back" -- cmp "$tmp/w1" "$tmp/again"
expect_fail "writing a read-only medium fails" -- write_records "$tape" "$tmp/w512"
expect_ok "the same medium again, writable (closed before reopening)" -- \
  vt_device_reconfig g1 "file:$img/g1.img"
expect_ok "...writes work again" -- sh -c "mt -f $tape eod && dd if=$tmp/w512 of=$tape bs=512"
vt_device_remove g1

# --- rait: commas reach the handler through attrib/dev_config -----------------------
rait="rait:{file:$img/r0.img,file:$img/r1.img,file:$img/r2.img};missing=create;capacity=256M"
n=$(vt_device_create r1 "$rait")
expect_eq 0 $? "a rait: medium with commas in its name comes up"
if [[ -n $n ]]; then
  expect_ok "write two records to it" -- write_records "/dev/nst$n" "$tmp/w10000" "$tmp/w65536"
  expect_ok "rewind" -- mt -f "/dev/nst$n" rewind
  read_record "/dev/nst$n" "$tmp/rr"
  expect_ok "...the first reads back" -- cmp "$tmp/w10000" "$tmp/rr"
  expect_ok "...all three members exist" -- test -s "$img/r0.img" -a -s "$img/r1.img" -a -s "$img/r2.img"
fi
vt_device_remove r1

# Why attrib/dev_config: the kernel's control file splits at ','.
mkdir "$(vt_hba_dir)/ctl"
echo "dev_config=vtape/rait:{a,b}" >"$(vt_hba_dir)/ctl/control"
expect_ok "(fact) control cuts dev_config at ','" -- \
  grep -q "Config: vtape/rait:{a " "$(vt_hba_dir)/ctl/info"
rmdir "$(vt_hba_dir)/ctl"

rm -rf "$tmp"
assert_done
