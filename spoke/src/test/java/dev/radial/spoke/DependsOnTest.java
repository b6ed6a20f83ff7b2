package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * depends_on= and init tasks in a real spoke with real children: the start order under each condition, across
 * groups; the reverse order at shutdown (against the priorities, which alone would stop the other way); a
 * failed or FATAL dependency leaves its dependents waiting with a description saying why.
 */
class DependsOnTest {
    /** The main-log lines containing marker, in order. */
    private static List<String> lines(Path log, String marker) {
        return Daemons.read(log).lines().filter(l -> l.contains(marker)).toList();
    }

    /** Index of the first main-log line containing marker, -1 if none. */
    private static int at(List<String> all, String marker) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }

    private static String status(Daemons.Running d, String name) throws Exception {
        return d.ctl("status", name).stdout();
    }

    @Test
    void startOrderInitTaskAndReverseStop(@TempDir Path dir) throws Exception {
        // priorities alone would start web first and stop db first: the dependencies reverse both
        Path conf = Daemons.config(dir, """
                [group:backend]
                programs=db,migrate
                priority=900
                [program:db]
                command=/bin/sleep 100000
                startsecs=1
                priority=900
                [program:migrate]
                command=/bin/sh -c 'sleep 0.5; exit 0'
                startsecs=0
                autorestart=false
                depends_on=db:running
                [program:early]
                command=/bin/sleep 100000
                startsecs=0
                priority=1
                depends_on=db:started
                [program:web]
                command=/bin/sleep 100000
                startsecs=0
                priority=1
                depends_on=migrate:completed_successfully, db
                """);
        Path log = dir.resolve("supervisord.log");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(60), () -> Daemons.read(log).contains("spawned: 'web'"),
                    "web to be spawned; log:\n" + Daemons.read(log));
            assertTrue(status(d, "web").contains("RUNNING") || status(d, "web").contains("STARTING"));
            Daemons.await(Duration.ofSeconds(30), () -> {
                try {
                    return status(d, "backend:migrate").contains("EXITED");
                } catch (Exception e) {
                    return false;
                }
            }, "migrate EXITED");
        }
        List<String> all = Daemons.read(log).lines().toList();
        String text = String.join("\n", all);
        int db = at(all, "spawned: 'db'");
        int early = at(all, "spawned: 'early'");
        int dbRunning = at(all, "success: db entered RUNNING");
        int migrate = at(all, "spawned: 'migrate'");
        int migrateDone = at(all, "exited: migrate (exit status 0; expected)");
        int web = at(all, "spawned: 'web'");
        assertTrue(db >= 0 && db < early && early < dbRunning, text);
        assertTrue(dbRunning < migrate && migrate < migrateDone && migrateDone < web, text);
        assertTrue(text.contains("not starting web yet: waiting for migrate to complete successfully"), text);
        // shutdown: web and early (which depend on db) stop before db, whatever the priorities say
        int webStop = at(all, "stopped: web");
        int earlyStop = at(all, "stopped: early");
        int dbStop = at(all, "stopped: db");
        assertTrue(webStop >= 0 && earlyStop >= 0 && dbStop > webStop && dbStop > earlyStop, text);
        assertEquals(1, lines(log, "spawned: 'migrate'").size(), "an init task runs once:\n" + text);
    }

    @Test
    void aFailedOrFatalDependencyLeavesDependentsWaitingSayingWhy(@TempDir Path dir) throws Exception {
        Path conf = Daemons.config(dir, """
                [program:broken]
                command=/bin/sh -c 'test -f %(here)s/fixed && exec sleep 100000'
                startretries=0
                [program:migrate]
                command=/bin/sh -c 'exit 3'
                startsecs=0
                autorestart=false
                [program:needs-broken]
                command=/bin/sleep 100000
                depends_on=broken
                [program:needs-migrate]
                command=/bin/sleep 100000
                depends_on=migrate:completed_successfully
                [program:needs-needs]
                command=/bin/sleep 100000
                depends_on=needs-broken:started
                """);
        Path log = dir.resolve("supervisord.log");
        try (Daemons.Running d = Daemons.spoke(conf)) {
            Daemons.await(Duration.ofSeconds(60), () -> {
                try {
                    return status(d, "broken").contains("FATAL") && status(d, "migrate").contains("EXITED");
                } catch (Exception e) {
                    return false;
                }
            }, "broken FATAL and migrate EXITED");
            String nb = status(d, "needs-broken");
            assertTrue(nb.contains("STOPPED") && nb.contains("waiting for broken to be running: broken is FATAL "
                    + "(Exited too quickly (process log may have details))"), nb);
            String nm = status(d, "needs-migrate");
            assertTrue(nm.contains("STOPPED") && nm.contains("waiting for migrate to complete successfully: "
                    + "migrate exited with status 3 (exitcodes 0)"), nm);
            String nn = status(d, "needs-needs");
            assertTrue(nn.contains("waiting for needs-broken to be started: needs-broken is waiting for broken"), nn);

            // an operator's start overrides the wait; a stop cancels it
            assertTrue(d.ctl("start", "needs-migrate").stdout().contains("needs-migrate: started"));
            String stop = d.ctl("stop", "needs-needs").stdout();
            assertTrue(stop.contains("needs-needs: stopped"), stop);
            assertTrue(status(d, "needs-needs").contains("Not started"), status(d, "needs-needs"));

            // the dependency recovers: its dependent starts without anyone asking (needs-needs was cancelled)
            assertEquals(0, lines(log, "spawned: 'needs-broken'").size(), Daemons.read(log));
            java.nio.file.Files.writeString(dir.resolve("fixed"), "");
            assertTrue(d.ctl("start", "broken").stdout().contains("broken: started"));
            Daemons.await(Duration.ofSeconds(30), () -> {
                try {
                    return status(d, "needs-broken").contains("RUNNING");
                } catch (Exception e) {
                    return false;
                }
            }, "needs-broken RUNNING after broken recovered");
        }
        String text = Daemons.read(log);
        assertEquals(1, lines(log, "spawned: 'needs-broken'").size(), text);
        assertEquals(0, lines(log, "spawned: 'needs-needs'").size(), text);
    }
}
