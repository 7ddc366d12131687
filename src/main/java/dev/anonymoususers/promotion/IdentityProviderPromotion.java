package dev.anonymoususers.promotion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.broker.provider.IdpLinkAction;
import org.keycloak.events.Errors;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderStorageProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.ClientSessionCode;
import org.keycloak.services.messages.Messages;
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
 * to another account is refused), and Keycloak hands the answer back to the promotion.
 *
 * <p>The promotion is as strict as Keycloak's own first broker login: the provider's values pass the realm's user
 * profile, and its email counts only where it is proven ({@link #provenEmail}); otherwise the page asks for one,
 * which then follows the realm's rules (verify email). The link Keycloak made is taken off the guest at once and
 * made again only by the promotion itself, so a promotion refused or abandoned leaves no link behind: an attacker
 * cannot park a provider account on an email it does not own.
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

    /** The page's button when the guest finishes the sign-up of a provider's identity. */
    static final String FINISH = "provider";

    static boolean isFinishing(MultivaluedMap<String, String> form) {
        return FINISH.equals(form.getFirst("promote"));
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
     * The brokered identity Keycloak linked to the guest on the way back, taken off the guest at once and kept in the
     * authentication session until the promotion: a promotion that is refused or abandoned leaves the guest as it was.
     * {@code provenEmail} is the provider's email where it counts as proven (see {@link #provenEmail}), else null;
     * {@code offered} what the page is filled with: the provider's names, and its email where proven.
     */
    public static final class Brokered {
        public String alias;
        public String userId;
        public String userName;
        public String provenEmail;
        public Map<String, String> offered;

        public Brokered() {
        }

        Brokered(String alias, String userId, String userName, String provenEmail, Map<String, String> offered) {
            this.alias = alias;
            this.userId = userId;
            this.userName = userName;
            this.provenEmail = provenEmail;
            this.offered = offered;
        }

        /** What the page is filled with, as a form. */
        MultivaluedMap<String, String> offeredForm() {
            MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
            if (offered != null) {
                offered.forEach(form::putSingle);
            }
            return form;
        }
    }

    /** Auth note: the brokered identity waiting for the promotion, while the guest finishes the sign-up page. */
    static final String BROKERED_NOTE = "anonymousUsers.brokeredIdentity";

    /**
     * Takes the identity Keycloak just linked off the guest and keeps it for the promotion, with what the provider
     * says of the person: names always, and the email (with a username made from it) only where it is proven.
     */
    static Brokered detach(KeycloakSession session, AuthenticationSessionModel authSession, UserModel guest, String alias) {
        RealmModel realm = authSession.getRealm();
        FederatedIdentityModel linked = session.users().getFederatedIdentity(realm, guest, alias);
        Map<String, Object> claims = idTokenClaims(authSession.getUserSessionNotes().get(FEDERATED_ID_TOKEN));
        String provenEmail = provenEmail(session.identityProviders().getByAlias(alias), claims);
        Brokered brokered = new Brokered(alias, linked == null ? null : linked.getUserId(),
                linked == null ? null : linked.getUserName(), provenEmail, offered(claims, provenEmail));
        if (linked != null) {
            session.users().removeFederatedIdentity(realm, guest, alias);
        }
        try {
            authSession.setAuthNote(BROKERED_NOTE, JsonSerialization.writeValueAsString(brokered));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return brokered;
    }

    /** The identity waiting for the promotion, if the guest came back from a provider and is finishing the page. */
    static Brokered waiting(AuthenticationSessionModel authSession) {
        String kept = authSession.getAuthNote(BROKERED_NOTE);
        if (kept == null) {
            return null;
        }
        try {
            return JsonSerialization.readValue(kept, Brokered.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets the waiting identity: the guest promoted, chose another way, or gave up. */
    static void forget(AuthenticationSessionModel authSession) {
        authSession.removeAuthNote(BROKERED_NOTE);
    }

    /**
     * Links the identity to the account being promoted, in the promotion's own transaction; refused where another
     * account took the same identity meanwhile.
     */
    static void attach(KeycloakSession session, RealmModel realm, UserModel guest, Brokered brokered) throws SignUpForm.Refused {
        if (brokered.userId == null) {
            throw SignUpForm.refused(null, Messages.IDENTITY_PROVIDER_UNEXPECTED_ERROR, Errors.IDENTITY_PROVIDER_ERROR);
        }
        FederatedIdentityModel identity = new FederatedIdentityModel(brokered.alias, brokered.userId, brokered.userName);
        UserModel owner = session.users().getUserByFederatedIdentity(realm, identity);
        if (owner != null && !owner.getId().equals(guest.getId())) {
            throw SignUpForm.refused(null, Messages.FEDERATED_IDENTITY_EXISTS, Errors.FEDERATED_IDENTITY_EXISTS);
        }
        if (owner == null) {
            session.users().addFederatedIdentity(realm, guest, identity);
        }
    }

    /**
     * The provider's email, where it counts as the provider's proof, as in Keycloak's own first broker login: the
     * provider's <em>Trust email</em> is on and its token does not say {@code email_verified: false}. Otherwise null:
     * neither the email nor a username made from it is taken, and the page asks for an email.
     */
    static String provenEmail(IdentityProviderModel provider, Map<String, Object> claims) {
        String email = text(claims.get("email"));
        Object verified = claims.get("email_verified");
        boolean saysUnverified = Boolean.FALSE.equals(verified) || "false".equals(verified);
        return email != null && provider != null && trustsEmail(provider) && !saysUnverified ? email : null;
    }

    /** {@code isTrustEmail()} is {@code boolean} in Keycloak 26.4 and {@code Boolean} later: asked by name. */
    private static boolean trustsEmail(IdentityProviderModel provider) {
        try {
            return Boolean.TRUE.equals(IdentityProviderModel.class.getMethod("isTrustEmail").invoke(provider));
        } catch (ReflectiveOperationException e) {
            LOG.warn("Could not read the identity provider's Trust email switch; its email is not taken as proven", e);
            return false;
        }
    }

    private static Map<String, String> offered(Map<String, Object> claims, String provenEmail) {
        Map<String, String> offered = new java.util.HashMap<>();
        if (text(claims.get("given_name")) != null) {
            offered.put(UserModel.FIRST_NAME, text(claims.get("given_name")));
        }
        if (text(claims.get("family_name")) != null) {
            offered.put(UserModel.LAST_NAME, text(claims.get("family_name")));
        }
        if (provenEmail != null) {
            offered.put(UserModel.EMAIL, provenEmail);
            offered.put(UserModel.USERNAME, provenEmail);
        }
        return offered;
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
