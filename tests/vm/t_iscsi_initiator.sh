# The kernel's own iSCSI initiator (open-iscsi) against a vtape drive exported
# with CHAP by configs/iscsi-chap-one-drive.sh, all inside the guest over
# 127.0.0.1: a wrong secret is refused, the right one gives a /dev/nst through
# iSCSI, and a tar archive written to it reads back byte for byte.
# Uses the target if it already exists (tests/vm/iscsi-guest.sh sets it up for
# the host-side suite first); otherwise creates it and removes it at the end.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/iscsi-lib.sh"

iqn=iqn.2026-11.org.vtape:drive0
initiator=iqn.2026-11.org.vtape:host2  # in the ACLs of configs/iscsi-chap-one-drive.sh
secret=vtape-secret-12
portal=127.0.0.1
tmp=$(mktemp -d /run/t_iscsi_initiator.XXXXXX)

created=0
if [[ ! -d $VT_CFS/iscsi/$iqn ]]; then
  mkdir -p /var/lib/vtape
  expect_ok "configs/iscsi-chap-one-drive.sh exports a drive" -- \
    env VTAPE_CAPACITY=256M sh "$VTAPE_SRC/configs/iscsi-chap-one-drive.sh" /var/lib/vtape/iscsi0.img
  created=1
fi

modprobe iscsi_tcp || vt_fail "modprobe iscsi_tcp"
echo "InitiatorName=$initiator" >/etc/iscsi/initiatorname.iscsi
iscsid || vt_fail "iscsid did not start"
for ((i = 0; i < 50; i++)); do [[ -s /run/iscsid.pid ]] && break; sleep 0.1; done

node() { iscsiadm -m node -T "$iqn" -p "$portal" "$@"; }
set_secret() {
  node -o update -n node.session.auth.authmethod -v CHAP &&
    node -o update -n node.session.auth.username -v vtape &&
    node -o update -n node.session.auth.password -v "$1"
}
expect_ok "sendtargets discovery finds $iqn" -- \
  bash -c "iscsiadm -m discovery -t sendtargets -p $portal | grep -q ' $iqn\$'"
expect_ok "CHAP with a wrong secret configured" -- set_secret "${secret}-wrong"
expect_fail "login with the wrong secret is refused" -- node --login
expect_ok "CHAP with the right secret configured" -- set_secret "$secret"
expect_ok "login with the right secret" -- node --login

n=$(vt_nst_of_iscsi)
expect_eq 0 $? "st attached to the drive behind the iSCSI session"
if [[ -n $n ]]; then
  tape=/dev/nst$n
  expect_ok "rewind" -- mt -f "$tape" rewind
  vt_tar_round_trip "$tape" "$tmp"
fi
expect_ok "logout" -- node --logout
kill "$(cat /run/iscsid.pid)" 2>/dev/null

if ((created)); then
  remove_target() {
    printf '%s\n' "/iscsi delete $iqn" "/backstores/user:vtape delete iscsi0" |
      vt_targetcli_batch >/dev/null
    [[ ! -d $VT_CFS/iscsi/$iqn ]]
  }
  expect_ok "target removed" -- remove_target
fi
rm -rf "$tmp"
assert_done
