package dev.anonymoususers.cleanup;

import java.util.function.Consumer;

import org.keycloak.provider.Provider;

/**
 * Removes a realm's inactive guests ({@code removeInactiveGuestsAfterDays}): run on a schedule, once per cluster,
 * and on demand by an admin ({@code POST /admin/realms/{realm}/anonymous-users/clean-up}).
 */
public interface GuestCleanupProvider extends Provider {

    /** What one clean-up of a realm did. */
    record Result(boolean ran, int checked, int removed, int batches) {
        static final Result NOT_RUN = new Result(false, 0, 0, 0);
        /** A run that has started and done nothing yet. */
        public static final Result STARTED = new Result(true, 0, 0, 0);
    }

    /**
     * Removes the realm's guests with no session and no sign-in for the realm's number of days, in batches of one
     * transaction each. Answers a result that did not run when the clean-up is off for the realm or already runs
     * for it on some node of the cluster.
     */
    default Result removeInactiveGuests(String realmId) {
        return removeInactiveGuests(realmId, soFar -> {
        });
    }

    /**
     * As {@link #removeInactiveGuests(String)}, telling {@code progress} what the run has done so far when it has
     * started (it runs, and no other node runs it) and after each batch.
     */
    Result removeInactiveGuests(String realmId, Consumer<Result> progress);
}
