package dev.radial.spoke.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.testing.Reference;
import dev.radial.spoke.Daemons;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's URLs side by side with supervisord 4.2.5 on an inet_http_server (same config, same requests in the
 * same order): status codes, 401 with its challenge, the 301's Location and message (times masked), tail.html's
 * faults. Then what only we do: the cross-site refusal and status.json.
 */
class WebUiOracleTest {
    static final String EVIL = WebUiBrowserTest.EVIL;

    @TempDir
    static Path dir;
    static Daemons.Running ours;
    static Daemons.Running ref;
    static int ourPort;
    static int refPort;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build();

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String programs(int port) {
        return """
                [inet_http_server]
                port=127.0.0.1:%d
                username=user
                password=secret
                [program:p]
                command=sleep 1000
                startsecs=0
                [program:%s]
                command=sleep 1000
                startsecs=0
                """.formatted(port, EVIL);
    }

    @BeforeAll
    static void start() throws Exception {
        Reference.require();
        ourPort = freePort();
        refPort = freePort();
        ours = Daemons.spoke(Daemons.config(dir.resolve("ours"), programs(ourPort)));
        ref = Daemons.supervisord(Daemons.config(dir.resolve("ref"), programs(refPort)));
        for (Path sock : List.of(dir.resolve("ours/supervisor.sock"), dir.resolve("ref/supervisor.sock"))) {
            try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(sock)).open()) {
                Daemons.await(Duration.ofSeconds(30), () -> {
                    try {
                        return ((List<?>) c.call("supervisor.getAllProcessInfo")).stream()
                                .allMatch(m -> "RUNNING".equals(((Map<?, ?>) m).get("statename")));
                    } catch (Exception e) {
                        return false;
                    }
                }, "both programs running under " + sock);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            ours.close();
        } finally {
            ref.close();
        }
    }

    static String basic(String user, String pw) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(int port, String path, String auth, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", basic("user", "secret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What must be equal: status, the challenge, and for a 301 the decoded Location with host and times masked. */
    static String outcome(HttpResponse<String> r, int port) {
        StringBuilder b = new StringBuilder().append(r.statusCode());
        r.headers().firstValue("WWW-Authenticate").ifPresent(v -> b.append(" challenge=").append(v));
        if (r.statusCode() == 301) {
            String loc = r.headers().firstValue("Location").orElse("(none)");
            loc = loc.replace("http://127.0.0.1:" + port, "http://HOST");
            b.append(" Location=").append(URLDecoder.decode(loc, StandardCharsets.UTF_8)
                    .replaceAll(" at \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}$", " at TIME"));
        }
        if (r.statusCode() == 200) {
            b.append(" type=").append(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        }
        return b.toString();
    }

    @Test
    void urlsAnswerAsSupervisord() throws Exception {
        String ok = basic("user", "secret");
        String q = Html.q(EVIL);
        List<Object[]> cases = new ArrayList<>();
        for (String[] c : new String[][] {
            {"/", null}, {"/", basic("user", "wrong")}, {"/index.html", null}, {"/tail.html", null},
            {"/", ok}, {"/index.html", ok}, {"/?processname=p", ok}, {"/tail.html", ok},
            {"/tail.html?processname=p", ok}, {"/tail.html?processname=p&limit=5", ok},
            {"/tail.html?processname=nosuch", ok}, {"/tail.html?processname=" + q, ok},
            {"/index.html?processname=p&action=stop", ok}, {"/index.html?processname=p&action=stop", ok},
            {"/index.html?processname=p&action=start", ok}, {"/index.html?processname=p&action=start", ok},
            {"/index.html?processname=p&action=restart", ok}, {"/index.html?processname=p&action=clearlog", ok},
            {"/index.html?processname=nosuch&action=stop", ok}, {"/index.html?processname=nosuch&action=start", ok},
            {"/index.html?processname=" + q + "&action=stop", ok}, {"/index.html?processname=" + q + "&action=start", ok},
            {"/index.html?action=refresh", ok}, {"/?action=refresh", ok},
            {"/index.html?processname=p&action=bogus", ok}, {"/index.html?action=bogus", ok},
            {"/index.html?processname=p&processname=nosuch&action=stop", ok},
            {"/index.html?action=stopall", ok}, {"/index.html?action=restartall", ok},
            {"/nosuch.html", ok}, {"/index.html/x", ok}}) {
            cases.add(c);
        }
        List<String> diffs = new ArrayList<>();
        for (Object[] c : cases) {
            String path = (String) c[0];
            String auth = (String) c[1];
            String theirs = outcome(get(refPort, path, auth), refPort);
            String mine = outcome(get(ourPort, path, auth), ourPort);
            if (!theirs.equals(mine)) {
                diffs.add("GET " + path + (auth == null ? " (no auth)" : "") + "\n  supervisord: " + theirs
                        + "\n  ours:        " + mine);
            }
        }
        for (String form : List.of("processname=p&action=stop", "processname=p&action=start", "action=refresh")) {
            String theirs = outcome(post(refPort, "/index.html", form), refPort);
            String mine = outcome(post(ourPort, "/index.html", form), ourPort);
            if (!theirs.equals(mine)) {
                diffs.add("POST " + form + "\n  supervisord: " + theirs + "\n  ours:        " + mine);
            }
        }
        assertEquals("", String.join("\n", diffs), "answers that differ from supervisord's");
    }

    /**
     * supervisord's UI restarts with this multicall; ours answered ABNORMAL_TERMINATION for the start when the
     * stop's future was completed inside the state change (before rpc/Deferred completed it from the engine's queue).
     */
    @Test
    void multicallOfStopThenStartAsSupervisord() throws Exception {
        List<Object> calls = List.of(Map.of("methodName", "supervisor.stopProcess", "params", List.of("p")),
                Map.of("methodName", "supervisor.startProcess", "params", List.of("p")));
        for (String d : List.of("ref", "ours")) {
            try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(dir.resolve(d + "/supervisor.sock"))).open()) {
                get(d.equals("ref") ? refPort : ourPort, "/index.html?processname=p&action=start", basic("user", "secret"));
                assertEquals(List.of(true, true), c.call("system.multicall", calls), d);
                assertEquals("RUNNING", ((Map<?, ?>) c.call("supervisor.getProcessInfo", "p")).get("statename"), d);
            }
        }
    }

    @Test
    void tailFaultsReadAsSupervisord() throws Exception {
        String ok = basic("user", "secret");
        for (int port : new int[] {refPort, ourPort}) {
            String body = get(port, "/tail.html?processname=nosuch", ok).body();
            assertTrue(body.contains("unexpected rpc fault [10] BAD_NAME: nosuch"), port + ": " + body);
            assertTrue(get(port, "/tail.html", ok).body().contains("No process name found"));
        }
    }

    @Test
    void crossSiteActionsAreRefusedAndStatusJsonIsBehindAuth() throws Exception {
        String ok = basic("user", "secret");
        try (SupervisorClient c = SupervisorClient.to(ServerUrl.unix(dir.resolve("ours/supervisor.sock"))).open()) {
            get(ourPort, "/index.html?processname=p&action=start", ok); // running, whatever came before
            String path = "/index.html?processname=p&action=stop";
            assertEquals(403, get(ourPort, path, ok, "Sec-Fetch-Site", "cross-site").statusCode());
            assertEquals(403, get(ourPort, path, ok, "Sec-Fetch-Site", "same-site").statusCode());
            assertEquals(403, get(ourPort, path, ok, "Origin", "http://evil.example").statusCode());
            assertEquals("RUNNING", ((Map<?, ?>) c.call("supervisor.getProcessInfo", "p")).get("statename"),
                    "a refused action changed nothing");
            assertEquals(301, get(ourPort, "/index.html?action=refresh", ok, "Sec-Fetch-Site", "cross-site")
                    .statusCode(), "refresh changes nothing and is allowed");
            assertEquals(301, get(ourPort, path, ok, "Sec-Fetch-Site", "same-origin", "Origin",
                    "http://127.0.0.1:" + ourPort).statusCode());
            assertEquals("STOPPED", ((Map<?, ?>) c.call("supervisor.getProcessInfo", "p")).get("statename"));
            // found in review: behind a TLS-terminating proxy the page's origin is https:// (same host)
            assertEquals(301, get(ourPort, "/index.html?processname=p&action=start", ok, "Origin",
                    "https://127.0.0.1:" + ourPort).statusCode(), "an older browser, same host, behind a TLS proxy");
            assertEquals(403, get(ourPort, path, ok, "Origin", "https://evil.example").statusCode());
            assertEquals(301, get(ourPort, "/index.html?processname=p&action=start", ok, "Sec-Fetch-Site", "none")
                    .statusCode(), "a typed URL or bookmark");
        }
        assertEquals(401, get(ourPort, "/status.json", null).statusCode());
        HttpResponse<String> r = get(ourPort, "/status.json", ok);
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(!r.body().contains("<"), "no raw < in the JSON: " + r.body());
        List<?> procs = (List<?>) ((Map<?, ?>) Json.parse(r.body())).get("processes");
        assertNotNull(procs);
        assertTrue(procs.stream().anyMatch(m -> EVIL.equals(((Map<?, ?>) m).get("name"))), r.body());
        for (String s : List.of("/stylesheets/radial.css", "/scripts/radial.js", "/images/icon.svg")) {
            assertEquals(401, get(ourPort, s, null).statusCode(), s);
            assertEquals(200, get(ourPort, s, ok).statusCode(), s);
        }
    }
}
