package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * supervisord's readFile and tailFile (options.py), offsets in bytes, results identical for every offset and
 * length (extremes included): what is there is returned, never an error for reading past the end. One read returns
 * at most {@value #MAX_READ} bytes (supervisord has no bound). The bound is set by the daemon's heap: one read
 * becomes a String (twice its bytes) and then an XML-RPC answer, and a spoke runs with -Xmx128m, so a 64 MiB read
 * (the earlier bound) could take the daemon down; supervisorctl asks for 1600 bytes, the web UI for 1024. Blocking
 * file I/O: called on the {@link LogReads} worker, never on the engine thread.
 */
final class LogFiles {
    static final int MAX_READ = 4 * 1024 * 1024;

    private LogFiles() {
    }

    /** readFile: a negative offset reads that many bytes from the end (length must be 0); length 0 reads to the end. */
    static String read(Path file, int offset, int length) throws XmlRpcFault {
        long absOffset = Math.abs((long) offset);
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = f.size();
            if (offset < 0) {
                if (length != 0) {
                    throw new XmlRpcFault(Fault.BAD_ARGUMENTS);
                }
                long pos = Math.max(0, size - absOffset);
                return bytes(f, pos, absOffset);
            }
            if (length < 0) {
                throw new XmlRpcFault(Fault.BAD_ARGUMENTS);
            }
            return bytes(f, offset, length == 0 ? Long.MAX_VALUE : length);
        } catch (IOException e) {
            throw new XmlRpcFault(Fault.FAILED);
        }
    }

    /**
     * tailFile: {@code [data, size, overflow]}. If the log grew beyond offset+length the offset moves to the end
     * (overflow true); fewer bytes than length are returned when fewer are there. An unreadable file is
     * {@code ['', offset, False]}, as supervisord answers.
     */
    static List<Object> tail(Path file, int offset, int length) {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
            long sz = f.size();
            long off = offset;
            long len = length;
            boolean overflow = false;
            if (sz > off + len) {
                overflow = true;
                off = sz - 1;
            }
            if (off + len > sz) {
                if (off > sz - 1) {
                    len = 0;
                }
                off = sz - len;
            }
            off = Math.max(0, off);
            len = Math.max(0, len);
            String data = len == 0 ? "" : bytes(f, off, len);
            return List.of(data, (int) Math.min(sz, Integer.MAX_VALUE), overflow);
        } catch (IOException e) {
            return List.of("", offset, false);
        }
    }

    /** Python's seek(pos); read(n): what is there from pos, at most n (and at most MAX_READ) bytes. */
    private static String bytes(FileChannel f, long pos, long n) throws IOException {
        long size = f.size();
        long want = Math.min(Math.min(n, MAX_READ), Math.max(0, size - pos));
        ByteBuffer buf = ByteBuffer.allocate((int) want);
        long at = pos;
        while (buf.hasRemaining()) {
            int r = f.read(buf, at);
            if (r < 0) {
                break; // the file shrank meanwhile: return what was there
            }
            at += r;
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
}
