package dev.anonymoususers.util;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anonymoususers.testing.InMemoryStore;
import org.junit.jupiter.api.Test;

class SlidingWindowLimitTest {

    static final long HOUR = 3600;
    /** The start of some hour, in seconds since the epoch. */
    static final long TEN_O_CLOCK = 1_800_000_000L / HOUR * HOUR;

    final InMemoryStore store = new InMemoryStore();
    final SlidingWindowLimit limit = new SlidingWindowLimit(store, "guests", HOUR);

    int admitted(String key, int times, int max, long at) {
        int admitted = 0;
        for (int i = 0; i < times; i++) {
            if (limit.admit(key, max, at).admitted()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void admitsExactlyTheLimitWithinAWindow() {
        assertThat(admitted("203.0.113.1", 40, 30, TEN_O_CLOCK + 600)).isEqualTo(30);
    }

    @Test
    void keysAreCountedApart() {
        admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + 600);

        assertThat(admitted("203.0.113.2", 1, 30, TEN_O_CLOCK + 600)).isEqualTo(1);
    }

    @Test
    void aBurstAtTheEndOfAnHourBuysNoSecondBurstAtTheStartOfTheNext() {
        admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + HOUR - 10);

        // The previous hour counts as if spread evenly over it: 10 s into the next, 29.9 of its 30 still count.
        assertThat(admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + HOUR + 10)).isEqualTo(1);
    }

    @Test
    void roomReturnsAsThePreviousHourSlidesOut() {
        admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + HOUR - 10);

        // Half-way through the next hour, half of the previous hour's 30 still count.
        assertThat(admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + HOUR + HOUR / 2)).isEqualTo(15);
    }

    @Test
    void refusalsStoreNothing() {
        admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + 600);
        int stored = store.entries.size();

        admitted("203.0.113.1", 1000, 30, TEN_O_CLOCK + 600);

        assertThat(store.entries).hasSize(stored);
    }

    @Test
    void retryAfterSaysWhenOneMoreWouldBeAdmitted() {
        admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + 600);

        SlidingWindowLimit.Admission refused = limit.admit("203.0.113.1", 30, TEN_O_CLOCK + 600);

        assertThat(refused.admitted()).isFalse();
        long retryAfter = refused.retryAfterSeconds();
        assertThat(limit.admit("203.0.113.1", 30, TEN_O_CLOCK + 600 + retryAfter - 2).admitted()).isFalse();
        assertThat(limit.admit("203.0.113.1", 30, TEN_O_CLOCK + 600 + retryAfter).admitted()).isTrue();
    }

    @Test
    void retryAfterWithinTheWindowWhenThePreviousHourHoldsTheRoom() {
        admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + HOUR - 10);
        admitted("203.0.113.1", 30, 30, TEN_O_CLOCK + HOUR + 10);

        long retryAfter = limit.admit("203.0.113.1", 30, TEN_O_CLOCK + HOUR + 10).retryAfterSeconds();

        assertThat(retryAfter).isBetween(100L, 130L); // one of 30 slides out every 120 s
        assertThat(limit.admit("203.0.113.1", 30, TEN_O_CLOCK + HOUR + 10 + retryAfter).admitted()).isTrue();
    }
}
