# Guest side of bench/vm_ltfs.sh (bash, run by run-guest.sh): one ibm-lto8 drive
# on a file: image in the guest's RAM. First dd of a VT_BENCH_MIB MiB file of
# random bytes through /dev/nst (write, then read back): the drive's own pace.
# Then LTFS on the same drive: mkltfs, mount, copy that file in, copy
# VT_BENCH_SMALL small files (VT_BENCH_SMALL_KIB KiB each) in, unmount (LTFS
# writes its index), mount again and read everything back, unmount. Every copy
# is checked against its source. Appends "WHAT BYTES FILES SECONDS" lines to
# $VTAPE_WORK/vm_ltfs.result.
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
set -u
mib=${VT_BENCH_MIB:-256} small=${VT_BENCH_SMALL:-10000} small_kib=${VT_BENCH_SMALL_KIB:-8}
ltfs_bin=$VT_LTFS_PREFIX/bin
cmd_limit=1800
vt_boot_setup || exit 1
modprobe fuse 2>/dev/null
mkdir -p /var/target/pr  # LTFS reserves the drive; LIO keeps registrations there
dir=$(mktemp -d /run/vm_ltfs.XXXXXX)
mount -t tmpfs -o size=1600m tmpfs "$dir" || exit 1
mnt=$dir/mnt
mkdir -p "$mnt" "$dir/small"
source "$VTAPE_SRC/tests/vm/ltfs-lib.sh"
log=$VTAPE_WORK/vm_ltfs-ltfs.log
: >"$log"
result=$VTAPE_WORK/vm_ltfs.result

now() { date +%s.%N; }
record() { # WHAT BYTES FILES START END
  echo "$1 $2 $3 $(echo "$5 - $4" | bc -l)" | tee -a "$result"
}
fail() { echo "vm_ltfs: $*"; exit 1; }

# The sources: random bytes (the IBM drive compresses, and random bytes are what
# backup data mostly looks like to it once the software compressed them).
head -c $((mib << 20)) /dev/urandom >"$dir/big.bin"
python3 - "$dir/small" "$small" "$small_kib" <<'EOF'
import os, sys
d, n, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    sub = os.path.join(d, "d%03d" % (i // 100))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "f%05d" % i), "wb") as f:
        f.write(os.urandom(kib * 1024))
EOF
big_bytes=$(stat -c %s "$dir/big.bin")
small_bytes=$((small * small_kib * 1024))

n=$(vt_device_create bltfs "file:$dir/ltfs.img;missing=create;capacity=8G;model=ibm-lto8;media=LTO-8;barcode=BEN001L8" \
  "$VT_DEFAULT_MAX_SECTORS") || fail "drive not created"
tape=/dev/nst$n
sg=$(vt_sg_of bltfs)
for _ in 1 2 3; do sg_turs "$sg" >/dev/null 2>&1 && break; done

# --- dd through st: the drive's pace for the same bytes ------------------------------
mt -f "$tape" rewind || fail "rewind"
start=$(now)
dd if="$dir/big.bin" of="$tape" bs=256k 2>"$dir/dd.err" || fail "dd write: $(cat "$dir/dd.err")"
record dd-write "$big_bytes" 1 "$start" "$(now)"
mt -f "$tape" rewind || fail "rewind"
start=$(now)
dd if="$tape" of="$dir/back.bin" bs=256k 2>"$dir/dd.err" || fail "dd read: $(cat "$dir/dd.err")"
record dd-read "$big_bytes" 1 "$start" "$(now)"
cmp -s "$dir/big.bin" "$dir/back.bin" || fail "dd read back other bytes"
rm -f "$dir/back.bin"

# --- LTFS ------------------------------------------------------------------------------
timeout -k 10 "$cmd_limit" "$ltfs_bin/mkltfs" -d "$sg" -n BENCH -s BEN001 -f >>"$log" 2>&1 || fail "mkltfs"
ltfs_mount "$sg" "$log" || fail "mount 1"
start=$(now)
cp "$dir/big.bin" "$mnt/big.bin" || fail "copy of the large file"
record ltfs-write-large "$big_bytes" 1 "$start" "$(now)"
start=$(now)
cp -r "$dir/small" "$mnt/small" || fail "copy of the small files"
record ltfs-write-small "$small_bytes" "$small" "$start" "$(now)"
start=$(now)
ltfs_umount || fail "unmount 1"
record ltfs-unmount 0 0 "$start" "$(now)"

ltfs_mount "$sg" "$log" || fail "mount 2"
start=$(now)
cmp -s "$dir/big.bin" "$mnt/big.bin" || fail "the large file read back differs"
record ltfs-read-large "$big_bytes" 1 "$start" "$(now)"
start=$(now)
diff -r -q "$dir/small" "$mnt/small" >/dev/null || fail "the small files read back differ"
record ltfs-read-small "$small_bytes" "$small" "$start" "$(now)"
ltfs_umount || fail "unmount 2"
vt_device_remove bltfs
umount "$dir" && rmdir "$dir"
