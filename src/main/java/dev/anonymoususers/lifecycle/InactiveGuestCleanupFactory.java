package dev.anonymoususers.lifecycle;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.PostMigrationEvent;

/**
 * The clean-up of inactive guests, and its schedule. Server options: {@code interval-minutes} (default
 * {@value #DEFAULT_INTERVAL_MINUTES}) and {@code batch-size} (default {@value #DEFAULT_BATCH_SIZE}), under
 * {@code --spi-anonymous-users-clean-up--default--}.
 */
public class InactiveGuestCleanupFactory implements GuestCleanupProviderFactory {

    public static final String ID = "default";
    static final int DEFAULT_INTERVAL_MINUTES = 60;
    static final int DEFAULT_BATCH_SIZE = 100;

    private int intervalMinutes = DEFAULT_INTERVAL_MINUTES;
    private int batchSize = DEFAULT_BATCH_SIZE;

    @Override
    public GuestCleanupProvider create(KeycloakSession session) {
        return new InactiveGuestCleanup(session.getKeycloakSessionFactory(), batchSize);
    }

    @Override
    public void init(Config.Scope config) {
        intervalMinutes = Math.max(1, config.getInt("intervalMinutes", DEFAULT_INTERVAL_MINUTES));
        batchSize = Math.max(1, config.getInt("batchSize", DEFAULT_BATCH_SIZE));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                CleanupSchedule.start(factory, intervalMinutes);
            }
        });
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void close() {
    }
}
