package dev.radial.spoke.dispatch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * supervisord's capture mode ({@code stdout_capture_maxbytes} &gt; 0): what a child writes between
 * {@code <!--XSUPERVISOR:BEGIN-->} and {@code <!--XSUPERVISOR:END-->} is not logged but becomes one
 * PROCESS_COMMUNICATION event (its last capture_maxbytes bytes). Tokens may be split across reads. As in
 * supervisord, captured pieces still count as logged output for PROCESS_LOG events (they go to its capture log).
 */
public final class Capture {
    static final byte[] BEGIN = "<!--XSUPERVISOR:BEGIN-->".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "<!--XSUPERVISOR:END-->".getBytes(StandardCharsets.US_ASCII);

    private final long maxBytes;
    private final Consumer<byte[]> captured;
    private byte[] pending = new byte[0];
    private boolean capturing;
    private final ByteArrayOutputStream capture = new ByteArrayOutputStream();

    public Capture(long maxBytes, Consumer<byte[]> captured) {
        this.maxBytes = maxBytes;
        this.captured = captured;
    }

    /** Takes new output: pieces outside the tokens go to {@code normal}, captured pieces to {@code captured}. */
    public void feed(byte[] data, Consumer<byte[]> normal, Consumer<byte[]> capturedPiece) {
        byte[] all = concat(pending, data);
        pending = new byte[0];
        Pieces toLog = new Pieces(normal, capturedPiece);
        int pos = 0;
        while (pos < all.length) {
            byte[] token = capturing ? END : BEGIN;
            int at = indexOf(all, token, pos);
            if (at >= 0) {
                take(all, pos, at, toLog);
                pos = at + token.length;
                if (capturing) {
                    byte[] c = capture.toByteArray();
                    capture.reset();
                    captured.accept(c.length > maxBytes ? Arrays.copyOfRange(c, c.length - (int) maxBytes, c.length) : c);
                }
                capturing = !capturing;
                continue;
            }
            // keep a tail that could be the start of a token split across reads
            int keep = partialSuffix(all, pos, token);
            take(all, pos, all.length - keep, toLog);
            pending = Arrays.copyOfRange(all, all.length - keep, all.length);
            break;
        }
    }

    /** Where the pieces of one feed go. */
    private record Pieces(Consumer<byte[]> normal, Consumer<byte[]> captured) {
    }

    private void take(byte[] all, int from, int to, Pieces toLog) {
        if (to <= from) {
            return;
        }
        byte[] piece = Arrays.copyOfRange(all, from, to);
        if (capturing) {
            toLog.captured().accept(piece);
            capture.write(all, from, to - from);
            if (capture.size() > 2 * maxBytes + 65536) {
                byte[] c = capture.toByteArray();
                capture.reset();
                capture.write(c, c.length - (int) maxBytes, (int) maxBytes);
            }
        } else {
            toLog.normal().accept(piece);
        }
    }

    private static int partialSuffix(byte[] all, int from, byte[] token) {
        for (int k = Math.min(token.length - 1, all.length - from); k > 0; k--) {
            boolean match = true;
            for (int i = 0; i < k; i++) {
                if (all[all.length - k + i] != token[i]) {
                    match = false;
                    break;
                }
            }
            if (match) {
                return k;
            }
        }
        return 0;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
