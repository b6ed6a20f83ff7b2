#!/bin/sh
# Makes a bare git repository (branch "config", Radial's default WHEEL_BRANCH) from a directory of wheel
# configuration, e.g. examples/wheel: the "remote" the hub clones in the demo, the compose example and tests.
#   compose/make-wheel-repo.sh SOURCE_DIR BARE_REPO
set -eu
src="$1"; bare="$2"
[ -d "$src" ] || { echo "make-wheel-repo: no directory $src" >&2; exit 2; }
[ -e "$bare" ] && { echo "make-wheel-repo: $bare exists; leaving it as it is" >&2; exit 0; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work/"
git -C "$work" init -q -b config
git -C "$work" -c user.name=radial -c user.email=radial@localhost add -A
git -C "$work" -c user.name=radial -c user.email=radial@localhost -c commit.gpgsign=false commit -q -m "example wheel"
git clone -q --bare "$work" "$bare"
echo "make-wheel-repo: $bare (branch config) from $src" >&2
