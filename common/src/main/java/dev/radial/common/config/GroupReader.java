package dev.radial.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the process groups of a config (supervisord's process_groups_from_parser and
 * processes_from_section), with each key expanded with exactly the names supervisord offers at that point.
 */
final class GroupReader {
    private final ConfigLoader.Load load;
    private final DaemonConfig daemon;

    GroupReader(ConfigLoader.Load load, DaemonConfig daemon) {
        this.load = load;
        this.daemon = daemon;
    }

    List<GroupConfig> groups() throws ConfigException {
        List<GroupConfig> groups = new ArrayList<>();
        List<String> all = load.doc.sections();
        Set<String> inHeterogeneous = new LinkedHashSet<>();
        Map<String, Object> hereOnly = Map.of("here", load.here);

        for (String section : all) {
            if (!section.startsWith("group:")) {
                continue;
            }
            String groupName = load.convert(section, null, section.substring(6), Values::name);
            List<String> programs = Values.listOfStrings(load.get(section, "programs", null, hereOnly));
            int priority = load.convert(section, "priority", load.get(section, "priority", "999", hereOnly),
                    Values::integer);
            List<ProcessConfig> processes = new ArrayList<>();
            for (String program : programs) {
                String ps = "program:" + program;
                String fs = "fcgi-program:" + program;
                boolean hasP = all.contains(ps);
                boolean hasF = all.contains(fs);
                if (!hasP && !hasF) {
                    throw load.error(section, "programs", null, "names unknown program or fcgi-program " + program);
                }
                if (hasP && hasF) {
                    throw load.error(section, "programs", null,
                            "name " + program + " is ambiguous (exists as program and fcgi-program)");
                }
                String member = hasP ? ps : fs;
                inHeterogeneous.add(member);
                processes.addAll(processes(member, groupName));
            }
            // no sort here: supervisord keeps the order of programs= for a [group:x]
            groups.add(new GroupConfig(groupName, priority, GroupConfig.Kind.PROCESS, processes, List.of(), 0, null,
                    null));
        }

        for (String section : all) {
            if (!section.startsWith("program:") || inHeterogeneous.contains(section)) {
                continue;
            }
            String name = load.convert(section, null, section.substring(8), Values::name);
            int priority = load.convert(section, "priority", load.get(section, "priority", "999", hereOnly),
                    Values::integer);
            groups.add(new GroupConfig(name, priority, GroupConfig.Kind.PROCESS, processes(section, name), List.of(),
                    0, null, null));
        }

        for (String section : all) {
            if (!section.startsWith("eventlistener:")) {
                continue;
            }
            String pool = section.substring("eventlistener:".length());
            // listeners default to priority -1: started first, stopped last
            int priority = load.convert(section, "priority", load.get(section, "priority", "-1", hereOnly),
                    Values::integer);
            int bufferSize = load.convert(section, "buffer_size", load.get(section, "buffer_size", "10", hereOnly),
                    Values::integer);
            if (bufferSize < 1) {
                throw load.error(section, "buffer_size", null, "invalid buffer_size (" + bufferSize + ")");
            }
            String handler = load.get(section, "result_handler", ConfigLoader.DEFAULT_RESULT_HANDLER, hereOnly);
            if (!handler.equals(ConfigLoader.DEFAULT_RESULT_HANDLER)) {
                throw load.error(section, "result_handler", null, handler
                        + " cannot be resolved (only " + ConfigLoader.DEFAULT_RESULT_HANDLER + " is available)");
            }
            Set<String> events = new LinkedHashSet<>();
            for (String e : Values.listOfStrings(load.get(section, "events", "", hereOnly))) {
                events.add(e.toUpperCase());
            }
            if (events.isEmpty()) {
                throw load.error(section, "events", null, "section requires an \"events\" line");
            }
            for (String e : events) {
                if (!ConfigLoader.EVENT_TYPES.contains(e)) {
                    throw load.error(section, "events", null, "Unknown event type " + e);
                }
            }
            boolean redirect = load.convert(section, "redirect_stderr",
                    load.get(section, "redirect_stderr", "false", hereOnly), Values::bool);
            if (redirect) {
                throw load.error(section, "redirect_stderr", null,
                        "redirect_stderr=true is not allowed: it would interfere with the eventlistener protocol");
            }
            groups.add(new GroupConfig(pool, priority, GroupConfig.Kind.EVENTLISTENER, processes(section, pool),
                    new ArrayList<>(events), bufferSize, handler, null));
        }

        for (String section : all) {
            if (!section.startsWith("fcgi-program:") || inHeterogeneous.contains(section)) {
                continue;
            }
            String name = load.convert(section, null, section.substring("fcgi-program:".length()), Values::name);
            int priority = load.convert(section, "priority", load.get(section, "priority", "999", hereOnly),
                    Values::integer);
            String socket = load.get(section, "socket", null, Map.of("here", load.here, "program_name", name));
            if (socket == null || socket.isEmpty()) {
                throw load.error(section, "socket", null, "section requires a \"socket\" line");
            }
            if (!socket.startsWith("unix://") && !socket.matches("tcp://[^\\s:]+:\\d+")) {
                throw load.error(section, "socket", null, "Bad socket format " + socket);
            }
            groups.add(new GroupConfig(name, priority, GroupConfig.Kind.FCGI, processes(section, name), List.of(), 0,
                    null, socket));
        }
        groups.sort(ConfigLoader.groupOrder());
        new DependencyCheck(load).check(groups);
        return groups;
    }

