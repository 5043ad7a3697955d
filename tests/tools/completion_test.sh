#!/bin/bash
# The generated bash completion (tools/completion.cc) as bash runs it.
#   completion_test.sh COMPLETION_SCRIPT VTAPE_BINARY
# Each case sets COMP_WORDS/COMP_CWORD as bash would for the line typed and
# compares COMPREPLY with what the tool's own --help says it should offer.
set -u
script=$1 vtape=$2
# shellcheck source=/dev/null
source "$script" || { echo "cannot source $script"; exit 1; }
complete -p vtape | grep -q -- '-F _vtape' || { echo "no completion registered for vtape"; exit 1; }

passed=0 failed=0
# expect "WANTED WORDS" word1 word2 ... (the last word is the one being completed)
expect() {
  local wanted=$1
  shift
  COMP_WORDS=(vtape "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _vtape
  local got
  got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
  wanted=$(printf '%s\n' $wanted | sort | xargs)
  if [[ $got == "$wanted" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: vtape $* <TAB>: wanted '$wanted', got '$got'"
  fi
}

# The commands `vtape --help` lists, straight from the binary.
commands=$("$vtape" --help | sed -n '/^commands:/,/^$/p' | awk '/^  [a-z]/ {print $1}' | xargs)
[[ $commands == *create*library* ]] || { echo "cannot read the commands from vtape --help"; exit 1; }
expect "$commands help --help" ""
expect "create" cr
expect "$commands" help ""
# The library subcommands, from `vtape help library`.
subs=$("$vtape" help library | awk '/^  library [a-z]/ {print $2}' | xargs)
[[ -n $subs ]] || { echo "cannot read the subcommands from vtape help library"; exit 1; }
expect "$subs --help" library ""
expect "$subs" help library ""
# Options: every one `vtape create --help` names, and only those.
create_opts=$("$vtape" create --help | grep -o -- '--[a-z][a-z-]*' | sort -u | xargs)
expect "$create_opts --help" create /t/a.img --
expect "--barcode" create /t/a.img --bar
expect "--early-warning" create /t/a.img --ea
lib_create_opts=$("$vtape" library create --help | grep -o -- '--[a-z][a-z-]*' | sort -u | xargs)
expect "$lib_create_opts --help" library create /lib --
expect "--slots" library create /lib --sl
expect "--slot" library add /lib A00001L8 --sl
# Values: media types after --media, nothing offered (files) after other valued options.
expect "LTO-8" create /t/a.img --media LTO-8
expect "LTO-5 LTO-6 LTO-7 LTO-8 LTO-9 LTO-M8" create /t/a.img --media ""
expect "" create /t/a.img --capacity ""
# Fixed positional words: protect NAME on|off, counted past options.
expect "on off" protect /t/a.img ""
expect "off" protect /t/a.img of
expect "" protect ""
expect "on off" protect --help /t/a.img ""

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
