package dev.anonymoususers.promotion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.requiredactions.WebAuthnPasswordlessRegisterFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.JsonSerialization;

/**
 * A passkey instead of a password: the guest registers a passkey through Keycloak's own WebAuthn passwordless
 * registration ({@value WebAuthnPasswordlessRegisterFactory#PROVIDER_ID}) and is promoted with no password.
 *
 * <p>Keycloak's registration runs inside the promotion: its page posts back to the promotion, which hands the
 * answer to it. It sees the account under its new username (the authenticator shows that name, never the guest's),
 * and its success is the moment of the promotion, in the same transaction as the passkey it stored.
 */
final class PasskeyRegistration {

    static final String METHOD = "passkey";
    /** Auth note: the checked sign-up, kept while the browser registers the passkey. */
    static final String SIGN_UP_NOTE = "anonymousUsers.passkeySignUp";

    private PasskeyRegistration() {
    }

    /** Where the realm offers passkeys: Keycloak's passwordless registration enabled, and passkeys on in its policy. */
    static boolean isOffered(RealmModel realm) {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(WebAuthnPasswordlessRegisterFactory.PROVIDER_ID);
        return action != null && action.isEnabled()
                && Boolean.TRUE.equals(realm.getWebAuthnPolicyPasswordless().isPasskeysEnabled());
    }

    /** The guest chose "Use a passkey" on the sign-up page. */
    static boolean isChosen(MultivaluedMap<String, String> form) {
        return METHOD.equals(form.getFirst("promote"));
    }

    /** The browser answers Keycloak's passkey page (or asks to try again), not the sign-up page. */
    static boolean isUnderWay(AuthenticationSessionModel authSession, MultivaluedMap<String, String> form) {
        return authSession.getAuthNote(SIGN_UP_NOTE) != null && form.getFirst("promote") == null;
    }

    /** Keeps the checked sign-up and shows Keycloak's passkey registration for the new account. */
    static void start(RequiredActionContext context, SignUpForm.Accepted signUp) {
        try {
            context.getAuthenticationSession().setAuthNote(SIGN_UP_NOTE, JsonSerialization.writeValueAsString(new KeptSignUp(
                    signUp.attributes(), signUp.username(), signUp.email())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registration(context).requiredActionChallenge(new RegistrationContext(context, signUp.username(), null));
    }

    /** What happens once Keycloak has stored the passkey. */
    interface OnRegistered {
        void promote(SignUpForm.Accepted signUp);
    }

    /** Hands the browser's answer to Keycloak's registration; when it stores the passkey, {@code then} promotes. */
    static void finish(RequiredActionContext context, OnRegistered then) {
        SignUpForm.Accepted signUp;
        try {
            KeptSignUp kept = JsonSerialization.readValue(context.getAuthenticationSession().getAuthNote(SIGN_UP_NOTE), KeptSignUp.class);
            signUp = new SignUpForm.Accepted(kept.attributes, kept.username, kept.email, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registration(context).processAction(new RegistrationContext(context, signUp.username(), () -> {
            context.getAuthenticationSession().removeAuthNote(SIGN_UP_NOTE);
            then.promote(signUp);
        }));
    }

    /** The checked sign-up as it waits in the authentication session (no password: a passkey proves the account). */
    public static final class KeptSignUp {
        public Map<String, List<String>> attributes;
        public String username;
        public String email;

        public KeptSignUp() {
        }

        KeptSignUp(Map<String, List<String>> attributes, String username, String email) {
            this.attributes = attributes;
            this.username = username;
            this.email = email;
        }
    }

    private static RequiredActionProvider registration(RequiredActionContext context) {
        return context.getSession().getProvider(RequiredActionProvider.class, WebAuthnPasswordlessRegisterFactory.PROVIDER_ID);
    }
}
