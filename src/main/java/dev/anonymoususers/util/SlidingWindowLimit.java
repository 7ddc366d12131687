package dev.anonymoususers.util;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * A limit of so many events per key (an address, a realm) in a sliding window, counted by every node of a cluster
 * together in Keycloak's single-use object store.
 *
 * <p>Each admitted event takes the next free numbered slot of the current window with the store's atomic
 * {@code putIfAbsent}, so two nodes can never both take the last place; slots are taken in order, so a window's
 * count is found in a few lookups ({@link TakenInOrder}). The window slides: the previous window's count weighs in by
 * the part of it that still lies within the last full window length (the usual sliding-window estimate), so a
 * burst at the end of one hour does not buy a second burst at the start of the next. Refusals store nothing.
 */
public final class SlidingWindowLimit {

    /** Whether an event is admitted, and if not, in how many seconds one would be. */
    public record Admission(boolean admitted, long retryAfterSeconds) {
        public static final Admission ADMITTED = new Admission(true, 0);
    }

    private final SingleUseObjectProvider store;
    private final String name;
    private final long windowSeconds;

    /**
     * @param name          what is counted, part of every slot's key (e.g. {@code guests})
     * @param windowSeconds the window's length
     */
    public SlidingWindowLimit(SingleUseObjectProvider store, String name, long windowSeconds) {
        this.store = store;
        this.name = name;
        this.windowSeconds = windowSeconds;
    }

    /** Counts one more event for {@code key} at {@code nowSeconds} if fewer than {@code limit} are in the window. */
    public Admission admit(String key, int limit, long nowSeconds) {
        long window = nowSeconds / windowSeconds;
        long elapsed = nowSeconds % windowSeconds;
        int current = taken(key, window, limit);
        int previous = taken(key, window - 1, limit);
        double carried = previous * (1 - (double) elapsed / windowSeconds);
        // Slots live through the next window, which still weighs this one in, and a second more.
        long lifespan = (window + 2) * windowSeconds - nowSeconds + 1;
        int slot = current;
        for (; slot + carried < limit; slot++) {
            if (store.putIfAbsent(slotKey(key, window, slot), lifespan)) {
                return Admission.ADMITTED;
            }
        }
        return new Admission(false, retryAfter(windowSeconds, limit, slot, previous, elapsed));
    }

    /** How many slots of {@code window} are taken: they are taken in order, so the first free one says it. */
    private int taken(String key, long window, int limit) {
        return (int) TakenInOrder.firstFree(slot -> store.contains(slotKey(key, window, (int) slot)), 0, limit);
    }

    /**
     * Seconds until the sliding estimate has room for one more event, if nothing else happens meanwhile: given
     * {@code current} events in the window so far, {@code previous} in the one before, {@code elapsed} seconds in.
     */
    public static long retryAfter(long windowSeconds, int limit, int current, int previous, long elapsed) {
        long remaining = windowSeconds - elapsed;
        if (current < limit && previous > 0) {
            double untilRoom = remaining - windowSeconds * (double) (limit - current) / previous;
            if (untilRoom < remaining) {
                return Math.max(1, (long) Math.floor(untilRoom) + 1);
            }
        }
        double untilRoom = remaining + (current >= limit ? windowSeconds * (1 - (double) limit / current) : 0);
        return Math.max(1, (long) Math.floor(untilRoom) + 1);
    }

    private String slotKey(String key, long window, int slot) {
        return "anonymous-users.limit." + name + "." + key + "." + window + "." + slot;
    }
}
