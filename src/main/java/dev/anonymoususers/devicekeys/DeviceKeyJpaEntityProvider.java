package dev.anonymoususers.devicekeys;

import dev.anonymoususers.storage.ExtensionTables;

/** Adds the device-key registry table to Keycloak's database, through Keycloak's own Liquibase migrations. */
public class DeviceKeyJpaEntityProvider extends ExtensionTables {

    public DeviceKeyJpaEntityProvider() {
        super("anonymous-users-device-keys", "META-INF/anonymous-users-changelog.xml", DeviceKeyEntity.class);
    }
}
