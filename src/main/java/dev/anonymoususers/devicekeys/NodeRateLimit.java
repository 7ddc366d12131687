package dev.anonymoususers.devicekeys;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.anonymoususers.util.SlidingWindowLimit;

/**
 * So many events per key a minute (an address, a device key), counted in this node's memory, not in the cluster, so
 * that counting a flood leaves no state in the cluster at all. Each node guards itself: in a cluster of n nodes a
 * key gets at most n times the limit.
 *
 * <p>Counts live for two windows (the previous one still weighs in as it slides out, as in
 * {@link SlidingWindowLimit}). At most {@code maxKeys} keys are tracked per window; past that the least recently
 * used key is forgotten, so memory stays bounded under a flood from many keys while the busiest keys stay counted.
 */
final class NodeRateLimit {

    static final int DEFAULT_MAX_KEYS = 100_000;
    private static final long WINDOW_SECONDS = 60;

    private final int limit;
    private final int maxKeys;
    private long window = -1;
    private Map<String, Integer> current;
    private Map<String, Integer> previous = Map.of();

    /** {@code limit} events per key a minute; 0 means no limit. */
    NodeRateLimit(int limit) {
        this(limit, DEFAULT_MAX_KEYS);
    }

    NodeRateLimit(int limit, int maxKeys) {
        this.limit = limit;
        this.maxKeys = maxKeys;
        this.current = leastRecentlyUsedFirst(maxKeys);
    }

    int limit() {
        return limit;
    }

    /** Counts one event for {@code key} at {@code nowSeconds}, if the limit leaves room for it; a refusal counts nothing. */
    synchronized SlidingWindowLimit.Admission admit(String key, long nowSeconds) {
        SlidingWindowLimit.Admission room = room(key, nowSeconds);
        if (room.admitted() && limit > 0) {
            current.merge(key, 1, Integer::sum);
        }
        return room;
    }

    /** Whether one more event of {@code key} would be admitted now; counts nothing. */
    synchronized SlidingWindowLimit.Admission room(String key, long nowSeconds) {
        if (limit <= 0) {
            return SlidingWindowLimit.Admission.ADMITTED;
        }
        roll(nowSeconds);
        long elapsed = nowSeconds % WINDOW_SECONDS;
        int taken = current.getOrDefault(key, 0);
        int before = previous.getOrDefault(key, 0);
        double carried = before * (1 - (double) elapsed / WINDOW_SECONDS);
        if (taken + carried < limit) {
            return SlidingWindowLimit.Admission.ADMITTED;
        }
        return new SlidingWindowLimit.Admission(false, SlidingWindowLimit.retryAfter(WINDOW_SECONDS, limit, taken, before, elapsed));
    }

    /** Counts one event of {@code key}, admitted or not (a failure that already happened). */
    synchronized void count(String key, long nowSeconds) {
        if (limit > 0) {
            roll(nowSeconds);
            current.merge(key, 1, Integer::sum);
        }
    }

    private void roll(long nowSeconds) {
        long now = nowSeconds / WINDOW_SECONDS;
        if (now != window) {
            previous = now == window + 1 ? current : Map.of();
            current = leastRecentlyUsedFirst(maxKeys);
            window = now;
        }
    }

    private static Map<String, Integer> leastRecentlyUsedFirst(int maxKeys) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > maxKeys;
            }
        };
    }
}
