#!/usr/bin/env bash
# Builds the example application images on this machine, with no registry (docs/guide.md, "Your own image"):
#   radial-example-app:<tag>  the "user's image": no Java, no Radial; glibc, Debian's nginx binary with the
#                             libraries it links, busybox (sh, httpd). Imported from a root filesystem made here,
#                             as a stand-in for any glibc-based image (debian, ubuntu, python:3-slim, node:22-slim)
#   radial-app-spoke:<tag>    examples/app-wheel/Dockerfile: that image plus /opt/radial from radial-spoke
#   radial-single:<tag>       examples/single-container/Dockerfile: nginx + app in one container, fail_fast
# Needs compose/build-images.sh's radial-spoke:<tag> (built first when missing). nginx comes from /usr/sbin/nginx
# when installed, else from Debian's package fetched with apt-get download (not installed: no service starts).
# Skips work when nothing changed (a label holds the hash of the inputs).
#   RADIAL_IMAGE_TAG=dev compose/build-app-images.sh
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$top/compose/rootfs.sh"
tag="${RADIAL_IMAGE_TAG:-latest}"
docker info >/dev/null 2>&1 || { echo "build-app-images: no Docker engine answers (start dockerd)" >&2; exit 1; }
RADIAL_IMAGE_TAG="$tag" bash "$top/compose/build-images.sh"
busybox="$(command -v busybox)"

nginx=/usr/sbin/nginx
if [ ! -x "$nginx" ]; then
  cache="$top/compose/target/debs"
  if [ ! -x "$cache/root/usr/sbin/nginx" ]; then
    mkdir -p "$cache" && rm -f "$cache"/nginx_*.deb
    (cd "$cache" && apt-get download -q nginx >&2) || {
      echo "build-app-images: no /usr/sbin/nginx and apt-get download nginx failed" >&2; exit 1; }
    rm -rf "$cache/root" && dpkg-deb -x "$cache"/nginx_*.deb "$cache/root"
  fi
  nginx="$cache/root/usr/sbin/nginx"
fi

spoke_id="$(docker image inspect -f '{{.Id}}' "radial-spoke:$tag")"
hash="$( (cat "$0" "$top/compose/rootfs.sh" "$nginx" "$busybox" && echo "$spoke_id" && cd "$top/examples" && tar -cf - app-wheel single-container \
  | cat) | sha256sum | cut -c1-16)"
up_to_date() { [ "$(docker image inspect -f '{{index .Config.Labels "dev.radial.hash"}}' "$1" 2>/dev/null)" = "$hash" ]; }
if up_to_date "radial-app-spoke:$tag" && up_to_date "radial-single:$tag" && docker image inspect "radial-example-app:$tag" >/dev/null 2>&1; then
  echo "build-app-images: images are up to date ($hash)" >&2
  exit 0
fi

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,etc,tmp,usr/sbin,var/log/nginx,var/lib/nginx,run,root}
chmod 1777 "$root/tmp"
install -m 755 "$nginx" "$root/usr/sbin/nginx"
# its libraries, glibc's loader, and the libraries any glibc program expects (resolver, nss)
{ ldd "$nginx" | awk '/=> \//{print $3}'; ls /lib/x86_64-linux-gnu/lib{c,m,dl,pthread,rt,resolv,nss_files,nss_dns}.so.* 2>/dev/null; } \
  | rootfs_libs "$root"
rootfs_busybox "$root" "$busybox"
rootfs_users "$root"
# glibc's C.UTF-8 locale, as Debian's libc-bin ships it in every Debian-based image (when this machine has it)
rootfs_locale "$root" || true
tar -C "$root" -cf "$work/rootfs.tar" .
docker import --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["/usr/sbin/nginx", "-g", "daemon off;"]' \
  "$work/rootfs.tar" "radial-example-app:$tag" >/dev/null

for ex in app-wheel:radial-app-spoke single-container:radial-single; do
  dir="$top/examples/${ex%%:*}"
  docker build -q --label "dev.radial.hash=$hash" --build-arg "APP=radial-example-app:$tag" \
    --build-arg "RADIAL=radial-spoke:$tag" -t "${ex#*:}:$tag" "$dir" >/dev/null
done
echo "build-app-images: built radial-example-app, radial-app-spoke, radial-single ($tag, $hash)" >&2
