package dev.anonymoususers.devicekeys;

import java.util.Set;

import dev.anonymoususers.GuestMetrics;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

/**
 * The token-endpoint grant {@value DeviceKeyGrantTypeFactory#GRANT_TYPE}: a native app sends a device assertion
 * and gets an ordinary token response (access, refresh and ID token) for the device's guest. No browser, no page.
 * The client authenticates as usual at the token endpoint; public clients send their {@code client_id}.
 */
public class DeviceKeyGrantType extends OAuth2GrantTypeBase {

    static final String AUTH_METHOD = "device-key";

    @Override
    public Response process(Context context) {
        setContext(context);
        String scope = withOpenId(getRequestedScopes()); // a bad scope is refused before anything is created
        UserModel guest;
        try {
            guest = DeviceKeySignIn.signIn(session, realm, client, formParams.getFirst(OAuth2Constants.ASSERTION), event);
        } catch (DeviceKeyError refused) {
            event.detail(Details.REASON, refused.description());
            event.error(refused.eventError());
            GuestMetrics.refused(realm, refused.eventError());
            throw new ErrorResponseException(refused.response(cors));
        }
        event.user(guest).detail(Details.USERNAME, guest.getUsername()).detail(Details.AUTH_METHOD, AUTH_METHOD);

        RootAuthenticationSessionModel rootAuthSession = new AuthenticationSessionManager(session).createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = rootAuthSession.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(guest);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);

        // A persistent session, so the refresh token keeps the guest signed in like any user.
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(rootAuthSession.getId(), realm, guest,
                guest.getUsername(), clientConnection.getRemoteHost(), AUTH_METHOD, false, null, null,
                UserSessionModel.SessionPersistenceState.PERSISTENT);
        event.session(userSession);
        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        clientSessionCtx.setAttribute(Constants.GRANT_TYPE, context.getGrantType());
        updateUserSessionFromClientAuth(userSession);

        return createTokenResponse(guest, userSession, clientSessionCtx, scope, false, null);
    }

    /** A device signs a person's guest in: the answer always carries an ID token, whatever else is asked. */
    static String withOpenId(String scope) {
        if (scope == null || scope.isBlank()) {
            return OAuth2Constants.SCOPE_OPENID;
        }
        return TokenUtil.isOIDCRequest(scope) ? scope : OAuth2Constants.SCOPE_OPENID + " " + scope;
    }

    @Override
    public EventType getEventType() {
        return EventType.LOGIN;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of(OAuth2Constants.ASSERTION);
    }
}
