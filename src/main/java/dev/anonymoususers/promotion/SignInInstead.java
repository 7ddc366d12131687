package dev.anonymoususers.promotion;

import java.net.URI;

import dev.anonymoususers.AnonymousUsers;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.events.Details;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.services.util.AuthenticationFlowURLHelper;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * "Sign in to that account instead": a guest whose email or username belongs to an existing account signs in to
 * that account within the same authorization request, with that account's own credentials, and the app learns
 * which guest it was — in the {@code anonymous_sub} claim of that sign-in's ID token and in an event that carries
 * both ids — so its back end can move the guest's data. The guest itself is left as it was.
 *
 * <p>A browser holds one signed-in user, so the guest's browser session ends here; the guest account, its data and
 * its device keys stay. Then the authorization request starts over at the realm's login form, with the email as
 * login hint, and without the promotion action.
 */
final class SignInInstead {

    /** Form field of the page's "Sign in to that account instead" button. */
    static final String FIELD = "sign-in-instead";

    /** Event detail: the guest a sign-in replaced. Part of the public contract. */
    static final String ANONYMOUS_SUB_DETAIL = "anonymous_sub";

    private SignInInstead() {
    }

    static boolean isRequested(MultivaluedMap<String, String> form) {
        return form.getFirst(FIELD) != null;
    }

    /** Ends the guest's browser session and sends the browser to the login form of the same authorization request. */
    static void start(RequiredActionContext context, MultivaluedMap<String, String> form) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel guest = context.getUser();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();

        AuthenticationManager.AuthResult signedIn = AuthenticationManager.authenticateIdentityCookie(session, realm, true);
        // getUser()/getSession(): the accessors every supported Keycloak version has. Not a full logout: that would
        // also end this authentication session, which shares the user session's id and carries the app's request.
        if (signedIn != null && signedIn.getUser().getId().equals(guest.getId())) {
            session.sessions().removeUserSession(realm, signedIn.getSession());
        }
        AuthenticationManager.expireIdentityCookie(session);

        AuthenticationProcessor.resetFlow(authSession, LoginActionsService.AUTHENTICATE_PATH);
        authSession.removeClientNote(Constants.KC_ACTION);
        authSession.removeClientNote(Constants.KC_ACTION_EXECUTING);
        authSession.removeClientNote(Constants.KC_ACTION_ENFORCED);
        authSession.setClientNote(AnonymousUsers.REPLACED_GUEST_NOTE, guest.getId());
        String hint = loginHint(form);
        if (hint != null) {
            authSession.setClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM, hint);
        }
        // Runs once the account is known, to report the sign-in with both ids.
        authSession.addRequiredAction(AnonymousUsers.PROMOTE_ACTION);

        URI loginForm = new AuthenticationFlowURLHelper(session, realm, context.getUriInfo()).getLastExecutionUrl(
                LoginActionsService.AUTHENTICATE_PATH, null, authSession.getClient().getClientId(), authSession.getTabId(),
                AuthenticationProcessor.getClientData(session, authSession));
        context.challenge(Response.seeOther(loginForm).build());
    }

    /** The guest a sign-in replaces, when this sign-in came from "Sign in to that account instead". */
    static String replacedGuest(AuthenticationSessionModel authSession) {
        return authSession.getClientNote(AnonymousUsers.REPLACED_GUEST_NOTE);
    }

    /**
     * The account is known: the sign-in's event carries the guest's id too, and the app hears
     * {@code kc_action=promote-anonymous} with {@code kc_action_status=success} (its visitor is a regular user now;
     * the ID token's {@code sub} differs and {@code anonymous_sub} names the guest).
     */
    static void report(RequiredActionContext context, String guestId) {
        context.getEvent().detail(ANONYMOUS_SUB_DETAIL, guestId).detail(Details.REASON, "signed in instead");
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setClientNote(Constants.KC_ACTION_STATUS, RequiredActionContext.KcActionStatus.SUCCESS.name().toLowerCase());
        authSession.setAuthNote(AuthenticationProcessor.LAST_PROCESSED_EXECUTION, AnonymousUsers.PROMOTE_ACTION);
        context.success();
    }

    private static String loginHint(MultivaluedMap<String, String> form) {
        String email = form.getFirst(UserModel.EMAIL);
        String username = form.getFirst(UserModel.USERNAME);
        String hint = email != null && !email.isBlank() ? email : username;
        return hint == null || hint.isBlank() || hint.length() > 255 ? null : hint.trim();
    }
}
