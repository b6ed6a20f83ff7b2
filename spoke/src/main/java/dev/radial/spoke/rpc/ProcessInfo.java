package dev.radial.spoke.rpc;

import dev.radial.common.config.GroupConfig;
import dev.radial.common.config.ProcessConfig;
import dev.radial.common.states.ProcessState;
import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import dev.radial.spoke.engine.Engine;
import dev.radial.spoke.process.ProcessGroup;
import dev.radial.spoke.process.Subprocess;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** getProcessInfo, getAllProcessInfo and getAllConfigInfo, field for field as supervisord. Engine thread only. */
final class ProcessInfo {
    private final Engine engine;
    private final Lookup lookup;

    ProcessInfo(Engine engine, Lookup lookup) {
        this.engine = engine;
        this.lookup = lookup;
    }

    Map<String, Object> processInfo(String name) throws XmlRpcFault {
        Lookup.Target t = lookup.find(name);
        if (t.process() == null) {
            throw new XmlRpcFault(Fault.BAD_NAME, name);
        }
        return info(t.process(), engine);
    }

    List<Object> allProcessInfo() {
        List<Object> out = new ArrayList<>();
        for (Subprocess p : lookup.all(true)) {
            out.add(info(p, engine));
        }
        return out;
    }

    static Map<String, Object> info(Subprocess p, Engine engine) {
        long now = System.currentTimeMillis() / 1000;
        int start = (int) (p.laststartWall() / 1000);
        int stop = (int) (p.laststopWall() / 1000);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("group", p.group());
        m.put("start", start);
        m.put("stop", stop);
        m.put("now", (int) now);
        m.put("state", p.state().code());
        m.put("statename", p.state().name());
        m.put("spawnerr", p.spawnerr() == null ? "" : p.spawnerr());
        m.put("exitstatus", p.exitstatus());
        Path out = p.stdoutLogPath();
        Path err = p.stderrLogPath();
        m.put("logfile", out == null ? "" : out.toString());
        m.put("stdout_logfile", out == null ? "" : out.toString());
        m.put("stderr_logfile", err == null ? "" : err.toString());
        m.put("pid", p.pid());
        m.put("description", describe(p, start, stop, (int) now));
        // ours, after supervisord's keys (supervisorctl reads the keys it knows and ignores the rest), and only for
        // a process with probes, so that an answer without them stays supervisord's byte for byte: the probes'
        // combined verdict and each probe's last outcome
        if (p.config().probed()) {
            dev.radial.spoke.health.HealthMonitor.View h = engine.health().view(p);
            m.put("health", h.health());
            m.put("health_description", h.description());
        }
        return m;
    }

    private static final DateTimeFormatter STOPPED_AT = DateTimeFormatter.ofPattern("MMM dd hh:mm a", Locale.ENGLISH);

    private static String twoDigits(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }

    /** supervisord's _interpretProcessInfo. */
    static String describe(Subprocess p, int start, int stop, int now) {
        switch (p.state()) {
            case RUNNING -> {
                long up = Math.max(0, now - start);
                long days = up / 86400;
                long rest = up % 86400;
                // "%d:%02d:%02d" by hand: String.format per process was a visible share of a 300-process status
                String hms = rest / 3600 + ":" + twoDigits((rest % 3600) / 60) + ":" + twoDigits(rest % 60);
                String uptime = days == 0 ? hms : days + (days == 1 ? " day, " : " days, ") + hms;
                return "pid " + p.pid() + ", uptime " + uptime;
            }
            case FATAL, BACKOFF -> {
                String err = p.spawnerr();
                return err == null || err.isEmpty() ? "unknown error (try \"tail " + p.name() + "\")" : err;
            }
            case STOPPED, EXITED -> {
                if (p.state() == ProcessState.STOPPED && p.waitingFor() != null) {
                    return p.waitingFor(); // depends_on
                }
                if (start == 0) {
                    return "Not started";
                }
                return STOPPED_AT.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(stop), ZoneId.systemDefault()));
            }
            default -> {
                return "";
            }
        }
    }

    List<Object> allConfigInfo() {
        List<Object> out = new ArrayList<>();
        Map<String, ProcessGroup> active = engine.groups();
        for (GroupConfig g : engine.config().groups()) {
            boolean inuse = active.containsKey(g.name());
            for (ProcessConfig pc : g.processes()) {
                Subprocess running = inuse ? active.get(g.name()).processes().get(pc.name()) : null;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("autostart", pc.autostart());
                m.put("directory", pc.directory() == null ? "none" : pc.directory());
                m.put("uid", pc.uid() == null ? "none" : (Object) pc.uid());
                m.put("command", pc.command());
                m.put("exitcodes", new ArrayList<Object>(pc.exitcodes()));
                m.put("group", g.name());
                m.put("group_prio", g.priority());
                m.put("inuse", inuse);
                m.put("killasgroup", pc.killasgroup());
                m.put("name", pc.name());
                m.put("process_prio", pc.priority());
                m.put("redirect_stderr", pc.redirectStderr());
                m.put("startretries", pc.startretries());
                m.put("startsecs", pc.startsecs());
                m.put("stdout_capture_maxbytes", (int) pc.stdout().captureMaxbytes());
                m.put("stdout_events_enabled", pc.stdout().eventsEnabled());
                m.put("stdout_logfile", ConfigInfo.logfile(pc.stdout(), running == null ? null : running.stdoutLogPath()));
                m.put("stdout_logfile_backups", pc.stdout().backups());
                m.put("stdout_logfile_maxbytes", (int) pc.stdout().maxbytes());
                m.put("stdout_syslog", pc.stdout().syslog());
                m.put("stopsignal", pc.stopsignal());
                m.put("stopwaitsecs", pc.stopwaitsecs());
                m.put("stderr_capture_maxbytes", (int) pc.stderr().captureMaxbytes());
                m.put("stderr_events_enabled", pc.stderr().eventsEnabled());
                m.put("stderr_logfile", ConfigInfo.logfile(pc.stderr(), running == null ? null : running.stderrLogPath()));
                m.put("stderr_logfile_backups", pc.stderr().backups());
                m.put("stderr_logfile_maxbytes", (int) pc.stderr().maxbytes());
                m.put("stderr_syslog", pc.stderr().syslog());
                m.put("serverurl", ConfigInfo.serverurl(pc.serverurl()));
                out.add(m);
            }
        }
        out.sort(Comparator.comparing((Object o) -> (String) ((Map<?, ?>) o).get("name")));
        return out;
    }
}
