package dev.anonymoususers;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The realm's limits on new guests ({@code guestsPerAddressPerHour}, {@code maxGuests}), checked by
 * {@link GuestAccounts} before every guest it creates, so every path that makes guests is counted, on every node of
 * a cluster alike. Existing guests and regular users never pass through here.
 */
final class GuestLimits {

    private static final long HOUR = 3600;
    /** How long a place below {@code maxGuests} stays held for a guest being created: well past its transaction. */
    private static final long PLACE_HOLD_SECONDS = 5;
    /** What a refused app is told to wait when the realm is full: clean-up and promotions make room, not time. */
    private static final long REALM_FULL_RETRY_SECONDS = HOUR;

    private GuestLimits() {
    }

    static void admit(KeycloakSession session, RealmModel realm, AnonymousUsersConfig settings) throws GuestLimitReached {
        SingleUseObjectProvider store = session.singleUseObjects();
        if (settings.maxGuests() > 0 && !holdPlace(session, store, realm, settings.maxGuests())) {
            throw new GuestLimitReached(GuestLimitReached.REALM_LIMIT, "The realm holds its maximum of " + settings.maxGuests()
                    + " guests (maxGuests); no new guest can be created until some are promoted or removed",
                    REALM_FULL_RETRY_SECONDS);
        }
        if (settings.guestsPerAddressPerHour() > 0) {
            SlidingWindowLimit.Admission admission = new SlidingWindowLimit(store, "guests", HOUR)
                    .admit(realm.getId() + "." + RequestAddress.of(session), settings.guestsPerAddressPerHour(), Time.currentTime());
            if (!admission.admitted()) {
                throw new GuestLimitReached(GuestLimitReached.ADDRESS_LIMIT, "New guests from this address are limited to "
                        + settings.guestsPerAddressPerHour() + " per hour (guestsPerAddressPerHour); retry after "
                        + admission.retryAfterSeconds() + " seconds", admission.retryAfterSeconds());
            }
        }
    }

    /**
     * Holds one of the places left below {@code max}: the guests counted in the database, and the places other
     * requests hold in the cluster-wide store while their guests are being created, so concurrent sign-ups on any
     * node cannot together pass the maximum. A place stays held a few seconds, past its guest's commit, so that a
     * request which counted just before that commit still finds the place taken; room made by a deletion or a
     * promotion is free again within those seconds.
     */
    private static boolean holdPlace(KeycloakSession session, SingleUseObjectProvider store, RealmModel realm, int max) {
        long guests = new GuestRegistry(session, realm).count();
        for (long place = guests; place < max; place++) {
            if (store.putIfAbsent("anonymous-users.place." + realm.getId() + "." + place, PLACE_HOLD_SECONDS)) {
                return true;
            }
        }
        return false;
    }
}
