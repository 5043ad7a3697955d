#!/bin/bash
# Every man page renders without a groff warning (unknown macros, bad escapes).
#   man_render_test.sh GROFF PAGE...
set -u
groff=$1
shift
status=0
for page in "$@"; do
  warnings=$("$groff" -man -Tutf8 -ww -z "$page" 2>&1)
  if [[ -n $warnings ]]; then
    echo "FAIL: $page:"
    echo "$warnings"
    status=1
  fi
  lines=$("$groff" -man -Tutf8 "$page" 2>/dev/null | wc -l)
  if ((lines < 20)); then
    echo "FAIL: $page renders to $lines lines"
    status=1
  fi
done
exit $status