    /** processes_from_section for one program-like section. */
    private List<ProcessConfig> processes(String section, String groupName) throws ConfigException {
        String programName = load.convert(section, null, section.substring(section.indexOf(':') + 1), Values::name);
        Map<String, Object> common = new HashMap<>();
        common.put("here", load.here);
        common.put("program_name", programName);
        common.put("host_node_name", load.hostNodeName);
        common.put("group_name", groupName);

        int priority = integer(section, "priority", "999", common);
        boolean autostart = load.convert(section, "autostart", load.get(section, "autostart", "true", common),
                Values::bool);
        AutoRestart autorestart = load.convert(section, "autorestart",
                load.get(section, "autorestart", "unexpected", common), Values::autoRestart);
        int startsecs = integer(section, "startsecs", "1", common);
        int startretries = load.convert(section, "startretries", load.get(section, "startretries", "3", common),
                v -> {
                    try {
                        return Values.integer(v);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(e.getMessage()
                                + " (for retries without end, write startretries_unlimited=true)");
                    }
                });
        // ours: a separate key, since supervisord refuses a startretries that is not an integer but ignores a key
        // it does not know, so a config using it still loads there (with supervisord's bounded retries)
        boolean startretriesUnlimited = bool(section, "startretries_unlimited", "false", common);
        int stopsignal = load.convert(section, "stopsignal", load.get(section, "stopsignal", "TERM", common),
                Signals::parse);
        int stopwaitsecs = integer(section, "stopwaitsecs", "10", common);
        boolean stopasgroup = bool(section, "stopasgroup", "false", common);
        boolean killasgroup = bool(section, "killasgroup", Boolean.toString(stopasgroup), common);
        List<Integer> exitcodes = load.convert(section, "exitcodes", load.get(section, "exitcodes", "0", common),
                Values::exitCodes);
        boolean redirect = bool(section, "redirect_stderr", "false", common);
        int numprocs = integer(section, "numprocs", "1", common);
        int numprocsStart = integer(section, "numprocs_start", "0", common);
        String environmentStr = load.raw(section, "environment");
        if (environmentStr == null) {
            environmentStr = "";
        }
        long outCapture = bytes(section, "stdout_capture_maxbytes", "0", common);
        boolean outEvents = bool(section, "stdout_events_enabled", "false", common);
        long errCapture = bytes(section, "stderr_capture_maxbytes", "0", common);
        boolean errEvents = bool(section, "stderr_events_enabled", "false", common);
        String serverurl = load.get(section, "serverurl", null, common);
        if (serverurl != null && serverurl.strip().equalsIgnoreCase("AUTO")) {
            serverurl = null;
        }
        String user = load.get(section, "user", null, common);
        Integer uid = user == null ? null : load.convert(section, "user", user, Users::nameToUid);
        String umaskStr = load.get(section, "umask", null, common);
        Integer umask = umaskStr == null ? null : load.convert(section, "umask", umaskStr, Values::octal);
        String processNameTemplate = load.raw(section, "process_name");
        if (processNameTemplate == null) {
            processNameTemplate = "%(program_name)s";
        }
        // supervisord checks the template, not the expanded name
        load.convert(section, "process_name", processNameTemplate, Values::name);
        if (numprocs > 1 && !processNameTemplate.contains("%(process_num)")) {
            throw load.error(section, "process_name", null,
                    "%(process_num) must be present within process_name when numprocs > 1");
        }
        if (stopasgroup && !killasgroup) {
            throw load.error(section, "killasgroup", null, "Cannot set stopasgroup=true and killasgroup=false");
        }
        boolean forward = bool(section, "forward_output", Boolean.toString(daemon.forwardOutput()), common);
        boolean failFast = bool(section, "fail_fast", "false", common);
        LogFormat logFormat = load.convert(section, "log_format",
                load.get(section, "log_format", daemon.logFormat().word(), common), LogFormat::parse);
        RestartDelay restartDelay = restartDelay(section, common);
        List<Dependency> dependsOn = load.convert(section, "depends_on", load.get(section, "depends_on", "", common),
                Dependency::parseList);
        String scheduleText = load.get(section, "schedule", null, common);
        Cron schedule = scheduleText == null || scheduleText.isBlank() ? null
                : load.convert(section, "schedule", scheduleText, Cron::parse);
        String limitText = load.get(section, "restart_limit", null, common);
        RestartLimit restartLimit = limitText == null || limitText.isBlank() ? null
                : load.convert(section, "restart_limit", limitText, RestartLimit::parse);

        List<ProcessConfig> out = new ArrayList<>();
        for (int num = numprocsStart; num < numprocsStart + numprocs; num++) {
            // supervisord mutates one expansions dict across iterations; the names are the same each time
            common.put("process_num", num);
            common.put("numprocs", numprocs);
            common.putAll(load.envExpansions);
            Map<String, String> programEnv = load.convert(section, "environment",
                    load.expand(environmentStr, common, section, "environment", null), Values::environment);
            programEnv.forEach((k, v) -> common.put("ENV_" + k, v));
            String directory = load.get(section, "directory", null, common);
            LogConfig stdout = log(section, "stdout", common, outCapture, outEvents);
            LogConfig stderr = log(section, "stderr", common, errCapture, errEvents);
            if (redirect) {
                if (!stderr.none() && !stderr.auto()) {
                    load.warnings.add("For [" + section + "], redirect_stderr=true but stderr_logfile has also been "
                            + "set to a filename, the filename has been ignored");
                }
                stderr = new LogConfig(null, false, stderr.maxbytes(), stderr.backups(), stderr.captureMaxbytes(),
                        stderr.eventsEnabled(), stderr.syslog());
            }
            String command = load.get(section, "command", null, common);
            if (command == null) {
                throw load.error(section, "command", null, "program section " + section
                        + " does not specify a command");
            }
            String name = load.expand(processNameTemplate, common, section, "process_name", null);
            // the documented order: [supervisord] environment=, then environment_file=, then environment=
            Map<String, String> env = new java.util.LinkedHashMap<>(daemon.environment());
            env.putAll(environmentFile(section, common));
            env.putAll(programEnv);
            Probe readiness = ProbeReader.read(load, section, Probe.Kind.READINESS, common);
            Probe liveness = ProbeReader.read(load, section, Probe.Kind.LIVENESS, common);
            out.add(new ProcessConfig(name, programName, command, directory, umask, priority, autostart, autorestart,
                    startsecs, startretries, uid, user, stdout, stderr, stopsignal, stopwaitsecs, stopasgroup,
                    killasgroup, exitcodes, redirect, env, serverurl, forward, failFast, restartDelay, dependsOn,
                    schedule, restartLimit, logFormat, startretriesUnlimited, readiness, liveness));
        }
        out.sort(ConfigLoader.processOrder());
        return out;
    }

