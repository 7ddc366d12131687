package dev.anonymoususers.guest;

import java.util.List;

import dev.anonymoususers.AnonymousUsers;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keeps a guest from ever being stopped by a form after sign-in.
 *
 * <p>A fresh realm requires email, first and last name in its user profile, and Keycloak's Verify Profile action
 * asks every user who lacks them. Guests lack them by design. Rather than ask admins to relax their profile, this
 * required action runs its trigger after all others (it has the last priority) and withdraws, for guests only,
 * the actions the others queued. An action the app asked for with {@code kc_action} stays: that is how a guest
 * is promoted. Regular users are never touched.
 */
public class NoFormsForGuests implements RequiredActionProvider, RequiredActionFactory {

    public static final String ID = "anonymous-guest-no-forms";

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        UserModel user = context.getUser();
        if (!AnonymousUsers.isAnonymous(user)) {
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String requestedByApp = authSession.getClientNote(Constants.KC_ACTION);
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
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        // Never queued for anyone: it only withdraws other actions.
        context.success();
    }

    @Override
    public void processAction(RequiredActionContext context) {
        context.success();
    }

    @Override
    public String getDisplayText() {
        return "Anonymous users: no forms for guests";
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
