package dev.anonymoususers.util;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.timer.TimerProvider;

/**
 * A periodic task that runs once per interval for the whole cluster: every node's timer fires, and the first to
 * claim the interval in Keycloak's cluster-wide single-use object store runs the task; the others skip it.
 */
public final class OncePerCluster {

    private static final Logger LOG = Logger.getLogger(OncePerCluster.class);

    private OncePerCluster() {
    }

    /** Runs {@code task} every {@code intervalSeconds}, on one node of the cluster. Its failures are logged. */
    public static void schedule(KeycloakSessionFactory factory, String name, long intervalSeconds, Runnable task) {
        try (KeycloakSession session = factory.create()) {
            session.getProvider(TimerProvider.class).schedule(() -> {
                try {
                    long interval = Time.currentTime() / intervalSeconds;
                    if (KeycloakModelUtils.runJobInTransactionWithResult(factory,
                            claimer -> claim(claimer, name, interval * intervalSeconds, intervalSeconds))) {
                        LOG.debugf("%s: interval %d runs on this node", name, interval);
                        task.run();
                    }
                } catch (RuntimeException e) {
                    LOG.warnf(e, "%s failed; it runs again at the next interval", name);
                }
            }, intervalSeconds * 1000, name);
        }
    }

    /** Whether this node is the first to claim the interval that contains {@code nowSeconds}. */
    static boolean claim(KeycloakSession session, String name, long nowSeconds, long intervalSeconds) {
        return session.singleUseObjects().putIfAbsent(name + "." + nowSeconds / intervalSeconds, intervalSeconds);
    }
}
