package dev.anonymoususers.promotion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.broker.provider.IdpLinkAction;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderStorageProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.ClientSessionCode;
import org.keycloak.services.resources.IdentityBrokerService;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.JsonSerialization;

/**
 * A social account instead of a password: the guest picks one of the realm's identity providers on the sign-up
 * page, signs in there, and that brokered identity is linked to the same user (same {@code sub}), which is promoted
 * with the email and names the provider gives.
 *
 * <p>It is Keycloak's own application-initiated account linking ({@link IdpLinkAction}, {@code kc_action=idp_link}),
 * driven from the promotion: the same broker redirect, the same checks when the provider answers (an identity linked
 * to another account is refused), and Keycloak hands the answer back to the promotion, which then promotes.
 */
final class IdentityProviderPromotion {

    /** Form field of a provider's button on the sign-up page. */
    static final String FIELD = "promote-with-idp";
    /** Auth note: the provider the guest chose, while the browser is away at it. */
    static final String PROVIDER_NOTE = "anonymousUsers.promoteWithIdp";
    /** User-session note where Keycloak's OIDC brokers keep the provider's ID token. */
    private static final String FEDERATED_ID_TOKEN = "FEDERATED_ID_TOKEN";

    private static final Logger LOG = Logger.getLogger(IdentityProviderPromotion.class);

    private IdentityProviderPromotion() {
    }

    static String chosen(MultivaluedMap<String, String> form) {
        return form.getFirst(FIELD);
    }

    /** Whether the browser comes back from the provider the guest chose, with Keycloak's answer. */
    static boolean isReturning(AuthenticationSessionModel authSession) {
        return authSession.getAuthNote(PROVIDER_NOTE) != null && authSession.getAuthNote(IdpLinkAction.IDP_LINK_STATUS) != null;
    }

    /** A provider of the realm that its login page shows (enabled, not link-only, not hidden), or null. */
    static IdentityProviderModel offered(KeycloakSession session, String alias) {
        // Keycloak's own list for the login page, the same the page's buttons come from; it asks no accessor whose
        // type changed between Keycloak releases (isLinkOnly is boolean in 26.4, Boolean later).
        return alias == null ? null : session.identityProviders()
                .getForLogin(IdentityProviderStorageProvider.FetchMode.REALM_ONLY, null)
                .filter(provider -> alias.equals(provider.getAlias()))
                .findFirst()
                .orElse(null);
    }

    /** Sends the browser to the provider, as Keycloak's idp_link action does. */
    static void start(RequiredActionContext context, IdentityProviderModel provider) {
        KeycloakSession session = context.getSession();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        ClientSessionCode<AuthenticationSessionModel> code = new ClientSessionCode<>(session, context.getRealm(), authSession);
        code.setAction(AuthenticationSessionModel.Action.AUTHENTICATE.name());
        authSession.setAuthNote(IdentityBrokerService.LINKING_IDENTITY_PROVIDER,
                authSession.getParentSession().getId() + authSession.getClient().getClientId() + provider.getAlias());
        authSession.setAuthNote(IdpLinkAction.KC_ACTION_LINKING_IDENTITY_PROVIDER, Boolean.TRUE.toString());
        authSession.setAuthNote(PROVIDER_NOTE, provider.getAlias());
        context.challenge(new IdentityBrokerService(session).performClientInitiatedAccountLogin(provider.getAlias(), code));
    }

    /** How the provider answered: linked, cancelled at the provider, or refused with Keycloak's message. */
    record Outcome(String alias, RequiredActionContext.KcActionStatus status, FormMessage error) {
    }

    /** Reads Keycloak's answer and forgets the linking notes. */
    static Outcome returned(AuthenticationSessionModel authSession) {
        String alias = authSession.getAuthNote(PROVIDER_NOTE);
        String status = authSession.getAuthNote(IdpLinkAction.IDP_LINK_STATUS);
        String error = authSession.getAuthNote(IdpLinkAction.IDP_LINK_ERROR);
        authSession.removeAuthNote(PROVIDER_NOTE);
        authSession.removeAuthNote(IdpLinkAction.KC_ACTION_LINKING_IDENTITY_PROVIDER);
        authSession.removeAuthNote(IdpLinkAction.IDP_LINK_STATUS);
        authSession.removeAuthNote(IdpLinkAction.IDP_LINK_ERROR);
        authSession.removeAuthNote(IdentityBrokerService.LINKING_IDENTITY_PROVIDER);
        FormMessage message = null;
        if (error != null) {
            try {
                message = JsonSerialization.readValue(error, FormMessage.class);
            } catch (IOException e) {
                message = new FormMessage(null, error);
            }
        }
        RequiredActionContext.KcActionStatus outcome = status == null
                ? RequiredActionContext.KcActionStatus.ERROR : RequiredActionContext.KcActionStatus.valueOf(status);
        return new Outcome(alias, outcome, message);
    }

    /**
     * What the provider says of the person: email and names from the ID token that Keycloak's OIDC broker checked
     * in this very sign-in and keeps in the authentication session. Other providers (SAML, plain OAuth) give
     * nothing here; the realm then asks for what its profile requires, as it does of every regular user.
     */
    static SignUpForm.Accepted identity(AuthenticationSessionModel authSession, UserModel guest) {
        Map<String, Object> claims = idTokenClaims(authSession.getUserSessionNotes().get(FEDERATED_ID_TOKEN));
        String email = text(claims.get("email"));
        Map<String, List<String>> attributes = new java.util.HashMap<>();
        if (email != null) {
            attributes.put(UserModel.EMAIL, List.of(email));
            attributes.put(UserModel.USERNAME, List.of(email));
        }
        if (text(claims.get("given_name")) != null) {
            attributes.put(UserModel.FIRST_NAME, List.of(text(claims.get("given_name"))));
        }
        if (text(claims.get("family_name")) != null) {
            attributes.put(UserModel.LAST_NAME, List.of(text(claims.get("family_name"))));
        }
        String username = email != null ? email : guest.getUsername();
        return new SignUpForm.Accepted(attributes, username, email, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> idTokenClaims(String idToken) {
        if (idToken == null || idToken.split("\\.").length < 2) {
            return Map.of();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(idToken.split("\\.")[1]);
            return JsonSerialization.readValue(new String(payload, StandardCharsets.UTF_8), Map.class);
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("The provider's ID token could not be read; promoting without its email", e);
            return Map.of();
        }
    }

    private static String text(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}
