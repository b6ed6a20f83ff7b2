# Sourced (POSIX sh) by bin/_launch and the images' radial-launch right before they exec the JVM.
# radial_env gives the JVM, and so every child, the environment supervisord would run with if it were
# started the same way (README, "Child environment"):
#  - what the launcher's shell changed on the way goes back to how this process received it: PATH and
#    JAVA_HOME (bin/_jdk), PWD and SHLVL (the shell's own; bash's exec leaves SHLVL=0, busybox ash SHLVL=1
#    and a PATH of its own). A variable that was not there is removed;
#  - Python's locale coercion (PEP 538), which supervisord's interpreter applies before anything else: when
#    LC_ALL is empty and LC_CTYPE's locale is C (nothing set, C, POSIX, or a locale that is not installed),
#    LC_CTYPE=C.UTF-8 (PYTHONCOERCECLOCALE=0 turns it off, as in Python). The JVM needs it as well: in the C
#    locale it cannot even name a file test_öäü.
# Afterwards: exec "$radial_env_cmd" $radial_env_args <absolute path of java> ... (the env arguments hold no
# spaces; PATH may be gone, so the JVM is named by its path).
radial_env() {
  radial_env_cmd="$(command -v env)"
  radial_env_args=""
  if [ -n "${BASH_VERSION:-}" ] && [ -r "/proc/$$/environ" ]; then
    radial_initial_bash
  else
    radial_initial_each
  fi
  if [ -z "${LC_ALL:-}" ] && [ "${PYTHONCOERCECLOCALE:-}" != 0 ] && radial_c_locale "${LC_CTYPE:-${LANG:-}}"; then
    export LC_CTYPE=C.UTF-8
  fi
  return 0
}

# PATH, JAVA_HOME, PWD and SHLVL back to what this process received: one variable at a time through
# radial_initial (any POSIX sh).
radial_initial_each() {
  for radial_v in PATH JAVA_HOME PWD SHLVL; do
    if radial_val="$(radial_initial "$radial_v")"; then
      # bash's exec itself takes SHLVL back to the value it received; other shells do not
      [ "$radial_v" = SHLVL ] && [ -n "${BASH_VERSION:-}" ] || export "$radial_v=$radial_val"
    elif [ $? = 1 ]; then
      unset "$radial_v"
      # bash puts SHLVL back into an exec'd program's environment: only env -u removes it
      [ "$radial_v" = SHLVL ] && radial_env_args="$radial_env_args -u SHLVL"
    fi
  done
}

# The same in bash, which reads /proc/$$/environ itself (read -d ''): no process at all, where the loop above
# starts a grep and a tr per variable (bin/_launch runs this before every bin/ctl). The first entry of a name wins.
radial_initial_bash() {
  radial_seen=" "
  while IFS= read -r -d '' radial_kv; do
    case $radial_kv in
      PATH=* | JAVA_HOME=* | PWD=* | SHLVL=*)
        radial_v="${radial_kv%%=*}"
        case $radial_seen in *" $radial_v "*) continue ;; esac
        radial_seen="$radial_seen$radial_v "
        # bash's exec itself takes SHLVL back to the value it received
        [ "$radial_v" = SHLVL ] || export "$radial_kv"
        ;;
    esac
  done < "/proc/$$/environ"
  for radial_v in PATH JAVA_HOME PWD SHLVL; do
    case $radial_seen in
      *" $radial_v "*) ;;
      *)
        unset "$radial_v"
        # bash puts SHLVL back into an exec'd program's environment: only env -u removes it
        [ "$radial_v" = SHLVL ] && radial_env_args="$radial_env_args -u SHLVL"
        ;;
    esac
  done
  return 0
}

# Prints $1 as this process received it (/proc/$$/environ); status 1 when it was not set, 2 when unknown.
# One grep and one tr per variable (this runs before every bin/ctl: each process costs milliseconds on a loaded
# host); a variable that is set, even to "", prints at least "NAME=".
radial_initial() {
  [ -r "/proc/$$/environ" ] || return 2
  radial_line="$(grep -z "^$1=" "/proc/$$/environ" | tr -d '\000')"
  [ -n "$radial_line" ] || return 1
  printf '%s\n' "${radial_line#"$1="}"
}

# True when setlocale(LC_CTYPE, "$1") would leave a process in the C locale.
radial_c_locale() {
  case "$1" in
    "" | C | POSIX) return 0 ;;
    C.UTF-8 | C.utf8) return 1 ;;
  esac
  if command -v locale >/dev/null 2>&1; then
    [ "$(LC_ALL="$1" locale charmap 2>/dev/null)" = ANSI_X3.4-1968 ]
  else
    # no locale(1), as in the images: glibc's built-in locales and those under /usr/lib/locale exist
    [ ! -e /usr/lib/locale/locale-archive ] && [ ! -d "/usr/lib/locale/$1" ]
  fi
}
