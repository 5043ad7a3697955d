# Host-side helpers for the VM suite (sourced by run-guest.sh). Bash.
#
# The guest is this machine itself: its / is shared read-only over virtio-9p with a
# tmpfs overlay on top, so everything installed here with apt-get (tcmu-runner,
# targetcli, mt-st, sg3-utils ...) and the build tree are usable in the guest at
# the same paths. Only the kernel is Debian's stock one, downloaded once, because
# the host kernel lacks configfs/LIO. QEMU runs with TCG (KVM hangs nested here).

VTAPE_VM_CACHE=${VTAPE_VM_CACHE:-/var/cache/vtape-vm}

# Modules the initramfs loads, in dependency order, to reach the 9p root.
VTAPE_VM_INITRD_MODULES=(
  netfs fscache 9pnet 9p virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev
  virtio_pci 9pnet_virtio overlay
)

vm_log() { echo "vm: $*" >&2; }
vm_die() { echo "vm: error: $*" >&2; exit 2; }

# Sets VM_KVER and VM_KROOT (the unpacked linux-image package) for the kernel
# version Debian's linux-image-amd64 currently depends on; downloads it once.
vm_prepare_kernel() {
  local pkg
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
        awk '/Depends: linux-image-[0-9].*-amd64$/ {print $2; exit}')
  [[ -n $pkg ]] || vm_die "cannot tell which kernel linux-image-amd64 depends on (apt-get update?)"
  VM_KVER=${pkg#linux-image-}
  VM_KROOT=$VTAPE_VM_CACHE/$VM_KVER
  if [[ -f $VM_KROOT/.ready ]]; then return 0; fi

  vm_log "fetching $pkg into $VTAPE_VM_CACHE (once)"
  mkdir -p "$VTAPE_VM_CACHE" || vm_die "cannot create $VTAPE_VM_CACHE"
  (cd "$VTAPE_VM_CACHE" && apt-get download "$pkg" >/dev/null) ||
    vm_die "apt-get download $pkg failed"
  local deb
  deb=$(ls -t "$VTAPE_VM_CACHE"/"${pkg}"_*.deb | head -n1)
  rm -rf "$VM_KROOT"
  dpkg -x "$deb" "$VM_KROOT" || vm_die "dpkg -x $deb failed"
  depmod -b "$VM_KROOT" "$VM_KVER" || vm_die "depmod -b $VM_KROOT $VM_KVER failed"
  touch "$VM_KROOT/.ready"
}

# Path of a module file for the guest kernel (handles .ko and compressed .ko.xz).
vm_module_path() {
  local name=$1 rel
  rel=$(awk -F: -v n="$name" '{
          f=$1; sub(/.*\//, "", f); sub(/\.ko(\.[a-z]+)?$/, "", f); gsub(/-/, "_", f)
          if (f == n) { print $1; exit } }' "$VM_KROOT/lib/modules/$VM_KVER/modules.dep")
  [[ -n $rel ]] || vm_die "module $name not found for $VM_KVER"
  echo "$VM_KROOT/lib/modules/$VM_KVER/$rel"
}

# Builds (once per kernel version and init script) the busybox initramfs; sets VM_INITRD.
vm_prepare_initrd() {
  local here init_src stamp_src
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  init_src=$here/initramfs-init.sh
  VM_INITRD=$VTAPE_VM_CACHE/initrd-$VM_KVER.cpio.gz
  stamp_src=$(cat "$init_src" /bin/busybox | md5sum | cut -c1-16)
  if [[ -f $VM_INITRD && "$(cat "$VM_INITRD.stamp" 2>/dev/null)" == "$stamp_src" ]]; then
    return 0
  fi
  vm_log "building initramfs $VM_INITRD"
  local dir
  dir=$(mktemp -d "$VTAPE_VM_CACHE/initrd.XXXXXX")
  mkdir -p "$dir"/{bin,dev,proc,sys,newroot,lower,upper,modules}
  cp /bin/busybox "$dir/bin/busybox"
  cp "$init_src" "$dir/init"
  chmod 755 "$dir/init"
  local m f
  for m in "${VTAPE_VM_INITRD_MODULES[@]}"; do
    f=$(vm_module_path "$m")
    case $f in
      *.ko) cp "$f" "$dir/modules/$m.ko" ;;
      *.ko.xz) xz -dc "$f" >"$dir/modules/$m.ko" ;;
      *.ko.zst) zstd -dqc "$f" >"$dir/modules/$m.ko" ;;
      *) vm_die "unknown module format $f" ;;
    esac
    echo "$m" >>"$dir/modules/order"
  done
  (cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) >"$VM_INITRD.tmp" ||
    vm_die "cpio of the initramfs failed"
  mv "$VM_INITRD.tmp" "$VM_INITRD"
  echo "$stamp_src" >"$VM_INITRD.stamp"
  rm -rf "$dir"
}

# vm_boot WORKDIR TIMEOUT_S PORT: boots the guest, which runs WORKDIR/job.sh and
# writes WORKDIR/exit-code. Returns that code, 124 on timeout, 125 if the guest
# died without one.
vm_boot() {
  local work=$1 timeout_s=$2 port=$3
  local net=(-netdev "user,id=n0${port:+,hostfwd=tcp:127.0.0.1:$port-:3260}"
             -device virtio-net-pci,netdev=n0)
  rm -f "$work/exit-code"
  local rc=0
  timeout -k 5 "$timeout_s" qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -m 2048 -smp 2 -nographic -no-reboot \
    -kernel "$VM_KROOT/boot/vmlinuz-$VM_KVER" -initrd "$VM_INITRD" \
    -append "console=ttyS0 quiet loglevel=4 panic=-1 vtape_work=$work" \
    -fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap" \
    -device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
    -fsdev "local,id=mods,path=$VM_KROOT/lib/modules,security_model=none,readonly=on" \
    -device virtio-9p-pci,fsdev=mods,mount_tag=modules \
    -fsdev "local,id=work,path=$work,security_model=passthrough,multidevs=remap" \
    -device virtio-9p-pci,fsdev=work,mount_tag=work \
    "${net[@]}" </dev/null || rc=$?
  if [[ $rc == 124 || $rc == 137 ]]; then
    vm_log "guest timed out after ${timeout_s}s"
    return 124
  fi
  if [[ ! -f $work/exit-code ]]; then
    vm_log "guest stopped without an exit code (qemu status $rc)"
    return 125
  fi
  return "$(cat "$work/exit-code")"
}
