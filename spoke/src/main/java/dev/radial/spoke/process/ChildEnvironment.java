package dev.radial.spoke.process;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A child's environment as supervisord builds it, the daemon's own environment with the child's variables over it,
 * as an immutable map that is not copied: the daemon's environment (~40 variables) is shared by every child, and
 * only the handful of variables a child adds are its own. Iteration gives the daemon's variables that the child
 * does not override, in the daemon's order, then the child's. Building it is a few puts instead of hashing the whole
 * environment twice per spawn (once into a LinkedHashMap, once more into the request's immutable copy), which the
 * first few hundred spawns of a spoke did in the interpreter (bin/bench row 1). Any thread once built.
 */
final class ChildEnvironment extends AbstractMap<String, String> {
    private final Map<String, String> base;
    private final Map<String, String> own;
    private final int size;
    private final Set<Entry<String, String>> entries = new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, String>> iterator() {
            return new Entries();
        }

        @Override
        public int size() {
            return size;
        }
    };

    /**
     * @param base the daemon's environment; must never change (the engine's is an immutable copy)
     * @param own  the child's variables, over base; handed over (no one else may keep or change it)
     */
    ChildEnvironment(Map<String, String> base, Map<String, String> own) {
        this.base = base;
        this.own = Collections.unmodifiableMap(own);
        int n = base.size();
        for (String k : own.keySet()) {
            if (!base.containsKey(k)) {
                n++;
            }
        }
        this.size = n;
    }

    @Override
    public String get(Object key) {
        String v = own.get(key);
        return v != null || own.containsKey(key) ? v : base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return own.containsKey(key) || base.containsKey(key);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return entries;
    }

    /** The base's entries not overridden, then the child's own. */
    private final class Entries implements Iterator<Entry<String, String>> {
        private final Iterator<Entry<String, String>> first = base.entrySet().iterator();
        private final Iterator<Entry<String, String>> second = own.entrySet().iterator();
        private Entry<String, String> next = advance();

        private Entry<String, String> advance() {
            while (first.hasNext()) {
                Entry<String, String> e = first.next();
                if (!own.containsKey(e.getKey())) {
                    return e; // an immutable map's entry
                }
            }
            return second.hasNext() ? second.next() : null; // an unmodifiable map's entry
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<String, String> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry<String, String> e = next;
            next = advance();
            return e;
        }
    }
}
