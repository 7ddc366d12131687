package dev.anonymoususers.devicekeys;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.anonymoususers.AnonymousUsers;
import dev.anonymoususers.GuestAccounts;
import dev.anonymoususers.GuestLimitReached;
import dev.anonymoususers.storage.GuestRegistry;
import dev.anonymoususers.util.NodeMemo;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The device keys of a realm: which guest a key signs in, registering a new key with a new guest, and revoking
 * keys for good. The registry row finds the guest; the {@code device-key} credential on the guest is what keeps
 * the key usable (an admin or the promotion removes it).
 */
public final class DeviceKeys {

    static final String REVOKED_GUEST_DELETED = "guest deleted";
    static final String REVOKED_CREDENTIAL_REMOVED = "device key removed from its account";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;
    /** Guests already checked for a key in this request, so a kid is not looked up twice. */
    private final Map<String, UserModel> checked = new HashMap<>();
    /** Registry rows already looked up in this request. */
    private final Map<String, Optional<DeviceKeyEntity>> found = new HashMap<>();

    DeviceKeys(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    Optional<DeviceKeyEntity> find(String thumbprint) {
        return found.computeIfAbsent(thumbprint, key -> em.createNamedQuery("anonDeviceKeyByThumbprint", DeviceKeyEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("thumbprint", key)
                .getResultStream()
                .findFirst());
    }

    /** Whether the realm knows this key already (a returning device), as cheaply as this node can tell. */
    boolean isRegistered(String thumbprint) {
        return checked.containsKey(thumbprint) || rememberedGuest(thumbprint) != null || find(thumbprint).isPresent();
    }

    /** The registered key of a {@code kid}, for assertions that do not carry their public key. */
    DeviceKey byThumbprint(String thumbprint) throws DeviceKeyError {
        DeviceKeyEntity registered = find(thumbprint)
                .orElseThrow(() -> DeviceKeyError.invalidGrant("No device key with this kid is registered in the realm; "
                        + "send the public key in the jwk header to sign in for the first time"));
        UserModel guest = accountOf(registered);
        return DeviceKey.fromStored(DeviceKeyCredentialProvider.jwkOf(credential(guest, thumbprint).orElseThrow()));
    }

    /**
     * The guest of a verified key: the one it registered, or a new one on the key's first assertion, unless
     * {@code noNewGuest} says why this request may create none.
     */
    UserModel signIn(DeviceKey key, String clientId, DeviceKeyError noNewGuest, EventBuilder event) throws DeviceKeyError {
        UserModel known = checked.get(key.thumbprint());
        if (known == null) {
            known = rememberedGuest(key.thumbprint());
        }
        if (known == null) {
            Optional<DeviceKeyEntity> registered = find(key.thumbprint());
            known = registered.isPresent() ? accountOf(registered.get()) : null;
        }
        if (known != null) {
            if (!new GuestRegistry(session, realm).signedIn(known)) {
                throw revoked(REVOKED_GUEST_DELETED); // removed by the clean-up at this very moment
            }
            return known;
        }
        if (noNewGuest != null) {
            throw noNewGuest;
        }
        return registerNewGuest(key, clientId, event);
    }

    /**
     * Which guest each device key seen on this node signs in, so that a returning device finds its guest without a
     * database query. Only a hint: the guest is still loaded from Keycloak's user cache (which the cluster keeps
     * current) and its device-key credential checked on every sign-in, and any doubt falls back to the registry,
     * so a key removed or a guest deleted on any node is refused as before. The hint is not trusted past any
     * revocation in the realm, nor past an hour ({@link KeyRevocations}): a revoked key whose credential came back (a
     * partial import that overwrites its user) finds the registry's answer, which stays "revoked".
     */
    private static final NodeMemo<Remembered> GUEST_BY_KEY = new NodeMemo<>(100_000);

    /** The guest a key signed in on this node, and when this node saw it. */
    private record Remembered(String userId, long at) {
    }

    /**
     * The guest this node saw {@code thumbprint} sign in, if that guest still holds the key; null sends the caller
     * to the registry, which also says precisely why a key no longer works.
     */
    private UserModel rememberedGuest(String thumbprint) {
        Remembered remembered = GUEST_BY_KEY.get(realm.getId() + "." + thumbprint);
        if (remembered == null) {
            return null;
        }
        if (KeyRevocations.since(session, realm, remembered.at())) {
            GUEST_BY_KEY.remove(realm.getId() + "." + thumbprint);
            return null;
        }
        UserModel guest = session.users().getUserById(realm, remembered.userId());
        if (guest == null || !guest.isEnabled() || credential(guest, thumbprint).isEmpty()) {
            GUEST_BY_KEY.remove(realm.getId() + "." + thumbprint);
            return null;
        }
        checked.put(thumbprint, guest);
        return guest;
    }

    /** The guest a registered key signs in, if the key is still good for it. */
    private UserModel accountOf(DeviceKeyEntity registered) throws DeviceKeyError {
        if (registered.getRevokedReason() != null) {
            throw revoked(registered.getRevokedReason());
        }
        UserModel guest = session.users().getUserById(realm, registered.getUserId());
        if (guest == null) {
            revoke(registered, REVOKED_GUEST_DELETED);
            throw revoked(REVOKED_GUEST_DELETED);
        }
        if (credential(guest, registered.getThumbprint()).isEmpty()) {
            if (!new GuestRegistry(session, realm).existsInDatabase(guest.getId())) {
                throw revoked(REVOKED_GUEST_DELETED); // deleted at this moment; its removal revoked the key
            }
            revoke(registered, REVOKED_CREDENTIAL_REMOVED);
            throw revoked(REVOKED_CREDENTIAL_REMOVED);
        }
        if (!guest.isEnabled()) {
            throw DeviceKeyError.invalidGrant("The account of this device key is disabled");
        }

        checked.put(registered.getThumbprint(), guest);
        GUEST_BY_KEY.put(realm.getId() + "." + registered.getThumbprint(), new Remembered(guest.getId(), Time.currentTimeMillis()));
        return guest;
    }

    /** For good: a revoked key never signs in again in this realm, even if its credential comes back. */
    private void revoke(DeviceKeyEntity registered, String reason) {
        registered.setRevokedReason(reason);
        KeyRevocations.record(session, realm);
    }

    private static DeviceKeyError revoked(String reason) {
        return DeviceKeyError.invalidGrant("This device key was revoked (" + reason + "); create a new key pair on the device");
    }

    /**
     * Creates the guest of a key seen for the first time, with the key as its credential, within the realm's limits.
     * The registry row is flushed at once: if another request registers the same key at the same moment, the
     * database lets only one through, and this one's transaction, guest included, is rolled back.
     */
    private UserModel registerNewGuest(DeviceKey key, String clientId, EventBuilder event) throws DeviceKeyError {
        UserModel guest;
        try {
            guest = GuestAccounts.create(session, realm, event);
        } catch (GuestLimitReached reached) {
            throw DeviceKeyError.limitReached(reached.reason(), reached.description(), reached.retryAfterSeconds());
        }
        try {
            em.persist(entity(realm, key.thumbprint(), guest.getId()));
            em.flush();
        } catch (PersistenceException e) {
            session.getTransactionManager().setRollbackOnly();
            throw DeviceKeyError.invalidGrant("This device key is being registered by another request; retry with a new assertion");
        }
        guest.credentialManager().createStoredCredential(DeviceKeyCredentialProvider.credentialFor(key, clientId));
        return guest;
    }

    private static Optional<CredentialModel> credential(UserModel user, String thumbprint) {
        return user.credentialManager().getStoredCredentialsByTypeStream(DeviceKeyCredentialProvider.TYPE)
                .filter(credential -> thumbprint.equals(DeviceKeyCredentialProvider.thumbprintOf(credential)))
                .findFirst();
    }

    /** Revokes every key of a user that is being removed, so none of them can sign a new guest in later. */
    public static void revokeAllOf(KeycloakSession session, RealmModel realm, UserModel user) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("anonDeviceKeyRevokeByUser")
                .setParameter("reason", REVOKED_GUEST_DELETED)
                .setParameter("realmId", realm.getId())
                .setParameter("userId", user.getId())
                .executeUpdate();
        KeyRevocations.record(session, realm);
    }

    /**
     * Registers the device keys of an imported realm's guests, which arrive as {@code device-key} credentials
     * without registry rows, so they sign their guests in on the new server as before.
     */
    public static void registerImported(KeycloakSession session, RealmModel realm) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        DeviceKeys keys = new DeviceKeys(session, realm);
        AnonymousUsers.guestsOf(session, realm)
                .forEach(guest -> guest.credentialManager().getStoredCredentialsByTypeStream(DeviceKeyCredentialProvider.TYPE)
                        .map(DeviceKeyCredentialProvider::thumbprintOf)
                        .filter(thumbprint -> thumbprint != null && keys.find(thumbprint).isEmpty())
                        .forEach(thumbprint -> em.persist(entity(realm, thumbprint, guest.getId()))));
    }

    private static DeviceKeyEntity entity(RealmModel realm, String thumbprint, String userId) {
        DeviceKeyEntity registered = new DeviceKeyEntity();
        registered.setId(KeycloakModelUtils.generateId());
        registered.setRealmId(realm.getId());
        registered.setThumbprint(thumbprint);
        registered.setUserId(userId);
        registered.setCreatedTimestamp(Time.currentTimeMillis());
        return registered;
    }

    /** Forgets the keys of a realm that is being removed. */
    public static void forgetRealm(KeycloakSession session, RealmModel realm) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("anonDeviceKeyDeleteByRealm")
                .setParameter("realmId", realm.getId())
                .executeUpdate();
    }
}
