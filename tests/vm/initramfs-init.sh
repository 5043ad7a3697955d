#!/bin/busybox sh
# /init of the VM's initramfs (busybox): loads the 9p/virtio/overlay modules, makes
# the host's / (read-only 9p) plus a tmpfs overlay the new root, mounts the guest
# kernel's modules and the host work directory (at its host path), then hands
# over to WORK/job.sh. Any failure powers off; the host sees no exit-code file.
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
  echo "initramfs: $*" >&2
  echo o >/proc/sysrq-trigger
  sleep 10
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

while read -r m; do
  insmod "/modules/$m.ko" || fail "insmod $m failed"
done </modules/order

work=
for arg in $(cat /proc/cmdline); do
  case $arg in vtape_work=*) work=${arg#vtape_work=} ;; esac
done
[ -n "$work" ] || fail "no vtape_work= on the kernel command line"

opts=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$opts,ro" hostroot /lower || fail "mounting the host root failed"
mount -t tmpfs -o size=1200m tmpfs /upper || fail "tmpfs failed"
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work overlay /newroot ||
  fail "overlay mount failed"
mkdir -p /newroot/lib/modules "/newroot$work"
mount -t 9p -o "$opts,ro" modules /newroot/lib/modules || fail "mounting modules failed"
mount -t 9p -o "$opts,cache=none" work "/newroot$work" || fail "mounting the work dir failed"
for d in proc sys dev; do mount --move "/$d" "/newroot/$d"; done

exec switch_root /newroot /bin/bash "$work/job.sh"
