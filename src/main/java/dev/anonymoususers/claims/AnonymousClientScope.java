package dev.anonymoususers.claims;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

/**
 * The client scope {@value #NAME}, which carries the {@code is_anonymous} claim and, at a sign-in that replaced a
 * guest, the {@code anonymous_sub} claim. Part of the public contract.
 *
 * <p>It is a default scope of the realm and of every OpenID Connect client in it, so every app sees the claim
 * without asking for it, and clients created later get it too.
 */
public final class AnonymousClientScope {

    public static final String NAME = "anonymous";

    private static final Logger LOG = Logger.getLogger(AnonymousClientScope.class);

    private AnonymousClientScope() {
    }

    /**
     * Creates the scope where it is missing, adds the mappers a scope of an earlier version lacks, and makes it a
     * default scope of the realm and its clients.
     */
    public static void install(RealmModel realm) {
        ClientScopeModel scope = find(realm).orElseGet(() -> create(realm));
        if (scope.getProtocolMapperByName(OIDCLoginProtocol.LOGIN_PROTOCOL, AnonymousSubClaimMapper.CLAIM) == null) {
            scope.addProtocolMapper(AnonymousSubClaimMapper.inIdToken());
        }
        if (realm.getDefaultClientScopesStream(true).noneMatch(s -> s.getId().equals(scope.getId()))) {
            realm.addDefaultClientScope(scope, true);
        }
        realm.getClientsStream()
                .filter(client -> OIDCLoginProtocol.LOGIN_PROTOCOL.equals(client.getProtocol()) || client.getProtocol() == null)
                .filter(client -> !client.getClientScopes(true).containsKey(NAME))
                .filter(client -> !client.getClientScopes(false).containsKey(NAME))
                .forEach(client -> client.addClientScope(scope, true));
    }

    /** Takes the scope off the realm's defaults and its clients, then removes it. Answers whether there was one. */
    public static boolean remove(RealmModel realm) {
        ClientScopeModel scope = find(realm).orElse(null);
        if (scope == null) {
            return false;
        }
        realm.removeDefaultClientScope(scope);
        realm.getClientsStream().forEach(client -> client.removeClientScope(scope));
        realm.removeClientScope(scope.getId());
        return true;
    }

    public static Optional<ClientScopeModel> find(RealmModel realm) {
        return realm.getClientScopesStream().filter(scope -> NAME.equals(scope.getName())).findFirst();
    }

    private static ClientScopeModel create(RealmModel realm) {
        ClientScopeModel scope = realm.addClientScope(NAME);
        scope.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        scope.setDescription("Carries the is_anonymous claim: true for guests, false for regular users");
        scope.setIncludeInTokenScope(false);
        scope.setDisplayOnConsentScreen(false);
        scope.addProtocolMapper(IsAnonymousClaimMapper.inAllTokens());
        LOG.infof("Created the client scope '%s' in realm '%s'", NAME, realm.getName());
        return scope;
    }
}
