package dev.anonymoususers.promotion;

import java.util.List;

import dev.anonymoususers.AnonymousUsers;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Describes and creates the application-initiated action {@value AnonymousUsers#PROMOTE_ACTION}. */
public class PromoteAnonymousUserActionFactory implements RequiredActionFactory {

    private static final PromoteAnonymousUserAction INSTANCE = new PromoteAnonymousUserAction();

    @Override
    public String getId() {
        return AnonymousUsers.PROMOTE_ACTION;
    }

    @Override
    public String getDisplayText() {
        return "Anonymous users: promote a guest to a regular user";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return INSTANCE;
    }

    /** Nothing to configure: the page follows the realm's user profile and password policy. */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return List.of();
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
