package dev.radial.spoke.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radial.common.testing.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The debug-level child output lines against Python's own repr and decode, on the same inputs. */
class DebugOutputTest {
    @TempDir
    Path dir;

    /** Python's answer for each hex-encoded input, one line each, from {@code expression} of {@code data}. */
    private List<String> python(List<byte[]> inputs, String expression) throws Exception {
        Path in = dir.resolve("in.txt");
        StringBuilder b = new StringBuilder();
        inputs.forEach(x -> b.append(HexFormat.of().formatHex(x)).append('\n'));
        Files.writeString(in, b);
        String script = "import sys\n"
                + "def ok(d):\n"
                + "    try:\n"
                + "        d.decode('utf-8')\n"
                + "        return True\n"
                + "    except UnicodeDecodeError:\n"
                + "        return False\n"
                + "for line in open(sys.argv[1]):\n"
                + "    data = bytes.fromhex(line.strip())\n"
                + "    out = " + expression + "\n"
                + "    sys.stdout.buffer.write(out.encode('unicode_escape') + b'\\n')\n";
        Reference.Run r = Reference.run(List.of(Reference.PYTHON.toString(), "-c", script, in.toString()), null, null,
                60);
        assertEquals(0, r.exit(), r.stderr());
        return r.stdout().lines().toList();
    }

    private static List<byte[]> samples() {
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            all.add(new byte[] {(byte) i});
        }
        for (String s : List.of("", "hello\n", "it's", "say \"hi\"", "both ' and \"", "back\\slash", "tab\there",
                "Øresund Malmö\n", "\u001b[31mred\u001b[0m", "\r\n")) {
            all.add(s.getBytes(StandardCharsets.UTF_8));
        }
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[random.nextInt(40)];
            random.nextBytes(b);
            all.add(b);
        }
        return all;
    }

    @Test
    void bytesReprIsPythons() throws Exception {
        List<byte[]> in = samples();
        List<String> expected = python(in, "repr(data)");
        for (int i = 0; i < in.size(); i++) {
            assertEquals(expected.get(i), unicodeEscape(DebugOutput.bytes(in.get(i))),
                    HexFormat.of().formatHex(in.get(i)));
        }
    }

    /** supervisord's POutputDispatcher._log text: the UTF-8 text, else "Undecodable: " and the bytes repr. */
    @Test
    void channelLineIsSupervisords() throws Exception {
        List<byte[]> in = samples();
        List<String> expected = python(in,
                "\"'web' stdout output:\\n\" + (data.decode('utf-8') if ok(data) else 'Undecodable: %r' % data)");
        for (int i = 0; i < in.size(); i++) {
            String ours = DebugOutput.channel("web", "stdout", in.get(i));
            assertEquals(expected.get(i), unicodeEscape(ours), HexFormat.of().formatHex(in.get(i)));
        }
    }

    /** Python's 'unicode_escape' codec, as the script writes its text. */
    private static String unicodeEscape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || (c >= 0x7f && c < 0x100)) {
                b.append(String.format("\\x%02x", c));
            } else if (c >= 0x100 && c <= 0xffff) {
                b.append(String.format("\\u%04x", c));
            } else if (c > 0xffff) {
                b.append(String.format("\\U%08x", c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }

    @Test
    void nameReprIsPythons() throws Exception {
        List<String> names = List.of("web", "it's", "say \"hi\"", "both ' and \"", "tést_öäü", "a\\b", "tab\t");
        List<byte[]> in = names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
        List<String> expected = python(in, "repr(data.decode('utf-8'))");
        for (int i = 0; i < names.size(); i++) {
            assertEquals(expected.get(i), unicodeEscape(DebugOutput.str(names.get(i))), names.get(i));
        }
    }
}
