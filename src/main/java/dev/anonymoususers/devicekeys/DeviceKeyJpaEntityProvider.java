package dev.anonymoususers.devicekeys;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Adds the device-key registry table to Keycloak's database, through Keycloak's own Liquibase migrations. */
public class DeviceKeyJpaEntityProvider implements JpaEntityProvider, JpaEntityProviderFactory {

    public static final String ID = "anonymous-users-device-keys";

    @Override
    public List<Class<?>> getEntities() {
        return List.of(DeviceKeyEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/anonymous-users-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return ID;
    }

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
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
