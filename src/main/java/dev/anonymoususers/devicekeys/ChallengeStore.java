package dev.anonymoususers.devicekeys;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * One-time challenges for device assertions, kept in Keycloak's single-use object store: shared by every node of
 * a cluster, expired by the store itself, and removed atomically, so one challenge serves exactly one attempt.
 */
public final class ChallengeStore {

    private static final String KEY_PREFIX = "anonymous-users.challenge.";
    private static final String USED_PREFIX = "anonymous-users.challenge-used.";
    private static final String REALM_NOTE = "realm";
    private static final String LIFETIME_NOTE = "lifetime";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SingleUseObjectProvider store;

    public ChallengeStore(KeycloakSession session) {
        this.store = session.singleUseObjects();
    }

    /** A fresh challenge for {@code realm}: 256 random bits, base64url, valid for {@code lifetimeSeconds}. */
    public String issue(RealmModel realm, int lifetimeSeconds) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        store.put(KEY_PREFIX + challenge, lifetimeSeconds,
                Map.of(REALM_NOTE, realm.getId(), LIFETIME_NOTE, Integer.toString(lifetimeSeconds)));
        return challenge;
    }

    /**
     * Uses up {@code challenge} for {@code realm}. The first attempt consumes it, whether or not the rest of the
     * assertion turns out valid; every later attempt is refused.
     */
    public void consume(RealmModel realm, String challenge) throws DeviceKeyError {
        Map<String, String> notes = store.remove(KEY_PREFIX + challenge);
        if (notes == null) {
            if (store.contains(USED_PREFIX + challenge)) {
                throw DeviceKeyError.invalidGrant("The challenge was already used; request a new one for each assertion");
            }
            throw DeviceKeyError.invalidGrant("The challenge is unknown or expired; request a new one from the challenge endpoint");
        }
        // Remembered as long as the challenge itself would have lived, to tell "already used" from "unknown".
        store.put(USED_PREFIX + challenge, Long.parseLong(notes.get(LIFETIME_NOTE)), Map.of());
        if (!realm.getId().equals(notes.get(REALM_NOTE))) {
            throw DeviceKeyError.invalidGrant("The challenge was issued by another realm");
        }
    }
}
