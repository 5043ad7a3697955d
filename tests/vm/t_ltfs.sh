# LTFS, the real client of issue 11 (guest side): IBM's reference LTFS 2.4.8.4 over
# the sg backend against vtape drives on file: media.
#
# Per drive (ibm-lto8, hp-lto8, ibm-lto5 on an LTO-5 cartridge; LTFS makes two
# partitions on each): mkltfs, mount, copy a real tree of regular files (from
# /usr/lib, VT_LTFS_MB MiB, default 32; the issue's proof is VT_LTFS_MB=256),
# unmount, unload and reload, mount again and compare every file's sha256,
# ltfsck (exit 0 or 1: 1 "corrected" is its normal result on a consistent volume),
# READ ATTRIBUTE 080Ch and the barcode (0806h, from mkltfs -s), LOG SENSE 17h.
# On the ibm-lto8 drive also: tcmu-runner SIGKILLed during a copy, restarted, and
# the volume mounts again (after ltfsck if LTFS asks for it) with the first tree intact.
# Then a library (ibm-ts3100 changer, one ibm-lto8 drive): mtx load, mkltfs, mount,
# copy, unmount, mtx unload, and again load, mount, compare, unmount, unload.
#
# LTFS comes from the host: tests/vm/run.sh runs tests/ltfs/build.sh before the
# boot and passes the prefix as VT_LTFS_PREFIX (VT_LTFS_SKIP holds the reason when
# the tarball is absent: then this file prints SKIP and checks nothing; a failed
# build comes as VT_LTFS_BROKEN and fails).
# In the default list of run.sh and run-all.sh with VT_LTFS_MB=4 (VTAPE_LTFS=0
# leaves it out). LTFS's own output per step: VTAPE_WORK/t_ltfs-*.log.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"

if [[ -n ${VT_LTFS_BROKEN:-} ]]; then
  vt_failed "LTFS is available" "$VT_LTFS_BROKEN"
  assert_done
fi
if [[ -z ${VT_LTFS_PREFIX:-} || ! -x ${VT_LTFS_PREFIX:-/nonexistent}/bin/mkltfs ]]; then
  echo "SKIP: LTFS (issue 11's real client): ${VT_LTFS_SKIP:-no VT_LTFS_PREFIX with bin/mkltfs (run through tests/vm/run.sh, which builds it with tests/ltfs/build.sh)}"
  echo "0 passed, 0 failed"
  exit 0
fi
ltfs_bin=$VT_LTFS_PREFIX/bin
mb=${VT_LTFS_MB:-32}
# A limit for each mkltfs/ltfsck/mount: on an IBM identity LTFS answers a failed
# command with a drive dump, and when the dump commands fail too it recurses for
# ever (SEND DIAGNOSTIC, READ BUFFER, again and again).
cmd_limit=${VT_LTFS_CMD_TIMEOUT:-300}
tmp=$(mktemp -d /run/t_ltfs.XXXXXX)
# Tape images: guest RAM (tmpfs) by default; VT_LTFS_IMAGES (e.g. under VTAPE_WORK)
# for the 256 MiB runs, whose images would not fit in 2 GiB of RAM beside the tree.
images=${VT_LTFS_IMAGES:-$tmp}
mkdir -p "$images"
mnt=$tmp/mnt
mkdir -p "$mnt"
modprobe fuse 2>/dev/null
# LTFS reserves the drive (PERSISTENT RESERVE OUT, register then reserve): LIO
# keeps registrations in /var/target/pr and refuses the registration without it.
mkdir -p /var/target/pr
expect_ok "the guest has /dev/fuse" -- test -c /dev/fuse

# --- the tree: regular files of /usr/lib in find's order until MB MiB ---------------
# (paths relative to /; the file list is cut as soon as the sum passes the target,
# which keeps the walk short under TCG)
find /usr/lib -xdev -type f -size -64M -printf '%s %p\n' 2>/dev/null |
  awk -v max=$((mb << 20)) '$2 !~ /[[:space:]]/ && NF == 2 { t += $1; print substr($2, 2); if (t > max) exit }' \
  >"$tmp/files"
sort -u -o "$tmp/files" "$tmp/files"
(cd / && xargs -d '\n' sha256sum -- <"$tmp/files") >"$tmp/sums"
tree_bytes=$(cd / && xargs -d '\n' stat -c %s -- <"$tmp/files" | awk '{ t += $1 } END { print t + 0 }')
echo "tree: $(wc -l <"$tmp/files") files, $tree_bytes bytes"
expect_ok "the tree holds at least $mb MiB" -- test "$tree_bytes" -ge $((mb << 20))

