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
        return block(arena, encoded, null);
    }

    /** envp-style: {@code KEY=value} for each entry, in the map's iteration order (no string concatenated). */
    static MemorySegment environment(Arena arena, Map<String, String> env) {
        byte[][] keys = new byte[env.size()][];
        byte[][] values = new byte[keys.length][];
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            keys[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
            values[i++] = e.getValue().getBytes(StandardCharsets.UTF_8);
        }
        return block(arena, keys, values);
    }

    /** The strings are first[i], then '=' and second[i] when second is not null. */
    private static MemorySegment block(Arena arena, byte[][] first, byte[][] second) {
        long pointers = (first.length + 1L) * POINTER; // 64-bit only (Ffm.Arch): a pointer is a long
        long size = pointers;
        for (int i = 0; i < first.length; i++) {
            size += first[i].length + (second == null ? 0 : second[i].length + 1L) + 1L;
        }
        MemorySegment block = arena.allocate(size, POINTER); // zeroed: every string's NUL, and the final NULL
        long base = block.address();
        long[] addresses = new long[first.length]; // the final NULL pointer stays the zero after them
        long at = pointers;
        for (int i = 0; i < first.length; i++) {
            addresses[i] = base + at;
            MemorySegment.copy(first[i], 0, block, ValueLayout.JAVA_BYTE, at, first[i].length);
            at += first[i].length;
            if (second != null) {
                block.set(ValueLayout.JAVA_BYTE, at++, (byte) '=');
                MemorySegment.copy(second[i], 0, block, ValueLayout.JAVA_BYTE, at, second[i].length);
                at += second[i].length;
            }
            at++; // the NUL
        }
        MemorySegment.copy(addresses, 0, block, ValueLayout.JAVA_LONG, 0, addresses.length);
        return block;
    }
}