    /**
     * {@code environment_file=} (ours): a dotenv file read each time the config is loaded, so a change in it
     * is a changed program at the next update. A relative path is relative to the file of the section. A
     * confined load (the hub validating a revision) reads it inside the revision, and skips one outside it.
     */
    private Map<String, String> environmentFile(String section, Map<String, Object> names) throws ConfigException {
        String value = load.get(section, "environment_file", null, names);
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        java.nio.file.Path file;
        try {
            file = java.nio.file.Path.of(value.strip());
            if (!file.isAbsolute()) {
                java.nio.file.Path of = load.doc.fileOf(section);
                file = (of != null ? of.toAbsolutePath().getParent() : java.nio.file.Path.of(load.here)).resolve(file);
            }
        } catch (java.nio.file.InvalidPathException e) {
            throw load.error(section, "environment_file", null, "'" + value + "' is not a path");
        }
        java.nio.file.Path resolved = load.readable(section, "environment_file", file);
        if (resolved == null) {
            return Map.of(); // outside what the hub validates: the spoke reads it at its own load
        }
        return load.convert(section, "environment_file", value, v -> DotEnv.read(resolved));
    }

    /** The crash-loop brake keys (ours; supervisord ignores unknown keys, so the file stays loadable by it). */
    private RestartDelay restartDelay(String section, Map<String, Object> names) throws ConfigException {
        RestartDelay d = RestartDelay.DEFAULT;
        Duration initial = seconds(section, "restart_delay", d.initial(), names);
        Duration max = seconds(section, "restart_delay_max", d.max(), names);
        Duration reset = seconds(section, "restart_delay_reset", d.reset(), names);
        if (max.compareTo(initial) < 0) {
            // name the key that was written: a restart_delay above the default cap needs restart_delay_max too
            String key = load.get(section, "restart_delay_max", null, names) != null ? "restart_delay_max"
                    : "restart_delay";
            throw load.error(section, key, null, "restart_delay_max (" + RestartDelay.seconds(max)
                    + ") must not be less than restart_delay (" + RestartDelay.seconds(initial) + ")");
        }
        return new RestartDelay(initial, max, reset);
    }

