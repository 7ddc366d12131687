package dev.anonymoususers.guest;

import java.net.URI;
import java.util.Optional;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.GuestAccounts;
import dev.anonymoususers.GuestLimitReached;
import dev.anonymoususers.GuestMetrics;
import dev.anonymoususers.devicekeys.DeviceAction;
import dev.anonymoususers.devicekeys.DeviceKeyError;
import dev.anonymoususers.devicekeys.DeviceKeySignIn;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The browser-flow step that signs a visitor in as a guest.
 *
 * <p>It sits right after Keycloak's cookie step, so a browser that already has a session keeps its user, guest or
 * not, and no second guest is made. For a guest request ({@code login_hint=anonymous}) it creates the guest and
 * ends the flow without a page. A device assertion ({@code login_hint=anonymous:<assertion>}) is accepted only with
 * {@code kc_action=promote-anonymous}: it signs that device's guest in through the same code as the token endpoint,
 * for the promotion page that follows, and the browser keeps no session of the guest unless the promotion succeeds
 * ({@link AnonymousUsers#DEVICE_PROMOTION_NOTE}). For any other request it steps aside.
 *
 * <p>Only the realm's own OpenID Connect apps get guests: SAML and Keycloak's own applications get their protocol's
 * error, and nobody is created.
 */
public class AnonymousGuestAuthenticator implements Authenticator {


    /** Event error for a guest request of an app that may not create guests. */
    public static final String ERROR_CLIENT_NOT_ALLOWED = "anonymous_client_not_allowed";

    static final String NO_FORMS_DISABLED = "Device promotion in the browser needs the required action "
            + NoFormsForGuests.ID + ", which the realm has disabled";

    static final String ASSERTION_ONLY_TO_PROMOTE = "A device assertion is accepted in the browser only to promote its guest, "
            + "with kc_action=" + AnonymousUsers.PROMOTE_ACTION + "; a device signs in at the token endpoint";

    /** Event error of a promotion request that came without the guest's session. Part of the public contract. */
    public static final String ERROR_NO_GUEST_SESSION = "anonymous_no_guest_session";

    static final String NO_GUEST_SESSION = "No guest is signed in in this browser to promote: its session has ended. "
            + "Sign the visitor in as a new guest, or let them sign in or register";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String loginHint = GuestRequest.loginHint(authSession.getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM),
                loginHintInRequest(context));
        if (AnonymousUsers.isPromotionRequest(authSession) && GuestRequest.deviceAssertion(loginHint).isEmpty()) {
            // The cookie step found no session: the guest the app wants promoted is not in this browser any more, and
            // a new guest (or "Continue as guest") would sign up an empty account in its place. The app is told.
            refuse(context, ERROR_NO_GUEST_SESSION, NO_GUEST_SESSION, true);
            return;
        }
        if (!GuestRequest.isGuestRequest(loginHint)) {
            context.attempted(); // the login page that follows offers "Continue as guest" (GuestOfferingLoginForms)
            return;
        }
        GuestBoundaries.Refusal forClient = GuestBoundaries.clientRefusal(authSession);
        if (forClient != null) {
            refuse(context, ERROR_CLIENT_NOT_ALLOWED, forClient.description(authSession));
            return;
        }
        AnonymousUsersConfig settings = AnonymousUsersConfig.of(context.getRealm());
        if (!settings.enabled()) {
            refuse(context, AnonymousUsersConfig.DISABLED_ERROR, AnonymousUsersConfig.DISABLED_DESCRIPTION);
            return;
        }
        Optional<String> assertion = GuestRequest.deviceAssertion(loginHint);
        UserModel guest;
        if (assertion.isPresent()) {
            if (!AnonymousUsers.isPromotionRequest(authSession)) {
                // A link could otherwise sign any browser in to the guest of whoever made the assertion (login CSRF).
                refuse(context, DeviceKeyError.INVALID_REQUEST, ASSERTION_ONLY_TO_PROMOTE);
                return;
            }
            if (!NoFormsForGuests.isEnabled(context.getRealm())) {
                // it is what ends a device's promotion that did not complete without a session
                refuse(context, DeviceKeyError.INVALID_REQUEST, NO_FORMS_DISABLED);
                return;
            }
            try {
                guest = DeviceKeySignIn.signIn(context.getSession(), context.getRealm(), authSession.getClient(),
                        assertion.get(), DeviceAction.PROMOTE, context.getEvent());
            } catch (DeviceKeyError refused) {
                refuse(context, refused.eventError(), refused.description());
                return;
            }
            authSession.setAuthNote(AnonymousUsers.DEVICE_PROMOTION_NOTE, Boolean.TRUE.toString());
        } else {
            String clientId = authSession.getClient().getClientId();
            if (!settings.allowsGuests(clientId)) {
                refuse(context, ERROR_CLIENT_NOT_ALLOWED, AnonymousUsersConfig.guestsNotAllowed(clientId));
                return;
            }
            try {
                guest = GuestAccounts.create(context.getSession(), context.getRealm(), context.getEvent());
            } catch (GuestLimitReached reached) {
                refuse(context, reached.reason(), reached.description());
                return;
            }
        }
        context.setUser(guest);
        context.success();
    }

    private static String loginHintInRequest(AuthenticationFlowContext context) {
        String hint = context.getUriInfo().getQueryParameters().getFirst(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        if (hint == null && "POST".equals(context.getHttpRequest().getHttpMethod())
                && context.getUriInfo().getPath().endsWith("/protocol/openid-connect/auth")) {
            hint = context.getHttpRequest().getDecodedFormParameters().getFirst(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        }
        return hint;
    }

    /**
     * Ends the flow with an OAuth error redirect to the app, as Keycloak does when a user cancels. The
     * authorization endpoint speaks {@code access_denied}; the description says what was wrong.
     */
    private static void refuse(AuthenticationFlowContext context, String eventError, String description) {
        refuse(context, eventError, description, false);
    }

    /**
     * As {@link #refuse(AuthenticationFlowContext, String, String)}; for a refused application-initiated action,
     * the redirect also says {@code kc_action} and {@code kc_action_status=error}, as keycloak-js's
     * {@code onActionUpdate} expects (a form_post answer carries the error alone).
     */
    private static void refuse(AuthenticationFlowContext context, String eventError, String description, boolean action) {
        context.getEvent().error(eventError);
        GuestMetrics.refused(context.getRealm(), eventError);
        LoginProtocol protocol = context.getSession().getProvider(LoginProtocol.class,
                context.getAuthenticationSession().getProtocol());
        protocol.setRealm(context.getRealm())
                .setHttpHeaders(context.getHttpRequest().getHttpHeaders())
                .setUriInfo(context.getUriInfo())
                .setEventBuilder(context.getEvent());
        Response response = protocol.sendError(context.getAuthenticationSession(),
                LoginProtocol.Error.CANCELLED_BY_USER, description);
        context.forceChallenge(action ? withActionStatus(response, AnonymousUsers.PROMOTE_ACTION, "error") : response);
    }

    /** The redirect with {@code kc_action} and {@code kc_action_status} added where its parameters are (query or fragment). */
    private static Response withActionStatus(Response redirect, String action, String status) {
        URI location = redirect.getLocation();
        if (location == null) {
            return redirect;
        }
        String parameters = Constants.KC_ACTION + "=" + action + "&" + Constants.KC_ACTION_STATUS + "=" + status;
        String target = location.toString();
        target = location.getRawFragment() != null ? target + "&" + parameters
                : target + (location.getRawQuery() == null ? "?" : "&") + parameters;
        return Response.fromResponse(redirect).location(URI.create(target)).build();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        // The step shows no page, so no form is ever posted to it.
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
