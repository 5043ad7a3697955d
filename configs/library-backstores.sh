# What configs/tcm-loop-library.sh and configs/iscsi-chap-library.sh share;
# they source it (POSIX sh) from their own directory. Uses $vtape (the vtape
# tool) and the VTAPE_* variables their headers list.

# library_require_absolute DIR: exits with 2 unless DIR is an absolute path (the
# config strings name it, and tcmu-runner's working directory is not the caller's).
library_require_absolute() {
  case $1 in
    /*) ;;
    *) echo "${0##*/}: DIR must be an absolute path (got $1)" >&2; exit 2 ;;
  esac
}

# library_backstores DIR NAME DRIVES SLOTS BARCODES: creates the library in DIR
# unless it holds one (DRIVES, SLOTS and BARCODES are the defaults of
# VTAPE_DRIVES, VTAPE_SLOTS and VTAPE_BARCODES), then sets `drives` to its
# drive count and `commands` to the targetcli commands that create its
# backstores NAME_changer, NAME_drive0, ...
library_backstores() {
  if [ ! -f "$1/state.json" ]; then
    mkdir -p "$(dirname "$1")"
    "$vtape" library create "$1" --drives "${VTAPE_DRIVES:-$3}" --slots "${VTAPE_SLOTS:-$4}" \
      --ie "${VTAPE_IE:-1}" --media "${VTAPE_MEDIA:-LTO-8}" \
      --barcodes "${VTAPE_BARCODES:-$5}" --capacity "${VTAPE_CAPACITY:-2G}" \
      ${VTAPE_SERIAL:+--serial "$VTAPE_SERIAL"}
  fi
  drives=$("$vtape" library ls "$1" --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["library"]["layout"]["drives"])')

  # hw_max_sectors=2048 x 512 bytes = 1 MiB records on the drives (configs/README.md).
  commands="set global auto_save_on_exit=false
/backstores/user:vtape create name=${2}_changer size=1G cfgstring=library=$1;role=changer;model=${VTAPE_CHANGER_MODEL:-ibm-ts3100} control=max_data_area_mb=8"
  i=0
  while [ "$i" -lt "$drives" ]; do
    commands="$commands
/backstores/user:vtape create name=${2}_drive$i size=1G cfgstring=library=$1;drive=$i;model=${VTAPE_DRIVE_MODEL:-ibm-lto8}${VTAPE_DRIVE_BUFFER:+;buffer=$VTAPE_DRIVE_BUFFER} hw_max_sectors=2048 control=max_data_area_mb=32"
    i=$((i + 1))
  done
}

# library_luns LUNS NAME: appends to `commands` the mapping of NAME_changer to
# LUN 0 and of drive i to LUN i+1 under the targetcli path LUNS.
library_luns() {
  commands="$commands
$1 create /backstores/user:vtape/${2}_changer lun=0"
  i=0
  while [ "$i" -lt "$drives" ]; do
    commands="$commands
$1 create /backstores/user:vtape/${2}_drive$i lun=$((i + 1))"
    i=$((i + 1))
  done
}
