#!/bin/bash
# Builds LTFS (IBM's reference Linear Tape File System, the real client of issue 11)
# once into a cache outside the source tree and prints the install prefix.
#
#   tests/ltfs/build.sh          prints PREFIX (bin/mkltfs, bin/ltfs, bin/ltfsck) on stdout
#
# LTFS is not packaged by Debian: its tarball and build script live in the team's
# shared folder, which users' clones do not have. The folder is VTAPE_SHARED when
# set, else ../shared next to the repository (how /work/main and /work/shared sit
# here), else ../shared next to the main checkout of a git worktree. When the tarball is absent the script says so on stderr with a SKIP line
# and exits 77 (the automake "skipped" status); callers turn that into a skip.
#
# Cache: ${VTAPE_CACHE:-/var/cache/vtape}/ltfs-2.4.8.4-SHA (SHA = the first 16 hex
# digits of the tarball's sha256), reused while PREFIX/.complete exists; a
# half-built prefix is rebuilt. LTFS bakes PREFIX into etc/ltfs.conf (its plugin
# paths), so it is built in place. Root: build-ltfs.sh apt-get installs its build
# dependencies (also in tests/install-deps.sh). Other exit codes: build failures.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${VTAPE_SHARED:-$repo/../shared}
if [[ -z ${VTAPE_SHARED:-} && ! -d $shared ]]; then
  common=$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null) &&
    shared=$(dirname "$(dirname "$common")")/shared
fi
name=ltfs-2.4.8.4
tarball=$shared/thirdparty/$name.tar.gz
script=$shared/thirdparty/build-ltfs.sh

if [[ ! -f $tarball || ! -x $script ]]; then
  echo "SKIP: LTFS tests: no $tarball (or its build-ltfs.sh): set VTAPE_SHARED to the" \
    "folder holding thirdparty/$name.tar.gz to run them" >&2
  exit 77
fi

sha=$(sha256sum "$tarball" | cut -c1-16)
cache=${VTAPE_CACHE:-/var/cache/vtape}
prefix=$cache/$name-$sha
mkdir -p "$cache"
# Two runs at once (a VM suite and a bench) must not build into one prefix together.
exec {lock}>"$cache/$name.lock"
flock "$lock"
if [[ ! -f $prefix/.complete ]]; then
  echo "tests/ltfs/build.sh: building $name into $prefix (about a minute)" >&2
  rm -rf "$prefix"
  scratch=$cache/$name-build
  if ! WORK=$scratch "$script" "$prefix" >&2; then
    echo "tests/ltfs/build.sh: build-ltfs.sh failed; logs in $scratch" >&2
    exit 1
  fi
  rm -rf "$scratch"
  for b in mkltfs ltfs ltfsck; do
    [[ -x $prefix/bin/$b ]] || { echo "tests/ltfs/build.sh: $prefix/bin/$b missing" >&2; exit 1; }
  done
  touch "$prefix/.complete"
fi
echo "$prefix"
