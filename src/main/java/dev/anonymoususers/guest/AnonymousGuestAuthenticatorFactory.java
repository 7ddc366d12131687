package dev.anonymoususers.guest;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Describes and creates the browser-flow step {@value #ID}. */
public class AnonymousGuestAuthenticatorFactory implements AuthenticatorFactory {

    public static final String ID = "anonymous-guest";

    private static final AnonymousGuestAuthenticator INSTANCE = new AnonymousGuestAuthenticator();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Anonymous guest";
    }

    @Override
    public String getHelpText() {
        return "Signs a visitor in as a guest when the app asks with login_hint=anonymous and anonymous users are "
                + "enabled (Authentication > Required actions > Anonymous users: guest sign-up > ⚙); otherwise steps "
                + "aside. Keep it right after the Cookie step.";
    }

    @Override
    public String getReferenceCategory() {
        return "anonymous";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return new Requirement[] { Requirement.ALTERNATIVE, Requirement.DISABLED };
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return INSTANCE;
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
