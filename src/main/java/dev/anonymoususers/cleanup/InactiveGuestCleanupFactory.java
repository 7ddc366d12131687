package dev.anonymoususers.cleanup;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The clean-up of inactive guests, and its schedule. Server options: {@code interval-minutes} (default
 * {@value #DEFAULT_INTERVAL_MINUTES}) and {@code batch-size} (default {@value #DEFAULT_BATCH_SIZE}), under
 * {@code --spi-anonymous-users-clean-up--default--}.
 */
public class InactiveGuestCleanupFactory implements GuestCleanupProviderFactory {

    public static final String ID = "default";
    static final int DEFAULT_INTERVAL_MINUTES = 60;
    static final int DEFAULT_BATCH_SIZE = 100;
    static final String INTERVAL_OPTION = "interval-minutes";
    static final String BATCH_SIZE_OPTION = "batch-size";

    /** The server options, defined once: read by init, described to Keycloak here. */
    private static final List<ProviderConfigProperty> OPTIONS = ProviderConfigurationBuilder.create()
            .property().name(INTERVAL_OPTION).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_INTERVAL_MINUTES)
            .helpText("How often the clean-up runs, once per cluster; at least 1").add()
            .property().name(BATCH_SIZE_OPTION).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_BATCH_SIZE)
            .helpText("Guests looked at per clean-up transaction; at least 1").add()
            .build();

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return OPTIONS;
    }

    private int intervalMinutes = DEFAULT_INTERVAL_MINUTES;
    private int batchSize = DEFAULT_BATCH_SIZE;

    @Override
    public GuestCleanupProvider create(KeycloakSession session) {
        return new InactiveGuestCleanup(session.getKeycloakSessionFactory(), batchSize);
    }

    @Override
    public void init(Config.Scope config) {
        intervalMinutes = Math.max(1, config.getInt(INTERVAL_OPTION, DEFAULT_INTERVAL_MINUTES));
        batchSize = Math.max(1, config.getInt(BATCH_SIZE_OPTION, DEFAULT_BATCH_SIZE));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    /** Starts the schedule of this node (the extension's wiring calls it once the server has started). */
    public static void startSchedule(KeycloakSessionFactory factory) {
        InactiveGuestCleanupFactory configured = (InactiveGuestCleanupFactory) factory.getProviderFactory(GuestCleanupProvider.class, ID);
        CleanupSchedule.start(factory, configured == null ? DEFAULT_INTERVAL_MINUTES : configured.intervalMinutes);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void close() {
    }
}
