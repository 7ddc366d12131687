package dev.anonymoususers.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Two requests released together, with when each was sent and answered, so a race test can prove that the requests
 * were in flight at the same time instead of assuming it: a test of a race that ran one after the other proves
 * nothing.
 */
public final class AtOnce {

    /** Most attempts a race test makes before it fails for want of an overlap. */
    public static final int MAX_ATTEMPTS = 5;

    private AtOnce() {
    }

    /** One request: its answer, and when (by this JVM's monotonic clock) it was sent and answered. */
    public record Timed<T>(T answer, long sentNanos, long answeredNanos) {

        /** Whether this was sent before {@code other} was answered and answered after {@code other} was sent. */
        public boolean overlaps(Timed<?> other) {
            return sentNanos < other.answeredNanos && other.sentNanos < answeredNanos;
        }

        /** Whether this was sent after {@code outer} was sent and answered before {@code outer} was answered. */
        public boolean within(Timed<?> outer) {
            return sentNanos > outer.sentNanos && answeredNanos < outer.answeredNanos;
        }
    }

    /** The two requests of one attempt. */
    public record Both<T>(Timed<T> first, Timed<T> second) {

        public boolean overlapped() {
            return first.overlaps(second);
        }

        public List<T> answers() {
            return List.of(first.answer(), second.answer());
        }
    }

    public static <T> Both<T> run(Supplier<T> first, Supplier<T> second) {
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Timed<T>> a = CompletableFuture.supplyAsync(() -> timed(start, first));
        CompletableFuture<Timed<T>> b = CompletableFuture.supplyAsync(() -> timed(start, second));
        start.countDown();
        return new Both<>(a.join(), b.join());
    }

    /** Runs {@code request} when {@code start} opens, and times it. */
    public static <T> Timed<T> timed(CountDownLatch start, Supplier<T> request) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long sent = System.nanoTime();
        T answer = request.get();
        return new Timed<>(answer, sent, System.nanoTime());
    }
}
