#!/bin/bash
# Builds the Debian package vtape_VERSION-1_ARCH.deb from this tree (CPack's DEB
# generator, packaging/CMakeLists.txt) and prints its path.
#
#   packaging/build-deb.sh [BUILD_DIR]      default BUILD_DIR: out/release
#
# Configures BUILD_DIR if it holds no build yet (RelWithDebInfo, Ninja), builds
# what the package holds (handler_vtape, vtape_tool, vtape_docs), then packs it
# into BUILD_DIR/deb/. Needs what tests/install-deps.sh installs (dpkg-dev for
# dpkg-shlibdeps, tcmu-runner for the version the handler is built against).
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$src/out/release}
mkdir -p "$build"
build=$(realpath "$build")

if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" --target handler_vtape vtape_tool vtape_docs
rm -rf "$build/deb"
# -B: the package lands in BUILD_DIR/deb, the staging tree in BUILD_DIR/deb/_CPack_Packages.
(cd "$build" && cpack -G DEB -B "$build/deb" >"$build/deb-cpack.log") ||
  { cat "$build/deb-cpack.log" >&2; exit 1; }
ls "$build"/deb/vtape_*.deb
