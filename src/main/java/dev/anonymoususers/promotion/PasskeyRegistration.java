package dev.anonymoususers.promotion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.requiredactions.WebAuthnPasswordlessRegisterFactory;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.UserModelDelegate;
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
        registration(context).requiredActionChallenge(new AsNewAccount(context, signUp.username(), null));
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
        registration(context).processAction(new AsNewAccount(context, signUp.username(), () -> {
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

    /**
     * The promotion's context as Keycloak's registration sees it: the account under its new username, an event of
     * its own (the promotion reports itself), and its success handed to the promotion.
     */
    private static final class AsNewAccount implements RequiredActionContext {

        private final RequiredActionContext promotion;
        private final UserModel account;
        private final EventBuilder event;
        private final Runnable onSuccess;

        AsNewAccount(RequiredActionContext promotion, String username, Runnable onSuccess) {
            this.promotion = promotion;
            this.account = new UserModelDelegate(promotion.getUser()) {
                @Override
                public String getUsername() {
                    return username;
                }
            };
            this.event = promotion.getEvent().clone();
            this.onSuccess = onSuccess;
        }

        @Override
        public void success() {
            if (onSuccess == null) {
                promotion.success();
            } else {
                onSuccess.run();
            }
        }

        @Override
        public UserModel getUser() {
            return account;
        }

        @Override
        public EventBuilder getEvent() {
            return event;
        }

        @Override
        public String getAction() {
            return promotion.getAction();
        }

        @Override
        public URI getActionUrl(String code) {
            return promotion.getActionUrl(code);
        }

        @Override
        public URI getActionUrl() {
            return promotion.getActionUrl();
        }

        @Override
        public LoginFormsProvider form() {
            return promotion.form();
        }

        @Override
        public Response getChallenge() {
            return promotion.getChallenge();
        }

        @Override
        public RealmModel getRealm() {
            return promotion.getRealm();
        }

        @Override
        public AuthenticationSessionModel getAuthenticationSession() {
            return promotion.getAuthenticationSession();
        }

        @Override
        public ClientConnection getConnection() {
            return promotion.getConnection();
        }

        @Override
        public UriInfo getUriInfo() {
            return promotion.getUriInfo();
        }

        @Override
        public KeycloakSession getSession() {
            return promotion.getSession();
        }

        @Override
        public HttpRequest getHttpRequest() {
            return promotion.getHttpRequest();
        }

        @Override
        public RequiredActionConfigModel getConfig() {
            return promotion.getConfig();
        }

        @Override
        public String generateCode() {
            return promotion.generateCode();
        }

        @Override
        public Status getStatus() {
            return promotion.getStatus();
        }

        @Override
        public String getErrorMessage() {
            return promotion.getErrorMessage();
        }

        @Override
        public void challenge(Response response) {
            promotion.challenge(response);
        }

        @Override
        public void failure(String errorMessage) {
            promotion.failure(errorMessage);
        }

        @Override
        public void cancel() {
            promotion.cancel();
        }

        @Override
        public void ignore() {
            promotion.ignore();
        }
    }
}
