package dev.radial.hub.publish;

import dev.radial.common.config.ConfigException;
import dev.radial.common.config.ConfigLoader;
import dev.radial.common.config.SupervisorConfig;
import dev.radial.hub.git.SyncException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a prepared revision with the spoke's own parser, the way a spoke will see it: includes naming the live
 * root (/config, or $RADIAL_CONFIG_ROOT) are read in the revision, nothing outside the revision is read
 * ({@link ConfigLoader#confineTo}), {@code %(ENV_X)s} expands from {@link SpokeEnv}, never the hub's
 * environment. A refusal names the published path (which still holds the last good content), the section,
 * key and reason, then the line, the file inside its repository and the repository, branch and commit.
 */
final class Validator {
    private final Path configRoot;
    private final SpokeEnv env;

    Validator(Path configRoot, SpokeEnv env) {
        this.configRoot = configRoot;
        this.env = env;
    }

    /**
     * @return warnings: files under supervisor/ that no [include] pattern matches (so no spoke loads them), and
     *     the parser's own warnings
     * @throws SyncException the revision is invalid (see the class comment for what the message holds)
     */
    List<String> validate(Path dir, Map<String, Composer.Placed> files, boolean somethingPublished)
            throws SyncException {
        Path conf = dir.resolve("supervisor/supervisord.conf");
        if (!Files.isRegularFile(conf, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(conf)) {
            throw new SyncException("invalid configuration: supervisor/supervisord.conf is missing");
        }
        SupervisorConfig config;
        try {
            // directories such as /log/%(host_node_name)s exist in each spoke's container, not here
            config = ConfigLoader.create().environment(env.values()).rebase(configRoot, dir)
                    .rebase(Path.of("/config"), dir).confineTo(dir).checkPaths(false).load(conf);
        } catch (ConfigException e) {
            throw new SyncException(refusal(dir, files, e, somethingPublished), e);
        }
        List<String> warnings = new ArrayList<>();
        Set<String> included = new HashSet<>();
        for (Path p : config.includedFiles()) {
            Path n = p.toAbsolutePath().normalize();
            if (n.startsWith(dir)) {
                included.add(dir.relativize(n).toString());
            }
        }
        for (Map.Entry<String, Composer.Placed> f : files.entrySet()) {
            String path = f.getKey();
            if (path.startsWith("supervisor/") && !path.equals("supervisor/supervisord.conf")
                    && !included.contains(path) && !documentation(path)) {
                warnings.add(path + " from " + f.getValue().from().origin() + " is matched by no [include] of "
                        + "supervisord.conf: no spoke loads it");
            }
        }
        for (String w : config.warnings()) {
            warnings.add(w.replace(dir.toString(), configRoot.toString()));
        }
        return warnings;
    }

    private static boolean documentation(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase();
        return name.endsWith(".md") || name.endsWith(".txt") || name.startsWith("readme");
    }

    private String refusal(Path dir, Map<String, Composer.Placed> files, ConfigException e,
            boolean somethingPublished) {
        String reason = e.reason().replace(dir.toString(), configRoot.toString());
        Path file = e.file() == null ? null : e.file().toAbsolutePath().normalize();
        if (file == null || !file.startsWith(dir)) {
            return "invalid configuration: " + new ConfigException(null, e.line(), e.section(), e.key(), reason)
                    .getMessage();
        }
        String rel = dir.relativize(file).toString();
        Path published = configRoot.resolve(rel);
        StringBuilder sb = new StringBuilder("invalid configuration: ")
                .append(new ConfigException(published, e.line(), e.section(), e.key(), reason).getMessage())
                .append(" (");
        if (e.line() > 0) {
            sb.append("line ").append(e.line()).append(" of ");
        }
        sb.append(rel);
        Composer.Placed from = files.get(rel);
        if (from != null) {
            sb.append(" in ").append(from.from().origin());
        }
        sb.append("; ").append(somethingPublished ? published + " still holds the last good revision"
                : "nothing is published until a revision is valid").append(')');
        return sb.toString();
    }
}
