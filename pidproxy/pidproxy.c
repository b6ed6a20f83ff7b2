/*
 * pidproxy: supervisor's pidproxy (supervisor/pidproxy.py of supervisor 4.2.5), as a small static binary so
 * that one can sit beside every daemon that forks its real server (mysqld_safe and the like) without a Python
 * or a JVM per proxy.
 *
 *   pidproxy <pidfile name> <command> [<cmdarg1> ...]
 *
 * Runs <command> (its path made absolute against the current directory, as os.path.abspath does: no PATH
 * search) with the given arguments. TERM, HUP, INT, USR1, USR2 and QUIT are sent on to the pid read from the
 * pidfile, which is read again at every signal (so a daemon that rewrote it on HUP is found). After passing on
 * TERM, INT or QUIT pidproxy exits 0 at once; when the command exits, pidproxy exits 0.
 *
 * Same as supervisor's, on purpose:
 *   - too few arguments: the usage text on stdout, exit 1;
 *   - a command that cannot be executed: its child exits 127 (os.spawnv), so pidproxy exits 0;
 *   - a pidfile that cannot be read or holds no integer (Python's int(): blanks, a sign, digits with single
 *     underscores): "Can't read child pidfile NAME!" on stdout, the signal is dropped and pidproxy keeps
 *     running, even for TERM;
 *   - the pid cannot be signalled (gone, not ours): an error on stderr, exit 1 (Python's uncaught exception).
 * Different: supervisor's polls for the command's exit every 5 seconds; this one waits for SIGCHLD and exits
 * as soon as the command does.
 *
 * Single-threaded: every signal of interest is blocked and taken synchronously with sigwaitinfo(2).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const int FORWARDED[] = {SIGTERM, SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGQUIT};
#define NFORWARDED (sizeof FORWARDED / sizeof FORWARDED[0])

static void out(int fd, const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        s += w;
        n -= (size_t) w;
    }
}

static void usage(const char *argv0) {
    out(1, "pidproxy -- run command and proxy signals to it via its pidfile.\n\n"
           "This executable runs a command and then monitors a pidfile.  When this\n"
           "executable receives a signal, it sends the same signal to the pid\n"
           "in the pidfile.\n\n"
           "Usage: ");
    out(1, argv0);
    out(1, " <pidfile name> <command> [<cmdarg1> ...]\n\n");
}

/* os.path.abspath: join with the current directory if relative, then posixpath.normpath. */
static char *abspath(const char *path) {
    char *joined;
    if (path[0] == '/') {
        joined = strdup(path);
    } else {
        char *cwd = getcwd(NULL, 0);
        if (cwd == NULL) {
            return strdup(path);
        }
        if (asprintf(&joined, "%s/%s", cwd, path) < 0) {
            joined = NULL;
        }
        free(cwd);
    }
    if (joined == NULL) {
        return NULL;
    }
    /* normpath: "//" kept when exactly two leading slashes, empty and "." parts dropped, ".." pops */
    size_t len = strlen(joined);
    int initial = 0;
    while (joined[initial] == '/') {
        initial++;
    }
    if (initial > 2) {
        initial = 1;
    }
    char *result = malloc(len + 3);
    char **parts = malloc((len / 2 + 2) * sizeof *parts);
    if (result == NULL || parts == NULL) {
        return joined;
    }
    size_t nparts = 0;
    for (char *save = NULL, *tok = strtok_r(joined, "/", &save); tok != NULL; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0) {
            continue;
        }
        if (strcmp(tok, "..") == 0) {
            if (nparts > 0 && strcmp(parts[nparts - 1], "..") != 0) {
                nparts--;
            } else if (initial == 0) {
                parts[nparts++] = tok;
            }
            continue;
        }
        parts[nparts++] = tok;
    }
    char *p = result;
    for (int i = 0; i < initial; i++) {
        *p++ = '/';
    }
    for (size_t i = 0; i < nparts; i++) {
        if (i > 0) {
            *p++ = '/';
        }
        size_t l = strlen(parts[i]);
        memcpy(p, parts[i], l);
        p += l;
    }
    if (p == result) {
        *p++ = '.';
    }
    *p = '\0';
    free(parts);
    return result;
}

/* Python's int(text.strip()) for a decimal: blanks around, an optional sign, digits with single underscores. */
static int parse_pid(const char *text, long long *pid) {
    const char *s = text;
    while (isspace((unsigned char) *s)) {
        s++;
    }
    int negative = 0;
    if (*s == '+' || *s == '-') {
        negative = *s == '-';
        s++;
    }
    if (!isdigit((unsigned char) *s)) {
        return -1;
    }
    long long v = 0;
    while (isdigit((unsigned char) *s) || (*s == '_' && isdigit((unsigned char) s[1]))) {
        if (*s != '_') {
            if (v > (LLONG_MAX - 9) / 10) {
                return -1;
            }
            v = v * 10 + (*s - '0');
        }
        s++;
    }
    while (isspace((unsigned char) *s)) {
        s++;
    }
    if (*s != '\0') {
        return -1;
    }
    *pid = negative ? -v : v;
    return 0;
}

static int read_pidfile(const char *name, long long *pid) {
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    char buf[4096];
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, sizeof buf - 1 - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        n += (size_t) r;
        if (n == sizeof buf - 1) {
            close(fd);
            return -1; /* no pid is that long */
        }
    }
    close(fd);
    buf[n] = '\0';
    if (strlen(buf) != n) {
        return -1; /* a NUL byte: int() refuses it */
    }
    return parse_pid(buf, pid);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        usage(argv[0]);
        return 1;
    }
    const char *pidfile = argv[1];
    char *abscmd = abspath(argv[2]);
    if (abscmd == NULL) {
        out(2, "pidproxy: out of memory\n");
        return 1;
    }

    sigset_t set, old;
    sigemptyset(&set);
    for (size_t i = 0; i < NFORWARDED; i++) {
        sigaddset(&set, FORWARDED[i]);
    }
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);
    /* an inherited SIG_IGN would discard the signal even while blocked; the command gets defaults, as after
       Python's exec */
    for (size_t i = 0; i < NFORWARDED; i++) {
        signal(FORWARDED[i], SIG_DFL);
    }
    signal(SIGCHLD, SIG_DFL);

    pid_t child = fork();
    if (child < 0) {
        perror("pidproxy: fork");
        return 1;
    }
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        execv(abscmd, argv + 2);
        _exit(127);
    }

    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&set, &info);
        if (sig < 0) {
            continue; /* EINTR */
        }
        if (sig == SIGCHLD) {
            int status;
            pid_t reaped = waitpid(-1, &status, WNOHANG);
            if (reaped > 0) {
                return 0;
            }
            continue;
        }
        long long pid;
        if (read_pidfile(pidfile, &pid) != 0 || pid < INT_MIN || pid > INT_MAX) {
            char *msg;
            if (asprintf(&msg, "Can't read child pidfile %s!\n", pidfile) >= 0) {
                out(1, msg);
                free(msg);
            }
            continue;
        }
        if (kill((pid_t) pid, sig) != 0) {
            char *msg;
            if (asprintf(&msg, "pidproxy: cannot send %s to pid %lld: %s\n", sigabbrev_np(sig) ? sigabbrev_np(sig)
                    : "signal", pid, strerror(errno)) >= 0) {
                out(2, msg);
                free(msg);
            }
            return 1;
        }
        if (sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) {
            return 0;
        }
    }
}
