package dev.anonymoususers.devicekeys;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Mounts the challenge endpoint under {@code /realms/{realm}/anonymous}, and holds this node's
 * {@link DeviceKeyLimits}, read from its server options ({@code --spi-realm-restapi-extension--anonymous--...}).
 */
public class ChallengeEndpointFactory implements RealmResourceProviderFactory {

    public static final String ID = "anonymous";

    /** One per node, shared by every request the node serves. */
    private DeviceKeyLimits limits = DeviceKeyLimits.defaults();

    /** This node's limits on challenges and device assertions. */
    static DeviceKeyLimits limits(KeycloakSession session) {
        return ((ChallengeEndpointFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(RealmResourceProvider.class, ID)).limits;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ChallengeEndpoint(session, limits);
    }

    @Override
    public void init(Config.Scope config) {
        limits = DeviceKeyLimits.of(config);
    }

    /** The server options of the device-key limits ({@code --spi-realm-restapi-extension--anonymous--<name>}). */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return DeviceKeyLimits.OPTIONS;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
