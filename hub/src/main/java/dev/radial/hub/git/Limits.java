package dev.radial.hub.git;

import java.util.Map;

/**
 * What one revision may hold, checked from git's object sizes before a byte is read, so a hostile push gets a
 * clear error instead of exhausting the hub's memory or disk: {@code HUB_MAX_FILE_BYTES} per file (default
 * 16 MiB), {@code HUB_MAX_REVISION_BYTES} for all files of all sources together (default 256 MiB),
 * {@code HUB_MAX_FILES} files (default 100000). Sizes accept a K, M or G suffix (powers of 1024).
 */
public record Limits(long maxFileBytes, long maxRevisionBytes, long maxFiles) {
    /** The longest symlink target accepted (PATH_MAX - 1). */
    public static final int MAX_LINK_TARGET = 4095;

    public static final Limits DEFAULT = new Limits(16L << 20, 256L << 20, 100_000);

    /** @throws IllegalArgumentException a variable that is not a size (the message names it) */
    public static Limits fromEnvironment(Map<String, String> env) {
        return new Limits(size(env, "HUB_MAX_FILE_BYTES", DEFAULT.maxFileBytes),
                size(env, "HUB_MAX_REVISION_BYTES", DEFAULT.maxRevisionBytes),
                size(env, "HUB_MAX_FILES", DEFAULT.maxFiles));
    }

    private static long size(Map<String, String> env, String name, long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        String s = v.strip().toUpperCase();
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.strip());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not a positive size (e.g. 16M)");
        }
    }

    /** Adds up one revision's files; throws at the first limit it passes. */
    public final class Budget {
        private long bytes;
        private long files;

        public void add(String where, long size) throws SyncException {
            if (size > maxFileBytes) {
                throw new SyncException(where + " is " + size + " bytes, over the limit of " + maxFileBytes
                        + " per file (HUB_MAX_FILE_BYTES)");
            }
            bytes += size;
            if (bytes > maxRevisionBytes) {
                throw new SyncException("the revision is over the limit of " + maxRevisionBytes + " bytes "
                        + "(HUB_MAX_REVISION_BYTES), reached at " + where);
            }
            if (++files > maxFiles) {
                throw new SyncException("the revision has more than " + maxFiles + " files (HUB_MAX_FILES), "
                        + "reached at " + where);
            }
        }
    }

    public Budget budget() {
        return new Budget();
    }
}
