package dev.anonymoususers.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One guest account, in Keycloak's database: when it was created, when it last signed in, and when it was
 * promoted, if it was. The clean-up finds inactive guests here by an index, and the statistics count here.
 * The row goes when its user goes.
 */
@Entity
@Table(name = "ANON_GUEST")
@NamedQueries({
        @NamedQuery(name = "anonGuestSignedIn",
                query = "update GuestEntity g set g.lastSignIn = :now where g.userId = :userId and g.lastSignIn < :before"),
        @NamedQuery(name = "anonGuestInactive",
                query = "select g from GuestEntity g where g.realmId = :realmId and g.promoted is null"
                        + " and g.lastSignIn < :cutoff and g.userId > :after order by g.userId"),
        @NamedQuery(name = "anonGuestCount",
                query = "select count(g) from GuestEntity g where g.realmId = :realmId and g.promoted is null"),
        @NamedQuery(name = "anonGuestCreatedSince",
                query = "select count(g) from GuestEntity g where g.realmId = :realmId and g.created >= :since"),
        @NamedQuery(name = "anonGuestUnregistered",
                query = "select u.id from UserEntity u join u.attributes a where u.realmId = :realmId"
                        + " and a.name = :attribute and a.value = 'true'"
                        + " and not exists (select g.userId from GuestEntity g where g.userId = u.id)"),
        @NamedQuery(name = "anonGuestDelete", query = "delete from GuestEntity g where g.userId = :userId"),
        @NamedQuery(name = "anonGuestDeleteByRealm", query = "delete from GuestEntity g where g.realmId = :realmId")
})
public class GuestEntity {

    @Id
    @Column(name = "USER_ID", length = 36)
    private String userId;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    /** Milliseconds since the epoch, as Keycloak keeps its timestamps. */
    @Column(name = "CREATED", nullable = false)
    private long created;

    /** Kept to the day: written when a sign-in comes a day or more after the last one. */
    @Column(name = "LAST_SIGN_IN", nullable = false)
    private long lastSignIn;

    @Column(name = "PROMOTED")
    private Long promoted;

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public long getCreated() {
        return created;
    }

    public void setCreated(long created) {
        this.created = created;
    }

    public long getLastSignIn() {
        return lastSignIn;
    }

    public void setLastSignIn(long lastSignIn) {
        this.lastSignIn = lastSignIn;
    }

    public Long getPromoted() {
        return promoted;
    }

    public void setPromoted(Long promoted) {
        this.promoted = promoted;
    }
}
