package dev.anonymoususers.claims;

import java.util.List;
import java.util.Map;

import dev.anonymoususers.AnonymousUsers;
import org.keycloak.OAuth2Constants;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

/**
 * Puts the claim {@value #CLAIM} into the ID token of a sign-in that replaced a guest: the visitor found its email
 * taken on the sign-up page and signed in to that existing account instead. The value is the guest's {@code sub},
 * so the app's back end can move the guest's data to the account it signed in to. Part of the public contract.
 *
 * <p>Present on that sign-in only: in the ID token of its authorization-code exchange, never after a refresh or a
 * later sign-in.
 */
public class AnonymousSubClaimMapper extends AbstractOIDCProtocolMapper implements OIDCIDTokenMapper, OIDCAccessTokenMapper {

    public static final String ID = "anonymous-users-anonymous-sub";
    public static final String CLAIM = "anonymous_sub";

    /** Request attribute: the replaced guest, taken off the client session by this code exchange. */
    private static final String TAKEN = AnonymousSubClaimMapper.class.getName() + ".guest";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Replaced guest";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the claim 'anonymous_sub' to the ID token of a sign-in that replaced a guest: the sub of that "
                + "guest, so the app can move its data. Only at that sign-in.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    /**
     * Every code exchange issues an access token, not always an ID token (a scope without {@code openid}): the note
     * is taken here, so that it ends with the first code exchange of that sign-in whatever it issues. The claim
     * itself goes into the ID token only.
     */
    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        replacedGuest(clientSessionCtx);
        return token;
    }

    @Override
    public IDToken transformIDToken(IDToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        String guest = replacedGuest(clientSessionCtx);
        if (guest != null) {
            token.getOtherClaims().put(CLAIM, guest);
        }
        return token;
    }

    /** The guest this code exchange's sign-in replaced, taken off its client session the first time it is asked. */
    private static String replacedGuest(ClientSessionContext clientSessionCtx) {
        String taken = clientSessionCtx.getAttribute(TAKEN, String.class);
        if (taken != null) {
            return taken;
        }
        if (!OAuth2Constants.AUTHORIZATION_CODE.equals(clientSessionCtx.getAttribute(Constants.GRANT_TYPE, String.class))) {
            return null;
        }
        AuthenticatedClientSessionModel clientSession = clientSessionCtx.getClientSession();
        String guest = clientSession.getNote(AnonymousUsers.REPLACED_GUEST_NOTE);
        if (guest != null) {
            clientSession.removeNote(AnonymousUsers.REPLACED_GUEST_NOTE); // that sign-in only
            clientSessionCtx.setAttribute(TAKEN, guest);
        }
        return guest;
    }

    /** The mapper as the {@code anonymous} client scope carries it. */
    public static ProtocolMapperModel inIdToken() {
        ProtocolMapperModel mapper = new ProtocolMapperModel();
        mapper.setName(CLAIM);
        mapper.setProtocolMapper(ID);
        mapper.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        mapper.setConfig(Map.of(OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, "true"));
        return mapper;
    }
}
