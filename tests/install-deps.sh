#!/usr/bin/env bash
# Installs everything vtape needs to build and test on Debian 12 (run as root).
# Idempotent: already-installed packages are left alone.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format
  googletest libgtest-dev libgmock-dev libbenchmark-dev libisal-dev libiscsi-dev
  nlohmann-json3-dev
  # the handler's host: tcmu-runner, and the source package its headers come from
  tcmu-runner dpkg-dev
  # users' tools, exercised by the VM suite
  targetcli-fb dbus sg3-utils mt-st mtx libiscsi-bin open-iscsi tar
  # the iSCSI library test: what open-iscsi attached, by lsscsi
  lsscsi
  # the crash tests: a slow disk (dm-delay) under the media
  dmsetup e2fsprogs util-linux
  # the VM: QEMU (TCG), a static busybox for the initramfs, module tools
  qemu-system-x86 busybox-static kmod cpio iproute2 xz-utils zstd python3
  # the power-loss trials: dm-log-writes is driven with dmsetup; the media file systems
  dmsetup e2fsprogs xfsprogs util-linux
)

# apt-get source needs a deb-src entry; Debian 12 images often ship only binary ones.
ensure_deb_src() {
  if grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 1
  fi
  local sources=/etc/apt/sources.list.d/debian.sources
  if [ -f "$sources" ]; then
    sed -i -E 's/^Types: deb$/Types: deb deb-src/' "$sources"
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >/etc/apt/sources.list.d/vtape-src.list
  fi
  return 0
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
added_src=0
ensure_deb_src && added_src=1
if ((${#missing[@]})) || ((added_src)) || [ ! -d /var/lib/apt/lists ] ||
   ! ls /var/lib/apt/lists/*Sources* >/dev/null 2>&1; then
  apt-get update -qq
fi
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all ${#packages[@]} packages present"
