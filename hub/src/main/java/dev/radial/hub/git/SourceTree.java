package dev.radial.hub.git;

import dev.radial.hub.source.Source;
import java.util.Arrays;
import java.util.Map;

/** The files of one source at one revision, read into memory (configuration repositories are small). */
public record SourceTree(Source source, String revision, Map<String, FileEntry> files) {
    /** One file: its bytes and whether git marks it executable or as a symlink (content is then the target). */
    public record FileEntry(byte[] content, boolean executable, boolean symlink) {
        public boolean sameAs(FileEntry o) {
            return executable == o.executable && symlink == o.symlink && Arrays.equals(content, o.content);
        }
    }
}
