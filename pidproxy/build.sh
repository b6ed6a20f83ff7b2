#!/bin/sh
# Builds pidproxy/target/pidproxy (a static binary: it runs in the images, whose only libc is the JRE's copy)
# from pidproxy.c when it is missing or older than its source; prints its path. Needs gcc and libc6-dev.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
bin="$here/target/pidproxy"
if [ ! -x "$bin" ] || [ "$here/pidproxy.c" -nt "$bin" ]; then
  command -v gcc >/dev/null || { echo "pidproxy/build.sh: gcc is not installed (apt-get install gcc libc6-dev)" >&2; exit 1; }
  mkdir -p "$here/target"
  gcc -std=gnu11 -static -Os -s -Wall -Wextra -Werror -o "$bin.tmp" "$here/pidproxy.c"
  mv -f "$bin.tmp" "$bin"
fi
echo "$bin"
