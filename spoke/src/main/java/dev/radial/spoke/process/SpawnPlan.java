package dev.radial.spoke.process;

import dev.radial.common.config.ProcessConfig;
import dev.radial.common.config.Users;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a spawn of a {@link Subprocess} executes: the command resolved on the program's PATH, wrapped in
 * util-linux setpriv to switch user (posix_spawn cannot), and the child's environment as supervisord builds it.
 * Either a request for the launcher or the spawn error (supervisord's spawnerr) saying why not. Engine thread.
 */
final class SpawnPlan {
    /** The outcome: a request to launch, or why the spawn cannot happen. */
    sealed interface Outcome {
        record Launch(ProcessLauncher.SpawnRequest request) implements Outcome {
        }

        record Refused(String spawnerr) implements Outcome {
        }
    }

    private SpawnPlan() {
    }

    /** The command resolved on the program's PATH (else the daemon's); what startProcess checks first. */
    static CommandLine.Resolved resolve(ProcessHost host, ProcessConfig config) throws CommandLine.BadCommand {
        String path = config.environment().get("PATH");
        if (path == null) {
            path = host.baseEnvironment().get("PATH");
        }
        return CommandLine.resolve(config.command(), path);
    }

    static Outcome of(ProcessHost host, ProcessConfig config, String group) {
        CommandLine.Resolved cmd;
        try {
            cmd = resolve(host, config);
        } catch (CommandLine.BadCommand e) {
            return new Outcome.Refused(e.getMessage());
        } catch (InvalidPathException e) {
            return new Outcome.Refused("can't find command '" + config.command() + "': " + e.getMessage());
        }
        List<String> argv = cmd.argv();
        String path = cmd.path();
        // the spoke's uid only matters with user= (a downcall per spawn otherwise: bin/bench row 1)
        if (config.uid() != null && config.uid() != host.launcher().uid()) {
            if (host.launcher().uid() != 0) {
                return new Outcome.Refused("Can't drop privilege as nonroot user");
            }
            // posix_spawn cannot switch user: exec through util-linux setpriv, which then execs the program
            // in the same pid (README, "Differences from supervisord")
            Path setpriv = Path.of("/usr/bin/setpriv");
            if (!Files.isExecutable(setpriv)) {
                return new Outcome.Refused("user=" + config.user()
                        + " needs /usr/bin/setpriv (util-linux) to switch user");
            }
            int gid = Users.byUid(config.uid()).map(Users.User::gid).orElse(config.uid());
            List<String> wrapped = new ArrayList<>(List.of(setpriv.toString(), "--reuid=" + config.uid(),
                    "--regid=" + gid, "--init-groups", "--", path));
            wrapped.addAll(argv.subList(1, argv.size()));
            argv = wrapped;
            path = setpriv.toString();
        }
        return new Outcome.Launch(new ProcessLauncher.SpawnRequest(path, argv, environment(host, config, group),
                config.directory(), config.umask(), config.redirectStderr()));
    }

    private static Map<String, String> environment(ProcessHost host, ProcessConfig config, String group) {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("SUPERVISOR_ENABLED", "1");
        String url = config.serverurl() != null ? config.serverurl() : host.serverUrl();
        if (url != null) {
            own.put("SUPERVISOR_SERVER_URL", url);
        }
        own.put("SUPERVISOR_PROCESS_NAME", config.name());
        own.put("SUPERVISOR_GROUP_NAME", group);
        own.putAll(config.environment());
        return new ChildEnvironment(host.baseEnvironment(), own);
    }
}
