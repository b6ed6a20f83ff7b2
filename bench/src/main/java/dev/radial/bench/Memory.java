package dev.radial.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's memory as a container user pays for it, from /proc, in KiB: {@code rss} (VmRSS: every resident
 * page, shared file pages counted in full), {@code anon} (RssAnon: its heap, stacks and other private
 * anonymous memory, which nothing else can share), {@code pss} (Pss from smaps_rollup: each page divided by the
 * number of processes mapping it, so PSS summed over processes is what they use together) and {@code uss}
 * (Private_Clean + Private_Dirty: what would be freed if it exited).
 */
record Memory(long rss, long anon, long pss, long uss) {
    static Memory of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        List<String> status = Files.readAllLines(proc.resolve("status"));
        List<String> rollup = Files.readAllLines(proc.resolve("smaps_rollup"));
        return new Memory(field(status, "VmRSS:"), field(status, "RssAnon:"), field(rollup, "Pss:"),
                field(rollup, "Private_Clean:") + field(rollup, "Private_Dirty:"));
    }

    private static long field(List<String> lines, String name) throws IOException {
        for (String line : lines) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + name + " in /proc (kernel without smaps_rollup?)");
    }
}
