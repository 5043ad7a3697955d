# The Debian package, installed and used as a user would (guest side):
#  - `apt-get install ./BUILD/deb/vtape_*.deb` (packaging/build-deb.sh BUILD makes it).
#    The guest's root is the host's / read-only over 9p under a tmpfs overlay
#    (tests/vm/initramfs-init.sh), so the install lands in guest RAM only: the
#    host's dpkg database, /usr and /var stay as they were;
#  - tcmu-runner started exactly as Debian's unit starts it (its ExecStart, no
#    --handler-path, no drop-in) loads handler_vtape.so from the package;
#  - the README's steps from the installed files only: the packaged example
#    tcm-loop-one-drive.sh (targetcli /backstores/user:vtape create ...) makes
#    a drive with a new image in /var/lib/vtape, tar writes an archive through
#    /dev/nstN and reads it back, /usr/bin/vtape inspects the medium;
#    man pages and the bash completion are where man and bash look;
#  - `apt-get remove`, and `dpkg --purge` of a reinstall, remove the program and leave
#    the media.
# The build tree is never on PATH and the runner never sees BUILD/handler.
source "$VTAPE_SRC/tests/vm/assert.sh"
source "$VTAPE_SRC/tests/vm/guest-setup.sh"
source "$VTAPE_SRC/tests/vm/iscsi-lib.sh"

