package dev.radial.spoke.rpc;

import dev.radial.common.xmlrpc.Fault;
import dev.radial.common.xmlrpc.XmlRpcFault;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** supervisord's readFile and tailFile (options.py), offsets in bytes. */
final class LogFiles {
    private LogFiles() {
    }

    static String read(Path file, int offset, int length) throws XmlRpcFault {
        int absOffset = Math.abs(offset);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] data;
            if (offset < 0) {
                if (length != 0) {
                    throw new XmlRpcFault(Fault.BAD_ARGUMENTS);
                }
                long size = f.length();
                long pos = Math.max(0, size - absOffset);
                f.seek(pos);
                data = new byte[(int) Math.min(absOffset, size - pos)];
                f.readFully(data);
            } else {
                if (length < 0) {
                    throw new XmlRpcFault(Fault.BAD_ARGUMENTS);
                }
                long size = f.length();
                long n = length == 0 ? Math.max(0, size - offset) : Math.max(0, Math.min(length, size - offset));
                data = new byte[(int) Math.min(n, 64L * 1024 * 1024)];
                if (data.length > 0) {
                    f.seek(offset);
                    f.readFully(data);
                }
            }
            return new String(data, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new XmlRpcFault(Fault.FAILED);
        }
    }

    static List<Object> tail(Path file, int offset, int length) {
        if (file == null) {
            return List.of("", offset, false);
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long sz = f.length();
            boolean overflow = false;
            long off = offset;
            long len = length;
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
            len = Math.max(0, Math.min(len, sz - off)); // f.read(length) returns what there is
            byte[] data = new byte[(int) len];
            if (len > 0) {
                f.seek(off);
                f.readFully(data);
            }
            return List.of(new String(data, StandardCharsets.UTF_8), (int) sz, overflow);
        } catch (IOException e) {
            return List.of("", offset, false);
        }
    }
}
