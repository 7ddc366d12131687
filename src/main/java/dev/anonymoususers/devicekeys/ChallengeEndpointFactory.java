package dev.anonymoususers.devicekeys;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/**
 * Mounts the challenge endpoint under {@code /realms/{realm}/anonymous}. Server option
 * {@code spi-realm-restapi-extension--anonymous--challenges-per-address-per-minute} (default
 * {@value #DEFAULT_CHALLENGES_PER_ADDRESS_PER_MINUTE}; 0 = no limit) bounds how many challenges one address gets
 * from each node.
 */
public class ChallengeEndpointFactory implements RealmResourceProviderFactory {

    public static final String ID = "anonymous";

    static final String CHALLENGES_PER_ADDRESS_PER_MINUTE = "challengesPerAddressPerMinute";
    static final int DEFAULT_CHALLENGES_PER_ADDRESS_PER_MINUTE = 60;

    /** One per node, shared by every request the node serves. */
    private ChallengeRateLimit rateLimit = new ChallengeRateLimit(DEFAULT_CHALLENGES_PER_ADDRESS_PER_MINUTE);

    /** This node's per-address challenge limit, which one-request sign-ins count against too. */
    static ChallengeRateLimit rateLimit(KeycloakSession session) {
        return ((ChallengeEndpointFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(RealmResourceProvider.class, ID)).rateLimit;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new ChallengeEndpoint(session, rateLimit);
    }

    @Override
    public void init(Config.Scope config) {
        rateLimit = new ChallengeRateLimit(Math.max(0,
                config.getInt(CHALLENGES_PER_ADDRESS_PER_MINUTE, DEFAULT_CHALLENGES_PER_ADDRESS_PER_MINUTE)));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
