package dev.anonymoususers.guest;

import java.util.List;

import dev.anonymoususers.AnonymousUsers;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Runs last after every sign-in of a guest, by any step: it keeps the guest from forms, and within its
 * {@link GuestBoundaries}.
 *
 * <p>A fresh realm requires email, first and last name in its user profile, and Keycloak's Verify Profile action
 * asks every user who lacks them. Guests lack them by design. Rather than ask admins to relax their profile, this
 * required action runs its trigger after all others (it has the last priority) and withdraws, for guests only,
 * the actions the others queued. An action the app asked for with {@code kc_action} stays where a guest may run it
 * (the promotion, say); any other answers {@code kc_action_status=error}. Where the guest may not finish the sign-in
 * at all (SAML, Keycloak's own applications, a device's promotion that did not complete), it queues itself, and its
 * page is the protocol's error, so no code is issued and no session is made. Regular users are never touched.
 */
public class NoFormsForGuests implements RequiredActionProvider, RequiredActionFactory {

    public static final String ID = "anonymous-guest-no-forms";

    private static final String REFUSAL_NOTE = "anonymousUsers.guestRefused";

    /** Whether the realm runs it: Keycloak evaluates the triggers of enabled required actions only. */
    static boolean isEnabled(RealmModel realm) {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(ID);
        return action != null && action.isEnabled();
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        UserModel user = context.getUser();
        if (!AnonymousUsers.isAnonymous(user)) {
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String requestedByApp = authSession.getClientNote(Constants.KC_ACTION);
        if (requestedByApp != null && !GuestBoundaries.isActionForGuests(requestedByApp)) {
            refuseAction(context, requestedByApp);
            requestedByApp = null;
        }
        for (String action : List.copyOf(authSession.getRequiredActions())) {
            if (!action.equals(requestedByApp)) {
                authSession.removeRequiredAction(action);
            }
        }
        for (String action : user.getRequiredActionsStream().toList()) {
            if (!action.equals(requestedByApp)) {
                user.removeRequiredAction(action);
            }
        }
        GuestBoundaries.Refusal refusal = GuestBoundaries.refusal(authSession, user);
        if (refusal != null) {
            authSession.setAuthNote(REFUSAL_NOTE, refusal.name());
            authSession.addRequiredAction(ID);
        }
    }

    /** Keycloak's answer to an action that is not enabled, with an event that says why. */
    private static void refuseAction(RequiredActionContext context, String action) {
        context.getEvent().clone()
                .event(EventType.CUSTOM_REQUIRED_ACTION)
                .detail(Details.CUSTOM_REQUIRED_ACTION, action)
                .detail(Details.REASON, "a guest gets credentials, an email or a username only by promotion")
                .user(context.getUser())
                .error(GuestBoundaries.ERROR_ACTION_NOT_ALLOWED);
        AuthenticationManager.setKcActionStatus(action, RequiredActionContext.KcActionStatus.ERROR,
                context.getAuthenticationSession());
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String refused = authSession.getAuthNote(REFUSAL_NOTE);
        if (refused == null) {
            context.success(); // queued by an admin or an import: it only ever withdraws other actions
            return;
        }
        GuestBoundaries.Refusal refusal = GuestBoundaries.Refusal.valueOf(refused);
        String description = refusal.description(authSession);
        context.getEvent().clone()
                .event(EventType.LOGIN)
                .user(context.getUser())
                .detail(Details.REASON, description)
                .error(refusal == GuestBoundaries.Refusal.DEVICE_PROMOTION_NOT_COMPLETED
                        ? Errors.REJECTED_BY_USER : AnonymousGuestAuthenticator.ERROR_CLIENT_NOT_ALLOWED);
        LoginProtocol protocol = context.getSession().getProvider(LoginProtocol.class, authSession.getProtocol());
        protocol.setRealm(context.getRealm())
                .setHttpHeaders(context.getHttpRequest().getHttpHeaders())
                .setUriInfo(context.getUriInfo())
                .setEventBuilder(context.getEvent());
        LoginProtocol.Error error = refusal == GuestBoundaries.Refusal.DEVICE_PROMOTION_NOT_COMPLETED
                && RequiredActionContext.KcActionStatus.CANCELLED.name().equalsIgnoreCase(
                        authSession.getClientNote(Constants.KC_ACTION_STATUS))
                ? LoginProtocol.Error.CANCELLED_AIA : LoginProtocol.Error.CANCELLED_BY_USER;
        context.challenge(protocol.sendError(authSession, error, description));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        requiredActionChallenge(context);
    }

    /** How the console lists it: what it does, and that it must stay on. */
    public static final String DISPLAY_NAME = "Anonymous users: keep guests in bounds (leave on)";

    @Override
    public String getDisplayText() {
        return DISPLAY_NAME;
    }

    /** Nothing to configure (so no ⚙ in the console, and no max_auth_age): the settings live with the promotion action. */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return List.of();
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
