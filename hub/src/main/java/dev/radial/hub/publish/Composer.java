package dev.radial.hub.publish;

import dev.radial.hub.git.SourceTree;
import dev.radial.hub.git.SyncException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines the sources into one /config tree, in order (the skeleton first). A path two sources provide with the
 * same content is fine; with different content it is a conflict, reported with both sources, never a silent
 * overwrite.
 */
public final class Composer {
    private Composer() {
    }

    /** A file of the combined tree and the source it came from. */
    public record Placed(SourceTree.FileEntry entry, SourceTree from) {
        public String sourceId() {
            return from.source().id();
        }
    }

    public static Map<String, Placed> combine(List<SourceTree> trees) throws SyncException {
        Map<String, Placed> all = new LinkedHashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (SourceTree t : trees) {
            for (Map.Entry<String, SourceTree.FileEntry> f : t.files().entrySet()) {
                Placed before = all.get(f.getKey());
                if (before == null) {
                    all.put(f.getKey(), new Placed(f.getValue(), t));
                } else if (!before.entry().sameAs(f.getValue())) {
                    conflicts.add(f.getKey() + " (" + before.sourceId() + " and " + t.source().id() + ")");
                }
            }
        }
        // a file in one source where another has a directory of the same name
        for (String path : all.keySet()) {
            for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
                if (all.containsKey(path.substring(0, i))) {
                    conflicts.add(path.substring(0, i) + " is a file in " + all.get(path.substring(0, i)).sourceId()
                            + " and a directory in " + all.get(path).sourceId());
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw new SyncException("conflicting files between sources: " + String.join(", ", conflicts));
        }
        return all;
    }
}