shopt -s nullglob
debs=("$VTAPE_BUILD"/deb/vtape_*.deb)
expect_eq 1 "${#debs[@]}" "one package in $VTAPE_BUILD/deb (packaging/build-deb.sh $VTAPE_BUILD)"
[[ ${#debs[@]} == 1 ]] || assert_done
deb=${debs[0]}
tmp=$(mktemp -d /run/t_package.XXXXXX)
naa=naa.5001405000000021
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
runner_log=$tmp/runner.log

# The runner of vt_boot_setup loads BUILD/handler: stop it, so only the package's handler
# can serve user:vtape. restart_build_runner puts it back for the tests after this one.
stop_runners() {
  local pid
  for pid in $(pidof tcmu-runner); do kill "$pid"; done
  for ((i = 0; i < 100; i++)); do pidof tcmu-runner >/dev/null || return 0; sleep 0.1; done
  return 1
}
restart_build_runner() {
  stop_runners
  vt_runner_start
}

expect_ok "stop the build tree's tcmu-runner" -- stop_runners
expect_fail "vtape is not installed before the test" -- dpkg -s vtape
# man-db's trigger would rebuild its whole index (minutes under TCG); man -w below
# finds pages without it. The flag file lives in the overlay like the install.
rm -f /var/lib/man-db/auto-update
# As the README says; every dependency is installed already (no network in the guest).
expect_ok "apt-get install ./${deb##*/}" -- \
  env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb"
expect_eq "install ok installed" "$(dpkg-query -W -f='${Status}' vtape)" "dpkg says installed"
expect_eq /usr/bin/vtape "$(command -v vtape)" "vtape on PATH is the installed one"
expect_ok "handler in Debian's tcmu-runner handler directory" -- \
  test -f "/usr/lib/$multiarch/tcmu-runner/handler_vtape.so"
expect_eq "700 root" "$(stat -c '%a %U' /var/lib/vtape)" "/var/lib/vtape: mode 700, owner root"
expect_fail "no systemd drop-in for tcmu-runner" -- test -e /etc/systemd/system/tcmu-runner.service.d

# tcmu-runner exactly as Debian's unit starts it.
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/tcmu-runner.service)
expect_eq /usr/bin/tcmu-runner "$exec_start" "Debian's unit runs tcmu-runner without options"
(cd / && exec $exec_start >"$runner_log" 2>&1) &
expect_ok "stock tcmu-runner up on the system bus" -- vt_runner_owns_bus

# The README demo from the installed example: a drive on tcm_loop with a new image.
examples=/usr/share/doc/vtape/examples
expect_ok "$examples/tcm-loop-one-drive.sh makes drive pkg0 (targetcli user:vtape create)" -- \
  env VTAPE_CAPACITY=256M VTAPE_NAA=$naa "$examples/tcm-loop-one-drive.sh" \
  /var/lib/vtape/A00001L8.img pkg0
n=$(vt_nst_of_loop $naa 0)
expect_eq 0 $? "st attached to pkg0"
if [[ -n $n ]]; then
  tape=/dev/nst$n
  expect_ok "the image was created in /var/lib/vtape" -- test -f /var/lib/vtape/A00001L8.img
  expect_ok "mt status" -- mt -f "$tape" status
  mkdir -p "$tmp/in" "$tmp/out"
  cp -a /usr/share/doc/vtape/. "$tmp/in/"
  head -c 3000000 /dev/urandom >"$tmp/in/random.bin"
  expect_ok "tar writes an archive to $tape" -- tar -C "$tmp/in" -b 128 -cf "$tape" .
  expect_ok "mt rewind" -- mt -f "$tape" rewind
  expect_ok "tar extracts it" -- tar -C "$tmp/out" -b 128 -xf "$tape"
  expect_ok "the extracted tree equals the archived one" -- diff -r "$tmp/in" "$tmp/out"
  expect_ok "mt rewind" -- mt -f "$tape" rewind
fi
runner_maps=/proc/$(pidof tcmu-runner)/maps
expect_ok "the runner mapped the package's handler_vtape.so" -- \
  grep -q "/usr/lib/$multiarch/tcmu-runner/handler_vtape.so" "$runner_maps"
expect_fail "...and nothing of the build tree" -- grep -q "$VTAPE_BUILD" "$runner_maps"
expect_ok "targetcli removes the LUN, the target and the backstore" -- \
  targetcli clearconfig confirm=True

# The installed tool on the medium the drive wrote: one archive file, then end of data.
info=$(vtape info /var/lib/vtape/A00001L8.img 2>&1)
expect_eq 0 $? "vtape info: $info"
expect_ok "vtape info: media LTO-8" -- grep -qE '^media: +LTO-8$' <<<"$info"
expect_ok "vtape info: the one filemark st wrote at close" -- grep -qE '^filemarks: +1$' <<<"$info"
ls_out=$(vtape ls /var/lib/vtape/A00001L8.img 2>&1)
expect_ok "vtape ls: file 0 is the archive, ended by a filemark: $ls_out" -- \
  grep -qP '^0\t[1-9][0-9]*\t[1-9][0-9]*\tfilemark' <<<"$ls_out"
expect_ok "vtape verify reads every record" -- vtape verify /var/lib/vtape/A00001L8.img
expect_ok "vtape create --help" -- bash -c 'vtape create --help | grep -q -- --capacity'

# Documentation and completion where the system looks for them.
expect_ok "man finds vtape(1)" -- bash -c 'man -w vtape | grep -q /usr/share/man/man1/vtape.1.gz'
expect_ok "man finds vtape-config(5)" -- bash -c 'man -w 5 vtape-config | grep -q vtape-config.5.gz'
expect_ok "man finds vtape-format(5)" -- bash -c 'man -w 5 vtape-format | grep -q vtape-format.5.gz'
expect_ok "vtape(1) documents library create's --barcodes" -- \
  bash -c 'zcat /usr/share/man/man1/vtape.1.gz | grep -q "barcodes"'
expect_ok "bash completion offers the commands" -- bash -c '
  source /usr/share/bash-completion/completions/vtape
  COMP_WORDS=(vtape ver); COMP_CWORD=1; _vtape; [[ ${COMPREPLY[*]} == verify ]]'

# Remove and purge: the program goes, the media stay.
stop_runners
expect_ok "apt-get remove vtape" -- env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q vtape
expect_fail "/usr/bin/vtape is gone" -- test -e /usr/bin/vtape
expect_fail "handler_vtape.so is gone" -- test -e "/usr/lib/$multiarch/tcmu-runner/handler_vtape.so"
expect_ok "the medium is still there after remove" -- test -f /var/lib/vtape/A00001L8.img
# No conffiles: after remove nothing is left for dpkg to purge.
expect_fail "dpkg knows vtape no more after remove" -- dpkg -s vtape
# dpkg, not apt-get, for the second round: each apt-get reads the package lists, which
# costs a minute under TCG on a loaded host; purge is dpkg's work either way.
expect_ok "dpkg -i it again" -- dpkg -i "$deb"
expect_ok "dpkg --purge vtape" -- dpkg --purge vtape
expect_fail "dpkg knows vtape no more after purge" -- dpkg -s vtape
expect_ok "the medium is still there after purge" -- test -f /var/lib/vtape/A00001L8.img
expect_ok "...with its index" -- test -f /var/lib/vtape/A00001L8.img.idx

expect_ok "restart the build tree's tcmu-runner for later tests" -- restart_build_runner
# The media directory and the image live in the guest's overlay: gone with the VM anyway,
# removed here so later tests in this boot find /var/lib/vtape as the host has it.
rm -rf "$tmp" /var/lib/vtape
assert_done
