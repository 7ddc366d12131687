package dev.anonymoususers.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * One promotion of a guest at a time, and a memory of the promotions just done, across every node of a cluster.
 *
 * <p>A double click or two tabs submit the page twice, each in its own request, and Keycloak answers a stale
 * submit by showing the current step again. The lock makes the first submit the only one that promotes; the memory
 * lets every other submit of a page that was open at that time end in success instead of an error. Both live in
 * Keycloak's single-use object store; the lock is given up only once the promoting transaction has ended, so
 * whoever waited for it sees the outcome in the database.
 */
final class PromotionGuard {

    private static final String LOCK_PREFIX = "anonymous-users.promoting.";
    private static final String DONE_PREFIX = "anonymous-users.promoted.";
    private static final String BROWSER = "browser";
    /** Longer than any promotion takes; the lock of a node that died frees itself. */
    private static final long LOCK_SECONDS = 60;
    private static final Duration POLL = Duration.ofMillis(100);

    private final KeycloakSession session;
    private final SingleUseObjectProvider store;
    private final String userId;

    PromotionGuard(KeycloakSession session, String userId) {
        this.session = session;
        this.store = session.singleUseObjects();
        this.userId = userId;
    }

    /** The browser a request comes from: its authentication session, whose id Keycloak gives its user session. */
    static String browserOf(RequiredActionContext context) {
        return context.getAuthenticationSession().getParentSession().getId();
    }

    /** Takes the lock, and gives it up when this request's transaction commits or rolls back. */
    boolean tryLock() {
        if (!store.putIfAbsent(LOCK_PREFIX + userId, LOCK_SECONDS)) {
            return false;
        }
        afterTransaction(() -> store.remove(LOCK_PREFIX + userId));
        return true;
    }

    boolean isLocked() {
        return store.contains(LOCK_PREFIX + userId);
    }

    /** Waits until whoever holds the lock is done, for at most {@code patience}. */
    void awaitUnlocked(Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        while (isLocked() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Remembers that the guest was promoted, and in which browser, for as long as a login page lives. The store writes
     * it only when this request's transaction commits, so a promotion that is rolled back is never remembered.
     */
    void rememberPromoted(RealmModel realm, String browser) {
        long lifetime = Math.max(realm.getAccessCodeLifespanLogin(), realm.getAccessCodeLifespanUserAction());
        store.put(DONE_PREFIX + userId, lifetime, Map.of(BROWSER, browser));
    }

    /** Whether the account was promoted so recently that a page shown to it as a guest may still be open. */
    boolean wasJustPromoted() {
        return store.contains(DONE_PREFIX + userId);
    }

    /**
     * Whether the account was just promoted in the browser whose authentication session is {@code browser}: only a
     * second submit there (a double click, a second tab) shares in that promotion; any other browser's session of the
     * guest was ended by it.
     */
    boolean wasJustPromotedIn(String browser) {
        Map<String, String> promoted = store.get(DONE_PREFIX + userId);
        return promoted != null && browser.equals(promoted.get(BROWSER));
    }

    private void afterTransaction(Runnable action) {
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                action.run();
            }

            @Override
            protected void rollbackImpl() {
                action.run();
            }
        });
    }
}
