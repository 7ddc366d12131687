package dev.anonymoususers.devicekeys;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Describes and creates the {@value DeviceKeyCredentialProvider#TYPE} credential provider. */
public class DeviceKeyCredentialProviderFactory implements CredentialProviderFactory<DeviceKeyCredentialProvider> {

    @Override
    public String getId() {
        return DeviceKeyCredentialProvider.TYPE;
    }

    @Override
    public DeviceKeyCredentialProvider create(KeycloakSession session) {
        return new DeviceKeyCredentialProvider(session);
    }
}
