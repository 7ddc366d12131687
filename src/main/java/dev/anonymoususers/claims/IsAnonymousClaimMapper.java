package dev.anonymoususers.claims;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.anonymoususers.AnonymousUsers;
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
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

/**
 * Puts the boolean claim {@value #CLAIM} into ID tokens, access tokens, userinfo and introspection: {@code true}
 * for guests, {@code false} for everyone else. Part of the public contract.
 *
 * <p>It also keeps a guest's access token from being a ticket to Keycloak's account REST API (what the account
 * console calls): that API takes any token with the {@code account} audience, and there a guest could set an email
 * without proof or link a provider, outside promotion. So a guest's access token carries neither the {@code account}
 * audience nor the {@code account} roles; the mapper runs after Keycloak's role and audience mappers to see them.
 */
public class IsAnonymousClaimMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final String ID = "anonymous-users-is-anonymous";
    public static final String CLAIM = "is_anonymous";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, IsAnonymousClaimMapper.class);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Anonymous user flag";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the boolean claim 'is_anonymous': true for guests, false for regular users.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    /** After Keycloak's own role and audience mappers (priorities 10 to 50), whose work it takes back for guests. */
    static final int PRIORITY_AFTER_KEYCLOAKS_MAPPERS = 100;

    @Override
    public int getPriority() {
        return PRIORITY_AFTER_KEYCLOAKS_MAPPERS;
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        AccessToken mapped = super.transformAccessToken(token, mappingModel, session, userSession, clientSessionCtx);
        return AnonymousUsers.isAnonymous(userSession.getUser()) ? withoutAccountApi(mapped) : mapped;
    }

    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
            UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        AccessToken mapped = super.transformIntrospectionToken(token, mappingModel, session, userSession, clientSessionCtx);
        return AnonymousUsers.isAnonymous(userSession.getUser()) ? withoutAccountApi(mapped) : mapped;
    }

    /** The token without the {@code account} audience and roles. */
    static AccessToken withoutAccountApi(AccessToken token) {
        if (token.getAudience() != null) {
            String[] audience = Arrays.stream(token.getAudience())
                    .filter(client -> !Constants.ACCOUNT_MANAGEMENT_CLIENT_ID.equals(client))
                    .toArray(String[]::new);
            token.audience(audience.length == 0 ? null : audience);
        }
        if (token.getResourceAccess() != null) {
            token.getResourceAccess().remove(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        }
        return token;
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession) {
        token.getOtherClaims().put(CLAIM, AnonymousUsers.isAnonymous(userSession.getUser()));
    }

    /** The mapper as the {@code anonymous} client scope carries it: in every token and endpoint. */
    public static ProtocolMapperModel inAllTokens() {
        ProtocolMapperModel mapper = new ProtocolMapperModel();
        mapper.setName(CLAIM);
        mapper.setProtocolMapper(ID);
        mapper.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        Map<String, String> config = new HashMap<>();
        config.put(OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, "true");
        config.put(OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN, "true");
        config.put(OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO, "true");
        config.put(OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION, "true");
        mapper.setConfig(config);
        return mapper;
    }
}
