package dev.radial.spoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radial.common.client.HttpStatusException;
import dev.radial.common.client.ServerUrl;
import dev.radial.common.client.SupervisorClient;
import dev.radial.common.testing.Reference;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * readProcessStdoutLog, tailProcessStdoutLog/StderrLog and readLog with every kind of offset and length (past
 * the end, negative, Integer.MIN_VALUE/MAX_VALUE) against the real supervisord on the same log content: the same
 * result or the same fault, call for call. The usual "last N bytes" poll of a client (offset+length beyond the
 * size) must return what there is. Also: HTTP/1.0 and 1.1 requests get the same status line and Connection
 * handling as medusa gives.
 */
class RpcOracleTest {
    @TempDir
    static Path dir;
    static Daemons.Running ours;
    static Daemons.Running ref;
    static SupervisorClient ourClient;
    static SupervisorClient refClient;
    static final int LINES = 150;
    static final int SIZE = LINES * 25;

    static final int[] OFFSETS = {Integer.MIN_VALUE, -100_000, -(SIZE + 1), -SIZE, -1601, -1, 0, 1, 100, SIZE - 1600,
        SIZE - 1, SIZE, SIZE + 1, 100_000, Integer.MAX_VALUE - 10, Integer.MAX_VALUE};
    static final int[] LENGTHS = {Integer.MIN_VALUE, -1, 0, 1, 100, 1600, SIZE, 100_000, Integer.MAX_VALUE};

    @BeforeAll
    static void start() throws Exception {
        Reference.require();
        // every line is exactly 25 bytes: "line 0000 ..............\n"
        Path script = dir.resolve("lines.sh");
        Files.writeString(script, "#!/bin/sh\ni=0\nwhile [ $i -lt " + LINES + " ]; do printf 'line %04d ..............\\n' $i;"
                + " i=$((i+1)); done\nexec sleep 1000\n");
        script.toFile().setExecutable(true);
        String programs = "[program:lines]\ncommand=" + script + "\nstartsecs=0\n";
        ours = Daemons.spoke(Daemons.config(dir.resolve("ours"), programs));
        ref = Daemons.supervisord(Daemons.config(dir.resolve("ref"), programs));
        ourClient = SupervisorClient.to(ServerUrl.unix(dir.resolve("ours/supervisor.sock"))).open();
        refClient = SupervisorClient.to(ServerUrl.unix(dir.resolve("ref/supervisor.sock"))).open();
        for (SupervisorClient c : List.of(ourClient, refClient)) {
            Daemons.await(Duration.ofSeconds(30), () -> {
                try {
                    return ((List<?>) c.call("supervisor.tailProcessStdoutLog", "lines", 0, 0)).get(1)
                            .equals(SIZE);
                } catch (Exception e) {
                    return false;
                }
            }, "the whole output in the log of " + c.url());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            ourClient.close();
            refClient.close();
        } finally {
            try {
                ours.close();
            } finally {
                ref.close();
            }
        }
    }

    /** The outcome of a call as comparable text: the value, the fault, or the HTTP status. */
    static String outcome(SupervisorClient c, String method, Object... args) {
        try {
            return "value " + c.call(method, args);
        } catch (XmlRpcFault f) {
            return "fault " + f.code() + " " + f.faultString();
        } catch (HttpStatusException e) {
            return "http " + e.status();
        } catch (Exception e) {
            return "error " + e;
        }
    }

    static void compare(String method, boolean compareValues, Object... nameFirst) {
        List<String> diffs = new ArrayList<>();
        for (int offset : OFFSETS) {
            for (int length : LENGTHS) {
                Object[] args = new Object[nameFirst.length + 2];
                System.arraycopy(nameFirst, 0, args, 0, nameFirst.length);
                args[nameFirst.length] = offset;
                args[nameFirst.length + 1] = length;
                String mine = outcome(ourClient, method, args);
                String theirs = outcome(refClient, method, args);
                if (!compareValues) {
                    // the two main logs differ in text: compare only value-or-fault and the fault
                    mine = mine.startsWith("value ") ? "value" : mine;
                    theirs = theirs.startsWith("value ") ? "value" : theirs;
                }
                if (!mine.equals(theirs)) {
                    diffs.add(method + "(" + offset + ", " + length + "):\n  ours: " + abbreviate(mine)
                            + "\n  supervisord: " + abbreviate(theirs));
                }
            }
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " differences:\n" + String.join("\n", diffs));
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }

    @Test
    void tailsMatchSupervisord() {
        compare("supervisor.tailProcessStdoutLog", true, "lines");
        compare("supervisor.tailProcessStderrLog", true, "lines");
    }

    @Test
    void readsMatchSupervisord() {
        compare("supervisor.readProcessStdoutLog", true, "lines");
        compare("supervisor.readProcessStderrLog", true, "lines");
    }

    @Test
    void mainLogReadsFaultLikeSupervisord() {
        compare("supervisor.readLog", false);
    }

