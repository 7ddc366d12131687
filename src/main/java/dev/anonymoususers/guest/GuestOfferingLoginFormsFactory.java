package dev.anonymoususers.guest;

import org.keycloak.Config;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.forms.login.LoginFormsProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Describes and creates {@link GuestOfferingLoginForms}. Its order puts it before Keycloak's own {@code freemarker}
 * login forms, which it extends, as the server's login forms; a server started with
 * {@code --spi-login--provider=freemarker} keeps Keycloak's and offers no guest after a wrong password.
 */
public class GuestOfferingLoginFormsFactory implements LoginFormsProviderFactory {

    public static final String ID = "anonymous-users";

    @Override
    public LoginFormsProvider create(KeycloakSession session) {
        return new GuestOfferingLoginForms(session);
    }

    @Override
    public int order() {
        return 1;
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
