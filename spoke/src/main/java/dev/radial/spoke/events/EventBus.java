package dev.radial.spoke.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where events go (supervisord's events.notify): to every listener pool subscribed to the event's type. An
 * event gets its global serial when the first pool accepts it, as in supervisord, so serials count only events
 * somebody listens to. Also the TICK_5/60/3600 clock. Engine thread only.
 */
public final class EventBus {
    private static final int[] TICK_PERIODS = {5, 60, 3600};

    private final Map<String, ListenerPool> pools = new LinkedHashMap<>();
    private final long[] lastTick = new long[TICK_PERIODS.length];
    private long serial = -1;

    public void add(ListenerPool pool) {
        pools.put(pool.name(), pool);
    }

    public void remove(String name) {
        pools.remove(name);
    }

    public ListenerPool pool(String name) {
        return pools.get(name);
    }

    public boolean isEmpty() {
        return pools.isEmpty();
    }

    public void emit(Event e) {
        if (pools.isEmpty()) {
            return;
        }
        long s = -1;
        for (ListenerPool p : new ArrayList<>(pools.values())) {
            if (p.subscribed(e)) {
                if (s < 0) {
                    s = ++serial;
                }
                p.accept(e, s);
            }
        }
    }

    /** Sends what can be sent; called once per engine loop pass. */
    public void dispatch() {
        for (ListenerPool p : pools.values()) {
            if (p.hasWork()) {
                p.dispatch();
            }
        }
    }

    /**
     * supervisord's tick(): emits TICK_n when the wall clock crosses a multiple of n seconds (the first
     * boundary after start-up). Returns the wall time in milliseconds of the next 5 s boundary.
     */
    public long tick(long nowMillis) {
        long now = nowMillis / 1000;
        for (int i = 0; i < TICK_PERIODS.length; i++) {
            int period = TICK_PERIODS[i];
            long slice = now - now % period;
            if (lastTick[i] == 0) {
                lastTick[i] = slice;
            } else if (slice != lastTick[i]) {
                lastTick[i] = slice;
                emit(Event.tick(period, slice));
            }
        }
        return (now - now % 5 + 5) * 1000;
    }
}