    /** Status line and headers but Date, and whether the server then closed; on a raw unix connection. */
    static String rawExchange(Path sock, String request) throws Exception {
        try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(sock));
            ch.write(java.nio.ByteBuffer.wrap(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
            ch.configureBlocking(false);
            var sel = java.nio.channels.Selector.open();
            ch.register(sel, java.nio.channels.SelectionKey.OP_READ);
            StringBuilder sb = new StringBuilder();
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(65536);
            boolean closed = false;
            long deadline = System.nanoTime() + 20_000_000_000L;
            // read until the server closes, or until it has been quiet for 2 s after a complete answer
            while (System.nanoTime() < deadline) {
                boolean complete = sb.indexOf("</methodResponse>") >= 0;
                if (sel.select(complete ? 2000 : 20000) == 0 && complete) {
                    break;
                }
                sel.selectedKeys().clear();
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    closed = true;
                    break;
                }
                sb.append(new String(buf.array(), 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            sel.close();
            String head = sb.substring(0, Math.max(0, sb.indexOf("\r\n\r\n")));
            return head.replaceAll("Date: [^\r]*", "Date: -") + (closed ? "\n[closed]" : "\n[kept open]");
        }
    }

    @Test
    void httpVersionsAndConnectionsLikeMedusa() throws Exception {
        String body = "<?xml version='1.0'?><methodCall><methodName>supervisor.getAPIVersion</methodName>"
                + "</methodCall>";
        for (String variant : List.of("HTTP/1.0\r\n", "HTTP/1.0\r\nConnection: keep-alive\r\n", "HTTP/1.1\r\n")) {
            String req = "POST /RPC2 " + variant + "Content-Length: " + body.length() + "\r\n\r\n" + body;
            assertEquals(rawExchange(dir.resolve("ref/supervisor.sock"), req),
                    rawExchange(dir.resolve("ours/supervisor.sock"), req), variant);
        }
    }

    /** The status line and body of an HTTP/1.0 exchange (both servers close after it), on a raw unix connection. */
    static String statusAndBody(Path sock, byte[] body) throws Exception {
        try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(sock));
            byte[] head = ("POST /RPC2 HTTP/1.0\r\nContent-Type: text/xml\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            ch.write(java.nio.ByteBuffer.wrap(head));
            ch.write(java.nio.ByteBuffer.wrap(body));
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            try (var in = java.nio.channels.Channels.newInputStream(ch)) {
                in.transferTo(all);
            }
            String r = all.toString(java.nio.charset.StandardCharsets.UTF_8);
            int eol = r.indexOf("\r\n");
            int end = r.indexOf("\r\n\r\n");
            return (eol < 0 ? r : r.substring(0, eol)) + "\n" + (end < 0 ? "" : r.substring(end + 4));
        }
    }

    /**
     * Requests declaring the encodings clients declare (PHP's XML-RPC encoder says ISO-8859-1 by default, Python's
     * client what it is given) or a made-up one, with UTF-8 bytes: supervisord reads every body as UTF-8 whatever the
     * declaration says, and so do we: the same answer byte for byte (the name comes back in the BAD_NAME fault, so a
     * byte read otherwise shows), or the same refusal. A body that is not UTF-8 makes supervisord drop the
     * connection without an answer (an exception in medusa's collector); we answer 400 saying why.
     */
    @Test
    void declaredEncodingsAreReadAsSupervisordReadsThem() throws Exception {
        List<String> diffs = new ArrayList<>();
        for (String decl : List.of("", " encoding='UTF-8'", " encoding='ISO-8859-1'", " encoding='windows-1252'",
                " encoding='Shift_JIS'", " encoding='UTF-16'", " encoding='no-such-encoding'", " encoding='../x'",
                " encoding='ISO-8859-1' standalone='yes'")) {
            byte[] body = ("<?xml version='1.0'" + decl + "?>\n<methodCall><methodName>supervisor.getProcessInfo"
                    + "</methodName><params><param><value><string>n\u00e4\u20acm&#233;</string></value></param>"
                    + "</params></methodCall>\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String mine = statusAndBody(dir.resolve("ours/supervisor.sock"), body);
            String theirs = statusAndBody(dir.resolve("ref/supervisor.sock"), body);
            boolean bothRefused = mine.startsWith("HTTP/1.0 400") && theirs.startsWith("HTTP/1.0 400");
            if (!bothRefused && !mine.equals(theirs)) {
                diffs.add("declaration '" + decl + "':\n  ours: " + mine + "\n  supervisord: " + theirs);
            }
            if (decl.isEmpty()) {
                assertTrue(mine.contains("BAD_NAME: n\u00e4\u20acm\u00e9"), mine);
            }
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
        byte[] latin1 = ("<?xml version='1.0' encoding='ISO-8859-1'?><methodCall><methodName>supervisor.getProcessInfo"
                + "</methodName><params><param><value>\u00e9</value></param></params></methodCall>")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("\n", statusAndBody(dir.resolve("ref/supervisor.sock"), latin1), "supervisord drops it");
        String mine = statusAndBody(dir.resolve("ours/supervisor.sock"), latin1);
        assertTrue(mine.startsWith("HTTP/1.0 400 Bad Request\n") && mine.contains("not UTF-8"), mine);
    }

    /**
     * Values read as supervisord's own request parser reads them (supervisor/xmlrpc.py): a big {@code <int>} is a
     * Python int, and a type it does not know ({@code <i8>}, Go's and Rust's clients send 64-bit integers so;
     * {@code <ex:i8>} of Apache XML-RPC's extensions; {@code <i2>}, {@code <biginteger>}, {@code <float>}) is its
     * text, {@code <nil/>} None. We had refused them with 400; now the same status and body, faults compared by
     * code (our fault strings name the argument). An offset or length beyond 2^31 asks what the nearest int does
     * (no log is that long). Where supervisord fails with 500 we answer: a tail length beyond 2^31 is the whole log,
     * None or a non-number where a name or a number belongs is INCORRECT_PARAMETERS.
     */
    @Test
    void valuesAreReadAsSupervisordReadsThem() throws Exception {
        String name = "<param><value><string>lines</string></value></param>";
        String ex = " xmlns:ex='http://ws.apache.org/xmlrpc/namespaces/extensions'";
        List<String[]> calls = List.of(
                new String[] {"tailProcessStdoutLog", name + v("<i8>0</i8>") + v("<i8>100</i8>")},
                new String[] {"tailProcessStdoutLog", name + v("<ex:i8" + ex + ">0</ex:i8>") + v("<int>100</int>")},
                new String[] {"tailProcessStdoutLog", name + v("<int>99999999999</int>") + v("<int>5</int>")},
                new String[] {"tailProcessStdoutLog", name + v("<int>-99999999999</int>") + v("<int>5</int>")},
                new String[] {"tailProcessStdoutLog", name + v("<i8>99999999999</i8>") + v("<int>5</int>")},
                new String[] {"readProcessStdoutLog", name + v("<int>99999999999</int>") + v("<int>5</int>")},
                new String[] {"readProcessStdoutLog", name + v("<i1>0</i1>") + v("<i2>1_0</i2>")},
                new String[] {"readProcessStdoutLog", name + v("<biginteger>+7</biginteger>") + v("<float>5</float>")},
                new String[] {"readProcessStdoutLog", name + v("<double>7.9</double>") + v("<double>5</double>")},
                new String[] {"tailProcessStdoutLog", name + v("<nil/>") + v("<int>5</int>")},
                new String[] {"tailProcessStdoutLog", name + v("<ex:nil" + ex + "/>") + v("<int>5</int>")},
                new String[] {"readProcessStdoutLog", name + v("<int>1__0</int>") + v("<int>5</int>")},
                new String[] {"getProcessInfo", v("<i8>5</i8>")},
                new String[] {"getProcessInfo", v("<ex:string" + ex + ">nosuch</ex:string>")},
                new String[] {"sendProcessStdin", name + v("<i8>5</i8>")},
                new String[] {"sendProcessStdin", name + v("<base64>aGkK</base64>")});
        String multicall = "<param><value><array><data><value><struct><member><name>methodName</name><value>"
                + "<string>supervisor.getState</string></value></member><member><name>params</name><value><nil/>"
                + "</value></member></struct></value></data></array></value></param>";
        calls = new ArrayList<>(calls);
        calls.add(new String[] {"system.multicall", multicall}); // func(*None): INCORRECT_PARAMETERS in the list
        List<String> diffs = new ArrayList<>();
        for (String[] c : calls) {
            String method = c[0].contains(".") ? c[0] : "supervisor." + c[0];
            byte[] body = ("<?xml version='1.0'?><methodCall><methodName>" + method + "</methodName><params>"
                    + c[1] + "</params></methodCall>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String mine = faultCodeOnly(statusAndBody(dir.resolve("ours/supervisor.sock"), body));
            String theirs = faultCodeOnly(statusAndBody(dir.resolve("ref/supervisor.sock"), body));
            boolean bothRefused = mine.startsWith("HTTP/1.0 400") && theirs.startsWith("HTTP/1.0 4");
            if (!bothRefused && !mine.equals(theirs)) {
                diffs.add(c[0] + "(" + c[1] + "):\n  ours: " + abbreviate(mine) + "\n  supervisord: "
                        + abbreviate(theirs));
            }
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }

    private static String v(String typed) {
        return "<param><value>" + typed + "</value></param>";
    }

    /** A fault's string cut to its code name (INCORRECT_PARAMETERS: argument 2 must be ... to INCORRECT_PARAMETERS). */
    private static String faultCodeOnly(String statusAndBody) {
        return statusAndBody.replaceAll("<string>([A-Z_]+): [^<]*</string>", "<string>$1</string>");
    }

    @Test
    void theUsualLastBytesPollReturnsWhatThereIs() throws Exception {
        List<?> r = (List<?>) ourClient.call("supervisor.tailProcessStdoutLog", "lines", SIZE - 100, 1600);
        assertEquals(SIZE, r.get(1));
        assertEquals(false, r.get(2));
        assertEquals(1600, ((String) r.get(0)).length(), "the last 1600 bytes, as supervisord gives");
    }
}
