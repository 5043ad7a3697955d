# Amanda in the guest (bash, sourced after assert.sh): Debian's amanda-server and
# amanda-client, one configuration under /etc/amanda (the guest's /etc is a tmpfs
# overlay), every Amanda command run as the dump user `backup` (Amanda refuses
# root). The client is this machine with auth "local": amdump starts amandad
# itself, no inetd needed. Dumps go through a holding disk, so the taper can split
# them into parts and continue a dump on the next cartridge at end of medium.
#
#   amanda_configure CONF DIR CHANGER LENGTH_MB RUNTAPES DISK...
#       writes /etc/amanda/CONF/{amanda.conf,disklist}; state, logs and the holding
#       disk under DIR (owned by backup). CHANGER is the amanda.conf text that names
#       the changer, e.g. 'tpchanger "tape:/dev/nst0"' or a `define changer` block
#       followed by 'tpchanger "NAME"'. LENGTH_MB is the tapetype's length (what the
#       planner assumes, not what the drive enforces), RUNTAPES how many cartridges
#       one amdump may use and the tapecycle (with a smaller tapecycle a
#       fast-searchable changer such as chg-robot offers the taper the volume this
#       very run just filled as "oldest reusable", and the taper overwrites the
#       dump's first parts). Each DISK (an absolute path) becomes a disklist entry
#       of localhost with a GNU tar dumptype.
#   amanda_as_backup CMD [ARGS...]  runs CMD as user backup (groups: backup, disk, tape)
#   amanda_dev_access DEV...        lets the tape group use device nodes (devtmpfs
#                                   makes /dev/nstN and /dev/sgN root-only 0600)
#   amanda_part_size_mb             the part size the tapetype splits dumps into

AMANDA_PART_MB=${AMANDA_PART_MB:-1}

amanda_as_backup() {
  # From /: the caller's directory may be closed to the backup user (a build
  # tree under a 0700 mktemp directory), and amfetchdump changes back into it.
  (cd / && setpriv --reuid=backup --regid=backup --init-groups env HOME=/var/backups "$@")
}

amanda_dev_access() {
  chgrp tape "$@" && chmod 660 "$@"
}

amanda_configure() {
  local conf=$1 dir=$2 changer=$3 length=$4 runtapes=$5
  shift 5
  local etc=/etc/amanda/$conf d
  mkdir -p "$etc" "$dir"/{curinfo,log,index,holding} || return 1
  cat >"$etc/amanda.conf" <<EOF
org "$conf"
dumpuser "backup"
inparallel 1
netusage 100000 Kbps
dumpcycle 0 days
runspercycle 1
tapecycle $runtapes tapes
runtapes $runtapes
labelstr "^VT-[0-9]+$"
infofile "$dir/curinfo"
logdir "$dir/log"
indexdir "$dir/index"
tapelist "$dir/tapelist"

$changer

define tapetype VTAPE {
  length $length mbytes
  filemark 4 kbytes
  part-size $AMANDA_PART_MB mbytes
  part-cache-type none
}
tapetype "VTAPE"

holdingdisk hd {
  directory "$dir/holding"
  use 200 mbytes
  chunksize 0
}

define dumptype vt-tar {
  program "GNUTAR"
  auth "local"
  compress none
  index yes
  record no
  holdingdisk required
}
EOF
  : >"$etc/disklist"
  for d in "$@"; do echo "localhost $d vt-tar" >>"$etc/disklist"; done
  : >"$dir/tapelist"
  # amindexd/amidxtaped and amandad check the caller against .amandahosts.
  printf 'localhost backup amdump\nlocalhost root amindexd amidxtaped\n' >/etc/amandahosts
  chown -R backup:backup "$etc" "$dir" /etc/amandahosts && chmod 600 /etc/amandahosts
}
