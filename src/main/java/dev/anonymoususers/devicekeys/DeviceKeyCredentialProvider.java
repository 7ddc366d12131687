package dev.anonymoususers.devicekeys;

import java.io.IOException;
import java.util.Map;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.util.JsonSerialization;

/**
 * The {@value #TYPE} credential: a device's public key, stored with its guest like any Keycloak credential and
 * listed in the admin console's Credentials tab of the user. Removing it there stops the device signing in.
 */
public class DeviceKeyCredentialProvider implements CredentialProvider<CredentialModel> {

    /** Credential type of a device key. Part of the public contract. */
    public static final String TYPE = "device-key";

    private final KeycloakSession session;

    DeviceKeyCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    /** The credential for {@code key}, labelled so an admin can tell devices apart. */
    static CredentialModel credentialFor(DeviceKey key, String clientId) {
        CredentialModel credential = new CredentialModel();
        credential.setType(TYPE);
        credential.setCreatedDate(Time.currentTimeMillis());
        credential.setUserLabel("Device key " + key.algorithm() + " " + key.thumbprint().substring(0, 8)
                + (clientId == null ? "" : " (" + clientId + ")"));
        credential.setSecretData("{}");
        try {
            credential.setCredentialData(JsonSerialization.writeValueAsString(Map.of(
                    "algorithm", key.algorithm(),
                    "thumbprint", key.thumbprint(),
                    "jwk", key.jwk())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return credential;
    }

    /** Removes every device key of {@code user}: none of them signs anyone in from now on. */
    public static void removeAllFrom(UserModel user) {
        user.credentialManager().getStoredCredentialsByTypeStream(TYPE).toList()
                .forEach(credential -> user.credentialManager().removeStoredCredentialById(credential.getId()));
    }

    /** The thumbprint a device-key credential holds, or null for any other credential. */
    static String thumbprintOf(CredentialModel credential) {
        return stored(credential).get("thumbprint") instanceof String thumbprint ? thumbprint : null;
    }

    /** The public JWK a device-key credential holds, as JSON. */
    static String jwkOf(CredentialModel credential) {
        try {
            return JsonSerialization.writeValueAsString(stored(credential).get("jwk"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stored(CredentialModel credential) {
        if (!TYPE.equals(credential.getType()) || credential.getCredentialData() == null) {
            return Map.of();
        }
        try {
            return JsonSerialization.readValue(credential.getCredentialData(), Map.class);
        } catch (IOException e) {
            return Map.of();
        }
    }

    @Override
    public String getType() {
        return TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, CredentialModel credential) {
        return user.credentialManager().createStoredCredential(credential);
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public CredentialModel getCredentialFromModel(CredentialModel model) {
        return model;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(TYPE)
                .category(CredentialTypeMetadata.Category.PASSWORDLESS)
                .displayName("Device key")
                .helpText("The public key of a device that signs in silently as this guest")
                .removeable(true)
                .build(session);
    }
}
