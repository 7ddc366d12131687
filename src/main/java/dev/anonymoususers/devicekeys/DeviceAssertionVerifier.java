package dev.anonymoususers.devicekeys;

import java.util.Set;

import org.keycloak.common.util.Time;
import org.keycloak.crypto.Algorithm;

/**
 * Decides whether a device assertion is acceptable, in the order that keeps every answer honest:
 * its form, then its challenge (used up by this very attempt, successful or not), then its header, claims and key,
 * and last its signature, checked with Keycloak's own signature providers.
 *
 * <p>An assertion proves it is fresh in one of two ways, never both: a {@code challenge} from the challenge
 * endpoint (two requests; any device clock within {@value #MAX_CLOCK_SKEW_SECONDS} seconds), or its own
 * {@code jti} with an {@code iat} within {@value #OWN_ID_WINDOW_SECONDS} seconds of the server's clock (one request,
 * as RFC 7523 client assertions and RFC 9449 DPoP proofs do). An own {@code jti} is spent only once the signature
 * verifies, so nobody but the key's holder can use up or store one.
 *
 * <p>The one place that verifies assertions, for the token endpoint and the browser alike.
 */
final class DeviceAssertionVerifier {

    /** The {@code typ} header of a device assertion. Part of the public contract. */
    static final String TYPE = "device-key+jwt";
    /** Past it an iat in seconds would lie in the year 5138: it is a time in milliseconds (today's are about 1.8e12). */
    private static final long LATEST_IAT_IN_SECONDS = 100_000_000_000L;

    /** Accepted algorithms; each key signs with exactly one of them. */
    static final Set<String> ALGORITHMS = Set.of(Algorithm.ES256, Algorithm.RS256, Algorithm.EdDSA);

    /** How far {@code iat} may be from the server's clock with a challenge: device clocks drift; the challenge bounds freshness. */
    static final long MAX_CLOCK_SKEW_SECONDS = 300;

    /** How far {@code iat} may be from the server's clock without a challenge: the assertion's whole life. */
    static final long OWN_ID_WINDOW_SECONDS = 60;

