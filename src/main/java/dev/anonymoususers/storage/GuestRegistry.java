package dev.anonymoususers.storage;

import java.util.List;

import dev.anonymoususers.util.NodeMemo;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The guests of each realm, in Keycloak's database ({@link GuestEntity}): created with the guest, touched when it
 * signs in again (at most once a day, so a returning device costs no write on most sign-ins), marked when it is
 * promoted, gone with its user. The realm's running totals are {@link RealmTotals}.
 *
 * <p>A sign-in and the clean-up meet on the guest's row: the clean-up locks the row before it deletes, and a
 * sign-in of a guest that is old enough to be cleaned up writes the row, so one waits for the other. Either the
 * sign-in comes first and the guest stays, or the deletion comes first and the sign-in finds no guest.
 */
public final class GuestRegistry {

    private static final long DAY_MILLIS = 24L * 3600 * 1000;
    private static final String ADOPTED_ATTRIBUTE = "anonymousUsers.guestRegistry";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;

    public GuestRegistry(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** Registers a guest that is being created. */
    public void registerNew(UserModel guest) {
        long now = Time.currentTimeMillis();
        em.persist(entity(guest.getId(), now, now));
    }

    /**
     * Records that {@code guest} signs in again. Answers false when the guest is gone: deleted by the clean-up a
     * moment ago, in which case this sign-in must not go on.
     */
    public boolean signedIn(UserModel guest) {
        long now = Time.currentTimeMillis();
        Long seen = LAST_SIGN_IN_SEEN.get(guest.getId());
        if (seen != null && seen >= now - DAY_MILLIS) {
            return true; // this node saw its row written within the last day: not even a read is needed
        }
        GuestEntity registered = em.find(GuestEntity.class, guest.getId());
        if (registered != null && registered.getLastSignIn() >= now - DAY_MILLIS) {
            LAST_SIGN_IN_SEEN.put(guest.getId(), registered.getLastSignIn());
            return true; // signed in within the last day: nothing to write, and too recent for any clean-up
        }
        if (registered != null) {
            // Written with a condition, so a clean-up holding the row makes this wait, then finds it gone.
            int touched = em.createNamedQuery("anonGuestSignedIn")
                    .setParameter("now", now)
                    .setParameter("userId", guest.getId())
                    .setParameter("before", now - DAY_MILLIS)
                    .executeUpdate();
            if (touched > 0) {
                em.refresh(registered);
                LAST_SIGN_IN_SEEN.put(guest.getId(), now);
                return true;
            }
        }
        // No row, or it went while this waited: the guest was deleted meanwhile, or was never registered (say,
        // brought by a partial import).
        if (!existsInDatabase(guest.getId())) {
            return false;
        }
        if (registered == null) {
            em.persist(entity(guest.getId(), guest.getCreatedTimestamp() == null ? now : guest.getCreatedTimestamp(), now));
        }
        return true;
    }

    /**
     * The last sign-in this node wrote or read for each guest, so that a guest signing in again within a day costs
     * no query: too recent for any clean-up (which removes guests after whole days), and the row already says
     * today.
     */
    private static final NodeMemo<Long> LAST_SIGN_IN_SEEN = new NodeMemo<>(100_000);

    /**
     * Whether the user still exists, asked of the database itself: the caches of a request still hold a user it
     * loaded before another node, or the clean-up, deleted it.
     */
    public boolean existsInDatabase(String userId) {
        return em.createQuery("select count(u) from UserEntity u where u.id = :id", Long.class)
                .setParameter("id", userId)
                .getSingleResult() > 0;
    }

    /** Marks a guest as promoted: it leaves the guests of the realm, and counts as promoted. */
    public void promoted(UserModel user) {
        GuestEntity guest = em.find(GuestEntity.class, user.getId());
        if (guest != null) {
            guest.setPromoted(Time.currentTimeMillis());
        }
        new RealmTotals(session, realm).add(RealmTotals.PROMOTED, 1);
    }

    /**
     * Locks, for the rest of this transaction, the rows of up to {@code limit} guests of the realm that neither
     * signed in nor were created since {@code cutoff}, the next after {@code afterUserId} in id order, and answers
     * their ids. A guest signing in at this moment has either written its row already (and is not among them) or
     * waits until this transaction ends. One query for the whole batch.
     */
    public List<String> lockInactive(long cutoffMillis, String afterUserId, int limit) {
        return em.createNamedQuery("anonGuestInactive", GuestEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("cutoff", cutoffMillis)
                .setParameter("after", afterUserId)
                .setMaxResults(limit)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList().stream()
                .map(GuestEntity::getUserId)
                .toList();
    }

    /** Guests of the realm now. */
    public long count() {
        return em.createNamedQuery("anonGuestCount", Long.class).setParameter("realmId", realm.getId()).getSingleResult();
    }

    /** Guests created since {@code sinceMillis}, promoted since or not. */
    public long createdSince(long sinceMillis) {
        return em.createNamedQuery("anonGuestCreatedSince", Long.class)
                .setParameter("realmId", realm.getId())
                .setParameter("since", sinceMillis)
                .getSingleResult();
    }

    /** Forgets a user that is being removed. */
    public static void forget(KeycloakSession session, UserModel user) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("anonGuestDelete").setParameter("userId", user.getId()).executeUpdate();
    }

    /** Forgets a realm that is being removed: its guests and its running totals. */
    public static void forgetRealm(KeycloakSession session, RealmModel realm) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        em.createNamedQuery("anonGuestDeleteByRealm").setParameter("realmId", realm.getId()).executeUpdate();
        RealmTotals.forgetRealm(em, realm);
    }

    /**
     * Registers the guests of a realm that have no row: guests of an imported realm, and guests made before the
     * registry existed. Their last sign-in counts as now, so none is cleaned up before a full period has passed.
     *
     * @param guestMark the user attribute that marks a guest (set to {@code true}); storage does not define guests
     * @param once      whether to do it only once per realm (at start-up), or every time (after an import)
     */
    public static void adopt(KeycloakSession session, RealmModel realm, String guestMark, boolean once) {
        if (once && realm.getAttribute(ADOPTED_ATTRIBUTE) != null) {
            return;
        }
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        long now = Time.currentTimeMillis();
        List<String> unregistered = em.createNamedQuery("anonGuestUnregistered", String.class)
                .setParameter("realmId", realm.getId())
                .setParameter("attribute", guestMark)
                .getResultList();
        GuestRegistry registry = new GuestRegistry(session, realm);
        for (String userId : unregistered) {
            UserModel guest = session.users().getUserById(realm, userId);
            long created = guest == null || guest.getCreatedTimestamp() == null ? now : guest.getCreatedTimestamp();
            em.persist(registry.entity(userId, created, now));
        }
        realm.setAttribute(ADOPTED_ATTRIBUTE, Boolean.TRUE.toString());
    }

    private GuestEntity entity(String userId, long created, long lastSignIn) {
        GuestEntity guest = new GuestEntity();
        guest.setUserId(userId);
        guest.setRealmId(realm.getId());
        guest.setCreated(created);
        guest.setLastSignIn(lastSignIn);
        return guest;
    }
}
