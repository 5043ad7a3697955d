#!/bin/sh
# One vtape drive exported over iSCSI with CHAP (one-way) on 0.0.0.0:3260.
# Needs tcmu-runner with handler_vtape.so, dbus-daemon --system, and the
# iscsi_target_mod module.
#
#   configs/iscsi-chap-one-drive.sh [IMAGE [NAME]]
#     IMAGE  tape image path, created blank (LTO-8) if missing; default
#            /var/lib/vtape/iscsi0.img
#     NAME   backstore name, default iscsi0
# Environment (defaults in brackets):
#   VTAPE_TARGET_IQN   [iqn.2026-11.org.vtape:drive0]
#   VTAPE_INITIATORS   space-separated initiator IQNs allowed in
#                      [iqn.2026-11.org.vtape:host1 iqn.2026-11.org.vtape:host2]
#   VTAPE_CHAP_USER    [vtape]         VTAPE_CHAP_SECRET [vtape-secret-12] (12-16 chars
#                      for Windows/Microsoft initiators; LIO itself takes any length)
#   VTAPE_MODEL [ibm-lto8]  VTAPE_CAPACITY [2G]  VTAPE_PORT [3260]  TARGETCLI [targetcli]
set -eu
image=${1:-/var/lib/vtape/iscsi0.img}
name=${2:-iscsi0}
iqn=${VTAPE_TARGET_IQN:-iqn.2026-11.org.vtape:drive0}
initiators=${VTAPE_INITIATORS:-iqn.2026-11.org.vtape:host1 iqn.2026-11.org.vtape:host2}
user=${VTAPE_CHAP_USER:-vtape}
secret=${VTAPE_CHAP_SECRET:-vtape-secret-12}
model=${VTAPE_MODEL:-ibm-lto8}
capacity=${VTAPE_CAPACITY:-2G}
port=${VTAPE_PORT:-3260}
targetcli=${TARGETCLI:-targetcli}

mkdir -p "$(dirname "$image")"
$targetcli /backstores/user:vtape create "name=$name" size=1G \
  "cfgstring=$image;model=$model;missing=create;media=LTO-8;capacity=$capacity" \
  hw_max_sectors=2048 control=max_data_area_mb=32
$targetcli /iscsi create "$iqn"
tpg=/iscsi/$iqn/tpg1
# targetcli adds a 0.0.0.0:3260 portal on create; replace it when another port is wanted.
if [ "$port" != 3260 ]; then
  $targetcli "$tpg/portals" delete 0.0.0.0 3260
  $targetcli "$tpg/portals" create 0.0.0.0 "$port"
fi
$targetcli "$tpg/luns" create "/backstores/user:vtape/$name"
# Only listed initiators, each with CHAP; authentication=1 makes CHAP mandatory.
$targetcli "$tpg" set attribute authentication=1 generate_node_acls=0 demo_mode_write_protect=0
for initiator in $initiators; do
  $targetcli "$tpg/acls" create "$initiator"
  $targetcli "$tpg/acls/$initiator" set auth "userid=$user" "password=$secret"
done
