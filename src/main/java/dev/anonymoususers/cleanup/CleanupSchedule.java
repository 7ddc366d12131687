package dev.anonymoususers.cleanup;

import java.util.List;

import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.util.OncePerCluster;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/** Cleans up every realm that has the clean-up on, once per interval for the whole cluster. */
final class CleanupSchedule {

    static final String TASK_NAME = "anonymous-users-clean-up";

    private CleanupSchedule() {
    }

    static void start(KeycloakSessionFactory factory, int intervalMinutes) {
        OncePerCluster.schedule(factory, TASK_NAME, intervalMinutes * 60L, () -> {
            List<String> realmIds = KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                    session.realms().getRealmsStream()
                            .filter(realm -> AnonymousUsersConfig.of(realm).removeInactiveGuestsAfterDays() > 0)
                            .map(RealmModel::getId)
                            .toList());
            for (String realmId : realmIds) {
                try (KeycloakSession session = factory.create()) {
                    session.getProvider(GuestCleanupProvider.class).removeInactiveGuests(realmId);
                }
            }
        });
    }
}
