# A tiny assertion library for the guest tests (bash, sourced).
#
#   expect_eq EXPECTED ACTUAL MESSAGE      passes when the two strings are equal
#   expect_ok MESSAGE -- COMMAND [ARGS...]    passes when COMMAND exits 0
#   expect_fail MESSAGE -- COMMAND [ARGS...]  passes when COMMAND exits non-zero
#   assert_done                            prints "N passed, M failed" and exits 0 only
#                                          if nothing failed (call it last)
# Every check prints one line: "PASS: MESSAGE" or "FAIL: MESSAGE (details)".
# A command's output is shown only when the check fails.

VT_PASSED=0
VT_FAILED=0

vt_pass() {
  VT_PASSED=$((VT_PASSED + 1))
  echo "PASS: $1"
}

vt_failed() {
  VT_FAILED=$((VT_FAILED + 1))
  echo "FAIL: $1${2:+ ($2)}"
}

expect_eq() {
  local expected=$1 actual=$2 message=${3:-"values are equal"}
  if [[ $expected == "$actual" ]]; then
    vt_pass "$message"
  else
    vt_failed "$message" "expected '$expected', got '$actual'"
  fi
}

# Runs the command after "--", capturing its output.
vt_run_capture() {
  VT_OUTPUT=$("$@" 2>&1)
}

expect_ok() {
  local message=$1
  shift
  [[ ${1:-} == -- ]] && shift
  if vt_run_capture "$@"; then
    vt_pass "$message"
  else
    vt_failed "$message" "'$*' exited $?; output: ${VT_OUTPUT:0:2000}"
  fi
}

expect_fail() {
  local message=$1
  shift
  [[ ${1:-} == -- ]] && shift
  if vt_run_capture "$@"; then
    vt_failed "$message" "'$*' succeeded but should fail; output: ${VT_OUTPUT:0:2000}"
  else
    vt_pass "$message"
  fi
}

assert_done() {
  echo "$VT_PASSED passed, $VT_FAILED failed"
  [[ $VT_FAILED == 0 && $VT_PASSED -gt 0 ]]
  exit $?
}
