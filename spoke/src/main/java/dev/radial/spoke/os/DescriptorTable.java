package dev.radial.spoke.os;

/**
 * Grows the spoke's file descriptor table once, ahead of the spawns that need it. The kernel doubles the table
 * when an fd past its end is handed out, and in a multi-threaded process each doubling waits for an RCU grace
 * period ({@code expand_fdtable}'s synchronize_rcu): measured 7-11 ms each on a 2-core VM, for the pipe2() that
 * returned fd 256, 512 and 1024 during a startAllProcesses of 300 programs (strace -T), five doublings in all
 * between 64 and 2048. Reserved here, that wait happens once while groups are added, not inside the spawns. The
 * table never shrinks, and costs 8 bytes of kernel memory per slot (16 KiB for 2048). Engine thread only.
 */
public final class DescriptorTable {
    /** What the spoke holds per process at most: stdin, stdout and stderr pipe ends, a pidfd, two log files. */
    public static final int PER_PROCESS = 6;
    /** The JVM's own (jars, sockets, epoll) and the spoke's, beside its children's. */
    public static final int BASE = 64;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private int reserved;

    /** Makes room for {@code count} descriptors if not done yet; harmless when it cannot (fd limit lower). */
    public void reserve(int count) {
        if (count <= reserved) {
            return;
        }
        int[] fds = new int[2];
        if (Native.LIBC.pipe2(fds, Native.O_CLOEXEC) != 0) {
            return; // out of descriptors already: the spawns will say so
        }
        try {
            // the lowest free fd >= n - 1 makes the table hold n slots; over RLIMIT_NOFILE: try half as many
            for (int n = count; n > BASE; n /= 2) {
                int dup = Native.LIBC.fcntl(fds[0], F_DUPFD_CLOEXEC, n - 1);
                if (dup >= 0) {
                    Native.LIBC.close(dup);
                    break;
                }
            }
            reserved = count;
        } finally {
            Native.LIBC.close(fds[0]);
            Native.LIBC.close(fds[1]);
        }
    }
}
