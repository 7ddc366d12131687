package dev.anonymoususers.devicekeys;

import java.util.List;

import dev.anonymoususers.util.RequestAddress;
import dev.anonymoususers.util.SlidingWindowLimit;
import org.keycloak.Config;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * What one node lets device-key requests make it store or compute, per minute. Each is a server option of the
 * {@code anonymous} realm resource ({@code --spi-realm-restapi-extension--anonymous--<option>}, 0 = no limit):
 *
 * <ul>
 *   <li>{@value #CHALLENGES_OPTION} per address ({@value #DEFAULT_CHALLENGES}): challenges, which store nothing, and
 *       the one-request assertions of keys the realm does not know yet (a new device stores its {@code jti});</li>
 *   <li>{@value #JTI_OPTION} per registered key ({@value #DEFAULT_JTI}): one-request sign-ins, counted only once
 *       the signature has verified, so nobody but the key's holder can spend its budget;</li>
 *   <li>{@value #FAILURES_OPTION} per address ({@value #DEFAULT_FAILURES}): assertions that fail verification,
 *       which store nothing but cost a signature check each; past it the address's assertions are refused before
 *       any is checked.</li>
 * </ul>
 *
 * A returning device is never counted per address, so devices behind one carrier NAT or office address do not
 * lock each other out. New guests stay limited per address by the realm's {@code guestsPerAddressPerHour}.
 */
final class DeviceKeyLimits {

    static final String CHALLENGES_OPTION = "challenges-per-address-per-minute";
    static final String JTI_OPTION = "jti-per-key-per-minute";
    static final String FAILURES_OPTION = "failed-assertions-per-address-per-minute";
    static final int DEFAULT_CHALLENGES = 300;
    static final int DEFAULT_JTI = 30;
    static final int DEFAULT_FAILURES = 300;

    /** Event errors (and refusal reasons) of the three limits. */
    static final String CHALLENGE_LIMIT_REASON = "anonymous_challenge_limit";
    static final String KEY_LIMIT_REASON = "anonymous_key_limit";
    static final String FAILURE_LIMIT_REASON = "anonymous_failed_assertion_limit";

    private final NodeRateLimit challenges;
    private final NodeRateLimit ownIds;
    private final NodeRateLimit failures;

    DeviceKeyLimits(int challenges, int ownIds, int failures) {
        this.challenges = new NodeRateLimit(challenges);
        this.ownIds = new NodeRateLimit(ownIds);
        this.failures = new NodeRateLimit(failures);
    }

    static DeviceKeyLimits defaults() {
        return new DeviceKeyLimits(DEFAULT_CHALLENGES, DEFAULT_JTI, DEFAULT_FAILURES);
    }

    /** The three server options, defined once: read below, and described by the factory's config metadata. */
    static final List<ProviderConfigProperty> OPTIONS = ProviderConfigurationBuilder.create()
            .property().name(CHALLENGES_OPTION).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_CHALLENGES)
            .helpText("Challenges (and new devices' one-request assertions) each node admits from one address per minute; 0 = no limit")
            .add()
            .property().name(JTI_OPTION).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_JTI)
            .helpText("One-request sign-ins each node admits per registered device key per minute, counted after the "
                    + "signature verified; 0 = no limit")
            .add()
            .property().name(FAILURES_OPTION).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_FAILURES)
            .helpText("Device assertions that fail verification each node takes from one address per minute before "
                    + "refusing its assertions unchecked; 0 = no limit")
            .add()
            .build();

    /** Read from the server's options ({@link #OPTIONS}); a negative figure counts as 0, no limit. */
    static DeviceKeyLimits of(Config.Scope config) {
        return new DeviceKeyLimits(option(config, CHALLENGES_OPTION, DEFAULT_CHALLENGES),
                option(config, JTI_OPTION, DEFAULT_JTI), option(config, FAILURES_OPTION, DEFAULT_FAILURES));
    }

    private static int option(Config.Scope config, String name, int defaultValue) {
        return Math.max(0, config.getInt(name, defaultValue));
    }

    /** A challenge, or a new device's one-request assertion, from the request's address. */
    void admitChallenge(KeycloakSession session, RealmModel realm) throws DeviceKeyError {
        SlidingWindowLimit.Admission admission = challenges.admit(addressKey(session, realm), Time.currentTime());
        if (!admission.admitted()) {
            throw DeviceKeyError.limitReached(CHALLENGE_LIMIT_REASON, "Challenges for this address are limited to "
                    + challenges.limit() + " per minute (" + CHALLENGES_OPTION + "; a new device's sign-in with its own jti "
                    + "counts as one); retry after " + admission.retryAfterSeconds() + " seconds", admission.retryAfterSeconds());
        }
    }

    /** A registered key's one-request sign-in, after its signature verified. */
    void admitOwnId(RealmModel realm, String thumbprint) throws DeviceKeyError {
        SlidingWindowLimit.Admission admission = ownIds.admit(realm.getId() + "." + thumbprint, Time.currentTime());
        if (!admission.admitted()) {
            throw DeviceKeyError.limitReached(KEY_LIMIT_REASON, "This device key signs in with its own jti at most "
                    + ownIds.limit() + " times a minute (" + JTI_OPTION + "); retry after " + admission.retryAfterSeconds()
                    + " seconds", admission.retryAfterSeconds());
        }
    }

    /** Refuses the request's address before any signature is checked, when its assertions failed too often. */
    void refuseIfFailingTooOften(KeycloakSession session, RealmModel realm) throws DeviceKeyError {
        SlidingWindowLimit.Admission room = failures.room(addressKey(session, realm), Time.currentTime());
        if (!room.admitted()) {
            throw DeviceKeyError.limitReached(FAILURE_LIMIT_REASON, "Too many device assertions from this address failed "
                    + "verification (" + FAILURES_OPTION + "); retry after " + room.retryAfterSeconds() + " seconds",
                    room.retryAfterSeconds());
        }
    }

    /** An assertion from the request's address failed verification. */
    void failed(KeycloakSession session, RealmModel realm) {
        failures.count(addressKey(session, realm), Time.currentTime());
    }

    private static String addressKey(KeycloakSession session, RealmModel realm) {
        return realm.getId() + "." + RequestAddress.of(session);
    }
}
