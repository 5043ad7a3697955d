# Guest-side helpers shared by the targetcli and iSCSI tests (bash, sourced after
# guest-setup.sh). Drives set up with targetcli are found by their LIO names.
#
#   vt_nst_of_loop NAA LUN      N of /dev/nstN for LUN of the tcm_loop target NAA
#   vt_sg_of_loop NAA LUN       /dev/sgN of the same LUN
#   vt_nst_of_iscsi             N of /dev/nstN of the first tape behind an iSCSI session
#   vt_targetcli_batch          runs stdin's commands in one targetcli (no autosave)
#   vt_network_up               eth0 at 10.0.2.15 (QEMU user networking, hostfwd target)
#   vt_tar_round_trip TAPE TMP  tar of /usr/share/doc/mt-st onto TAPE (at BOT), read back two ways
# The lookups wait up to 20 s for the kernel to attach st/sg.

# The SCSI host:channel:target:lun of each nst/sg node, from sysfs.
vt_hctl_of() { local d; d=$(readlink -f "$1/device") && echo "${d##*/}"; }

vt_find_class_node() {  # CLASS PREFIX HOST LUN -> node name (nst3 / sg2)
  local class=$1 prefix=$2 host=$3 lun=$4 t name
  for t in /sys/class/$class/$prefix*; do
    name=${t##*/}
    [[ $name =~ ^$prefix[0-9]+$ ]] || continue  # skip st's a/l/m variants
    [[ $(vt_hctl_of "$t") == "$host":*:*:"$lun" ]] && { echo "$name"; return 0; }
  done
  return 1
}

vt_loop_host() { cut -d: -f1 "$VT_CFS/loopback/$1/tpgt_1/address" 2>/dev/null; }

vt_nst_of_loop() {
  local naa=$1 lun=$2 i node
  for ((i = 0; i < 200; i++)); do
    node=$(vt_find_class_node scsi_tape nst "$(vt_loop_host "$naa")" "$lun") &&
      { echo "${node#nst}"; return 0; }
    sleep 0.1
  done
  vt_fail "no st device for $naa LUN $lun"
}

vt_sg_of_loop() {
  local node
  node=$(vt_find_class_node scsi_generic sg "$(vt_loop_host "$1")" "$2") && echo "/dev/$node"
}

vt_nst_of_iscsi() {
  local i t name
  for ((i = 0; i < 200; i++)); do
    for t in /sys/class/scsi_tape/nst*; do
      name=${t##*/}
      [[ $name =~ ^nst[0-9]+$ ]] || continue
      [[ $(readlink -f "$t/device") == */session*/* ]] && { echo "${name#nst}"; return 0; }
    done
    sleep 0.1
  done
  vt_fail "no st device behind an iSCSI session"
}

# targetcli starts in seconds under TCG, so tests batch their commands. The
# shell carries on after a failed command: callers check the outcome.
vt_targetcli_batch() {
  { echo "set global auto_save_on_exit=false"; cat; echo exit; } | targetcli 2>&1
}

# The guest has no udev, so nothing loads virtio_net by itself; QEMU's hostfwd
# delivers to 10.0.2.15, the address user networking expects the guest to have.
vt_network_up() {
  local i
  ip link show eth0 >/dev/null 2>&1 || modprobe virtio_net || vt_fail "modprobe virtio_net" || return 1
  for ((i = 0; i < 50; i++)); do ip link show eth0 >/dev/null 2>&1 && break; sleep 0.1; done
  ip link set eth0 up || vt_fail "no eth0" || return 1
  ip -4 addr show dev eth0 | grep -q 10.0.2.15 || ip addr add 10.0.2.15/24 dev eth0
}

# The tar round trip the iSCSI tests share: the archive goes onto TAPE (the
# caller has it at BOT), comes back byte for byte with dd, then extracts equal to
# the originals. /usr/share/doc/mt-st: small, always there (mt-st is installed
# for these tests). TMP is the test's scratch directory.
vt_tar_round_trip() {
  local tape=$1 tmp=$2
  expect_ok "tar archive of /usr/share/doc/mt-st" -- \
    tar -cf "$tmp/orig.tar" -b 20 -C /usr/share/doc mt-st
  expect_ok "tar writes it to $tape" -- tar -cf "$tape" -b 20 -C /usr/share/doc mt-st
  expect_ok "rewind" -- mt -f "$tape" rewind
  expect_ok "the tape holds the archive byte for byte" -- \
    bash -c "dd if=$tape bs=10240 2>/dev/null | cmp - $tmp/orig.tar"
  expect_ok "rewind" -- mt -f "$tape" rewind
  mkdir "$tmp/out"
  expect_ok "tar extracts it from the tape" -- tar -xf "$tape" -b 20 -C "$tmp/out"
  expect_ok "extracted files equal the originals" -- diff -r /usr/share/doc/mt-st "$tmp/out/mt-st"
}
