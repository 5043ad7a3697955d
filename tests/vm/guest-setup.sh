# Guest-side helpers (bash, sourced): bring up LIO + tcmu-runner with the vtape
# handler and create tape devices by hand through configfs.
#
# Environment (set by the job run-guest.sh generates):
#   VTAPE_BUILD  build directory holding handler/handler_vtape.so
#   VTAPE_WORK   writable directory shared with the host (logs, results)
#
#   vt_boot_setup                 once per boot: modules, configfs, lo, dbus, tcmu-runner
#   vt_runner_start               starts tcmu-runner with the build's handler as a child of
#                                 this shell (VT_RUNNER_PID) and waits until it owns its bus name
#   vt_runner_owns_bus [PID [S]]  waits up to S seconds (30) until a tcmu-runner owns its bus
#                                 name; gives up early when PID is given and dies
#   vt_device_create NAME CFG [MAX_SECTORS]
#                                 a user:vtape device with config string CFG (without
#                                 the "vtape/" prefix) behind a tcm_loop LUN; prints
#                                 the st device number N (/dev/nstN) once st attached
#   vt_device_remove NAME         tears the LUN and the device down again
#   vt_device_reconfig NAME CFG   changes the config string of a live device (media change)
#   vt_sg_of NAME                 prints the /dev/sgN node of the device's LUN
#   vt_library_create NAME DIR [DRIVES [CMODEL [DMODEL]]]
#                                 a library: changer on LUN 0, drives on LUNs 1..N (one target);
#                                 vt_library_changer_sg / vt_library_tape / vt_library_drive_sg /
#                                 vt_library_remove find and tear them down
#   vt_sweep_leftovers            prints and removes what a test left in configfs
#
# Record size: TCMU passes at most hw_max_sectors * 512 bytes per command and a
# tape record cannot be split, so hw_max_sectors limits the largest record. The
# default here, 2048, allows 1 MiB records (LIO's own default 128 = 64 KiB).

VT_CFS=/sys/kernel/config/target
VT_LOG=${VTAPE_WORK:-/run}/tcmu-runner.log
VT_DEFAULT_MAX_SECTORS=${VT_DEFAULT_MAX_SECTORS:-2048}

vt_fail() {
  echo "guest-setup: $*" >&2
  return 1
}

vt_boot_setup() {
  mount -t tmpfs tmpfs /run || return 1
  mkdir -p /run/lock /run/dbus /var/log
  [[ -e /dev/fd ]] || ln -s /proc/self/fd /dev/fd
  local m
  for m in target_core_mod target_core_user tcm_loop st sg sd_mod iscsi_target_mod; do
    modprobe "$m" || vt_fail "modprobe $m failed" || return 1
  done
  mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
  ip link set lo up
  if ip link show eth0 >/dev/null 2>&1; then
    ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0
  fi
  dbus-daemon --system --fork || vt_fail "dbus-daemon failed" || return 1
  # A crashed tcmu-runner (this shell's children and the tests' inherit the
  # limit) leaves its core in the work directory, for gdb on the host, which
  # shares this root filesystem: `gdb /usr/bin/tcmu-runner WORK/core.tcmu-runner.PID`.
  ulimit -c unlimited
  echo "$VTAPE_WORK/core.%e.%p" >/proc/sys/kernel/core_pattern
  [[ -f $VTAPE_BUILD/handler/handler_vtape.so ]] ||
    vt_fail "$VTAPE_BUILD/handler/handler_vtape.so is missing: build the handler_vtape target" ||
    return 1
  : >"$VT_LOG"
  : >"${VT_LOG%/*}/tcmu-runner.out"
  vt_runner_start && return 0
  vt_fail "tcmu-runner did not come up; its log:"
  tail -n 30 "$VT_LOG" "${VT_LOG%/*}/tcmu-runner.out" >&2
  return 1
}

