package dev.anonymoususers.devicekeys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One device key ever seen by a realm, in Keycloak's database. The credential on the user is what admins see and
 * remove; this row finds a key's guest by thumbprint, and remembers a key after its guest is gone (revoked), so a
 * removed guest's key can never sign a new guest in. A unique thumbprint per realm lets only one request register
 * a key, on every node of a cluster.
 */
@Entity
@Table(name = "ANON_DEVICE_KEY")
@NamedQueries({
        @NamedQuery(name = "anonDeviceKeyByThumbprint",
                query = "select k from DeviceKeyEntity k where k.realmId = :realmId and k.thumbprint = :thumbprint"),
        @NamedQuery(name = "anonDeviceKeyRevokeByUser",
                query = "update DeviceKeyEntity k set k.revokedReason = :reason where k.realmId = :realmId and k.userId = :userId and k.revokedReason is null"),
        @NamedQuery(name = "anonDeviceKeyDeleteByRealm",
                query = "delete from DeviceKeyEntity k where k.realmId = :realmId")
})
public class DeviceKeyEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "THUMBPRINT", nullable = false, length = 64)
    private String thumbprint;

    @Column(name = "USER_ID", nullable = false, length = 36)
    private String userId;

    @Column(name = "CREATED_TIMESTAMP", nullable = false)
    private long createdTimestamp;

    /** Null while the key is in use; why it stopped otherwise. */
    @Column(name = "REVOKED_REASON")
    private String revokedReason;

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

    public String getThumbprint() {
        return thumbprint;
    }

    public void setThumbprint(String thumbprint) {
        this.thumbprint = thumbprint;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public long getCreatedTimestamp() {
        return createdTimestamp;
    }

    public void setCreatedTimestamp(long createdTimestamp) {
        this.createdTimestamp = createdTimestamp;
    }

    public String getRevokedReason() {
        return revokedReason;
    }

    public void setRevokedReason(String revokedReason) {
        this.revokedReason = revokedReason;
    }
}
