package dev.anonymoususers.cleanup;

import java.util.List;
import java.util.function.Consumer;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.AnonymousUsersConfig;
import dev.anonymoususers.GuestAccounts;
import dev.anonymoususers.GuestMetrics;
import dev.anonymoususers.storage.GuestRegistry;
import dev.anonymoususers.storage.RealmTotals;
import org.jboss.logging.Logger;
import org.keycloak.cluster.ClusterProvider;
import org.keycloak.cluster.ExecutionResult;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Removes a realm's inactive guests: those with no session and no sign-in for {@code removeInactiveGuestsAfterDays}.
 * Promoted users are never touched: they are no longer guests.
 *
 * <p>One node of the cluster at a time cleans a realm up. It works in batches, each its own short transaction, and
 * walks the guests in id order, so a guest it keeps (one with a session) is not looked at twice in a run. The query
 * that finds a batch locks its guests' registry rows (one query, checked again by the database as it locks), so a
 * guest that signs in at that moment is either kept with its new session or deleted before the sign-in, which then
 * fails — never half-deleted. A deleted guest's device keys stay revoked for good.
 */
final class InactiveGuestCleanup implements GuestCleanupProvider {

    /** Detail of the {@code DELETE_ACCOUNT} event of each removed guest. */
    static final String REASON = "inactive guest removed by clean-up";

    private static final Logger LOG = Logger.getLogger(InactiveGuestCleanup.class);
    private static final long DAY_MILLIS = 24L * 3600 * 1000;
    /** Longer than any clean-up run: after it, another node may start even if this one died mid-run. */
    private static final int RUN_TIMEOUT_SECONDS = 6 * 3600;

    private final KeycloakSessionFactory factory;
    private final int batchSize;

    InactiveGuestCleanup(KeycloakSessionFactory factory, int batchSize) {
        this.factory = factory;
        this.batchSize = batchSize;
    }

    private record Batch(int checked, int removed, String lastUserId) {
    }

    @Override
    public Result removeInactiveGuests(String realmId, Consumer<Result> progress) {
        boolean on = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel realm = session.realms().getRealm(realmId);
            return realm != null && AnonymousUsersConfig.of(realm).removeInactiveGuestsAfterDays() > 0;
        });
        if (!on) {
            return Result.NOT_RUN;
        }
        try (KeycloakSession session = factory.create()) {
            ExecutionResult<Result> run = session.getProvider(ClusterProvider.class)
                    .executeIfNotExecuted("anonymous-users-clean-up::" + realmId, RUN_TIMEOUT_SECONDS, () -> inBatches(realmId, progress));
            return run.isExecuted() ? run.getResult() : Result.NOT_RUN;
        }
    }

    private Result inBatches(String realmId, Consumer<Result> progress) {
        int checked = 0;
        int removed = 0;
        int batches = 0;
        String after = "";
        progress.accept(Result.STARTED);
        while (true) {
            String from = after;
            Batch batch = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> oneBatch(session, realmId, from));
            if (batch.checked() == 0) {
                break;
            }
            batches++;
            checked += batch.checked();
            removed += batch.removed();
            after = batch.lastUserId();
            progress.accept(new Result(true, checked, removed, batches));
        }
        if (removed > 0) {
            LOG.infof("Removed %d inactive guests of realm %s in %d batches", removed, realmId, batches);
        }
        return new Result(true, checked, removed, batches);
    }

    private Batch oneBatch(KeycloakSession session, String realmId, String after) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return new Batch(0, 0, after);
        }
        int days = AnonymousUsersConfig.of(realm).removeInactiveGuestsAfterDays();
        if (days == 0) {
            return new Batch(0, 0, after); // switched off while running
        }
        session.getContext().setRealm(realm);
        long cutoff = Time.currentTimeMillis() - days * DAY_MILLIS;
        GuestRegistry registry = new GuestRegistry(session, realm);
        List<String> candidates = registry.lockInactive(cutoff, after, batchSize);
        int removed = 0;
        for (String userId : candidates) {
            UserModel guest = session.users().getUserById(realm, userId);
            if (guest == null || !AnonymousUsers.isAnonymous(guest) || hasSession(session, realm, guest)) {
                continue;
            }
            String username = guest.getUsername();
            new UserManager(session).removeUser(realm, guest);
            new EventBuilder(realm, session)
                    .event(EventType.DELETE_ACCOUNT)
                    .user(userId)
                    .detail(Details.USERNAME, username)
                    .detail(Details.REASON, REASON)
                    .detail(GuestAccounts.ANONYMOUS_DETAIL, Boolean.TRUE.toString())
                    .detail("inactive_days", Integer.toString(days))
                    .success();
            removed++;
        }
        new RealmTotals(session, realm).add(RealmTotals.REMOVED_BY_CLEAN_UP, removed);
        GuestMetrics.cleanUpRemoved(realm, removed);
        return new Batch(candidates.size(), removed, candidates.isEmpty() ? after : candidates.get(candidates.size() - 1));
    }

    private static boolean hasSession(KeycloakSession session, RealmModel realm, UserModel guest) {
        return session.sessions().getUserSessionsStream(realm, guest).findAny().isPresent()
                || session.sessions().getOfflineUserSessionsStream(realm, guest).findAny().isPresent();
    }

    @Override
    public void close() {
    }
}