vt_runner_start() {
  local logdir=${VT_LOG%/*}
  tcmu-runner ${VT_RUNNER_DEBUG:+-d} --handler-path "$VTAPE_BUILD/handler" -l "$logdir" \
    >>"$logdir/tcmu-runner.out" 2>&1 &
  VT_RUNNER_PID=$!
  vt_runner_owns_bus "$VT_RUNNER_PID"
}

# Ready when it owns its bus name (targetcli learns the handlers from there).
# NameHasOwner, not a call to the service: that would make dbus-daemon start a
# second tcmu-runner by bus activation, with the default handler path.
vt_runner_owns_bus() {
  local pid=${1:-} deadline=$((SECONDS + ${2:-30}))
  while ((SECONDS < deadline)); do
    dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.kernel.TCMUService1 2>/dev/null |
      grep -q 'boolean true' && return 0
    [[ -z $pid ]] || kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# A stable naa WWN per device name (the host number follows creation order).
vt_wwn_of() {
  printf 'naa.50014059%08x\n' "$(printf '%s' "$1" | cksum | cut -d' ' -f1)"
}

vt_hba_dir() { echo "$VT_CFS/core/user_0"; }

vt_scsi_host_of() {
  local wwn tpg
  wwn=$(vt_wwn_of "$1")
  tpg=$VT_CFS/loopback/$wwn/tpgt_1
  # tcm_loop names the SCSI host of a target in the tpg's "address" attribute (H:C:T).
  [[ -r $tpg/address ]] && cut -d: -f1 "$tpg/address"
}

# Prints N of /dev/nstN for the device's LUN, waiting up to 20 s for st to attach.
vt_wait_tape() {
  local name=$1 host t deadline=$((SECONDS + 20))
  while ((SECONDS < deadline)); do
    host=$(vt_scsi_host_of "$name")
    for t in /sys/class/scsi_tape/nst*; do
      [[ -e $t ]] || continue
      if [[ $(readlink -f "$t/device") == */host$host/* ]]; then
        echo "${t##*/nst}"
        return 0
      fi
    done
    sleep 0.1
  done
  vt_fail "st did not attach to device $name (scsi host ${host:-?}); dmesg:"
  dmesg | tail -n 20 >&2
  return 1
}

