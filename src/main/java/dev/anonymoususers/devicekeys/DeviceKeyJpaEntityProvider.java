package dev.anonymoususers.devicekeys;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

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
        // A removed guest's keys stay on record as revoked, so they never sign a new guest in;
        // an imported realm's guests bring their keys as credentials, which are registered here.
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created) {
                DeviceKeys.registerImported(created.getKeycloakSession(), created.getCreatedRealm());
            } else if (event instanceof UserModel.UserRemovedEvent removed) {
                DeviceKeys.revokeAllOf(removed.getKeycloakSession(), removed.getRealm(), removed.getUser());
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                DeviceKeys.forgetRealm(removed.getKeycloakSession(), removed.getRealm());
            }
        });
    }

    @Override
    public void close() {
    }
}
