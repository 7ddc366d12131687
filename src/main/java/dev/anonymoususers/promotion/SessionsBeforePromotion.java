package dev.anonymoususers.promotion;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * Ends what anyone obtained as the guest before a person took the account: every browser session, client session
 * and offline session of the user on every client and every node, except the browser session doing the promotion.
 *
 * <p>A guest has no credential, so whoever held it before — a copied refresh token, a lost phone, a guest planted
 * in the visitor's browser — must not keep reading the account it has become. Each session ends as Keycloak's own
 * "sign out" ends it: backchannel logout to the apps that registered for it, and a {@code LOGOUT} event. Refresh,
 * userinfo and introspection then refuse what those sessions issued; access tokens already issued live until their
 * {@code exp}, as after any Keycloak logout. A sign-up page still open in another browser goes with its session.
 */
final class SessionsBeforePromotion {

    /** Event detail of the promotion: how many sessions it ended. Part of the public contract. */
    static final String ENDED_SESSIONS_DETAIL = "ended_sessions";
    /** {@code reason} of the {@code LOGOUT} event of each session a promotion ends. */
    static final String LOGOUT_REASON = "guest promoted";

    private SessionsBeforePromotion() {
    }

    /** Ends them all but the promoting browser's own; returns how many ended. */
    static int end(RequiredActionContext context, UserModel user) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        Set<String> promotingBrowser = promotingBrowser(context, user);
        List<UserSessionModel> online = session.sessions().getUserSessionsStream(realm, user)
                .filter(userSession -> !promotingBrowser.contains(userSession.getId()))
                .toList();
        List<UserSessionModel> offline = session.sessions().getOfflineUserSessionsStream(realm, user).toList();
        for (UserSessionModel userSession : online) {
            logOut(context, userSession, false);
            forgetPendingSignIns(session, realm, userSession.getId());
        }
        for (UserSessionModel userSession : offline) {
            if (promotingBrowser.contains(userSession.getId())) {
                // An offline token the promoting browser's app got as the guest: ended too, but Keycloak's logout of an
                // offline session would also end the online session of the same id, which carries on.
                session.sessions().removeOfflineUserSession(realm, userSession);
                logoutEvent(context, user, userSession.getId());
            } else {
                logOut(context, userSession, true);
            }
        }
        return online.size() + offline.size();
    }

    /**
     * The browser session doing the promotion: Keycloak gives a browser's authentication session the id of its user
     * session; the identity cookie says the same where the browser already had one.
     */
    private static Set<String> promotingBrowser(RequiredActionContext context, UserModel user) {
        Set<String> ids = new HashSet<>();
        ids.add(PromotionGuard.browserOf(context));
        AuthenticationManager.AuthResult cookie = AuthenticationManager.authenticateIdentityCookie(
                context.getSession(), context.getRealm(), false);
        if (cookie != null && cookie.getUser().getId().equals(user.getId())) {
            ids.add(cookie.getSession().getId());
        }
        return ids;
    }

    private static void logOut(RequiredActionContext context, UserSessionModel userSession, boolean offline) {
        String id = userSession.getId();
        AuthenticationManager.backchannelLogout(context.getSession(), context.getRealm(), userSession,
                context.getUriInfo(), context.getConnection(), context.getHttpRequest().getHttpHeaders(), true, offline);
        logoutEvent(context, userSession.getUser(), id);
    }

    /** A sign-up page or sign-in still open in that session's browser ends with it. */
    private static void forgetPendingSignIns(KeycloakSession session, RealmModel realm, String userSessionId) {
        RootAuthenticationSessionModel pending = session.authenticationSessions().getRootAuthenticationSession(realm, userSessionId);
        if (pending != null) {
            session.authenticationSessions().removeRootAuthenticationSession(realm, pending);
        }
    }

    private static void logoutEvent(RequiredActionContext context, UserModel user, String sessionId) {
        new EventBuilder(context.getRealm(), context.getSession(), context.getConnection())
                .event(EventType.LOGOUT)
                .user(user)
                .session(sessionId)
                .detail(Details.REASON, LOGOUT_REASON)
                .success();
    }
}
