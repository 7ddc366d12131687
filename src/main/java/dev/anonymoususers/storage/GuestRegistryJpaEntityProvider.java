package dev.anonymoususers.storage;

/** Adds the guest registry's tables to Keycloak's database, through Keycloak's own Liquibase migrations. */
public class GuestRegistryJpaEntityProvider extends ExtensionTables {

    public GuestRegistryJpaEntityProvider() {
        super("anonymous-users-guests", "META-INF/anonymous-users-guests-changelog.xml", GuestEntity.class, RealmCounterEntity.class);
    }
}
