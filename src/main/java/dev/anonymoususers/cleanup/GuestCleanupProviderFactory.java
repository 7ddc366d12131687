package dev.anonymoususers.cleanup;

import org.keycloak.provider.ProviderFactory;

/** Creates the clean-up of inactive guests. */
public interface GuestCleanupProviderFactory extends ProviderFactory<GuestCleanupProvider> {
}
