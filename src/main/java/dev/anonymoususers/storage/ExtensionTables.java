package dev.anonymoususers.storage;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Tables of the extension in Keycloak's database, created and migrated by Keycloak's own Liquibase run. Each set of
 * tables keeps its own provider id and changelog: both are recorded in the database, so they never change.
 */
public abstract class ExtensionTables implements JpaEntityProvider, JpaEntityProviderFactory {

    private final String id;
    private final String changelog;
    private final List<Class<?>> entities;

    protected ExtensionTables(String id, String changelog, Class<?>... entities) {
        this.id = id;
        this.changelog = changelog;
        this.entities = List.of(entities);
    }

    @Override
    public List<Class<?>> getEntities() {
        return entities;
    }

    @Override
    public String getChangelogLocation() {
        return changelog;
    }

    @Override
    public String getFactoryId() {
        return id;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
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
