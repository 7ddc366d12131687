package dev.anonymoususers.wiring;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.cleanup.InactiveGuestCleanupFactory;
import dev.anonymoususers.devicekeys.DeviceKeys;
import dev.anonymoususers.storage.GuestRegistry;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;

/**
 * The one place where the extension meets Keycloak's own events: what happens when the server has started, when a
 * realm is created or imported, when a user is removed and when a realm is removed. Each event goes to each room, in
 * the order written here.
 *
 * <p>Hosted by {@code PromoteAnonymousUserActionFactory#postInit}: Keycloak calls {@code postInit} of every provider
 * factory once per start, and required actions are loaded on every server, whatever its features. Nothing else in
 * the extension registers a listener.
 */
public final class KeycloakEvents {

    /** The cluster-wide task name: one node of a cluster goes through the realms at start, the others find them done. */
    private static final String STARTUP_TASK = "anonymous-users-install";
    private static final int STARTUP_TASK_TIMEOUT_SECONDS = 120;

    private KeycloakEvents() {
    }

    public static void listen(KeycloakSessionFactory factory) {
        factory.register(event -> on(factory, event));
    }

    private static void on(KeycloakSessionFactory factory, ProviderEvent event) {
        if (event instanceof PostMigrationEvent) {
            serverStarted(factory);
        } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
            realmCreated(created.getKeycloakSession(), created.getCreatedRealm());
        } else if (event instanceof UserModel.UserRemovedEvent removed) {
            userRemoved(removed.getKeycloakSession(), removed.getRealm(), removed.getUser());
        } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
            realmRemoved(removed.getKeycloakSession(), removed.getRealm());
        }
    }

    /** The server has started (its database migrated): the startup line, each realm brought up to date, the clean-up's schedule. */
    static void serverStarted(KeycloakSessionFactory factory) {
        ServerCapabilities.logAtStartup();
        KeycloakModelUtils.runJobInTransaction(factory, session ->
                session.getProvider(ClusterProvider.class).executeIfNotExecuted(STARTUP_TASK, STARTUP_TASK_TIMEOUT_SECONDS, () -> {
                    session.realms().getRealmsStream().forEach(realm -> {
                        RealmSetup.serverStarted(session, realm);
                        GuestRegistry.adopt(session, realm, AnonymousUsers.ATTRIBUTE, true); // guests of an earlier version
                    });
                    return null;
                }));
        InactiveGuestCleanupFactory.startSchedule(factory);
    }

    /** A realm was created, or imported (also at server start with {@code --import-realm}). */
    static void realmCreated(KeycloakSession session, RealmModel realm) {
        RealmSetup.realmCreated(session, realm);
        GuestRegistry.adopt(session, realm, AnonymousUsers.ATTRIBUTE, false); // imported guests
        DeviceKeys.registerImported(session, realm); // imported guests bring their keys as credentials
    }

    /** A user is being removed (by an admin, the user, or the clean-up). */
    static void userRemoved(KeycloakSession session, RealmModel realm, UserModel user) {
        GuestRegistry.forget(session, user);
        // A removed guest's keys stay on record as revoked, so they never sign a new guest in.
        DeviceKeys.revokeAllOf(session, realm, user);
    }

    /** A realm is being removed. */
    static void realmRemoved(KeycloakSession session, RealmModel realm) {
        GuestRegistry.forgetRealm(session, realm);
        DeviceKeys.forgetRealm(session, realm);
        AnonymousUsersConfig.forget(realm);
    }
}
