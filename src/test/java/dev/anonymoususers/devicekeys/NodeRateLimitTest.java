package dev.anonymoususers.devicekeys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeRateLimitTest {

    static final long NOON = 1_800_000_000L / 60 * 60;

    final NodeRateLimit limit = new NodeRateLimit(60);

    int admitted(String key, int times, long at) {
        int admitted = 0;
        for (int i = 0; i < times; i++) {
            admitted += limit.admit(key, at).admitted() ? 1 : 0;
        }
        return admitted;
    }

    @Test
    void anAddressGetsTheLimitPerMinuteAndAnotherAddressItsOwn() {
        assertThat(admitted("realm.10.0.0.1", 500, NOON + 5)).isEqualTo(60);
        assertThat(admitted("realm.10.0.0.2", 1, NOON + 5)).isEqualTo(1);
    }

    @Test
    void aRefusalSaysWhenToRetry() {
        admitted("realm.10.0.0.1", 60, NOON + 5);

        var refused = limit.admit("realm.10.0.0.1", NOON + 5);

        assertThat(refused.admitted()).isFalse();
        assertThat(limit.admit("realm.10.0.0.1", NOON + 5 + refused.retryAfterSeconds()).admitted()).isTrue();
    }

    @Test
    void thePreviousMinuteWeighsInAsItSlidesOut() {
        admitted("realm.10.0.0.1", 60, NOON + 59);

        assertThat(admitted("realm.10.0.0.1", 60, NOON + 90)).isEqualTo(30);
    }

    @Test
    void zeroMeansNoLimit() {
        NodeRateLimit none = new NodeRateLimit(0);

        for (int i = 0; i < 1000; i++) {
            assertThat(none.admit("realm.10.0.0.1", NOON).admitted()).isTrue();
        }
    }

    @Test
    void whenFullTheLeastRecentlyUsedKeyIsForgottenNotANewKeyLetThrough() {
        NodeRateLimit small = new NodeRateLimit(2, 3);
        for (String key : new String[] {"a", "b", "c"}) {
            small.admit(key, NOON);
            small.admit(key, NOON);
        }
        small.admit("a", NOON); // refused, and "a" is now the most recently used

        assertThat(small.admit("d", NOON).admitted()).as("a new key is counted").isTrue();
        assertThat(small.admit("d", NOON).admitted()).isTrue();
        assertThat(small.admit("d", NOON).admitted()).as("and limited").isFalse();
        assertThat(small.admit("a", NOON).admitted()).as("the busy key stays counted").isFalse();
    }

    @Test
    void failuresAreCountedWithoutAskingAndRoomCountsNothing() {
        for (int i = 0; i < 60; i++) {
            assertThat(limit.room("realm.10.0.0.9", NOON).admitted()).isTrue();
            limit.count("realm.10.0.0.9", NOON);
        }

        assertThat(limit.room("realm.10.0.0.9", NOON).admitted()).isFalse();
        assertThat(limit.room("realm.10.0.0.10", NOON).admitted()).isTrue();
    }
}
