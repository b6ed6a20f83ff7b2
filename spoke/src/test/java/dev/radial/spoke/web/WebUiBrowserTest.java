package dev.radial.spoke.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.spoke.Daemons;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser: a real spoke with a group, a program with a hostile name whose log is HTML, and
 * Debian's headless Chromium over DevTools. Clicks stop/start/group actions, reads the page, watches the live table
 * change without a reload, follows a log in the page, and keeps screenshots in target/webui/.
 */
class WebUiBrowserTest {
    /** A name supervisord accepts (no space, ':' or '/') that is markup if not escaped. */
    static final String EVIL = "evil<b>\"'&amp;<i>";
    static final Duration T = Duration.ofSeconds(60);
    static final Path ARTIFACTS = Path.of("target", "webui");

    @TempDir
    static Path dir;
    static Daemons.Running spoke;
    static SupervisorClient rpc;
    static Chromium browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path ticker = dir.resolve("ticker.sh");
        Files.writeString(ticker, "#!/bin/sh\ni=0\nwhile :; do i=$((i+1));"
                + " echo \"tick $i <i id=x$i></i><script>window.pwned=1</script>\"; sleep 0.3; done\n");
        ticker.toFile().setExecutable(true);
        spoke = Daemons.spoke(Daemons.config(dir.resolve("spoke"), """
                [inet_http_server]
                port=127.0.0.1:%d
                username=user
                password=secret
                [program:%s]
                command=%s
                startsecs=0
                [group:g]
                programs=x,y
                [program:x]
                command=sleep 1000
                startsecs=0
                [program:y]
                command=sleep 1000
                startsecs=0
                [program:probed]
                command=sleep 1000
                startsecs=0
                readiness_command=test -f %s
                readiness_initial_delay=0
                readiness_period=1
                readiness_failure_threshold=1
                """.formatted(port, EVIL, ticker, dir.resolve("probed.ready"))));
        rpc = SupervisorClient.to(ServerUrl.unix(dir.resolve("spoke/supervisor.sock"))).open();
        base = "http://127.0.0.1:" + port + "/";
        browser = Chromium.start(dir.resolve("chromium-profile"));
        browser.headers(Map.of("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8))));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (rpc != null) {
                    rpc.close();
                }
            } finally {
                spoke.close();
            }
        }
    }

    static String state(String name) throws Exception {
        return (String) ((Map<?, ?>) rpc.call("supervisor.getProcessInfo", name)).get("statename");
    }

    static String row(String name) {
        return "document.querySelector('tr.process[data-name=\"' + CSS.escape(" + js(name) + ") + '\"]')";
    }

    static String js(String s) {
        return Html.json(s);
    }

    static void click(String name, String action) {
        browser.eval(row(name) + ".querySelector('a[data-action=" + action + "]').click()");
    }

    @Test
    void clicksStopAndStartReadsThePageFollowsTheLogAndEscapesEverything() throws Exception {
        browser.navigate(base);
        browser.await(row("g:x") + ".querySelector('.state').textContent == 'running'", T, "g:x running on the page");

        click("g:x", "stop");
        browser.await("document.getElementById('message').textContent == 'Process g:x stopped'", T,
                "the stop message after the 301");
        browser.await("location.search.startsWith('?message=')", T, "the redirect to /?message=");
        assertEquals("STOPPED", state("g:x"), "the click stopped the process");
        browser.await(row("g:x") + ".querySelector('.state').textContent == 'stopped'", T, "g:x stopped on the page");

        click("g:x", "start");
        browser.await("document.getElementById('message').textContent == 'Process g:x started'", T,
                "the start message");
        assertEquals("RUNNING", state("g:x"));

        // live view: a change made elsewhere shows up without a reload
        browser.eval("window.sameDocument = 'yes'");
        rpc.call("supervisor.stopProcess", "g:y");
        browser.await(row("g:y") + ".querySelector('.state').textContent == 'stopped'", T,
                "the live table to show g:y stopped");
        assertEquals("yes", browser.eval("window.sameDocument"), "the page was not reloaded");
        rpc.call("supervisor.startProcess", "g:y");
        browser.await(row("g:y") + ".querySelector('.state').textContent == 'running'", T,
                "the live table to show g:y running again");

        // the hostile name is text everywhere, on the server's page and in the live table
        browser.await(row(EVIL) + ".querySelector('td.name a').textContent == " + js(EVIL), T,
                "the hostile name shown as text");
        assertEquals(0L, ((Number) browser.eval("document.querySelectorAll('tbody i, td.name b').length")).longValue(),
                "no element made from a process name");
        browser.screenshot(ARTIFACTS.resolve("status.png"));

        // group action: one click stops the whole group
        browser.eval("document.querySelector('tr.group[data-group=\"g\"] a[data-action=stopgroup]').click()");
        browser.await("document.getElementById('message').textContent == 'Group g stopped'", T, "the group message");
        assertEquals("STOPPED", state("g:x"));
        assertEquals("STOPPED", state("g:y"));
        browser.eval("document.querySelector('tr.group[data-group=\"g\"] a[data-action=startgroup]').click()");
        browser.await("document.getElementById('message').textContent == 'Group g started'", T, "the group start");
        assertEquals("RUNNING", state("g:x"));
        assertEquals("RUNNING", state("g:y"));
        browser.await(row("g:y") + ".querySelector('.state').textContent == 'running'", T, "g:y running");
        browser.screenshot(ARTIFACTS.resolve("status-after-group.png"));

        // tail.html of a log made of HTML, then tail -f in the page
        click(EVIL, "clearlog");
        browser.await("document.getElementById('message').textContent == " + js("Log for " + EVIL + " cleared"), T,
                "the clear-log message");
        Daemons.await(T, () -> {
            try {
                return ((String) rpc.call("supervisor.readProcessStdoutLog", EVIL, 0, 0)).contains("<script>");
            } catch (Exception e) {
                return false;
            }
        }, "new output after the clear");
        browser.eval("document.querySelector('tr.process[data-name=\"' + CSS.escape(" + js(EVIL)
                + ") + '\"] td.name a').click()");
        browser.await("document.getElementById('tail') && document.title == " + js("Supervisor tail of process " + EVIL),
                T, "tail.html with the escaped title");
        assertTrue(((String) browser.eval("document.getElementById('tail').textContent"))
                .contains("<script>window.pwned=1</script>"), "tail.html shows the log's markup as text");
        assertEquals(0L, ((Number) browser.eval("document.querySelectorAll('#tail *').length")).longValue(),
                "tail.html made no element from log text");
        browser.eval("document.getElementById('follow').click()");
        browser.await("document.getElementById('tail').getAttribute('data-following') == 'yes'", T, "the follow stream");
        String first = (String) browser.eval("document.getElementById('tail').textContent");
        Matcher m = new Matcher(first);
        browser.await("(function(){var t=document.getElementById('tail').textContent;"
                + "var n=(t.match(/tick (\\d+)/g)||[]).map(function(s){return +s.slice(5);});"
                + "return n.length > 0 && Math.max.apply(null,n) > " + m.maxTick() + " + 3;})()", T,
                "new lines streamed into the page without a reload");
        assertTrue(((String) browser.eval("document.getElementById('tail').textContent")).contains("<i id=x"),
                "log markup shown as text");
        assertEquals(0L, ((Number) browser.eval("document.querySelectorAll('#tail *').length")).longValue(),
                "no element made from log text");
        assertEquals(null, browser.eval("window.pwned"), "no script from the log ran");
        browser.screenshot(ARTIFACTS.resolve("tail.png"));
    }

    /**
     * A process with a readiness probe shows its verdict beside its state, on the server's page and in the live table
     * (with the probe's last outcome as its title); a process without probes shows none.
     */
    @Test
    void healthIsShownBesideTheStateOfProbedProcesses() throws Exception {
        Path ready = dir.resolve("probed.ready");
        Files.deleteIfExists(ready);
        browser.navigate(base);
        browser.await(row("probed") + ".querySelector('.health').textContent == 'unhealthy'", T,
                "probed unhealthy while its file is missing");
        Files.writeString(ready, "");
        browser.eval("window.sameDocument = 'health'");
        browser.await(row("probed") + ".querySelector('.health').textContent == 'healthy'", T,
                "the live table to show probed healthy");
        assertEquals("health", browser.eval("window.sameDocument"), "the page was not reloaded");
        assertTrue(((String) browser.eval(row("probed") + ".querySelector('.health').title")).contains("readiness"),
                "the probe's last outcome as the title");
        assertEquals(null, browser.eval(row("g:x") + ".querySelector('.health')"), "no health without probes");
        browser.screenshot(ARTIFACTS.resolve("status-health.png"));
        // the server's own page (what a browser without script shows)
        var http = (java.net.HttpURLConnection) java.net.URI.create(base + "index.html").toURL().openConnection();
        http.setRequestProperty("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8)));
        String page = new String(http.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(page.matches("(?s).*data-name=\"probed\"><td><span class=\"state running\">running</span> "
                + "<span class=\"health healthy\" title=\"[^\"]*readiness[^\"]*\">healthy</span></td>.*"), page);
        assertTrue(page.matches("(?s).*data-name=\"g:x\"><td><span class=\"state running\">running</span></td>.*"),
                page);
    }

    /** The highest "tick N" in a text. */
    record Matcher(String text) {
        int maxTick() {
            int max = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("tick (\\d+)").matcher(text);
            while (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
            return max;
        }
    }
}
