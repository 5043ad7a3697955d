#!/bin/bash
# cluster.sh -- a throw-away one-node Ceph cluster for vtape's rados: tests.
#
#   cluster.sh up DIR     starts 1 mon + 1 OSD (memstore, or bluestore on a sparse file), cephx,
#                         loopback only, pool "vtape" of size 1, everything under DIR; prints
#                         CEPH_CONF=DIR/ceph.conf, CEPH_KEYRING=..., CEPH_POOL=... and exits 0
#                         once the pool answers a put/stat/rm. Startup times go to stderr.
#   cluster.sh down DIR   stops DIR's daemons (by pid, only if they run with -c DIR/ceph.conf)
#                         and removes DIR.
#   cluster.sh check      exit 0 when the Ceph daemons are installed, 77 (ctest's skip) if not.
#
# DIR must be short (<= 80 characters: unix socket paths hold 107 bytes), e.g. a
# `mktemp -d /var/tmp/vtc.XXXXXX`. No systemd, no mgr (rados I/O, locks and omap need none).
# Knobs: CEPH_STORE=memstore|bluestore, CEPH_POOL=vtape, CEPH_PG=8, CEPH_PORT=N (mon v2 port;
# v1 is N+1, daemons N+2..N+99; default a random free base), CEPH_NICE=10, CEPH_TIMEOUT=120.
# Packages: ceph-mon ceph-osd ceph-common (tests/install-deps.sh).
set -euo pipefail
# Ceph tools honour these (CEPH_KEYRING even overrides the conf's keyring): use only ours.
unset CEPH_CONF CEPH_KEYRING CEPH_ARGS

NEED="ceph ceph-mon ceph-osd ceph-authtool monmaptool rados uuidgen ss"

check() {
  local b
  for b in $NEED; do
    command -v "$b" >/dev/null || {
      echo "cluster.sh: $b missing: apt-get install --no-install-recommends ceph-mon ceph-osd ceph-common" >&2
      return 77
    }
  done
}

