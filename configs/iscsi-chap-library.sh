#!/bin/sh
# A vtape library exported over iSCSI with one-way CHAP on 0.0.0.0:3260: one
# target with the medium changer on LUN 0 and the drives on LUNs 1..N, open only
# to the listed initiators. Needs tcmu-runner with handler_vtape.so,
# dbus-daemon --system and the iscsi_target_mod module.
#
#   configs/iscsi-chap-library.sh [DIR [NAME]]
#     DIR   the library directory (absolute), created with `vtape library create`
#           when it holds no library yet. Default /var/lib/vtape/iscsilib0
#     NAME  backstore name prefix: NAME_changer, NAME_drive0, ... Default iscsilib0
# Environment (defaults in brackets); used only when the library is created:
#   VTAPE_DRIVES [4]  VTAPE_SLOTS [8]  VTAPE_IE [1]  VTAPE_MEDIA [LTO-8]
#   VTAPE_BARCODES [A00001L8:6]  VTAPE_CAPACITY [2G]  VTAPE_SERIAL [derived]
# always:
#   VTAPE_TARGET_IQN   [iqn.2026-11.org.vtape:library0]
#   VTAPE_INITIATORS   space-separated initiator IQNs let in
#                      [iqn.2026-11.org.vtape:host1 iqn.2026-11.org.vtape:host2]
#   VTAPE_CHAP_USER [vtape]  VTAPE_CHAP_SECRET [vtape-secret-12]
#   VTAPE_CHANGER_MODEL [ibm-ts3100]  VTAPE_DRIVE_MODEL [ibm-lto8]
#   VTAPE_DRIVE_BUFFER (each drive's buffer=, e.g. 32M) [none]
#   VTAPE [vtape]  TARGETCLI [targetcli]
# The config strings name only the library and a role (handler/library_config.h),
# so saveconfig/restoreconfig never undo a move. All commands go to one targetcli
# process; it does not stop at a failed command, so the result is checked in
# configfs afterwards. library-backstores.sh (sourced from this script's
# directory) holds what the tcm_loop variant shares.
set -eu
dir=${1:-/var/lib/vtape/iscsilib0}
name=${2:-iscsilib0}
iqn=${VTAPE_TARGET_IQN:-iqn.2026-11.org.vtape:library0}
initiators=${VTAPE_INITIATORS:-iqn.2026-11.org.vtape:host1 iqn.2026-11.org.vtape:host2}
user=${VTAPE_CHAP_USER:-vtape}
secret=${VTAPE_CHAP_SECRET:-vtape-secret-12}
vtape=${VTAPE:-vtape}
cfs=/sys/kernel/config/target
tpg=/iscsi/$iqn/tpg1

. "$(dirname "$0")/library-backstores.sh"
library_require_absolute "$dir"
library_backstores "$dir" "$name" 4 8 A00001L8:6
commands="$commands
/iscsi create $iqn"
library_luns "$tpg/luns" "$name"
# authentication=1 makes CHAP mandatory; generate_node_acls=0 lets in only the ACLs.
commands="$commands
$tpg set attribute authentication=1 generate_node_acls=0 demo_mode_write_protect=0"
for initiator in $initiators; do
  commands="$commands
$tpg/acls create $initiator
$tpg/acls/$initiator set auth userid=$user password=$secret"
done
out=$(printf '%s\nexit\n' "$commands" | ${TARGETCLI:-targetcli} 2>&1) || true
printf '%s\n' "$out"
# PERSISTENT RESERVE OUT on the drives needs DBROOT/pr (configs/iscsi-chap-one-drive.sh says why).
dbroot=$(cat "$cfs/dbroot" 2>/dev/null) || dbroot=/etc/target
mkdir -p "$dbroot/pr" || { echo "iscsi-chap-library.sh: cannot create $dbroot/pr" >&2; exit 1; }

missing=
i=0
while [ "$i" -le "$drives" ]; do
  [ -d "$cfs/iscsi/$iqn/tpgt_1/lun/lun_$i" ] || missing="$missing lun_$i"
  i=$((i + 1))
done
[ "$(cat "$cfs/iscsi/$iqn/tpgt_1/attrib/authentication" 2>/dev/null)" = 1 ] ||
  missing="$missing authentication"
for initiator in $initiators; do
  [ "$(cat "$cfs/iscsi/$iqn/tpgt_1/acls/$initiator/auth/userid" 2>/dev/null)" = "$user" ] ||
    missing="$missing acl:$initiator"
done
if [ -n "$missing" ]; then
  echo "iscsi-chap-library.sh: library $dir was not exported (missing:$missing; see targetcli's output above)" >&2
  exit 1
fi
echo "iscsi-chap-library.sh: library $dir: changer on LUN 0, $drives drive(s) on LUNs 1..$drives of $iqn (CHAP)"
