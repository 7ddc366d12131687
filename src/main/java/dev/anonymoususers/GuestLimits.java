package dev.anonymoususers;

import java.util.Map;

import dev.anonymoususers.storage.GuestRegistry;
import dev.anonymoususers.util.RequestAddress;
import dev.anonymoususers.util.SlidingWindowLimit;
import dev.anonymoususers.util.TakenInOrder;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The realm's limits on new guests ({@code guestsPerAddressPerHour}, {@code maxGuests}), checked by
 * {@link GuestAccounts} before every guest it creates, so every path that makes guests is counted, on every node of
 * a cluster alike. Existing guests and regular users never pass through here.
 *
 * <p>The address is checked first: an address already refused holds no place below the realm's maximum, so a flood
 * from one address never makes other visitors find the realm full while it is not.
 */
final class GuestLimits {

    private static final long HOUR = 3600;
    /** What a refused app is told to wait when the realm is full: clean-up and promotions make room, not time. */
    private static final long REALM_FULL_RETRY_SECONDS = HOUR;
    /** How long the cluster shares one count of the realm's guests before it is counted again. */
    static final long COUNT_SECONDS = 10;
    /** Places taken against a count outlive it and their guests' commits, so that none frees itself within its count. */
    private static final long PLACE_HOLD_SECONDS = COUNT_SECONDS + 5;

    private static final String COUNT_PREFIX = "anonymous-users.guest-count.";
    private static final String PLACE_PREFIX = "anonymous-users.place.";
    private static final String GUESTS = "guests";
    private static final String BASE = "base";

    private GuestLimits() {
    }

    static void admit(KeycloakSession session, RealmModel realm, AnonymousUsersConfig settings) throws GuestLimitReached {
        SingleUseObjectProvider store = session.singleUseObjects();
        if (settings.guestsPerAddressPerHour() > 0) {
            SlidingWindowLimit.Admission admission = new SlidingWindowLimit(store, "guests", HOUR)
                    .admit(realm.getId() + "." + RequestAddress.of(session), settings.guestsPerAddressPerHour(), Time.currentTime());
            if (!admission.admitted()) {
                throw new GuestLimitReached(GuestLimitReached.ADDRESS_LIMIT, "New guests from this address are limited to "
                        + settings.guestsPerAddressPerHour() + " per hour (guestsPerAddressPerHour); retry after "
                        + admission.retryAfterSeconds() + " seconds", admission.retryAfterSeconds());
            }
        }
        if (settings.maxGuests() > 0 && !holdPlace(session, store, realm, settings.maxGuests())) {
            throw new GuestLimitReached(GuestLimitReached.REALM_LIMIT, "The realm holds its maximum of " + settings.maxGuests()
                    + " guests (maxGuests); no new guest can be created until some are promoted or removed",
                    REALM_FULL_RETRY_SECONDS);
        }
    }

    /**
     * Holds one of the places left below {@code max}, at about the same cost however many guests the realm holds.
     *
     * <p>The cluster counts the realm's guests once per {@value #COUNT_SECONDS}-second window and shares the figure
     * in the single-use store; every guest created in that window takes the next numbered place of the window above
     * it, with the store's atomic {@code putIfAbsent}, so two nodes never take the same place. Places are taken in
     * order and outlive their window, so the first free one is found in a few lookups ({@link TakenInOrder}). A
     * window starts from the larger of its own count and the previous window's count plus the places taken in it, so
     * guests still being created when the window turned are not forgotten. How far off it can be: guests removed or
     * promoted lately still count for up to two windows ({@value #COUNT_SECONDS} to 20 seconds), so the realm may
     * refuse that many more than it must meanwhile; it never holds more than its maximum (short of a guest whose
     * creation takes longer than a window).
     */
    private static boolean holdPlace(KeycloakSession session, SingleUseObjectProvider store, RealmModel realm, int max) {
        long window = Time.currentTime() / COUNT_SECONDS;
        long base = start(session, store, realm, window);
        long place = firstFree(store, realm, window, base, max);
        for (; place < max; place++) {
            if (store.putIfAbsent(placeKey(realm, window, place), PLACE_HOLD_SECONDS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the places of {@code window} start, as the first request of the window found it; two that find it at the
     * same moment both write nearly the same figure.
     */
    private static long start(KeycloakSession session, SingleUseObjectProvider store, RealmModel realm, long window) {
        Map<String, String> shared = store.get(countKey(realm, window));
        if (shared != null && shared.get(BASE) != null) {
            return Long.parseLong(shared.get(BASE));
        }
        long guests = new GuestRegistry(session, realm).count();
        long base = guests;
        Map<String, String> before = store.get(countKey(realm, window - 1));
        if (before != null && before.get(BASE) != null) {
            long previousBase = Long.parseLong(before.get(BASE));
            long placed = firstFree(store, realm, window - 1, previousBase, Long.MAX_VALUE / 2) - previousBase;
            base = Math.max(guests, Long.parseLong(before.get(GUESTS)) + placed);
        }
        store.put(countKey(realm, window), PLACE_HOLD_SECONDS + COUNT_SECONDS,
                Map.of(GUESTS, Long.toString(guests), BASE, Long.toString(base)));
        return base;
    }

    /** The first place of {@code window} at or above {@code from}, below {@code max}, that nobody holds. */
    private static long firstFree(SingleUseObjectProvider store, RealmModel realm, long window, long from, long max) {
        return TakenInOrder.firstFree(place -> store.contains(placeKey(realm, window, place)), from, max);
    }

    private static String countKey(RealmModel realm, long window) {
        return COUNT_PREFIX + realm.getId() + "." + window;
    }

    private static String placeKey(RealmModel realm, long window, long place) {
        return PLACE_PREFIX + realm.getId() + "." + window + "." + place;
    }
}