    private Duration seconds(String section, String key, Duration dflt, Map<String, Object> names)
            throws ConfigException {
        return load.convert(section, key, load.get(section, key, RestartDelay.seconds(dflt), names),
                RestartDelay::seconds);
    }

    private LogConfig log(String section, String channel, Map<String, Object> names, long capture, boolean events)
            throws ConfigException {
        String key = channel + "_logfile";
        String value = load.get(section, key, null, names);
        String path = null;
        boolean auto = value == null;
        boolean syslog = bool(section, channel + "_syslog", "false", names);
        if (value != null) {
            // 4.2.5 expands std*_logfile twice: a literal '%' cannot be written here
            value = load.expand(value, names, section, key, null);
            String lower = value.toLowerCase();
            if (lower.equals("none") || lower.equals("off")) {
                path = null;
            } else if (lower.equals("auto")) {
                auto = true;
            } else if (lower.equals("syslog")) {
                load.warnings.add("For [" + section + "], " + key + "=syslog but this is deprecated and will be "
                        + "removed.  Use " + channel + "_syslog=true to enable syslog instead.");
                syslog = true;
            } else {
                path = load.convert(section, key, value, load::existingDirpath);
            }
        }
        int backups = integer(section, channel + "_logfile_backups", "10", names);
        long maxbytes = bytes(section, channel + "_logfile_maxbytes", "50MB", names);
        if (auto && maxbytes == 0) {
            load.warnings.add("For [" + section + "], AUTO logging used for " + key + " without rollover, set "
                    + "maxbytes > 0 to avoid filling up filesystem unintentionally");
        }
        return new LogConfig(path, auto, maxbytes, backups, capture, events, syslog);
    }

    private int integer(String section, String key, String dflt, Map<String, Object> names) throws ConfigException {
        return load.convert(section, key, load.get(section, key, dflt, names), Values::integer);
    }

    private boolean bool(String section, String key, String dflt, Map<String, Object> names) throws ConfigException {
        return load.convert(section, key, load.get(section, key, dflt, names), Values::bool);
    }

    private long bytes(String section, String key, String dflt, Map<String, Object> names) throws ConfigException {
        return load.convert(section, key, load.get(section, key, dflt, names), Values::byteSize);
    }
}
