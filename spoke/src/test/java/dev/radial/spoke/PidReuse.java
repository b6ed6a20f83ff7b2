package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Forces a pid to be reused: writes pid - 1 to {@code /proc/sys/kernel/ns_last_pid} (root, in this pid
 * namespace) and starts a process, until the kernel hands it exactly that pid. Other processes on the machine
 * may take it first: then it retries. A test that needs this fails (never skips) where it cannot be done.
 */
public final class PidReuse {
    private static final Path LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

    private PidReuse() {
    }

    /** Starts command so that it gets pid (which must be free now); the caller destroys it. */
    public static Process startWithPid(int pid, List<String> command) throws IOException, InterruptedException {
        if (!Files.isWritable(LAST_PID)) {
            fail(LAST_PID + " is not writable: forcing a pid reuse needs root in this pid namespace");
        }
        for (int attempt = 0; attempt < 500; attempt++) {
            Files.writeString(LAST_PID, Integer.toString(pid - 1));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.pid() == pid) {
                return p;
            }
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            if (Files.exists(Path.of("/proc/" + pid))) {
                fail("pid " + pid + " is in use by another process: cannot reuse it");
            }
        }
        fail("could not get pid " + pid + " in 500 attempts (a busy machine keeps taking it)");
        return null;
    }
}
