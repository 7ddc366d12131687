package dev.anonymoususers.cleanup;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * The SPI of the clean-up of inactive guests, so it has server options of its own:
 * {@code --spi-anonymous-users-clean-up--default--interval-minutes} and {@code --batch-size}.
 */
public class GuestCleanupSpi implements Spi {

    public static final String NAME = "anonymous-users-clean-up";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return GuestCleanupProvider.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return GuestCleanupProviderFactory.class;
    }
}
