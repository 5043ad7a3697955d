# First boot of tests/vm/iscsi-host.sh (guest side). Exports a library (changer
# + four drives, configs/iscsi-chap-library.sh; WORK/iscsi-library-ready) and a
# drive (configs/iscsi-chap-one-drive.sh) over iSCSI with CHAP, tells the host
# it is ready (WORK/iscsi-ready), waits while the host runs iscsi_conformance
# against them (until WORK/iscsi-host-done), then runs the guest's own tests:
# t_iscsi_library.sh (kernel initiator on the library), t_iscsi_initiator.sh
# (kernel initiator on the drive) and t_targetcli.sh
# with VTAPE_PERSIST_DIR, which leaves drives and a saveconfig.json for the
# second boot (iscsi-restore.sh). Each test prints its "N passed, M failed".
source "$VTAPE_SRC/tests/vm/guest-setup.sh"

persist=$VTAPE_WORK/persist
wait_s=${VT_HOST_WAIT:-900}
test_timeout=${VT_TEST_TIMEOUT:-400}

if ! vt_boot_setup; then
  echo "guest setup failed"
  echo "0 passed, 1 failed"
  touch "$VTAPE_WORK/iscsi-failed"
  exit 1
fi
source "$VTAPE_SRC/tests/vm/iscsi-lib.sh"
if ! vt_network_up; then
  echo "FAIL: guest network for the host's iSCSI connection"
  echo "0 passed, 1 failed"
  touch "$VTAPE_WORK/iscsi-failed"
  exit 1
fi
mkdir -p "$persist" /var/lib/vtape
mount --bind "$persist" /var/lib/vtape

echo "=== iSCSI targets for the host"
# The library lives in the guest's /run: t_iscsi_library.sh removes its target
# before t_targetcli.sh saves the configuration for the second boot.
if env VTAPE="$VTAPE_BUILD/tools/vtape" VTAPE_CAPACITY=256M \
  sh "$VTAPE_SRC/configs/iscsi-chap-library.sh" /run/vtape-iscsilib0 iscsilib0; then
  echo "PASS: configs/iscsi-chap-library.sh exports a changer and four drives"
  echo "1 passed, 0 failed"
  touch "$VTAPE_WORK/iscsi-library-ready"
else
  echo "FAIL: configs/iscsi-chap-library.sh exports a changer and four drives"
  echo "0 passed, 1 failed"
fi
if env VTAPE_CAPACITY=256M sh "$VTAPE_SRC/configs/iscsi-chap-one-drive.sh" /var/lib/vtape/iscsi0.img; then
  echo "PASS: configs/iscsi-chap-one-drive.sh exports the drive"
  echo "1 passed, 0 failed"
  touch "$VTAPE_WORK/iscsi-ready"
  for ((i = 0; i < wait_s * 2; i++)); do
    [[ -e $VTAPE_WORK/iscsi-host-done ]] && break
    sleep 0.5
  done
  [[ -e $VTAPE_WORK/iscsi-host-done ]] || echo "host did not finish within ${wait_s}s"
else
  echo "FAIL: configs/iscsi-chap-one-drive.sh exports the drive"
  echo "0 passed, 1 failed"
  touch "$VTAPE_WORK/iscsi-failed"
fi

for test in t_iscsi_library.sh t_iscsi_initiator.sh t_targetcli.sh; do
  echo "=== $test"
  log=$VTAPE_WORK/${test%.sh}.log
  VTAPE_PERSIST_DIR=$persist timeout -k 5 "$test_timeout" bash "$VTAPE_SRC/tests/vm/$test" 2>&1 |
    tee "$log"
  grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$log" ||
    { echo "FAIL: $test ended without a summary"; echo "0 passed, 1 failed"; }
done
exit 0
