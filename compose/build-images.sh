#!/usr/bin/env bash
# Builds the wheel's images on this machine, with no registry: a base image imported from a root filesystem
# made of a jlink'd JRE, the shared libraries it needs, a static busybox and our jars; then the hub, spoke and
# axle images on top of it (Dockerfiles in compose/images/). Skips work when nothing changed: the base image
# carries a label with the hash of what went into it.
#   compose/build-images.sh            build (or reuse) radial-base, radial-hub, radial-spoke, radial-axle
#   RADIAL_IMAGE_TAG=dev compose/...   tag other than "latest"
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$top/bin/_jdk"
. "$top/compose/rootfs.sh"
tag="${RADIAL_IMAGE_TAG:-latest}"
command -v docker >/dev/null || { echo "build-images: docker is not installed" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "build-images: no Docker engine answers (start dockerd)" >&2; exit 1; }
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || { echo "build-images: install busybox-static" >&2; exit 1; }
busybox="$(command -v busybox)"
file -L "$busybox" 2>/dev/null | grep -q "statically linked" || [ ! -x "$(command -v file)" ] || {
  echo "build-images: $busybox is not static: install busybox-static" >&2; exit 1; }

for m in spoke hub ctl; do
  jar="$top/$m/target/radial-$m-0.1.0-SNAPSHOT.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$top/$m/src/main" "$top/common/src/main" -newer "$jar" -type f | head -1)" ]; then
    (cd "$top" && mvn -q -B -DskipTests install >&2)
    break
  fi
done

# pidproxy: a static binary (gcc), for programs that fork their real server (supervisor's pidproxy)
pidproxy="$(sh "$top/pidproxy/build.sh")"

hash="$( (cd "$top" && cat "$pidproxy" spoke/target/*.jar hub/target/*.jar ctl/target/*.jar spoke/target/lib/*.jar \
  hub/target/lib/*.jar ctl/target/lib/*.jar && tar -cf - config-skeleton examples compose/images | cat \
  && cat "$0" compose/rootfs.sh && java -version 2>&1) | sha256sum | cut -c1-16)"
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.radial.hash"}}' "radial-base:$tag" 2>/dev/null)" = "$hash" ] \
  && docker image inspect "radial-spoke:$tag" "radial-hub:$tag" "radial-axle:$tag" >/dev/null 2>&1; then
  echo "build-images: images are up to date ($hash)" >&2
  exit 0
fi

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,etc,tmp,opt/radial,usr/bin,usr/sbin,config,log,run,data,root}
chmod 1777 "$root/tmp"

# the JRE: only the modules our three programs use (jdeps), plus TLS/SSH crypto for git remotes
modules="java.base,java.desktop,java.logging,java.management,java.naming,java.prefs,java.rmi,java.security.jgss"
modules="$modules,java.sql,java.xml,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.zipfs"
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/jre"
# the JDK's default class-data archive (jlink leaves it out): faster start of the daemons (ctl has its own
# ahead-of-time cache, made in spoke.Dockerfile)
"$root/opt/jre/bin/java" -Xshare:dump >/dev/null

# the shared libraries its ELF files need, and the loader
for f in $(find "$root/opt/jre" -type f \( -name '*.so' -o -perm -u+x \)); do
  ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^\s*\/lib/{print $1}'
done | rootfs_libs "$root"

# busybox: sh, ps, kill, httpd, ... as applet links
rootfs_busybox "$root" "$busybox"
rootfs_users "$root" 'app:x:1000:1000:app:/data:/bin/sh' 'app:x:1000:'
# glibc's C.UTF-8 locale (Debian's libc-bin ships it): the launchers set LC_CTYPE=C.UTF-8 when no locale is set,
# as Python's coercion does, and without the locale's files the JVM would still fall back to ASCII file names
rootfs_locale "$root" || { echo "build-images: /usr/lib/locale/C.utf8 is missing (Debian's libc-bin)" >&2; exit 1; }

# our programs, laid out as in the repository so the same paths work (config-skeleton next to hub/)
for m in spoke hub ctl; do
  mkdir -p "$root/opt/radial/$m/target/lib"
  cp "$top/$m/target/radial-$m-0.1.0-SNAPSHOT.jar" "$root/opt/radial/$m/target/"
  cp "$top/$m/target/lib/"*.jar "$root/opt/radial/$m/target/lib/"
done
cp -r "$top/config-skeleton" "$top/examples" "$root/opt/radial/"
install -m 755 "$top/compose/images/radial-launch" "$root/usr/bin/radial-launch"
install -D -m 644 "$top/compose/images/radial-env.sh" "$root/usr/lib/radial/env.sh"
for m in spoke hub ctl; do ln -s radial-launch "$root/usr/bin/$m"; done
ln -s ctl "$root/usr/bin/supervisorctl"
ln -s spoke "$root/usr/bin/supervisord"
install -m 755 "$pidproxy" "$root/usr/bin/pidproxy"

# --- the relocatable bundle (docs/guide.md): /opt/radial holds everything the programs need but glibc (its JRE,
# jars, launchers, env.sh, pidproxy when built), so `COPY --from=radial-spoke:<tag> /opt/radial /opt/radial`
# adds the supervisor to any glibc-based image; this image's /opt/jre and /usr/bin entries point into it
mv "$root/opt/jre" "$root/opt/radial/jre" && ln -s radial/jre "$root/opt/jre"
mkdir -p "$root/opt/radial/bin" "$root/opt/radial/lib"
mv "$root/usr/lib/radial/env.sh" "$root/opt/radial/lib/env.sh" && rmdir "$root/usr/lib/radial"
mv "$root/usr/bin/radial-launch" "$root/opt/radial/bin/radial-launch"
ln -s ../../opt/radial/bin/radial-launch "$root/usr/bin/radial-launch"
for n in spoke hub ctl supervisord supervisorctl; do ln -s radial-launch "$root/opt/radial/bin/$n"; done
# slot for helper compat's static pidproxy (installed as /usr/bin/pidproxy above once it is merged)
if [ -f "$root/usr/bin/pidproxy" ]; then
  mv "$root/usr/bin/pidproxy" "$root/opt/radial/bin/pidproxy" && ln -s ../../opt/radial/bin/pidproxy "$root/usr/bin/pidproxy"
fi
# --- end of the bundle block

tar -C "$root" -cf "$work/rootfs.tar" .
docker import --change "LABEL dev.radial.hash=$hash" --change 'ENV PATH=/usr/bin:/bin:/usr/sbin:/sbin' \
  "$work/rootfs.tar" "radial-base:$tag" >/dev/null
# spoke.Dockerfile makes ctl's ahead-of-time cache inside the image: it records the class path as the image has it
for role in spoke hub axle; do
  docker build -q --build-arg "BASE=radial-base:$tag" -t "radial-$role:$tag" -f "$top/compose/images/$role.Dockerfile" \
    "$top/compose/images" >/dev/null
done
echo "build-images: built radial-base, radial-hub, radial-spoke, radial-axle ($tag, $hash)" >&2
