package dev.anonymoususers.devicekeys;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/** Describes and creates the device-key grant. */
public class DeviceKeyGrantTypeFactory implements OAuth2GrantTypeFactory {

    /** The grant type of device keys at the token endpoint. Part of the public contract. */
    public static final String GRANT_TYPE = "urn:anonymous-users:params:oauth:grant-type:device-key";

    @Override
    public String getId() {
        return GRANT_TYPE;
    }

    @Override
    public String getShortcut() {
        return "ak";
    }

    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new DeviceKeyGrantType();
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
