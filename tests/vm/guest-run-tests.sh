# Guest side of run.sh: sets the guest up once, then runs each test file in its
# own bash with a time limit, and prints a summary. Bash.
#   guest-run-tests.sh TEST_FILE...
# Each test prints "N passed, M failed" last (assert.sh); a test that ends
# without that line, or exits non-zero, counts as failed.
source "$VTAPE_SRC/tests/vm/guest-setup.sh"

VT_TEST_TIMEOUT=${VT_TEST_TIMEOUT:-600}

if ! vt_boot_setup; then
  echo "guest setup failed"
  echo "0 passed, 1 failed"
  exit 1
fi

total_passed=0 total_failed=0 bad_files=()
boot_mark=$(mktemp /run/boot-mark.XXXXXX)  # cores newer than this are this boot's
for test in "$@"; do
  name=${test##*/}
  echo "=== $name"
  out=$VTAPE_WORK/${name%.sh}.log
  timeout -k 5 "$VT_TEST_TIMEOUT" bash "$test" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n1)
  if [[ -z $summary ]]; then
    echo "=== $name: ended without a summary (exit $rc${rc/#124/, timed out})"
    total_failed=$((total_failed + 1))
    bad_files+=("$name")
    continue
  fi
  p=${summary%% passed*}
  f=${summary#*passed, }
  f=${f%% failed}
  # A test that leaves devices behind breaks the ones after it (targetcli
  # saveconfig would save them, restoreconfig refuse them): it fails here.
  leftovers=$(vt_sweep_leftovers)
  if [[ -n $leftovers ]]; then
    echo "=== $name: left configfs objects behind:"
    echo "$leftovers"
    f=$((f + 1))
  fi
  # A core dump (vt_boot_setup sends them to VTAPE_WORK) is a crash, whatever
  # the test's own checks said.
  cores=$(find "$VTAPE_WORK" -maxdepth 1 -name 'core.*' -newer "$boot_mark" 2>/dev/null)
  if [[ -n $cores ]]; then
    echo "=== $name: a process crashed and dumped core: $cores"
    f=$((f + 1))
    touch "$boot_mark"
  fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
  if [[ $rc != 0 || $f != 0 ]]; then bad_files+=("$name"); fi
done

if [[ ${#bad_files[@]} -gt 0 ]]; then
  echo "failing test files: ${bad_files[*]} (logs in $VTAPE_WORK)"
  echo "--- tail of tcmu-runner.log"
  tail -n 20 "$VT_LOG"
fi
echo "$total_passed passed, $total_failed failed"
[[ $total_failed == 0 && ${#bad_files[@]} == 0 ]]
