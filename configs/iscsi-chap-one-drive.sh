#!/bin/sh
# One vtape drive exported over iSCSI with one-way CHAP on 0.0.0.0:3260, open
# only to the listed initiators. Needs tcmu-runner with handler_vtape.so,
# dbus-daemon --system and the iscsi_target_mod module.
#
#   configs/iscsi-chap-one-drive.sh [IMAGE [NAME]]
#     IMAGE  tape image path, created blank if missing; default /var/lib/vtape/iscsi0.img
#     NAME   backstore name, default iscsi0
# Environment (defaults in brackets):
#   VTAPE_TARGET_IQN   [iqn.2026-11.org.vtape:drive0]
#   VTAPE_INITIATORS   space-separated initiator IQNs let in
#                      [iqn.2026-11.org.vtape:host1 iqn.2026-11.org.vtape:host2]
#   VTAPE_CHAP_USER [vtape]  VTAPE_CHAP_SECRET [vtape-secret-12] (12-16 characters
#                      suit every initiator, Microsoft's included)
#   VTAPE_MODEL [ibm-lto8]  VTAPE_MEDIA [LTO-8]  VTAPE_CAPACITY [2G]  VTAPE_SERIAL [VTISCSI0]
#   TARGETCLI [targetcli]
# All commands go to one targetcli process (each start costs seconds); it does
# not stop at a failed command, so the result is checked in configfs afterwards.
set -eu
image=${1:-/var/lib/vtape/iscsi0.img}
name=${2:-iscsi0}
iqn=${VTAPE_TARGET_IQN:-iqn.2026-11.org.vtape:drive0}
initiators=${VTAPE_INITIATORS:-iqn.2026-11.org.vtape:host1 iqn.2026-11.org.vtape:host2}
user=${VTAPE_CHAP_USER:-vtape}
secret=${VTAPE_CHAP_SECRET:-vtape-secret-12}
cfs=/sys/kernel/config/target
tpg=/iscsi/$iqn/tpg1

mkdir -p "$(dirname "$image")"
acl_commands=
for initiator in $initiators; do
  acl_commands="$acl_commands
$tpg/acls create $initiator
$tpg/acls/$initiator set auth userid=$user password=$secret"
done
# authentication=1 makes CHAP mandatory; generate_node_acls=0 lets in only the ACLs.
# targetcli adds the 0.0.0.0:3260 portal itself when it creates the TPG.
out=$(${TARGETCLI:-targetcli} 2>&1 <<COMMANDS
set global auto_save_on_exit=false
/backstores/user:vtape create name=$name size=1G cfgstring=$image;model=${VTAPE_MODEL:-ibm-lto8};serial=${VTAPE_SERIAL:-VTISCSI0};missing=create;media=${VTAPE_MEDIA:-LTO-8};capacity=${VTAPE_CAPACITY:-2G} hw_max_sectors=2048 control=max_data_area_mb=32
/iscsi create $iqn
$tpg/luns create /backstores/user:vtape/$name
$tpg set attribute authentication=1 generate_node_acls=0 demo_mode_write_protect=0
$acl_commands
exit
COMMANDS
) || true
printf '%s\n' "$out"
# LIO answers PERSISTENT RESERVE OUT itself and, even without APTPL, records the
# registrations in DBROOT/pr/aptpl_<unit serial>; while that directory is missing
# every REGISTER fails with NOT READY, LOGICAL UNIT COMMUNICATION FAILURE (08h/00h).
# rtslib sets DBROOT (/etc/rtslib-fb-target on Debian) when targetcli starts, but
# creates no pr/ in it; so read DBROOT only now.
dbroot=$(cat "$cfs/dbroot" 2>/dev/null) || dbroot=/etc/target
mkdir -p "$dbroot/pr" || { echo "iscsi-chap-one-drive.sh: cannot create $dbroot/pr" >&2; exit 1; }
ok=1
[ -d "$cfs/iscsi/$iqn/tpgt_1/lun/lun_0" ] || ok=0
[ "$(cat "$cfs/iscsi/$iqn/tpgt_1/attrib/authentication" 2>/dev/null)" = 1 ] || ok=0
for initiator in $initiators; do
  [ "$(cat "$cfs/iscsi/$iqn/tpgt_1/acls/$initiator/auth/userid" 2>/dev/null)" = "$user" ] || ok=0
done
if [ $ok = 0 ]; then
  echo "iscsi-chap-one-drive.sh: target $iqn was not fully set up (see targetcli's output above)" >&2
  exit 1
fi
