# Guest-side helpers for the st tests (bash, sourced after assert.sh). What st
# itself reports is the point of these tests, so every helper reads the kernel's
# view: `mt status` (st's own file/block counters) and real read()/write() calls.
#
#   tape_pos TAPE            "FILE BLOCK" from mt status (st's counters; -1 = unknown)
#   tape_blksize TAPE        the block size mt status shows (0 = variable)
#   tape_flags TAPE          the general status bits line (BOT EOF ONLINE WR_PROT ...)
#   tape_tell TAPE           the logical block number of `mt tell` (READ POSITION)
#   expect_pos F B TAPE MSG  checks tape_pos
#   rand_file PATH BYTES     a file of random bytes
#   read_record TAPE OUT [BS]  one read() of BS bytes (default 1M) into OUT; prints
#                            dd's stderr to OUT.err; returns dd's status
#   write_records TAPE FILE...  each FILE as one record, all in one open (st writes a
#                            filemark when a device that was written to is closed)

tape_pos() {
  mt -f "$1" status 2>/dev/null |
    sed -n 's/^File number=\([-0-9]*\), block number=\([-0-9]*\).*/\1 \2/p'
}

tape_blksize() {
  mt -f "$1" status 2>/dev/null | sed -n 's/^Tape block size \([0-9]*\) bytes.*/\1/p'
}

tape_flags() {
  mt -f "$1" status 2>/dev/null | sed -n '/^General status bits/{n;s/^ *//;s/ *$//;p}'
}

tape_tell() {
  mt -f "$1" tell 2>/dev/null | sed -n 's/^At block \([0-9]*\)\..*/\1/p'
}

expect_pos() {
  expect_eq "$1 $2" "$(tape_pos "$3")" "$4: mt status says file $1, block $2"
}

rand_file() {
  head -c "$2" /dev/urandom >"$1"
}

read_record() {
  local tape=$1 out=$2 bs=${3:-1M}
  dd if="$tape" of="$out" bs="$bs" count=1 2>"$out.err"
}

write_records() {
  local tape=$1 f rc=0
  shift
  exec {fd}>"$tape" || return 1
  for f in "$@"; do
    dd if="$f" bs="$(stat -c %s "$f")" count=1 iflag=fullblock status=none >&"$fd" || { rc=1; break; }
  done
  exec {fd}>&-
  return $rc
}
