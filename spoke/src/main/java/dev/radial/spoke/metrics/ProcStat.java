package dev.radial.spoke.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time and resident memory of one process from {@code /proc}. Blocking file reads: never on the engine or a
 * selector thread. CPU is {@code utime + stime} of {@code /proc/PID/stat} in clock ticks; Linux reports those to
 * user space in USER_HZ, which is 100 on every architecture the kernel's ABI fixes it for (x86, arm64), so the
 * tick is taken as 1/100 s. RSS is {@code VmRSS} of {@code /proc/PID/status} (kB, no page size needed).
 */
public record ProcStat(double cpuSeconds, long residentBytes) {
    static final double USER_HZ = 100.0;

    /** The figures of {@code pid}, or empty if the process is gone (or was never there). */
    public static Optional<ProcStat> read(Path proc, int pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            Path dir = proc.resolve(Integer.toString(pid));
            return Optional.of(parse(Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1),
                    Files.readString(dir.resolve("status"), StandardCharsets.ISO_8859_1)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone between the two reads, or a kernel thread without VmRSS
        }
    }

    /**
     * The figures of {@code pid} if it is still a child of {@code parent}: the snapshot was taken on the engine
     * thread and the process may have been reaped since, its pid given to somebody else's process.
     */
    public static Optional<ProcStat> readChild(Path proc, int pid, int parent) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"),
                    StandardCharsets.ISO_8859_1);
            return parentOf(stat) == parent ? read(proc, pid) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Field 4 of {@code /proc/PID/stat}, counted from the last ')' like the others. */
    static int parentOf(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("no command name in /proc stat");
        }
        return Integer.parseInt(stat.substring(close + 2).trim().split(" +")[1]);
    }

    /**
     * Parses the two files. The command name in stat is in parentheses and may itself contain spaces and ')', so
     * the fields are counted from the LAST ')': after it come state (field 3) ... utime (14), stime (15).
     */
    static ProcStat parse(String stat, String status) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("no command name in /proc stat");
        }
        String[] f = stat.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state): utime is field 14 -> f[11], stime field 15 -> f[12]
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        long rss = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String v = line.substring(6).trim();
                rss = Long.parseLong(v.substring(0, v.indexOf(' ')).trim()) * 1024;
                break;
            }
        }
        if (rss < 0) {
            throw new IllegalArgumentException("no VmRSS in /proc status");
        }
        return new ProcStat(ticks / USER_HZ, rss);
    }
}
