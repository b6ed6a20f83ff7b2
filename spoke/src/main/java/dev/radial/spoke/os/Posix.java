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

    /** chown(2): 0, or -1 with {@link Native#errno()}. */
    public int chown(String path, int uid, int gid) {
        return libc.chown(path, uid, gid);
    }
}
