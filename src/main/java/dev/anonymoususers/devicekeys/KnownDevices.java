package dev.anonymoususers.devicekeys;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.keycloak.models.RealmModel;

/**
 * Which guest each device key seen on this node signs in, so that a returning device finds its guest without a
 * database query. Only a hint: the guest is still loaded from Keycloak's user cache (which the cluster keeps
 * current) and its device-key credential checked on every sign-in, and any doubt falls back to the registry in
 * the database, so a key removed or a guest deleted on any node is refused as before. A revoked key has always
 * lost its credential or its guest, which is what the hint is checked against.
 *
 * <p>Bounded: past {@value #MAX_KEYS} keys it starts afresh, which costs each device one query again.
 */
final class KnownDevices {

    static final int MAX_KEYS = 100_000;

    private static final Map<String, String> GUEST_BY_KEY = new ConcurrentHashMap<>();

    private KnownDevices() {
    }

    /** The id of the guest {@code thumbprint} signed in last time on this node, or null. */
    static String guestOf(RealmModel realm, String thumbprint) {
        return GUEST_BY_KEY.get(key(realm, thumbprint));
    }

    static void remember(RealmModel realm, String thumbprint, String userId) {
        if (GUEST_BY_KEY.size() >= MAX_KEYS) {
            GUEST_BY_KEY.clear();
        }
        GUEST_BY_KEY.put(key(realm, thumbprint), userId);
    }

    static void forget(RealmModel realm, String thumbprint) {
        GUEST_BY_KEY.remove(key(realm, thumbprint));
    }

    private static String key(RealmModel realm, String thumbprint) {
        return realm.getId() + "." + thumbprint;
    }
}
