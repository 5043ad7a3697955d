# Bacula in the guest (bash, sourced after assert.sh): Debian's bacula-dir
# (sqlite3 catalog), bacula-sd and bacula-fd run as root from configs generated
# into a scratch directory, and bconsole talks to the director. No systemd in the
# guest: the daemons are started in the foreground as background jobs.
#
#   bacula_configure DIR TREE...   writes DIR/{bacula-dir,bacula-sd,bacula-fd,bconsole}.conf
#                                  and the sqlite3 catalog DIR/work/bacula.db; the FileSet
#                                  backs up every TREE (absolute paths). The storage is
#                                  chosen by variables set before the call:
#       BACULA_TAPE=/dev/nstN      one standalone drive (no changer), or
#       BACULA_CHANGER=CTL BACULA_CHANGER_CMD=SCRIPT BACULA_DRIVES="/dev/nstA /dev/nstB"
#                                  an Autochanger: SCRIPT is called as Bacula calls
#                                  mtx-changer ("SCRIPT %c %o %S %a %d"), CTL is its
#                                  changer device (%c), drive i is the i-th of BACULA_DRIVES.
#       BACULA_MEDIA_TYPE          Media Type of the drives and volumes (default LTO-8)
#       BACULA_BLOCK_SIZE          the drives' Maximum Block Size (default: Bacula's, 64512)
#   bacula_start DIR               starts the three daemons, waits until bconsole answers
#   bacula_stop DIR                stops them (SIGTERM, then waits)
#   bcon DIR COMMANDS              runs bconsole with COMMANDS on stdin; output on stdout
#   bacula_sql DIR SQL             queries the catalog (sqlite3, "|"-separated)
#   bacula_wait_job DIR JOBID      waits for the job; prints its JobStatus (T = OK)
#   bacula_job_volumes DIR JOBID   the volume names the job wrote, in order
#
# Daemon logs: DIR/log (the Messages resources) and DIR/*.out (stdout/stderr).

BACULA_SCHEMA=/usr/share/dbconfig-common/data/bacula-director-sqlite3/install/sqlite3

bacula_configure() {
  local dir=$1
  shift
  local media=${BACULA_MEDIA_TYPE:-LTO-8} t
  mkdir -p "$dir/work" "$dir/run" "$dir/restore" || return 1
  : >"$dir/log"
  # Bacula's sqlite3 backend opens WorkingDirectory/<dbname>.db.
  sqlite3 "$dir/work/bacula.db" <"$BACULA_SCHEMA" || return 1

  local files=
  for t in "$@"; do files+="    File = \"$t\""$'\n'; done

  local storage_device autochanger=no devices=
  if [[ -n ${BACULA_CHANGER:-} ]]; then
    autochanger=yes storage_device=Library
    local i=0 d names=
    for d in $BACULA_DRIVES; do
      devices+=$(bacula_device_resource "Drive-$i" "$d" "$media" "
  Autochanger = yes
  Drive Index = $i
  Changer Device = \"$BACULA_CHANGER\"
  Changer Command = \"$BACULA_CHANGER_CMD %c %o %S %a %d\"")
      names+="${names:+, }Drive-$i"
      i=$((i + 1))
    done
    devices+="
Autochanger {
  Name = Library
  Device = $names
  Changer Device = \"$BACULA_CHANGER\"
  Changer Command = \"$BACULA_CHANGER_CMD %c %o %S %a %d\"
}"
  else
    storage_device=Drive-0
    devices=$(bacula_device_resource Drive-0 "$BACULA_TAPE" "$media" "")
  fi

  cat >"$dir/bacula-dir.conf" <<EOF
Director {
  Name = vt-dir
  DIRport = 9101
  DirAddress = 127.0.0.1
  QueryFile = "/etc/bacula/scripts/query.sql"
  WorkingDirectory = "$dir/work"
  PidDirectory = "$dir/run"
  Maximum Concurrent Jobs = 1
  Password = "vt-console-pw"
  Messages = Daemon
}
Job {
  Name = Backup
  Type = Backup
  Level = Full
  Client = vt-fd
  FileSet = Tree
  Storage = Tape
  Pool = Default
  Messages = Standard
  Write Bootstrap = "$dir/work/%n.bsr"
}
Job {
  Name = Restore
  Type = Restore
  Client = vt-fd
  FileSet = Tree
  Storage = Tape
  Pool = Default
  Messages = Standard
  Where = "$dir/restore"
}
FileSet {
  Name = Tree
  Include {
    Options {
      signature = MD5
    }
$files  }
}
Client {
  Name = vt-fd
  Address = 127.0.0.1
  FDPort = 9102
  Catalog = Catalog
  Password = "vt-fd-pw"
  AutoPrune = no
}
Storage {
  Name = Tape
  Address = 127.0.0.1
  SDPort = 9103
  Password = "vt-sd-pw"
  Device = $storage_device
  Media Type = $media
  Autochanger = $autochanger
}
Catalog {
  Name = Catalog
  dbname = "bacula"; dbuser = ""; dbpassword = ""
}
Messages {
  Name = Standard
  console = all, !skipped, !saved
  append = "$dir/log" = all, !skipped
  catalog = all
}
Messages {
  Name = Daemon
  console = all, !skipped, !saved
  append = "$dir/log" = all, !skipped
}
Pool {
  Name = Default
  Pool Type = Backup
  Recycle = no
  AutoPrune = no
  Volume Retention = 365 days
}
Pool {
  Name = Scratch
  Pool Type = Backup
}
EOF

  cat >"$dir/bacula-sd.conf" <<EOF
Storage {
  Name = vt-sd
  SDPort = 9103
  SDAddress = 127.0.0.1
  WorkingDirectory = "$dir/work"
  Pid Directory = "$dir/run"
  Plugin Directory = "/usr/lib/bacula"
  Maximum Concurrent Jobs = 1
}
Director {
  Name = vt-dir
  Password = "vt-sd-pw"
}
$devices
Messages {
  Name = Standard
  director = vt-dir = all
}
EOF

  cat >"$dir/bacula-fd.conf" <<EOF
FileDaemon {
  Name = vt-fd
  FDport = 9102
  FDAddress = 127.0.0.1
  WorkingDirectory = "$dir/work"
  Pid Directory = "$dir/run"
  Plugin Directory = "/usr/lib/bacula"
}
Director {
  Name = vt-dir
  Password = "vt-fd-pw"
}
Messages {
  Name = Standard
  director = vt-dir = all, !skipped, !restored
}
EOF

  cat >"$dir/bconsole.conf" <<EOF
Director {
  Name = vt-dir
  DIRport = 9101
  address = 127.0.0.1
  Password = "vt-console-pw"
}
EOF
  local d
  for d in dir sd fd; do
    "bacula-$d" -t -c "$dir/bacula-$d.conf" >"$dir/check-$d.out" 2>&1 ||
      { echo "bacula-$d rejects its config:" >&2; cat "$dir/check-$d.out" >&2; return 1; }
  done
}

