package dev.anonymoususers.lifecycle;

import org.keycloak.provider.ProviderFactory;

/** Creates the clean-up of inactive guests. */
public interface GuestCleanupProviderFactory extends ProviderFactory<GuestCleanupProvider> {
}
