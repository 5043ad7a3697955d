# LTFS helpers for guest scripts (tests/vm/t_ltfs.sh, bench/vm_ltfs_guest.sh).
# The caller sets ltfs_bin (PREFIX/bin), mnt (the mount point) and cmd_limit
# (seconds any one LTFS step may take).

# ltfs in the foreground (-f) as our own child, so that we know its pid and can
# wait for it: after umount LTFS still writes the index and exits on its own.
LTFS_PID=
ltfs_mount() { # SG LOG
  LTFS_PID=
  "$ltfs_bin/ltfs" -f -o devname="$1" "$mnt" >>"$2" 2>&1 &
  local pid=$! i
  for i in $(seq $((cmd_limit * 2))); do
    mountpoint -q "$mnt" && { LTFS_PID=$pid; return 0; }
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; return 1; }
    sleep 0.5
  done
  kill -KILL "$pid"
  wait "$pid"
  return 1
}
# Call it directly, never through expect_ok: that runs its command in a $( )
# subshell, of which LTFS is not a child, and bash's wait there returns 255
# whatever LTFS's exit status was.
ltfs_umount() { # waits for LTFS to write its index and exit; returns its status
  umount "$mnt" || return 1
  [[ -n $LTFS_PID ]] || return 1
  local i
  for i in $(seq $((cmd_limit * 2))); do kill -0 "$LTFS_PID" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$LTFS_PID" 2>/dev/null
  wait "$LTFS_PID"
  local rc=$?
  LTFS_PID=
  return $rc
}
