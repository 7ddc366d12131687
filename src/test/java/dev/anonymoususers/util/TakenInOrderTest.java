package dev.anonymoususers.util;


import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TakenInOrderTest {

    @Test
    void findsTheFirstFreePlaceAfterTheTakenOnes() {
        for (long taken = 0; taken <= 70; taken++) {
            long last = taken;
            assertThat(TakenInOrder.firstFree(place -> place < last, 0, 100)).isEqualTo(taken);
            assertThat(TakenInOrder.firstFree(place -> place < 40 + last, 40, 1000)).isEqualTo(40 + taken);
        }
    }

    @Test
    void allTakenGivesTheMaximum() {
        assertThat(TakenInOrder.firstFree(place -> true, 5, 30)).isEqualTo(30);
        assertThat(TakenInOrder.firstFree(place -> true, 30, 30)).isEqualTo(30);
    }

    @Test
    void asksFewQuestionsEvenWithManyPlacesTaken() {
        AtomicInteger asked = new AtomicInteger();

        long free = TakenInOrder.firstFree(place -> {
            asked.incrementAndGet();
            return place < 1_000_000 + 3000;
        }, 1_000_000, 1_100_000);

        assertThat(free).isEqualTo(1_003_000);
        assertThat(asked.get()).isLessThan(30);
    }
}
