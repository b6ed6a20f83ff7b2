package dev.radial.spoke;

import dev.radial.spoke.os.Native;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's locale coercion (PEP 538) for a spoke started without its launcher: supervisord's interpreter
 * sets {@code LC_CTYPE=C.UTF-8} when LC_ALL is empty and the locale is C, and its children inherit it. A JVM
 * fixes its file-name encoding ({@code sun.jnu.encoding}) when it starts: in the C locale it is ASCII, and a
 * program named {@code test_öäü} cannot be logged, spawned or listed. bin/_launch and the images' launcher
 * coerce before the JVM starts ({@code compose/images/radial-env.sh}); for any other start (plain
 * {@code java}, a test harness, a custom image) the spoke re-executes itself once, in place (same pid, so
 * PID 1 stays PID 1), with LC_CTYPE=C.UTF-8 added to exactly the environment and arguments it received.
 * Called first thing in {@code main}, on the main thread, before any other thread of ours exists.
 */
final class LocaleCoercion {
    static final String COERCED = "C.UTF-8";

    private LocaleCoercion() {
    }

    /** Whether Python would coerce: LC_ALL empty, PYTHONCOERCECLOCALE not 0, and the JVM got an ASCII locale. */
    static boolean needed(String jnuEncoding, Map<String, String> env) {
        return !"UTF-8".equalsIgnoreCase(jnuEncoding) && env.getOrDefault("LC_ALL", "").isEmpty()
                && !"0".equals(env.get("PYTHONCOERCECLOCALE"));
    }

    /** The environment to re-execute with: the raw one received, LC_CTYPE replaced by C.UTF-8. */
    static List<String> coercedEnvironment(List<String> environ) {
        List<String> out = new ArrayList<>();
        for (String e : environ) {
            if (!e.startsWith("LC_CTYPE=")) {
                out.add(e);
            }
        }
        out.add("LC_CTYPE=" + COERCED);
        return out;
    }

    /** Re-executes when {@link #needed}; returns when it is not, or when it cannot (with a warning). */
    static void apply(PrintStream err) {
        Map<String, String> env = System.getenv();
        String jnu = System.getProperty("sun.jnu.encoding");
        if (!needed(jnu, env)) {
            if (!"UTF-8".equalsIgnoreCase(jnu)) {
                warn(err, jnu, "LC_ALL=" + env.get("LC_ALL") + " is not a UTF-8 locale");
            }
            return;
        }
        if (COERCED.equals(env.get("LC_CTYPE"))) {
            warn(err, jnu, "this system has no C.UTF-8 locale"); // already coerced: never loop
            return;
        }
        try {
            List<String> argv = nulSeparated(Path.of("/proc/self/cmdline"));
            List<String> envp = coercedEnvironment(nulSeparated(Path.of("/proc/self/environ")));
            err.flush();
            Native.POSIX.execve("/proc/self/exe", argv, envp);
            warn(err, jnu, "re-executing with LC_CTYPE=C.UTF-8 failed: " + Native.strerror(Native.errno()));
        } catch (IOException e) {
            warn(err, jnu, "cannot re-execute with LC_CTYPE=C.UTF-8: " + e.getMessage());
        }
    }

    private static void warn(PrintStream err, String jnu, String why) {
        err.println("spoke: WARNING: the JVM's file-name encoding is " + jnu + " (" + why + "): program names, "
                + "paths and output beyond ASCII will fail; set LC_CTYPE=C.UTF-8 (bin/spoke and the images do)");
    }

    /** The strings of a NUL-separated /proc file, which must be UTF-8 (else nothing could be passed on exactly). */
    private static List<String> nulSeparated(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8");
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\0') {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }
}