source "$VTAPE_SRC/tests/vm/ltfs-lib.sh"  # ltfs_mount, ltfs_umount
copy_tree() { # DEST
  mkdir -p "$1" && (cd / && tar -cf - --verbatim-files-from -T "$tmp/files") | tar -xf - -C "$1"
}
check_tree() { # DIR
  (cd "$1" && sha256sum --quiet -c "$tmp/sums")
}
# The lines of an LTFS log that report trouble (E/W messages, failed commands with
# their sense), each once, in order: what the drive still lacks.
ltfs_trouble() {
  grep -E 'LTFS[0-9]+[EW]|returns|[Ss]ense|CHECK_CONDITION|error' "$1" | sed 's/([0-9x]*)\.$//' |
    awk '!seen[$0]++' | head -n 60
}
runner_restart() { # the same start as vt_boot_setup (guest-setup.sh), as our child
  local runner
  runner=$(pidof tcmu-runner)
  kill -KILL "$runner"
  for _ in $(seq 50); do kill -0 "$runner" 2>/dev/null || break; sleep 0.1; done
  vt_runner_start
}

# LOG SENSE 17h parameter CODE: "PARTITION VALUE" per partition record (a 1-byte
# record length, reserved, 2-byte partition number, then the value).
log17_records() { # SG CODE
  sg_logs -p 0x17 -r "$1" 2>/dev/null | python3 -c '
import sys
data, want = sys.stdin.buffer.read(), int(sys.argv[1], 0)
end, at = 4 + int.from_bytes(data[2:4], "big"), 4
while at + 4 <= min(end, len(data)):
    code, length = int.from_bytes(data[at:at + 2], "big"), data[at + 3]
    if code == want:
        body, i = data[at + 4:at + 4 + length], 0
        while i < len(body):
            n = body[i] + 1
            print(int.from_bytes(body[i + 2:i + 4], "big"), int.from_bytes(body[i + 4:i + n], "big"))
            i += n
        break
    at += 4 + length
' "$2"
}

# The medium: a file: image; VT_LTFS_MEDIUM=mem for a mem: one (a look at the drive
# logic where file: lacks something; its contents do not survive tcmu-runner).
medium_of() {
  if [[ ${VT_LTFS_MEDIUM:-file} == mem ]]; then echo "mem:;missing=create"; else echo "file:$images/$1.img;missing=create"; fi
}

