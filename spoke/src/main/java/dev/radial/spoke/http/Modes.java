package dev.radial.spoke.http;

import dev.radial.spoke.os.Native;
import java.io.IOException;
import java.nio.file.Path;

/** Owner helper for the socket file (its mode: {@link dev.radial.common.util.FileModes}). */
final class Modes {
    private Modes() {
    }

    static void chown(Path file, int uid, int gid) throws IOException {
        if (Native.POSIX.chown(file.toString(), uid, gid) != 0) {
            throw new IOException("chown " + file + " to " + uid + ":" + gid + " failed");
        }
    }
}
