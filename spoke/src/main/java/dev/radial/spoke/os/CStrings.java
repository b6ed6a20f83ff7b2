package dev.radial.spoke.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * NULL-terminated {@code char *[]} arrays of NUL-terminated UTF-8 strings (a spawn's argv and envp), each in ONE
 * native block: the pointer array, then the bytes of every string. One allocation and two bulk copies per string
 * instead of an allocation per string: a spawn marshals ~30 strings, and the first few hundred spawns of a spoke
 * run this code in the interpreter (bin/bench row 1). Any thread; the block lives as long as its arena.
 */
final class CStrings {
    private static final long POINTER = ValueLayout.ADDRESS.byteSize();

    private CStrings() {
    }

    /** argv-style: the strings in order. */
    static MemorySegment of(Arena arena, List<String> strings) {
        byte[][] encoded = new byte[strings.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return block(arena, encoded);
    }

    /** envp-style: {@code KEY=value} for each entry, in the map's iteration order. */
    static MemorySegment environment(Arena arena, Map<String, String> env) {
        byte[][] encoded = new byte[env.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            encoded[i++] = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8);
        }
        return block(arena, encoded);
    }

    private static MemorySegment block(Arena arena, byte[][] encoded) {
        long pointers = (encoded.length + 1L) * POINTER;
        long size = pointers;
        for (byte[] b : encoded) {
            size += b.length + 1L;
        }
        MemorySegment block = arena.allocate(size, POINTER); // zeroed: every string's NUL, and the final NULL
        long base = block.address();
        long[] addresses = new long[encoded.length]; // the final NULL pointer stays the zero after them
        long at = pointers;
        for (int i = 0; i < encoded.length; i++) {
            MemorySegment.copy(encoded[i], 0, block, ValueLayout.JAVA_BYTE, at, encoded[i].length);
            addresses[i] = base + at;
            at += encoded[i].length + 1L;
        }
        MemorySegment.copy(addresses, 0, block, ValueLayout.JAVA_LONG, 0, addresses.length);
        return block;
    }
}