    /** An own {@code jti}: at least 128 bits as base64url (22 characters), or a UUID; at most 64 characters. */
    private static final java.util.regex.Pattern OWN_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22,64}");

    private final Freshness freshness;
    private final String proofThumbprint;
    private final KeyLookup keys;
    private final SignatureCheck signatures;

    /** Uses up what makes an assertion fresh, or says why it cannot. */
    interface Freshness {
        /** Uses up a challenge from the challenge endpoint. */
        void spendChallenge(String challenge) throws DeviceKeyError;

        /** Uses up the assertion's own {@code jti} of {@code thumbprint}'s key, remembered for {@code seconds}. */
        void spendOwnId(String thumbprint, String jti, long seconds) throws DeviceKeyError;
    }

    /** Finds a registered key by its thumbprint, for assertions that send {@code kid}. */
    interface KeyLookup {
        DeviceKey byThumbprint(String thumbprint) throws DeviceKeyError;
    }

    /** Checks a signature with the key's algorithm. */
    interface SignatureCheck {
        boolean verifies(DeviceKey key, byte[] signingInput, byte[] signature);
    }

    /** What an acceptable assertion proves: the holder of {@code key} asks for {@code action}. */
    record Verified(DeviceKey key, DeviceAction action) {
    }

    DeviceAssertionVerifier(Freshness freshness, KeyLookup keys, SignatureCheck signatures) {
        this(freshness, keys, signatures, null);
    }

    /**
     * @param proofThumbprint the RFC 7638 thumbprint of the key that signed the request's DPoP proof, or null where the
     *                        request has none: the tokens are bound to that key, so it must be the device key
     */
    DeviceAssertionVerifier(Freshness freshness, KeyLookup keys, SignatureCheck signatures, String proofThumbprint) {
        this.freshness = freshness;
        this.keys = keys;
        this.signatures = signatures;
        this.proofThumbprint = proofThumbprint;
    }

    Verified verify(String compact) throws DeviceKeyError {
        DeviceAssertion assertion = DeviceAssertion.parse(compact);
        if (Challenges.isOne(assertion)) {
            throw DeviceKeyError.invalidGrant("This is a challenge from the challenge endpoint, not an assertion: put it in "
                    + "the challenge claim of an assertion that the device signs with its key (typ " + TYPE + ")");
        }
        boolean sentByKid = !assertion.header().containsKey("jwk");
        // Where a DPoP proof came, the header's key is read first, before anything is spent (and then used below):
        // a proof by another key would bind the device's tokens to whoever holds that key.
        DeviceKey headerKey = null;
        if (proofThumbprint != null) {
            headerKey = sentByKid ? null : DeviceKey.fromHeader(assertion.header().get("jwk"));
            String named = sentByKid ? assertion.headerString("kid") : headerKey.thumbprint();
            if (!proofThumbprint.equals(named)) {
                throw DeviceKeyError.invalidDpopProof("The DPoP proof is signed by another key than the device key of the "
                        + "assertion; sign the DPoP proof with the device key");
            }
        }

        String challenge = assertion.payloadString("challenge");
        boolean hasOwnId = assertion.payload().containsKey("jti");
        if (assertion.payload().containsKey("challenge") && hasOwnId) {
            throw DeviceKeyError.invalidGrant("The assertion has both a challenge and a jti claim; send one of them: "
                    + "a challenge from the challenge endpoint, or a new jti with the current iat");
        }
        if (!hasOwnId && (challenge == null || challenge.isEmpty())) {
            throw DeviceKeyError.invalidGrant("The assertion has neither a challenge nor a jti claim: get a challenge from "
                    + "the challenge endpoint, or sign a new jti with the current iat");
        }
        String ownId = hasOwnId ? ownId(assertion.payload().get("jti")) : null;
        if (!hasOwnId) {
            freshness.spendChallenge(challenge);
        }

        String type = assertion.headerString("typ");
        if (!TYPE.equals(type)) {
            throw DeviceKeyError.invalidGrant(type == null
                    ? "The assertion header has no typ; it must be " + TYPE
                    : "The assertion header typ is not " + TYPE);
        }
        String algorithm = algorithm(assertion.headerString("alg"));
        if (assertion.header().containsKey("crit")) {
            throw DeviceKeyError.invalidGrant("The assertion header has crit extensions, which are not supported");
        }

        DeviceAction action = DeviceAction.fromClaim(assertion.payloadString("action")).orElseThrow(() ->
                DeviceKeyError.invalidGrant(assertion.payload().get("action") == null
                        ? "The assertion has no action claim; use auth or promote"
                        : "The assertion action is unknown; use auth or promote"));
        long issuedAt = issuedAt(assertion.payload().get("iat"), hasOwnId);

        DeviceKey key;
        if (sentByKid) {
            key = keyById(assertion.headerString("kid"));
        } else {
            key = headerKey != null ? headerKey : DeviceKey.fromHeader(assertion.header().get("jwk"));
        }
        if (!key.algorithm().equals(algorithm)) {
            throw DeviceKeyError.invalidGrant("The assertion alg does not match the key: this key signs with " + key.algorithm());
        }
        String formProblem = key.signatureFormProblem(assertion.signature());
        if (formProblem != null) {
            throw DeviceKeyError.invalidGrant(formProblem);
        }
        if (!signatures.verifies(key, assertion.signingInput(), assertion.signature())) {
            throw DeviceKeyError.invalidGrant("The assertion signature does not verify with the "
                    + (sentByKid ? "registered key of this kid" : "key in the jwk header"));
        }
        if (hasOwnId) {
            // Kept until its iat leaves the window, after which the iat alone refuses the assertion.
            long seconds = issuedAt + OWN_ID_WINDOW_SECONDS - Time.currentTime() + 1;
            freshness.spendOwnId(key.thumbprint(), ownId, Math.max(1, seconds));
        }
        return new Verified(key, action);
    }

    private static String algorithm(String algorithm) throws DeviceKeyError {
        if (algorithm == null) {
            throw DeviceKeyError.invalidGrant("The assertion header has no alg; sign with ES256");
        }
        if ("none".equalsIgnoreCase(algorithm)) {
            throw DeviceKeyError.invalidGrant("alg none is not accepted: sign the assertion with ES256 (or RS256, EdDSA)");
        }
        if (!ALGORITHMS.contains(algorithm)) {
            throw DeviceKeyError.invalidGrant("The assertion alg is not accepted: sign the assertion with ES256 (or RS256, EdDSA)");
        }
        return algorithm;
    }

    private DeviceKey keyById(String kid) throws DeviceKeyError {
        if (kid == null || kid.isEmpty()) {
            throw DeviceKeyError.invalidGrant("The assertion header needs jwk (the public key) or kid (its RFC 7638 thumbprint)");
        }
        return keys.byThumbprint(kid);
    }

    private static String ownId(Object jti) throws DeviceKeyError {
        if (!(jti instanceof String id) || !OWN_ID.matcher(id).matches()) {
            throw DeviceKeyError.invalidGrant("The assertion jti must be a new random string of 22 to 64 characters "
                    + "(letters, digits, - and _): 16 random bytes in base64url, or a UUID");
        }
        return id;
    }

    private static long issuedAt(Object iat, boolean withOwnId) throws DeviceKeyError {
        if (!(iat instanceof Number number)) {
            throw DeviceKeyError.invalidGrant("The assertion has no numeric iat claim (seconds since the epoch)");
        }
        long issuedAt = number.longValue();
        if (issuedAt > LATEST_IAT_IN_SECONDS) {
            throw DeviceKeyError.invalidGrant("The assertion iat is in milliseconds; it must be in seconds since the epoch");
        }
        long skew = Math.abs(Time.currentTime() - issuedAt);
        long allowed = withOwnId ? OWN_ID_WINDOW_SECONDS : MAX_CLOCK_SKEW_SECONDS;
        if (skew > allowed) {
            throw DeviceKeyError.invalidGrant("The assertion iat is " + skew + " seconds away from the server's clock; at most "
                    + allowed + " are accepted" + (withOwnId
                            ? " for an assertion with its own jti. A device whose clock is off signs a challenge instead"
                            : ""));
        }
        return issuedAt;
    }
}
