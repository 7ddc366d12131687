package dev.anonymoususers.devicekeys;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.anonymoususers.RequestAddress;
import dev.anonymoususers.SlidingWindowLimit;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * How many challenges one address gets per minute from this node: counted in this node's memory, not in the
 * cluster, so that a flood of challenge requests leaves no state in the cluster at all. Each node guards itself;
 * in a cluster of n nodes an address gets at most n times the limit, and a challenge costs nothing to issue.
 *
 * <p>Counters live for two windows (the previous one still weighs in, as in {@link SlidingWindowLimit}); at most
 * {@value #MAX_TRACKED_ADDRESSES} addresses are tracked per window, so memory stays bounded under a flood from
 * many addresses, past which new addresses are not counted until the next window.
 *
 * <p>A device assertion with its own {@code jti} (one-request sign-in) counts as one challenge: it is the other way
 * to put one spent mark into the cluster's single-use store, and the same limit bounds both.
 */
final class ChallengeRateLimit {

    /** Reason of a refusal for too many challenges from one address. */
    static final String LIMIT_REASON = "anonymous_challenge_limit";

    static final int MAX_TRACKED_ADDRESSES = 100_000;
    private static final long WINDOW_SECONDS = 60;

    private final int limit;
    private long window = -1;
    private Map<String, AtomicInteger> current = new ConcurrentHashMap<>();
    private Map<String, AtomicInteger> previous = Map.of();

    ChallengeRateLimit(int limit) {
        this.limit = limit;
    }

    /** Challenges per address per minute; 0 means no limit. */
    int limit() {
        return limit;
    }

    /** Counts one challenge of the request's address in {@code realm}, or refuses it with 429 and Retry-After. */
    void admit(KeycloakSession session, RealmModel realm) throws DeviceKeyError {
        SlidingWindowLimit.Admission admission = admit(realm.getId() + "." + RequestAddress.of(session), Time.currentTime());
        if (!admission.admitted()) {
            throw DeviceKeyError.limitReached(LIMIT_REASON, "Challenges for this address are limited to " + limit
                    + " per minute (challenges-per-address-per-minute; a sign-in with its own jti counts as one); retry after "
                    + admission.retryAfterSeconds() + " seconds", admission.retryAfterSeconds());
        }
    }

    /** Counts one challenge for {@code key} at {@code nowSeconds}, if the limit leaves room for it. */
    SlidingWindowLimit.Admission admit(String key, long nowSeconds) {
        if (limit <= 0) {
            return SlidingWindowLimit.Admission.ADMITTED;
        }
        Map<String, AtomicInteger> counts;
        Map<String, AtomicInteger> before;
        synchronized (this) {
            long now = nowSeconds / WINDOW_SECONDS;
            if (now != window) {
                previous = now == window + 1 ? current : Map.of();
                current = new ConcurrentHashMap<>();
                window = now;
            }
            counts = current;
            before = previous;
        }
        long elapsed = nowSeconds % WINDOW_SECONDS;
        AtomicInteger inPrevious = before.get(key);
        int previousCount = inPrevious == null ? 0 : inPrevious.get();
        double carried = previousCount * (1 - (double) elapsed / WINDOW_SECONDS);
        AtomicInteger count = counts.size() < MAX_TRACKED_ADDRESSES
                ? counts.computeIfAbsent(key, k -> new AtomicInteger())
                : counts.get(key);
        if (count == null) {
            return SlidingWindowLimit.Admission.ADMITTED;
        }
        int taken = count.getAndIncrement();
        if (taken + carried < limit) {
            return SlidingWindowLimit.Admission.ADMITTED;
        }
        count.decrementAndGet(); // a refusal counts nothing
        return new SlidingWindowLimit.Admission(false,
                SlidingWindowLimit.retryAfter(WINDOW_SECONDS, limit, taken, previousCount, elapsed));
    }
}
