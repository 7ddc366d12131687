package dev.anonymoususers.guest;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import jakarta.ws.rs.core.UriBuilder;
import org.jboss.logging.Logger;
import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.AnonymousUsersConfig;
import jakarta.ws.rs.core.UriInfo;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocolService;
import org.keycloak.services.Urls;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.theme.Theme;

/**
 * Offers "Continue as guest" on the realm's login page.
 *
 * <p>Keycloak's login themes render every script added with {@link LoginFormsProvider#addScript}; the login forms
 * of this extension add this one to every login page, so the offer works in keycloak.v2 and in every theme that
 * extends it or the base theme, without overriding a template, and after a wrong password too. The script ships in the JAR's theme-resources and adds one button that repeats the app's own
 * authorization request with {@code login_hint=anonymous}: the app receives the answer it asked for, with its
 * own {@code state} and PKCE challenge.
 */
final class ContinueAsGuestOffer {

    private static final Logger LOG = Logger.getLogger(ContinueAsGuestOffer.class);

    static final String SCRIPT = "js/anonymous-users/continue-as-guest.js";
    static final String LABEL_MESSAGE = "anonymousUsers.continueAsGuest";
    static final String DEFAULT_LABEL = "Continue as guest";

    /** Authorization request parameters that Keycloak keeps as client notes under their own names. */
    static final List<String> REPEATED_PARAMETERS = List.of(
            OIDCLoginProtocol.RESPONSE_TYPE_PARAM,
            OIDCLoginProtocol.REDIRECT_URI_PARAM,
            OIDCLoginProtocol.RESPONSE_MODE_PARAM,
            OIDCLoginProtocol.SCOPE_PARAM,
            OIDCLoginProtocol.STATE_PARAM,
            OIDCLoginProtocol.NONCE_PARAM,
            OIDCLoginProtocol.CODE_CHALLENGE_PARAM,
            OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM,
            OIDCLoginProtocol.CLAIMS_PARAM,
            OIDCLoginProtocol.ACR_PARAM,
            OIDCLoginProtocol.UI_LOCALES_PARAM);

    private ContinueAsGuestOffer() {
    }

    /** Adds the offer to a login page, where the realm has anonymous users on and the request can have a guest. */
    static void addTo(KeycloakSession session, AuthenticationSessionModel authSession, LoginFormsProvider page) {
        if (authSession == null || !OIDCLoginProtocol.LOGIN_PROTOCOL.equals(authSession.getProtocol())) {
            return; // a guest is an OIDC sign-in; SAML requests and pages outside a sign-in keep their page as it is
        }
        if (authSession.getClientNote(AnonymousUsers.REPLACED_GUEST_NOTE) != null) {
            return; // the visitor is signing in to an existing account instead of its guest
        }
        RealmModel realm = authSession.getRealm();
        AnonymousUsersConfig settings = AnonymousUsersConfig.of(realm);
        if (!settings.enabled() || !settings.allowsGuests(authSession.getClient().getClientId())) {
            return;
        }
        try {
            Theme theme = session.theme().getTheme(Theme.Type.LOGIN);
            URI baseUri = session.getContext().getUri().getBaseUri();
            String script = UriBuilder.fromUri(Urls.themeRoot(baseUri))
                    .path("login").path(theme.getName()).path(SCRIPT)
                    .queryParam("href", guestRequestUri(session.getContext().getUri(), realm, authSession))
                    .queryParam("label", label(session, theme))
                    .build().toString();
            page.addScript(script);
        } catch (IOException | RuntimeException e) {
            // The page still works without the button; never fail a sign-in for it.
            LOG.warn("Could not offer 'Continue as guest' on the login page", e);
        }
    }

    /** The app's authorization request again, asking for a guest. */
    static URI guestRequestUri(UriInfo uriInfo, RealmModel realm, AuthenticationSessionModel authSession) {
        UriBuilder uri = OIDCLoginProtocolService.authUrl(uriInfo)
                .queryParam(OIDCLoginProtocol.CLIENT_ID_PARAM, authSession.getClient().getClientId());
        for (String name : REPEATED_PARAMETERS) {
            String value = authSession.getClientNote(name);
            if (value != null) {
                uri.queryParam(name, value);
            }
        }
        return uri.queryParam(OIDCLoginProtocol.LOGIN_HINT_PARAM, GuestRequest.LOGIN_HINT)
                .build(realm.getName());
    }

    private static String label(KeycloakSession session, Theme theme) throws IOException {
        Locale locale = session.getContext().resolveLocale(null);
        Properties messages = theme.getEnhancedMessages(session.getContext().getRealm(), locale);
        return messages.getProperty(LABEL_MESSAGE, DEFAULT_LABEL);
    }
}
