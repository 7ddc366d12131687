package dev.anonymoususers.storage;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * A realm's running totals ({@link RealmCounterEntity}), which outlive the guests they count: promotions, and guests
 * the clean-up removed. Each total is one row, added to with one update, so concurrent additions never lose a count.
 */
public final class RealmTotals {

    /** Guests that became regular users. */
    public static final String PROMOTED = "promoted";
    /** Inactive guests the clean-up removed. */
    public static final String REMOVED_BY_CLEAN_UP = "removedByCleanUp";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;

    public RealmTotals(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** A running total of the realm; 0 until something counted. */
    public long total(String counter) {
        RealmCounterEntity entity = em.find(RealmCounterEntity.class, counterId(counter));
        return entity == null ? 0 : entity.getTotal();
    }

    /**
     * Adds to a running total, creating its row on first use. The row is created in a transaction of its own, so two
     * requests racing to create it do not fail each other: the one that loses finds the row and adds to it. A
     * database that fails is seen: where the row is still missing after the attempt, its failure is thrown.
     */
    public void add(String counter, long amount) {
        if (amount == 0 || addToExisting(counter, amount)) {
            return;
        }
        RuntimeException createFailed = null;
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), other -> {
                EntityManager otherEm = other.getProvider(JpaConnectionProvider.class).getEntityManager();
                if (otherEm.find(RealmCounterEntity.class, counterId(counter)) == null) {
                    RealmCounterEntity entity = new RealmCounterEntity();
                    entity.setId(counterId(counter));
                    entity.setRealmId(realm.getId());
                    otherEm.persist(entity);
                }
            });
        } catch (RuntimeException e) {
            createFailed = e; // another request may have created it meanwhile: the update below tells
        }
        if (!addToExisting(counter, amount)) {
            throw createFailed != null ? createFailed
                    : new IllegalStateException("The running total " + counterId(counter) + " could not be created");
        }
    }

    private boolean addToExisting(String counter, long amount) {
        return em.createNamedQuery("anonCounterAdd").setParameter("amount", amount).setParameter("id", counterId(counter))
                .executeUpdate() > 0;
    }

    private String counterId(String counter) {
        return realm.getId() + ":" + counter;
    }

    static void forgetRealm(EntityManager em, RealmModel realm) {
        em.createNamedQuery("anonCounterDeleteByRealm").setParameter("realmId", realm.getId()).executeUpdate();
    }
}