# bacula_device_resource NAME ARCHIVE_DEVICE MEDIA_TYPE EXTRA_LINES
bacula_device_resource() {
  cat <<EOF

Device {
  Name = $1
  Media Type = $3
  Archive Device = $2
  Device Type = Tape
  AutomaticMount = yes
  AlwaysOpen = yes
  RemovableMedia = yes
  RandomAccess = no${BACULA_BLOCK_SIZE:+
  Maximum Block Size = $BACULA_BLOCK_SIZE}$4
}
EOF
}

bacula_start() {
  local dir=$1 d
  for d in sd fd dir; do
    "bacula-$d" -f -c "$dir/bacula-$d.conf" >"$dir/$d.out" 2>&1 &
    echo $! >"$dir/$d.pid"
  done
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    if bcon "$dir" "status dir" 2>/dev/null | grep -q "^vt-dir"; then return 0; fi
    sleep 1
  done
  echo "bacula did not come up; daemon output:" >&2
  tail -n 20 "$dir"/*.out >&2
  return 1
}

bacula_stop() {
  local dir=$1 d pid
  for d in dir fd sd; do
    [[ -f $dir/$d.pid ]] || continue
    pid=$(cat "$dir/$d.pid")
    kill "$pid" 2>/dev/null
    # Not this shell's child (the daemons fork): poll until it is gone, since a
    # storage daemon that still holds a drive open keeps its device in configfs.
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    rm -f "$dir/$d.pid"
  done
}

bcon() {
  printf '%s\n' "$2" | timeout 600 bconsole -n -c "$1/bconsole.conf" 2>&1
}

bacula_sql() {
  sqlite3 "$1/work/bacula.db" "$2"
}

bacula_wait_job() {
  local dir=$1 jobid=$2
  # An empty id would make "wait" wait for every job.
  [[ $jobid =~ ^[0-9]+$ ]] || { echo "no-job"; return 1; }
  bcon "$dir" "wait jobid=$jobid" >/dev/null
  bacula_sql "$dir" "SELECT JobStatus FROM Job WHERE JobId=$jobid"
}

bacula_job_volumes() {
  bacula_sql "$1" "SELECT VolumeName FROM JobMedia JOIN Media USING (MediaId)
    WHERE JobId=$2 GROUP BY VolumeName ORDER BY MIN(JobMediaId)"
}
