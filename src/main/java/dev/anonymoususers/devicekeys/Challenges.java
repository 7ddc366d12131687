package dev.anonymoususers.devicekeys;

import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.JsonWebToken;

/**
 * One-time challenges for device assertions that cost the server nothing to issue: a challenge is a short token
 * signed with the realm's own HMAC key (the key Keycloak manages for its internal tokens, rotated with the realm's
 * keys), carrying its realm, its expiry and a random id. Any node of a cluster can check it; nothing is stored when
 * one is issued. Single use is enforced when an assertion spends it: the spent id goes into Keycloak's single-use
 * object store, atomically, for the rest of the challenge's life, so one challenge serves exactly one attempt.
 */
final class Challenges {

    /** The {@code typ} claim that tells a challenge from every other token the realm's keys sign. */
    static final String TYPE = "anonymous-users-challenge";
    private static final String REALM_CLAIM = "realm";
    private static final String SPENT_PREFIX = "anonymous-users.challenge-spent.";
    private static final String OWN_ID_PREFIX = "anonymous-users.assertion-spent.";

    private final KeycloakSession session;

    Challenges(KeycloakSession session) {
        this.session = session;
    }

    /** A fresh challenge for {@code realm}, valid for {@code lifetimeSeconds}. */
    String issue(RealmModel realm, int lifetimeSeconds) {
        JsonWebToken challenge = new JsonWebToken()
                .id(KeycloakModelUtils.generateId())
                .type(TYPE)
                .exp((long) Time.currentTime() + lifetimeSeconds);
        challenge.setOtherClaims(REALM_CLAIM, realm.getId());
        return session.tokens().encode(challenge);
    }

    /**
     * Spends {@code challenge} for {@code realm}. The first attempt spends it, whether or not the rest of the
     * assertion turns out valid; every later attempt is refused.
     */
    void spend(RealmModel realm, String challenge) throws DeviceKeyError {
        JsonWebToken claims = claimsOf(challenge);
        if (!realm.getId().equals(claims.getOtherClaims().get(REALM_CLAIM))) {
            throw DeviceKeyError.invalidGrant("The challenge was issued by another realm");
        }
        if (session.tokens().decode(challenge, JsonWebToken.class) == null) {
            throw unknown(); // not signed by this realm's key: made up, altered, or signed by a key removed since
        }
        long secondsLeft = claims.getExp() - Time.currentTime();
        if (secondsLeft <= 0) {
            throw unknown();
        }
        if (!session.singleUseObjects().putIfAbsent(SPENT_PREFIX + claims.getId(), secondsLeft + 1)) {
            throw DeviceKeyError.invalidGrant("The challenge was already used; request a new one for each assertion");
        }
    }

    /**
     * Spends the own {@code jti} of an assertion that came without a challenge: the device's own one-time challenge,
     * kept in the same cluster-wide store for {@code seconds}, per key, so one device's ids never meet another's.
     */
    void spendOwnId(RealmModel realm, String thumbprint, String jti, long seconds) throws DeviceKeyError {
        if (!session.singleUseObjects().putIfAbsent(OWN_ID_PREFIX + realm.getId() + "." + thumbprint + "." + jti, seconds)) {
            throw DeviceKeyError.invalidGrant("This assertion (its jti) was already used; sign each assertion with a new jti");
        }
    }

    /** Whether an assertion is in fact a challenge of this endpoint, sent as it came instead of signed into one. */
    static boolean isOne(DeviceAssertion assertion) {
        return Constants.INTERNAL_SIGNATURE_ALGORITHM.equals(assertion.headerString("alg"))
                && TYPE.equals(assertion.payload().get("typ"));
    }

    /** The claims of something that has the form of a challenge, before its signature is checked. */
    private static JsonWebToken claimsOf(String challenge) throws DeviceKeyError {
        try {
            JWSInput jws = new JWSInput(challenge);
            if (!Constants.INTERNAL_SIGNATURE_ALGORITHM.equals(jws.getHeader().getRawAlgorithm())) {
                throw unknown();
            }
            JsonWebToken claims = jws.readJsonContent(JsonWebToken.class);
            if (claims == null || !TYPE.equals(claims.getType()) || claims.getId() == null || claims.getExp() == null
                    || !(claims.getOtherClaims().get(REALM_CLAIM) instanceof String)) {
                throw unknown();
            }
            return claims;
        } catch (JWSInputException | RuntimeException e) {
            throw unknown();
        }
    }

    private static DeviceKeyError unknown() {
        return DeviceKeyError.invalidGrant("The challenge is unknown or expired; request a new one from the challenge endpoint");
    }
}