# --- one drive through the whole flow -----------------------------------------------
drive_flow() { # NAME MODEL MEDIA BARCODE KILL(0/1)
  local name=$1 model=$2 media=$3 barcode=$4 kill_test=$5
  local log=$VTAPE_WORK/t_ltfs-$name.log n sg tape rc
  : >"$log"
  echo "--- $name: model $model, $media cartridge, barcode $barcode"
  n=$(vt_device_create "$name" \
    "$(medium_of "$name");media=$media;capacity=8G;model=$model;barcode=${barcode}L${media#LTO-}" \
    "$VT_DEFAULT_MAX_SECTORS")
  expect_eq 0 $? "$name: st attaches" || true
  [[ -n $n ]] || return
  tape=/dev/nst$n
  sg=$(vt_sg_of "$name")
  for _ in 1 2 3; do sg_turs "$sg" >/dev/null 2>&1 && break; done

  echo "## mkltfs" >>"$log"
  timeout -k 10 "$cmd_limit" "$ltfs_bin/mkltfs" -d "$sg" -n VOL1 -s "$barcode" -f ${VT_LTFS_MKLTFS_OPTS:-} >>"$log" 2>&1
  rc=$?
  expect_eq 0 "$rc" "$name: mkltfs -d $sg -n VOL1 -s $barcode"
  if [[ $rc != 0 ]]; then
    echo "$name: mkltfs trouble:"; ltfs_trouble "$log"
    vt_device_remove "$name"
    return
  fi

  echo "## mount 1" >>"$log"
  if ! ltfs_mount "$sg" "$log"; then
    expect_eq mounted "not mounted" "$name: ltfs -o devname=$sg mounts the new volume"
    echo "$name: mount trouble:"; ltfs_trouble "$log"
    vt_device_remove "$name"
    return
  fi
  vt_pass "$name: ltfs -o devname=$sg mounts the new volume"
  expect_ok "$name: copy the tree ($tree_bytes bytes) in" -- copy_tree "$mnt/tree"
  expect_ok "$name: every file reads back through the mount" -- check_tree "$mnt/tree"
  echo "## umount 1" >>"$log"
  ltfs_umount
  expect_eq 0 $? "$name: unmount (LTFS writes its index and exits 0)"

  expect_ok "$name: unload" -- mt -f "$tape" offline
  expect_ok "$name: reload" -- mt -f "$tape" load
  echo "## mount 2" >>"$log"
  if ltfs_mount "$sg" "$log"; then
    vt_pass "$name: mount again after unload and reload"
    expect_ok "$name: every file's sha256 matches after the reload" -- check_tree "$mnt/tree"
    echo "## umount 2" >>"$log"
    ltfs_umount
    expect_eq 0 $? "$name: unmount again (LTFS exits 0)"
  else
    expect_eq mounted "not mounted" "$name: mount again after unload and reload"
  fi

  echo "## ltfsck" >>"$log"
  timeout -k 10 "$cmd_limit" "$ltfs_bin/ltfsck" "$sg" >>"$log" 2>&1
  rc=$?
  expect_ok "$name: ltfsck exits 0 or 1 (consistent / corrected), got $rc" -- test "$rc" -le 1

  local attrs
  attrs=$(sg_read_attr "$sg" 2>&1)
  echo "## sg_read_attr" >>"$log"
  echo "$attrs" >>"$log"
  expect_ok "$name: READ ATTRIBUTE lists 080Ch (volume coherency information)" -- \
    grep -qi "coherency" <<<"$attrs"
  expect_ok "$name: READ ATTRIBUTE shows the barcode $barcode (0806h)" -- \
    grep -q "Barcode: *$barcode" <<<"$attrs"
  local native remaining
  native=$(log17_records "$sg" 0x0202)
  remaining=$(log17_records "$sg" 0x0204)
  echo "## LOG SENSE 17h 0202h: $native / 0204h: $remaining" | tr '\n' ' ' >>"$log"
  expect_eq "0 1" "$(awk '{ print $1 }' <<<"$native" | tr '\n' ' ' | sed 's/ $//')" \
    "$name: LOG SENSE 17h 0202h (native capacity) has partitions 0 and 1"
  expect_ok "$name: LOG SENSE 17h 0204h (remaining) <= 0202h per partition, 0202h > 0" -- \
    python3 -c '
import sys
nat = dict(map(int, l.split()) for l in sys.argv[1].splitlines())
rem = dict(map(int, l.split()) for l in sys.argv[2].splitlines())
sys.exit(not (nat and set(nat) == set(rem) and all(0 < nat[p] and rem[p] <= nat[p] for p in nat)))
' "$native" "$remaining"

  if [[ $kill_test == 1 ]]; then
    echo "## mount 3 (kill)" >>"$log"
    if ltfs_mount "$sg" "$log"; then
      (copy_tree "$mnt/second") >/dev/null 2>&1 &
      local copier=$!
      # Some of the second tree reaches the tape before the kill.
      for _ in $(seq 120); do
        [[ $(du -s --block-size=1M "$mnt/second" 2>/dev/null | cut -f1) -ge $((mb / 4 + 1)) ]] && break
        sleep 0.5
      done
      # Not inside expect_ok: the runner must be a child of this shell, not of a subshell.
      runner_restart || true  # judged just below
      expect_ok "$name: tcmu-runner SIGKILLed during a copy and started again" -- \
        vt_runner_owns_bus "$VT_RUNNER_PID"
      wait "$copier"
      umount -l "$mnt" 2>/dev/null
      kill "$LTFS_PID" 2>/dev/null
      wait "$LTFS_PID" 2>/dev/null
      LTFS_PID=
      for _ in 1 2 3; do sg_turs "$sg" >/dev/null 2>&1 && break; done
      echo "## mount 4 (after the kill)" >>"$log"
      local how="directly"
      if ! ltfs_mount "$sg" "$log"; then
        echo "## ltfsck after the kill" >>"$log"
        timeout -k 10 "$cmd_limit" "$ltfs_bin/ltfsck" "$sg" >>"$log" 2>&1
        how="after ltfsck"
        ltfs_mount "$sg" "$log" || how=
      fi
      if [[ -n $how ]]; then
        vt_pass "$name: the volume mounts again after the kill ($how)"
        expect_ok "$name: the first tree is intact after the kill" -- check_tree "$mnt/tree"
        ltfs_umount
        expect_eq 0 $? "$name: unmount after the recovery (LTFS exits 0)"
      else
        expect_eq mounted "not mounted" "$name: the volume mounts again after the kill"
      fi
    else
      expect_eq mounted "not mounted" "$name: mount before the kill"
    fi
  fi
  mountpoint -q "$mnt" && umount -l "$mnt"
  echo "$name: LTFS trouble lines (all steps):"
  ltfs_trouble "$log"
  vt_device_remove "$name"
}

