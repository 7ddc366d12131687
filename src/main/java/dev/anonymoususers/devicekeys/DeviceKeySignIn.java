package dev.anonymoususers.devicekeys;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.GuestMetrics;
import dev.anonymoususers.KeycloaksOwnClients;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.dpop.DPoP;
import org.keycloak.services.util.DPoPUtil;

/**
 * Signs a device's guest in from a device assertion: the one path shared by the token-endpoint grant and the
 * browser ({@code login_hint=anonymous:<assertion>}). The first assertion of a key creates the guest; every later
 * one signs the same guest in.
 *
 * <p>The assertion's {@code action} must be the one the request is for: {@code auth} to sign in, {@code promote}
 * when the browser request also carries {@code kc_action=promote-anonymous}. A promotion never creates a guest: it
 * is for the guest the key already signs in.
 */
public final class DeviceKeySignIn {

    /** Event detail: the thumbprint of the device key that signed in. */
    public static final String DEVICE_KEY_DETAIL = "device_key";

    private DeviceKeySignIn() {
    }

    public static UserModel signIn(KeycloakSession session, RealmModel realm, ClientModel client, String assertion,
            EventBuilder event) throws DeviceKeyError {
        return signIn(session, realm, client, assertion, DeviceAction.AUTH, event);
    }

    /**
     * The key of the request's DPoP proof, which Keycloak's token endpoint checked before the grant runs and binds
     * the tokens to; null where the request has none (and always in the browser).
     */
    private static String proofThumbprint(KeycloakSession session) {
        Object proof = session.getAttribute(DPoPUtil.DPOP_SESSION_ATTRIBUTE);
        return proof instanceof DPoP dpop ? dpop.getThumbprint() : null;
    }

    /** As {@link #signIn(KeycloakSession, RealmModel, ClientModel, String, EventBuilder)}, for {@code expected}. */
    public static UserModel signIn(KeycloakSession session, RealmModel realm, ClientModel client, String assertion,
            DeviceAction expected, EventBuilder event) throws DeviceKeyError {
        if (KeycloaksOwnClients.contains(realm, client.getClientId())) {
            throw DeviceKeyError.unauthorizedClient(KeycloaksOwnClients.refusal(client.getClientId()));
        }
        AnonymousUsersConfig config = AnonymousUsersConfig.of(realm);
        if (!config.enabled()) {
            throw DeviceKeyError.unauthorizedClient(AnonymousUsersConfig.DISABLED_DESCRIPTION);
        }
        if (!config.allowsDeviceKeys(client.getClientId())) {
            throw DeviceKeyError.unauthorizedClient("The client " + client.getClientId()
                    + " may not use device keys; an admin allows it in the anonymous-users settings (deviceKeyClients)");
        }
        DeviceKeyLimits limits = ChallengeEndpointFactory.limits(session);
        limits.refuseIfFailingTooOften(session, realm);
        DeviceKeys keys = new DeviceKeys(session, realm);
        Challenges challenges = new Challenges(session);
        DeviceAssertionVerifier verifier = new DeviceAssertionVerifier(
                new DeviceAssertionVerifier.Freshness() {
                    @Override
                    public void spendChallenge(String challenge) throws DeviceKeyError {
                        challenges.spend(realm, challenge);
                    }

                    @Override
                    public void spendOwnId(String thumbprint, String jti, long seconds) throws DeviceKeyError {
                        // Reached only once the signature has verified: a returning device is counted per key, never
                        // per address; a key the realm does not know yet is a new device, counted per address.
                        if (keys.isRegistered(thumbprint)) {
                            limits.admitOwnId(realm, thumbprint);
                        } else {
                            limits.admitChallenge(session, realm);
                        }
                        challenges.spendOwnId(realm, thumbprint, jti, seconds);
                    }
                },
                keys::byThumbprint,
                (key, signingInput, signature) -> key.verifies(session, signingInput, signature),
                proofThumbprint(session));

        DeviceAssertionVerifier.Verified verified;
        try {
            verified = verifier.verify(assertion);
        } catch (DeviceKeyError refused) {
            if (!refused.isLimit()) {
                limits.failed(session, realm);
            }
            throw refused;
        }
        if (verified.action() != expected) {
            throw DeviceKeyError.invalidGrant(expected == DeviceAction.AUTH
                    ? "The action promote is for promoting a guest, with kc_action=" + AnonymousUsers.PROMOTE_ACTION
                            + " in the browser; sign in with the action auth"
                    : "The request asks for kc_action=" + AnonymousUsers.PROMOTE_ACTION
                            + "; sign the assertion with the action promote");
        }
        event.detail(DEVICE_KEY_DETAIL, verified.key().thumbprint());
        DeviceKeyError noNewGuest = expected != DeviceAction.AUTH
                ? DeviceKeyError.invalidGrant("No guest is registered for this device key; a device promotes the guest "
                        + "it signed in with the action auth")
                : config.allowsGuests(client.getClientId()) ? null
                : DeviceKeyError.unauthorizedClient(AnonymousUsersConfig.guestsNotAllowed(client.getClientId()));
        UserModel guest = keys.signIn(verified.key(), client.getClientId(), noNewGuest, event);
        GuestMetrics.deviceSignIn(realm);
        return guest;
    }
}
