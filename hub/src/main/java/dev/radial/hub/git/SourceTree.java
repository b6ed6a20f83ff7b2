package dev.radial.hub.git;

import dev.radial.hub.source.Source;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The files of one source at one revision. File contents are not held in memory: each entry knows its git blob
 * id (what two sources compare), its size (checked against {@link Limits} before anything is read) and how to
 * open a stream on its bytes, which the publisher copies to disk.
 */
public record SourceTree(Source source, String revision, Map<String, FileEntry> files) {
    /** Opens a fresh stream on a file's bytes; the caller closes it. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    /**
     * One file of the tree.
     *
     * @param blob the git blob id of the content (for a directory source: the id git would give it)
     * @param linkTarget null for a regular file; for a symlink, its target exactly as git stores it (checked to
     *     be a usable path: no NUL byte, not empty, at most {@link Limits#MAX_LINK_TARGET} bytes)
     */
    public record FileEntry(String blob, long size, boolean executable, String linkTarget, Content content) {
        public boolean symlink() {
            return linkTarget != null;
        }

        public boolean sameAs(FileEntry o) {
            return executable == o.executable && symlink() == o.symlink() && blob.equals(o.blob);
        }
    }

    /** "wheel (https://host/wheel.git, branch config, commit 0123456789ab)": where a file of this tree came from. */
    public String origin() {
        String rev = revision.length() > 12 ? revision.substring(0, 12) : revision;
        return source.id() + " (" + source.safeUri() + (revision.startsWith("dir-") ? ", " + rev
                : ", branch " + source.branch() + ", commit " + rev) + ")";
    }
}
