package dev.radial.spoke.os;

/** Identity and ownership calls (what jnr-posix's facade used to give the spoke), on {@link Libc}. */
public final class Posix {
    private final Libc libc;

    Posix(Libc libc) {
        this.libc = libc;
    }

    public int getpid() {
        return libc.getpid();
    }

    public int getuid() {
        return libc.getuid();
    }

    /**
     * execve(2) of this very process (the spoke's locale coercion): replaces the program, keeps the pid. Returns
     * only when it failed: -1 with {@link Native#errno()}.
     */
    public int execve(String path, java.util.List<String> argv, java.util.List<String> envp) {
        return libc.execve(path, argv, envp);
    }

    /** chown(2): 0, or -1 with {@link Native#errno()}. */
    public int chown(String path, int uid, int gid) {
        return libc.chown(path, uid, gid);
    }
}