up() {
  local DIR STORE POOL PG NICE TMO P CONF KEYRING FSID MONADDR T0
  DIR=$(realpath -m "$1")
  STORE=${CEPH_STORE:-memstore} POOL=${CEPH_POOL:-vtape} PG=${CEPH_PG:-8}
  NICE=${CEPH_NICE:-10} TMO=${CEPH_TIMEOUT:-120}
  case $STORE in memstore|bluestore) ;; *) echo "CEPH_STORE: memstore or bluestore" >&2; return 2;; esac
  [ ${#DIR} -le 80 ] || { echo "cluster.sh: $DIR longer than 80 characters" >&2; return 2; }
  if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
    echo "cluster.sh: $DIR exists and is not empty" >&2; return 2
  fi
  check || return $?

  port_free() { ! ss -Htan "( sport = :$1 )" | grep -q .; }
  if [ -n "${CEPH_PORT:-}" ]; then P=$CEPH_PORT; else
    for _ in $(seq 50); do
      P=$(( 10000 + (RANDOM % 227) * 100 ))
      port_free $P && port_free $((P+1)) && break
    done
  fi
  port_free $P && port_free $((P+1)) || { echo "cluster.sh: port $P or $((P+1)) busy" >&2; return 1; }

  T0=$(date +%s.%N)
  step() { awk -v a="$T0" -v b="$(date +%s.%N)" -v m="$1" 'BEGIN{printf "cluster.sh: %5.1f s %s\n", b-a, m}' >&2; }
  fail() {
    echo "cluster.sh: FAILED: $*" >&2
    local f; for f in "$DIR"/log/*; do [ -f "$f" ] && { echo "--- tail $f" >&2; tail -n 15 "$f" >&2; }; done
    down "$DIR"; exit 1
  }
  trap 'fail "command failed (line $LINENO)"' ERR

  mkdir -p "$DIR"/{run,log,crash,tmp,mon/a,osd/0}
  CONF=$DIR/ceph.conf KEYRING=$DIR/keyring FSID=$(uuidgen)
  MONADDR="[v2:127.0.0.1:$P,v1:127.0.0.1:$((P+1))]"
  cat > "$CONF" <<CONF
[global]
fsid = $FSID
mon host = $MONADDR
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind port min = $((P+2))
ms bind port max = $((P+99))
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
run dir = $DIR/run
crash dir = $DIR/crash
tmp dir = $DIR/tmp
pid file = $DIR/run/\$name.pid
mon data = $DIR/mon/\$id
osd data = $DIR/osd/\$id
mon cluster log file = $DIR/log/\$cluster.\$channel.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
osd objectstore = $STORE
memstore device bytes = 4294967296
bluestore block size = 10737418240
osd memory target = 1073741824
osd crush initial weight = 1

[mon]
log file = $DIR/log/\$name.log
[osd]
log file = $DIR/log/\$name.log
[client]
keyring = $KEYRING
log file =
CONF
  ceph-authtool --create-keyring "$KEYRING" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool --create-keyring "$DIR/tmp/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$DIR/tmp/mon.keyring" --import-keyring "$KEYRING" >/dev/null
  monmaptool --create --fsid "$FSID" --addv a "$MONADDR" "$DIR/tmp/monmap" >/dev/null

  C() { ceph -c "$CONF" --connect-timeout 15 "$@"; }
  wait_for() { # wait_for SECONDS WHAT CMD...
    local t=$1 what=$2; shift 2; local end=$(( $(date +%s) + t ))
    until "$@" >/dev/null 2>&1; do
      [ "$(date +%s)" -lt $end ] || fail "timeout ($t s) waiting for $what"
      sleep 0.5
    done
  }
  # Ceph daemons fork themselves and write DIR/run/NAME.pid; the parent returns once the child
  # has initialised.
  daemon() { local name=$1; shift; nice -n "$NICE" "$@" 2>>"$DIR/log/$name.stderr" || fail "$name did not start"; }

  ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/tmp/monmap" --keyring "$DIR/tmp/mon.keyring" \
    2>>"$DIR/log/mon.a.stderr"
  daemon mon.a ceph-mon -c "$CONF" -i a
  wait_for "$TMO" "mon" C mon stat
  step "mon up (port $P)"

  local OSD_UUID OSD_KEY ID
  OSD_UUID=$(uuidgen) OSD_KEY=$(ceph-authtool --gen-print-key)
  ID=$(echo "{\"cephx_secret\": \"$OSD_KEY\"}" | C osd new "$OSD_UUID" -i -)
  [ "$ID" = 0 ] || fail "unexpected osd id '$ID'"
  ceph-authtool --create-keyring "$DIR/osd/0/keyring" --name osd.0 --add-key "$OSD_KEY" >/dev/null
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" 2>>"$DIR/log/osd.0.stderr" || fail "ceph-osd --mkfs"
  daemon osd.0 ceph-osd -c "$CONF" -i 0
  osd_up() { C osd dump | grep -q '^osd\.0 up'; }
  wait_for "$TMO" "osd.0 up" osd_up
  step "osd.0 up ($STORE)"

  C osd pool create "$POOL" "$PG" "$PG" replicated >/dev/null 2>&1 || fail "pool create"
  [ "$(C osd pool get "$POOL" size -f json | grep -o '"size":[0-9]*')" = '"size":1' ] \
    || C osd pool set "$POOL" size 1 --yes-i-really-mean-it >/dev/null 2>&1
  C osd pool application enable "$POOL" rados >/dev/null 2>&1
  probe() {
    local R="rados -c $CONF -p $POOL --rados-osd-op-timeout 5"
    $R put .cluster-probe "$CONF" && $R stat .cluster-probe && $R rm .cluster-probe
  }
  wait_for "$TMO" "pool $POOL" probe
  rm -f "$DIR/tmp/mon.keyring" "$DIR/tmp/monmap"
  step "pool $POOL answers"
  trap - ERR
  echo "CEPH_CONF=$CONF"
  echo "CEPH_KEYRING=$KEYRING"
  echo "CEPH_POOL=$POOL"
}

# The pid of DIR's daemon NAME if it runs with -c DIR/ceph.conf (guards against pid reuse).
ours() {
  local pid
  pid=$(cat "$1/run/$2.pid" 2>/dev/null) || return 0
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  tr '\0' ' ' 2>/dev/null </proc/"$pid"/cmdline | grep -qF -- "-c $1/ceph.conf" && echo "$pid"
}
# A zombie counts as gone (PID 1 may reap it late).
alive() {
  local p st
  for p in "$@"; do
    st=$(cut -d' ' -f3 /proc/"$p"/stat 2>/dev/null)
    [ -n "$st" ] && [ "$st" != Z ] && return 0
  done
  return 1
}
stop() { # TERM, wait CEPH_DOWN_GRACE (3) s, KILL
  [ $# -gt 0 ] || return 0
  local grace=${CEPH_DOWN_GRACE:-3} i
  kill -TERM "$@" 2>/dev/null
  for ((i = 0; i < grace * 20; i++)); do alive "$@" || return 0; sleep 0.05; done
  kill -KILL "$@" 2>/dev/null
  for ((i = 0; i < 100; i++)); do alive "$@" || return 0; sleep 0.05; done
  echo "cluster.sh: $* still alive" >&2; return 1
}

down() {
  local DIR p
  DIR=$(realpath -m "$1")
  [ -d "$DIR" ] || return 0
  [ -f "$DIR/ceph.conf" ] || { echo "cluster.sh: $DIR has no ceph.conf: not removing it" >&2; return 2; }
  # The OSD first (it waits for the mon's ack when told to stop), then the mon.
  p=$(ours "$DIR" osd.0); stop $p || return 1
  p=$(ours "$DIR" mon.a); stop $p || return 1
  rm -rf "$DIR"
}

# osd-stop DIR / osd-start DIR: for fault tests (the OSD killed mid-write, then back).
osd_stop() {
  local DIR p; DIR=$(realpath -m "$1")
  p=$(ours "$DIR" osd.0); [ -n "$p" ] && kill -KILL $p
  while [ -n "$p" ] && alive $p; do sleep 0.05; done
}
osd_start() {
  local DIR; DIR=$(realpath -m "$1")
  nice -n "${CEPH_NICE:-10}" ceph-osd -c "$DIR/ceph.conf" -i 0 2>>"$DIR/log/osd.0.stderr"
}

case ${1:-} in
  up) [ $# -eq 2 ] || { echo "usage: $0 up DIR" >&2; exit 2; }; up "$2" ;;
  down) [ $# -eq 2 ] || { echo "usage: $0 down DIR" >&2; exit 2; }; down "$2" ;;
  osd-stop) osd_stop "$2" ;;
  osd-start) osd_start "$2" ;;
  check) check ;;
  *) echo "usage: $0 up DIR | down DIR | osd-stop DIR | osd-start DIR | check" >&2; exit 2 ;;
esac