# --- a library drive: the cartridge comes from a slot ------------------------------
# mtx load, mkltfs, mount, copy, unmount, mtx unload; then load again, mount,
# compare, unmount, unload: what an archive user of a real library does.
library_flow() {
  local name=t_ltfs_lib dir=$images/lib log=$VTAPE_WORK/t_ltfs-lib.log changer sg
  : >"$log"
  echo "--- $name: library with one ibm-lto8 drive, LTO-8 cartridges LTL001L8, LTL002L8"
  expect_ok "$name: vtape library create (1 drive, 4 slots, 2 cartridges)" -- \
    "$VTAPE_BUILD/tools/vtape" library create "$dir" --drives 1 --slots 4 --ie 1 \
    --barcodes LTL001L8:2 --capacity 8G --serial VLLTFS0001
  expect_ok "$name: changer and drive attached" -- \
    vt_library_create "$name" "$dir" 1 ibm-ts3100 ibm-lto8
  changer=$(vt_library_changer_sg "$name")
  sg=$(vt_library_drive_sg "$name" 0)
  if [[ -z $changer || -z $sg ]]; then
    vt_library_remove "$name" 1
    return
  fi
  for _ in 1 2 3; do sg_turs "$changer" >/dev/null 2>&1 && break; done
  slot1() { mtx -f "$changer" status | grep -E '^ *Storage Element 1:' | sed 's/^ *//; s/ *$//'; }
  drive0() { mtx -f "$changer" status | grep -E '^Data Transfer Element 0:' | sed 's/ *$//'; }

  expect_ok "$name: mtx load 1 0" -- mtx -f "$changer" load 1 0
  expect_eq "Data Transfer Element 0:Full (Storage Element 1 Loaded):VolumeTag = LTL001L8" \
    "$(drive0)" "$name: drive 0 holds LTL001L8"
  for _ in 1 2 3; do sg_turs "$sg" >/dev/null 2>&1 && break; done
  echo "## mkltfs" >>"$log"
  timeout -k 10 "$cmd_limit" "$ltfs_bin/mkltfs" -d "$sg" -n LIBVOL -s LTL001 -f >>"$log" 2>&1
  expect_eq 0 $? "$name: mkltfs on the library drive ($sg)"
  echo "## mount 1" >>"$log"
  if ltfs_mount "$sg" "$log"; then
    vt_pass "$name: ltfs mounts the cartridge in the library drive"
    expect_ok "$name: copy the tree in" -- copy_tree "$mnt/tree"
    echo "## umount 1" >>"$log"
    ltfs_umount
    expect_eq 0 $? "$name: unmount (LTFS writes its index and exits 0)"
  else
    expect_eq mounted "not mounted" "$name: ltfs mounts the cartridge in the library drive"
  fi
  expect_ok "$name: mtx unload 1 0" -- mtx -f "$changer" unload 1 0
  expect_eq "Storage Element 1:Full :VolumeTag=LTL001L8" "$(slot1)" \
    "$name: LTL001L8 is back in slot 1"
  expect_eq "Data Transfer Element 0:Empty" "$(drive0)" "$name: drive 0 is empty"

  expect_ok "$name: mtx load 1 0 again" -- mtx -f "$changer" load 1 0
  for _ in 1 2 3; do sg_turs "$sg" >/dev/null 2>&1 && break; done
  echo "## mount 2" >>"$log"
  if ltfs_mount "$sg" "$log"; then
    vt_pass "$name: the cartridge mounts again after unload and load"
    expect_ok "$name: every file's sha256 matches" -- check_tree "$mnt/tree"
    echo "## umount 2" >>"$log"
    ltfs_umount
    expect_eq 0 $? "$name: unmount again (LTFS exits 0)"
  else
    expect_eq mounted "not mounted" "$name: the cartridge mounts again after unload and load"
  fi
  expect_ok "$name: mtx unload 1 0 again" -- mtx -f "$changer" unload 1 0
  mountpoint -q "$mnt" && umount -l "$mnt"
  echo "$name: LTFS trouble lines (all steps):"
  ltfs_trouble "$log"
  vt_library_remove "$name" 1
}

# VT_LTFS_MKLTFS_OPTS adds mkltfs options (e.g. -c: no compression, to look past a
# drive that refuses DCE). VT_LTFS_DRIVES picks some of them (e.g. "ibm5"), for a quicker look at one.
drives=${VT_LTFS_DRIVES:-ibm8 hp8 ibm5 lib}
[[ " $drives " == *" ibm8 "* ]] && drive_flow t_ltfs_ibm8 ibm-lto8 LTO-8 LTF008 1
[[ " $drives " == *" hp8 "* ]] && drive_flow t_ltfs_hp8 hp-lto8 LTO-8 LTH008 0
[[ " $drives " == *" ibm5 "* ]] && drive_flow t_ltfs_ibm5 ibm-lto5 LTO-5 LTF005 0
[[ " $drives " == *" lib "* ]] && library_flow
rm -rf "$tmp"
assert_done
