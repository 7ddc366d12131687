package dev.anonymoususers.util;

import java.util.function.LongPredicate;

/**
 * Numbered places that are taken in order — the slots of a sliding-window limit, the places below a realm's maximum
 * — so the first free one is found in a few lookups of the store instead of one per place taken.
 */
public final class TakenInOrder {

    private TakenInOrder() {
    }

    /**
     * The first place from {@code from} (inclusive) to {@code max} (exclusive; {@code max} itself when all are taken)
     * that {@code isTaken} says is free: a step that doubles until it finds a free place, then halves back to the first.
     */
    public static long firstFree(LongPredicate isTaken, long from, long max) {
        if (from >= max || !isTaken.test(from)) {
            return from;
        }
        long taken = from;
        long step = 1;
        long probe = from + 1;
        while (probe < max && isTaken.test(probe)) {
            taken = probe;
            step *= 2;
            probe = from + step;
        }
        long low = taken + 1;
        long high = Math.min(probe, max);
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (isTaken.test(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
