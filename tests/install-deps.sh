#!/usr/bin/env bash
# Installs everything vtape needs to build and test on Debian 12 (run as root).
# Idempotent: already-installed packages are left alone.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format
  googletest libgtest-dev libgmock-dev libbenchmark-dev libisal-dev libiscsi-dev
  nlohmann-json3-dev libcli11-dev
  # drive compression (vtape/record_codec.h): LZ4 blocks, zstd frames
  liblz4-dev libzstd-dev
  # drive encryption: AES-256-GCM from OpenSSL's libcrypto
  libssl-dev
  # the handler's host: tcmu-runner, and the source package its headers come from
  tcmu-runner dpkg-dev
  # the Debian package (packaging/): CPack's DEB generator finds ELF files with `file`
  # for dpkg-shlibdeps; the man pages are checked with groff and found with man in the VM
  file groff-base man-db
  # packaging/check-deb.sh runs lintian on the package
  lintian
  # users' tools, exercised by the VM suite
  targetcli-fb dbus sg3-utils mt-st libiscsi-bin open-iscsi tar
  # drive encryption through st (tests/vm/t_encryption.sh)
  stenc
  # backup software driven by the VM suite: mtx, Bacula (sqlite3 catalog), Amanda
  mtx bacula-director bacula-director-sqlite3 bacula-sd bacula-fd bacula-console
  amanda-server amanda-client
  # Amanda::Message uses Encode::Locale; Debian's amanda packages do not depend on it
  libencode-locale-perl
  # the iSCSI library test: what open-iscsi attached, by lsscsi
  lsscsi
  # the library VM tests read the tool's --json answers
  jq
  # LTFS, built from ../shared/thirdparty by tests/ltfs/build.sh (its build-ltfs.sh's list)
  autoconf automake libtool libfuse-dev fuse libxml2-dev libicu-dev icu-devtools uuid-dev
  uthash-dev
  # the VM: QEMU (TCG), a static busybox for the initramfs, module tools
  qemu-system-x86 busybox-static kmod cpio iproute2 xz-utils zstd python3
  # crash and power-loss trials: dm-delay / dm-log-writes through dmsetup; the media file systems
  dmsetup e2fsprogs xfsprogs util-linux
  # the rados: backend (librados) and the throw-away one-node cluster of its tests
  # (tests/ceph/cluster.sh: mon + OSD, no mgr); ceph-osd needs libfuse2: keep it
  librados-dev ceph-mon ceph-osd ceph-common
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

# Bacula's daemons, the MTA that bsd-mailx pulls in and Amanda's inetd start as
# services on install. The VM tests run their own copies in the guest; on the host
# they would only hold ports and tape devices, so they are stopped and disabled.
host_services=(bacula-director bacula-sd bacula-fd exim4 openbsd-inetd inetd)
for s in "${host_services[@]}"; do
  if [ -d /run/systemd/system ] && systemctl list-unit-files "$s.service" >/dev/null 2>&1; then
    systemctl disable --now "$s.service" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$s" ]; then
    "/etc/init.d/$s" stop >/dev/null 2>&1 || true
    update-rc.d "$s" disable >/dev/null 2>&1 || true
  fi
done
echo "install-deps: all ${#packages[@]} packages present"
