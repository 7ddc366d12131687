package dev.anonymoususers.devicekeys;

import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * When a realm last revoked a device key, in Keycloak's single-use object store, which every node of a cluster
 * shares. A node's memory of which guest a key signs in ({@link DeviceKeys}) is trusted only if it is younger than the
 * realm's last revocation and than {@link #MEMO_TRUST_MILLIS}; past either, the registry decides again. Without it, a
 * revoked key whose credential came back (a partial import that overwrites the user) would sign in again on a node
 * that remembered it.
 */
final class KeyRevocations {

    /** How long a node trusts what it remembers of a key; also how long a revocation is remembered. */
    static final long MEMO_TRUST_MILLIS = 3_600_000;

    private static final String PREFIX = "anonymous-users.key-revoked.";
    private static final String AT = "at";

    private KeyRevocations() {
    }

    /**
     * A key of the realm was revoked in this transaction. Written once the transaction has committed, in one of its
     * own, stamped with that moment: a node can only have remembered the key before then (after it, the registry
     * says "revoked" and nothing is remembered), and a transaction that revokes many keys (a clean-up batch) writes
     * it once.
     */
    static void record(KeycloakSession session, RealmModel realm) {
        String key = PREFIX + realm.getId();
        if (session.getAttribute(key) != null) {
            return;
        }
        session.setAttribute(key, Boolean.TRUE);
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                KeycloakModelUtils.runJobInTransaction(factory, written -> written.singleUseObjects().put(key,
                        MEMO_TRUST_MILLIS / 1000, Map.of(AT, Long.toString(Time.currentTimeMillis()))));
            }

            @Override
            protected void rollbackImpl() {
                // nothing was revoked
            }
        });
    }

    /** Whether what a node remembered at {@code rememberedAt} may be stale: a revocation since, or too old to know. */
    static boolean since(KeycloakSession session, RealmModel realm, long rememberedAt) {
        if (Time.currentTimeMillis() - rememberedAt >= MEMO_TRUST_MILLIS) {
            return true;
        }
        Map<String, String> last = session.singleUseObjects().get(PREFIX + realm.getId());
        return last != null && Long.parseLong(last.get(AT)) >= rememberedAt;
    }
}
