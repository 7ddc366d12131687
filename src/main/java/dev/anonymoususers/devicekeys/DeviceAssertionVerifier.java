package dev.anonymoususers.devicekeys;

import java.util.Set;

import org.keycloak.common.util.Time;
import org.keycloak.crypto.Algorithm;

/**
 * Decides whether a device assertion is acceptable, in the order that keeps every answer honest:
 * its form, then its challenge (used up by this very attempt, successful or not), then its header, claims and key,
 * and last its signature, checked with Keycloak's own signature providers.
 *
 * <p>The one place that verifies assertions, for the token endpoint and the browser alike.
 */
final class DeviceAssertionVerifier {

    /** The {@code typ} header of a device assertion. Part of the public contract. */
    static final String TYPE = "device-key+jwt";

    /** Accepted algorithms; each key signs with exactly one of them. */
    static final Set<String> ALGORITHMS = Set.of(Algorithm.ES256, Algorithm.RS256, Algorithm.EdDSA);

    /** How far {@code iat} may be from the server's clock: device clocks drift; the challenge bounds freshness. */
    static final long MAX_CLOCK_SKEW_SECONDS = 300;

    private final ChallengeConsumer challenges;
    private final KeyLookup keys;
    private final SignatureCheck signatures;

    /** Uses up a challenge, or says why it cannot. */
    interface ChallengeConsumer {
        void consume(String challenge) throws DeviceKeyError;
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
    record Verified(DeviceKey key, DeviceAction action, boolean sentByKid) {
    }

    DeviceAssertionVerifier(ChallengeConsumer challenges, KeyLookup keys, SignatureCheck signatures) {
        this.challenges = challenges;
        this.keys = keys;
        this.signatures = signatures;
    }

    Verified verify(String compact) throws DeviceKeyError {
        DeviceAssertion assertion = DeviceAssertion.parse(compact);

        String challenge = assertion.payloadString("challenge");
        if (challenge == null || challenge.isEmpty()) {
            throw DeviceKeyError.invalidGrant("The assertion has no challenge claim; get one from the challenge endpoint");
        }
        challenges.consume(challenge);

        String type = assertion.headerString("typ");
        if (!TYPE.equals(type)) {
            throw DeviceKeyError.invalidGrant(type == null
                    ? "The assertion header has no typ; it must be " + TYPE
                    : "The assertion header typ is " + type + "; it must be " + TYPE);
        }
        String algorithm = algorithm(assertion.headerString("alg"));
        if (assertion.header().containsKey("crit")) {
            throw DeviceKeyError.invalidGrant("The assertion header has crit extensions, which are not supported");
        }

        DeviceAction action = DeviceAction.fromClaim(assertion.payloadString("action")).orElseThrow(() ->
                DeviceKeyError.invalidGrant(assertion.payload().get("action") == null
                        ? "The assertion has no action claim; use auth or promote"
                        : "The assertion action " + assertion.payload().get("action") + " is unknown; use auth or promote"));
        checkIssuedAt(assertion.payload().get("iat"));

        boolean sentByKid = !assertion.header().containsKey("jwk");
        DeviceKey key = sentByKid ? keyById(assertion.headerString("kid")) : DeviceKey.fromHeader(assertion.header().get("jwk"));
        if (!key.algorithm().equals(algorithm)) {
            throw DeviceKeyError.invalidGrant("alg " + algorithm + " does not match the key: this key signs with " + key.algorithm());
        }
        String formProblem = key.signatureFormProblem(assertion.signature());
        if (formProblem != null) {
            throw DeviceKeyError.invalidGrant(formProblem);
        }
        if (!signatures.verifies(key, assertion.signingInput(), assertion.signature())) {
            throw DeviceKeyError.invalidGrant("The assertion signature does not verify with the "
                    + (sentByKid ? "registered key of this kid" : "key in the jwk header"));
        }
        return new Verified(key, action, sentByKid);
    }

    private static String algorithm(String algorithm) throws DeviceKeyError {
        if (algorithm == null) {
            throw DeviceKeyError.invalidGrant("The assertion header has no alg; sign with ES256");
        }
        if ("none".equalsIgnoreCase(algorithm)) {
            throw DeviceKeyError.invalidGrant("alg none is not accepted: sign the assertion with ES256 (or RS256, EdDSA)");
        }
        if (!ALGORITHMS.contains(algorithm)) {
            throw DeviceKeyError.invalidGrant("alg " + algorithm + " is not accepted: sign the assertion with ES256 (or RS256, EdDSA)");
        }
        return algorithm;
    }

    private DeviceKey keyById(String kid) throws DeviceKeyError {
        if (kid == null || kid.isEmpty()) {
            throw DeviceKeyError.invalidGrant("The assertion header needs jwk (the public key) or kid (its RFC 7638 thumbprint)");
        }
        return keys.byThumbprint(kid);
    }

    private static void checkIssuedAt(Object iat) throws DeviceKeyError {
        if (!(iat instanceof Number number)) {
            throw DeviceKeyError.invalidGrant("The assertion has no numeric iat claim (seconds since the epoch)");
        }
        long skew = Math.abs(Time.currentTime() - number.longValue());
        if (skew > MAX_CLOCK_SKEW_SECONDS) {
            throw DeviceKeyError.invalidGrant("The assertion iat is " + skew + " seconds away from the server's clock; at most "
                    + MAX_CLOCK_SKEW_SECONDS + " are accepted");
        }
    }
}
