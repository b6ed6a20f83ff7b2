# Shared steps of the scripts that build an image's root filesystem by hand (build-images.sh,
# build-app-images.sh): sourced, not run. Each function takes the root directory first.

# Copies the shared libraries named on stdin (one path a line, duplicates allowed) into ROOT at the same
# paths, and glibc's loader.
rootfs_libs() {
  local root="$1" lib
  sort -u | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"
  done
  mkdir -p "$root/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
}

# ROOT BUSYBOX: a static busybox as /bin/busybox, with a link for each applet (sh, ps, kill, httpd ...) that
# is not there yet.
rootfs_busybox() {
  local root="$1" busybox="$2" applet
  cp "$busybox" "$root/bin/busybox"
  for applet in $("$busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
}

# ROOT [PASSWD_LINE GROUP_LINE]: /etc/passwd and /etc/group with root and nobody (and one more user, when
# given), and an nsswitch.conf that resolves host names from files.
rootfs_users() {
  local root="$1"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  if [ $# -ge 3 ]; then
    printf '%s\n' "$2" >> "$root/etc/passwd"
    printf '%s\n' "$3" >> "$root/etc/group"
  fi
  echo "hosts: files" > "$root/etc/nsswitch.conf"
}

# ROOT: glibc's C.UTF-8 locale (Debian's libc-bin ships it in every Debian-based image); fails when this
# machine has none (the caller decides whether that is fatal).
rootfs_locale() {
  local root="$1"
  [ -d /usr/lib/locale/C.utf8 ] || return 1
  mkdir -p "$root/usr/lib/locale" && cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
}