vt_sg_of() {
  local host d
  host=$(vt_scsi_host_of "$1")
  for d in /sys/class/scsi_generic/sg*; do
    if [[ $(readlink -f "$d/device") == */host$host/* ]]; then
      echo "/dev/${d##*/}"
      return 0
    fi
  done
  return 1
}

vt_device_create() {
  local name=$1 cfg=$2 sectors=${3:-$VT_DEFAULT_MAX_SECTORS}
  local dev
  dev=$(vt_hba_dir)/$name
  mkdir -p "$dev" || return 1
  # The whole string goes to attrib/dev_config: the control file splits at ','
  # (which rait:{a,b} needs). No trailing newline: it would become part of it.
  printf 'vtape/%s' "$cfg" >"$dev/attrib/dev_config" ||
    vt_fail "config string rejected by the kernel (longer than 255 bytes?)" || return 1
  echo "dev_size=1073741824,hw_max_sectors=$sectors" >"$dev/control" || return 1
  if ! echo 1 >"$dev/enable"; then
    vt_fail "enabling $name failed (the handler refused config '$cfg'); tcmu-runner log:"
    tail -n 5 "$VT_LOG" >&2
    rmdir "$dev"
    return 1
  fi
  local wwn tpg
  wwn=$(vt_wwn_of "$name")
  tpg=$VT_CFS/loopback/$wwn/tpgt_1
  # Nexus first: tcm_loop scans a LUN the moment it is linked, and without an
  # I_T nexus that scan fails ("TCM_Loop I_T Nexus does not exist").
  mkdir -p "$tpg" || return 1
  echo "$wwn" >"$tpg/nexus" || return 1
  mkdir -p "$tpg/lun/lun_0" || return 1
  ln -s "$dev" "$tpg/lun/lun_0/$name" || return 1
  vt_wait_tape "$name"
}

vt_device_reconfig() {
  local name=$1 cfg=$2
  printf 'vtape/%s' "$cfg" >"$(vt_hba_dir)/$name/attrib/dev_config"
}

vt_device_remove() {
  local name=$1 wwn tpg
  wwn=$(vt_wwn_of "$name")
  tpg=$VT_CFS/loopback/$wwn/tpgt_1
  if [[ -d $tpg ]]; then
    # LUN first: tcm_loop refuses to drop a nexus while a port is linked.
    rm -f "$tpg/lun/lun_0/$name"
    rmdir "$tpg/lun/lun_0" 2>/dev/null
    echo NULL >"$tpg/nexus" 2>/dev/null
    rmdir "$tpg" "$VT_CFS/loopback/$wwn" 2>/dev/null
  fi
  rmdir "$(vt_hba_dir)/$name" 2>/dev/null
}

# A library by hand in configfs: the changer on LUN 0 and drives 0..N-1 on LUNs
# 1..N of one tcm_loop target (as configs/tcm-loop-library.sh does with targetcli).
#   vt_library_create NAME DIR [DRIVES [CHANGER_MODEL [DRIVE_MODEL]]]
# DIR without a library gets one (`vtape library create`: DRIVES [2] drives,
# VT_LIBRARY_SLOTS [10] slots, VT_LIBRARY_IE [1] mail slots, VT_LIBRARY_BARCODES
# [A00001L8:10], VT_LIBRARY_CAPACITY [256M], VT_LIBRARY_EARLY_WARNING [vtape's
# default]); DRIVES defaults to the library's.
# Devices are NAME_changer and NAME_drive0 ..; waits until st attached to every
# drive, then prints "changer /dev/sgN" and one "drive I /dev/nstN" line per drive.
vt_library_create() {
  local name=$1 dir=$2 drives=${3:-} cmodel=${4:-generic} dmodel=${5:-generic}
  local hba wwn tpg i dev cfg
  if [[ ! -f $dir/state.json ]]; then
    "$VTAPE_BUILD/tools/vtape" library create "$dir" --drives "${drives:-2}" \
      --slots "${VT_LIBRARY_SLOTS:-10}" --ie "${VT_LIBRARY_IE:-1}" \
      --barcodes "${VT_LIBRARY_BARCODES:-A00001L8:10}" \
      --capacity "${VT_LIBRARY_CAPACITY:-256M}" \
      ${VT_LIBRARY_EARLY_WARNING:+--early-warning "$VT_LIBRARY_EARLY_WARNING"} >/dev/null ||
      return 1
  fi
  [[ -n $drives ]] || drives=$(jq -r .layout.drives "$dir/state.json") || return 1
  hba=$(vt_hba_dir)
  wwn=$(vt_wwn_of "$name")
  tpg=$VT_CFS/loopback/$wwn/tpgt_1
  mkdir -p "$tpg" || return 1
  echo "$wwn" >"$tpg/nexus" || return 1
  for ((i = -1; i < drives; i++)); do
    if ((i < 0)); then
      dev=$hba/${name}_changer cfg="library=$dir;role=changer;model=$cmodel"
    else
      dev=$hba/${name}_drive$i cfg="library=$dir;drive=$i;model=$dmodel"
    fi
    mkdir -p "$dev" || return 1
    printf 'vtape/%s' "$cfg" >"$dev/attrib/dev_config" || return 1
    echo "dev_size=1073741824,hw_max_sectors=$VT_DEFAULT_MAX_SECTORS" >"$dev/control" || return 1
    if ! echo 1 >"$dev/enable"; then
      vt_fail "enabling ${dev##*/} failed (config '$cfg'); tcmu-runner log:"
      tail -n 5 "$VT_LOG" >&2
      return 1
    fi
    mkdir -p "$tpg/lun/lun_$((i + 1))" || return 1
    ln -s "$dev" "$tpg/lun/lun_$((i + 1))/${dev##*/}" || return 1
  done
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if [[ $(vt_library_tape "$name" $((drives - 1)) 2>/dev/null) ]] &&
      [[ $(vt_library_changer_sg "$name" 2>/dev/null) ]]; then
      echo "changer $(vt_library_changer_sg "$name")"
      for ((i = 0; i < drives; i++)); do echo "drive $i $(vt_library_tape "$name" "$i")"; done
      return 0
    fi
    sleep 0.2
  done
  vt_fail "st did not attach to the drives of library $name; dmesg:"
  dmesg | tail -n 20 >&2
  return 1
}

# The sysfs SCSI device (H:C:T:L) of LUN $2 of library $1's target.
vt_library_lun_device() {
  local host d
  host=$(vt_scsi_host_of "$1") || return 1
  for d in /sys/bus/scsi/devices/"$host":*:*:"$2"; do
    [[ -e $d ]] && { echo "$d"; return 0; }
  done
  return 1
}

# /dev/sgN of library $1's changer (LUN 0).
vt_library_changer_sg() {
  local d
  d=$(vt_library_lun_device "$1" 0) || return 1
  for d in "$d"/scsi_generic/sg*; do
    [[ -e $d ]] && { echo "/dev/${d##*/}"; return 0; }
  done
  return 1
}

# /dev/nstN of library $1's drive $2 (LUN $2 + 1).
vt_library_tape() {
  local d
  d=$(vt_library_lun_device "$1" $(($2 + 1))) || return 1
  for d in "$d"/scsi_tape/nst*; do
    [[ -e $d ]] && { echo "/dev/${d##*/}"; return 0; }
  done
  return 1
}

# /dev/sgN of library $1's drive $2.
vt_library_drive_sg() {
  local d
  d=$(vt_library_lun_device "$1" $(($2 + 1))) || return 1
  for d in "$d"/scsi_generic/sg*; do
    [[ -e $d ]] && { echo "/dev/${d##*/}"; return 0; }
  done
  return 1
}

# Tears library $1 (DRIVES $2) down: LUNs, nexus, target, devices.
vt_library_remove() {
  local name=$1 drives=$2 wwn tpg l f i
  wwn=$(vt_wwn_of "$name")
  tpg=$VT_CFS/loopback/$wwn/tpgt_1
  if [[ -d $tpg ]]; then
    for l in "$tpg"/lun/lun_*; do
      [[ -d $l ]] || continue
      for f in "$l"/*; do [[ -L $f ]] && rm -f "$f"; done
      rmdir "$l" 2>/dev/null
    done
    echo NULL >"$tpg/nexus" 2>/dev/null
    rmdir "$tpg" "$VT_CFS/loopback/$wwn" 2>/dev/null
  fi
  rmdir "$(vt_hba_dir)/${name}_changer" 2>/dev/null
  for ((i = 0; i < drives; i++)); do rmdir "$(vt_hba_dir)/${name}_drive$i" 2>/dev/null; done
  return 0
}

# Prints what a test left in configfs (tcm_loop targets, user: devices), one
# per line, and tears it down so that the next test starts from nothing.
vt_sweep_leftovers() {
  local t l f d
  for t in "$VT_CFS"/loopback/naa.*; do
    [[ -d $t ]] || continue
    echo "loopback target ${t##*/}"
    for l in "$t"/tpgt_1/lun/lun_*; do
      for f in "$l"/*; do [[ -L $f ]] && rm -f "$f"; done
      rmdir "$l" 2>/dev/null
    done
    echo NULL >"$t/tpgt_1/nexus" 2>/dev/null
    rmdir "$t/tpgt_1" "$t" 2>/dev/null
  done
  for d in "$VT_CFS"/core/user_*/*/; do
    [[ -d $d && ${d%/} != */hba_* ]] || continue
    echo "user device ${d%/}"
    rmdir "${d%/}" 2>/dev/null
  done
  return 0
}

# vt_doc_subset KIB: the first directories of /usr/share/doc in name order, as
# absolute paths, until their size passes KIB KiB (a tree of every kind and size
# of file; du per entry stops early, one du over all of it costs minutes under TCG).
vt_doc_subset() {
  local max=$1 total=0 d kib
  for d in /usr/share/doc/*; do
    kib=$(du -s --block-size=1K -- "$d" | cut -f1)
    echo "$d"
    total=$((total + kib))
    ((total > max)) && break
  done
}
