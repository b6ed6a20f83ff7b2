package dev.radial.common.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration as plain maps, in the shape the oracle script prints for supervisord's own
 * parse ({@code spoke config --dump}). Our extension keys are not part of it.
 */
public final class ConfigDump {
    private ConfigDump() {
    }

    public static Map<String, Object> toMap(SupervisorConfig c) {
        Map<String, Object> root = new LinkedHashMap<>();
        DaemonConfig d = c.daemon();
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("logfile", d.logfile());
        sd.put("logfile_maxbytes", d.logfileMaxbytes());
        sd.put("logfile_backups", d.logfileBackups());
        sd.put("loglevel", d.loglevel());
        sd.put("pidfile", d.pidfile());
        sd.put("umask", d.umask());
        sd.put("nodaemon", d.nodaemon());
        sd.put("silent", d.silent());
        sd.put("minfds", d.minfds());
        sd.put("minprocs", d.minprocs());
        sd.put("nocleanup", d.nocleanup());
        sd.put("childlogdir", d.childlogdir());
        sd.put("user", d.user());
        sd.put("directory", d.directory());
        sd.put("strip_ansi", d.stripAnsi());
        sd.put("environment", d.environment());
        sd.put("identifier", d.identifier());
        root.put("supervisord", sd);
        List<Object> groups = new ArrayList<>();
        for (GroupConfig g : c.groups()) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", g.name());
            gm.put("priority", g.priority());
            gm.put("kind", g.kind().name().toLowerCase());
            if (g.kind() == GroupConfig.Kind.EVENTLISTENER) {
                gm.put("buffer_size", g.bufferSize());
                gm.put("events", g.events().stream().sorted().toList());
            }
            List<Object> procs = new ArrayList<>();
            for (ProcessConfig p : g.processes()) {
                procs.add(process(p));
            }
            gm.put("processes", procs);
            groups.add(gm);
        }
        root.put("groups", groups);
        List<Object> servers = new ArrayList<>();
        for (ServerConfig s : c.servers()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            if (s instanceof ServerConfig.Unix u) {
                sm.put("family", "unix");
                sm.put("file", u.file());
                sm.put("chmod", u.chmod());
                sm.put("chown", List.of(u.chownUid(), u.chownGid()));
            } else if (s instanceof ServerConfig.Inet i) {
                sm.put("family", "inet");
                sm.put("host", i.host());
                sm.put("port", i.port());
            }
            sm.put("username", s.username());
            sm.put("password", s.password());
            servers.add(sm);
        }
        root.put("servers", servers);
        return root;
    }

    public static Map<String, Object> process(ProcessConfig p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("command", p.command());
        m.put("directory", p.directory());
        m.put("umask", p.umask());
        m.put("priority", p.priority());
        m.put("autostart", p.autostart());
        m.put("autorestart", p.autorestart().name().toLowerCase());
        m.put("startsecs", p.startsecs());
        m.put("startretries", p.startretries());
        m.put("uid", p.uid());
        log(m, "stdout", p.stdout());
        log(m, "stderr", p.stderr());
        m.put("stopsignal", p.stopsignal());
        m.put("stopwaitsecs", p.stopwaitsecs());
        m.put("stopasgroup", p.stopasgroup());
        m.put("killasgroup", p.killasgroup());
        m.put("exitcodes", p.exitcodes());
        m.put("redirect_stderr", p.redirectStderr());
        m.put("environment", p.environment());
        m.put("serverurl", p.serverurl());
        return m;
    }

    private static void log(Map<String, Object> m, String ch, LogConfig l) {
        m.put(ch + "_logfile", l.auto() ? "AUTO" : l.logfile());
        m.put(ch + "_logfile_maxbytes", l.maxbytes());
        m.put(ch + "_logfile_backups", l.backups());
        m.put(ch + "_capture_maxbytes", l.captureMaxbytes());
        m.put(ch + "_events_enabled", l.eventsEnabled());
        m.put(ch + "_syslog", l.syslog());
    }
}
