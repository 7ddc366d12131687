package dev.anonymoususers.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A running total of a realm (guests promoted, guests removed by clean-up), in Keycloak's database. */
@Entity
@Table(name = "ANON_REALM_COUNTER")
@NamedQueries({
        @NamedQuery(name = "anonCounterAdd",
                query = "update RealmCounterEntity c set c.total = c.total + :amount where c.id = :id"),
        @NamedQuery(name = "anonCounterDeleteByRealm", query = "delete from RealmCounterEntity c where c.realmId = :realmId")
})
public class RealmCounterEntity {

    /** The realm's id, a colon and the counter's name. */
    @Id
    @Column(name = "ID", length = 100)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "TOTAL", nullable = false)
    private long total;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public long getTotal() {
        return total;
    }

    public void setTotal(long total) {
        this.total = total;
    }
}
